"""A faithful in-memory Kuest CLOB for its four cancel endpoints (heartbeats: `_kuest_heartbeat`).

Everything it checks comes from the venue facts (shared/api/kuest.md); where they are silent the
choice is marked "facts silent". Any authentication failure is 401 {"error": "Unauthenticated"}.
Order of checks: body size (413), route (404 / 405), the L2 headers and signature (401), the rate
limit (429 with Retry-After), the body (400), then the order book (404, 403, 409 for a single
cancel). Every answer is {"error": ...} with the venue's status, whatever the header values or
body: a client's mistake never gets a 500.

The market cancel reads the token filter as `assetId` (Kuest's spec and web app) and as
`asset_id` (Kuest's Python, TypeScript and Rust clients); "" and null mean absent (the Python
client sends "" for the filter it leaves unset, the Rust client null). `asset_id_fields` narrows
that to one spelling, or none, to test a client against a server that reads only one.

The default account's address is that of `TEST_PRIVATE_KEY`, a publicly known test key, so a
real client that derives its address from its private key works with the default keys.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import itertools
import json
import math
import secrets
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable
from decimal import Decimal, InvalidOperation
from typing import Any, Literal
from urllib.parse import parse_qsl

import attrs

from ..kuest._keys import KuestKeys
from ._base import SimulatedVenue
from ._kuest_heartbeat import Heartbeats
from ._ratelimit import FixedWindow, WindowState
from ._wire import (
    SimRequest,
    SimResponse,
    header_bytes,
    header_int,
    header_text,
    json_response,
)

KuestOrderState = Literal["live", "partially_filled", "matched", "canceled"]
SingleCancelShape = Literal["canceled", "success", "empty"]
OPEN_STATES: frozenset[str] = frozenset({"live", "partially_filled"})

NOT_FOUND = "Order not found"
NOT_CANCELLABLE = "Order is already filled or cancelled."
NOT_YOURS = "Order belongs to another user"  # facts: 403 "order belongs to another user"
MAX_IDS = 3000
DEFAULT_MARKET = "0x5f65177b394277fd294cd75650044e32ba009a95022d88a0c1d565897d72f8f1"
DEFAULT_ASSET = "71321045679252212594626385532706912750332728571942532289631379312455583992563"
_HEADERS = ("kuest_address", "kuest_api_key", "kuest_passphrase", "kuest_timestamp",
            "kuest_signature")  # fmt: skip
_ROUTES = frozenset({"/order", "/orders", "/cancel-all", "/cancel-market-orders"})
ASSET_ID_FIELDS = ("assetId", "asset_id")
TEST_PRIVATE_KEY = "0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80"
"""A TEST key, never for real funds: account #0 of the Hardhat/Anvil development mnemonic
("test test test test test test test test test test test junk", m/44'/60'/0'/0/0), published
in those tools' docs, so anyone can take anything sent to its address on a real chain."""
TEST_ADDRESS = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"
"""The address of `TEST_PRIVATE_KEY`: the default account's `KUEST_ADDRESS`."""
_LIST_ROUTE = "/data/orders"  # GET, listOpenOrders


@attrs.frozen
class KuestOrder:
    """A snapshot of one simulated Kuest order."""

    order_id: str
    market: str
    asset_id: str
    api_key: str
    size: Decimal
    filled_size: Decimal
    state: KuestOrderState


@attrs.frozen
class KuestReceived:
    """One request the venue answered: what came in and the status and error it got back."""

    method: str
    raw_target: str
    status: int
    error: str | None


@attrs.define
class _Order:
    order_id: str
    market: str
    asset_id: str
    api_key: str
    size: Decimal
    filled_size: Decimal
    state: KuestOrderState

    def snapshot(self) -> KuestOrder:
        return KuestOrder(
            self.order_id,
            self.market,
            self.asset_id,
            self.api_key,
            self.size,
            self.filled_size,
            self.state,
        )


@attrs.define
class _Account:
    keys: KuestKeys
    hmac_key: bytes
    window: FixedWindow


class _Reject(Exception):  # control flow inside the model; never escapes it
    def __init__(self, status: int, error: str, headers: dict[str, str] | None = None) -> None:
        super().__init__(error)
        self.status, self.error, self.headers = status, error, headers or {}


def _hmac_key(secret: str) -> bytes:
    """The venue's reading of a secret: base64 in either alphabet, padding optional."""
    text = secret.strip().replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        raise ValueError("api_secret must be base64") from None


def _decimal(text: str, what: str) -> Decimal:
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError(f"{what} must be a decimal, got {text!r}") from None
    if not value.is_finite() or value < 0:
        raise ValueError(f"{what} must be a finite non-negative decimal, got {text!r}")
    return value


class KuestExchange(SimulatedVenue):
    """A simulated Kuest CLOB: accounts with L2 keys, an order book, a rate limit, faults.

    Args:
        rate_limit: Requests per window per account (the facts' stricter figure: 100 a minute).
            Each authenticated request counts once, whatever the number of ids it carries.
        rate_window_s: The window in seconds (60); it opens with the first request.
        clock: Unix time in seconds (float); `clock_skew_s` is added for the venue's time.
        single_cancel_shape: The success body of `DELETE /order`. "canceled" (default:
            `{"canceled": [id], "not_canceled": {}}`, the shape of Kuest's own clients and spec),
            "success" (`{"success": true}`, from the third-party source document) or "empty".
        max_clock_skew_s: Reject (401) a KUEST_TIMESTAMP further than this from the venue's
            clock. Facts silent on any window, so None (no check) is the default.
        asset_id_fields: The body fields `DELETE /cancel-market-orders` reads as the token
            filter: both spellings in evidence (default), one of them, or none (then a body
            with no market is refused: Kuest's spec requires a filter).
        open_orders_page_size: How many orders one page of `GET /data/orders` holds (100, the
            published example's `limit`). The cursor is the base64 offset ("MA==" is 0); the
            last page's `next_cursor` is "".

    The default account (`keys`) has the address `TEST_ADDRESS` of `TEST_PRIVATE_KEY`.

    Thread-safe: the served form answers in a background thread while a test inspects state.
    """

    TEST_PRIVATE_KEY = TEST_PRIVATE_KEY
    """The default account's private key: a publicly known TEST key, never for real funds (see
    the module constant). Give it to a real client that signs with a key."""
    TEST_ADDRESS = TEST_ADDRESS
    """The address of `TEST_PRIVATE_KEY`, the default account's `KUEST_ADDRESS`."""

    def __init__(
        self,
        *,
        rate_limit: int = 100,
        rate_window_s: float = 60.0,
        clock: Callable[[], float] = time.time,
        single_cancel_shape: SingleCancelShape = "canceled",
        max_clock_skew_s: float | None = None,
        asset_id_fields: tuple[str, ...] = ASSET_ID_FIELDS,
        open_orders_page_size: int = 100,
    ) -> None:
        super().__init__(clock=clock, placeholder_url="http://kuest.invalid")
        self.asset_id_fields = asset_id_fields
        self.single_cancel_shape: SingleCancelShape = single_cancel_shape
        self.max_clock_skew_s = max_clock_skew_s
        if open_orders_page_size < 1:
            raise ValueError("open_orders_page_size must be at least 1")
        self.open_orders_page_size = open_orders_page_size
        self._rate_limit = rate_limit
        self._rate_window_s = rate_window_s
        self._lock = threading.RLock()
        self._accounts: dict[str, _Account] = {}
        self._orders: dict[str, _Order] = {}
        self._ids = itertools.count(1)
        self._received: deque[KuestReceived] = deque(maxlen=100_000)
        self.keys = self.add_account(address=TEST_ADDRESS)
        """The keys of the default account, accepted by this venue; its address is that of
        `TEST_PRIVATE_KEY`."""
        self.heartbeats = Heartbeats(self)
        """The accounts' heartbeat sessions (`path`, `window_s`, `session`, `stopped`)."""

    def run_timers(self) -> None:
        """Cancel the open orders of the accounts whose heartbeats stopped."""
        with self._lock:
            self.heartbeats.fire_due()

    # -- set-up and inspection -------------------------------------------------------------

    def add_account(
        self,
        *,
        address: str | None = None,
        api_key: str | None = None,
        api_secret: str | None = None,
        api_passphrase: str | None = None,
    ) -> KuestKeys:
        """Create an account and return its keys (random values for those not given).

        A real client that derives `KUEST_ADDRESS` from its own private key needs that address
        here: `add_account(address=Account.from_key(key).address)` (eth-account), then its
        api key, secret and passphrase from the returned keys.

        Raises:
            ValueError: the api key exists already or the secret is not base64.
        """
        keys = KuestKeys(
            address=address or "0x" + secrets.token_hex(20),
            api_key=api_key or _uuid_like(),
            api_secret=api_secret or base64.urlsafe_b64encode(secrets.token_bytes(32)).decode(),
            api_passphrase=api_passphrase or secrets.token_hex(32),
        )
        window = FixedWindow(self._rate_limit, self._rate_window_s, self._clock)
        with self._lock:
            if keys.api_key in self._accounts:
                raise ValueError(f"api key {keys.api_key!r} exists already")
            self._accounts[keys.api_key] = _Account(keys, _hmac_key(keys.api_secret), window)
        return keys

    def _account_key(self, account: KuestKeys | str | None) -> str:
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
        market: str = DEFAULT_MARKET,
        asset_id: str = DEFAULT_ASSET,
        size: str | Decimal | int = "10",
        *,
        account: KuestKeys | str | None = None,
        filled: str | Decimal | int = "0",
        order_id: str | None = None,
    ) -> KuestOrder:
        """Place an order (state "matched" if `filled == size`) and return its snapshot.

        `order_id` defaults to a fresh "0x" + 64-hex id.

        Raises:
            ValueError: a bad size, or an order id already in use.
        """
        total = _decimal(str(size), "size")
        done = _decimal(str(filled), "filled")
        if total <= 0 or done > total:
            raise ValueError("size must be > 0 and filled <= size")
        state: KuestOrderState = (
            "matched" if done == total else "partially_filled" if done > 0 else "live"
        )
        with self._lock:
            owner = self._account_key(account)
            oid = order_id or f"0x{secrets.token_hex(24)}{next(self._ids):016x}"
            if oid in self._orders:
                raise ValueError(f"order id {oid!r} exists already")
            order = _Order(oid, market, asset_id, owner, total, done, state)
            self._orders[oid] = order
            return order.snapshot()

    def fill(self, order_id: str, size: str | Decimal | int | None = None) -> KuestOrder:
        """Fill `size` of an open order (default: all that remains); return its snapshot.

        Raises:
            KeyError: no such order.
            ValueError: the order is not open or `size` exceeds what remains.
        """
        with self._lock:
            order = self._orders[order_id]
            left = order.size - order.filled_size
            amount = left if size is None else _decimal(str(size), "size")
            if order.state not in OPEN_STATES or not 0 < amount <= left:
                raise ValueError("can fill only a positive size of an open order's remainder")
            order.filled_size += amount
            order.state = "matched" if order.filled_size == order.size else "partially_filled"
            return order.snapshot()

    def order(self, order_id: str) -> KuestOrder:
        """The snapshot of order `order_id`.

        Raises:
            KeyError: no such order.
        """
        with self._lock:
            self.run_timers()
            return self._orders[order_id].snapshot()

    def orders(
        self,
        *,
        market: str | None = None,
        asset_id: str | None = None,
        account: KuestKeys | str | None = None,
        state: KuestOrderState | None = None,
    ) -> list[KuestOrder]:
        """Snapshots of the orders matching every filter given, in placing order."""
        with self._lock:
            self.run_timers()
            owner = None if account is None else self._account_key(account)
            return [
                o.snapshot()
                for o in self._orders.values()
                if (market is None or o.market == market)
                and (asset_id is None or o.asset_id == asset_id)
                and (owner is None or o.api_key == owner)
                and (state is None or o.state == state)
            ]

    def rate_limit(self, account: KuestKeys | str | None = None) -> WindowState:
        """The rate-limit window of `account` (default: `self.keys`) as it stands now."""
        with self._lock:
            return self._accounts[self._account_key(account)].window.state()

    @property
    def received(self) -> list[KuestReceived]:
        """Every request answered so far (the most recent 100 000), oldest first."""
        with self._lock:
            return list(self._received)

    def server_error_body(self) -> bytes:
        """The body sent with an injected 5xx."""
        return b'{"error":"Internal server error"}'

    # -- answering ---------------------------------------------------------------------------

    def handle(self, request: SimRequest) -> SimResponse:
        """Answer `request` as Kuest would, changing the order book when it is accepted."""
        with self._lock:
            self.run_timers()
            try:
                status, payload = self._handle(request)
                headers: dict[str, str] = {}
            except _Reject as reject:
                status, payload, headers = reject.status, {"error": reject.error}, reject.headers
            if payload is None:
                response = SimResponse(status, headers, b"")
            else:
                response = json_response(status, payload, headers)
            error = payload.get("error") if isinstance(payload, dict) else None
            self._received.append(KuestReceived(request.method, request.raw_target, status, error))
            return response

    def _handle(self, request: SimRequest) -> tuple[int, Any]:
        if len(request.body) > self.max_body_bytes:
            raise _Reject(413, "Request body too large")  # facts silent on a limit
        path = request.raw_path
        if path == self.heartbeats.path:
            return self.heartbeats.handle(request)
        if path not in _ROUTES and path != _LIST_ROUTE:
            raise _Reject(404, "Not Found")  # facts silent on unknown paths
        if request.method != ("GET" if path == _LIST_ROUTE else "DELETE"):
            raise _Reject(405, "Method Not Allowed")  # facts silent
        account = self._authenticate(request)
        if not account.window.spend(1):
            retry = max(1, math.ceil(account.window.state().reset_ms / 1000))
            raise _Reject(429, "Too Many Requests", {"Retry-After": str(retry)})
        if path == _LIST_ROUTE:
            return 200, self._open_orders_page(account, request.raw_query)
        if path == "/cancel-all":
            return 200, self._cancel_many(self._open_of(account, lambda o: True))
        body = self._json(request.body)
        if path == "/order":
            return self._cancel_one(account, body)
        if path == "/orders":
            if not isinstance(body, list) or not all(isinstance(i, str) for i in body):
                raise _Reject(400, "Invalid order payload: expected an array of order ids")
            if len(body) > MAX_IDS:
                raise _Reject(400, f"Too many orders: at most {MAX_IDS} per request")
            return 200, self._cancel_ids(account, body)
        return 200, self._cancel_market(account, body)

    def _authenticate(self, request: SimRequest) -> _Account:
        headers = request.headers
        unauthenticated = _Reject(401, "Unauthenticated")
        if any(not headers.get(name) for name in _HEADERS):
            raise unauthenticated
        account = self._accounts.get(header_text(headers["kuest_api_key"]) or "")
        if (
            account is None
            or headers["kuest_address"].lower() != account.keys.address.lower()
            or not hmac.compare_digest(
                header_bytes(headers["kuest_passphrase"]), account.keys.api_passphrase.encode()
            )
        ):
            raise unauthenticated
        timestamp = headers["kuest_timestamp"]
        when = header_int(timestamp)
        if when is None or (
            self.max_clock_skew_s is not None
            and abs(when - self.server_time()) > self.max_clock_skew_s
        ):
            raise unauthenticated
        message = timestamp.encode() + request.method.encode() + request.raw_path.encode()
        digest = hmac.new(account.hmac_key, message + request.body, hashlib.sha256).digest()
        expected = base64.urlsafe_b64encode(digest)
        if not hmac.compare_digest(header_bytes(headers["kuest_signature"]), expected):
            raise unauthenticated
        return account

    @staticmethod
    def _json(body: bytes) -> Any:
        try:
            return json.loads(body)
        except (ValueError, RecursionError):
            raise _Reject(400, "Invalid request body: expected JSON") from None

    def _reason(self, account: _Account, order: _Order | None) -> str | None:
        if order is None:
            return NOT_FOUND
        if order.api_key != account.keys.api_key:
            return NOT_YOURS
        if order.state not in OPEN_STATES:
            return NOT_CANCELLABLE
        return None

    def _open_orders_page(self, account: _Account, raw_query: str) -> dict[str, Any]:
        offset = _page_offset(raw_query)
        live = self._open_of(account, lambda o: True)
        page = live[offset : offset + self.open_orders_page_size]
        end = offset + len(page)
        next_cursor = base64.b64encode(str(end).encode()).decode() if end < len(live) else ""
        return {
            "data": [_listed(o, account.keys.address) for o in page],
            "next_cursor": next_cursor,
            "limit": self.open_orders_page_size,
            "count": len(page),
        }

    def _cancel_one(self, account: _Account, body: Any) -> tuple[int, Any]:
        order_id = None
        if isinstance(body, dict):
            order_id = body.get("orderId", body.get("orderID"))
        if not isinstance(order_id, str):  # facts silent on a malformed body: 400
            raise _Reject(400, "Invalid order payload: orderId is required")
        order = self._orders.get(order_id)
        reason = self._reason(account, order)
        if reason is not None:
            raise _Reject({NOT_FOUND: 404, NOT_YOURS: 403}.get(reason, 409), reason)
        assert order is not None
        order.state = "canceled"
        if self.single_cancel_shape == "success":
            return 200, {"success": True}
        if self.single_cancel_shape == "empty":
            return 200, None
        return 200, {"canceled": [order_id], "not_canceled": {}}

    def _cancel_ids(self, account: _Account, ids: Iterable[str]) -> dict[str, Any]:
        canceled: list[str] = []
        not_canceled: dict[str, str] = {}
        for order_id in dict.fromkeys(ids):
            order = self._orders.get(order_id)
            reason = self._reason(account, order)
            if reason is None and order is not None:
                order.state = "canceled"
                canceled.append(order_id)
            elif reason is not None:
                not_canceled[order_id] = reason
        return {"canceled": canceled, "not_canceled": not_canceled}

    def _open_of(self, account: _Account, keep: Callable[[_Order], bool]) -> list[_Order]:
        return [
            o
            for o in self._orders.values()
            if o.api_key == account.keys.api_key and o.state in OPEN_STATES and keep(o)
        ]

    def _cancel_many(self, orders: list[_Order]) -> dict[str, Any]:
        for order in orders:
            order.state = "canceled"
        return {"canceled": [o.order_id for o in orders], "not_canceled": {}}

    def _cancel_market(self, account: _Account, body: Any) -> dict[str, Any]:
        if not isinstance(body, dict):
            raise _Reject(400, "Invalid request body: expected an object")
        market = _filter(body, ("market",))
        asset_id = _filter(body, self.asset_id_fields)
        if market is None and asset_id is None:
            raise _Reject(400, "market or assetId is required")
        return self._cancel_many(
            self._open_of(
                account,
                lambda o: (
                    (market is None or o.market == market)
                    and (asset_id is None or o.asset_id == asset_id)
                ),
            )
        )


