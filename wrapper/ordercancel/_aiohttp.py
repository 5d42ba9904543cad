"""The async clients' default: aiohttp's connection pool behind httpx, and a direct path to it.

httpx's own async pool collapses with many requests in flight (a known httpcore issue), which a
bulk cancel cannot afford; aiohttp's does not. Two pieces:

- `AiohttpTransport`, httpx-aiohttp's transport with two fixes. httpx-aiohttp maps aiohttp's
  failures onto httpx's classes loosely (a server that drops the connection after the request
  was sent becomes `httpx.ConnectTimeout`, which reads as "never sent"), and the retry policy
  must not retry a cancel that may have landed as if it had not: failures are classed here by
  the original aiohttp exception. And aiohttp's own silent re-sending is switched off.
- `DirectAsyncClient`, the httpx.AsyncClient the async clients create when given no transport.
  httpx's request machinery costs more CPU than aiohttp's whole request, so the requests the
  generated code makes are built here and handed straight to the transport's aiohttp session.
"""

from __future__ import annotations

import json as jsonlib
import re
import time
from collections.abc import AsyncIterator, Iterator, Mapping
from datetime import timedelta
from typing import Any

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport as _LibraryTransport
from multidict import CIMultiDict, CIMultiDictProxy
from yarl import URL

from ._auth import SigningAuth
from ._compat import (
    disable_aiohttp_cookies,
    disable_aiohttp_retry,
    header_items,
    transport_for_url,
)
from ._fast_httpx import PLAIN_CHARACTERS, AsyncClient, base_parts, fold_plain_params
from ._http import HeadersHook, redacted_headers
from ._tls import shared_context
from ._types import RawResponse


