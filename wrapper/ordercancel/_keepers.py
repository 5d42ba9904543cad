"""Dead-man's switches kept alive in the background: KuCoin DCP and Kuest heartbeats.

A keeper is a context manager made by a client (`kc.keep_disconnect_protection(...)`,
`kq.keep_alive(...)`). Entering sends the first beat, with the client's retry policy, and
raises if it fails: the switch is armed when the block starts, or the block never runs. Then a
background thread (sync clients) or task (async clients) beats every interval, through
failures: each failed beat is logged at WARNING on the "ordercancel" logger, counted in
`failures` and kept in `last_error` (None again after a success), and the next beat is tried on
schedule. A beat's own retries end within the interval, so beats never pile up. Leaving the
block stops the beats; what the venue does then is said by each keeper.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import threading
import time
from collections.abc import Awaitable, Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from ._retry import RetryPolicy
from .errors import InvalidRequest
from .kuest._envelope import KuestInvalidHeartbeatId

if TYPE_CHECKING:
    from ._http import Operation
    from .kucoin._results import DisconnectProtectionArmed

logger = logging.getLogger("ordercancel")

KUEST_HEARTBEAT_WINDOW_S = 10.0
"""Kuest cancels every open order when no heartbeat arrives for about this long (its clients)."""


def check_interval(value: object, name: str, *, below: float, why: str) -> float:
    """A keeper's interval: a finite number of seconds, above 0 and below `below`.

    Raises:
        InvalidRequest: anything else (a bool, a str, 0, a negative, NaN, too long).
    """
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidRequest(f"{name} must be a number of seconds, got {value!r}")
    if not 0 < value < below:
        raise InvalidRequest(f"{name} must be above 0 and below {below:g} seconds ({why})")
    return float(value)


class _Keeper:
    """What every keeper shares: its interval, its retry budgets and its report."""

    _what = "beat"

    def __init__(self, *, send: Callable[..., Any], interval_s: float, retry: RetryPolicy) -> None:
        self.last_error: Exception | None = None
        """The error of the latest beat; None when it succeeded."""
        self.renewals = 0
        """Beats that succeeded after the first (which `with` itself sent)."""
        self.failures = 0
        """Beats that failed in the background."""
        self._interval = interval_s
        self._send = send
        self._retry = retry
        # A background beat's retries end within the interval: beats never pile up.
        self._beat_retry = dataclasses.replace(
            retry, total_timeout=min(retry.total_timeout, interval_s)
        )

    def _renewed(self) -> None:
        self.renewals += 1
        self.last_error = None

    def _failed(self, exc: Exception) -> None:
        self.failures += 1
        self.last_error = exc
        logger.warning(
            "%s failed (%s: %s); trying again in %g s. %s",
            self._what,
            type(exc).__name__,
            exc,
            self._interval,
            self._consequence(),
        )

    _consequence: Callable[[], str]
    """What the venue does if no beat succeeds: the end of the WARNING line (per venue)."""


class _ThreadKeeper(_Keeper):
    """Beats from a daemon thread; for the sync clients."""

    _beat: Callable[[RetryPolicy], None]
    """Send one beat with `retry` (per keeper)."""

    def _finish(self) -> None:
        """What a clean exit does after the last beat (nothing unless a keeper says so)."""

    def __enter__(self) -> Self:
        self._beat(self._retry)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"ordercancel {self._what}")
        self._thread.daemon = True  # a dying program must not wait for it: that is the point
        self._thread.start()
        return self

    def _run(self) -> None:
        while not self._stop.wait(self._interval):
            try:
                self._beat(self._beat_retry)
            except Exception as exc:  # any failure: reported, and beating goes on
                self._failed(exc)
            else:
                self._renewed()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()  # a beat in flight ends first (bounded by the client's timeouts)
        if exc_type is None:
            self._finish()


class _TaskKeeper(_Keeper):
    """Beats from an asyncio task; for the async clients."""

    _beat: Callable[[RetryPolicy], Awaitable[None]]
    """Send one beat with `retry` (per keeper)."""

    async def _finish(self) -> None:
        """What a clean exit does after the last beat (nothing unless a keeper says so)."""

    async def __aenter__(self) -> Self:
        import asyncio  # here: `import ordercancel` does not load asyncio

        await self._beat(self._retry)
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name=f"ordercancel {self._what}")
        return self

    async def _run(self) -> None:
        import asyncio

        while True:
            try:
                await asyncio.wait_for(self._stop.wait(), self._interval)
            except TimeoutError:
                pass
            else:
                return
            try:
                await self._beat(self._beat_retry)
            except Exception as exc:  # any failure: reported, and beating goes on
                self._failed(exc)
            else:
                self._renewed()

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        await self._task  # a beat in flight ends first; cancelling us cancels it too
        if exc_type is None:
            await self._finish()


class _DisconnectProtection(_Keeper):
    """The setting a Disconnection Protection guard keeps, and KuCoin's timer as last seen."""

    _what = "KuCoin Disconnection Protection renewal"

    def __init__(
        self,
        *,
        send: Callable[..., Any],
        arm: Operation[DisconnectProtectionArmed | None],
        clear: Operation[DisconnectProtectionArmed | None],
        timeout_s: int,
        symbols: tuple[str, ...],
        renew_every_s: float,
        clear_on_exit: bool,
        retry: RetryPolicy,
    ) -> None:
        super().__init__(send=send, interval_s=renew_every_s, retry=retry)
        self.timeout_s = timeout_s
        """Seconds from the latest renewal to KuCoin's cancel."""
        self.symbols = symbols
        """The symbols covered; empty means every symbol."""
        self.renew_every_s = renew_every_s
        """Seconds between renewals."""
        self.clear_on_exit = clear_on_exit
        """Whether leaving the block normally clears the protection."""
        self.trigger_time: int | None = None
        """When KuCoin cancels unless renewed (KuCoin's clock, Unix seconds), as last set."""
        self._arm = arm
        self._clear = clear

    def _armed(self, result: DisconnectProtectionArmed | None) -> None:
        assert result is not None, "arming (a timeout above 0) always answers with the times"
        self.trigger_time = result.trigger_time

    def _consequence(self) -> str:
        return (
            f"KuCoin cancels the covered orders at {self.trigger_time} (its clock, Unix "
            "seconds) unless a renewal succeeds before then."
        )


