"""Every exit code of `ordercancel`, each reached end to end against the served simulator.

0 success                 (test_cli_kucoin.py, test_cli_kuest.py)
1 any other failure       2 bad input / usage / configuration, nothing sent
3 authentication          4 not found or not cancellable
5 rate limited            6 no answer (connection refused, connection dropped)
7 a retry found the order gone after an earlier attempt may have cancelled it
"""

from __future__ import annotations

import contextlib
import os
import pty
import socket
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest
from ordercancel import KucoinSpotCancelOrder, KuestCancelOrder
from ordercancel import cli as command
from ordercancel.cli import EXIT_CODES
from ordercancel.testing import KucoinExchange, KuestExchange

if TYPE_CHECKING:
    from conftest import Cli  # the fixture's type; never imported at run time

OK, FAILED, BAD_INPUT, AUTH, NOT_CANCELLABLE, RATE_LIMITED, TRANSPORT, MAYBE_CANCELLED = range(8)


def test_the_numbers_are_the_documented_ones() -> None:
    # Scripts test these numbers: they are a contract, pinned here rather than imported.
    names = ("OK", "FAILED", "BAD_INPUT", "AUTH", "NOT_CANCELLABLE", "RATE_LIMITED", "TRANSPORT",
             "MAYBE_CANCELLED")  # fmt: skip
    assert [getattr(command, name) for name in names] == list(range(8))
    assert sorted(EXIT_CODES) == list(range(8))


# -- 2: bad input, usage, configuration; nothing is sent -----------------------------------


@pytest.mark.parametrize(
    ("args", "error_type", "says"),
    [
        (["order", "abc/def", "--symbol", "BTC-USDT"], "InvalidRequest", "ORDER_ID"),
        (["partial", "abcdef", "--symbol", "BTC-USDT", "--size", "-1"], "InvalidRequest", "-1"),
        (["symbol", "btc/usdt"], "InvalidRequest", "SYMBOL"),
    ],
    ids=["order-id-with-slash", "negative-size", "bad-symbol"],
)
def test_kucoin_bad_input_is_2_and_nothing_is_sent(
    cli: Cli, kucoin_exchange: KucoinExchange, args: list[str], error_type: str, says: str
) -> None:
    ran = cli("kucoin", *args, "--json", "--base-url", kucoin_exchange.base_url,
              kucoin=kucoin_exchange)  # fmt: skip

    assert ran.code == BAD_INPUT, ran
    error = ran.json()["error"]
    assert ran.json()["ok"] is False
    assert error["type"] == error_type
    assert says in error["message"]
    assert kucoin_exchange.received == []


def test_kuest_bad_input_is_2_and_nothing_is_sent(cli: Cli, kuest_exchange: KuestExchange) -> None:
    live = kuest_exchange.add_order()

    ran = cli("kuest", "orders", live.order_id, "", "--base-url", kuest_exchange.base_url,
              kuest=kuest_exchange)  # fmt: skip

    assert ran.code == BAD_INPUT, ran
    assert ran.out == ""
    assert ran.err.startswith(f"error ({EXIT_CODES[BAD_INPUT]}): ")
    assert "empty" in ran.err
    assert kuest_exchange.received == []
    assert kuest_exchange.order(live.order_id).state == "live"


def test_a_base_url_with_a_query_is_2_and_nothing_is_sent(
    cli: Cli, kucoin_exchange: KucoinExchange
) -> None:
    ran = cli("kucoin", "symbol", "BTC-USDT", "--json",
              "--base-url", f"{kucoin_exchange.base_url}?x=1", kucoin=kucoin_exchange)  # fmt: skip

    assert ran.code == BAD_INPUT, ran
    assert ran.json()["error"]["type"] == "ConfigurationError"
    assert kucoin_exchange.received == []


@pytest.mark.parametrize(
    "args",
    [
        ["kucoin", "order", "abcdef"],  # --symbol is required
        ["kuest", "orders"],  # at least one id
        ["bitfinex", "all"],  # no such venue
    ],
    ids=["missing-option", "missing-argument", "unknown-command"],
)
def test_usage_errors_are_2(cli: Cli, args: list[str]) -> None:
    ran = cli(*args)

    assert ran.code == BAD_INPUT, ran
    assert ran.out == ""
    assert "usage: ordercancel" in ran.err
    assert "error:" in ran.err


