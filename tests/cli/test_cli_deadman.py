"""`ordercancel kucoin order|client-oid --wait`, `kucoin dcp ...` and `kuest heartbeat`, run in a
subprocess against the served simulator (Ctrl-C is a real SIGINT)."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING

import pytest
from ordercancel.cli import EXIT_CODES, main
from ordercancel.testing import KucoinExchange, KuestExchange

if TYPE_CHECKING:
    from conftest import Cli, Ran  # the fixture's types; never imported at run time

COMMAND = (sys.executable, "-m", "ordercancel.cli")


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Wait (at most 30 s: a liveness bound, not a timing assertion) for `condition`."""
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.01)


def _kucoin(cli: Cli, ex: KucoinExchange, *args: str) -> Ran:
    return cli("kucoin", *args, "--base-url", ex.base_url, kucoin=ex)


# --- cancel and wait for the final state --------------------------------------------------------


def test_order_wait_prints_the_final_state(cli: Cli, kucoin_exchange: KucoinExchange) -> None:
    ex = kucoin_exchange
    order = ex.add_order("BTC-USDT", "2", filled="0.5")
    ran = _kucoin(cli, ex, "order", order.order_id, "--symbol", "BTC-USDT", "--wait")
    assert ran.code == 0, ran
    assert ran.out == (
        f"ok: order {order.order_id}: done (size 2, filled 0.5, cancelled 1.5, remaining 0.0)\n"
    )
    assert [r.raw_target for r in ex.received] == [
        f"/api/v1/hf/orders/sync/{order.order_id}?symbol=BTC-USDT"
    ]
    assert ex.order(order.order_id).state == "cancelled"


def test_order_wait_json_is_one_object(cli: Cli, kucoin_exchange: KucoinExchange) -> None:
    ex = kucoin_exchange
    order = ex.add_order("ETH-USDT", "1", filled="0.25")
    ran = _kucoin(cli, ex, "order", order.order_id, "--symbol", "ETH-USDT", "--wait", "--json")
    assert ran.code == 0, ran
    result = ran.json()["result"]
    assert ran.json()["ok"] is True
    assert (result["order_id"], result["client_oid"], result["status"]) == (
        order.order_id,
        None,
        "done",
    )
    after = ex.order(order.order_id)
    assert Decimal(result["deal_size"]) == after.filled_size == Decimal("0.25")
    assert Decimal(result["canceled_size"]) == after.canceled_size == Decimal("0.75")
    assert Decimal(result["remain_size"]) == after.remaining == 0


def test_client_oid_wait_json(cli: Cli, kucoin_exchange: KucoinExchange) -> None:
    ex = kucoin_exchange
    order = ex.add_order("BTC-USDT", "1", client_oid="grid level 7")
    ran = _kucoin(cli, ex, "client-oid", "grid level 7", "--symbol", "BTC-USDT", "--wait", "--json")
    assert ran.code == 0, ran
    assert ran.json()["result"]["client_oid"] == "grid level 7"
    assert ran.json()["result"]["status"] == "done"
    [request] = ex.received
    assert request.raw_target.startswith("/api/v1/hf/orders/sync/client-order/")
    assert ex.order(order.order_id).state == "cancelled"


def test_an_order_still_open_fails_with_its_state(
    cli: Cli, kucoin_exchange: KucoinExchange
) -> None:
    ex = kucoin_exchange
    order = ex.add_order("BTC-USDT", "1")
    ex.sync_cancels.leave_open(order.order_id)
    ran = _kucoin(cli, ex, "order", order.order_id, "--symbol", "BTC-USDT", "--wait", "--json")
    assert ran.code == 1, ran
    error = ran.json()["error"]
    assert ran.json()["ok"] is False
    assert error["type"] == "KucoinOrderStillOpen"
    assert error["state"]["status"] == "open"
    assert error["state"]["remain_size"] == "1"
    assert ex.order(order.order_id).state == "live"


# --- Disconnection Protection -------------------------------------------------------------------


def test_dcp_set_show_clear(cli: Cli, kucoin_exchange: KucoinExchange) -> None:
    ex = kucoin_exchange
    ran = _kucoin(cli, ex, "dcp", "set", "--timeout", "30", "--symbols", "BTC-USDT,ETH-USDT",
                  "--json")  # fmt: skip
    assert ran.code == 0, ran
    setting = ex.dcp.setting()
    assert setting is not None
    assert (setting.timeout_s, setting.symbols) == (30, ("BTC-USDT", "ETH-USDT"))
    assert ran.json()["result"]["trigger_time"] == setting.trigger_time
    shown = _kucoin(cli, ex, "dcp", "show", "--json")
    assert shown.json()["result"]["symbols"] == ["BTC-USDT", "ETH-USDT"]
    assert shown.json()["result"]["timeout_s"] == 30
    cleared = _kucoin(cli, ex, "dcp", "clear")
    assert (cleared.code, cleared.out) == (0, "ok: cleared\n")
    assert ex.dcp.setting() is None
    none = _kucoin(cli, ex, "dcp", "show")
    assert (none.code, none.out) == (0, "ok: no Disconnection Protection set\n")
    assert _kucoin(cli, ex, "dcp", "show", "--json").json() == {"ok": True, "result": None}


