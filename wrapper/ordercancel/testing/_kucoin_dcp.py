"""KuCoin's Disconnection Protection (the dead-man's switch) in the simulator.

`POST /api/v1/hf/orders/dead-cancel-all` with `{"timeout": seconds, "symbols": "A-B,C-D"}` arms
the account's switch, or renews it: each set overwrites the previous one, symbols included, and
only a set renews it. `timeout` -1 clears it. `GET /api/v1/hf/orders/dead-cancel-all/query`
answers the setting, or an empty `data` when none is set. Both weigh 2 in the Spot pool.

On the venue's clock (`exchange.server_time()`, moved by `exchange.advance(seconds)`), once
`timeout` seconds pass after the latest set, every open order of the account on the listed
symbols (on every symbol when none is listed) is cancelled. Timers fire when the venue next
answers a request or is inspected (`order`, `orders`, ...), or on `advance` / `run_timers`.

Facts silent: the messages of a bad body (400100 here, like KuCoin's other parameter errors);
what a fired switch leaves behind (here it is spent: the query answers "not set"); the `data`
of a clear and of "not set" (an empty object here; KuCoin says "empty").
"""

from __future__ import annotations

import json
import re
from typing import TYPE_CHECKING, Any

import attrs

if TYPE_CHECKING:
    from ..kucoin._keys import KucoinKeys
    from ._kucoin import KucoinExchange, _Account

ROUTES: tuple[tuple[str, re.Pattern[str], str, int], ...] = (
    ("POST", re.compile(r"^/api/v1/hf/orders/dead-cancel-all$"), "dcp_set", 2),
    ("GET", re.compile(r"^/api/v1/hf/orders/dead-cancel-all/query$"), "dcp_get", 2),
)
OPERATIONS = frozenset(operation for _, _, operation, _ in ROUTES)
TIMEOUT_MIN, TIMEOUT_MAX, MAX_SYMBOLS = 5, 86400, 50
_SYMBOL = re.compile(r"^[A-Z0-9]+-[A-Z0-9]+$")


@attrs.frozen
class DcpSetting:
    """One account's armed Disconnection Protection.

    Attributes:
        timeout_s: Seconds from the latest set to the cancel.
        symbols: The symbols covered; empty means every symbol.
        current_time: The venue's time of the latest set (Unix seconds, as answered).
        trigger_at: When it fires, on the venue's clock (Unix seconds, exact).
    """

    timeout_s: int
    symbols: tuple[str, ...]
    current_time: int
    trigger_at: float

    @property
    def trigger_time(self) -> int:
        """When it fires, Unix seconds, as KuCoin answers it."""
        return self.current_time + self.timeout_s


@attrs.frozen
class DcpFired:
    """A switch that fired: whose, when (venue's clock), and the orders it cancelled."""

    api_key: str
    at: float
    symbols: tuple[str, ...]
    cancelled: tuple[str, ...]


class DisconnectProtection:
    """The simulated KuCoin's switches, one per account (`exchange.dcp`).

    Attributes:
        fired: Every switch that fired so far, oldest first.
    """

    def __init__(self, venue: KucoinExchange) -> None:
        self._venue = venue
        self._settings: dict[str, DcpSetting] = {}
        self.fired: list[DcpFired] = []

    def setting(self, account: KucoinKeys | str | None = None) -> DcpSetting | None:
        """The switch of `account` (default: the venue's `keys`), None when none is armed."""
        venue = self._venue
        with venue._lock:
            venue.run_timers()
            return self._settings.get(venue._account_key(account))

    def fire_due(self) -> None:
        """Fire every switch whose time has come (under the venue's lock)."""
        venue = self._venue
        now = venue.server_time()
        for api_key, setting in list(self._settings.items()):
            if now < setting.trigger_at:
                continue
            del self._settings[api_key]
            account = venue._accounts[api_key]
            covered = setting.symbols or {o.symbol for o in venue._orders.values()}
            orders = venue._open_orders(account, covered)
            for order in orders:
                order.cancel()
            cancelled = tuple(o.order_id for o in orders)
            self.fired.append(DcpFired(api_key, now, setting.symbols, cancelled))

    def operate(self, operation: str, account: _Account, body: bytes) -> dict[str, Any]:
        """Answer a set or a query (under the venue's lock)."""
        venue = self._venue
        api_key = account.keys.api_key
        if operation == "dcp_get":
            setting = self._settings.get(api_key)
            if setting is None:
                return {}
            return {
                "timeout": setting.timeout_s,
                "symbols": ",".join(setting.symbols),
                "currentTime": int(venue.server_time()),
                "triggerTime": setting.trigger_time,
            }
        timeout, symbols = _parse(venue, body)
        if timeout == -1:
            self._settings.pop(api_key, None)
            return {}
        now = venue.server_time()
        setting = DcpSetting(timeout, symbols, int(now), now + timeout)
        self._settings[api_key] = setting
        return {"currentTime": setting.current_time, "triggerTime": setting.trigger_time}


def _parse(venue: KucoinExchange, body: bytes) -> tuple[int, tuple[str, ...]]:
    try:
        payload = json.loads(body)
    except (ValueError, RecursionError):
        payload = None
    if not isinstance(payload, dict):
        raise venue._business("400100", "Request body must be a JSON object")
    timeout = payload.get("timeout")
    if (
        isinstance(timeout, bool)
        or not isinstance(timeout, int)
        or (timeout != -1 and not TIMEOUT_MIN <= timeout <= TIMEOUT_MAX)
    ):
        raise venue._business("400100", "Parameter [timeout] is invalid")
    text = payload.get("symbols", "")
    if not isinstance(text, str):
        raise venue._business("400100", "Parameter [symbols] is invalid")
    symbols = tuple(text.split(",")) if text else ()
    if len(symbols) > MAX_SYMBOLS or not all(_SYMBOL.match(s) for s in symbols):
        raise venue._business("400100", "Parameter [symbols] is invalid")
    return timeout, symbols