def test_missing_kucoin_key_is_2_naming_the_variable_never_a_value(
    cli: Cli, kucoin_exchange: KucoinExchange
) -> None:
    order = kucoin_exchange.add_order()

    ran = cli("kucoin", "order", order.order_id, "--symbol", "BTC-USDT",
              "--base-url", kucoin_exchange.base_url, kucoin=kucoin_exchange,
              env={"KUCOIN_API_SECRET": None})  # fmt: skip

    assert ran.code == BAD_INPUT, ran
    assert "KUCOIN_API_SECRET" in ran.err
    keys = kucoin_exchange.keys
    for value in (keys.api_key, keys.api_secret, keys.api_passphrase):
        assert value not in ran.out + ran.err
    assert kucoin_exchange.received == []


def test_missing_kuest_key_is_2_naming_the_variable_never_a_value(
    cli: Cli, kuest_exchange: KuestExchange
) -> None:
    order = kuest_exchange.add_order()

    ran = cli("kuest", "orders", order.order_id, "--json",
              "--base-url", kuest_exchange.base_url, kuest=kuest_exchange,
              env={"KUEST_API_PASSPHRASE": ""})  # fmt: skip

    assert ran.code == BAD_INPUT, ran
    assert ran.json()["error"]["type"] == "ConfigurationError"
    assert "KUEST_API_PASSPHRASE" in ran.json()["error"]["message"]
    keys = kuest_exchange.keys
    for value in (keys.address, keys.api_key, keys.api_secret, keys.api_passphrase):
        assert value not in ran.out + ran.err
    assert kuest_exchange.received == []


# -- 3: authentication ------------------------------------------------------------------------


def test_wrong_kucoin_secret_is_3(cli: Cli, kucoin_exchange: KucoinExchange) -> None:
    order = kucoin_exchange.add_order()
    wrong = "0123456789abcdef0123456789abcdef"

    ran = cli("kucoin", "order", order.order_id, "--symbol", "BTC-USDT",
              "--base-url", kucoin_exchange.base_url, kucoin=kucoin_exchange,
              env={"KUCOIN_API_SECRET": wrong})  # fmt: skip

    assert ran.code == AUTH, ran
    assert ran.err.startswith(f"error ({EXIT_CODES[AUTH]}): ")
    assert wrong not in ran.out + ran.err
    assert kucoin_exchange.order(order.order_id).state == "live"
    assert [r.status for r in kucoin_exchange.received] == [401]  # not retried


def test_wrong_kuest_secret_is_3(cli: Cli, kuest_exchange: KuestExchange) -> None:
    order = kuest_exchange.add_order()
    wrong = "d3JvbmcgYnV0IHZhbGlkIGJhc2U2NCBzZWNyZXQ="

    ran = cli("kuest", "orders", order.order_id, "--json",
              "--base-url", kuest_exchange.base_url, kuest=kuest_exchange,
              env={"KUEST_API_SECRET": wrong})  # fmt: skip

    assert ran.code == AUTH, ran
    [outcome] = ran.json()["outcomes"]
    assert outcome["error"]["status_code"] == 401
    assert wrong not in ran.out + ran.err
    assert kuest_exchange.order(order.order_id).state == "live"


# -- 4: not found or not cancellable ------------------------------------------------------------


def test_kucoin_cancel_twice_is_0_then_4(cli: Cli, kucoin_exchange: KucoinExchange) -> None:
    order = kucoin_exchange.add_order()
    args = ("kucoin", "order", order.order_id, "--symbol", "BTC-USDT", "--json",
            "--base-url", kucoin_exchange.base_url)  # fmt: skip

    first = cli(*args, kucoin=kucoin_exchange)
    second = cli(*args, kucoin=kucoin_exchange)

    assert first.code == OK, first
    assert second.code == NOT_CANCELLABLE, second
    assert second.json() == {
        "ok": False,
        "error": {
            "type": "KucoinOrderNotCancellable",
            "message": "KuCoin HTTP 200, code 400100: order_not_exist_or_not_allow_to_cancel",
            "status_code": 200,
            "code": "400100",
            "msg": "order_not_exist_or_not_allow_to_cancel",
            "retry_after": None,
        },
    }


