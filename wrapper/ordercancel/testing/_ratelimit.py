"""A fixed rate-limit window that starts at the first request, as KuCoin describes its pools."""

from __future__ import annotations

import math
from collections.abc import Callable

import attrs


@attrs.frozen
class WindowState:
    """A window's quota, what is left, and the milliseconds until it refills."""

    limit: int
    remaining: int
    reset_ms: int


class FixedWindow:
    """`quota` units per `seconds`; the window opens with the first request after a refill.

    Not thread-safe on its own: the venue calls it under its lock.
    """

    def __init__(self, quota: int, seconds: float, clock: Callable[[], float]) -> None:
        if quota < 1 or seconds <= 0:
            raise ValueError("quota must be >= 1 and seconds > 0")
        self.quota = quota
        self.seconds = seconds
        self._clock = clock
        self._opened: float | None = None
        self._used = 0

    def _roll(self, now: float) -> None:
        if self._opened is not None and now - self._opened >= self.seconds:
            self._opened, self._used = None, 0

    def state(self) -> WindowState:
        """The window as it stands now, without spending anything."""
        now = self._clock()
        self._roll(now)
        if self._opened is None:
            return WindowState(self.quota, self.quota, math.ceil(self.seconds * 1000))
        left_ms = math.ceil((self._opened + self.seconds - now) * 1000)
        return WindowState(self.quota, self.quota - self._used, max(left_ms, 0))

    def spend(self, weight: int) -> bool:
        """Spend `weight` if that much is left (opening the window if needed); True if spent."""
        now = self._clock()
        self._roll(now)
        if self._opened is None:
            self._opened = now
        if self._used + weight > self.quota:
            return False
        self._used += weight
        return True
