"""Shared pieces of the resilience tests: twin drivers, log capture, stats.

Nothing here calls the wrapper's signing code: the verifiers are written from the venues' published
rules (shared/api/*.md), so they can disagree with the wrapper.
"""

from __future__ import annotations

import asyncio
import collections
import json
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
)

# ---------------------------------------------------------------------------------------------
# Twins: one synchronous driver for both clients. The async client runs in its own event loop
# on a background thread, so a scenario is written once and runs against both twins.
# ---------------------------------------------------------------------------------------------


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
    """A client of one venue, sync or async, called synchronously: `driver.call("name", ...)`."""

    def __init__(self, mode: str, venue: str, **kwargs: Any) -> None:
        self.mode = mode
        self.venue = venue
        classes = {
            ("sync", "kucoin"): KucoinSpotCancelOrder,
            ("async", "kucoin"): AsyncKucoinSpotCancelOrder,
            ("sync", "kuest"): KuestCancelOrder,
            ("async", "kuest"): AsyncKuestCancelOrder,
        }
        self._loop = _LoopThread() if mode == "async" else None
        self.client = classes[(mode, venue)](**kwargs)

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
        if self._loop is None:
            self.client.close()
            return
        try:
            self._loop.run(self.client.aclose())
        finally:
            self._loop.stop()


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def connect(mode: str) -> Iterator[Callable[..., Driver]]:
    """`connect("kucoin" | "kuest", **client_kwargs)`: a Driver of this test's twin."""
    drivers: list[Driver] = []

    def make(venue: str, **kwargs: Any) -> Driver:
        driver = Driver(mode, venue, **kwargs)
        drivers.append(driver)
        return driver

    yield make
    for driver in drivers:
        driver.close()


# ---------------------------------------------------------------------------------------------
# Log capture that works inside hypothesis and in threads: a handler on "ordercancel".
# ---------------------------------------------------------------------------------------------


class LogRecorder(logging.Handler):
    """Every record of the "ordercancel" logger (DEBUG and up) while installed."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.records: list[logging.LogRecord] = []
        self._lock_records = threading.Lock()

    def emit(self, record: logging.LogRecord) -> None:
        with self._lock_records:
            self.records.append(record)

    def texts(self) -> list[str]:
        """Each record's message, raw template, args, and exception text: all a sink may write."""
        out = []
        for record in list(self.records):
            parts = [record.getMessage(), str(record.msg), repr(record.args)]
            if record.exc_info and record.exc_info[1] is not None:
                parts.append(repr(record.exc_info[1]))
            out.append("\n".join(parts))
        return out

    def leaked(self, secrets: list[str]) -> list[tuple[str, str]]:
        """(secret, text) pairs where a secret shows up in a captured record."""
        return [(s, t) for t in self.texts() for s in secrets if s and s in t]

    def at(self, level: int) -> list[logging.LogRecord]:
        return [r for r in self.records if r.levelno == level]


@pytest.fixture(scope="session")
def record_logs() -> Callable[[], Any]:
    """`with record_logs() as rec:` installs a LogRecorder on "ordercancel" at DEBUG."""
    import contextlib

    @contextlib.contextmanager
    def install() -> Iterator[LogRecorder]:
        logger = logging.getLogger("ordercancel")
        recorder = LogRecorder()
        old_level = logger.level
        logger.setLevel(logging.DEBUG)
        logger.addHandler(recorder)
        try:
            yield recorder
        finally:
            logger.removeHandler(recorder)
            logger.setLevel(old_level)

    return install


# ---------------------------------------------------------------------------------------------
# Fault-suite statistics: accumulated by the fault tests, written to a JSON file under the pytest
# temporary directory and shown in the terminal summary (whatever the capture mode).
# ---------------------------------------------------------------------------------------------

_STATS: collections.Counter[str] = collections.Counter()
_STATS_FILE: list[str] = []


@pytest.fixture(scope="session")
def fault_stats(tmp_path_factory: pytest.TempPathFactory) -> Iterator[collections.Counter[str]]:
    path = tmp_path_factory.getbasetemp() / "resilience-fault-stats.json"
    _STATS_FILE.append(str(path))
    yield _STATS
    path.write_text(json.dumps(dict(sorted(_STATS.items())), indent=2), encoding="utf-8")


def pytest_terminal_summary(terminalreporter: Any) -> None:
    if not _STATS:
        return
    terminalreporter.section("resilience fault suite")
    for key, value in sorted(_STATS.items()):
        terminalreporter.write_line(f"{key}: {value}")
    if _STATS_FILE:
        terminalreporter.write_line(f"(also written to {_STATS_FILE[0]})")