class DisconnectProtectionGuard(_DisconnectProtection, _ThreadKeeper):
    """Keeps KuCoin's Disconnection Protection armed from a background thread.

    Made by `KucoinSpotCancelOrder.keep_disconnect_protection`; use it with `with`. Entering
    arms the protection (raising if KuCoin does not confirm it); a daemon thread then renews it
    every `renew_every_s`. If the program dies, the renewals stop and KuCoin cancels the covered
    orders `timeout_s` after the last one. Leaving the block normally clears it (unless
    `clear_on_exit` is False); leaving it with an exception stops renewing and leaves it armed,
    so KuCoin cancels when it fires.

    Attributes:
        timeout_s: Seconds from the latest renewal to KuCoin's cancel.
        symbols: The symbols covered; empty means every symbol.
        renew_every_s: Seconds between renewals.
        clear_on_exit: Whether leaving the block normally clears the protection.
        trigger_time: When KuCoin cancels unless renewed (its clock, Unix seconds).
        last_error: The latest renewal's error; None when it succeeded.
        renewals: Renewals that succeeded in the background.
        failures: Renewals that failed in the background.
    """

    def _beat(self, retry: RetryPolicy) -> None:
        self._armed(self._send(self._arm, retry))

    def _finish(self) -> None:
        if self.clear_on_exit:
            self._send(self._clear, self._retry)