def test_kuest_cancel_twice_is_0_then_4(cli: Cli, kuest_exchange: KuestExchange) -> None:
    order = kuest_exchange.add_order()
    args = ("kuest", "orders", order.order_id, "--base-url", kuest_exchange.base_url)

    first = cli(*args, kuest=kuest_exchange)
    second = cli(*args, kuest=kuest_exchange)

    assert first.code == OK, first
    assert first.out == f"{order.order_id}: cancelled\n"
    assert second.code == NOT_CANCELLABLE, second
    assert second.err.startswith(f"{order.order_id}: FAILED: ")
    assert "409" in second.err


# -- 5: rate limited ------------------------------------------------------------------------------


def test_kucoin_rate_limited_is_5(cli: Cli) -> None:
    exchange = KucoinExchange(spot_quota=1)  # one weight-1 cancel per 30 s window
    first, second = exchange.add_order(), exchange.add_order()
    with exchange.serve() as served:
        with KucoinSpotCancelOrder(keys=exchange.keys, base_url=served.base_url) as kc:
            kc.cancel_order_by_order_id(first.order_id, "BTC-USDT")  # spends the quota

        ran = cli("kucoin", "order", second.order_id, "--symbol", "BTC-USDT", "--json",
                  "--base-url", served.base_url, kucoin=exchange)  # fmt: skip

    assert ran.code == RATE_LIMITED, ran
    error = ran.json()["error"]
    assert (error["type"], error["status_code"], error["code"]) == (
        "KucoinRateLimited",
        429,
        "429000",
    )
    assert error["retry_after"] > 10  # longer than the policy waits: raised, not slept on
    assert exchange.order(second.order_id).state == "live"


def test_kuest_rate_limited_is_5(cli: Cli) -> None:
    exchange = KuestExchange(rate_limit=1)  # one request per 60 s window
    first, second = exchange.add_order(), exchange.add_order()
    with exchange.serve() as served:
        with KuestCancelOrder(keys=exchange.keys, base_url=served.base_url) as kq:
            kq.cancel_order(first.order_id)  # spends the quota

        ran = cli("kuest", "orders", second.order_id, "--base-url", served.base_url,
                  kuest=exchange)  # fmt: skip

    assert ran.code == RATE_LIMITED, ran
    assert ran.err.startswith(f"{second.order_id}: FAILED: ")
    assert "429" in ran.err
    assert exchange.order(second.order_id).state == "live"


# -- 6: no answer ---------------------------------------------------------------------------------


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # nothing listens on it any more


def test_connection_refused_is_6(cli: Cli, kucoin_exchange: KucoinExchange) -> None:
    closed = f"http://127.0.0.1:{_closed_port()}"

    ran = cli(
        "kucoin", "symbol", "BTC-USDT", "--json", "--base-url", closed, kucoin=kucoin_exchange
    )

    assert ran.code == TRANSPORT, ran
    error = ran.json()["error"]
    assert error["type"] == "APIConnectionError"
    assert error["request_sent"] is False
    assert "retrying" in ran.err  # never sent, so safely retried; stdout stays one JSON object


def test_dropped_connection_on_every_attempt_is_6(
    cli: Cli, kucoin_exchange: KucoinExchange
) -> None:
    order = kucoin_exchange.add_order()
    kucoin_exchange.faults.drop(count=3)  # the default policy's 3 attempts (a full cancel retries)

    ran = cli("kucoin", "order", order.order_id, "--symbol", "BTC-USDT", "--json",
              "--base-url", kucoin_exchange.base_url, kucoin=kucoin_exchange)  # fmt: skip

    assert ran.code == TRANSPORT, ran
    error = ran.json()["error"]
    assert error["type"] == "APIConnectionError"
    assert error["request_sent"] is True
    assert kucoin_exchange.faults.pending == 0
    assert kucoin_exchange.received == []  # no attempt reached the venue
    assert kucoin_exchange.order(order.order_id).state == "live"


