"""The async clients' default transport: aiohttp under httpx, via httpx-aiohttp.

httpx's own async pool collapses with many requests in flight (a known httpcore issue), which a
bulk cancel cannot afford; aiohttp's does not. httpx-aiohttp maps aiohttp's failures onto httpx's
exception classes, but loosely: a server that drops the connection after the request was sent
becomes `httpx.ConnectTimeout`, which reads as "never sent". The retry policy must not retry a
cancel that may have landed as if it had not, so this subclass re-classifies by the original
aiohttp exception: only a failure to connect counts as "not sent".
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import httpx
from httpx_aiohttp import AiohttpTransport as _LibraryTransport


def _reclassify(exc: httpx.TransportError) -> httpx.TransportError:
    cause = exc.__cause__
    message = str(exc) or type(cause).__name__
    if isinstance(cause, aiohttp.ConnectionTimeoutError):
        return httpx.ConnectTimeout(message)
    if isinstance(cause, aiohttp.ClientConnectorError):
        return httpx.ConnectError(message)
    if isinstance(cause, aiohttp.ServerTimeoutError):
        return httpx.ReadTimeout(message)
    if isinstance(cause, aiohttp.ClientConnectionError | aiohttp.ClientPayloadError):
        return httpx.RemoteProtocolError(message)  # may have been sent
    return exc


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
        """The aiohttp session, with its own resending switched off."""
        session = super().get_client()
        # Private but stable (aiohttp's own test utilities set it); tests guard it.
        session._retry_connection = False
        return session

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` through aiohttp."""
        try:
            response = await super().handle_async_request(request)
        except httpx.TransportError as exc:
            raise _reclassify(exc) from exc
        assert isinstance(response.stream, httpx.AsyncByteStream)
        response.stream = _ReclassifiedStream(response.stream)
        return response
