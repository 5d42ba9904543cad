"""The in-process form: an httpx transport (sync and async) that answers from a simulated venue.

No socket is opened. Faults behave as httpx's own transport would report them: a dropped
connection raises `httpx.RemoteProtocolError`, and a delay longer than the request's read
timeout waits that timeout and raises `httpx.ReadTimeout`.
"""

from __future__ import annotations

import asyncio
import time

import httpx

from ._wire import SimRequest, SimResponse, Steps, Venue, answer, lower_headers


def _sim_request(request: httpx.Request) -> SimRequest:
    return SimRequest(
        method=request.method,
        raw_target=request.url.raw_path.decode("ascii"),
        headers=lower_headers(request.headers.raw),
        body=request.content,
    )


def _read_timeout(request: httpx.Request) -> float | None:
    timeout = request.extensions.get("timeout", {})
    value = timeout.get("read") if isinstance(timeout, dict) else None
    return float(value) if value is not None else None


def _to_httpx(request: httpx.Request, response: SimResponse | None) -> httpx.Response:
    if response is None:
        raise httpx.RemoteProtocolError(
            "Server disconnected without sending a response.", request=request
        )
    return httpx.Response(
        response.status, headers=dict(response.headers), content=response.body, request=request
    )


class ExchangeTransport(httpx.BaseTransport, httpx.AsyncBaseTransport):
    """Send httpx requests to a simulated venue, in-process; for `httpx.Client` and `AsyncClient`.

    Example:
        exchange = KucoinExchange()
        client = KucoinSpotCancelOrder(keys=exchange.keys, transport=exchange.transport())
    """

    def __init__(self, venue: Venue) -> None:
        self.venue = venue

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Answer `request` synchronously (a delay blocks this thread)."""
        request.read()
        steps: Steps = answer(self.venue, _sim_request(request))
        limit = _read_timeout(request)
        try:
            while True:
                wait = next(steps)
                if limit is not None and wait > limit:
                    time.sleep(limit)
                    steps.close()
                    raise httpx.ReadTimeout("timed out", request=request)
                time.sleep(wait)
        except StopIteration as stop:
            return _to_httpx(request, stop.value)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Answer `request` in the running event loop (a delay is an `asyncio.sleep`)."""
        await request.aread()
        steps: Steps = answer(self.venue, _sim_request(request))
        limit = _read_timeout(request)
        try:
            while True:
                wait = next(steps)
                if limit is not None and wait > limit:
                    await asyncio.sleep(limit)
                    steps.close()
                    raise httpx.ReadTimeout("timed out", request=request)
                await asyncio.sleep(wait)
        except StopIteration as stop:
            return _to_httpx(request, stop.value)
