"""What the simulated venues see and answer: transport-neutral requests and responses."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Protocol

import attrs

from ._faults import Faults

JSON_HEADERS: Mapping[str, str] = {"Content-Type": "application/json"}


@attrs.frozen
class SimRequest:
    """One request as it arrived: method, the raw (still percent-encoded) target, headers, body.

    `headers` has lower-case names. `raw_target` is the path plus `?query` exactly as sent.
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


def lower_headers(pairs: Any) -> dict[str, str]:
    """Headers as a dict with lower-case names; the first value wins when a name repeats."""
    result: dict[str, str] = {}
    for name, value in pairs:
        result.setdefault(str(name).lower(), str(value))
    return result


class Venue(Protocol):
    """What a transport needs from a simulated venue."""

    @property
    def faults(self) -> Faults:
        """The venue's fault plan."""
        ...

    def handle(self, request: SimRequest) -> SimResponse:
        """Apply `request` to the venue's state and answer it as the venue would."""
        ...

    def server_error_body(self) -> bytes:
        """The body the venue sends with an injected 5xx."""
        ...
