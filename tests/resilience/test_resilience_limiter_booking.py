"""A call that gives up while the rate limiter makes it wait gives its booking back.

Issue 12, item 5. A task cancelled (`task.cancel()`, an `asyncio.wait_for` timeout, a TaskGroup
abort) or a thread interrupted (KeyboardInterrupt) while it waits for a slot never sends, so its
units must not keep later calls waiting. And the limiter's wait counts against the call's
`RetryPolicy.total_timeout`: a call that cannot get a slot in time raises RateLimitWaitTooLong
at once and sends nothing.

The limiter runs on a frozen, hand-advanced clock, so every expected wait is computed exactly
from the limiter's documented rule (capacity units per period, each booking held for period +
margin), never measured on the wall clock.
"""

from __future__ import annotations

import asyncio
import logging
import random
import signal
import threading
from typing import Any

import pytest
import stamina
from hypothesis import given, settings
from hypothesis import strategies as st
from ordercancel import (
    APIConnectionError,
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    KuestCancelOrder,
    OrderCancelError,
    RateLimiter,
    RateLimitWaitTooLong,
    RetryPolicy,
    ServerError,
)
from ordercancel.testing import KucoinExchange, KuestExchange

SYM = "BTC-USDT"
MARGIN = 0.05  # RateLimiter's default


class Clock:
    """Monotonic seconds that move only when told to (thread-safe)."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


def exchange_for(venue: str) -> Any:
    return KucoinExchange() if venue == "kucoin" else KuestExchange()


def single_cancel(client: Any, venue: str, order_id: str) -> Any:
    if venue == "kucoin":
        return client.cancel_order_by_order_id(order_id, SYM)
    return client.cancel_order(order_id)


# ---------------------------------------------------------------------------------------------
# 60 calls that give up while they wait, then one more: it waits no more than one window
# ---------------------------------------------------------------------------------------------


async def give_up_while_waiting(coros: list[Any], how: str) -> list[Any]:
    """Run the calls side by side and abandon them after 50 ms, the way `how` says."""
    if how == "wait_for":
        return list(
            await asyncio.gather(
                *(asyncio.wait_for(c, 0.05) for c in coros), return_exceptions=True
            )
        )
    if how == "task_cancel":
        tasks = [asyncio.create_task(c) for c in coros]
        await asyncio.sleep(0.05)
        for task in tasks:
            task.cancel()
        return list(await asyncio.gather(*tasks, return_exceptions=True))

    async def abort() -> None:
        await asyncio.sleep(0.05)
        raise RuntimeError("the bot gives up")

    tasks: list[asyncio.Task[Any]] = []

    async def in_a_group() -> None:
        async with asyncio.TaskGroup() as tg:
            tasks.extend(tg.create_task(c) for c in coros)
            tg.create_task(abort())

    with pytest.raises(ExceptionGroup) as group:
        await in_a_group()
    assert group.group_contains(RuntimeError)
    return [
        asyncio.CancelledError() if t.cancelled() else t.exception() or t.result() for t in tasks
    ]


@pytest.mark.parametrize("how", ["wait_for", "task_cancel", "taskgroup"])
@pytest.mark.parametrize("venue", ["kucoin", "kuest"])
def test_sixty_abandoned_calls_give_their_slots_back(venue, how):
    exchange = exchange_for(venue)
    orders = [exchange.add_order() for _ in range(60)]
    clock = Clock()
    limiter = RateLimiter(5, 1.0, clock=clock)
    cls = AsyncKucoinSpotCancelOrder if venue == "kucoin" else AsyncKuestCancelOrder

    async def main() -> list[Any]:
        async with cls(
            keys=exchange.keys, transport=exchange.transport(), rate_limiter=limiter
        ) as client:
            coros = [single_cancel(client, venue, o.order_id) for o in orders]
            return await give_up_while_waiting(coros, how)

    results = asyncio.run(main())
    sent = [r for r in results if not isinstance(r, BaseException)]
    assert len(results) == 60
    assert len(exchange.received) == len(sent) <= 5  # the limiter let 5 go; the rest gave up
    clock.advance(0.1)
    wait = limiter.reserve()
    # Only the 5 first (sent, or cancelled in flight: they may have been sent) hold their
    # units: one more waits for the end of their window. Before the fix: about 12 s.
    assert wait == pytest.approx(1.0 + MARGIN - 0.1)
    assert wait < 1


def test_a_thread_interrupted_while_it_waits_gives_its_slot_back():
    """KeyboardInterrupt (Ctrl-C) in the main thread, in the middle of the limiter's wait."""
    assert threading.current_thread() is threading.main_thread()
    exchange = KuestExchange()
    orders = [exchange.add_order() for _ in range(6)]
    clock = Clock()
    period = 20.0  # the interrupted wait is 20 s long (within the 30 s total timeout)
    limiter = RateLimiter(5, period, clock=clock)
    with KuestCancelOrder(
        keys=exchange.keys, transport=exchange.transport(), rate_limiter=limiter
    ) as client:
        for order in orders[:5]:
            client.cancel_order(order.order_id)
        main = threading.main_thread().ident
        assert main is not None
        ctrl_c = threading.Timer(0.2, signal.pthread_kill, args=(main, signal.SIGINT))
        ctrl_c.start()
        try:
            with pytest.raises(KeyboardInterrupt):
                client.cancel_order(orders[5].order_id)
        finally:
            ctrl_c.cancel()  # if the call ended before it fired, no stray Ctrl-C later
            ctrl_c.join()
    assert len(exchange.received) == 5
    assert exchange.order(orders[5].order_id).state == "live"
    clock.advance(0.1)
    assert limiter.reserve() == pytest.approx(period + MARGIN - 0.1)  # not a second window


