"""Inputs are ASCII (issue 12, item 7), from a shell: a size or id typed with Unicode digits.

A fullwidth "1.5" (an input method left on), an Arabic-Indic three or a mathematical bold one
reads as a number to Python's Decimal; the command must refuse it with exit code 2 and send
nothing, as it refuses any other non-ASCII input.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest
from ordercancel.testing import KucoinExchange, KuestExchange

if TYPE_CHECKING:
    from conftest import Cli  # the fixture's type; never imported at run time

BAD_INPUT = 2
UNICODE_DIGITS = ["\uff11.\uff15", "\u0663", "\U0001d7cf", "0.\uff15", "1e\u0663"]


@pytest.mark.parametrize("size", UNICODE_DIGITS, ids=ascii)
def test_a_partial_cancel_size_in_unicode_digits_is_2_and_nothing_is_sent(
    cli: Cli, kucoin_exchange: KucoinExchange, size: str
) -> None:
    order = kucoin_exchange.add_order()

    ran = cli("kucoin", "partial", order.order_id, "--symbol", "BTC-USDT", "--size", size,
              "--json", "--base-url", kucoin_exchange.base_url, kucoin=kucoin_exchange)  # fmt: skip

    assert ran.code == BAD_INPUT, ran
    assert ran.json()["error"]["type"] == "InvalidRequest"
    assert "--size" in ran.json()["error"]["message"]  # the option the user typed
    assert kucoin_exchange.received == []
    assert kucoin_exchange.order(order.order_id).state == "live"


@pytest.mark.parametrize(
    "args",
    [
        ["symbol", "BTC-USD\u0663"],
        ["order", "671124f9365ccb00073debd\u0664", "--symbol", "BTC-USDT"],
    ],
    ids=["symbol", "order-id"],
)
def test_kucoin_ids_in_unicode_digits_are_2(
    cli: Cli, kucoin_exchange: KucoinExchange, args: list[str]
) -> None:
    ran = cli("kucoin", *args, "--base-url", kucoin_exchange.base_url, kucoin=kucoin_exchange)

    assert ran.code == BAD_INPUT, ran
    assert kucoin_exchange.received == []


def test_a_kuest_id_in_unicode_digits_is_2(cli: Cli, kuest_exchange: KuestExchange) -> None:
    live = kuest_exchange.add_order()

    ran = cli("kuest", "orders", live.order_id, "0x\uff11\uff12", "--batch",
              "--base-url", kuest_exchange.base_url, kuest=kuest_exchange)  # fmt: skip

    assert ran.code == BAD_INPUT, ran
    assert kuest_exchange.received == []
    assert kuest_exchange.order(live.order_id).state == "live"
