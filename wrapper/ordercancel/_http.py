"""The HTTP plumbing both venues share: timeouts, the httpx clients, and sending one operation.

A venue describes each call as an `Operation` (`_types.py`): the generated request builder, its
keyword arguments (already checked), the parser of the raw answer, and its rate-limit weight.
`send` and `asend` send the request the generated code builds, hand the answer's bytes to the
parser (the one place that decodes them), run it under the retry policy, pace it with an
optional limiter, log one DEBUG line per attempt, and map transport failures to
`APIConnectionError`.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any, TypeVar

import httpx

from ._compat import set_cookie_store
from ._fast_httpx import AsyncClient, Client, Cookies
from ._limiter import RateLimiter
from ._retry import UNSENT, RetryPolicy, RetryState
from ._tls import shared_context
from ._types import Operation, RawResponse
from .errors import (
    APIConnectionError,
    APITimeoutError,
    ClientClosedError,
    ConfigurationError,
)

T = TypeVar("T")
logger = logging.getLogger("ordercancel")

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
"""Per attempt: connect 5 s; read, write and pool 10 s each. The whole call: RetryPolicy."""

# Connection failures that mean the request never left this machine.
_NOT_SENT = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)


def check_base_url(base_url: str) -> str:
    """A venue's base URL: http(s), a host, and nothing that httpx would merge into each path.

    No message quotes user info (it may hold a password), a query or a fragment (a token).

    Raises:
        ConfigurationError: another scheme, no host, credentials (any "@"), a query, a fragment
            or a port outside 1-65535.
    """
    if isinstance(base_url, str) and "@" in base_url:
        raise ConfigurationError(
            "base_url must have no credentials (user:password@host); "
            "it is not quoted here, as it may hold a password"
        )
    try:
        url = httpx.URL(base_url)
    except (httpx.InvalidURL, TypeError) as exc:
        raise ConfigurationError("base_url is not a valid URL") from exc
    if url.scheme not in ("http", "https") or not url.host:
        # The text as given (httpx.URL drops a default port when it prints a URL), without a
        # query or fragment, which may hold a token; user info was refused above.
        shown = base_url.split("?", 1)[0].split("#", 1)[0]
        raise ConfigurationError(f"base_url must be http(s)://host[:port][/prefix], got {shown!r}")
    if url.query or url.fragment or "?" in base_url or "#" in base_url:
        raise ConfigurationError("base_url must have no query or fragment")
    if url.port is not None and not 0 < url.port < 65536:
        # The resolver would wrap it (99999 is port 34463): a cancel sent to another server.
        raise ConfigurationError(f"base_url's port must be 1 to 65535, got {url.port}")
    return base_url


def _log_attempt(
    method: str, path: str, outcome: str, started: float, attempt: int, remaining: str
) -> None:
    logger.debug(
        "%s %s -> %s in %.1f ms (attempt %d, rate-limit remaining %s)",
        method.upper(),
        path,
        outcome,
        (time.perf_counter() - started) * 1000,
        attempt,
        remaining,
    )


# The request headers that carry a secret: the signers' passphrase and signature headers
# (kucoin/_signing.py, kuest/_signing.py). Names in lower case.
SECRET_HEADERS = frozenset(
    {"kc-api-passphrase", "kc-api-sign", "kuest_passphrase", "kuest_signature"}
)
REDACTED = "[redacted]"


def redacted_headers(headers: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """`headers` with the value of each secret header replaced by "[redacted]"."""
    return [(name, REDACTED if name.lower() in SECRET_HEADERS else v) for name, v in headers]


def _without_secrets(exc: BaseException) -> None:
    """Give each httpx error along `exc`'s causes and contexts a request without secrets.

    Each gets a copy of its request with the secret headers blanked; the request object itself
    is left as it was (a mock may have recorded it).
    """
    pending: list[BaseException | None] = [exc]
    seen: set[int] = set()
    while pending:
        link = pending.pop()
        if link is None or id(link) in seen:
            continue
        seen.add(id(link))
        pending += [link.__cause__, link.__context__]
        if not isinstance(link, httpx.RequestError):
            continue
        try:
            request = link.request
        except RuntimeError:  # an error raised without its request
            continue
        link.request = httpx.Request(
            request.method,
            request.url,
            headers=redacted_headers(request.headers.multi_items()),
            stream=request.stream,
            extensions=request.extensions,
        )


def _connection_error(exc: httpx.RequestError, started: float, attempt: int) -> APIConnectionError:
    request = exc.request
    _log_attempt(request.method, request.url.path, type(exc).__name__, started, attempt, "-")
    kind = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    # A local protocol error quotes the offending header value, which may be a credential.
    detail = "" if isinstance(exc, httpx.LocalProtocolError) else f": {exc}"
    # The caller raises this `from exc`: whatever is chained there must hold no secret.
    _without_secrets(exc)
    return kind(
        f"{type(exc).__name__} on {request.method} {request.url.path}{detail}",
        method=request.method,
        path=request.url.path,
        request_sent=not isinstance(exc, _NOT_SENT),
    )


def _logged(raw: RawResponse, request: Mapping[str, Any], started: float, attempt: int) -> None:
    remaining = raw.headers.get("gw-ratelimit-remaining", "-")
    status = str(raw.status_code)
    _log_attempt(request["method"], request["url"], status, started, attempt, remaining)


HeadersHook = Callable[[Mapping[str, str]], None]
"""Told the headers of every answer (the clients read their rate-limit values)."""


YOURS_CLOSED = (
    "the http_client you passed in is closed, so nothing was sent: close it after the "
    "ordercancel clients that use it, or pass an open one"
)


class Route:
    """How a client's requests go out: through which httpx client, and, for yours, how.

    ordercancel's own httpx client is built with the base URL, auth and response hook: a request
    goes as the generated code builds it. Your `http_client` is never changed (two ordercancel
    clients may share it): each request gets the absolute URL, the auth and (when given) the
    timeout of the ordercancel client, and its answer's headers are told to the hook directly.
    Your client's own headers, params, cookies, event hooks and proxies apply.
    """

    __slots__ = ("auth", "http", "on_response", "prefix", "timeout")

    def __init__(
        self,
        http: Any,
        *,
        yours: bool = False,
        base_url: str = "",
        auth: httpx.Auth | None = None,
        timeout: httpx.Timeout | None = None,
        on_response: HeadersHook | None = None,
    ) -> None:
        self.http = http
        # httpx joins a path to a base URL as `base path with a trailing slash + path[1:]`.
        self.prefix = (base_url if base_url.endswith("/") else base_url + "/") if yours else None
        self.auth = auth
        self.timeout = timeout
        self.on_response = on_response

    def check_yours_open(self) -> None:
        """Raise `ClientClosedError` when your http_client is closed (not httpx's RuntimeError).

        Raises:
            ClientClosedError: your http_client is closed; nothing was sent.
        """
        if self.prefix is not None and self.http.is_closed:
            raise ClientClosedError(YOURS_CLOSED)

    def yours(self, request: dict[str, Any]) -> dict[str, Any]:
        """`request` (relative) made for your client: absolute, signed, with our timeout.

        Raises:
            ClientClosedError: your http_client is closed; nothing was sent.
        """
        assert self.prefix is not None
        self.check_yours_open()
        request = request | {"url": self.prefix + request["url"].lstrip("/"), "auth": self.auth}
        if self.timeout is not None:
            request["timeout"] = self.timeout
        return request


def _attempt(operation: Operation[Any], route: Route, attempt: int) -> RawResponse:
    request = operation.request(**operation.kwargs)
    if route.prefix is not None:
        request = route.yours(request)
    started = time.perf_counter()
    try:
        response = route.http.request(**request)
    except httpx.RequestError as exc:
        raise _connection_error(exc, started, attempt) from exc
    raw = RawResponse(response.status_code, response.content, response.headers)
    if route.on_response is not None:
        route.on_response(raw.headers)
    if logger.isEnabledFor(logging.DEBUG):  # the header lookup is not free: only when logged
        _logged(raw, request, started, attempt)
    return raw


async def _aattempt(operation: Operation[Any], route: Route, attempt: int) -> RawResponse:
    request = operation.request(**operation.kwargs)
    if route.prefix is not None:
        request = route.yours(request)
    http = route.http
    started = time.perf_counter()
    try:
        if isinstance(http, AsyncClient):  # ours: it may skip building an httpx.Response
            raw = await http.request_raw(**request)
        else:
            response = await http.request(**request)
            raw = RawResponse(response.status_code, response.content, response.headers)
    except httpx.RequestError as exc:
        raise _connection_error(exc, started, attempt) from exc
    if route.on_response is not None:
        route.on_response(raw.headers)
    if logger.isEnabledFor(logging.DEBUG):
        _logged(raw, request, started, attempt)
    return raw


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
    operation: Operation[T], route: Route, policy: RetryPolicy, limiter: RateLimiter | None
) -> T:
    """Run `operation` over `route` under `policy`; return its result.

    The first attempt runs bare: most calls succeed at once and need none of stamina's
    machinery. Only a failure enters stamina's loop, which replays it as attempt 1 (the same
    retry decision, log line, backoff and attempt numbers as if stamina had run it).

    Raises:
        RateLimitWaitTooLong: the limiter has no slot within `policy.total_timeout`; not sent.
        Exception: after a failed attempt, a retry that could not be sent (no slot in time,
            the client closed, another event loop) ends as that attempt did.
    """
    began = time.monotonic()
    if limiter is not None:
        limiter.acquire(operation.weight, max_wait=policy.total_timeout)
    try:
        return operation.parse(_attempt(operation, route, 1))
    except Exception as exc:
        first: Exception = exc
    return _send_retrying(operation, route, policy, limiter, first, began)


def _send_retrying(
    operation: Operation[T],
    route: Route,
    policy: RetryPolicy,
    limiter: RateLimiter | None,
    first: Exception,
    began: float,
) -> T:
    import stamina  # only a failed first attempt pays for importing it

    state = RetryState(policy, operation.name, idempotent=operation.idempotent, began=began)
    replay: Exception | None = first
    try:
        for attempt in stamina.retry_context(on=state.backoff, **_retry_arguments(policy, began)):
            with attempt:
                if replay is not None:  # attempt 1, already run by `send`
                    failed, replay = replay, None
                    raise failed
                if limiter is not None:
                    limiter.acquire(operation.weight, max_wait=state.time_left())
                raw = _attempt(operation, route, attempt.num)
                return state.parse(operation.parse, raw, operation.after_landed)
    except UNSENT as exc:
        raise state.unsent(exc)  # noqa: B904 - the last attempt's error, `exc` as its context
    raise AssertionError("unreachable: stamina raises the last error")  # pragma: no cover


async def asend(
    operation: Operation[T], route: Route, policy: RetryPolicy, limiter: RateLimiter | None
) -> T:
    """Run `operation` over `route` (async) under `policy`; return its result.

    Like `send`: a bare first attempt, and stamina's loop only after a failure.

    Raises:
        RateLimitWaitTooLong: the limiter has no slot within `policy.total_timeout`; not sent.
        Exception: after a failed attempt, a retry that could not be sent (no slot in time,
            the client closed, another event loop) ends as that attempt did.
    """
    began = time.monotonic()
    if limiter is not None:
        await limiter.acquire_async(operation.weight, max_wait=policy.total_timeout)
    try:
        return operation.parse(await _aattempt(operation, route, 1))
    except Exception as exc:
        first: Exception = exc
    return await _asend_retrying(operation, route, policy, limiter, first, began)


async def _asend_retrying(
    operation: Operation[T],
    route: Route,
    policy: RetryPolicy,
    limiter: RateLimiter | None,
    first: Exception,
    began: float,
) -> T:
    import stamina  # only a failed first attempt pays for importing it

    state = RetryState(policy, operation.name, idempotent=operation.idempotent, began=began)
    replay: Exception | None = first
    try:
        async for attempt in stamina.retry_context(
            on=state.backoff, **_retry_arguments(policy, began)
        ):
            with attempt:
                if replay is not None:  # attempt 1, already run by `asend`
                    failed, replay = replay, None
                    raise failed
                if limiter is not None:
                    await limiter.acquire_async(operation.weight, max_wait=state.time_left())
                raw = await _aattempt(operation, route, attempt.num)
                return state.parse(operation.parse, raw, operation.after_landed)
    except UNSENT as exc:
        raise state.unsent(exc)  # noqa: B904 - the last attempt's error, `exc` as its context
    raise AssertionError("unreachable: stamina raises the last error")  # pragma: no cover


def sync_http_client(
    *,
    base_url: str,
    auth: httpx.Auth,
    timeout: httpx.Timeout,
    transport: httpx.BaseTransport | None,
    on_response: HeadersHook | None = None,
) -> Client:
    """The httpx.Client ordercancel builds for a sync venue client (not yours)."""
    hooks = []
    if on_response is not None:

        def notify(response: httpx.Response) -> None:
            on_response(response.headers)

        hooks.append(notify)
    client = Client(
        base_url=base_url,
        auth=auth,
        timeout=timeout,
        transport=transport,
        event_hooks={"response": hooks},
        verify=shared_context(),  # one CA bundle load for every client (_tls.py)
    )
    set_cookie_store(client, Cookies(client.cookies.jar))  # the same jar (see Cookies)
    return client


def async_http_client(
    *,
    base_url: str,
    auth: httpx.Auth,
    timeout: httpx.Timeout,
    transport: httpx.AsyncBaseTransport | None,
    on_response: HeadersHook | None = None,
    lent: httpx.AsyncBaseTransport | None = None,
) -> AsyncClient:
    """The httpx.AsyncClient ordercancel builds for an async venue client (not yours).

    `lent` is another client's pool, for a `with_options` copy (then `transport` is None).
    """
    hooks = []
    if on_response is not None:

        async def notify(response: httpx.Response) -> None:
            on_response(response.headers)

        hooks.append(notify)
    settings: dict[str, Any] = {
        "base_url": base_url,
        "auth": auth,
        "timeout": timeout,
        "event_hooks": {"response": hooks},
    }
    client: AsyncClient
    if transport is None:
        # Imported here: aiohttp costs ~100 ms to import, paid only by async users.
        from ._aiohttp import DirectAsyncClient

        if lent is None or DirectAsyncClient.borrows_from(lent):
            client = DirectAsyncClient(on_headers=on_response, lent=lent, **settings)
        else:  # a copy of a client on a transport you gave: through that transport
            client = AsyncClient(transport=lent, **settings)
    else:
        client = AsyncClient(transport=transport, **settings)
    set_cookie_store(client, Cookies(client.cookies.jar))  # the same jar (see Cookies)
    return client
