"""What `ordercancel` says, in a subprocess as a shell would see it (issue 18, item 3).

Messages name the options the user typed (`--market`, `--asset-id`, `--size`, `ORDER_ID`),
never the library's Python parameters; a negative size is "must be positive"; a base URL is
shown as typed, port included; `--json` keeps every error, usage mistakes included, one JSON
object on stdout; a retry is one readable stderr line.
"""

from __future__ import annotations

import re
import socket
from typing import TYPE_CHECKING

import pytest
from ordercancel.cli import EXIT_CODES
from ordercancel.testing import KucoinExchange, KuestExchange

if TYPE_CHECKING:
    from conftest import Cli  # the fixture's type; never imported at run time

BAD_INPUT = 2
PYTHON_NAMES = re.compile(r"\b(cancel_size|asset_id|order_ids?|client_oid|base_url)\b")


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port  # nothing listens on it any more


# -- the options' names, not Python's -------------------------------------------------------


@pytest.mark.parametrize("json_flag", [(), ("--json",)], ids=["text", "json"])
def test_market_without_a_filter_names_both_options(
    cli: Cli, kuest_exchange: KuestExchange, json_flag: tuple[str, ...]
) -> None:
    ran = cli("kuest", "market", *json_flag, "--base-url", kuest_exchange.base_url,
              kuest=kuest_exchange)  # fmt: skip

    assert ran.code == BAD_INPUT, ran
    message = ran.json()["error"]["message"] if json_flag else ran.err
    assert "--market" in message
    assert "--asset-id" in message
    assert not PYTHON_NAMES.search(message), message
    assert kuest_exchange.received == []


@pytest.mark.parametrize(
    ("args", "named"),
    [
        (["kuest", "market", "--asset-id", "two words"], "--asset-id"),
        (["kuest", "market", "--market", "0x5f 65"], "--market"),
        (["kuest", "orders", "ord_1", ""], "ORDER_ID"),
        (["kucoin", "order", "xyz", "--symbol", "BTC-USDT"], "ORDER_ID"),
        (["kucoin", "client-oid", "a/b", "--symbol", "BTC-USDT"], "CLIENT_OID"),
        (["kucoin", "order", "abc", "--symbol", "btc-usdt"], "--symbol"),
        (["kucoin", "symbol", "btc-usdt"], "SYMBOL"),
        (["kucoin", "partial", "abc", "--symbol", "BTC-USDT", "--size", "1,5"], "--size"),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else value,
)
def test_a_bad_value_is_named_as_typed(
    cli: Cli, kucoin_exchange: KucoinExchange, args: list[str], named: str
) -> None:
    base_url = kucoin_exchange.base_url  # nothing may reach it (Kuest too: the same check)

    ran = cli(*args, "--base-url", base_url, kucoin=kucoin_exchange,
              env={"KUEST_ADDRESS": "0x" + "1" * 40, "KUEST_API_KEY": "k",
                   "KUEST_API_SECRET": "c2VjcmV0", "KUEST_API_PASSPHRASE": "p"})  # fmt: skip

    assert ran.code == BAD_INPUT, ran
    assert ran.err.startswith(f"error ({EXIT_CODES[BAD_INPUT]}): ")
    assert named in ran.err
    assert not PYTHON_NAMES.search(ran.err), ran.err
    assert kucoin_exchange.received == []


def test_a_value_that_spells_a_parameter_name_is_left_as_typed(
    cli: Cli, kucoin_exchange: KucoinExchange
) -> None:
    ran = cli("kucoin", "symbol", "cancel_size", "--base-url", kucoin_exchange.base_url,
              kucoin=kucoin_exchange)  # fmt: skip

    assert ran.code == BAD_INPUT, ran
    assert ran.err.rstrip().endswith("got 'cancel_size'")
    assert "SYMBOL must be" in ran.err


# -- a negative size --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "size_args",
    [["--size", "-1"], ["--size", "-0.5"], ["--size", "-1e5"], ["--size=-1"], ["--size", "-0"]],
    ids=lambda args: " ".join(args),
)
def test_a_negative_size_must_be_positive(
    cli: Cli, kucoin_exchange: KucoinExchange, size_args: list[str]
) -> None:
    order = kucoin_exchange.add_order("BTC-USDT", "1")

    ran = cli("kucoin", "partial", order.order_id, "--symbol", "BTC-USDT", *size_args,
              "--base-url", kucoin_exchange.base_url, kucoin=kucoin_exchange)  # fmt: skip

    assert ran.code == BAD_INPUT, ran
    assert "usage:" not in ran.err  # not mistaken for an option
    assert "--size must be positive" in ran.err
    assert kucoin_exchange.received == []
    assert kucoin_exchange.order(order.order_id).remaining == 1


