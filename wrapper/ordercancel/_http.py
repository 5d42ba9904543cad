"""The HTTP plumbing both venues share: timeouts, the httpx clients, and sending one operation.

A venue describes each call as an `Operation`: the generated `*_detailed` functions to call, their
keyword arguments (already checked), the parser of the raw answer, and its rate-limit weight.
`send` and `asend` run it under the retry policy, pace it with an optional limiter, log one
DEBUG line per attempt, and map transport failures to `APIConnectionError`.
"""

from __future__ import annotations

import logging
import re
import time
from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

import httpx

from ._limiter import RateLimiter
from ._retry import RetryPolicy, RetryState
from .errors import APIConnectionError, APITimeoutError, ConfigurationError, OrderCancelError

T = TypeVar("T")
logger = logging.getLogger("ordercancel")

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
"""Per attempt: connect 5 s; read, write and pool 10 s each. The whole call: RetryPolicy."""

# Connection failures that mean the request never left this machine.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


@dataclass(frozen=True, slots=True)
class RawResponse:
    """What the venue sent back, before any interpretation."""

    status_code: int
    content: bytes
    headers: Mapping[str, str]


@dataclass(frozen=True, slots=True)
class Operation(Generic[T]):
    """One call: the generated endpoint functions, their arguments, and the answer's parser."""

    sync: Callable[..., Any]
    asyncio: Callable[..., Awaitable[Any]]
    kwargs: Mapping[str, Any]
    parse: Callable[[RawResponse], T]
    weight: int = 1
    """The call's weight in the venue's rate-limit pool."""
    idempotent: bool = True
    """False when doing it twice does more than once (a partial cancel): no retry after a 5xx."""
    after_landed: Callable[[T, OrderCancelError], T] | None = None
    """For results holding many outcomes: mark those "gone after a retry" (see RetryState)."""


# The generated code parses a 200 body itself and raises on a body of the wrong shape (HTML,
# truncated JSON, `"data": null`, ...) before we see the response. A response hook remembers the
# raw answer, so every answer is read here, and only by the venue's own envelope parser.
_last_response: ContextVar[httpx.Response | None] = ContextVar(
    "ordercancel_last_response", default=None
)
_GENERATED_PARSE_ERRORS = (ValueError, KeyError, TypeError, AttributeError, RecursionError)


def check_base_url(base_url: str) -> str:
    """A venue's base URL: http(s), a host, and nothing that httpx would merge into each path.

    Raises:
        ConfigurationError: another scheme, no host, credentials, a query or a fragment.
    """
    try:
        url = httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ConfigurationError(f"base_url is not a URL: {base_url!r}") from exc
    if url.scheme not in ("http", "https") or not url.host:
        raise ConfigurationError(f"base_url must be http(s)://host[:port][/prefix], got {url}")
    if url.userinfo or url.query or url.fragment or "?" in base_url or "#" in base_url:
        raise ConfigurationError("base_url must have no credentials, query or fragment")
    return base_url


def _remember(response: httpx.Response) -> None:
    _last_response.set(response)


async def _aremember(response: httpx.Response) -> None:
    _last_response.set(response)


def _log_attempt(
    request: httpx.Request, outcome: str, started: float, attempt: int, remaining: str
) -> None:
    logger.debug(
        "%s %s -> %s in %.1f ms (attempt %d, rate-limit remaining %s)",
        request.method,
        request.url.path,
        outcome,
        (time.perf_counter() - started) * 1000,
        attempt,
        remaining,
    )


def _connection_error(exc: httpx.RequestError, started: float, attempt: int) -> APIConnectionError:
    request = exc.request
    _log_attempt(request, type(exc).__name__, started, attempt, "-")
    kind = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    # A local protocol error quotes the offending header value, which may be a credential.
    detail = "" if isinstance(exc, httpx.LocalProtocolError) else f": {exc}"
    return kind(
        f"{type(exc).__name__} on {request.method} {request.url.path}{detail}",
        method=request.method,
        path=request.url.path,
        request_sent=not isinstance(exc, _NOT_SENT),
    )


def _received(response: httpx.Response | None, started: float, attempt: int) -> RawResponse:
    assert response is not None, "the response hook runs for every answer"
    if logger.isEnabledFor(logging.DEBUG):  # the header lookup is not free: only when logged
        remaining = response.headers.get("gw-ratelimit-remaining", "-")
        _log_attempt(response.request, str(response.status_code), started, attempt, remaining)
    return RawResponse(response.status_code, response.content, response.headers)


def _describe(operation: Operation[Any]) -> str:
    return getattr(operation.sync, "__module__", "call").rsplit(".", 1)[-1]


def _attempt(operation: Operation[Any], client: Any, attempt: int) -> RawResponse:
    token = _last_response.set(None)
    started = time.perf_counter()
    try:
        try:
            operation.sync(client=client, **operation.kwargs)
        except _GENERATED_PARSE_ERRORS:
            if _last_response.get() is None:  # not the parse of an answer: a bug, let it show
                raise
        response = _last_response.get()
    except httpx.RequestError as exc:
        raise _connection_error(exc, started, attempt) from exc
    finally:
        _last_response.reset(token)
    return _received(response, started, attempt)