def _failure(exc: aiohttp.ClientError) -> type[httpx.TransportError]:
    """The httpx class for an aiohttp failure: only a failure to connect means "not sent"."""
    if isinstance(exc, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout
    if isinstance(exc, aiohttp.ClientConnectorError):
        return httpx.ConnectError
    if isinstance(exc, aiohttp.ServerTimeoutError):
        return httpx.ReadTimeout
    return httpx.RemoteProtocolError  # may have been sent


def _without_secret_headers(exc: aiohttp.ClientError) -> None:
    """Blank the secret request headers an aiohttp response error keeps (`request_info`).

    As `_http` does for httpx's errors: the aiohttp error is chained to the one raised.
    """
    if isinstance(exc, aiohttp.ClientResponseError):
        info = exc.request_info
        headers = CIMultiDictProxy(CIMultiDict(redacted_headers(info.headers.items())))
        exc.request_info = info._replace(headers=headers)
        exc.args = tuple(exc.request_info if arg is info else arg for arg in exc.args)


def _reclassify(exc: httpx.TransportError) -> httpx.TransportError:
    cause = exc.__cause__
    if not isinstance(cause, aiohttp.ClientError):
        return exc
    _without_secret_headers(cause)
    return _failure(cause)(str(exc) or type(cause).__name__)


class _ReclassifiedStream(httpx.AsyncByteStream):
    def __init__(self, inner: httpx.AsyncByteStream) -> None:
        self._inner = inner

    async def __aiter__(self) -> AsyncIterator[bytes]:
        try:
            async for chunk in self._inner:
                yield chunk
        except httpx.TransportError as exc:
            raise _reclassify(exc) from exc

    async def aclose(self) -> None:
        await self._inner.aclose()


class AiohttpTransport(_LibraryTransport):
    """httpx-aiohttp's transport with failures classed by whether the request left.

    It also stops aiohttp from silently sending an "idempotent" request (DELETE included) a
    second time when a kept-alive connection drops: a cancel that landed before the drop would
    come back "not cancellable", unseen by the retry policy. Pass it (or any
    httpx.AsyncBaseTransport) as `transport=` to the async clients.
    """

    def get_client(self) -> aiohttp.ClientSession:
        """The aiohttp session, with its own resending and cookie store switched off."""
        session = super().get_client()
        disable_aiohttp_retry(session)  # a dropped DELETE is never re-sent behind our back
        disable_aiohttp_cookies(session)  # httpx's jar is the client's one cookie store
        return session

    def session(self) -> aiohttp.ClientSession:
        """The aiohttp session requests go through, created on first use."""
        if not isinstance(self.client, aiohttp.ClientSession):
            self.client = self.get_client()
        return self.client

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` through aiohttp."""
        try:
            response = await super().handle_async_request(request)
        except httpx.TransportError as exc:
            raise _reclassify(exc) from exc
        except aiohttp.ClientError as exc:  # one httpx-aiohttp leaves unmapped (a bad status line)
            _without_secret_headers(exc)
            raise _failure(exc)(str(exc) or type(exc).__name__) from exc
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _ReclassifiedStream(response.stream)
        return response


# Paths httpx sends exactly as written: segments of unreserved characters and %XX escapes, none
# starting with a dot (httpx would resolve "." and ".." segments).
_VERBATIM_PATH = re.compile(r"(?:/(?!\.)(?:[A-Za-z0-9._~-]|%[0-9A-F]{2})*)+")


def _verbatim_path(url: str) -> bool:
    """Whether httpx sends `url` exactly as written (`_VERBATIM_PATH`), in C when it can."""
    if "%" in url or not url.startswith("/"):
        return _VERBATIM_PATH.fullmatch(url) is not None
    # Without escapes, the pattern is: a slash first, unreserved characters and slashes only,
    # no segment starting with a dot. (`strip` of the allowed characters leaves nothing.)
    return "/." not in url and not url.strip(PLAIN_CHARACTERS + "/")


def _json_body(value: Any) -> bytes:
    """`value` as httpx 0.28 encodes `json=`."""
    return jsonlib.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


# What the direct path sent: method, URL, headers, body (an httpx.Request is built from it only
# when asked for: by a log line, a cookie, an error).
_Sent = tuple[str, str, dict[str, str], bytes]


def _direct_failure(exc: aiohttp.ClientError, sent: _Sent) -> httpx.TransportError:
    """The httpx error for a direct request's aiohttp failure, without secrets."""
    _without_secret_headers(exc)
    return _failure(exc)(str(exc) or type(exc).__name__, request=_sent_request(*sent))


class _DirectResponse(httpx.Response):
    """An answer to a direct request; its `request` is built when first asked for.

    Nothing on the way to the venue's parser reads it; logs, cookies and errors do.
    """

    def __init__(self, answer: aiohttp.ClientResponse, content: bytes, sent: _Sent) -> None:
        # A stream, as on httpx's own path (`content=` would add a Content-Length header);
        # `DirectAsyncClient` reads it.
        super().__init__(
            answer.status, headers=answer.raw_headers, stream=httpx.ByteStream(content)
        )
        self._sent = sent

    @property
    def request(self) -> httpx.Request:
        """The request this answers (as sent)."""
        if self._request is None:
            self._request = _sent_request(*self._sent)
        return self._request

    @request.setter
    def request(self, value: httpx.Request) -> None:
        self._request = value


def _update(headers: dict[str, str], new: Mapping[str, str]) -> None:
    """`headers` updated as `httpx.Headers.update` does: a name set again moves to the end."""
    for name, value in new.items():
        key = name.lower()
        headers.pop(key, None)
        headers[key] = value


def _sent_request(method: str, url: str, headers: Any, body: bytes) -> httpx.Request:
    return httpx.Request(method, url, headers=headers, content=body)


class _Headers(Mapping[str, str]):
    """aiohttp's answer headers read as httpx.Headers reads them.

    Names in lower case, a repeated header's values joined by ", ". A view: nothing is copied.
    """

    __slots__ = ("_headers",)

    def __init__(self, headers: CIMultiDictProxy[str]) -> None:
        self._headers = headers

    def __getitem__(self, name: str) -> str:
        values = self._headers.getall(name)  # KeyError when absent
        return values[0] if len(values) == 1 else ", ".join(values)

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(name.lower() for name in self._headers))

    def __len__(self) -> int:
        return len(dict.fromkeys(name.lower() for name in self._headers))

    def __contains__(self, name: object) -> bool:
        return name in self._headers

    def get(self, name: str, default: Any = None) -> Any:  # Mapping.get without its try/except
        values = self._headers.getall(name, None)
        if values is None:
            return default
        return values[0] if len(values) == 1 else ", ".join(values)


class DirectAsyncClient(AsyncClient):
    """The default httpx.AsyncClient of the async clients: plain requests skip httpx.

    A request of the generated code's shape - a path, plain query values, a JSON body or none,
    signed by a `SigningAuth` - is built here as httpx builds it: the same URL text, the same
    headers in the same order, the same JSON bytes, signed by the same `signing_headers`. It is
    sent through the transport's aiohttp session with the client's timeouts. Through `request`,
    its answer is an httpx.Response that passes through the client's cookie jar and response
    hooks as in httpx; through `request_raw` (the send path), an answer that sets no cookie and
    has no Content-Encoding, seen by no hook but `on_headers`, becomes a RawResponse without
    an httpx.Response at all. Everything else (cookies in the jar, request hooks, any other
    argument) goes through httpx.AsyncClient as usual, and so does every request whenever httpx
    would not send it through this client's own transport: a mount, or a mock that decides the
    transport (respx's `using="httpx"` patches that decision) then sees it.
    tests/*/test_*_direct.py hold the two paths to the same bytes on the wire and the same
    outcomes.
    """

    def __init__(
        self,
        *,
        on_headers: HeadersHook | None = None,
        lent: httpx.AsyncBaseTransport | None = None,
        **kwargs: Any,
    ) -> None:
        transport: httpx.AsyncBaseTransport
        if lent is None:
            self._aiohttp = transport = AiohttpTransport(verify=shared_context())  # one CA load
        else:  # a `with_options` copy: the lender's session; closing the copy leaves it open
            assert self.borrows_from(lent)
            self._aiohttp, transport = lent.lender._aiohttp, lent  # type: ignore[attr-defined]
        # What httpx picks for the base URL when nothing (a mount, a mock) picks another.
        self._direct_transport = transport
        self._lent = lent
        super().__init__(transport=transport, **kwargs)
        self._on_headers = on_headers
        # The hooks `async_http_client` installs (telling `on_headers`): called directly.
        self._own_hooks = list(self.event_hooks["response"])
        self._timeouts: tuple[httpx.Timeout, aiohttp.ClientTimeout] | None = None
        self._headers_built: tuple[httpx.Headers, list[Any], str, str, dict[str, str]] | None = None

    def check_usable(self) -> None:
        """Check that the client may send now; a copy, that the client it borrows from may too.

        Raises:
            ClientClosedError: this client, or the one whose pool it uses, was closed.
            WrongEventLoopError: not the event loop this client (or that one) first sent in.
        """
        if self._lent is not None:  # first: a refusal must not tie this client to the loop
            self._lent.check_usable()  # type: ignore[attr-defined]  # an AsyncLentPool
        super().check_usable()

    @staticmethod
    def borrows_from(lent: httpx.AsyncBaseTransport) -> bool:
        """Whether a copy over `lent` (another client's pool) can send directly too.

        Only when the lender is a DirectAsyncClient, whose aiohttp session the copy then uses.
        """
        return isinstance(getattr(lent, "lender", None), DirectAsyncClient)

    async def request(
        self,
        method: str,
        url: httpx.URL | str,
        *,
        params: Any = None,
        json: Any = None,
        headers: Any = None,
        **options: Any,
    ) -> httpx.Response:
        """Send a request: directly when it has the generated code's shape, else through httpx."""
        target = self._direct_target(method, url, params, json, headers, options)
        base = base_parts(self)
        if target is None or base is None:
            return await super().request(
                method, url, params=params, json=json, headers=headers, **options
            )
        self.check_usable()  # on httpx's path, `send` checks
        started = time.perf_counter()
        call, sent = self._direct_call(method.upper(), base, target, json, headers)
        try:
            async with call as answer:
                content = await answer.read()
        except aiohttp.ClientError as exc:
            raise _direct_failure(exc, sent) from exc
        response = await self._response(answer, content, sent)
        response.elapsed = timedelta(seconds=time.perf_counter() - started)
        return response

    async def request_raw(
        self,
        method: str,
        url: str,
        *,
        params: Any = None,
        json: Any = None,
        headers: Any = None,
        **options: Any,
    ) -> RawResponse:
        """`request`'s answer as a RawResponse, built straight from aiohttp's when it can be.

        Raises:
            httpx.RequestError: as `request` does.
        """
        target = self._direct_target(method, url, params, json, headers, options)
        base = base_parts(self)
        if target is None or base is None:
            return await super().request_raw(
                method, url, params=params, json=json, headers=headers, **options
            )
        self.check_usable()  # on httpx's path, `send` checks (so: not closed)
        call, sent = self._direct_call(method.upper(), base, target, json, headers)
        try:  # `call` awaited here, not in a coroutine of its own: one layer fewer per request
            async with call as answer:
                content = await answer.read()
        except aiohttp.ClientError as exc:
            raise _direct_failure(exc, sent) from exc
        found = answer.headers
        if (
            "Set-Cookie" in found  # aiohttp's C lookups
            or "Set-Cookie2" in found
            or "Content-Encoding" in found
            or self.event_hooks["response"] != self._own_hooks
        ):
            response = await self._response(answer, content, sent)
            return RawResponse(response.status_code, response.content, response.headers)
        raw = RawResponse(answer.status, content, _Headers(found))
        if self._on_headers is not None:
            self._on_headers(raw.headers)
        return raw

    def _direct_target(
        self, method: str, url: Any, params: Any, json: Any, headers: Any, options: Any
    ) -> str | None:
        """The path and query to send directly, or None when httpx must build the request."""
        # httpx chooses a transport by the URL's scheme, host and port (its mounts), which a
        # direct request shares with the base URL; a mock may replace that choice.
        if transport_for_url(self, self.base_url) is not self._direct_transport:
            return None
        if options or self.params or self.cookies:  # (closed: `check_usable` raises either way)
            return None
        if self.event_hooks["request"] or self.follow_redirects:
            return None
        if not isinstance(self.auth, SigningAuth):
            return None
        if headers is not None and not (
            type(headers) is dict and all(type(v) is str for v in headers.values())
        ):
            return None
        if json is None and method.upper() in ("POST", "PUT", "PATCH"):
            return None  # httpx adds "Content-Length: 0" first: not worth a case of its own
        if type(url) is not str or url.startswith("//") or not _verbatim_path(url):
            return None
        target, rest = fold_plain_params(url, params)
        return target if not rest and type(target) is str else None

    def _aiohttp_timeout(self) -> aiohttp.ClientTimeout:
        """The client's timeouts in aiohttp's form (kept while `self.timeout` is the same)."""
        timeout = self.timeout
        if self._timeouts is None or self._timeouts[0] is not timeout:
            converted = aiohttp.ClientTimeout(
                sock_connect=timeout.connect, sock_read=timeout.read, connect=timeout.pool
            )
            self._timeouts = (timeout, converted)
        return self._timeouts[1]

    def _base_headers(self, origin: str) -> dict[str, str]:
        """A fresh dict of Host and the client's headers, in lower case (built once per change).

        The client's headers are listed again only when they differ from the last request's:
        another `Headers` object, other items (an in-place change replaces an item of its list:
        compared by identity, in C), or another encoding.
        """
        client_headers = self.headers
        items = header_items(client_headers)
        known = self._headers_built
        if (
            known is None
            or known[0] is not client_headers
            or known[1] != items
            or known[2] != client_headers.encoding
            or known[3] != origin
        ):
            built = {"host": origin.partition("://")[2]}
            built.update(client_headers.multi_items())
            known = (client_headers, list(items), client_headers.encoding, origin, built)
            self._headers_built = known
        return known[4].copy()

    def _direct_call(
        self,
        method: str,
        base: tuple[str, str],
        target: str,
        json: Any,
        extra_headers: dict[str, str] | None,
    ) -> tuple[Any, _Sent]:
        """The direct request as aiohttp's call, not yet awaited, and what it sends."""
        origin, base_path = base
        wire_target = base_path + target[1:]
        url = origin + wire_target
        wire_url: URL | str = url
        if "%" not in wire_target:
            # Only unreserved characters (see `_direct_target`): what yarl would parse `url`
            # into, built from its parts without parsing and re-quoting it. (yarl rewrites some
            # %XX escapes: those go as text, as httpx's path hands them to aiohttp.)
            scheme, _, authority = origin.partition("://")
            path, _, query = wire_target.partition("?")
            wire_url = URL.build(
                scheme=scheme, authority=authority, path=path, query_string=query, encoded=True
            )
        body = b"" if json is None else _json_body(json)
        # Lower-case names, as httpx hands them to aiohttp, in httpx's order: Host, the client's
        # headers, the call's, the body's, then the signer's.
        headers = self._base_headers(origin)
        if extra_headers:
            _update(headers, extra_headers)
        if json is not None:
            headers.setdefault("content-length", str(len(body)))
            headers.setdefault("content-type", "application/json")
        assert isinstance(self.auth, SigningAuth)
        _update(headers, self.auth.signing_headers(method, wire_target, body))
        call = self._aiohttp.session().request(
            method,
            wire_url,
            headers=headers,
            data=body or None,
            allow_redirects=False,
            auto_decompress=False,  # httpx decodes, as it does on its own path
            compress=False,
            timeout=self._aiohttp_timeout(),
        )
        return call, (method, url, headers, body)

    async def _response(
        self, answer: aiohttp.ClientResponse, content: bytes, sent: _Sent
    ) -> httpx.Response:
        """The direct answer as httpx's: through the cookie jar, the hooks and the decoder."""
        response = _DirectResponse(answer, content, sent)
        if "Set-Cookie" in answer.headers or "Set-Cookie2" in answer.headers:  # aiohttp's C lookup
            self.cookies.extract_cookies(response)
        for hook in self.event_hooks["response"]:
            await hook(response)
        try:  # after the hooks, as httpx reads: decoded as it decodes (gzip, deflate, ...)
            response.read()
        except httpx.DecodingError as exc:  # raised, as on httpx's path, with its request
            exc.request = response.request
            raise
        return response