def test_a_size_flag_with_no_value_is_still_a_usage_error(
    cli: Cli, kucoin_exchange: KucoinExchange
) -> None:
    ran = cli("kucoin", "partial", "abc", "--symbol", "BTC-USDT", "--size", "--json",
              "--base-url", kucoin_exchange.base_url, kucoin=kucoin_exchange)  # fmt: skip

    assert ran.code == BAD_INPUT, ran
    error = ran.json()["error"]
    assert error["type"] == "UsageError"
    assert "--size" in error["message"]


# -- base URLs keep their port ------------------------------------------------------------------


@pytest.mark.parametrize("base_url", ["https://:443/api", "ws://127.0.0.1:80", "ftp://host:21"])
def test_a_refused_base_url_is_shown_as_typed(
    cli: Cli, kucoin_exchange: KucoinExchange, base_url: str
) -> None:
    ran = cli("kucoin", "symbol", "BTC-USDT", "--json", "--base-url", base_url,
              kucoin=kucoin_exchange)  # fmt: skip

    assert ran.code == BAD_INPUT, ran
    message = ran.json()["error"]["message"]
    assert message.startswith("--base-url must be http(s)://"), message
    assert repr(base_url) in message  # port and all


@pytest.mark.parametrize(
    "base_url", ["", "http://127.0.0.1:99999", "http://127.0.0.1:0"], ids=["empty", "99999", "0"]
)
@pytest.mark.parametrize("venue", ["kucoin", "kuest"])
def test_an_empty_or_impossible_base_url_is_refused_before_anything_is_sent(
    cli: Cli,
    kucoin_exchange: KucoinExchange,
    kuest_exchange: KuestExchange,
    base_url: str,
    venue: str,
) -> None:
    """`--base-url "$UNSET_VAR"` must not fall back to the real venue, and a port above 65535
    must not be wrapped by the resolver into another port (99999 is 34463)."""
    ran = cli(venue, "all", "--yes", "--json", "--base-url", base_url,
              kucoin=kucoin_exchange, kuest=kuest_exchange)  # fmt: skip

    assert ran.code == BAD_INPUT, ran
    assert ran.json()["error"]["message"].startswith("--base-url"), ran
    assert kucoin_exchange.received == []
    assert kuest_exchange.received == []


def test_no_answer_names_the_base_url_with_its_port(
    cli: Cli, kucoin_exchange: KucoinExchange
) -> None:
    closed = f"http://127.0.0.1:{_free_port()}"

    text = cli("kucoin", "symbol", "BTC-USDT", "--base-url", closed, kucoin=kucoin_exchange)
    as_json = cli("kucoin", "symbol", "BTC-USDT", "--json", "--base-url", closed,
                  kucoin=kucoin_exchange)  # fmt: skip

    assert text.code == as_json.code == 6, (text, as_json)
    assert f"(base URL {closed})" in text.err.splitlines()[-1]
    error = as_json.json()["error"]
    assert error["base_url"] == closed
    assert closed in error["message"]


