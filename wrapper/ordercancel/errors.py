"""The one error tree of ordercancel.

Every error the library raises on purpose derives from `OrderCancelError`:

    OrderCancelError
    ├── InvalidRequest (also ValueError)      raised before anything is sent
    │   └── ConfigurationError                missing or unusable keys or settings
    ├── APIConnectionError                    no answer came back (connect, read, write)
    │   └── APITimeoutError                   a timeout expired
    ├── OrderGoneAfterRetry                   a retry found the order gone: maybe our own cancel
    ├── BeatAbandoned (also TimeoutError)     a keeper's beat unanswered when the next was due
    ├── RateLimitWaitTooLong                  the client-side limiter has no slot in time: not sent
    ├── ClientClosedError                     a call on a closed client; nothing sent
    ├── WrongEventLoopError                   an async client called in another event loop
    └── APIError                              the venue answered, not with the documented success
        ├── AuthenticationError               keys, signature, passphrase, timestamp, permission
        ├── PermissionDenied                  not allowed (another user's order)
        ├── RateLimited                       .retry_after in seconds when the venue said
        ├── OrderNotCancellable               not found, filled or already cancelled
        │   └── OrderNotFound                 the venue says it does not know the order
        ├── ServerError                       5xx
        ├── UnexpectedResponse                a body that is not the documented shape
        ├── KucoinAPIError                    .code, .msg, .rate_limit
        │   ├── KucoinAuthenticationError     (also AuthenticationError)
        │   ├── KucoinRateLimited             (also RateLimited)
        │   ├── KucoinOrderNotCancellable     (also OrderNotCancellable)
        │   ├── KucoinServerError             (also ServerError)
        │   ├── KucoinUnexpectedResponse      (also UnexpectedResponse)
        │   ├── KucoinCancelAllIncomplete     .result: some symbols failed
        │   └── KucoinOrderStillOpen          .state: a sync cancel left the order open
        └── KuestAPIError                     .error
            ├── KuestAuthenticationError      (also AuthenticationError)
            ├── KuestPermissionDenied         (also PermissionDenied)
            ├── KuestOrderNotFound            (also OrderNotFound)
            ├── KuestOrderNotCancellable      (also OrderNotCancellable)
            ├── KuestRateLimited              (also RateLimited)
            ├── KuestServerError              (also ServerError)
            ├── KuestUnexpectedResponse       (also UnexpectedResponse)
            ├── KuestCancelIncomplete         .report: some orders were not canceled
            └── KuestInvalidHeartbeatId       .heartbeat_id: Kuest named another id

`ClientClosedError` and `WrongEventLoopError` are also `RuntimeError`s (what httpx and asyncio
raise in those cases), and mean a mistake in the calling code: no request was sent.

Catch a meaning (`OrderNotCancellable`) to handle every venue alike, or a venue class
(`KucoinAPIError`) for its codes. No message, str or repr ever contains a secret: errors carry
only what the venue sent back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from time import time
from typing import TYPE_CHECKING

import httpx

from ._redact import redacted

if TYPE_CHECKING:
    from .kucoin._results import CancelAllResult, SyncCancelResult
    from .kuest._results import KuestCancelReport

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "BeatAbandoned",
    "ClientClosedError",
    "ConfigurationError",
    "InvalidRequest",
    "KucoinAPIError",
    "KucoinAuthenticationError",
    "KucoinCancelAllIncomplete",
    "KucoinOrderNotCancellable",
    "KucoinOrderStillOpen",
    "KucoinRateLimited",
    "KucoinServerError",
    "KucoinUnexpectedResponse",
    "KuestAPIError",
    "KuestAuthenticationError",
    "KuestCancelIncomplete",
    "KuestInvalidHeartbeatId",
    "KuestOrderNotCancellable",
    "KuestOrderNotFound",
    "KuestPermissionDenied",
    "KuestRateLimited",
    "KuestServerError",
    "KuestUnexpectedResponse",
    "OrderCancelError",
    "OrderGoneAfterRetry",
    "OrderNotCancellable",
    "OrderNotFound",
    "PermissionDenied",
    "RateLimitInfo",
    "RateLimitWaitTooLong",
    "RateLimited",
    "ServerError",
    "UnexpectedResponse",
    "WrongEventLoopError",
]


class OrderCancelError(Exception):
    """Base of every error ordercancel raises on purpose."""


class InvalidRequest(OrderCancelError, ValueError):
    """An argument was rejected before anything was sent."""


class ConfigurationError(InvalidRequest):
    """Keys or settings are missing or unusable (raised at construction, nothing sent)."""


class APIConnectionError(OrderCancelError):
    """No answer came back: the connection failed, broke, or the request could not be sent.

    Attributes:
        method: The HTTP method of the request.
        path: The URL path of the request (no host, no query).
        request_sent: False when the connection failed before the request left this machine
            (the venue cannot have acted on it); True when it may have reached the venue.
    """

    def __init__(self, message: str, *, method: str, path: str, request_sent: bool) -> None:
        super().__init__(message)
        self.method = method
        self.path = path
        self.request_sent = request_sent


class APITimeoutError(APIConnectionError):
    """A connect, read, write or pool timeout expired before the answer came back."""


class RateLimitWaitTooLong(OrderCancelError):
    """The client-side `RateLimiter` has no slot in time, so nothing was sent.

    Raised when the wait for `weight` units would be longer than the caller can wait: what is
    left of the call's `RetryPolicy.total_timeout`, or the `max_wait` given to the limiter. The
    limiter keeps no booking for it. (A retry that finds no slot in time is not retried: the
    call raises the error of its last attempt, with this one as its `__context__`.)

    Attributes:
        weight: The units asked for.
        wait: Seconds until the limiter could have let them go.
        max_wait: Seconds the caller could wait.
    """

    def __init__(self, *, weight: int, wait: float, max_wait: float) -> None:
        super().__init__(
            f"the rate limiter has no slot for weight {weight} within {max_wait:.3f} s "
            f"(the earliest is in {wait:.3f} s); nothing was sent"
        )
        self.weight = weight
        self.wait = wait
        self.max_wait = max_wait


class ClientClosedError(OrderCancelError, RuntimeError):
    """A call on a client that was closed (its `with` block ended, or `close()` ran).

    Nothing was sent. Make the calls inside the `with` block, or create a new client.
    """


class WrongEventLoopError(OrderCancelError, RuntimeError):
    """An async client was called in another event loop than the one it first sent in.

    Nothing was sent. An async client belongs to one event loop (its connections do): create it
    inside the coroutine that `asyncio.run` runs, and a new one for each `asyncio.run`.
    """


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


class BeatAbandoned(OrderCancelError, TimeoutError):
    """A keeper's background beat got no answer before the next was due; it was given up.

    Never raised to the caller: a keeper keeps it in `last_error` and counts it as a failure.
    """


@dataclass(frozen=True, slots=True)
class RateLimitInfo:
    """The rate-limit headers of one answer; each is None when absent or unreadable.

    Attributes:
        limit: The pool's quota for the window.
        remaining: What is left of it.
        reset_ms: Milliseconds until the pool refills.
    """

    limit: int | None = None
    remaining: int | None = None
    reset_ms: int | None = None


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name, "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


def rate_limit_info(headers: Mapping[str, str]) -> RateLimitInfo:
    """The `gw-ratelimit-*` values of an answer (None where absent or not a number)."""
    if isinstance(headers, httpx.Headers):
        # One pass over the answer's raw headers instead of a scan per name, decoding only
        # these; repeated headers are joined as `Headers.get` joins them. (A value that is not
        # ASCII is no number however it is decoded.)
        found: dict[str, str] = {}
        for raw_key, raw_value in headers.raw:
            lower_key = raw_key.lower()
            if lower_key.startswith(b"gw-ratelimit-"):
                key, value = lower_key.decode("latin-1"), raw_value.decode("latin-1")
                found[key] = f"{found[key]}, {value}" if key in found else value
        headers = found
    return RateLimitInfo(
        limit=_header_int(headers, "gw-ratelimit-limit"),
        remaining=_header_int(headers, "gw-ratelimit-remaining"),
        reset_ms=_header_int(headers, "gw-ratelimit-reset"),
    )


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date), None when absent or unreadable."""
    value = headers.get("retry-after", "").strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


