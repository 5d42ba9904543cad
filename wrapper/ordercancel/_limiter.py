"""A weighted sliding-window rate limiter, shared safely by threads and asyncio tasks.

`book(weight)` books the earliest moment at which `weight` more units keep the total within
`capacity` over every window of `period` seconds, and returns a `Booking` that says how long to
wait for it. The booking happens under a lock and never blocks; the caller sleeps (time.sleep or
asyncio.sleep). Because at most `capacity` is booked in *any* window of `period`, a venue's fixed
window, wherever it starts, is never overrun by this client.

A caller that gives up before sending (a task cancelled or timed out while it waits, a thread
interrupted, a wait longer than it can afford) gives its booking back: the units are free again
for every booking made after that. Bookings already made keep their moment: they were placed as
if the given-back units were still there, which is safe, since fewer units never overrun a window.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from .errors import ConfigurationError, RateLimitWaitTooLong


class Booking:
    """Units booked in a `RateLimiter`: send them `wait` seconds after booking, or `cancel()`.

    Attributes:
        weight: The units booked.
        start: The limiter clock's reading from which they may be sent.
        wait: Seconds from the booking to `start` (0 when they may go at once).
    """

    __slots__ = ("_limiter", "start", "wait", "weight")

    def __init__(self, limiter: RateLimiter, weight: int, start: float, wait: float) -> None:
        self._limiter = limiter
        self.weight = weight
        self.start = start
        self.wait = wait

    def __repr__(self) -> str:
        return f"Booking(weight={self.weight}, wait={self.wait:.3f})"

    def cancel(self) -> None:
        """Give the units back; only for a booking whose request was not sent.

        Later bookings may use them. Cancelling twice, or after the booking expired, does nothing.
        """
        self._limiter._release(self)


class RateLimiter:
    """At most `capacity` units of weight per `period` seconds, across threads and tasks.

    Args:
        capacity: Units allowed per window (e.g. 100 requests, or a KuCoin pool quota).
        period: The window, in seconds.
        margin: Seconds added to each booking's lifetime, to absorb network jitter.
        clock: Monotonic seconds (injectable for tests).

    Raises:
        ConfigurationError: capacity or period is not positive.
    """

    def __init__(
        self,
        capacity: int,
        period: float,
        *,
        margin: float = 0.05,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if capacity <= 0 or period <= 0:
            raise ConfigurationError("rate limit capacity and period must be positive")
        self.capacity = capacity
        self.period = period
        self._lifetime = period + margin
        self._clock = clock
        self._lock = threading.Lock()
        self._booked: deque[Booking] = deque()  # in the order of their start
        self._total = 0

    def __repr__(self) -> str:
        return f"RateLimiter(capacity={self.capacity}, period={self.period})"

    def book(self, weight: int = 1, *, max_wait: float | None = None) -> Booking:
        """Book `weight` units at the earliest moment they fit; wait `booking.wait`, then send.

        Call `booking.cancel()` if the request is then not sent.

        Args:
            weight: The units the request costs.
            max_wait: The longest wait acceptable, in seconds; None for no bound.

        Raises:
            ConfigurationError: `weight` exceeds the capacity (it could never be sent).
            RateLimitWaitTooLong: the wait would be longer than `max_wait`; nothing is booked.
        """
        if weight > self.capacity:
            raise ConfigurationError(f"weight {weight} exceeds the limit {self.capacity}")
        with self._lock:
            now = self._clock()
            while self._booked and self._booked[0].start + self._lifetime <= now:
                self._total -= self._booked.popleft().weight
            start = max(now, self._booked[-1].start) if self._booked else now
            # Expire the oldest bookings, in order, until the new one fits.
            excess = self._total + weight - self.capacity
            for booked in self._booked:
                if excess <= 0:
                    break
                start = max(start, booked.start + self._lifetime)
                excess -= booked.weight
            wait = start - now
            if max_wait is not None and wait > max_wait:
                raise RateLimitWaitTooLong(weight=weight, wait=wait, max_wait=max_wait)
            booking = Booking(self, weight, start, wait)
            self._booked.append(booking)
            self._total += weight
            return booking

    def _release(self, booking: Booking) -> None:
        with self._lock:
            try:
                self._booked.remove(booking)  # by identity: Booking has no __eq__
            except ValueError:
                return  # expired meanwhile, or already given back
            self._total -= booking.weight

    def reserve(self, weight: int = 1) -> float:
        """Book `weight` units for good; return the seconds to wait before sending.

        Raises:
            ConfigurationError: `weight` exceeds the capacity (it could never be sent).
        """
        return self.book(weight).wait

    def acquire(self, weight: int = 1, *, max_wait: float | None = None) -> float:
        """Block the thread until `weight` units may be sent; return the seconds waited.

        A wait that is interrupted (KeyboardInterrupt, or any other exception) gives the
        booking back.

        Raises:
            ConfigurationError: `weight` exceeds the capacity.
            RateLimitWaitTooLong: the wait would be longer than `max_wait`; nothing is booked.
        """
        booking = self.book(weight, max_wait=max_wait)
        if booking.wait > 0:
            try:
                time.sleep(booking.wait)
            except BaseException:
                booking.cancel()
                raise
        return booking.wait

    async def acquire_async(self, weight: int = 1, *, max_wait: float | None = None) -> float:
        """Wait (without blocking the loop) until `weight` units may be sent; return the wait.

        A task cancelled while it waits (`task.cancel()`, an `asyncio.wait_for` or
        `asyncio.timeout` that expires, a TaskGroup that aborts) gives the booking back.

        Raises:
            ConfigurationError: `weight` exceeds the capacity.
            RateLimitWaitTooLong: the wait would be longer than `max_wait`; nothing is booked.
        """
        booking = self.book(weight, max_wait=max_wait)
        if booking.wait > 0:
            import asyncio  # here, not at import time: sync programs never load asyncio for it

            try:
                await asyncio.sleep(booking.wait)
            except BaseException:
                booking.cancel()
                raise
        return booking.wait
