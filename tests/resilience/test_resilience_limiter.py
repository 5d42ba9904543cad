"""The client-side rate limiter against the simulator's fixed windows: bursts never see a 429.

Windows are 0.5 s so the suite stays quick; each burst spends about three windows' worth. The
limiters' margin (what each booking is held beyond the window, for the time between the booking
and the venue's reading of its clock) is two windows: on a loaded machine that time reached
0.1 s, then 0.5 s, and a request booked late in one window then landed in the venue's previous one.
"""

from __future__ import annotations

import time

import pytest
import stamina
from ordercancel import (
    KucoinOrderNotCancellable,
    RateLimited,
    RateLimiter,
    RetryPolicy,
)
from ordercancel.testing import KucoinExchange, KuestExchange

SYM = "BTC-USDT"
QUOTA, WINDOW = 40, 0.5
MARGIN = 2 * WINDOW
NO_RETRY = RetryPolicy(attempts=1)  # a 429 must show, not be retried away


def kucoin_burst(exchange: KucoinExchange) -> tuple[list[tuple[str, tuple]], int]:
    """Weights 1, 2 and 30 mixed: 24 single cancels, 10 partial cancels, 2 cancel-all."""
    calls: list[tuple[str, tuple]] = []
    for i in range(24):
        order = exchange.add_order(SYM, "1")
        calls.append(("cancel_order_by_order_id", (order.order_id, SYM)))
        if i % 12 == 5:
            calls.append(("cancel_all_orders", ()))
    for _ in range(10):
        order = exchange.add_order("ETH-USDT", "2")
        calls.append(("cancel_partial_order", (order.order_id, "ETH-USDT", "0.5")))
    weight = 24 * 1 + 10 * 2 + 2 * 30
    return calls, weight


def assert_no_kucoin_429(exchange: KucoinExchange, results: list, weight: int) -> None:
    statuses = [r.status for r in exchange.received]
    assert 429 not in statuses, statuses
    assert len(statuses) == len(results)
    for result in results:
        # a single cancel may find its order already taken by a cancel-all: that is no 429
        assert not isinstance(result, Exception) or isinstance(result, KucoinOrderNotCancellable), (
            repr(result)
        )
    assert weight > 2 * QUOTA  # the burst needed pacing: more than two windows' quota
    assert exchange.orders(symbol=SYM, state="live") == []


def test_control_the_same_burst_without_a_limiter_is_rate_limited():
    """Proves the burst can fail: without the limiter the simulator answers 429.

    The venue's clock stands still (a loaded machine spread the burst over several windows).
    """
    from ordercancel import KucoinSpotCancelOrder

    now = time.time()
    exchange = KucoinExchange(spot_quota=QUOTA, window_seconds=WINDOW, clock=lambda: now)
    calls, _ = kucoin_burst(exchange)
    limited = 0
    with KucoinSpotCancelOrder(
        keys=exchange.keys,
        transport=exchange.transport(),
        retry=NO_RETRY,
        clock=lambda: int(now * 1000),
    ) as kc:
        for name, args in calls:
            try:
                getattr(kc, name)(*args)
            except RateLimited:
                limited += 1
            except KucoinOrderNotCancellable:
                pass
    assert limited > 0
    assert 429 in [r.status for r in exchange.received]


def test_kucoin_sequential_burst_is_paced(connect):
    exchange = KucoinExchange(spot_quota=QUOTA, window_seconds=WINDOW)
    calls, weight = kucoin_burst(exchange)
    driver = connect(
        "kucoin",
        keys=exchange.keys,
        transport=exchange.transport(),
        rate_limiter=RateLimiter(QUOTA, WINDOW, margin=MARGIN),
        retry=NO_RETRY,
    )
    started = time.perf_counter()
    results = []
    for name, args in calls:
        try:
            results.append(driver.call(name, *args))
        except Exception as exc:
            results.append(exc)
    elapsed = time.perf_counter() - started
    assert_no_kucoin_429(exchange, results, weight)
    # 104 units, 40 per window held WINDOW + MARGIN: at least two such waits. A limiter that
    # waited a window per call would take 36 (the upper bound leaves seconds for a loaded machine).
    assert elapsed >= 2 * (WINDOW + MARGIN)
    assert elapsed < 10 * (WINDOW + MARGIN)


