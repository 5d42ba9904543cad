"""`ordercancel --help`, `ordercancel demo` and `ordercancel sim`, end to end in a subprocess."""

from __future__ import annotations

import re
import signal
import socket
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from ordercancel import (
    KucoinKeys,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
    KuestCancelReport,
    KuestKeys,
    SymbolCancelAccepted,
)
from ordercancel.cli import EXIT_CODES, main
from support.cli_sim import read_banner, stdout_lines

if TYPE_CHECKING:
    from conftest import Cli, Spawn  # the fixtures' types; never imported at run time

CONSOLE_SCRIPT = str(Path(sys.executable).parent / "ordercancel")  # installed by pip
HELP_PAGES = [
    (),
    ("kucoin",),
    ("kucoin", "order"),
    ("kucoin", "client-oid"),
    ("kucoin", "partial"),
    ("kucoin", "symbol"),
    ("kucoin", "all"),
    ("kuest",),
    ("kuest", "orders"),
    ("kuest", "market"),
    ("kuest", "all"),
    ("sim",),
    ("demo",),
]


def _lists_every_exit_code(out: str) -> list[str]:
    """The exit-code lines missing from a help page (a long one wraps: compared as flowing text)."""
    flowing = " ".join(out.split())
    lines = [f"{n} {meaning}" for n, meaning in EXIT_CODES.items()]
    return [line for line in lines if line not in flowing]


@pytest.mark.parametrize(
    "command",
    [
        (sys.executable, "-m", "ordercancel.cli"),
        (str(Path(sys.executable).parent / "ordercancel"),),
    ],
    ids=["python -m ordercancel.cli", "console script"],
)
def test_help_in_a_subprocess(cli: Cli, command: tuple[str, ...]) -> None:
    ran = cli("--help", command=command)

    assert ran.code == 0, ran
    assert ran.out.startswith("usage: ordercancel ")
    assert not _lists_every_exit_code(ran.out)
    flat = " ".join(ran.out.split())
    for name in ("KUCOIN_API_KEY", "KUCOIN_API_SECRET", "KUCOIN_API_PASSPHRASE", "KUEST_ADDRESS",
                 "KUEST_API_KEY", "KUEST_API_SECRET", "KUEST_API_PASSPHRASE"):  # fmt: skip
        assert name in flat


# Each page in-process: argparse renders them, and 13 more interpreters would cost ~10 s here.
@pytest.mark.parametrize("page", HELP_PAGES, ids=lambda page: " ".join(page) or "ordercancel")
def test_every_help_page_exits_0_and_lists_the_exit_codes(
    page: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as exited:
        main([*page, "--help"])
    out = capsys.readouterr().out

    assert exited.value.code == 0
    assert out.startswith(f"usage: {' '.join(('ordercancel', *page))} ")
    missing = _lists_every_exit_code(out)
    assert not missing, f"`ordercancel {' '.join(page)} --help` does not list exit codes {missing}"


def test_demo_exits_0_and_prints_every_operation_within_100_columns(cli: Cli) -> None:
    ran = cli("demo", timeout=120)

    assert ran.code == 0, ran
    calls = re.findall(r"^ ?(\d+) (kucoin|kuest) +(\w+)\(", ran.out, re.MULTILINE)
    assert [int(number) for number, _, _ in calls] == list(range(1, len(calls) + 1))
    assert {name for _, _, name in calls} >= {
        "cancel_order_by_order_id", "cancel_order_by_client_oid", "cancel_partial_order",
        "cancel_all_orders_by_symbol", "cancel_all_orders", "cancel_order", "cancel_orders",
        "cancel_market_orders", "cancel_all",
    }  # fmt: skip
    for label in ("sent", "answer", "result"):
        assert len(re.findall(rf"^   {label} +\S", ran.out, re.MULTILINE)) == len(calls)
    assert len(re.findall(r"^   expected .*: ok$", ran.out, re.MULTILINE)) == len(calls)
    assert "MISMATCH" not in ran.out
    too_wide = [line for line in ran.out.splitlines() if len(line) > 100]
    assert too_wide == [], "the demo must fit a 100-column terminal"
    assert "KuCoin orders after:" in ran.out
    assert "Kuest orders after:" in ran.out
    assert ran.out.rstrip().endswith("operations: every outcome matches the venue")


def _refused(url: str) -> bool:
    host, port = url.removeprefix("http://").split(":")
    try:
        socket.create_connection((host, int(port)), timeout=5).close()
    except ConnectionRefusedError:
        return True
    return False


@pytest.mark.parametrize("stop", ["SIGINT", "terminate"])
def test_sim_serves_the_keys_it_prints_until_stopped(spawn: Spawn, stop: str) -> None:
    sim = spawn("sim")
    with stdout_lines(sim) as lines:
        printed = read_banner(lines).exports

        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", printed["KUCOIN_URL"])
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", printed["KUEST_URL"])
        kucoin_keys = KucoinKeys(
            api_key=printed["KUCOIN_API_KEY"],
            api_secret=printed["KUCOIN_API_SECRET"],
            api_passphrase=printed["KUCOIN_API_PASSPHRASE"],
        )
        kuest_keys = KuestKeys(
            address=printed["KUEST_ADDRESS"],
            api_key=printed["KUEST_API_KEY"],
            api_secret=printed["KUEST_API_SECRET"],
            api_passphrase=printed["KUEST_API_PASSPHRASE"],
        )
        with KucoinSpotCancelOrder(keys=kucoin_keys, base_url=printed["KUCOIN_URL"]) as kc:
            assert kc.cancel_all_orders_by_symbol("BTC-USDT") == SymbolCancelAccepted("BTC-USDT")
        with KuestCancelOrder(keys=kuest_keys, base_url=printed["KUEST_URL"]) as kq:
            assert kq.cancel_all() == KuestCancelReport()

        if stop == "SIGINT":
            sim.send_signal(signal.SIGINT)
            assert sim.wait(timeout=15) == 0  # Ctrl-C is the documented way out
        else:
            sim.terminate()
            assert sim.wait(timeout=15) == -signal.SIGTERM
        assert _refused(printed["KUCOIN_URL"])
        assert _refused(printed["KUEST_URL"])