# -- --json: one JSON object on stdout, usage mistakes included ----------------------------


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (["kucoin", "order", "abcdef", "--json"], "--symbol"),
        (["kuest", "orders", "--json"], "ORDER_ID"),
        (["kucoin", "teleport", "--json"], "teleport"),
        (["--json", "bitfinex", "all"], "bitfinex"),
        (["kuest", "orders", "ord_1", "--json", "--id-field", "order_id"], "--id-field"),
        (["sim", "--orders", "many", "--json"], "--orders"),
    ],
    ids=[
        "missing-option",
        "missing-argument",
        "unknown-action",
        "unknown-venue",
        "bad-choice",
        "not-a-number",
    ],
)
def test_json_usage_mistakes_are_one_json_object_on_stdout(
    cli: Cli, args: list[str], says: str
) -> None:
    ran = cli(*args)

    assert ran.code == BAD_INPUT, ran
    assert ran.err == ""
    answer = ran.json()
    assert answer["ok"] is False
    assert answer["error"]["type"] == "UsageError"
    assert says in answer["error"]["message"]
    assert answer["error"]["usage"].startswith("usage: ordercancel")


def test_without_json_a_usage_mistake_is_argparse_s_usage_and_error(cli: Cli) -> None:
    ran = cli("kucoin", "order", "abcdef")

    assert ran.code == BAD_INPUT, ran
    assert ran.out == ""
    assert ran.err.startswith("usage: ordercancel kucoin order")
    assert ran.err.splitlines()[-1] == (
        "ordercancel kucoin order: error: the following arguments are required: --symbol"
    )


# -- retries: one readable stderr line each ---------------------------------------------------


@pytest.mark.parametrize("json_flag", [(), ("--json",)], ids=["text", "json"])
def test_each_retry_is_one_readable_line_on_stderr(
    cli: Cli, kucoin_exchange: KucoinExchange, json_flag: tuple[str, ...]
) -> None:
    kucoin_exchange.faults.server_error(2)  # the child's default policy: 3 attempts

    ran = cli("kucoin", "symbol", "BTC-USDT", *json_flag, "--base-url", kucoin_exchange.base_url,
              kucoin=kucoin_exchange)  # fmt: skip

    assert ran.code == 0, ran
    lines = ran.err.splitlines()
    assert len(lines) == 2, ran.err
    for attempt, line in enumerate(lines, start=1):
        assert line.startswith(f"retrying cancel_all_orders_by_symbol after attempt {attempt} of")
        assert "KucoinServerError: KuCoin HTTP 503" in line
    assert "stamina" not in ran.err
    if json_flag:
        assert ran.json()["ok"] is True
    else:
        assert ran.out.startswith("ok: ")
    assert kucoin_exchange.faults.pending == 0  # both 503s were answered, then the cancel
    assert [r.status for r in kucoin_exchange.received] == [200]


# -- keys: named by their environment variables -------------------------------------------------


@pytest.mark.parametrize(
    ("args", "env", "named"),
    [
        (["kuest", "all", "--yes"],
         {"KUEST_ADDRESS": "0x" + "1" * 40, "KUEST_API_KEY": "k", "KUEST_API_SECRET": "!!not64",
          "KUEST_API_PASSPHRASE": "p"},
         "KUEST_API_SECRET is not valid base64"),
        (["kucoin", "all", "--yes"],
         {"KUCOIN_API_KEY": "k", "KUCOIN_API_SECRET": "s", "KUCOIN_API_PASSPHRASE": "p",
          "KUCOIN_API_KEY_VERSION": "7"},
         "KUCOIN_API_KEY_VERSION must be one of"),
    ],
    ids=["kuest-secret", "kucoin-key-version"],
)  # fmt: skip
def test_a_bad_key_is_named_by_its_environment_variable(
    cli: Cli, args: list[str], env: dict[str, str], named: str
) -> None:
    ran = cli(*args, "--base-url", f"http://127.0.0.1:{_free_port()}", env=env)

    assert ran.code == BAD_INPUT, ran
    assert named in ran.err
    assert "Keys." not in ran.err  # not KuestKeys.api_secret, a name the user never typed
    assert "!!not64" not in ran.err
