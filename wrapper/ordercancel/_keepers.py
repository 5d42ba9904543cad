"""Dead-man's switches kept alive in the background: KuCoin DCP and Kuest heartbeats.

A keeper is a context manager made by a client (`kc.keep_disconnect_protection(...)`,
`kq.keep_alive(...)`). Entering sends the first beat, with the client's retry policy, and
raises if it fails: the switch is armed when the block starts, or the block never runs. Then a
background thread (sync clients) or task (async clients) beats on a fixed cadence, one beat
every interval counted from the START of the previous one, through failures. A beat (its
request, retries included) has until the next one is due: a beat still unanswered then is
abandoned (its answer, should it come, is ignored) and counted as failed, so one hung
connection never delays the next beat. An interval is at most half the venue's window, so even
a beat answered at the last moment after one that was answered at once keeps the switch alive.

Each failed beat is logged at WARNING on the "ordercancel" logger, counted in `failures` and
kept in `last_error` (None again after a success). When the venue's switch fired in between
(KuCoin's answer shows its trigger time passed; Kuest's heartbeats were apart longer than its
window), the next successful beat logs an ERROR saying the venue cancelled the orders, and the
keeper records it (`fired_at` / `lapsed_at`, `times_fired` / `times_lapsed`). Leaving the block
stops the beats; what the venue does then is said by each keeper.
"""

from __future__ import annotations

import dataclasses
import logging
import math
import threading
import time
from collections.abc import Callable
from types import TracebackType
from typing import TYPE_CHECKING, Any, Self

from ._retry import RetryPolicy
from .errors import BeatAbandoned, InvalidRequest, KuestInvalidHeartbeatId

if TYPE_CHECKING:
    from ._types import Operation
    from .kucoin._results import DisconnectProtectionArmed

logger = logging.getLogger("ordercancel")

KUEST_HEARTBEAT_WINDOW_S = 10.0
"""Kuest cancels every open order when no heartbeat arrives for about this long (its clients)."""


def check_interval(value: object, name: str, *, window: float, why: str) -> float:
    """A keeper's interval: a finite number of seconds, above 0 and at most half of `window`.

    Half: a beat may take until the next one is due, so two accepted beats can be up to two
    intervals apart, and that must stay within the window.

    Raises:
        InvalidRequest: anything else (a bool, a str, 0, a negative, NaN, too long).
    """
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise InvalidRequest(f"{name} must be a number of seconds, got {value!r}")
    if not 0 < value <= window / 2:
        raise InvalidRequest(
            f"{name} must be above 0 and at most {window / 2:g} seconds, half of {window:g} "
            f"({why}; a renewal may take until the next one is due)"
        )
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
        # A background beat's retries end before the next beat is due: beats never pile up.
        self._beat_retry = dataclasses.replace(
            retry, total_timeout=min(retry.total_timeout, interval_s)
        )

    def _request(self, retry: RetryPolicy) -> Any:
        """Send one beat's request with `retry`; return the answer (per keeper, sync or async)."""
        raise NotImplementedError

    def _apply(self, answer: Any) -> None:
        """Take in a beat's answer (per keeper)."""

    def _renewed(self, answer: Any) -> None:
        self._apply(answer)
        self.renewals += 1
        self.last_error = None

    def _failed(self, exc: Exception) -> None:
        self.failures += 1
        self.last_error = exc
        logger.warning(
            "%s failed (%s: %s); the next one is due in at most %g s. %s",
            self._what,
            type(exc).__name__,
            exc,
            self._interval,
            self._consequence(),
        )

    def _consequence(self) -> str:
        """What the venue does (or did) when no beat succeeds: the end of the WARNING line."""
        raise NotImplementedError