class AsyncDisconnectProtectionGuard(_DisconnectProtection, _TaskKeeper):
    """Keeps KuCoin's Disconnection Protection armed from an asyncio task.

    Made by `AsyncKucoinSpotCancelOrder.keep_disconnect_protection`; use it with `async with`.
    Entering arms the protection (raising if KuCoin does not confirm it); a task then renews it
    every `renew_every_s`. If the program dies, the renewals stop and KuCoin cancels the covered
    orders `timeout_s` after the last one. Leaving the block normally clears it (unless
    `clear_on_exit` is False); leaving it with an exception (a cancellation included) stops
    renewing and leaves it armed, so KuCoin cancels when it fires.

    Attributes:
        timeout_s: Seconds from the latest renewal to KuCoin's cancel.
        symbols: The symbols covered; empty means every symbol.
        renew_every_s: Seconds between renewals.
        clear_on_exit: Whether leaving the block normally clears the protection.
        trigger_time: When KuCoin cancels unless renewed (its clock, Unix seconds).
        last_error: The latest renewal's error; None when it succeeded.
        renewals: Renewals that succeeded in the background.
        failures: Renewals that failed in the background.
    """

    async def _beat(self, retry: RetryPolicy) -> None:
        self._armed(await self._send(self._arm, retry))

    async def _finish(self) -> None:
        if self.clear_on_exit:
            await self._send(self._clear, self._retry)


class _Heartbeats(_Keeper):
    """The heartbeat chain a Kuest keeper keeps."""

    _what = "Kuest heartbeat"

    def __init__(self, *, send: Callable[..., Any], interval_s: float, retry: RetryPolicy) -> None:
        super().__init__(send=send, interval_s=interval_s, retry=retry)
        self.interval_s = interval_s
        """Seconds between heartbeats."""
        self.heartbeat_id: str | None = None
        """The id the next heartbeat sends (the latest answer's)."""
        self.last_beat_time: float | None = None
        """When the latest heartbeat was accepted (local clock, Unix seconds)."""

    def _beaten(self, next_id: str) -> None:
        self.heartbeat_id = next_id
        self.last_beat_time = time.time()

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, KuestInvalidHeartbeatId):  # Kuest named its current id: send it next
            self.heartbeat_id = exc.heartbeat_id
        super()._failed(exc)

    def _consequence(self) -> str:
        assert self.last_beat_time is not None, "the first heartbeat succeeded"
        deadline = time.strftime(
            "%H:%M:%S", time.localtime(self.last_beat_time + KUEST_HEARTBEAT_WINDOW_S)
        )
        return (
            "Kuest cancels every open order of the account about "
            f"{KUEST_HEARTBEAT_WINDOW_S:g} s after the last accepted heartbeat (near {deadline})."
        )


class HeartbeatKeeper(_Heartbeats, _ThreadKeeper):
    """Posts Kuest heartbeats from a background thread, chaining the ids.

    Made by `KuestCancelOrder.keep_alive`; use it with `with`. Entering posts the first
    heartbeat (raising if Kuest does not accept it); a daemon thread then posts one every
    `interval_s`. Once heartbeats have started, Kuest cancels EVERY open order of the account
    when none arrives for about 10 seconds: when the program dies, and also about 10 s after
    this block ends, normally or not. There is nothing to switch off.

    Attributes:
        interval_s: Seconds between heartbeats.
        heartbeat_id: The id the next heartbeat sends.
        last_beat_time: When the latest heartbeat was accepted (local clock, Unix seconds).
        last_error: The latest heartbeat's error; None when it succeeded.
        renewals: Heartbeats accepted after the first.
        failures: Heartbeats that failed in the background.
    """

    def _beat(self, retry: RetryPolicy) -> None:
        self._beaten(self._send(self.heartbeat_id, retry))


class AsyncHeartbeatKeeper(_Heartbeats, _TaskKeeper):
    """Posts Kuest heartbeats from an asyncio task, chaining the ids.

    Made by `AsyncKuestCancelOrder.keep_alive`; use it with `async with`. Entering posts the
    first heartbeat (raising if Kuest does not accept it); a task then posts one every
    `interval_s`. Once heartbeats have started, Kuest cancels EVERY open order of the account
    when none arrives for about 10 seconds: when the program dies, and also about 10 s after
    this block ends, normally or not. There is nothing to switch off.

    Attributes:
        interval_s: Seconds between heartbeats.
        heartbeat_id: The id the next heartbeat sends.
        last_beat_time: When the latest heartbeat was accepted (local clock, Unix seconds).
        last_error: The latest heartbeat's error; None when it succeeded.
        renewals: Heartbeats accepted after the first.
        failures: Heartbeats that failed in the background.
    """

    async def _beat(self, retry: RetryPolicy) -> None:
        self._beaten(await self._send(self.heartbeat_id, retry))
