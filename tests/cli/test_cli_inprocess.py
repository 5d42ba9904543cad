"""The command's own code paths run in this process (where coverage sees them).

The subprocess tests are the user's view; these call `main`, `run_demo` and the simulator's
`serve_forever` directly, with pytest capturing what they print. Retries follow the suite's
stamina switch (one attempt) unless a test asks for more.
"""

from __future__ import annotations

import argparse
import json
import threading
from pathlib import Path

import pytest
import stamina
from ordercancel._demo import WIDTH, run_demo
from ordercancel._sim import SimSetupError, serve_forever
from ordercancel.cli import main, typed_names
from ordercancel.testing import KucoinExchange, KuestExchange

BAD_INPUT = 2


@pytest.fixture
def kucoin_keys(monkeypatch: pytest.MonkeyPatch, kucoin_exchange: KucoinExchange) -> str:
    keys = kucoin_exchange.keys
    for name, value in (("KUCOIN_API_KEY", keys.api_key), ("KUCOIN_API_SECRET", keys.api_secret),
                        ("KUCOIN_API_PASSPHRASE", keys.api_passphrase)):  # fmt: skip
        monkeypatch.setenv(name, value)
    return kucoin_exchange.base_url


@pytest.fixture
def kuest_keys(monkeypatch: pytest.MonkeyPatch, kuest_exchange: KuestExchange) -> str:
    keys = kuest_exchange.keys
    for name, value in (("KUEST_ADDRESS", keys.address), ("KUEST_API_KEY", keys.api_key),
                        ("KUEST_API_SECRET", keys.api_secret),
                        ("KUEST_API_PASSPHRASE", keys.api_passphrase)):  # fmt: skip
        monkeypatch.setenv(name, value)
    return kuest_exchange.base_url


def test_a_usage_mistake_with_json_is_a_json_object(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["kucoin", "order", "abc", "--json"])

    out, err = capsys.readouterr()
    assert code == BAD_INPUT
    assert err == ""
    error = json.loads(out)["error"]
    assert error["type"] == "UsageError"
    assert "--symbol" in error["message"]


def test_a_usage_mistake_without_json_is_usage_and_error(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["kuest", "orders"])

    out, err = capsys.readouterr()
    assert code == BAD_INPUT
    assert out == ""
    assert err.startswith("usage: ordercancel kuest orders")
    assert err.rstrip().endswith("error: the following arguments are required: ORDER_ID")


def test_market_without_a_filter(kuest_keys: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["kuest", "market", "--base-url", kuest_keys])

    assert code == BAD_INPUT
    assert "give --market, --asset-id, or both" in capsys.readouterr().err


@pytest.mark.parametrize("size", ["-1", "-1e5", "-.5"])
def test_a_negative_size(kucoin_keys: str, size: str, capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["kucoin", "partial", "abc", "--symbol", "BTC-USDT", "--size", size, "--json",
                 "--base-url", kucoin_keys])  # fmt: skip

    assert code == BAD_INPUT
    assert json.loads(capsys.readouterr().out)["error"]["message"] == (
        f"--size must be positive and finite, got {size!r}"
    )


def test_no_answer_names_the_base_url(capsys: pytest.CaptureFixture[str], kucoin_keys: str) -> None:
    closed = "http://127.0.0.1:9"  # the discard port: nothing listens there

    code = main(["kucoin", "symbol", "BTC-USDT", "--base-url", closed])

    assert code == 6
    assert capsys.readouterr().err.rstrip().endswith(f"(base URL {closed})")


def test_retries_are_one_line_each(
    kucoin_keys: str, kucoin_exchange: KucoinExchange, capsys: pytest.CaptureFixture[str]
) -> None:
    kucoin_exchange.faults.server_error(2)

    with stamina.set_testing(True, attempts=3):
        code = main(["kucoin", "symbol", "BTC-USDT", "--base-url", kucoin_keys])

    out, err = capsys.readouterr()
    assert code == 0
    assert out.startswith("ok: ")
    assert [line.split(" after ")[0] for line in err.splitlines()] == [
        "retrying cancel_all_orders_by_symbol"
    ] * 2


@pytest.mark.parametrize(
    ("message", "typed"),
    [
        ("give market, asset_id, or both", "give --market, --asset-id, or both"),
        ("cancel_size is bad: 'cancel_size'", "--size is bad: 'cancel_size'"),
        ('bad order ids: [0]: order_id must not be empty ("order_id")',
         'bad order ids: [0]: ORDER_ID must not be empty ("order_id")'),
        ("symbol must be BASE-QUOTE, got 'it\\'s symbol'",
         "SYMBOL must be BASE-QUOTE, got 'it\\'s symbol'"),
    ],
)  # fmt: skip
def test_typed_names_leave_quoted_values_alone(message: str, typed: str) -> None:
    args = argparse.Namespace(action="symbol")

    assert typed_names(message, args) == typed


def test_the_demo_fits_100_columns() -> None:
    printed: list[str] = []

    assert run_demo(out=printed.append) == 0
    lines = "\n".join(printed).splitlines()
    assert max(len(line) for line in lines) <= WIDTH
    assert sum(line.startswith("   expected ") for line in lines) == 12


def _banner(**options: object) -> list[str]:
    printed: list[str] = []
    stop = threading.Event()

    def out(line: str) -> None:
        printed.append(line)
        if line == "Serving until Ctrl-C.":
            stop.set()

    serve_forever(out=out, until=stop, **options)  # type: ignore[arg-type]
    return printed


def test_sim_seeds_and_plans_in_process(tmp_path: Path) -> None:
    orders_file = tmp_path / "orders.json"
    kuest = {"orders": [{"order_id": "0xfeed"}], "faults": [{"kind": "empty", "status": 204}]}
    orders_file.write_text(json.dumps({"kuest": kuest}))

    lines = _banner(orders=1, orders_file=str(orders_file), faults=["kucoin:html:2:after"])

    text = "\n".join(lines)
    assert "671100010000000000000001  BTC-USDT" in text
    assert "671100020000000000000001  ETH-USDT" in text
    assert "ord_2b_1" in text
    assert "0xfeed" in text
    assert "Planned: KuCoin's next 2 answer(s): html (after the venue acts on it)" in lines
    assert (
        "Planned: Kuest's next 1 answer(s): empty, status 204 (the venue does not act on it)"
        in lines
    )


@pytest.mark.parametrize(
    ("options", "says"),
    [
        ({"orders": 1001}, "--orders must be from 0 to 1000"),
        ({"faults": ["kucoin:drop:once"]}, "--fault must be VENUE:KIND"),
        ({"faults": ["kuest:delay"]}, "a delay needs its seconds"),
        ({"faults": ["kuest:take"]}, "kind must be one of"),
        ({"orders_file": "/no/such/file.json"}, "No such file or directory"),
    ],
)
def test_sim_setup_errors_in_process(options: dict[str, object], says: str) -> None:
    with pytest.raises(SimSetupError, match=says):
        _banner(**options)


def test_sim_port_errors_in_process(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sim", "--kuest-port", "65536"]) == BAD_INPUT
    assert capsys.readouterr().err == (
        "ordercancel sim: error: --kuest-port must be a whole number from 0 to 65535 "
        "(0: a free port), got '65536'\n"
    )