class _ThreadKeeper(_Keeper):
    """Beats from a daemon thread; for the sync clients."""

    def _finish(self) -> None:
        """What a clean exit does after the last beat (nothing unless a keeper says so)."""

    def __enter__(self) -> Self:
        self._apply(self._request(self._retry))
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name=f"ordercancel {self._what}")
        self._thread.daemon = True  # a dying program must not wait for it: that is the point
        self._thread.start()
        return self

    def _run(self) -> None:
        due = time.monotonic()
        while True:
            due = max(due + self._interval, time.monotonic())  # from the previous START
            if self._stop.wait(due - time.monotonic()):
                return
            try:
                answer = self._bounded(due + self._interval)
            except Exception as exc:  # any failure: reported, and beating goes on
                self._failed(exc)
            else:
                self._renewed(answer)

    def _bounded(self, deadline: float) -> Any:
        """One beat's answer, from a helper thread abandoned at `deadline` (monotonic)."""
        outcome: list[tuple[bool, Any]] = []
        answered = threading.Event()

        def beat() -> None:
            try:
                outcome.append((True, self._request(self._beat_retry)))
            except Exception as exc:  # handed to the keeper's thread
                outcome.append((False, exc))
            answered.set()

        threading.Thread(target=beat, name=f"ordercancel {self._what} request", daemon=True).start()
        # Stopping also ends the wait: a hung beat never holds up leaving the block.
        while not answered.wait(min(0.05, max(0.0, deadline - time.monotonic()))):
            if self._stop.is_set() or time.monotonic() >= deadline:
                raise BeatAbandoned(
                    f"no answer within {self._interval:g} s: abandoned for the next beat"
                )
        ok, value = outcome[0]
        if not ok:
            raise value
        return value

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()  # prompt: a beat in flight is abandoned at once
        if exc_type is None:
            self._finish()


class _TaskKeeper(_Keeper):
    """Beats from an asyncio task; for the async clients."""

    async def _finish(self) -> None:
        """What a clean exit does after the last beat (nothing unless a keeper says so)."""

    async def __aenter__(self) -> Self:
        import asyncio  # here: `import ordercancel` does not load asyncio

        self._apply(await self._request(self._retry))
        self._stop = asyncio.Event()
        self._task = asyncio.create_task(self._run(), name=f"ordercancel {self._what}")
        return self

    async def _run(self) -> None:
        import asyncio

        loop = asyncio.get_running_loop()
        due = loop.time()
        while True:
            due = max(due + self._interval, loop.time())  # from the previous START
            try:
                await asyncio.wait_for(self._stop.wait(), due - loop.time())
            except TimeoutError:
                pass
            else:
                return
            try:
                answer = await self._bounded(due + self._interval)
            except Exception as exc:  # any failure: reported, and beating goes on
                self._failed(exc)
            else:
                self._renewed(answer)

    async def _bounded(self, deadline: float) -> Any:
        """One beat's answer; the request is cancelled at `deadline` (the loop's clock)."""
        import asyncio

        try:
            async with asyncio.timeout_at(deadline):
                return await self._request(self._beat_retry)
        except TimeoutError as exc:
            raise BeatAbandoned(
                f"no answer within {self._interval:g} s: abandoned for the next beat"
            ) from exc

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._stop.set()
        import asyncio

        self._task.cancel()  # a beat in flight is abandoned at once
        await asyncio.wait([self._task])  # raises only when we are cancelled ourselves
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
        self.fired_at: int | None = None
        """The latest trigger time KuCoin reached before a renewal came: it cancelled then."""
        self.times_fired = 0
        """How often KuCoin's switch fired while the guard was renewing (seen on recovery)."""
        self._arm = arm
        self._clear = clear
        self._passes_at: float | None = None  # trigger_time on the local monotonic clock

    def _apply(self, answer: DisconnectProtectionArmed | None) -> None:
        assert answer is not None, "arming (a timeout above 0) always answers with the times"
        previous = self.trigger_time
        self.trigger_time = answer.trigger_time
        # Measured when the answer arrived, after KuCoin set it: this is no earlier than its own.
        self._passes_at = time.monotonic() + (answer.trigger_time - answer.current_time)
        if previous is not None and answer.current_time >= previous:
            self.fired_at = previous
            self.times_fired += 1
            logger.error(
                "KuCoin Disconnection Protection FIRED at %s (its clock, Unix seconds) before "
                "this renewal reached it: KuCoin has cancelled every open order of %s. It is "
                "armed again now (next trigger %s).",
                previous,
                ", ".join(self.symbols) or "every symbol",
                answer.trigger_time,
            )

    def _still_armed(self) -> None:
        logger.error(
            "Clearing KuCoin Disconnection Protection FAILED: it is STILL ARMED, and KuCoin "
            "cancels every open order of %s at %s (its clock, Unix seconds) unless it is "
            "cleared (`ordercancel kucoin dcp clear`) or renewed before then.",
            ", ".join(self.symbols) or "every symbol",
            self.trigger_time,
        )

    def _consequence(self) -> str:
        if self._passes_at is not None and time.monotonic() >= self._passes_at:
            return (
                f"KuCoin's trigger time {self.trigger_time} (its clock, Unix seconds) has "
                "PASSED: KuCoin has cancelled the covered orders."
            )
        return (
            f"KuCoin cancels the covered orders at {self.trigger_time} (its clock, Unix "
            "seconds) unless a renewal succeeds before then."
        )


