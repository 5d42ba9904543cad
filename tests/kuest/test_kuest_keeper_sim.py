"""The heartbeat keeper against the simulated Kuest, as a bot meets it (review of issue 15)."""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from ordercancel import InvalidRequest, KuestCancelOrder, RetryPolicy
from ordercancel.testing import KuestExchange


def wait_until(condition: Callable[[], bool], what: str, within: float = 20.0) -> None:
    deadline = time.monotonic() + within  # generous: a keeper of 0.5 s needs about 1 s
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"never happened: {what}")
        time.sleep(0.01)


def test_a_keeper_whose_heartbeats_lapsed_says_kuest_cancelled(
    caplog: pytest.LogCaptureFixture,
) -> None:
    ex = KuestExchange()
    order = ex.add_order()
    # The client's clock is the venue's: the keeper measures the gap on it.
    kq = KuestCancelOrder(
        keys=ex.keys,
        transport=ex.transport(),
        retry=RetryPolicy(attempts=1),
        clock=lambda: int(ex.server_time()),
    )
    with caplog.at_level(logging.WARNING, "ordercancel"), kq, kq.keep_alive(0.2) as hb:
        ex.faults.server_error(count=10_000)
        wait_until(lambda: hb.failures >= 1, "a failed heartbeat")
        ex.advance(12)  # past Kuest's window: it cancels the open orders
        ex.faults.clear()
        wait_until(lambda: hb.last_error is None, "a heartbeat after the outage")
        assert hb.times_lapsed == 1
        assert hb.lapsed_at is not None
    assert ex.order(order.order_id).state != "live"  # the venue did cancel it
    errors = [r.getMessage() for r in caplog.records if r.levelno == logging.ERROR]
    assert any("LAPSED" in m and "cancelled every open order" in m for m in errors), errors


def test_one_hung_heartbeat_is_abandoned_and_the_next_goes_on_time(kuest_exchange: Any) -> None:
    ex = kuest_exchange
    order = ex.add_order()
    kq = KuestCancelOrder(keys=ex.keys, base_url=ex.base_url, timeout=httpx.Timeout(60.0))
    with kq, kq.keep_alive(0.5) as hb:
        accepted = hb.renewals
        ex.faults.delay(60)  # the next answer hangs for a minute
        wait_until(
            lambda: hb.failures >= 1 and hb.renewals >= accepted + 2,
            "heartbeats going on past the hung one",
        )
    assert not ex.heartbeats.stopped
    assert ex.order(order.order_id).state == "live"


@pytest.mark.parametrize("interval", [5.01, 9.5])
def test_an_interval_above_half_the_window_is_refused(interval: float) -> None:
    ex = KuestExchange()
    kq = KuestCancelOrder(keys=ex.keys, transport=ex.transport())
    with kq, pytest.raises(InvalidRequest, match="at most 5"):
        kq.keep_alive(interval)
    assert ex.heartbeats.session() is None  # nothing was sent
