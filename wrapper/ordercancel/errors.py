"""The one error tree of ordercancel.

Every error the library raises on purpose derives from `OrderCancelError`:

    OrderCancelError
    ├── InvalidRequest (also ValueError)      raised before anything is sent
    │   └── ConfigurationError                missing or unusable keys or settings
    ├── APIConnectionError                    no answer came back (connect, read, write)
    │   └── APITimeoutError                   a timeout expired
    ├── OrderGoneAfterRetry                   a retry found the order gone: maybe our own cancel
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
        ├── KucoinAPIError                    .code, .msg, .rate_limit (+ leaves as above)
        └── KuestAPIError                     .error (+ leaves as above)

`ClientClosedError` and `WrongEventLoopError` are also `RuntimeError`s (what httpx and asyncio
raise in those cases), and mean a mistake in the calling code: no request was sent.

Catch a meaning (`OrderNotCancellable`) to handle every venue alike, or a venue class
(`KucoinAPIError`) for its codes. No message, str or repr ever contains a secret: errors carry
only what the venue sent back.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AuthenticationError",
    "ClientClosedError",
    "ConfigurationError",
    "InvalidRequest",
    "OrderCancelError",
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


class APIError(OrderCancelError):
    """The venue answered with something other than the documented success.

    Attributes:
        venue: "kucoin" or "kuest".
        status_code: The HTTP status.
        body: The raw response body, exactly as received.
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
        super().__init__(message)
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