def _filter(body: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    """The one value `fields` (spellings of one filter) give; "" and null mean absent.

    Raises:
        _Reject: a value that is not a string, or two spellings that disagree (facts silent:
            refused rather than guessed, so nothing is cancelled).
    """
    values = [body.get(name) for name in fields]
    given = {v for v in values if isinstance(v, str) and v}
    if any(v is not None and not isinstance(v, str) for v in values):
        raise _Reject(400, f"{' / '.join(fields)} must be a string")
    if len(given) > 1:
        raise _Reject(400, f"{' and '.join(fields)} differ")
    return given.pop() if given else None


def _page_offset(raw_query: str) -> int:
    """The offset a `next_cursor` names (base64 of its decimal text; none or "" is 0)."""
    cursor = dict(parse_qsl(raw_query, keep_blank_values=True)).get("next_cursor", "")
    if not cursor:
        return 0
    try:
        text = base64.b64decode(cursor, validate=True).decode("ascii")
    except (binascii.Error, ValueError):
        text = ""
    if not (text.isascii() and text.isdigit() and len(text) <= 18):  # facts silent: 400
        raise _Reject(400, "Invalid next_cursor")
    return int(text)


def _listed(order: _Order, address: str) -> dict[str, Any]:
    """An open order as `GET /data/orders` shows it (the published `Order` schema)."""
    return {
        "associateTrades": [],
        "id": order.order_id,
        "status": "live",
        "market": order.market,
        "originalSize": str(order.size),
        "outcome": "Yes",
        "makerAddress": address,
        "owner": order.api_key,
        "price": "0.5",
        "side": "BUY",
        "sizeMatched": str(order.filled_size),
        "assetId": order.asset_id,
        "expiration": "0",
        "order_type": "GTC",
        "createdAt": "2026-01-01T00:00:00Z",
    }


def _uuid_like() -> str:
    raw = secrets.token_hex(16)
    return f"{raw[:8]}-{raw[8:12]}-{raw[12:16]}-{raw[16:20]}-{raw[20:]}"