class APIError(OrderCancelError):
    """The venue answered with something other than the documented success.

    Its message never quotes the secret values the request sent (its key, passphrase and
    signature headers: `[redacted]`), even when the body echoes them; `body` is kept raw.

    Attributes:
        venue: "kucoin" or "kuest".
        status_code: The HTTP status.
        body: The raw response body, exactly as received (secrets a server echoed included).
        headers: The response headers.
        retry_after: Seconds the venue asked to wait before retrying, or None.
    """

    venue: str = ""

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        body: bytes,
        headers: Mapping[str, str],
        retry_after: float | None = None,
    ) -> None:
        super().__init__(redacted(message))
        self.status_code = status_code
        self.body = body
        self.headers = dict(headers)
        self.retry_after = retry_after


class AuthenticationError(APIError):
    """The venue rejected the credentials, signature, passphrase, timestamp or permission."""


class PermissionDenied(APIError):
    """Authenticated, but not allowed to touch this order."""


class RateLimited(APIError):
    """The venue's rate limit is spent; `retry_after` says how long to wait when known."""


class OrderNotCancellable(APIError):
    """The order cannot be cancelled: unknown, already filled or already cancelled."""


class OrderNotFound(OrderNotCancellable):
    """The venue says it does not know the order."""


class ServerError(APIError):
    """The venue failed (HTTP 5xx or an internal-error code)."""


