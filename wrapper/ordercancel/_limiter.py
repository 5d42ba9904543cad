"""A weighted sliding-window rate limiter, shared safely by threads and asyncio tasks.

`reserve(weight)` books the earliest moment at which `weight` more units keep the total within
`capacity` over every window of `period` seconds, and returns how long to wait for it. The
booking happens under a lock and never blocks; the caller sleeps (time.sleep or asyncio.sleep).
Because at most `capacity` is booked in *any* window of `period`, a venue's fixed window, wherever
it starts, is never overrun by this client.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable

from .errors import ConfigurationError


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
        self._booked: deque[tuple[float, int]] = deque()  # (start time, weight), in time order
        self._total = 0

    def __repr__(self) -> str:
        return f"RateLimiter(capacity={self.capacity}, period={self.period})"

    def reserve(self, weight: int = 1) -> float:
        """Book `weight` units; return the seconds to wait before sending (0 when free now).

        Raises:
            ConfigurationError: `weight` exceeds the capacity (it could never be sent).
        """
        if weight > self.capacity:
            raise ConfigurationError(f"weight {weight} exceeds the limit {self.capacity}")
        with self._lock:
            now = self._clock()
            while self._booked and self._booked[0][0] + self._lifetime <= now:
                self._total -= self._booked.popleft()[1]
            start = max(now, self._booked[-1][0]) if self._booked else now
            # Expire the oldest bookings, in order, until the new one fits.
            excess = self._total + weight - self.capacity
            for booked_at, booked_weight in self._booked:
                if excess <= 0:
                    break
                start = max(start, booked_at + self._lifetime)
                excess -= booked_weight
            self._booked.append((start, weight))
            self._total += weight
            return start - now

    def acquire(self, weight: int = 1) -> None:
        """Block the thread until `weight` units may be sent."""
        delay = self.reserve(weight)
        if delay > 0:
            time.sleep(delay)

    async def acquire_async(self, weight: int = 1) -> None:
        """Wait (without blocking the loop) until `weight` units may be sent."""
        delay = self.reserve(weight)
        if delay > 0:
            import asyncio  # here, not at import time: sync programs never load asyncio for it

            await asyncio.sleep(delay)
