"""The HTTP plumbing both venues share: timeouts, the httpx clients, and sending one operation.

A venue describes each call as an `Operation`: the generated `*_detailed` functions to call, their
keyword arguments (already checked) and the function that turns the raw answer into a result or a
typed error. `send` and `asend` run it and map transport failures to `APIConnectionError`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping
from contextvars import ContextVar
from typing import Any, Generic, Protocol, TypeVar

import attrs
import httpx

from .errors import APIConnectionError, APITimeoutError

T = TypeVar("T")

DEFAULT_TIMEOUT = httpx.Timeout(10.0, connect=5.0)
"""Connect 5 s; read, write and pool 10 s each."""


@attrs.frozen
class RawResponse:
    """What the venue sent back, before any interpretation."""

    status_code: int
    content: bytes
    headers: Mapping[str, str]


class _HasResponseParts(Protocol):
    @property
    def status_code(self) -> int: ...

    @property
    def content(self) -> bytes: ...

    @property
    def headers(self) -> Any: ...


def _raw(response: _HasResponseParts) -> RawResponse:
    return RawResponse(int(response.status_code), response.content, httpx.Headers(response.headers))


@attrs.frozen
class Operation(Generic[T]):
    """One call: the generated endpoint functions, their arguments, and the answer's parser."""

    sync: Callable[..., _HasResponseParts]
    asyncio: Callable[..., Awaitable[_HasResponseParts]]
    kwargs: Mapping[str, Any]
    parse: Callable[[RawResponse], T]


# The generated code parses a 200 body itself and raises on a body of the wrong shape (HTML,
# truncated JSON, `"data": null`, ...) before we see the response. A response hook remembers the
# raw answer so that such a body is still interpreted by the venue's own envelope parser.
_last_response: ContextVar[httpx.Response | None] = ContextVar(
    "ordercancel_last_response", default=None
)
_GENERATED_PARSE_ERRORS = (ValueError, KeyError, TypeError, AttributeError, RecursionError)


def _remember(response: httpx.Response) -> None:
    _last_response.set(response)


async def _aremember(response: httpx.Response) -> None:
    _last_response.set(response)


def _connection_error(exc: httpx.RequestError) -> APIConnectionError:
    request = exc.request
    kind = APITimeoutError if isinstance(exc, httpx.TimeoutException) else APIConnectionError
    message = f"{type(exc).__name__} on {request.method} {request.url.path}: {exc}"
    return kind(message, method=request.method, path=request.url.path)


def send(operation: Operation[T], client: Any) -> T:
    """Run `operation` with the generated sync client `client`; return its parsed result."""
    token = _last_response.set(None)
    try:
        raw = _raw(operation.sync(client=client, **operation.kwargs))
    except httpx.RequestError as exc:
        raise _connection_error(exc) from exc
    except _GENERATED_PARSE_ERRORS:
        received = _last_response.get()
        if received is None:  # not the parse of an answer: a bug, let it show
            raise
        raw = _raw(received)
    finally:
        _last_response.reset(token)
    return operation.parse(raw)


async def asend(operation: Operation[T], client: Any) -> T:
    """Run `operation` with the generated async client `client`; return its parsed result."""
    token = _last_response.set(None)
    try:
        raw = _raw(await operation.asyncio(client=client, **operation.kwargs))
    except httpx.RequestError as exc:
        raise _connection_error(exc) from exc
    except _GENERATED_PARSE_ERRORS:
        received = _last_response.get()
        if received is None:  # not the parse of an answer: a bug, let it show
            raise
        raw = _raw(received)
    finally:
        _last_response.reset(token)
    return operation.parse(raw)


def sync_http_client(
    *,
    base_url: str,
    auth: httpx.Auth,
    timeout: httpx.Timeout,
    transport: httpx.BaseTransport | None,
    http_client: httpx.Client | None,
) -> httpx.Client:
    """The httpx.Client a sync venue client sends through: ours, or the caller's, configured."""
    if http_client is None:
        return httpx.Client(
            base_url=base_url,
            auth=auth,
            timeout=timeout,
            transport=transport,
            event_hooks={"response": [_remember]},
        )
    http_client.base_url = httpx.URL(base_url)
    http_client.auth = auth
    http_client.event_hooks["response"].append(_remember)
    return http_client


def async_http_client(
    *,
    base_url: str,
    auth: httpx.Auth,
    timeout: httpx.Timeout,
    transport: httpx.AsyncBaseTransport | None,
    http_client: httpx.AsyncClient | None,
) -> httpx.AsyncClient:
    """The httpx.AsyncClient an async venue client sends through: ours, or the caller's."""
    if http_client is None:
        return httpx.AsyncClient(
            base_url=base_url,
            auth=auth,
            timeout=timeout,
            transport=transport,
            event_hooks={"response": [_aremember]},
        )
    http_client.base_url = httpx.URL(base_url)
    http_client.auth = auth
    http_client.event_hooks["response"].append(_aremember)
    return http_client
