"""The keepers end to end on the served simulator, and what happens when the bot dies.

- While a keeper runs, orders outlive several timeouts (the venue's clock is moved forward; no
  test sleeps for the timeouts).
- A real subprocess holding a keeper is killed with SIGKILL: the venue cancels every covered
  order, and none outside `symbols` or of another account.
- A clean exit clears KuCoin's protection; Kuest cancels anyway about 10 s later (documented).
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
)
from ordercancel.testing import KucoinExchange, KuestExchange


class Clock:
    """A clock shared by a served venue and the client signing for it (seconds)."""

    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Wait (at most 30 s: a liveness bound, not a timing assertion) for `condition`."""
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.005)


async def await_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 30
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        await asyncio.sleep(0.005)


# --- a running keeper keeps the orders ------------------------------------------------------------


@pytest.fixture
def kucoin_clocked() -> Iterator[tuple[KucoinExchange, Clock]]:
    clock = Clock()
    exchange = KucoinExchange(clock=clock)
    with exchange.serve():
        yield exchange, clock


@pytest.fixture
def kuest_clocked() -> Iterator[tuple[KuestExchange, Clock]]:
    clock = Clock()
    exchange = KuestExchange(clock=clock)
    with exchange.serve():
        yield exchange, clock


def _states(exchange: Any, *orders: Any) -> list[str]:
    return [exchange.order(o.order_id).state for o in orders]


def test_kucoin_guard_keeps_orders_past_several_timeouts_then_clears(kucoin_clocked):
    ex, clock = kucoin_clocked
    btc, xrp = ex.add_order("BTC-USDT", "1"), ex.add_order("XRP-USDT", "1")
    kc = KucoinSpotCancelOrder(
        keys=ex.keys, base_url=ex.base_url, clock=lambda: int(clock() * 1000)
    )
    with kc, kc.keep_disconnect_protection(5, ["BTC-USDT"], renew_every_s=0.05) as guard:
        for _ in range(10):  # 20 s of the venue's time: four timeouts
            renewed = guard.renewals
            clock.now += 2
            wait_until(lambda r=renewed: guard.renewals >= r + 2, "a renewal after the clock moved")
            assert _states(ex, btc, xrp) == ["live", "live"]
        setting = ex.dcp.setting()
        assert setting is not None
        assert setting.symbols == ("BTC-USDT",)
    assert ex.dcp.setting() is None  # the clean exit cleared it
    clock.now += 60
    assert _states(ex, btc, xrp) == ["live", "live"]
    assert ex.dcp.fired == []


def test_async_kucoin_guard_keeps_orders_then_stops_renewing(kucoin_clocked):
    ex, clock = kucoin_clocked
    btc, xrp = ex.add_order("BTC-USDT", "1"), ex.add_order("XRP-USDT", "1")

    async def run() -> None:
        async with (
            AsyncKucoinSpotCancelOrder(
                keys=ex.keys, base_url=ex.base_url, clock=lambda: int(clock() * 1000)
            ) as kc,
            kc.keep_disconnect_protection(
                5, ["BTC-USDT"], renew_every_s=0.05, clear_on_exit=False
            ) as guard,
        ):
            for _ in range(10):
                renewed = guard.renewals
                clock.now += 2
                await await_until(lambda r=renewed: guard.renewals >= r + 2, "a renewal")
                assert _states(ex, btc, xrp) == ["live", "live"]

    asyncio.run(run())
    clock.now += 4
    assert _states(ex, btc, xrp) == ["live", "live"]
    clock.now += 2  # the timeout after the last renewal, with no keeper left
    assert _states(ex, btc, xrp) == ["cancelled", "live"]


@pytest.mark.parametrize("use_async", [False, True], ids=["sync", "async"])
def test_kuest_keeper_keeps_orders_past_several_windows_then_kuest_cancels(
    kuest_clocked, use_async
):
    ex, clock = kuest_clocked
    mine = ex.add_order()
    theirs = ex.add_order(account=ex.add_account())
    options: dict[str, Any] = {
        "keys": ex.keys,
        "base_url": ex.base_url,
        "clock": lambda: int(clock()),
    }

    def hold(keeper: Any) -> Iterator[Callable[[], bool]]:
        for _ in range(8):  # 32 s of the venue's time: three windows
            beats = keeper.renewals
            clock.now += 4
            yield lambda b=beats: keeper.renewals >= b + 2
            assert _states(ex, mine, theirs) == ["live", "live"]

    if use_async:

        async def run() -> None:
            async with AsyncKuestCancelOrder(**options) as kq, kq.keep_alive(0.05) as keeper:
                for condition in hold(keeper):
                    await await_until(condition, "a heartbeat after the clock moved")

        asyncio.run(run())
    else:
        with KuestCancelOrder(**options) as kq, kq.keep_alive(0.05) as keeper:
            for condition in hold(keeper):
                wait_until(condition, "a heartbeat after the clock moved")
    assert _states(ex, mine, theirs) == ["live", "live"]
    clock.now += 11  # a clean exit too: Kuest cancels when the heartbeats stop
    assert _states(ex, mine, theirs) == ["canceled", "live"]


# --- the bot dies: a real process, SIGKILL --------------------------------------------------------

