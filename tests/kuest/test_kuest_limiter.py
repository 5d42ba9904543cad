"""The shared RateLimiter, driven by an injected clock: never over-books any window, even shared.

A booking is "sent" at now + the delay `reserve` returned. The check is the definition: every
half-open window [t, t + period) holds at most `capacity` weight (it suffices to check the windows
that start at a booking).
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from ordercancel import ConfigurationError, RateLimiter
from support.kuest import PROPERTY

EPS = 1e-6


class FakeClock:
    """Seconds that move only when told to."""

    def __init__(self, now: float = 1000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def overbooked(bookings: list[tuple[float, int]], capacity: int, period: float) -> list[str]:
    """Windows [t, t + period) holding more than `capacity` weight, as readable problems."""
    starts = sorted(bookings)
    problems = []
    for i, (start, _) in enumerate(starts):
        load = sum(w for s, w in starts[i:] if s < start + period - EPS)
        if load > capacity:
            problems.append(f"{load} > {capacity} in [{start}, {start + period})")
    return problems


_ops = st.lists(
    st.tuples(st.integers(0, 40).map(lambda n: n / 8), st.integers(1, 20)), min_size=1, max_size=60
)


@PROPERTY
@given(
    capacity=st.integers(1, 20),
    period=st.sampled_from([0.5, 1.0, 2.0, 10.0, 60.0]),
    margin=st.sampled_from([0.0, 0.05, 0.25]),
    ops=_ops,
)
def test_no_window_holds_more_than_the_capacity(
    capacity: int, period: float, margin: float, ops: list[tuple[float, int]]
) -> None:
    clock = FakeClock()
    limiter = RateLimiter(capacity, period, margin=margin, clock=clock)
    bookings = []
    for advance, raw_weight in ops:
        clock.now += advance
        weight = min(raw_weight, capacity)
        delay = limiter.reserve(weight)
        assert delay >= 0
        bookings.append((clock.now + delay, weight))
    assert overbooked(bookings, capacity, period) == []


@PROPERTY
@given(capacity=st.integers(1, 20), ops=_ops)
def test_within_the_capacity_nothing_waits(capacity: int, ops: list[tuple[float, int]]) -> None:
    """Liveness: weight that fits in one window is never delayed."""
    clock = FakeClock()
    limiter = RateLimiter(capacity, 10.0, clock=clock)
    used = 0
    for advance, raw_weight in ops:
        weight = min(raw_weight, capacity - used)
        if weight <= 0:
            break
        clock.now += advance / 100  # all within one window
        assert limiter.reserve(weight) == 0
        used += weight


@PROPERTY
@given(capacity=st.integers(1, 20), period=st.sampled_from([0.5, 1.0, 60.0]), n=st.integers(1, 5))
def test_an_idle_window_frees_everything(capacity: int, period: float, n: int) -> None:
    clock = FakeClock()
    limiter = RateLimiter(capacity, period, margin=0.05, clock=clock)
    for _ in range(n):
        for _ in range(capacity):
            limiter.reserve(1)
        clock.now += 10 * period + 1  # long after every booking
        assert limiter.reserve(capacity) == 0
        clock.now += 10 * period + 1


def test_the_first_over_capacity_booking_waits_one_period() -> None:
    clock = FakeClock()
    limiter = RateLimiter(3, 60.0, margin=0.0, clock=clock)
    assert [limiter.reserve() for _ in range(3)] == [0, 0, 0]
    assert limiter.reserve() == 60.0
    clock.now += 30
    assert limiter.reserve() == 30.0  # booked at the same moment as the fourth


@pytest.mark.parametrize(("capacity", "period"), [(0, 1.0), (-1, 1.0), (1, 0.0), (1, -5.0)])
def test_a_limiter_needs_a_positive_capacity_and_period(capacity: int, period: float) -> None:
    with pytest.raises(ConfigurationError):
        RateLimiter(capacity, period)


def test_a_weight_above_the_capacity_is_refused() -> None:
    limiter = RateLimiter(5, 1.0, clock=FakeClock())
    with pytest.raises(ConfigurationError):
        limiter.reserve(6)


def _expected_schedule(n: int, capacity: int, period: float, start: float) -> list[float]:
    """n unit bookings made at one instant: `capacity` per period, period after period."""
    return [start + (k // capacity) * period for k in range(n)]


@pytest.mark.parametrize(("threads", "each", "capacity"), [(8, 50, 7), (4, 100, 1), (16, 20, 25)])
def test_threads_sharing_a_limiter_never_over_book(threads: int, each: int, capacity: int) -> None:
    clock = FakeClock()
    limiter = RateLimiter(capacity, 2.0, margin=0.0, clock=clock)
    delays: list[float] = []
    barrier = threading.Barrier(threads)

    def worker() -> None:
        barrier.wait()
        mine = [limiter.reserve(1) for _ in range(each)]
        delays.extend(mine)

    pool = [threading.Thread(target=worker) for _ in range(threads)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    starts = sorted(clock.now + d for d in delays)
    assert len(starts) == threads * each
    assert starts == _expected_schedule(threads * each, capacity, 2.0, clock.now)
    assert overbooked([(s, 1) for s in starts], capacity, 2.0) == []


@given(weights=st.lists(st.integers(1, 6), min_size=8, max_size=80), threads=st.integers(2, 6))
@PROPERTY
def test_threads_with_random_weights_never_over_book(weights: list[int], threads: int) -> None:
    clock = FakeClock()
    limiter = RateLimiter(6, 1.0, margin=0.0, clock=clock)
    bookings: list[tuple[float, int]] = []
    parts = [weights[i::threads] for i in range(threads)]

    def worker(part: list[int]) -> None:
        for w in part:
            bookings.append((clock.now + limiter.reserve(w), w))

    pool = [threading.Thread(target=worker, args=(p,)) for p in parts]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    assert len(bookings) == len(weights)
    assert overbooked(bookings, 6, 1.0) == []


class RecordingLimiter(RateLimiter):
    """Records each booking's delay (acquire and acquire_async both book)."""

    def __init__(self, *args: object, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[arg-type]
        self.delays: list[float] = []

    def book(self, weight: int = 1, **kwargs: Any) -> Any:
        booking = super().book(weight, **kwargs)
        self.delays.append(booking.wait)
        return booking


def test_threads_and_asyncio_tasks_share_one_limiter() -> None:
    """Two threads calling acquire and two event loops of tasks calling acquire_async."""
    clock = FakeClock()
    capacity, period = 4, 1 / 128  # a binary fraction: exact sums
    per_thread, per_loop = 5, 15  # the clock stands still, so a thread's sleeps add up
    limiter = RecordingLimiter(capacity, period, margin=0.0, clock=clock)
    waits: list[tuple[float, float]] = []
    barrier = threading.Barrier(4)

    def blocking() -> None:
        barrier.wait()
        for _ in range(per_thread):
            began = time.monotonic()
            limiter.acquire()
            waits.append((began, time.monotonic()))

    async def task() -> None:
        began = time.monotonic()
        await limiter.acquire_async()
        waits.append((began, time.monotonic()))

    async def tasks() -> None:
        await asyncio.gather(*(task() for _ in range(per_loop)))

    def looping() -> None:
        barrier.wait()
        asyncio.run(tasks())

    pool = [threading.Thread(target=f) for f in (blocking, blocking, looping, looping)]
    for t in pool:
        t.start()
    for t in pool:
        t.join()
    n = 2 * per_thread + 2 * per_loop
    starts = sorted(clock.now + d for d in limiter.delays)
    assert starts == _expected_schedule(n, capacity, period, clock.now)
    assert overbooked([(s, 1) for s in starts], capacity, period) == []
    assert len(waits) == n
    # Somebody had to wait the longest booked delay for real (sleeps never return much early).
    assert max(end - began for began, end in waits) >= max(limiter.delays) - 0.005
