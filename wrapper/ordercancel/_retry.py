"""The retry policy: what is retried, how long to wait, and what a retry's answer means.

Retried, with every attempt signed afresh:
- a connection that failed before the request was sent (connect error or timeout, pool timeout);
- a rate-limit answer, after the venue's hint (`gw-ratelimit-reset` for KuCoin, `Retry-After`
  for Kuest) when that hint is at most `max_rate_limit_wait`; with no hint, the backoff below;
- a server error (HTTP 5xx, KuCoin 500000), with exponential backoff and jitter;
- a full cancel whose connection broke or timed out after the request may have been sent (a
  read timeout, a dropped connection), with the same backoff: cancelling an order, a symbol or
  everything a second time does no more than the first time did.
Nothing else is retried: no other 4xx, and never a partial cancel (`idempotent=False`) that may
have landed, after a 5xx or a broken connection alike, since a second landing would cancel the
size twice; it raises with `request_sent=True`. All within `attempts` and `total_timeout`.

A cancel whose earlier attempt may have reached the venue (it answered 5xx, or the connection
broke after sending) and whose retry is answered "not found / not cancellable" raises
`OrderGoneAfterRetry`: most likely the earlier attempt did cancel it, but only the order's state
can tell.

The client-side rate limiter's wait counts against `total_timeout`: a call that cannot get a slot
in time raises `RateLimitWaitTooLong` and sends nothing; a retry that cannot is not made, and the
call raises the error of its last attempt. So does a retry that finds the client closed meanwhile
(`ClientClosedError`) or called from another event loop (`WrongEventLoopError`): the caller sees
the earlier attempt's error (which says whether it was sent, or may have landed), the reason the
retry was not made as its context.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .errors import (
    APIConnectionError,
    ClientClosedError,
    ConfigurationError,
    OrderCancelError,
    OrderGoneAfterRetry,
    OrderNotCancellable,
    RateLimited,
    RateLimitWaitTooLong,
    ServerError,
    WrongEventLoopError,
)

T = TypeVar("T")

UNSENT = (RateLimitWaitTooLong, ClientClosedError, WrongEventLoopError)
"""What stops an attempt before it is sent: no rate-limit slot in time, a closed client, or
another event loop. After an earlier attempt, the call ends as that one did (`RetryState.unsent`).
"""
logger = logging.getLogger("ordercancel")


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How a client retries; `RetryPolicy(attempts=1)` switches retries off.

    Attributes:
        attempts: Attempts in all, the first included (default 3).
        total_timeout: Seconds for the whole call, waits included: no retry starts after it.
        backoff_initial: The first backoff in seconds (it doubles each time).
        backoff_max: The longest backoff.
        backoff_jitter: Up to this many random seconds are added to each backoff.
        max_rate_limit_wait: The longest rate-limit hint honoured; a longer one is raised at
            once as the `RateLimited` error (waiting less would only earn another one).
    """

    attempts: int = 3
    total_timeout: float = 30.0
    backoff_initial: float = 0.2
    backoff_max: float = 5.0
    backoff_jitter: float = 0.2
    max_rate_limit_wait: float = 10.0

    def __post_init__(self) -> None:
        if self.attempts < 1 or not self.total_timeout > 0:
            raise ConfigurationError("RetryPolicy needs attempts >= 1 and total_timeout > 0")

    def stamina_arguments(self) -> dict[str, Any]:
        """The keyword arguments of `stamina.retry_context` for this policy."""
        return {
            "attempts": self.attempts,
            "timeout": self.total_timeout,
            "wait_initial": self.backoff_initial,
            "wait_max": self.backoff_max,
            "wait_jitter": self.backoff_jitter,
        }


DEFAULT_RETRY = RetryPolicy()


class RetryState:
    """One call's retry bookkeeping: stamina's backoff hook plus the earlier-attempt memory.

    Args:
        policy: The retry policy.
        describe: The call's name, for log lines.
        idempotent: False when a second landing does more than the first (a partial cancel):
            then a failure that may have landed (a 5xx, a connection broken after sending) is
            not retried.
        began: `time.monotonic()` when the call began (the total timeout counts from there).
    """

    def __init__(
        self, policy: RetryPolicy, describe: str, *, idempotent: bool, began: float
    ) -> None:
        self.policy = policy
        self._describe = describe
        self._idempotent = idempotent
        self._began = began
        self._maybe_landed: OrderCancelError | None = None
        self._last_failure: Exception | None = None
        self._attempt = 0

    def _decide(self, exc: Exception) -> bool | float:
        if isinstance(exc, RateLimited):
            hint = exc.retry_after
            if hint is None:
                return True
            return hint if hint <= self.policy.max_rate_limit_wait else False
        if isinstance(exc, ServerError) or (
            isinstance(exc, APIConnectionError) and exc.request_sent
        ):
            self._maybe_landed = exc
            return self._idempotent
        return isinstance(exc, APIConnectionError)  # never sent: always safe to send

    def time_left(self) -> float:
        """Seconds left of the call's total timeout (negative once it is spent)."""
        return self.policy.total_timeout - (time.monotonic() - self._began)

    def _fits(self, decision: bool | float) -> bool:
        """Whether the wait before another attempt ends within the total timeout."""
        policy = self.policy
        shortest = min(policy.backoff_max, policy.backoff_initial * 2 ** (self._attempt - 1))
        wait = shortest if decision is True else float(decision)
        return wait < self.time_left()

    def backoff(self, exc: Exception) -> bool | float:
        """Whether to retry after `exc` (True: exponential backoff; a float: wait that long)."""
        if isinstance(exc, UNSENT) and self._last_failure is not None:
            return False  # a retry that could not be sent: see `unsent`
        self._attempt += 1
        self._last_failure = exc
        decision = self._decide(exc)
        if decision is not False and not self._fits(decision):
            decision = False
        # stamina counts the attempts; only a retry that will happen is announced.
        if decision is not False and self._attempt < self.policy.attempts:
            wait = "with backoff" if decision is True else f"{decision:.3f} s as asked"
            logger.warning(
                "retrying %s after attempt %d of %d failed (%s: %s), waiting %s",
                self._describe,
                self._attempt,
                self.policy.attempts,
                type(exc).__name__,
                exc,
                wait,
            )
        return decision

    def parse(
        self,
        parse: Callable[[Any], T],
        raw: Any,
        after_landed: Callable[[T, OrderCancelError], T] | None = None,
    ) -> T:
        """`parse(raw)`, turning "not cancellable" into OrderGoneAfterRetry when it applies.

        `after_landed` does the same inside a result that holds many outcomes (a batch).
        """
        try:
            result = parse(raw)
        except OrderNotCancellable as exc:
            if self._maybe_landed is None:
                raise
            raise OrderGoneAfterRetry(self._maybe_landed, exc) from exc
        if self._maybe_landed is not None and after_landed is not None:
            return after_landed(result, self._maybe_landed)
        return result

    def unsent(self, exc: Exception) -> Exception:
        """The error to raise when an attempt could not be sent (`UNSENT`): the last sent one's.

        A retry found no rate-limit slot in time, or the client closed, or another event loop:
        nothing more was sent, so the call ends as its last attempt did (a `request_sent` or a
        possibly landed 5xx stays visible); raised inside `except`, `exc` becomes its context.
        When no attempt came before (`exc` is the first), `exc` itself.
        """
        last = self._last_failure
        if last is None or last is exc:
            return exc
        logger.warning("not retrying %s: %s", self._describe, exc)
        return last
