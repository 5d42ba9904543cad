"""The DCP guard against the simulated KuCoin, as a bot meets it (review of issue 15)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from ordercancel import KucoinSpotCancelOrder, OrderCancelError, RateLimiter, RetryPolicy
from ordercancel.testing import KucoinExchange


def wait_until(condition: Callable[[], bool], what: str, within: float = 20.0) -> None:
    deadline = time.monotonic() + within  # generous: a guard of 0.5 s needs about 1 s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.01)


def test_a_guard_recovering_after_kucoin_fired_says_it_fired(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ex = KucoinExchange()
    order = ex.add_order("BTC-USDT", "1")
    kc = KucoinSpotCancelOrder(
        keys=ex.keys, transport=ex.transport(), retry=RetryPolicy(attempts=1)
    )
    with (
        caplog.at_level(logging.WARNING, "ordercancel"),
        kc,
        kc.keep_disconnect_protection(timeout_s=5, renew_every_s=0.2) as guard,
    ):
        armed_until = guard.trigger_time
        ex.faults.server_error(count=10_000)
        wait_until(lambda: guard.failures >= 1, "a failed renewal")
        ex.advance(6)  # past the trigger time: KuCoin fires
        ex.faults.clear()
        wait_until(lambda: guard.last_error is None, "a renewal after the outage")
        assert guard.fired_at == armed_until
        assert guard.times_fired == 1
    assert ex.order(order.order_id).state != "live"  # the venue did cancel it
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("FIRED" in m and "cancelled every open order" in m for m in errors), errors


def test_a_guard_without_an_outage_never_says_it_fired() -> None:
    ex = KucoinExchange()
    kc = KucoinSpotCancelOrder(keys=ex.keys, transport=ex.transport())
    with kc, kc.keep_disconnect_protection(timeout_s=5, renew_every_s=0.05) as guard:
        ex.advance(1)
        wait_until(lambda: guard.renewals >= 3, "three renewals")
    assert (guard.fired_at, guard.times_fired) == (None, 0)


def test_one_hung_renewal_is_abandoned_and_the_next_goes_on_time(
    kucoin_exchange: Any,
) -> None:
    ex = kucoin_exchange
    order = ex.add_order("BTC-USDT", "1")
    # The client waits a minute for an answer: only the guard's own bound can save it.
    kc = KucoinSpotCancelOrder(keys=ex.keys, base_url=ex.base_url, timeout=httpx.Timeout(60.0))
    with kc, kc.keep_disconnect_protection(timeout_s=5, renew_every_s=0.5) as guard:
        renewed = guard.renewals
        ex.faults.delay(60)  # the next answer hangs for a minute
        wait_until(
            lambda: guard.failures >= 1 and guard.renewals >= renewed + 2,
            "renewals going on past the hung one",
        )
        assert type(guard.last_error).__name__ in {"NoneType", "BeatAbandoned"}
    assert not ex.dcp.fired
    assert ex.order(order.order_id).state == "live"


def test_renewals_skip_a_rate_limiter_that_bulk_cancels_have_drained() -> None:
    ex = KucoinExchange()
    keep = ex.add_order("ETH-USDT", "1")
    # A window of an hour whose quota the bot's cancels use up: a paced renewal would wait.
    kc = KucoinSpotCancelOrder(
        keys=ex.keys, transport=ex.transport(), rate_limiter=RateLimiter(3, 3600.0)
    )
    with kc:
        stale = [ex.add_order("BTC-USDT", "1").order_id for _ in range(3)]
        for order_id in stale:
            kc.cancel_order_by_order_id(order_id, "BTC-USDT")
        # 0.5 s: a renewal unanswered within the interval counts as failed, and under load a
        # 0.05 s one was (this test proves that renewals never wait for the drained limiter).
        with kc.keep_disconnect_protection(timeout_s=5, renew_every_s=0.5) as guard:
            wait_until(lambda: guard.renewals >= 3, "three renewals")
            assert guard.failures == 0
        assert ex.order(keep.order_id).state == "live"
        assert not ex.dcp.fired


def test_a_clear_that_fails_on_exit_says_it_is_still_armed(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ex = KucoinExchange()
    kc = KucoinSpotCancelOrder(
        keys=ex.keys, transport=ex.transport(), retry=RetryPolicy(attempts=1)
    )
    with (
        kc,
        caplog.at_level(logging.WARNING, "ordercancel"),
        pytest.raises(OrderCancelError),
        kc.keep_disconnect_protection(timeout_s=5, renew_every_s=1) as guard,
    ):
        ex.faults.server_error(count=10_000)  # the clear on the way out fails
    assert ex.dcp.setting() is not None  # KuCoin still holds it
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("STILL ARMED" in m and str(guard.trigger_time) in m for m in errors), errors
