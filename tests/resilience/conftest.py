"""Shared pieces of the resilience tests: the `connect` fixture (twin drivers), log capture, stats.

The signing oracles are `support.kucoin_oracle` and `support.kuest_oracle`.
"""

from __future__ import annotations

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
from support.twins import Driver, Twin

# ---------------------------------------------------------------------------------------------
# Twins: each scenario runs against both clients through `support.twins.Driver`.
# ---------------------------------------------------------------------------------------------

CLIENTS = {
    "kucoin": {"sync": KucoinSpotCancelOrder, "async": AsyncKucoinSpotCancelOrder},
    "kuest": {"sync": KuestCancelOrder, "async": AsyncKuestCancelOrder},
}


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def connect(mode: str) -> Iterator[Callable[..., Driver]]:
    """`connect("kucoin" | "kuest", **client_kwargs)`: a Driver of this test's twin."""
    drivers: list[Driver] = []

    def make(venue: str, **kwargs: Any) -> Driver:
        driver = Twin(mode, venue, CLIENTS[venue][mode]).open(**kwargs)
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