async def _aattempt(operation: Operation[Any], client: Any, attempt: int) -> RawResponse:
    token = _last_response.set(None)
    started = time.perf_counter()
    try:
        try:
            await operation.asyncio(client=client, **operation.kwargs)
        except _GENERATED_PARSE_ERRORS:
            if _last_response.get() is None:  # not the parse of an answer: a bug, let it show
                raise
        response = _last_response.get()
    except httpx.RequestError as exc:
        raise _connection_error(exc, started, attempt) from exc
    finally:
        _last_response.reset(token)
    return _received(response, started, attempt)


def _retry_arguments(policy: RetryPolicy, began: float) -> dict[str, Any]:
    """The `stamina.retry_context` arguments for a call whose first attempt began at `began`.

    stamina's clock starts with its loop, after that first attempt: its timeout is what is left
    of the policy's, so the whole call still ends within `total_timeout`. (It must stay positive:
    stamina warns about 0; a leftover this small stops after the replayed attempt all the same.)
    """
    arguments = policy.stamina_arguments()
    arguments["timeout"] = max(arguments["timeout"] - (time.monotonic() - began), 1e-9)
    return arguments


def send(
    operation: Operation[T], client: Any, policy: RetryPolicy, limiter: RateLimiter | None
) -> T:
    """Run `operation` with the generated sync client under `policy`; return its result.

    The first attempt runs bare: most calls succeed at once and need none of stamina's
    machinery. Only a failure enters stamina's loop, which replays it as attempt 1 (the same
    retry decision, log line, backoff and attempt numbers as if stamina had run it).
    """
    began = time.monotonic()
    try:
        if limiter is not None:
            limiter.acquire(operation.weight)
        return operation.parse(_attempt(operation, client, 1))
    except Exception as exc:
        first: Exception = exc
    return _send_retrying(operation, client, policy, limiter, first, began)


def _send_retrying(
    operation: Operation[T],
    client: Any,
    policy: RetryPolicy,
    limiter: RateLimiter | None,
    first: Exception,
    began: float,
) -> T:
    import stamina  # only a failed first attempt pays for importing it

    state = RetryState(policy, _describe(operation), idempotent=operation.idempotent, began=began)
    replay: Exception | None = first
    for attempt in stamina.retry_context(on=state.backoff, **_retry_arguments(policy, began)):
        with attempt:
            if replay is not None:  # attempt 1, already run by `send`
                failed, replay = replay, None
                raise failed
            if limiter is not None:
                limiter.acquire(operation.weight)
            raw = _attempt(operation, client, attempt.num)
            return state.parse(operation.parse, raw, operation.after_landed)
    raise AssertionError("unreachable: stamina raises the last error")  # pragma: no cover


async def asend(
    operation: Operation[T], client: Any, policy: RetryPolicy, limiter: RateLimiter | None
) -> T:
    """Run `operation` with the generated async client under `policy`; return its result.

    Like `send`: a bare first attempt, and stamina's loop only after a failure.
    """
    began = time.monotonic()
    try:
        if limiter is not None:
            await limiter.acquire_async(operation.weight)
        return operation.parse(await _aattempt(operation, client, 1))
    except Exception as exc:
        first: Exception = exc
    return await _asend_retrying(operation, client, policy, limiter, first, began)


async def _asend_retrying(
    operation: Operation[T],
    client: Any,
    policy: RetryPolicy,
    limiter: RateLimiter | None,
    first: Exception,
    began: float,
) -> T:
    import stamina  # only a failed first attempt pays for importing it

    state = RetryState(policy, _describe(operation), idempotent=operation.idempotent, began=began)
    replay: Exception | None = first
    async for attempt in stamina.retry_context(on=state.backoff, **_retry_arguments(policy, began)):
        with attempt:
            if replay is not None:  # attempt 1, already run by `asend`
                failed, replay = replay, None
                raise failed
            if limiter is not None:
                await limiter.acquire_async(operation.weight)
            raw = await _aattempt(operation, client, attempt.num)
            return state.parse(operation.parse, raw, operation.after_landed)
    raise AssertionError("unreachable: stamina raises the last error")  # pragma: no cover


ResponseHook = Callable[[httpx.Response], None]

# Characters that neither urlencode nor httpx's URL quoting ever change.
_PLAIN = re.compile(r"[A-Za-z0-9._~-]*")


def _fold_plain_params(url: httpx.URL | str, params: Any) -> tuple[httpx.URL | str, Any]:
    """`url?k=v&...` when that is exactly what httpx would send for `params`, else both as given.

    httpx merges `params` into a URL by encoding them and parsing the URL once more. For a
    relative text URL without a query, and a dict of text made only of characters that no
    encoding touches (every value the input checks admit), the result is this same text.
    """
    if type(url) is not str or "?" in url or "#" in url or type(params) is not dict or not params:
        return url, params
    parts = []
    for key, value in params.items():
        if type(key) is not str or type(value) is not str:
            return url, params
        if not (_PLAIN.fullmatch(key) and _PLAIN.fullmatch(value)):
            return url, params
        parts.append(f"{key}={value}")
    return f"{url}?{'&'.join(parts)}", None