# ---------------------------------------------------------------------------------------------
# The limiter's wait counts against the total timeout
# ---------------------------------------------------------------------------------------------

# A window far longer than the total timeout, and a total timeout with seconds to spare for
# the real time a call spends before it asks for its slot (0.5 s was not enough under load).
PERIOD = 30.0
TOTAL_TIMEOUT = 5.0


def cancel_with(driver: Any, order_id: str) -> Any:
    if driver.venue == "kucoin":
        return driver.call("cancel_order_by_order_id", order_id, SYM)
    return driver.call("cancel_order", order_id)


@pytest.mark.parametrize("venue", ["kucoin", "kuest"])
def test_no_slot_within_the_total_timeout_raises_at_once_and_sends_nothing(connect, venue):
    exchange = exchange_for(venue)
    orders = [exchange.add_order() for _ in range(6)]
    clock = Clock()
    limiter = RateLimiter(5, PERIOD, clock=clock)
    policy = RetryPolicy(total_timeout=TOTAL_TIMEOUT)
    driver = connect(
        venue,
        keys=exchange.keys,
        transport=exchange.transport(),
        rate_limiter=limiter,
        retry=policy,
    )
    for order in orders[:5]:
        cancel_with(driver, order.order_id)
    with pytest.raises(RateLimitWaitTooLong) as info:
        cancel_with(driver, orders[5].order_id)
    error = info.value
    assert isinstance(error, OrderCancelError)
    assert error.weight == 1
    assert error.wait == pytest.approx(PERIOD + MARGIN)
    assert 0 < error.max_wait <= policy.total_timeout
    assert "nothing was sent" in str(error)
    assert len(exchange.received) == 5
    assert exchange.order(orders[5].order_id).state == "live"
    assert limiter.reserve() == pytest.approx(PERIOD + MARGIN)  # the refused call holds nothing


def test_a_bulk_cancel_reports_the_ids_it_had_no_slot_for(connect):
    """Kuest `cancel_orders`, one request per id: each id is a call with its own timeout."""
    exchange = KuestExchange()
    orders = [exchange.add_order() for _ in range(5)]
    driver = connect(
        "kuest",
        keys=exchange.keys,
        transport=exchange.transport(),
        rate_limiter=RateLimiter(3, PERIOD, clock=Clock()),
        retry=RetryPolicy(total_timeout=TOTAL_TIMEOUT),
        max_in_flight=1,
    )
    outcomes = driver.call("cancel_orders", [o.order_id for o in orders])
    assert [o.order_id for o in outcomes] == [o.order_id for o in orders]
    assert [o.ok for o in outcomes] == [True, True, True, False, False]
    assert all(isinstance(o.error, RateLimitWaitTooLong) for o in outcomes[3:])
    assert len(exchange.received) == 3
    assert [exchange.order(o.order_id).state for o in orders[3:]] == ["live", "live"]


@pytest.mark.parametrize("failure", ["server_error", "drop"])
@pytest.mark.parametrize("venue", ["kucoin", "kuest"])
def test_a_retry_with_no_slot_in_time_raises_the_last_attempts_error(
    connect, record_logs, venue, failure
):
    """A 5xx or a dropped answer, then no slot for the retry: what happened stays visible."""
    exchange = exchange_for(venue)
    order = exchange.add_order()
    if failure == "server_error":
        exchange.faults.server_error(when="after")
    else:
        exchange.faults.drop(when="after")
    clock = Clock()
    policy = RetryPolicy(total_timeout=TOTAL_TIMEOUT, backoff_initial=0.001, backoff_jitter=0.0)
    driver = connect(
        venue,
        keys=exchange.keys,
        transport=exchange.transport(),
        rate_limiter=RateLimiter(1, PERIOD, clock=clock),
        retry=policy,
    )
    expected = ServerError if failure == "server_error" else APIConnectionError
    with stamina.set_testing(False), record_logs() as rec, pytest.raises(expected) as info:
        cancel_with(driver, order.order_id)
    if failure == "drop":
        assert info.value.request_sent is True
    assert isinstance(info.value.__context__, RateLimitWaitTooLong)
    assert len(exchange.received) == 1  # the retry was never sent
    assert any(r.getMessage().startswith("not retrying") for r in rec.at(logging.WARNING))