def test_kucoin_limiter_shared_by_threads_or_tasks(connect):
    """`gather` runs the calls on threads (sync twin) or asyncio tasks (async twin)."""
    exchange = KucoinExchange(spot_quota=QUOTA, window_seconds=WINDOW)
    calls, weight = kucoin_burst(exchange)
    driver = connect(
        "kucoin",
        keys=exchange.keys,
        transport=exchange.transport(),
        rate_limiter=RateLimiter(QUOTA, WINDOW, margin=MARGIN),
        retry=NO_RETRY,
    )
    results = driver.gather(calls)
    assert_no_kucoin_429(exchange, results, weight)


def test_kucoin_limiter_shared_by_two_clients_over_http(mode):
    """Served: two clients (sync or async twins) of one account share one limiter."""
    from ordercancel import AsyncKucoinSpotCancelOrder, KucoinSpotCancelOrder

    exchange = KucoinExchange(spot_quota=QUOTA, window_seconds=WINDOW)
    calls, weight = kucoin_burst(exchange)
    limiter = RateLimiter(QUOTA, WINDOW, margin=MARGIN)
    with exchange.serve():
        if mode == "sync":
            import threading

            results: list = [None] * len(calls)
            clients = [
                KucoinSpotCancelOrder(
                    keys=exchange.keys, base_url=exchange.base_url, rate_limiter=limiter,
                    retry=NO_RETRY,
                )
                for _ in range(2)
            ]  # fmt: skip

            def work(i: int) -> None:
                name, args = calls[i]
                try:
                    results[i] = getattr(clients[i % 2], name)(*args)
                except Exception as exc:
                    results[i] = exc

            threads = [threading.Thread(target=work, args=(i,)) for i in range(len(calls))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(30)
            for client in clients:
                client.close()
        else:
            import asyncio

            async def run() -> list:
                clients = [
                    AsyncKucoinSpotCancelOrder(
                        keys=exchange.keys, base_url=exchange.base_url, rate_limiter=limiter,
                        retry=NO_RETRY,
                    )
                    for _ in range(2)
                ]  # fmt: skip
                try:
                    return await asyncio.gather(
                        *(getattr(clients[i % 2], n)(*a) for i, (n, a) in enumerate(calls)),
                        return_exceptions=True,
                    )
                finally:
                    for client in clients:
                        await client.aclose()

            results = asyncio.run(run())
    assert_no_kucoin_429(exchange, results, weight)


@pytest.mark.parametrize("batch", [False, True])
def test_kuest_bulk_cancel_is_paced(connect, batch):
    limit, window = 5, 0.5
    exchange = KuestExchange(rate_limit=limit, rate_window_s=window)
    orders = [exchange.add_order() for _ in range(12)]
    ids = [o.order_id for o in orders]
    driver = connect(
        "kuest",
        keys=exchange.keys,
        transport=exchange.transport(),
        rate_limiter=RateLimiter(limit, window, margin=MARGIN),
        retry=NO_RETRY,
    )
    with stamina.set_testing(True, attempts=1):
        if batch:
            # one request per call: many small batches in a row
            outcomes = []
            for order_id in ids:
                outcomes += driver.call("cancel_orders", [order_id, order_id], batch=True)
        else:
            outcomes = driver.call("cancel_orders", [*ids, ids[0], ids[3]])
    statuses = [r.status for r in exchange.received]
    assert 429 not in statuses, statuses
    assert len(statuses) == len(ids) > 2 * limit
    assert [o.order_id for o in outcomes] == ids
    assert [o.error for o in outcomes] == [None] * len(ids)
    assert exchange.orders(state="canceled") == exchange.orders()


def test_kuest_limiter_shared_by_threads_or_tasks(connect):
    limit, window = 5, 0.5
    exchange = KuestExchange(rate_limit=limit, rate_window_s=window)
    orders = [exchange.add_order() for _ in range(12)]
    driver = connect(
        "kuest",
        keys=exchange.keys,
        transport=exchange.transport(),
        rate_limiter=RateLimiter(limit, window, margin=MARGIN),
        retry=NO_RETRY,
        max_in_flight=1,
    )
    results = driver.gather([("cancel_order", (o.order_id,)) for o in orders])
    assert 429 not in [r.status for r in exchange.received]
    assert not [r for r in results if isinstance(r, Exception)]
    assert exchange.orders(state="canceled") == exchange.orders()