class DisconnectProtectionGuard(_DisconnectProtection, _ThreadKeeper):
    """Keeps KuCoin's Disconnection Protection armed from a background thread.

    Made by `KucoinSpotCancelOrder.keep_disconnect_protection`; use it with `with`. Entering
    arms the protection (raising if KuCoin does not confirm it); a daemon thread then starts a
    renewal every `renew_every_s`, each abandoned when the next is due. If the program dies,
    the renewals stop and KuCoin cancels the covered orders `timeout_s` after the last one.
    Leaving the block normally clears it (unless `clear_on_exit` is False; if clearing fails,
    an ERROR says it is still armed and the error is raised); leaving it with an exception
    stops renewing and leaves it armed, so KuCoin cancels when it fires.

    Attributes:
        timeout_s: Seconds from the latest renewal to KuCoin's cancel.
        symbols: The symbols covered; empty means every symbol.
        renew_every_s: Seconds between renewal starts.
        clear_on_exit: Whether leaving the block normally clears the protection.
        trigger_time: When KuCoin cancels unless renewed (its clock, Unix seconds).
        fired_at: The trigger time KuCoin reached before a renewal came (it cancelled every
            covered order then; an ERROR was logged); None while it never fired.
        times_fired: How often that happened.
        last_error: The latest renewal's error; None when it succeeded.
        renewals: Renewals that succeeded in the background.
        failures: Renewals that failed in the background (`BeatAbandoned` for no answer in time).
    """

    def _request(self, retry: RetryPolicy) -> DisconnectProtectionArmed | None:
        return self._send(self._arm, retry)  # type: ignore[no-any-return]

    def _finish(self) -> None:
        if self.clear_on_exit:
            try:
                self._send(self._clear, self._retry)
            except Exception:
                self._still_armed()
                raise


class AsyncDisconnectProtectionGuard(_DisconnectProtection, _TaskKeeper):
    """Keeps KuCoin's Disconnection Protection armed from an asyncio task.

    Made by `AsyncKucoinSpotCancelOrder.keep_disconnect_protection`; use it with `async with`.
    Entering arms the protection (raising if KuCoin does not confirm it); a task then starts a
    renewal every `renew_every_s`, each cancelled when the next is due. If the program dies,
    the renewals stop and KuCoin cancels the covered orders `timeout_s` after the last one.
    Leaving the block normally clears it (unless `clear_on_exit` is False); leaving it with an
    exception (a cancellation included) stops renewing and leaves it armed, so KuCoin cancels
    when it fires.

    Attributes:
        timeout_s: Seconds from the latest renewal to KuCoin's cancel.
        symbols: The symbols covered; empty means every symbol.
        renew_every_s: Seconds between renewal starts.
        clear_on_exit: Whether leaving the block normally clears the protection.
        trigger_time: When KuCoin cancels unless renewed (its clock, Unix seconds).
        fired_at: The trigger time KuCoin reached before a renewal came (it cancelled every
            covered order then; an ERROR was logged); None while it never fired.
        times_fired: How often that happened.
        last_error: The latest renewal's error; None when it succeeded.
        renewals: Renewals that succeeded in the background.
        failures: Renewals that failed in the background (`BeatAbandoned` for no answer in time).
    """

    async def _request(self, retry: RetryPolicy) -> DisconnectProtectionArmed | None:
        return await self._send(self._arm, retry)  # type: ignore[no-any-return]

    async def _finish(self) -> None:
        if self.clear_on_exit:
            try:
                await self._send(self._clear, self._retry)
            except Exception:
                self._still_armed()
                raise