# ---------------------------------------------------------------------------------------------
# The limiter itself: bookings, give-backs, max_wait
# ---------------------------------------------------------------------------------------------


def test_acquire_with_max_wait_books_nothing_when_refused():
    clock = Clock()
    limiter = RateLimiter(2, 1.0, clock=clock)
    assert limiter.acquire(2) == 0
    with pytest.raises(RateLimitWaitTooLong) as info:
        limiter.acquire(1, max_wait=0.5)
    assert info.value.wait == pytest.approx(1.0 + MARGIN)
    assert info.value.max_wait == 0.5
    assert limiter.book(2).wait == pytest.approx(1.0 + MARGIN)  # as if never asked


def test_a_given_back_booking_frees_its_units_for_later_bookings():
    clock = Clock()
    limiter = RateLimiter(1, 1.0, clock=clock)
    limiter.book()  # sent now
    waiting = [limiter.book() for _ in range(3)]
    assert [b.wait for b in waiting] == pytest.approx([1.05, 2.10, 3.15])
    for booking in waiting:
        booking.cancel()
    waiting[0].cancel()  # twice: nothing more
    assert limiter.book().wait == pytest.approx(1.05)


def earliest_wait(kept: list[Any], now: float, weight: int, capacity: int, life: float) -> float:
    """The oracle: the first moment >= now at which `weight` more fits, every kept booking
    having started by now and counting until its start + life."""
    ends = sorted({b.start + life for b in kept if b.start + life > now})
    for moment in [now, *ends]:
        held = sum(b.weight for b in kept if b.start + life > moment)
        if held + weight <= capacity:
            return moment - now
    raise AssertionError("unreachable: everything has expired at the last end")


def assert_within_capacity(sent: list[Any], capacity: int, period: float) -> None:
    """In every window of `period` seconds (starting at any send), at most `capacity` units."""
    for first in sent:
        window = [b for b in sent if first.start <= b.start < first.start + period]
        held = sum(b.weight for b in window)
        assert held <= capacity, (first.start, [(b.start, b.weight) for b in window])


OPS = st.lists(
    st.one_of(
        st.tuples(st.just("book"), st.integers(1, 8)),
        st.tuples(st.just("cancel"), st.integers(0, 10_000)),
        st.tuples(st.just("advance"), st.floats(0.0, 1.5, allow_nan=False)),
    ),
    max_size=80,
)


@settings(max_examples=300, deadline=None)
@given(
    capacity=st.integers(1, 8),
    period=st.sampled_from([0.5, 1.0, 3.0]),
    margin=st.sampled_from([0.0, 0.05]),
    ops=OPS,
)
def test_property_book_and_give_back_never_exceed_capacity_in_any_window(
    capacity, period, margin, ops
):
    clock = Clock()
    limiter = RateLimiter(capacity, period, margin=margin, clock=clock)
    bookings: list[Any] = []
    given_back: set[int] = set()

    def pending() -> list[Any]:
        return [b for b in bookings if id(b) not in given_back and b.start > clock.now]

    for op, value in ops:
        if op == "book":
            booking = limiter.book(min(value, capacity))
            assert booking.wait >= 0
            assert booking.start == pytest.approx(clock.now + booking.wait)
            bookings.append(booking)
        elif op == "advance":
            clock.advance(value)
        elif pending():  # give back one that still waits (its request was not sent)
            choice = pending()[value % len(pending())]
            choice.cancel()
            given_back.add(id(choice))
    sent = [b for b in bookings if id(b) not in given_back]
    assert_within_capacity(sent, capacity, period)
    # Give back whatever still waits: a new booking waits only for the units really sent.
    for booking in pending():
        booking.cancel()
        sent.remove(booking)
    weight = 1 + len(bookings) % capacity
    expected = earliest_wait(sent, clock.now, weight, capacity, period + margin)
    assert limiter.book(weight).wait == pytest.approx(expected)


def test_threads_booking_and_giving_back_never_exceed_capacity():
    """The lock: 8 threads book and give back at once on one limiter."""
    clock = Clock()
    capacity, period = 7, 1.0
    limiter = RateLimiter(capacity, period, margin=0.0, clock=clock)
    kept: list[list[Any]] = [[] for _ in range(8)]

    def work(index: int) -> None:
        rng = random.Random(index)
        for _ in range(300):
            booking = limiter.book(rng.randint(1, 3))
            if rng.random() < 0.5 and booking.start > clock():
                booking.cancel()
            else:
                kept[index].append(booking)
            clock.advance(0.001)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    sent = sorted((b for group in kept for b in group), key=lambda b: b.start)
    assert len(sent) > 8 * 100
    assert_within_capacity(sent, capacity, period)
    clock.advance(10_000)
    assert limiter.book(capacity).wait == 0  # every unit given back or expired: all free
