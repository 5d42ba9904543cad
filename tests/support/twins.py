"""The one twin driver: a test written once runs against a venue's sync and async client.

A `Twin` names one of the two clients of a venue and drives it from a synchronous test, with one
calling convention everywhere: `twin.call("method", *args, client_kwargs={...}, **kwargs)` builds
a client (the venue's test defaults, then `client_kwargs`), calls `client.method(*args,
**kwargs)` (awaiting it for the async twin), closes the client and returns the result.
`twin.run(action, **client_kwargs)` does the same for `action(client)`, and `twin.open(...)`
keeps one client open across calls: a `Driver`, whose `call("method", *args, **kwargs)` has the
same shape (the async client runs on an event loop of its own thread).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest

# One TLS context for every test client: building one per client costs ~30 ms, which hypothesis
# would pay thousands of times. respx intercepts these transports like the default ones.
_TLS = httpx.create_ssl_context()


def _no_defaults() -> dict[str, Any]:
    return {}


@dataclass(frozen=True)
class Twin:
    """How to build and call one of a venue's two clients from a synchronous test."""

    name: str  # "sync" or "async": also the test id
    venue: str  # "kucoin" or "kuest"
    cls: type[Any]
    # The venue's test defaults for every client, made afresh per client (a limiter has state).
    defaults: Callable[[], Mapping[str, Any]] = field(default=_no_defaults)
    # Give a client without `transport`/`http_client` a real httpx transport sharing one TLS
    # context (cheap; respx intercepts it). Off: the client picks its own stack (aiohttp, async).
    cheap_transport: bool = False

    @property
    def is_async(self) -> bool:
        """True for the asyncio client."""
        return self.name == "async"

    def transport(self) -> httpx.BaseTransport | httpx.AsyncBaseTransport:
        """A real httpx transport (which respx intercepts) sharing one TLS context."""
        if self.is_async:
            return httpx.AsyncHTTPTransport(verify=_TLS)
        return httpx.HTTPTransport(verify=_TLS)

    def make(self, **kwargs: Any) -> Any:
        """A client: the venue's test defaults, overridden by `kwargs`."""
        for name, value in self.defaults().items():
            kwargs.setdefault(name, value)
        if self.cheap_transport and "http_client" not in kwargs:
            kwargs.setdefault("transport", self.transport())
        return self.cls(**kwargs)

    def close(self, client: Any) -> None:
        """Close a client made by `make`."""
        if self.is_async:
            asyncio.run(client.aclose())
        else:
            client.close()

    def open(self, **kwargs: Any) -> Driver:
        """A client kept open across calls (close it with `Driver.close`)."""
        return Driver(self, self.make(**kwargs))

    def run(self, action: Callable[[Any], Any], **client_kwargs: Any) -> Any:
        """Run `action(client)` (awaiting it for the async twin) on a fresh client."""
        if not self.is_async:
            with self.make(**client_kwargs) as client:
                return action(client)

        async def run() -> Any:
            async with self.make(**client_kwargs) as client:
                return await action(client)

        return asyncio.run(run())

    def call(
        self, method: str, *args: Any, client_kwargs: Mapping[str, Any] | None = None, **kw: Any
    ) -> Any:
        """Build a client, call `method(*args, **kw)` once, close it, return the result."""
        options = client_kwargs or {}
        return self.run(lambda client: getattr(client, method)(*args, **kw), **options)

    def calls(self, steps: Sequence[tuple[str, Sequence[Any]]], **client_kwargs: Any) -> list[Any]:
        """Call several methods `(name, args)` in order on one client; return their results."""
        if not self.is_async:
            with self.make(**client_kwargs) as client:
                return [getattr(client, name)(*args) for name, args in steps]

        async def run() -> list[Any]:
            async with self.make(**client_kwargs) as client:
                return [await getattr(client, name)(*args) for name, args in steps]

        return asyncio.run(run())

    def outcome(self, method: str, *args: Any, **kw: Any) -> Any:
        """Like `call`, but an exception is returned instead of raised."""
        try:
            return self.call(method, *args, **kw)
        except Exception as exc:
            return exc


def twins_mark(twins: Sequence[Twin]) -> pytest.MarkDecorator:
    """`@twins`: parametrize a test's `twin` argument with each of `twins`."""
    return pytest.mark.parametrize("twin", twins, ids=[t.name for t in twins])


class _LoopThread:
    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)
        self._thread.start()

    def run(self, coro: Any, timeout: float = 120) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self.loop).result(timeout)

    def stop(self) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()


class Driver:
    """A twin's client kept open, called synchronously: `driver.call("name", *args, **kwargs)`.

    The async client runs in its own event loop on a background thread, so a scenario is written
    once and runs against both twins.
    """

    def __init__(self, twin: Twin, client: Any) -> None:
        self.mode = twin.name
        self.venue = twin.venue
        self.client = client
        self._loop = _LoopThread() if twin.is_async else None

    def call(self, name: str, *args: Any, **kwargs: Any) -> Any:
        """Call the client's method `name` and return its result (or raise its error)."""
        method = getattr(self.client, name)
        if self._loop is None:
            return method(*args, **kwargs)
        return self._loop.run(method(*args, **kwargs))

    def gather(self, calls: list[tuple[str, tuple[Any, ...]]]) -> list[Any]:
        """Run many calls side by side (threads for sync, tasks for async); results or errors."""
        if self._loop is None:
            results: list[Any] = [None] * len(calls)

            def work(i: int) -> None:
                name, args = calls[i]
                try:
                    results[i] = getattr(self.client, name)(*args)
                except Exception as exc:
                    results[i] = exc

            threads = [threading.Thread(target=work, args=(i,)) for i in range(len(calls))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(120)
            return results

        async def together() -> list[Any]:
            coros = [getattr(self.client, name)(*args) for name, args in calls]
            return list(await asyncio.gather(*coros, return_exceptions=True))

        return list(self._loop.run(together()))

    def close(self) -> None:
        """Close the client (and stop the async twin's loop)."""
        if self._loop is None:
            self.client.close()
            return
        try:
            self._loop.run(self.client.aclose())
        finally:
            self._loop.stop()