@pytest.mark.parametrize("timeout", ["60000000", "4", "0", "86401"])
def test_an_out_of_range_timeout_is_2_and_says_seconds(
    cli: Cli, kucoin_exchange: KucoinExchange, timeout: str
) -> None:
    ran = _kucoin(cli, kucoin_exchange, "dcp", "set", "--timeout", timeout)
    assert ran.code == 2, ran
    assert "seconds" in ran.err
    assert kucoin_exchange.received == []


@pytest.mark.parametrize("timeout", ["30.5", "30s", "thirty"])
def test_a_timeout_that_is_no_whole_number_is_2_and_says_seconds(
    cli: Cli, kucoin_exchange: KucoinExchange, timeout: str
) -> None:
    ran = _kucoin(cli, kucoin_exchange, "dcp", "set", "--timeout", timeout)
    assert ran.code == 2, ran
    assert "SECONDS" in ran.err
    assert kucoin_exchange.received == []


def _spawn(args: list[str], env: dict[str, str]) -> subprocess.Popen[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KUCOIN_", "KUEST_"))}
    return subprocess.Popen(
        [*COMMAND, *args],
        env=clean | env,
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.fixture
def spawned() -> Iterator[list[subprocess.Popen[str]]]:
    children: list[subprocess.Popen[str]] = []
    yield children
    for child in children:
        if child.poll() is None:
            child.kill()
        child.communicate()


def _first_line(child: subprocess.Popen[str]) -> str:
    assert child.stdout is not None
    line = child.stdout.readline()
    if not line:
        _, err = child.communicate(timeout=30)
        pytest.fail(f"exited {child.returncode} before saying anything: {err}")
    return line


def test_dcp_keep_renews_until_ctrl_c_then_clears(
    kucoin_exchange: KucoinExchange, spawned: list[subprocess.Popen[str]]
) -> None:
    ex = kucoin_exchange
    order = ex.add_order("BTC-USDT", "1")
    env = {
        "KUCOIN_API_KEY": ex.keys.api_key,
        "KUCOIN_API_SECRET": ex.keys.api_secret,
        "KUCOIN_API_PASSPHRASE": ex.keys.api_passphrase,
    }
    args = ["kucoin", "dcp", "keep", "--timeout", "5", "--symbols", "BTC-USDT",
            "--renew-every", "0.1", "--base-url", ex.base_url]  # fmt: skip
    child = _spawn(args, env)
    spawned.append(child)
    assert _first_line(child).startswith("armed: KuCoin cancels BTC-USDT 5 s after")
    wait_until(lambda: sum(r.method == "POST" for r in ex.received) >= 3, "renewals")
    assert ex.dcp.setting() is not None
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert out.startswith("ok: cleared after ")
    assert ex.dcp.setting() is None
    ex.advance(60)
    assert ex.order(order.order_id).state == "live"


# --- Kuest heartbeats ----------------------------------------------------------------------------


def test_kuest_heartbeat_beats_until_ctrl_c_and_says_what_follows(
    kuest_exchange: KuestExchange, spawned: list[subprocess.Popen[str]]
) -> None:
    ex = kuest_exchange
    order = ex.add_order()
    env = {
        "KUEST_ADDRESS": ex.keys.address,
        "KUEST_API_KEY": ex.keys.api_key,
        "KUEST_API_SECRET": ex.keys.api_secret,
        "KUEST_API_PASSPHRASE": ex.keys.api_passphrase,
    }
    child = _spawn(["kuest", "heartbeat", "--interval", "0.1", "--base-url", ex.base_url], env)
    spawned.append(child)
    assert "about 10 s" in _first_line(child)
    wait_until(lambda: sum(r.status == 200 for r in ex.received) >= 3, "heartbeats")
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=30)
    assert child.returncode == 0, err
    assert "Kuest cancels every open order" in out
    assert ex.order(order.order_id).state == "live"
    ex.advance(11)
    assert ex.order(order.order_id).state == "canceled"


def test_kuest_heartbeat_interval_of_10_s_or_more_is_2(
    cli: Cli, kuest_exchange: KuestExchange
) -> None:
    ran = cli("kuest", "heartbeat", "--interval", "10", "--base-url", kuest_exchange.base_url,
              kuest=kuest_exchange)  # fmt: skip
    assert ran.code == 2, ran
    assert "10" in ran.err
    assert kuest_exchange.received == []


@pytest.mark.parametrize(
    "page",
    [
        ("kucoin", "dcp"),
        ("kucoin", "dcp", "set"),
        ("kucoin", "dcp", "show"),
        ("kucoin", "dcp", "clear"),
        ("kucoin", "dcp", "keep"),
        ("kuest", "heartbeat"),
    ],
)
def test_every_new_help_page_lists_the_exit_codes(cli: Cli, page: tuple[str, ...]) -> None:
    ran = cli(*page, "--help")
    assert ran.code == 0, ran
    flowing = " ".join(ran.out.split())  # a long exit-code line wraps
    assert all(f"{n} {meaning}" in flowing for n, meaning in EXIT_CODES.items())


# --- the same commands in-process (the subprocess tests above are the real thing) --------------


@pytest.fixture
def kucoin_keys_env(
    monkeypatch: pytest.MonkeyPatch, kucoin_exchange: KucoinExchange
) -> KucoinExchange:
    for name in [n for n in os.environ if n.startswith(("KUCOIN_", "KUEST_"))]:
        monkeypatch.delenv(name)
    monkeypatch.setenv("KUCOIN_API_KEY", kucoin_exchange.keys.api_key)
    monkeypatch.setenv("KUCOIN_API_SECRET", kucoin_exchange.keys.api_secret)
    monkeypatch.setenv("KUCOIN_API_PASSPHRASE", kucoin_exchange.keys.api_passphrase)
    return kucoin_exchange


def test_in_process_dcp_and_wait(
    kucoin_keys_env: KucoinExchange,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    ex = kucoin_keys_env
    url = ["--base-url", ex.base_url]
    assert main(["kucoin", "dcp", "set", "--timeout", "30", *url]) == 0
    assert "armed: KuCoin cancels at" in capsys.readouterr().out
    assert main(["kucoin", "dcp", "show", *url]) == 0
    assert "set: timeout 30 s on every symbol" in capsys.readouterr().out
    assert main(["kucoin", "dcp", "set", "--timeout", "-1", *url]) == 0
    assert capsys.readouterr().out == "ok: cleared\n"
    assert main(["kucoin", "dcp", "set", "--timeout", "3", *url]) == 2
    assert "seconds" in capsys.readouterr().err
    monkeypatch.setattr("ordercancel.cli._until_interrupted", lambda: None)  # Ctrl-C at once
    assert main(["kucoin", "dcp", "keep", "--timeout", "5", "--json", *url]) == 0
    captured = capsys.readouterr()
    assert captured.err.startswith("armed: ")  # stdout stays one JSON object
    assert json.loads(captured.out)["result"]["cleared"] is True
    assert ex.dcp.setting() is None
    order = ex.add_order("BTC-USDT", "1", client_oid="c1")
    assert main(["kucoin", "client-oid", "c1", "--symbol", "BTC-USDT", "--wait", *url]) == 0
    assert capsys.readouterr().out.startswith("ok: order client oid 'c1': done")
    assert ex.order(order.order_id).state == "cancelled"


def test_in_process_heartbeat(
    kuest_exchange: KuestExchange,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in [n for n in os.environ if n.startswith(("KUCOIN_", "KUEST_"))]:
        monkeypatch.delenv(name)
    keys = kuest_exchange.keys
    monkeypatch.setenv("KUEST_ADDRESS", keys.address)
    monkeypatch.setenv("KUEST_API_KEY", keys.api_key)
    monkeypatch.setenv("KUEST_API_SECRET", keys.api_secret)
    monkeypatch.setenv("KUEST_API_PASSPHRASE", keys.api_passphrase)
    monkeypatch.setattr("ordercancel.cli._until_interrupted", lambda: None)
    args = ["kuest", "heartbeat", "--base-url", kuest_exchange.base_url, "--json"]
    assert main(args) == 0
    assert json.loads(capsys.readouterr().out)["result"] == {"heartbeats": 1, "failures": 0}
    assert kuest_exchange.heartbeats.session() is not None
    kuest_exchange.heartbeats.path = "/v1/heartbeats"  # Kuest moved it: the first beat fails
    assert main(args) == 1  # a failure, not "order not found" (4)
    error = json.loads(capsys.readouterr().out)["error"]
    assert (error["type"], error["status_code"]) == ("KuestAPIError", 404)
    assert "heartbeat_path" in error["message"]