def test_kuest_answer_lost_after_the_cancel_is_6(cli: Cli, kuest_exchange: KuestExchange) -> None:
    order = kuest_exchange.add_order()
    kuest_exchange.faults.drop(when="after")  # the venue cancels, then the answer is lost
    kuest_exchange.faults.drop(count=2)  # and the two retries get no answer either

    ran = cli("kuest", "orders", order.order_id, "--json",
              "--base-url", kuest_exchange.base_url, kuest=kuest_exchange)  # fmt: skip

    assert ran.code == TRANSPORT, ran
    [outcome] = ran.json()["outcomes"]
    assert outcome["error"]["type"] == "APIConnectionError"
    assert kuest_exchange.order(order.order_id).state == "canceled"
    assert len(kuest_exchange.received) == 1


# -- 1: any other failure -------------------------------------------------------------------------


def test_kuest_bulk_with_an_unknown_id_is_1_with_one_outcome_each(
    cli: Cli, kuest_exchange: KuestExchange
) -> None:
    good = [kuest_exchange.add_order() for _ in range(2)]
    ids = [good[0].order_id, "0xunknown", good[1].order_id]

    ran = cli("kuest", "orders", *ids, "--json",
              "--base-url", kuest_exchange.base_url, kuest=kuest_exchange)  # fmt: skip

    assert ran.code == FAILED, ran
    answer = ran.json()
    assert answer["ok"] is False
    assert [o["order_id"] for o in answer["outcomes"]] == ids
    assert [o["error"] is None for o in answer["outcomes"]] == [True, False, True]
    assert answer["outcomes"][1]["error"]["type"] == "KuestOrderNotFound"
    assert [kuest_exchange.order(o.order_id).state for o in good] == ["canceled"] * 2


def test_kucoin_all_with_a_suspended_symbol_is_1(cli: Cli, kucoin_exchange: KucoinExchange) -> None:
    btc = kucoin_exchange.add_order("BTC-USDT")
    sol = kucoin_exchange.add_order("SOL-USDT")
    kucoin_exchange.suspend_symbol("SOL-USDT")

    ran = cli("kucoin", "all", "--yes", "--base-url", kucoin_exchange.base_url,
              kucoin=kucoin_exchange)  # fmt: skip

    assert ran.code == FAILED, ran
    assert ran.err.startswith(f"error ({EXIT_CODES[FAILED]}): ")
    assert "SOL-USDT" in ran.err
    assert kucoin_exchange.order(btc.order_id).state == "cancelled"
    assert kucoin_exchange.order(sol.order_id).state == "live"


# -- 7: a retry found the order gone -----------------------------------------------------------
# The child runs the default policy (3 attempts): the 503 comes after the venue cancelled, the
# retry is answered "not cancellable", and only the order's state can tell what happened.


def test_kucoin_503_then_not_cancellable_is_7(cli: Cli, kucoin_exchange: KucoinExchange) -> None:
    order = kucoin_exchange.add_order()
    kucoin_exchange.faults.server_error(when="after")

    ran = cli("kucoin", "order", order.order_id, "--symbol", "BTC-USDT", "--json",
              "--base-url", kucoin_exchange.base_url, kucoin=kucoin_exchange)  # fmt: skip

    assert ran.code == MAYBE_CANCELLED, ran
    assert ran.json()["error"]["type"] == "OrderGoneAfterRetry"
    assert kucoin_exchange.order(order.order_id).state == "cancelled"
    assert [r.code for r in kucoin_exchange.received] == ["200000", "400100"]


def test_kuest_503_then_not_cancellable_is_7(cli: Cli, kuest_exchange: KuestExchange) -> None:
    order = kuest_exchange.add_order()
    kuest_exchange.faults.server_error(when="after")

    ran = cli("kuest", "orders", order.order_id, "--json",
              "--base-url", kuest_exchange.base_url, kuest=kuest_exchange)  # fmt: skip

    assert ran.code == MAYBE_CANCELLED, ran
    [outcome] = ran.json()["outcomes"]
    assert outcome["error"]["type"] == "OrderGoneAfterRetry"
    assert kuest_exchange.order(order.order_id).state == "canceled"
    assert [r.status for r in kuest_exchange.received] == [200, 409]