class _Heartbeats(_Keeper):
    """The heartbeat chain a Kuest keeper keeps."""

    _what = "Kuest heartbeat"

    def __init__(
        self,
        *,
        send: Callable[..., Any],
        interval_s: float,
        retry: RetryPolicy,
        clock: Callable[[], float],
    ) -> None:
        super().__init__(send=send, interval_s=interval_s, retry=retry)
        self.interval_s = interval_s
        """Seconds between heartbeat starts."""
        self.heartbeat_id: str | None = None
        """The id the next heartbeat sends (the latest answer's)."""
        self.last_beat_time: float | None = None
        """When the latest heartbeat was accepted (the client's clock, Unix seconds)."""
        self.lapsed_at: float | None = None
        """When Kuest's window ran out between two accepted heartbeats (it cancelled then)."""
        self.times_lapsed = 0
        """How often heartbeats were apart longer than Kuest's window while beating."""
        self._clock = clock

    def _apply(self, answer: str) -> None:
        now = self._clock()
        previous = self.last_beat_time
        self.heartbeat_id = answer
        self.last_beat_time = now
        if previous is not None and now - previous > KUEST_HEARTBEAT_WINDOW_S:
            self.lapsed_at = previous + KUEST_HEARTBEAT_WINDOW_S
            self.times_lapsed += 1
            logger.error(
                "Kuest heartbeats LAPSED: %g s passed between two accepted heartbeats, more "
                "than Kuest's %g s window, so Kuest has cancelled every open order of the "
                "account (near %s). Heartbeats go on from now.",
                now - previous,
                KUEST_HEARTBEAT_WINDOW_S,
                time.strftime("%H:%M:%S", time.localtime(self.lapsed_at)),
            )

    def _failed(self, exc: Exception) -> None:
        if isinstance(exc, KuestInvalidHeartbeatId):  # Kuest named its current id: send it next
            self.heartbeat_id = exc.heartbeat_id
        super()._failed(exc)

    def _consequence(self) -> str:
        assert self.last_beat_time is not None, "the first heartbeat succeeded"
        deadline = self.last_beat_time + KUEST_HEARTBEAT_WINDOW_S
        near = time.strftime("%H:%M:%S", time.localtime(deadline))
        if self._clock() >= deadline:
            return (
                f"More than {KUEST_HEARTBEAT_WINDOW_S:g} s have PASSED since the last accepted "
                f"heartbeat: Kuest has cancelled every open order of the account (near {near})."
            )
        return (
            "Kuest cancels every open order of the account about "
            f"{KUEST_HEARTBEAT_WINDOW_S:g} s after the last accepted heartbeat (near {near})."
        )


class HeartbeatKeeper(_Heartbeats, _ThreadKeeper):
    """Posts Kuest heartbeats from a background thread, chaining the ids.

    Made by `KuestCancelOrder.keep_alive`; use it with `with`. Entering posts the first
    heartbeat (raising if Kuest does not accept it); a daemon thread then starts one every
    `interval_s`, each abandoned when the next is due. Once heartbeats have started, Kuest
    cancels EVERY open order of the account when none arrives for about 10 seconds: when the
    program dies, and also about 10 s after this block ends, normally or not. There is nothing
    to switch off.

    Attributes:
        interval_s: Seconds between heartbeat starts.
        heartbeat_id: The id the next heartbeat sends.
        last_beat_time: When the latest heartbeat was accepted (the client's clock, Unix s).
        lapsed_at: When Kuest's window ran out between two accepted heartbeats (it cancelled
            every open order then; an ERROR was logged); None while it never did.
        times_lapsed: How often that happened.
        last_error: The latest heartbeat's error; None when it succeeded.
        renewals: Heartbeats accepted after the first.
        failures: Heartbeats that failed in the background (`BeatAbandoned` for no answer in
            time).
    """

    def _request(self, retry: RetryPolicy) -> str:
        return self._send(self.heartbeat_id, retry)  # type: ignore[no-any-return]


class AsyncHeartbeatKeeper(_Heartbeats, _TaskKeeper):
    """Posts Kuest heartbeats from an asyncio task, chaining the ids.

    Made by `AsyncKuestCancelOrder.keep_alive`; use it with `async with`. Entering posts the
    first heartbeat (raising if Kuest does not accept it); a task then starts one every
    `interval_s`, each cancelled when the next is due. Once heartbeats have started, Kuest
    cancels EVERY open order of the account when none arrives for about 10 seconds: when the
    program dies, and also about 10 s after this block ends, normally or not. There is nothing
    to switch off.

    Attributes:
        interval_s: Seconds between heartbeat starts.
        heartbeat_id: The id the next heartbeat sends.
        last_beat_time: When the latest heartbeat was accepted (the client's clock, Unix s).
        lapsed_at: When Kuest's window ran out between two accepted heartbeats (it cancelled
            every open order then; an ERROR was logged); None while it never did.
        times_lapsed: How often that happened.
        last_error: The latest heartbeat's error; None when it succeeded.
        renewals: Heartbeats accepted after the first.
        failures: Heartbeats that failed in the background (`BeatAbandoned` for no answer in
            time).
    """

    async def _request(self, retry: RetryPolicy) -> str:
        return await self._send(self.heartbeat_id, retry)  # type: ignore[no-any-return]