def _prepared(
    client: httpx.Client | httpx.AsyncClient, url: httpx.URL | str, params: Any
) -> tuple[httpx.URL | str, Any]:
    """The `url` and `params` to build with: the same request, fewer URL parses.

    httpx parses a relative URL, then parses it again merged into `base_url`, then once more
    merged with `params`. Plain parameters go into the text (`_fold_plain_params`), and a path
    (one leading slash) is joined to the base URL's text as httpx joins them - the base URL
    always ends in a slash; ours has no query or fragment - and parsed once.
    """
    if not client.params:
        url, params = _fold_plain_params(url, params)
    if type(url) is not str or not url.startswith("/") or url.startswith("//"):
        return url, params
    base = client.base_url
    known = client.__dict__.get("_ordercancel_base")
    if known is None or known[0] is not base:  # first call, or the base URL was replaced
        known = (base, _base_prefix(base))
        client.__dict__["_ordercancel_base"] = known
    prefix = known[1]
    return (url, params) if prefix is None else (httpx.URL(prefix + url[1:]), params)


def _base_prefix(base: httpx.URL) -> str | None:
    """`scheme://host[:port]/path/` of `base` as text; None if it has more than that, or less."""
    if not base.is_absolute_url or base.userinfo or base.query or base.fragment:
        return None
    return f"{base.scheme}://{base.netloc.decode('ascii')}{base.raw_path.decode('ascii')}"


class _Cookies(httpx.Cookies):
    """httpx's cookie store, not shown answers that set no cookie (for which it does nothing).

    For every answer, httpx.Cookies builds urllib adapters of the request and the response,
    copying every header into an `email.message.Message`, for the jar to look for Set-Cookie
    and Set-Cookie2 only. Answers with either header go through it as before.
    """

    def extract_cookies(self, response: httpx.Response) -> None:
        """Store the cookies `response` sets, if it sets any."""
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


class _Client(httpx.Client):
    """httpx.Client building the same requests with less work (see `_prepared`)."""

    def build_request(
        self, method: str, url: httpx.URL | str, *, params: Any = None, **kwargs: Any
    ) -> httpx.Request:
        """As httpx builds it."""
        url, params = _prepared(self, url, params)
        return super().build_request(method, url, params=params, **kwargs)


class _AsyncClient(httpx.AsyncClient):
    """httpx.AsyncClient building the same requests with less work (see `_prepared`)."""

    def build_request(
        self, method: str, url: httpx.URL | str, *, params: Any = None, **kwargs: Any
    ) -> httpx.Request:
        """As httpx builds it."""
        url, params = _prepared(self, url, params)
        return super().build_request(method, url, params=params, **kwargs)


def sync_http_client(
    *,
    base_url: str,
    auth: httpx.Auth,
    timeout: httpx.Timeout,
    transport: httpx.BaseTransport | None,
    http_client: httpx.Client | None,
    on_response: ResponseHook | None = None,
) -> httpx.Client:
    """The httpx.Client a sync venue client sends through: ours, or the caller's, configured."""
    hooks = [_remember] if on_response is None else [_remember, on_response]
    if http_client is None:
        client = _Client(
            base_url=base_url,
            auth=auth,
            timeout=timeout,
            transport=transport,
            event_hooks={"response": hooks},
        )
        client._cookies = _Cookies(client.cookies.jar)  # the same jar (see _Cookies)
        return client
    http_client.base_url = httpx.URL(base_url)
    http_client.auth = auth
    http_client.event_hooks["response"].extend(hooks)
    return http_client


def async_http_client(
    *,
    base_url: str,
    auth: httpx.Auth,
    timeout: httpx.Timeout,
    transport: httpx.AsyncBaseTransport | None,
    http_client: httpx.AsyncClient | None,
    on_response: ResponseHook | None = None,
) -> httpx.AsyncClient:
    """The httpx.AsyncClient an async venue client sends through: ours, or the caller's."""

    async def notify(response: httpx.Response) -> None:
        if on_response is not None:
            on_response(response)

    hooks = [_aremember] if on_response is None else [_aremember, notify]
    if http_client is None:
        if transport is None:
            # Imported here: aiohttp costs ~100 ms to import, paid only by async users.
            from ._aiohttp import AiohttpTransport

            transport = AiohttpTransport()
        client = _AsyncClient(
            base_url=base_url,
            auth=auth,
            timeout=timeout,
            transport=transport,
            event_hooks={"response": hooks},
        )
        client._cookies = _Cookies(client.cookies.jar)  # the same jar (see _Cookies)
        return client
    http_client.base_url = httpx.URL(base_url)
    http_client.auth = auth
    http_client.event_hooks["response"].extend(hooks)
    return http_client
