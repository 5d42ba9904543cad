"""The retry policy: what is retried, how long to wait, and what a retry's answer means.

Retried, with every attempt signed afresh:
- a connection that failed before the request was sent (connect error or timeout, pool timeout);
- a rate-limit answer, after the venue's hint (`gw-ratelimit-reset` for KuCoin, `Retry-After`
  for Kuest) when that hint is at most `max_rate_limit_wait`; with no hint, the backoff below;
- a server error (HTTP 5xx, KuCoin 500000), with exponential backoff and jitter.
Nothing else is retried: no other 4xx, and no failure after the request may have been sent
(a read timeout or a dropped connection), since only the venue knows whether that cancel landed.

A cancel whose earlier attempt may have reached the venue (it answered 5xx) and whose retry is
answered "not found / not cancellable" raises `OrderGoneAfterRetry`: most likely the earlier
attempt did cancel it, but only the order's state can tell.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from .errors import (
    APIConnectionError,
    ConfigurationError,
    OrderCancelError,
    OrderNotCancellable,
    RateLimited,
    ServerError,
)

T = TypeVar("T")
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


class OrderGoneAfterRetry(OrderCancelError):
    """A retried cancel found the order gone, and an earlier attempt may have cancelled it.

    Neither a plain success nor a plain failure: check the order's state to be sure.

    Attributes:
        earlier: The error of the attempt that may have reached the venue.
        final: The "not found / not cancellable" error of the last attempt.
    """

    def __init__(self, earlier: OrderCancelError, final: OrderNotCancellable) -> None:
        super().__init__(
            f"the order was gone on retry; the earlier attempt may have cancelled it "
            f"(earlier: {earlier}; then: {final})"
        )
        self.earlier = earlier
        self.final = final


class RetryState:
    """One call's retry bookkeeping: stamina's backoff hook plus the earlier-attempt memory.

    Args:
        policy: The retry policy.
        describe: The call's name, for log lines.
        idempotent: False when a second landing does more than the first (a partial cancel):
            then a 5xx, which may have landed, is not retried.
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
        self._attempt = 0

    def _decide(self, exc: Exception) -> bool | float:
        if isinstance(exc, RateLimited):
            hint = exc.retry_after
            if hint is None:
                return True
            return hint if hint <= self.policy.max_rate_limit_wait else False
        if isinstance(exc, ServerError):
            self._maybe_landed = exc
            return self._idempotent
        if isinstance(exc, APIConnectionError):
            return not exc.request_sent
        return False

    def _fits(self, decision: bool | float) -> bool:
        """Whether the wait before another attempt ends within the total timeout."""
        policy = self.policy
        shortest = min(policy.backoff_max, policy.backoff_initial * 2 ** (self._attempt - 1))
        wait = shortest if decision is True else float(decision)
        return time.monotonic() - self._began + wait < policy.total_timeout

    def backoff(self, exc: Exception) -> bool | float:
        """Whether to retry after `exc` (True: exponential backoff; a float: wait that long)."""
        self._attempt += 1
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