# -- cancel-all asks first ------------------------------------------------------------------------


def test_kucoin_all_without_yes_or_terminal_refuses(
    cli: Cli, kucoin_exchange: KucoinExchange
) -> None:
    order = kucoin_exchange.add_order()

    ran = cli("kucoin", "all", "--base-url", kucoin_exchange.base_url, kucoin=kucoin_exchange)

    assert ran.code == BAD_INPUT, ran
    assert "--yes" in ran.err
    assert kucoin_exchange.received == []
    assert kucoin_exchange.order(order.order_id).state == "live"


def test_kuest_all_without_yes_or_terminal_refuses(cli: Cli, kuest_exchange: KuestExchange) -> None:
    order = kuest_exchange.add_order()

    ran = cli("kuest", "all", "--json", "--base-url", kuest_exchange.base_url,
              kuest=kuest_exchange)  # fmt: skip

    assert ran.code == BAD_INPUT, ran
    assert "--yes" in ran.json()["error"]["message"]
    assert kuest_exchange.received == []
    assert kuest_exchange.order(order.order_id).state == "live"


@contextlib.contextmanager
def _terminal(typed: bytes) -> Iterator[int]:
    """A pseudo-terminal for the child's stdin, with `typed` already typed on it."""
    controller, terminal = pty.openpty()
    try:
        os.write(controller, typed)
        yield terminal
    finally:
        os.close(terminal)
        os.close(controller)


@pytest.mark.parametrize(
    ("typed", "code", "state"),
    [(b"n\n", BAD_INPUT, "live"), (b"y\n", OK, "cancelled"), (b"\x04", BAD_INPUT, "live")],
    ids=["no", "yes", "end-of-file"],
)
def test_kucoin_all_on_a_terminal_asks(
    cli: Cli, kucoin_exchange: KucoinExchange, typed: bytes, code: int, state: str
) -> None:
    order = kucoin_exchange.add_order()

    with _terminal(typed) as terminal:
        ran = cli("kucoin", "all", "--base-url", kucoin_exchange.base_url,
                  kucoin=kucoin_exchange, stdin=terminal)  # fmt: skip

    assert ran.code == code, ran  # Ctrl-D at the question is a "no", not a crash
    assert "Traceback" not in ran.err
    assert "Cancel ALL open orders" in ran.out + ran.err  # the question
    assert kucoin_exchange.order(order.order_id).state == state
    assert len(kucoin_exchange.received) == (code == OK)


def test_kuest_all_json_on_a_terminal_keeps_stdout_one_json_object(
    cli: Cli, kuest_exchange: KuestExchange
) -> None:
    # `ordercancel kuest all --json | jq` typed in a shell: stdin is a terminal, stdout is not.
    order = kuest_exchange.add_order()

    with _terminal(b"y\n") as terminal:
        ran = cli("kuest", "all", "--json", "--base-url", kuest_exchange.base_url,
                  kuest=kuest_exchange, stdin=terminal)  # fmt: skip

    assert ran.code == OK, ran
    assert "Cancel ALL open orders" in ran.err  # asked where the user sees it
    assert ran.json()["result"]["canceled"] == [order.order_id]


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_a_bulk_cancel_that_reaches_nothing_names_the_base_url_per_id(
    cli: Cli, kuest_exchange: KuestExchange, as_json: bool
) -> None:
    closed = f"http://127.0.0.1:{_closed_port()}"
    ids = ["0xaa", "0xbb"]

    ran = cli("kuest", "orders", *ids, "--base-url", closed, *(["--json"] if as_json else []),
              kuest=kuest_exchange)  # fmt: skip

    assert ran.code == FAILED, ran  # two ids failed: "some ids of a bulk cancel failed"
    if as_json:
        outcomes = ran.json()["outcomes"]
        assert [o["order_id"] for o in outcomes] == ids
        for outcome in outcomes:
            assert outcome["error"]["type"] == "APIConnectionError"
            assert outcome["error"]["base_url"] == closed
    else:
        failed = [line for line in ran.err.splitlines() if ": FAILED: " in line]
        assert [line.partition(":")[0] for line in failed] == ids
        assert all(line.endswith(f"(base URL {closed})") for line in failed), failed
