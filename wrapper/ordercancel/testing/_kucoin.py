"""A faithful in-memory KuCoin Spot for the five HF cancel endpoints and the server time.

The sync cancels and Disconnection Protection live in their own modules (`_kucoin_sync`,
`_kucoin_dcp`); this one routes to them.

Everything it checks comes from the venue facts (shared/api/kucoin.md). Where KuCoin is silent,
the choice made here is marked "facts silent" with the reason.

Order of checks on a private request: body size (413 / 400100), route (404000), the five KC-API
headers (400001), api key (400003), key version (400009, then 400008), passphrase (400004),
timestamp within 5 s (400002), signature (400005), then the media type (415000: authentication
comes first), rate limit (429000), parameters (400100), then the order book. Every answer is
KuCoin's envelope, whatever the header values or body: a client's mistake never gets a 500.

What real clients send, accepted as the venue accepts it:

- No Content-Type on a DELETE without a body (ccxt; KuCoin's PHP SDK dropped the header for
  GET and DELETE). A Content-Type that is not application/json is refused (415000).
- KC-API-KEY-VERSION "2" (ccxt) or "3" (the official SDKs) with a key of either version.
- The query signed form-decoded: the official SDK sends `clientOid=a+b` and signs `a b`; a
  `+` in the path stays a `+` (only the query is form-encoded).
- Facts silent on a request with no KC-API-KEY-VERSION (python-kucoin 2.2.0 as shipped sends
  none, and its passphrase in plaintext, the retired v1 scheme): it is refused with 400001 like
  any other missing KC-API header, never guessed to be a v1 key, so a test cannot pass here
  with a request that the venue may refuse.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import itertools
import re
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from urllib.parse import parse_qsl, unquote, unquote_plus

import attrs

from ..kucoin._keys import KucoinKeys
from . import _kucoin_dcp, _kucoin_sync
from ._base import SimulatedVenue
from ._ratelimit import FixedWindow, WindowState
from ._wire import (
    SimRequest,
    SimResponse,
    header_bytes,
    header_int,
    header_text,
    json_response,
)

KucoinOrderState = Literal["live", "partially_filled", "filled", "cancelled"]
OPEN_STATES: frozenset[str] = frozenset({"live", "partially_filled"})

SUCCESS = "200000"
NOT_CANCELLABLE = "order_not_exist_or_not_allow_to_cancel"
SUSPENDED = "cancel orders suspended for this pair"
_SYMBOL = re.compile(r"^[A-Z0-9]+-[A-Z0-9]+$")
_SIZE = re.compile(r"^(0|[1-9][0-9]*)(\.[0-9]+)?$")
KEY_VERSIONS = frozenset({"2", "3"})  # either is accepted with a key of either version
_REQUIRED_HEADERS = (
    "kc-api-key",
    "kc-api-sign",
    "kc-api-timestamp",
    "kc-api-passphrase",
    "kc-api-key-version",
)
_AUTH_MESSAGES = {
    "400001": "Please check the header of your request for KC-API-KEY, KC-API-SIGN, "
    "KC-API-TIMESTAMP, KC-API-PASSPHRASE, KC-API-KEY-VERSION",
    "400002": "KC-API-TIMESTAMP Invalid -- Time differs from server time by more than 5 seconds",
    "400003": "KC-API-KEY not exists",
    "400004": "Invalid KC-API-PASSPHRASE",
    "400005": "Signature verification failed",
    "400008": "API key version 2 is no longer accepted, use version 3",
    "400009": "Invalid KC-API-KEY-VERSION",
}
# Routes on the raw (still encoded) path; path parameters are decoded after matching.
_ROUTES: tuple[tuple[re.Pattern[str], str, int], ...] = (
    (re.compile(r"^/api/v1/hf/orders/cancelAll$"), "cancel_all", 30),
    (re.compile(r"^/api/v1/hf/orders/client-order/([^/]+)$"), "by_client_oid", 1),
    (re.compile(r"^/api/v1/hf/orders/cancel/([^/]+)$"), "partial", 2),
    (re.compile(r"^/api/v1/hf/orders/([^/]+)$"), "by_order_id", 1),
    (re.compile(r"^/api/v1/hf/orders$"), "by_symbol", 2),
)
# The open-order listings (016, 017), weight 2 each in the Spot pool.
_GET_ROUTES: tuple[tuple[re.Pattern[str], str, int], ...] = (
    (re.compile(r"^/api/v1/hf/orders/active/symbols$"), "active_symbols", 2),
    (re.compile(r"^/api/v1/hf/orders/active$"), "active_orders", 2),
)
TIMESTAMP_WEIGHT = 3
# Routes of any method, in their own modules: sync cancels, Disconnection Protection.
_MORE_ROUTES = (*_kucoin_sync.ROUTES, *_kucoin_dcp.ROUTES)


@attrs.frozen
class KucoinOrder:
    """A snapshot of one simulated KuCoin order (sizes are Decimals, in base currency)."""

    order_id: str
    symbol: str
    api_key: str
    size: Decimal
    filled_size: Decimal
    canceled_size: Decimal
    state: KucoinOrderState
    client_oid: str | None = None

    @property
    def remaining(self) -> Decimal:
        """The size still open: size minus what was filled and what was cancelled."""
        return self.size - self.filled_size - self.canceled_size


@attrs.frozen
class KucoinReceived:
    """One request the venue answered: what came in and the status and code it got back."""

    method: str
    raw_target: str
    status: int
    code: str | None


@attrs.define
class _Order:
    order_id: str
    symbol: str
    api_key: str
    size: Decimal
    filled_size: Decimal
    canceled_size: Decimal
    state: KucoinOrderState
    client_oid: str | None
    side: Literal["buy", "sell"] = "buy"
    price: Decimal = Decimal(1)
    created_ms: int = 0

    @property
    def remaining(self) -> Decimal:
        return self.size - self.filled_size - self.canceled_size

    def snapshot(self) -> KucoinOrder:
        return KucoinOrder(
            order_id=self.order_id,
            symbol=self.symbol,
            api_key=self.api_key,
            size=self.size,
            filled_size=self.filled_size,
            canceled_size=self.canceled_size,
            state=self.state,
            client_oid=self.client_oid,
        )

    def cancel(self, size: Decimal | None = None) -> None:
        """Cancel `size` (default: everything that remains)."""
        amount = self.remaining if size is None else size
        self.canceled_size += amount
        if self.remaining == 0:
            self.state = "cancelled"


@attrs.define
class _Account:
    keys: KucoinKeys
    spot: FixedWindow


class _Reject(Exception):  # control flow inside the model; never escapes it
    def __init__(self, status: int, code: str, msg: str) -> None:
        super().__init__(code)
        self.status, self.code, self.msg = status, code, msg


def _sign(secret: str, message: bytes) -> str:
    digest = hmac.new(secret.encode(), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def _decimal(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{what} must be a decimal, got {text!r}") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"{what} must be a finite non-negative decimal, got {text!r}")
    return value


def _signed_target(request: SimRequest) -> bytes:
    """The target as KuCoin verifies it: decoded, in the order sent.

    The path is percent-decoded; the query is form-decoded (`+` is a space there).
    """
    path, mark, query = request.raw_target.partition("?")
    return (unquote(path) + mark + unquote_plus(query)).encode("utf-8", "replace")


class KucoinExchange(SimulatedVenue):
    """A simulated KuCoin Spot: accounts, an order book, rate-limit pools and a fault plan.

    Args:
        spot_quota: Spot pool quota per window for each account (VIP0: 4000).
        public_quota: Public pool quota per window (facts silent on the figure; 2000 here).
        window_seconds: The rate-limit window; it opens with the first request (30 s).
        clock: Unix time in seconds (float); `clock_skew_s` is added to it for server time.
            The rate-limit windows use `clock` without the skew.
        business_error_status: The HTTP status of 400100 and 200002 answers. Facts silent on
            which status these get; 200 is the default as it is the case a client most easily
            gets wrong (an error under HTTP 200).
        partial_cancel_over_remaining: What a partial cancel larger than the remaining size does.
            Facts silent. "reject" (default): 400100 "cancelSize exceeds the remaining size of
            the order", nothing changes. "cap": the rest is cancelled and `cancelSize` in the
            answer is the size actually cancelled.
        reject_v2_keys: Answer 400008 to keys of version "2" (KuCoin still accepts them today).
        cancel_delay_s: How long after an accepted cancel the order stays open (still listed,
            still fillable), as KuCoin queues its cancels: 0 (default) applies it at once. A
            partial cancel is always at once.

    Thread-safe: the served form answers in a background thread while a test inspects state.
    """

    def __init__(
        self,
        *,
        spot_quota: int = 4000,
        public_quota: int = 2000,
        window_seconds: float = 30.0,
        clock: Callable[[], float] = time.time,
        business_error_status: int = 200,
        partial_cancel_over_remaining: Literal["reject", "cap"] = "reject",
        reject_v2_keys: bool = False,
        cancel_delay_s: float = 0.0,
    ) -> None:
        super().__init__(clock=clock, placeholder_url="http://kucoin.invalid")
        self.business_error_status = business_error_status
        self.partial_cancel_over_remaining = partial_cancel_over_remaining
        self.reject_v2_keys = reject_v2_keys
        self.cancel_delay_s = cancel_delay_s
        self._cancel_due: dict[str, float] = {}  # order id -> when its accepted cancel lands
        self._cancel_all_fails: dict[str, str] = {}
        self._spot_quota = spot_quota
        self._window_seconds = window_seconds
        self._lock = threading.RLock()
        self._accounts: dict[str, _Account] = {}
        self._orders: dict[str, _Order] = {}
        self._by_client_oid: dict[tuple[str, str], str] = {}
        self._suspended: dict[str, str] = {}
        self._public = FixedWindow(public_quota, window_seconds, clock)
        self._ids = itertools.count(1)
        self._received: deque[KucoinReceived] = deque(maxlen=100_000)
        self.keys = self.add_account()
        """The keys of the default account, accepted by this venue."""
        self.sync_cancels = _kucoin_sync.SyncCancels()
        """How sync cancels answer (see `SyncCancels.leave_open`)."""
        self.dcp = _kucoin_dcp.DisconnectProtection(self)
        """The accounts' Disconnection Protection switches (`setting`, `fired`)."""

    def run_timers(self) -> None:
        """Fire the Disconnection Protection switches that are due."""
        with self._lock:
            self.dcp.fire_due()

    # -- set-up and inspection -------------------------------------------------------------

    def server_time_ms(self) -> int:
        """The simulator's clock in Unix milliseconds (skew included)."""
        return int(self.server_time() * 1000)

    def add_account(
        self,
        *,
        api_key: str | None = None,
        api_secret: str | None = None,
        api_passphrase: str | None = None,
        key_version: str = "3",
    ) -> KucoinKeys:
        """Create an account and return its keys (random values for those not given)."""
        keys = KucoinKeys(
            api_key=api_key or secrets.token_hex(12),
            api_secret=api_secret or secrets.token_hex(16),
            api_passphrase=api_passphrase or secrets.token_urlsafe(12),
            key_version=key_version,
        )
        with self._lock:
            if keys.api_key in self._accounts:
                raise ValueError(f"api key {keys.api_key!r} exists already")
            window = FixedWindow(self._spot_quota, self._window_seconds, self._clock)
            self._accounts[keys.api_key] = _Account(keys, window)
        return keys

    def _account_key(self, account: KucoinKeys | str | None) -> str:
        key = (
            self.keys.api_key
            if account is None
            else account
            if isinstance(account, str)
            else account.api_key
        )
        if key not in self._accounts:
            raise KeyError(f"no account with api key {key!r}")
        return key

    def add_order(
        self,
        symbol: str = "BTC-USDT",
        size: str | Decimal | int = "1",
        *,
        client_oid: str | None = None,
        account: KucoinKeys | str | None = None,
        filled: str | Decimal | int = "0",
        order_id: str | None = None,
        side: Literal["buy", "sell"] = "buy",
        price: str | Decimal | int = "1",
    ) -> KucoinOrder:
        """Place an open order (or a filled one if `filled == size`) and return its snapshot.

        `account` is the owner's keys or api key (default: `self.keys`). `order_id` defaults
        to a fresh 24-hex-character id. `side` and `price` are only shown by the listings.

        Raises:
            ValueError: a bad symbol or size, or a clientOid or orderId already in use.
        """
        if not _SYMBOL.match(symbol):
            raise ValueError(f"symbol must look like BASE-QUOTE, got {symbol!r}")
        total = _decimal(str(size), "size")
        done = _decimal(str(filled), "filled")
        if total <= 0 or done > total:
            raise ValueError("size must be > 0 and filled <= size")
        state: KucoinOrderState = (
            "filled" if done == total else "partially_filled" if done > 0 else "live"
        )
        with self._lock:
            owner = self._account_key(account)
            oid = order_id or f"{int(self._clock()):08x}{next(self._ids):016x}"[-24:]
            if oid in self._orders:
                raise ValueError(f"order id {oid!r} exists already")
            if client_oid is not None and (owner, client_oid) in self._by_client_oid:
                raise ValueError(f"clientOid {client_oid!r} exists already for this account")
            order = _Order(oid, symbol, owner, total, done, Decimal(0), state, client_oid)
            order.side, order.price = side, _decimal(str(price), "price")
            order.created_ms = self.server_time_ms()
            self._orders[oid] = order
            if client_oid is not None:
                self._by_client_oid[(owner, client_oid)] = oid
            return order.snapshot()

    def fill(self, order_id: str, size: str | Decimal | int | None = None) -> KucoinOrder:
        """Fill `size` of an open order (default: all that remains); return its snapshot.

        Raises:
            KeyError: no such order.
            ValueError: the order is not open or `size` exceeds what remains.
        """
        with self._lock:
            self._settle()
            order = self._orders[order_id]
            amount = order.remaining if size is None else _decimal(str(size), "size")
            if order.state not in OPEN_STATES or amount > order.remaining or amount <= 0:
                raise ValueError("can fill only a positive size of an open order's remainder")
            order.filled_size += amount
            order.state = "filled" if order.remaining == 0 else "partially_filled"
            return order.snapshot()

    def order(self, order_id: str) -> KucoinOrder:
        """The snapshot of order `order_id`.

        Raises:
            KeyError: no such order.
        """
        with self._lock:
            self._settle()
            self.run_timers()
            return self._orders[order_id].snapshot()

    def order_by_client_oid(
        self, client_oid: str, account: KucoinKeys | str | None = None
    ) -> KucoinOrder:
        """The snapshot of the order `account` (default: `self.keys`) tagged `client_oid`.

        Raises:
            KeyError: no such order.
        """
        with self._lock:
            self._settle()
            self.run_timers()
            order_id = self._by_client_oid[(self._account_key(account), client_oid)]
            return self._orders[order_id].snapshot()

    def orders(
        self,
        *,
        symbol: str | None = None,
        account: KucoinKeys | str | None = None,
        state: KucoinOrderState | None = None,
    ) -> list[KucoinOrder]:
        """Snapshots of the orders matching every filter given, in placing order."""
        with self._lock:
            self._settle()
            self.run_timers()
            owner = None if account is None else self._account_key(account)
            return [
                o.snapshot()
                for o in self._orders.values()
                if (symbol is None or o.symbol == symbol)
                and (owner is None or o.api_key == owner)
                and (state is None or o.state == state)
            ]

    def suspend_symbol(self, symbol: str, message: str = SUSPENDED) -> None:
        """Make cancels on `symbol` fail (KuCoin's "cancels suspended for this pair").

        Single and by-symbol cancels get code 200002; cancel-all lists the symbol in
        `failedSymbols` with `message` as its error.
        """
        with self._lock:
            self._suspended[symbol] = message

    def resume_symbol(self, symbol: str) -> None:
        """Undo `suspend_symbol`."""
        with self._lock:
            self._suspended.pop(symbol, None)

    def fail_cancel_all(self, symbol: str, message: str = "cancel failed, please retry") -> None:
        """Make cancel-all fail for `symbol` alone, as KuCoin's partial success does.

        Cancel-all then lists `symbol` in `failedSymbols` (under code 200000) with `message` and
        leaves its orders open; other cancels of `symbol` still work. Undone by
        `restore_cancel_all`.
        """
        with self._lock:
            self._cancel_all_fails[symbol] = message

    def restore_cancel_all(self, symbol: str) -> None:
        """Undo `fail_cancel_all`."""
        with self._lock:
            self._cancel_all_fails.pop(symbol, None)

    def rate_limit(self, account: KucoinKeys | str | None = None) -> WindowState:
        """The Spot pool of `account` (default: `self.keys`) as it stands now."""
        with self._lock:
            return self._accounts[self._account_key(account)].spot.state()

    @property
    def received(self) -> list[KucoinReceived]:
        """Every request answered so far (the most recent 100 000), oldest first."""
        with self._lock:
            return list(self._received)

    def server_error_body(self) -> bytes:
        """The envelope sent with an injected 5xx."""
        return b'{"code":"500000","msg":"Internal Server Error"}'

    # -- answering ---------------------------------------------------------------------------

    def handle(self, request: SimRequest) -> SimResponse:
        """Answer `request` as KuCoin would, changing the order book when it is accepted."""
        with self._lock:
            self._settle()
            self.run_timers()
            self._last_code: str | None = None
            response = self._handle(request)
            self._received.append(
                KucoinReceived(request.method, request.raw_target, response.status, self._last_code)
            )
            return response

    def _envelope(self, status: int, body: dict[str, Any], window: FixedWindow) -> SimResponse:
        self._last_code = body["code"]
        state = window.state()
        return json_response(
            status,
            body,
            {
                "gw-ratelimit-limit": str(state.limit),
                "gw-ratelimit-remaining": str(state.remaining),
                "gw-ratelimit-reset": str(state.reset_ms),
            },
        )

    def _handle(self, request: SimRequest) -> SimResponse:
        if len(request.body) > self.max_body_bytes:
            # Facts silent on a size limit and its answer: HTTP 413, parameter error.
            return self._envelope(
                413, {"code": "400100", "msg": "Request body too large"}, self._public
            )
        path = request.raw_path
        if path == "/api/v1/timestamp" and request.method == "GET":
            if not self._public.spend(TIMESTAMP_WEIGHT):
                return self._envelope(
                    429, {"code": "429000", "msg": "Too Many Requests"}, self._public
                )
            return self._envelope(
                200, {"code": SUCCESS, "data": self.server_time_ms()}, self._public
            )
        route = self._route(request)
        if route is None:
            # Facts silent: KuCoin's gateway answers unknown URLs with 404 / code 404000.
            return self._envelope(404, {"code": "404000", "msg": "Url Not Found"}, self._public)
        operation, weight, params = route
        account = self._accounts.get(header_text(request.headers.get("kc-api-key", "")) or "")
        window = account.spot if account is not None else self._public
        try:
            account = self._authenticate(request)
            if not account.spot.spend(weight):
                raise _Reject(429, "429000", "Too Many Requests")
            data = self._operate(
                operation,
                account,
                params,
                dict(parse_qsl(request.raw_query, keep_blank_values=True)),
                request.body,
            )
        except _Reject as reject:
            return self._envelope(reject.status, {"code": reject.code, "msg": reject.msg}, window)
        return self._envelope(200, {"code": SUCCESS, "data": data}, window)

    @staticmethod
    def _route(request: SimRequest) -> tuple[str, int, list[str]] | None:
        for method, pattern, operation, weight in _MORE_ROUTES:
            match = pattern.match(request.raw_path)
            if match and request.method == method:
                return operation, weight, [unquote(p) for p in match.groups()]
        routes = {"DELETE": _ROUTES, "GET": _GET_ROUTES}.get(request.method, ())
        for pattern, operation, weight in routes:
            match = pattern.match(request.raw_path)
            if match:
                return operation, weight, [unquote(p) for p in match.groups()]
        return None

    def _authenticate(self, request: SimRequest) -> _Account:
        headers = request.headers

        def auth_error(code: str) -> _Reject:
            # The facts: "401 for auth"; every 4000xx auth code gets it (KuCoin does not list
            # per code; 400001 is treated as auth as it is about the KC-API headers).
            return _Reject(401, code, _AUTH_MESSAGES[code])

        if any(not headers.get(name) for name in _REQUIRED_HEADERS):
            raise auth_error("400001")
        account = self._accounts.get(header_text(headers["kc-api-key"]) or "")
        if account is None:
            raise auth_error("400003")
        if headers["kc-api-key-version"] not in KEY_VERSIONS:
            raise auth_error("400009")
        if account.keys.key_version == "2" and self.reject_v2_keys:
            raise auth_error("400008")
        expected = _sign(account.keys.api_secret, account.keys.api_passphrase.encode())
        if not hmac.compare_digest(header_bytes(headers["kc-api-passphrase"]), expected.encode()):
            raise auth_error("400004")
        timestamp = headers["kc-api-timestamp"]
        when = header_int(timestamp)
        if when is None or abs(when - self.server_time_ms()) > 5000:
            raise auth_error("400002")
        prehash = (
            timestamp.encode() + request.method.upper().encode() + _signed_target(request)
        ) + request.body
        signature = _sign(account.keys.api_secret, prehash)
        if not hmac.compare_digest(header_bytes(headers["kc-api-sign"]), signature.encode()):
            raise auth_error("400005")
        media_type = headers.get("content-type", "").partition(";")[0].strip().lower()
        if media_type not in ("", "application/json"):
            # Facts silent on the HTTP status of 415000; 415 is what the code spells.
            raise _Reject(415, "415000", "Content-Type must be application/json")
        return account

    # -- the order book ----------------------------------------------------------------------

    def _business(self, code: str, msg: str) -> _Reject:
        return _Reject(self.business_error_status, code, msg)

    def _symbol(self, query: dict[str, str], *, listing: bool = False) -> str:
        symbol = query.get("symbol")
        if not symbol:
            raise self._business("400100", "Parameter [symbol] is required")
        if not _SYMBOL.match(symbol):
            raise self._business("400100", "Parameter [symbol] is invalid")
        if symbol in self._suspended and not listing:
            raise self._business("200002", self._suspended[symbol])
        return symbol

    def _open_order(self, order_id: str | None, account: _Account, symbol: str) -> _Order:
        order = self._orders.get(order_id or "")
        if (
            order is None
            or order.api_key != account.keys.api_key
            or order.symbol != symbol
            or order.state not in OPEN_STATES
        ):
            raise self._business("400100", NOT_CANCELLABLE)
        return order

    def _operate(
        self,
        operation: str,
        account: _Account,
        params: list[str],
        query: dict[str, str],
        body: bytes = b"",
    ) -> Any:
        if operation in _kucoin_sync.OPERATIONS:
            return self.sync_cancels.operate(self, operation, account, params, query)
        if operation in _kucoin_dcp.OPERATIONS:
            return self.dcp.operate(operation, account, body)
        if operation == "cancel_all":
            return self._cancel_all(account)
        if operation == "active_symbols":
            mine = self._open_orders(account, {o.symbol for o in self._orders.values()})
            return {"symbols": sorted({o.symbol for o in mine})}
        if operation == "active_orders":
            listed = self._open_orders(account, [self._symbol(query, listing=True)])
            return [_listed(o) for o in sorted(listed, key=lambda o: -o.created_ms)]
        symbol = self._symbol(query)
        if operation == "by_symbol":
            for order in self._open_orders(account, [symbol]):
                self._accept_cancel(order)
            return "success"
        if operation == "by_order_id":
            self._accept_cancel(self._open_order(params[0], account, symbol))
            return {"orderId": params[0]}
        if operation == "by_client_oid":
            key = (account.keys.api_key, params[0])
            self._accept_cancel(self._open_order(self._by_client_oid.get(key), account, symbol))
            return {"clientOid": params[0]}
        text = query.get("cancelSize", "")
        if not _SIZE.match(text) or Decimal(text) <= 0:
            raise self._business("400100", "Parameter [cancelSize] is invalid")
        order = self._open_order(params[0], account, symbol)
        size = Decimal(text)
        if size > order.remaining:
            if self.partial_cancel_over_remaining == "reject":
                raise self._business("400100", "cancelSize exceeds the remaining size of the order")
            size, text = order.remaining, str(order.remaining)
        order.cancel(size)
        return {"orderId": params[0], "cancelSize": text}

    def _open_orders(self, account: _Account, symbols: Iterable[str]) -> list[_Order]:
        wanted = set(symbols)
        return [
            o
            for o in self._orders.values()
            if o.api_key == account.keys.api_key and o.symbol in wanted and o.state in OPEN_STATES
        ]

    def _cancel_all(self, account: _Account) -> dict[str, Any]:
        symbols = sorted(
            {
                o.symbol
                for o in self._orders.values()
                if o.api_key == account.keys.api_key and o.state in OPEN_STATES
            }
        )
        reasons = {**self._cancel_all_fails, **self._suspended}
        failed = [{"symbol": s, "error": reasons[s]} for s in symbols if s in reasons]
        succeeded = [s for s in symbols if s not in reasons]
        for order in self._open_orders(account, succeeded):
            self._accept_cancel(order)
        return {"succeedSymbols": succeeded, "failedSymbols": failed}

    def _accept_cancel(self, order: _Order) -> None:
        """Cancel all that remains of `order`, now or `cancel_delay_s` from now."""
        if self.cancel_delay_s <= 0:
            order.cancel()
        else:  # a cancel accepted again does not move the first one's landing
            self._cancel_due.setdefault(order.order_id, self._clock() + self.cancel_delay_s)

    def _settle(self) -> None:
        """Land the queued cancels that are due (an order filled meanwhile stays filled)."""
        if not self._cancel_due:
            return
        now = self._clock()
        for order_id, due in list(self._cancel_due.items()):
            if due <= now:
                del self._cancel_due[order_id]
                order = self._orders[order_id]
                if order.state in OPEN_STATES:
                    order.cancel()


def _listed(order: _Order) -> dict[str, Any]:
    """An open order as KuCoin's open-order listing (017) shows it."""
    remaining = str(order.remaining)
    return {
        "id": order.order_id,
        "clientOid": order.client_oid or "",
        "symbol": order.symbol,
        "opType": "DEAL",
        "type": "limit",
        "side": order.side,
        "price": str(order.price),
        "size": str(order.size),
        "funds": "0",
        "dealSize": str(order.filled_size),
        "dealFunds": "0",
        "fee": "0",
        "feeCurrency": order.symbol.partition("-")[2],
        "timeInForce": "GTC",
        "postOnly": False,
        "hidden": False,
        "iceberg": False,
        "visibleSize": "0",
        "cancelAfter": 0,
        "channel": "API",
        "cancelExist": False,
        "tradeType": "TRADE",
        "inOrderBook": True,
        "cancelledSize": str(order.canceled_size),
        "cancelledFunds": "0",
        "remainSize": remaining,
        "remainFunds": "0",
        "active": True,
        "createdAt": order.created_ms,
        "lastUpdatedAt": order.created_ms,
        "tax": "0",
    }