class UnexpectedResponse(APIError):
    """The body is not the documented shape (HTML, empty, truncated, wrong fields)."""


class KucoinAPIError(APIError):
    """KuCoin answered with something other than success.

    Attributes:
        code: KuCoin's code ("400100", ...), or None when the body had none.
        msg: KuCoin's message, or None; the request's secrets redacted, as in the message.
        rate_limit: The `gw-ratelimit-*` headers of the answer.
    """

    venue = "kucoin"

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        code: str | None,
        msg: str | None,
        body: bytes,
        headers: Mapping[str, str],
    ) -> None:
        self.code = code
        self.msg = None if msg is None else redacted(msg)
        self.rate_limit = rate_limit_info(headers)
        reset = self.rate_limit.reset_ms
        retry_after = reset / 1000 if reset is not None and isinstance(self, RateLimited) else None
        super().__init__(
            message, status_code=status_code, body=body, headers=headers, retry_after=retry_after
        )


class KucoinAuthenticationError(KucoinAPIError, AuthenticationError):
    """KuCoin's codes 400001-400009, or HTTP 401 with a KuCoin envelope.

    Headers, key, passphrase, signature, timestamp, IP or permission. A 401 page without a
    KuCoin envelope (a proxy's) is a KucoinUnexpectedResponse.
    """


class KucoinRateLimited(KucoinAPIError, RateLimited):
    """Code 429000: the Spot pool is spent; `retry_after` is `gw-ratelimit-reset` in seconds."""


class KucoinOrderNotCancellable(KucoinAPIError, OrderNotCancellable):
    """Code 400100 saying the order does not exist or can no longer be cancelled."""


class KucoinServerError(KucoinAPIError, ServerError):
    """Code 500000 or HTTP 5xx."""


class KucoinUnexpectedResponse(KucoinAPIError, UnexpectedResponse):
    """The body is not a KuCoin envelope of the documented shape."""


class KucoinCancelAllIncomplete(KucoinAPIError):
    """Cancel-all succeeded for some symbols only; `result` lists both sides."""

    result: CancelAllResult


class KucoinOrderStillOpen(KucoinAPIError):
    """A sync cancel finished with the order still open (`status` "open"): it was NOT cancelled.

    KuCoin answered with success, but the order is live; `state` holds its sizes.
    """

    state: SyncCancelResult


class KuestAPIError(APIError):
    """Kuest answered with something other than success.

    Attributes:
        error: Kuest's message (`error`, or `message`, or the not-canceled reason), or None;
            the request's secrets redacted, as in the message.
    """

    venue = "kuest"

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        error: str | None,
        body: bytes,
        headers: Mapping[str, str],
    ) -> None:
        self.error = None if error is None else redacted(error)
        retry_after = retry_after_seconds(headers) if isinstance(self, RateLimited) else None
        super().__init__(
            message, status_code=status_code, body=body, headers=headers, retry_after=retry_after
        )


class KuestAuthenticationError(KuestAPIError, AuthenticationError):
    """HTTP 401 with Kuest's `{"error": ...}` body: missing or wrong credentials or signature.

    A 401 in any other body (a proxy's page, a gateway's JSON) is a KuestUnexpectedResponse.
    """


class KuestPermissionDenied(KuestAPIError, PermissionDenied):
    """HTTP 403 with Kuest's `{"error": ...}` body: not allowed (another user's order, ...).

    A 403 in any other body (a firewall's page, a gateway's JSON) is a KuestUnexpectedResponse.
    """


class KuestOrderNotFound(KuestAPIError, OrderNotFound):
    """HTTP 404, or a not-canceled reason saying the order is unknown."""


class KuestOrderNotCancellable(KuestAPIError, OrderNotCancellable):
    """HTTP 409, or a not-canceled reason saying it is already filled or cancelled."""


class KuestRateLimited(KuestAPIError, RateLimited):
    """HTTP 429; `retry_after` comes from the Retry-After header when present."""


class KuestServerError(KuestAPIError, ServerError):
    """HTTP 5xx."""


class KuestUnexpectedResponse(KuestAPIError, UnexpectedResponse):
    """A body that is not one of the documented shapes."""


class KuestCancelIncomplete(KuestAPIError):
    """A cancel-all or cancel-market call left orders uncancelled; `report` lists both sides."""

    report: KuestCancelReport


class KuestInvalidHeartbeatId(KuestAPIError):
    """HTTP 400 "Invalid Heartbeat ID": the id sent is not Kuest's current one.

    `heartbeat()` answers this once by continuing with the id Kuest named; raised only when
    that fails too. `heartbeat_id` is the id Kuest named.
    """

    heartbeat_id: str