KUCOIN_BOT = """
import sys
from ordercancel import KucoinSpotCancelOrder
with KucoinSpotCancelOrder(base_url=sys.argv[1]) as kc:
    symbols = sys.argv[2].split(",")
    with kc.keep_disconnect_protection(5, symbols, renew_every_s=0.1) as guard:
        print("armed", guard.trigger_time, flush=True)
        sys.stdin.readline()  # the bot's work, until told to stop (or killed)
print("left", flush=True)
"""
KUEST_BOT = """
import sys
from ordercancel import KuestCancelOrder
with KuestCancelOrder(base_url=sys.argv[1]) as kq, kq.keep_alive(0.1) as keeper:
    print("beating", keeper.heartbeat_id, flush=True)
    sys.stdin.readline()
print("left", flush=True)
"""


def _bot(script: str, env: dict[str, str], *args: str) -> subprocess.Popen[str]:
    """Start a bot in its own interpreter, with only the simulated venue's keys."""
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KUCOIN_", "KUEST_"))}
    bot = subprocess.Popen(
        [sys.executable, "-c", script, *args],
        env=clean | env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert bot.stdout is not None
    first = bot.stdout.readline()
    if not first:
        bot.wait(30)
        pytest.fail(f"the bot died at start: {bot.stderr.read() if bot.stderr else ''}")
    return bot


def _kucoin_env(ex: KucoinExchange) -> dict[str, str]:
    return {
        "KUCOIN_API_KEY": ex.keys.api_key,
        "KUCOIN_API_SECRET": ex.keys.api_secret,
        "KUCOIN_API_PASSPHRASE": ex.keys.api_passphrase,
    }


def _kuest_env(ex: KuestExchange) -> dict[str, str]:
    return {
        "KUEST_ADDRESS": ex.keys.address,
        "KUEST_API_KEY": ex.keys.api_key,
        "KUEST_API_SECRET": ex.keys.api_secret,
        "KUEST_API_PASSPHRASE": ex.keys.api_passphrase,
    }


def _kill(bot: subprocess.Popen[str]) -> None:
    bot.send_signal(signal.SIGKILL)
    bot.communicate(timeout=30)
    assert bot.returncode == -signal.SIGKILL


def _sets(ex: KucoinExchange) -> int:
    return sum(r.method == "POST" for r in ex.received)


def test_killing_the_bot_lets_kucoin_cancel_every_covered_order_and_no_other(kucoin_exchange):
    ex = kucoin_exchange
    covered = [ex.add_order("BTC-USDT", "1"), ex.add_order("ETH-USDT", "2", filled="0.5")]
    uncovered = ex.add_order("XRP-USDT", "1")
    theirs = ex.add_order("BTC-USDT", "1", account=ex.add_account())
    bot = _bot(KUCOIN_BOT, _kucoin_env(ex), ex.base_url, "BTC-USDT,ETH-USDT")
    try:
        wait_until(lambda: _sets(ex) >= 3, "the bot's renewals")
    finally:
        _kill(bot)
    assert _states(ex, *covered, uncovered, theirs) == ["live", "partially_filled", "live", "live"]
    ex.advance(6)  # the timeout passes on KuCoin's clock: nobody renewed
    assert _states(ex, *covered) == ["cancelled", "cancelled"]
    assert _states(ex, uncovered, theirs) == ["live", "live"]
    [fired] = ex.dcp.fired
    assert set(fired.cancelled) == {o.order_id for o in covered}


def test_a_bot_leaving_cleanly_clears_kucoin_protection(kucoin_exchange):
    ex = kucoin_exchange
    order = ex.add_order("BTC-USDT", "1")
    bot = _bot(KUCOIN_BOT, _kucoin_env(ex), ex.base_url, "BTC-USDT")
    wait_until(lambda: _sets(ex) >= 2, "the bot's renewals")
    out, err = bot.communicate("stop\n", timeout=30)
    assert (bot.returncode, out) == (0, "left\n"), err
    assert ex.dcp.setting() is None
    ex.advance(60)
    assert ex.order(order.order_id).state == "live"


def _beats(ex: KuestExchange) -> int:
    return sum(r.method == "POST" and r.status == 200 for r in ex.received)


@pytest.mark.parametrize("ending", ["SIGKILL", "clean exit"])
def test_when_the_bot_stops_kuest_cancels_every_open_order_of_the_account(kuest_exchange, ending):
    ex = kuest_exchange
    mine = [ex.add_order(market="0xa"), ex.add_order(market="0xb", size="5", filled="1")]
    theirs = ex.add_order(account=ex.add_account())
    bot = _bot(KUEST_BOT, _kuest_env(ex), ex.base_url)
    try:
        wait_until(lambda: _beats(ex) >= 3, "the bot's heartbeats")
    finally:
        if ending == "SIGKILL":
            _kill(bot)
        else:
            out, err = bot.communicate("stop\n", timeout=30)
            assert (bot.returncode, out) == (0, "left\n"), err
    assert _states(ex, *mine, theirs) == ["live", "partially_filled", "live"]
    ex.advance(11)
    assert _states(ex, *mine, theirs) == ["canceled", "canceled", "live"]


def test_the_readme_example_runs(kucoin_exchange):
    """The README's "When your bot dies" test, as written there, passes."""
    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## When your bot dies") :]
    section = section[section.index("### Testing it") :]
    code = section[section.index("```python\n") + 10 :]
    code = code[: code.index("\n```")]
    namespace: dict[str, Any] = {"KucoinSpotCancelOrder": KucoinSpotCancelOrder}
    exec(compile(code, "README.md", "exec"), namespace)  # our own README
    namespace["test_my_bot_dying_cancels_its_orders"](kucoin_exchange)
    assert [o.state for o in kucoin_exchange.orders()] == ["cancelled"]
