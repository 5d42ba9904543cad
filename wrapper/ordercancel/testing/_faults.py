"""Fault injection: the next N answers of a venue go wrong in a chosen way.

A fault fires either *before* the venue applies the request (the state does not change: the
request never got through) or *after* (the state changed, then the answer was lost, delayed or
replaced: "the cancel reached the venue but the answer did not reach you"). This module is the
plan only; `_wire.answer` applies it to a venue's answers.
"""

from __future__ import annotations

import threading
from collections import deque
from typing import Literal

import attrs

FaultKind = Literal["server_error", "html", "empty", "delay", "drop"]
When = Literal["before", "after"]

HTML_PAGE = (
    b"<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n"
    b"<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>cloudflare</center>\r\n"
    b"</body>\r\n</html>\r\n"
)


@attrs.frozen
class Fault:
    """One planned fault.

    Attributes:
        kind: "server_error" (a 5xx with the venue's error body), "html" (an HTML page from a
            proxy), "empty" (an empty body), "delay" (the real answer, `seconds` late) or "drop"
            (the connection closes without an answer).
        when: "before" the venue applies the request, or "after".
        status: The HTTP status for "server_error", "html" and "empty".
        seconds: The delay for "delay".
    """

    kind: FaultKind
    when: When = "before"
    status: int = 503
    seconds: float = 0.0


class Faults:
    """The fault plan of one venue: a queue of faults, each used by one answer, in order.

    Thread-safe: a test may plan faults while a served venue answers in another thread.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: deque[Fault] = deque()

    def add(self, fault: Fault, count: int = 1) -> None:
        """Plan `fault` for the next `count` answers (after those already planned)."""
        if count < 1:
            raise ValueError("count must be at least 1")
        with self._lock:
            self._queue.extend([fault] * count)

    def server_error(self, count: int = 1, *, status: int = 503, when: When = "before") -> None:
        """The next `count` answers are HTTP `status` (5xx) with the venue's error body."""
        if not 500 <= status <= 599:
            raise ValueError("status must be 5xx")
        self.add(Fault("server_error", when, status=status), count)

    def html(self, count: int = 1, *, status: int = 502, when: When = "before") -> None:
        """The next `count` answers are an HTML error page (a proxy or CDN answered)."""
        self.add(Fault("html", when, status=status), count)

    def empty(self, count: int = 1, *, status: int = 200, when: When = "before") -> None:
        """The next `count` answers have an empty body with HTTP `status`."""
        self.add(Fault("empty", when, status=status), count)

    def delay(self, seconds: float, count: int = 1, *, when: When = "before") -> None:
        """The next `count` answers come `seconds` late.

        "before": the venue waits, then applies the request (a client that gives up first
        leaves the state unchanged). "after": the venue applies it at once, then waits.
        """
        if seconds < 0:
            raise ValueError("seconds must be >= 0")
        self.add(Fault("delay", when, seconds=seconds), count)

    def drop(self, count: int = 1, *, when: When = "before") -> None:
        """The next `count` connections close without an answer.

        In-process this raises `httpx.RemoteProtocolError` as httpx's own transport does.
        """
        self.add(Fault("drop", when), count)

    def clear(self) -> None:
        """Forget every planned fault."""
        with self._lock:
            self._queue.clear()

    @property
    def pending(self) -> int:
        """How many planned faults have not fired yet."""
        with self._lock:
            return len(self._queue)

    def take(self) -> Fault | None:
        """The fault for the answer being made now, if any (it is used up)."""
        with self._lock:
            return self._queue.popleft() if self._queue else None
