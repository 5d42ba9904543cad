"""What the simulated venues see and answer: transport-neutral requests and responses."""

from __future__ import annotations

import json
import re
from collections.abc import Generator, Iterable, Mapping
from typing import Any, Protocol

import attrs

from ._faults import HTML_PAGE, Fault, Faults

JSON_HEADERS: Mapping[str, str] = {"Content-Type": "application/json"}
_DIGITS = re.compile(r"[0-9]{1,19}")
MAX_BODY_BYTES = 1_048_576
"""The default largest body a simulated venue reads (1 MiB, aiohttp's own default); the venues'
facts name no figure. A longer body gets the venue's error envelope (HTTP 413), served and
in-process alike."""


@attrs.frozen
class SimRequest:
    """One request as it arrived: method, the raw (still percent-encoded) target, headers, body.

    `headers` has lower-case names; each value is the field's bytes as sent, without surrounding
    spaces or tabs, decoded as Latin-1 (so any byte sequence arrives intact, served and
    in-process alike: `header_bytes` gives the bytes back). `raw_target` is the path plus
    `?query` exactly as sent. A body longer than the venue reads arrives cut at one byte over.
    """

    method: str
    raw_target: str
    headers: Mapping[str, str]
    body: bytes = b""

    @property
    def raw_path(self) -> str:
        """The raw path, without the query."""
        return self.raw_target.partition("?")[0]

    @property
    def raw_query(self) -> str:
        """The raw query string, without the `?` ("" when there is none)."""
        return self.raw_target.partition("?")[2]


@attrs.frozen
class SimResponse:
    """One answer: status, headers and body bytes."""

    status: int
    headers: Mapping[str, str]
    body: bytes


def json_response(
    status: int, payload: Any, headers: Mapping[str, str] | None = None
) -> SimResponse:
    """A compact JSON answer with `Content-Type: application/json` plus `headers`."""
    body = json.dumps(payload, separators=(",", ":")).encode()
    return SimResponse(status, {**JSON_HEADERS, **(headers or {})}, body)


def lower_headers(pairs: Iterable[tuple[bytes, bytes]]) -> dict[str, str]:
    """Raw header fields as a dict with lower-case names.

    Values are trimmed of spaces and tabs and decoded as Latin-1 (byte for byte); the first
    value wins when a name repeats.
    """
    result: dict[str, str] = {}
    for name, value in pairs:
        result.setdefault(name.decode("latin-1").lower(), value.strip(b" \t").decode("latin-1"))
    return result


def header_bytes(value: str) -> bytes:
    """The bytes a header value arrived as (the inverse of `lower_headers`' decoding)."""
    return value.encode("latin-1")


def header_int(value: str) -> int | None:
    """A header value of 1-19 ASCII digits as an int, else None.

    Never `int()` of anything else: Unicode digits, signs and spaces are no timestamp, and a
    5,000-digit string is out of any window (and more than `int()` reads).
    """
    return int(value) if _DIGITS.fullmatch(value) else None


def header_text(value: str) -> str | None:
    """A header value as UTF-8 text, or None when its bytes are not UTF-8."""
    try:
        return header_bytes(value).decode("utf-8")
    except UnicodeDecodeError:
        return None


class Venue(Protocol):
    """What a transport needs from a simulated venue."""

    @property
    def faults(self) -> Faults:
        """The venue's fault plan."""
        ...

    @property
    def max_body_bytes(self) -> int:
        """The longest body the venue reads; a longer one gets its error envelope."""
        ...

    def handle(self, request: SimRequest) -> SimResponse:
        """Apply `request` to the venue's state and answer it as the venue would."""
        ...

    def server_error_body(self) -> bytes:
        """The body the venue sends with an injected 5xx."""
        ...


def _fault_response(venue: Venue, fault: Fault) -> SimResponse | None:
    if fault.kind == "drop":
        return None
    if fault.kind == "html":
        return SimResponse(fault.status, {"Content-Type": "text/html"}, HTML_PAGE)
    if fault.kind == "empty":
        return SimResponse(fault.status, {}, b"")
    return SimResponse(
        fault.status, {"Content-Type": "application/json"}, venue.server_error_body()
    )


Steps = Generator[float, None, SimResponse | None]


def answer(venue: Venue, request: SimRequest) -> Steps:
    """Answer `request` with `venue`, honouring its fault plan.

    A generator: it yields the seconds to wait (the driver sleeps, synchronously or not) and
    returns the response, or None when the connection must close without one. A driver that
    gives up while waiting closes the generator; a "before" delay then leaves the state as is.
    """
    fault = venue.faults.take()
    if fault is None:
        return venue.handle(request)
    if fault.when == "before":
        if fault.kind == "delay":
            yield fault.seconds
            return venue.handle(request)
        return _fault_response(venue, fault)
    response = venue.handle(request)
    if fault.kind == "delay":
        yield fault.seconds
        return response
    return _fault_response(venue, fault)
