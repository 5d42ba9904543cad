"""The served form: a simulated venue behind a real HTTP server on 127.0.0.1.

aiohttp's low-level server (`aiohttp.web.Server`: its C HTTP parser, no router or middleware)
runs in a background thread with its own event loop; one venue object holds the state, so a test
can place orders and inspect them while the server answers.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterator
from types import TracebackType
from typing import Self

from aiohttp import web

from ._wire import SimRequest, Steps, Venue, answer, lower_headers


async def _read_body(request: web.BaseRequest, most: int) -> bytes:
    """The body, or its first `most` bytes: the venue answers a longer body itself."""
    chunks: list[bytes] = []
    size = 0
    while size < most:
        chunk = await request.content.read(most - size)
        if not chunk:
            break
        chunks.append(chunk)
        size += len(chunk)
    return b"".join(chunks)


def _handler(venue: Venue) -> web.Server:
    async def handle(request: web.BaseRequest) -> web.StreamResponse:
        body = await _read_body(request, venue.max_body_bytes + 1)
        sim = SimRequest(request.method, request.raw_path, lower_headers(request.raw_headers), body)
        steps: Steps = answer(venue, sim)
        try:
            while True:  # noqa: ASYNC110 - the waits come from the fault plan, not a poll
                await asyncio.sleep(next(steps))
        except StopIteration as stop:
            response = stop.value
        finally:
            steps.close()  # a client that gave up cancels us: a "before" delay changes nothing
        if response is None:
            # Drop: close the socket without a byte of answer; aiohttp then writes nothing.
            request.protocol.force_close()
            raise asyncio.CancelledError
        return web.Response(status=response.status, headers=response.headers, body=response.body)

    return web.Server(handle, handler_cancellation=True, access_log=None)


class ServedExchange:
    """Serve `venue` over HTTP on `host`:`port` (0: a free port) from a background thread.

    Use as a context manager (or `start`/`stop`); `base_url` is set while it runs, and so is
    the venue's own `base_url` attribute when it has one.
    """

    def __init__(self, venue: Venue, *, host: str = "127.0.0.1", port: int = 0) -> None:
        self.venue = venue
        self.host = host
        self.port = port
        self.base_url: str | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._stopped: asyncio.Event | None = None

    def start(self) -> str:
        """Start serving and return the base URL, e.g. "http://127.0.0.1:54321".

        Raises:
            RuntimeError: already started, or the server could not start (cause attached).
        """
        if self._thread is not None:
            raise RuntimeError("already started")
        ready = threading.Event()
        failure: list[BaseException] = []
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._run, args=(ready, failure), name="ordercancel-sim", daemon=True
        )
        self._thread.start()
        ready.wait()
        if failure:
            self._thread.join()
            self._thread = None
            raise RuntimeError("the simulated venue could not start") from failure[0]
        self.base_url = f"http://{self.host}:{self.port}"
        if hasattr(self.venue, "base_url"):
            self.venue.base_url = self.base_url
        return self.base_url

    def _run(self, ready: threading.Event, failure: list[BaseException]) -> None:
        loop = self._loop
        assert loop is not None
        asyncio.set_event_loop(loop)
        try:
            loop.run_until_complete(self._serve(ready))
        except BaseException as exc:  # reported to start()
            failure.append(exc)
            ready.set()
        finally:
            loop.close()

    async def _serve(self, ready: threading.Event) -> None:
        server = _handler(self.venue)
        listener = await asyncio.get_running_loop().create_server(
            server, self.host, self.port, reuse_address=True, backlog=1024
        )
        self.port = listener.sockets[0].getsockname()[1]
        self._stopped = asyncio.Event()
        ready.set()
        try:
            await self._stopped.wait()
        finally:
            listener.close()
            await server.shutdown(timeout=1.0)
            await listener.wait_closed()

    def stop(self) -> None:
        """Stop serving and wait for the thread to end (idempotent)."""
        if self._thread is None or self._loop is None:
            return
        stopped = self._stopped
        if stopped is not None and self._loop.is_running():
            with contextlib.suppress(RuntimeError):  # the loop ended meanwhile
                self._loop.call_soon_threadsafe(stopped.set)
        self._thread.join(timeout=10)
        self._thread = None
        self.base_url = None

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()


@contextlib.contextmanager
def serve(venue: Venue, *, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Serve `venue` over real HTTP while the block runs; yield its base URL."""
    with ServedExchange(venue, host=host, port=port) as served:
        assert served.base_url is not None
        yield served.base_url
