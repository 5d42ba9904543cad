"""Suite-wide test settings, and a capture server for what reaches the wire.

Retries use stamina's test switch: every test sees a single attempt and no backoff sleep unless
it asks for more with `stamina.set_testing(True, attempts=N)` (the resilience tests do).
"""

from __future__ import annotations

import asyncio
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
import stamina
from aiohttp import web


def pytest_configure() -> None:
    """Ctrl-C is Ctrl-C, however the suite was started.

    A shell starts a background job (`pytest &` in a script, CI runners that do so) with SIGINT
    ignored, and Python then leaves it ignored: the tests that send SIGINT (to this process's
    main thread, or to `ordercancel sim`, which inherits the ignored signal) would wait in vain.
    A terminal user's Ctrl-C reaches both: restore Python's own handler, which children do not
    inherit (exec resets a handled signal to its default, but keeps an ignored one ignored).
    """
    if signal.getsignal(signal.SIGINT) is signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)


@pytest.fixture(autouse=True)
def _single_attempt_without_sleeping() -> Iterator[None]:
    with stamina.set_testing(True, attempts=1):
        yield


@dataclass(frozen=True)
class Received:
    """One request as the server read it off the socket."""

    method: str
    target: str  # path and query, still percent-encoded
    headers: tuple[tuple[str, str], ...]  # in order, names as sent
    body: bytes


@dataclass
class CaptureServer:
    """An HTTP server on 127.0.0.1 (its own thread) that records requests and sends one answer."""

    url: str = ""
    received: list[Received] = field(default_factory=list)
    _answer: tuple[int, tuple[tuple[str, str], ...], bytes] = (200, (), b"{}")

    def reset(
        self, status: int = 200, headers: tuple[tuple[str, str], ...] = (), body: bytes = b"{}"
    ) -> None:
        """Forget what was received; answer every request from now on with this."""
        self.received.clear()
        self._answer = (status, headers, body)

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        """Record `request`; send the answer."""
        headers = tuple((k.decode("latin-1"), v.decode("latin-1")) for k, v in request.raw_headers)
        body = await request.read()
        self.received.append(Received(request.method, request.raw_path, headers, body))
        status, answer_headers, answer_body = self._answer
        response = web.Response(status=status, body=answer_body)
        for name, value in answer_headers:
            response.headers.add(name, value)
        return response


@pytest.fixture(scope="session")
def capture_server() -> Iterator[CaptureServer]:
    """One capture server for the whole run; each test calls `reset` first."""
    capture = CaptureServer()
    loop = asyncio.new_event_loop()
    ready = threading.Event()
    stop = asyncio.Event()

    async def serve() -> None:
        server = web.Server(capture.handle, access_log=None)
        listener = await loop.create_server(server, "127.0.0.1", 0)
        capture.url = f"http://127.0.0.1:{listener.sockets[0].getsockname()[1]}"
        ready.set()
        await stop.wait()
        listener.close()
        await server.shutdown(timeout=1.0)

    thread = threading.Thread(target=loop.run_until_complete, args=(serve(),), daemon=True)
    thread.start()
    ready.wait(10)
    yield capture
    loop.call_soon_threadsafe(stop.set)
    thread.join(10)
    loop.close()
