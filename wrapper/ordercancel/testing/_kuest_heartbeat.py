"""Kuest's heartbeats (its dead-man's switch) in the simulator.

`POST /heartbeats` (the path of Kuest's published file; `exchange.heartbeats.path` serves
another, such as the older `/v1/heartbeats`) with `{"heartbeat_id": null | "<id>"}`, L2-signed.
A heartbeat while no session runs starts one, whatever id it sends; each accepted heartbeat is
answered `{"heartbeat_id": "<a new id>"}`, the id the next one must send. Another id while a
session runs is answered 400 `{"error": "Invalid Heartbeat ID", "heartbeat_id": "<the current
id>"}` and renews nothing (Kuest's Python client shows this answer).

On the venue's clock (`exchange.server_time()`, moved by `exchange.advance(seconds)`), when
`window_s` (10, as Kuest's clients say) pass without an accepted heartbeat, every open order
of the account is cancelled and the session ends. Timers fire when the venue next answers a
request or is inspected, or on `advance` / `run_timers`.

Facts silent: whether ids rotate on every heartbeat (they do here, the stricter case for a
client); whether heartbeats count against the cancel rate limit (they do not here: Kuest's
limits are per endpoint).
"""

from __future__ import annotations

import uuid
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from ..kuest._keys import KuestKeys
    from ._kuest import KuestExchange
    from ._wire import SimRequest

DEFAULT_PATH = "/heartbeats"
WINDOW_S = 10.0
INVALID = "Invalid Heartbeat ID"


@attrs.frozen
class HeartbeatSession:
    """One account's running heartbeat session.

    Attributes:
        heartbeat_id: The id the next heartbeat must send.
        last_beat: When the latest heartbeat was accepted (the venue's clock, Unix seconds).
    """

    heartbeat_id: str
    last_beat: float


@attrs.frozen
class HeartbeatsStopped:
    """A session whose heartbeats stopped: whose, when (venue's clock), the orders cancelled."""

    api_key: str
    at: float
    cancelled: tuple[str, ...]


class Heartbeats:
    """The simulated Kuest's heartbeat sessions, one per account (`exchange.heartbeats`).

    Attributes:
        path: Where heartbeats are posted ("/heartbeats").
        window_s: Seconds without an accepted heartbeat before the orders are cancelled (10).
        stopped: Every session that ran out so far, oldest first.
    """

    def __init__(self, venue: KuestExchange) -> None:
        self.path = DEFAULT_PATH
        self.window_s = WINDOW_S
        self.stopped: list[HeartbeatsStopped] = []
        self._venue = venue
        self._sessions: dict[str, HeartbeatSession] = {}

    def session(self, account: KuestKeys | str | None = None) -> HeartbeatSession | None:
        """The running session of `account` (default: the venue's `keys`), or None."""
        venue = self._venue
        with venue._lock:
            venue.run_timers()
            return self._sessions.get(venue._account_key(account))

    def fire_due(self) -> None:
        """Cancel the open orders of every account whose heartbeats stopped (under the lock)."""
        venue = self._venue
        now = venue.server_time()
        for api_key, session in list(self._sessions.items()):
            if now - session.last_beat < self.window_s:
                continue
            del self._sessions[api_key]
            orders = venue._open_of(venue._accounts[api_key], lambda o: True)
            venue._cancel_many(orders)
            self.stopped.append(HeartbeatsStopped(api_key, now, tuple(o.order_id for o in orders)))

    def handle(self, request: SimRequest) -> tuple[int, Any]:
        """Answer a heartbeat (under the venue's lock); authentication as for any request."""
        venue = self._venue
        if request.method != "POST":
            return 405, {"error": "Method Not Allowed"}  # facts silent
        account = venue._authenticate(request)
        body = venue._json(request.body)
        sent = body.get("heartbeat_id") if isinstance(body, dict) else None
        if not isinstance(body, dict) or not (sent is None or isinstance(sent, str)):
            return 400, {"error": "Invalid heartbeat payload"}  # facts silent
        api_key = account.keys.api_key
        session = self._sessions.get(api_key)
        if session is not None and sent != session.heartbeat_id:
            return 400, {"error": INVALID, "heartbeat_id": session.heartbeat_id}
        next_id = str(uuid.uuid4())
        self._sessions[api_key] = HeartbeatSession(next_id, venue.server_time())
        return 200, {"heartbeat_id": next_id}
