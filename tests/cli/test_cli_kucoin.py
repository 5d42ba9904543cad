"""`ordercancel kucoin ...` end to end: each action's success against the served simulator."""

from __future__ import annotations

from decimal import Decimal
from typing import TYPE_CHECKING

from ordercancel.testing import KucoinExchange

if TYPE_CHECKING:
    from conftest import Cli  # the fixture's type; never imported at run time


def test_order_by_id_cancels_it_and_says_so(cli: Cli, kucoin_exchange: KucoinExchange) -> None:
    order = kucoin_exchange.add_order("BTC-USDT", "0.5")
    other = kucoin_exchange.add_order("BTC-USDT", "0.5")

    ran = cli(
        "kucoin", "order", order.order_id, "--symbol", "BTC-USDT",
        "--base-url", kucoin_exchange.base_url, kucoin=kucoin_exchange,
    )  # fmt: skip

    assert ran.code == 0, ran
    assert ran.out.startswith("ok: ")
    assert order.order_id in ran.out
    assert ran.err == ""
    assert kucoin_exchange.order(order.order_id).state == "cancelled"
    assert kucoin_exchange.order(other.order_id).state == "live"
    [request] = kucoin_exchange.received
    assert request.method == "DELETE"
    assert request.raw_target == f"/api/v1/hf/orders/{order.order_id}?symbol=BTC-USDT"


def test_order_by_id_json(cli: Cli, kucoin_exchange: KucoinExchange) -> None:
    order = kucoin_exchange.add_order("ETH-USDT", "2")

    ran = cli(
        "kucoin", "order", order.order_id, "--symbol", "ETH-USDT", "--json",
        "--base-url", kucoin_exchange.base_url, kucoin=kucoin_exchange,
    )  # fmt: skip

    assert ran.code == 0, ran
    assert ran.json() == {"ok": True, "result": {"order_id": order.order_id}}
    assert kucoin_exchange.order(order.order_id).state == "cancelled"


def test_client_oid_cancels_the_tagged_order(cli: Cli, kucoin_exchange: KucoinExchange) -> None:
    tagged = kucoin_exchange.add_order("BTC-USDT", "0.2", client_oid="grid level 7")
    untagged = kucoin_exchange.add_order("BTC-USDT", "0.2")

    ran = cli(
        "kucoin", "client-oid", "grid level 7", "--symbol", "BTC-USDT", "--json",
        "--base-url", kucoin_exchange.base_url, kucoin=kucoin_exchange,
    )  # fmt: skip

    assert ran.code == 0, ran
    assert ran.json() == {"ok": True, "result": {"client_oid": "grid level 7"}}
    assert kucoin_exchange.order(tagged.order_id).state == "cancelled"
    assert kucoin_exchange.order(untagged.order_id).state == "live"


def test_partial_cancels_only_the_size_given(cli: Cli, kucoin_exchange: KucoinExchange) -> None:
    order = kucoin_exchange.add_order("BTC-USDT", "1")

    ran = cli(
        "kucoin", "partial", order.order_id, "--symbol", "BTC-USDT", "--size", "0.25", "--json",
        "--base-url", kucoin_exchange.base_url, kucoin=kucoin_exchange,
    )  # fmt: skip

    assert ran.code == 0, ran
    assert ran.json() == {
        "ok": True,
        "result": {"order_id": order.order_id, "cancel_size": "0.25"},
    }
    after = kucoin_exchange.order(order.order_id)
    assert after.canceled_size == Decimal("0.25")
    assert after.remaining == Decimal("0.75")
    assert after.state == "live"


def test_symbol_cancels_that_symbol_only(cli: Cli, kucoin_exchange: KucoinExchange) -> None:
    eth = [kucoin_exchange.add_order("ETH-USDT", size) for size in ("2", "3")]
    btc = kucoin_exchange.add_order("BTC-USDT", "1")

    ran = cli(
        "kucoin", "symbol", "ETH-USDT",
        "--base-url", kucoin_exchange.base_url, kucoin=kucoin_exchange,
    )  # fmt: skip

    assert ran.code == 0, ran
    assert "ok" in ran.out
    assert "ETH-USDT" in ran.out
    assert [kucoin_exchange.order(o.order_id).state for o in eth] == ["cancelled"] * 2
    assert kucoin_exchange.order(btc.order_id).state == "live"


def test_all_with_yes_cancels_every_symbol(cli: Cli, kucoin_exchange: KucoinExchange) -> None:
    for symbol in ("BTC-USDT", "ETH-USDT", "KCS-USDT"):
        kucoin_exchange.add_order(symbol, "1")

    ran = cli(
        "kucoin", "all", "--yes", "--json",
        "--base-url", kucoin_exchange.base_url, kucoin=kucoin_exchange,
    )  # fmt: skip

    assert ran.code == 0, ran
    answer = ran.json()
    assert answer["ok"] is True
    assert sorted(answer["result"]["succeeded_symbols"]) == ["BTC-USDT", "ETH-USDT", "KCS-USDT"]
    assert answer["result"]["failed_symbols"] == []
    assert kucoin_exchange.orders(state="live") == []
    assert len(kucoin_exchange.orders(state="cancelled")) == 3
