"""Typed results of the KuCoin cancels, and the parsers that build them from `data`.

KuCoin's success means the cancel was *accepted*, not that the order is gone: the names say so.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any


class DataShapeError(ValueError):
    """`data` is not what the spec documents (turned into KucoinUnexpectedResponse)."""


@dataclass(frozen=True, slots=True)
class OrderCancelAccepted:
    """KuCoin accepted the cancel of the order `order_id`."""

    order_id: str


@dataclass(frozen=True, slots=True)
class ClientOrderCancelAccepted:
    """KuCoin accepted the cancel of the order tagged `client_oid`."""

    client_oid: str


@dataclass(frozen=True, slots=True)
class PartialCancelAccepted:
    """KuCoin reduced the order `order_id` by `cancel_size`."""

    order_id: str
    cancel_size: Decimal


@dataclass(frozen=True, slots=True)
class SymbolCancelAccepted:
    """KuCoin accepted the cancel of every open order of `symbol`."""

    symbol: str


@dataclass(frozen=True, slots=True)
class FailedSymbol:
    """A symbol whose orders cancel-all could not cancel, with KuCoin's reason."""

    symbol: str
    error: str


@dataclass(frozen=True, slots=True)
class CancelAllResult:
    """What cancel-all did per symbol.

    Only returned when every symbol succeeded (`failed_symbols` is then empty); otherwise it
    travels inside `KucoinCancelAllIncomplete.result`.
    """

    succeeded_symbols: tuple[str, ...]
    failed_symbols: tuple[FailedSymbol, ...] = ()

    @property
    def complete(self) -> bool:
        """True when no symbol failed."""
        return not self.failed_symbols


def _field(data: Any, name: str) -> str:
    if not isinstance(data, dict) or not isinstance(data.get(name), str):
        raise DataShapeError(f"data.{name} is missing or not a string")
    value: str = data[name]
    return value


def _echo(data: Any, name: str, expected: str) -> str:
    value = _field(data, name)
    if value != expected:
        raise DataShapeError(f"data.{name} is {value!r}, but {expected!r} was requested")
    return value


def _reason(failed: Any) -> str:
    reason = failed.get("error") if isinstance(failed, dict) else None
    return reason if isinstance(reason, str) else "(no reason given)"


def order_cancel_accepted(data: Any, order_id: str) -> OrderCancelAccepted:
    """Parse the data of cancel-by-orderId; the echoed id must be the requested one."""
    return OrderCancelAccepted(_echo(data, "orderId", order_id))


def client_order_cancel_accepted(data: Any, client_oid: str) -> ClientOrderCancelAccepted:
    """Parse the data of cancel-by-clientOid; the echoed id must be the requested one."""
    return ClientOrderCancelAccepted(_echo(data, "clientOid", client_oid))


def partial_cancel_accepted(data: Any, order_id: str) -> PartialCancelAccepted:
    """Parse the data of partial cancel; the echoed id must be the requested one."""
    echoed = _echo(data, "orderId", order_id)
    text = _field(data, "cancelSize")
    try:
        size = Decimal(text)
    except InvalidOperation as exc:
        raise DataShapeError(f"data.cancelSize is not a decimal: {text!r}") from exc
    if not size.is_finite() or size <= 0:
        raise DataShapeError(f"data.cancelSize is not a positive size: {text!r}")
    return PartialCancelAccepted(echoed, size)


def symbol_cancel_accepted(data: Any, symbol: str) -> SymbolCancelAccepted:
    """Parse the data of cancel-all-by-symbol: the bare string "success"."""
    if data != "success":
        raise DataShapeError(f'data is {data!r}, not "success"')
    return SymbolCancelAccepted(symbol)


def cancel_all_result(data: Any) -> CancelAllResult:
    """Parse the data of cancel-all."""
    if not isinstance(data, dict):
        raise DataShapeError("data is not an object")
    succeeded = data.get("succeedSymbols")
    failed = data.get("failedSymbols")
    if not isinstance(succeeded, list) or not all(isinstance(s, str) for s in succeeded):
        raise DataShapeError("data.succeedSymbols is not a list of strings")
    if not isinstance(failed, list):
        raise DataShapeError("data.failedSymbols is not a list")
    return CancelAllResult(
        tuple(succeeded),
        tuple(FailedSymbol(_field(f, "symbol"), _reason(f)) for f in failed),
    )


def server_time_ms(data: Any) -> int:
    """Parse the data of the server-time endpoint: an integer of milliseconds."""
    if isinstance(data, bool) or not isinstance(data, int):
        raise DataShapeError("data is not an integer")
    return data


@dataclass(frozen=True, slots=True)
class SyncCancelResult:
    """An order's state once KuCoin finished a sync cancel (sizes in base currency).

    Returned only when `status` is "done" (the order is closed). "open" (the order is still
    live) is raised as `KucoinOrderStillOpen`, which carries this state.

    Attributes:
        order_id: The order id; None only when the clientOid variant's answer did not name it.
        client_oid: Your client oid for the clientOid variant, else None.
        origin_size: The order's original size.
        deal_size: The size filled before the cancel finished.
        remain_size: The size still open.
        canceled_size: The size cancelled in all.
        status: "done" (closed) or "open" (still live).
        origin_funds: The order's original funds, when KuCoin sent them.
    """

    order_id: str | None
    client_oid: str | None
    origin_size: Decimal
    deal_size: Decimal
    remain_size: Decimal
    canceled_size: Decimal
    status: str
    origin_funds: Decimal | None = None

    def __str__(self) -> str:
        name = self.order_id if self.client_oid is None else f"client oid {self.client_oid!r}"
        return (
            f"order {name}: {self.status} (size {self.origin_size}, filled {self.deal_size}, "
            f"cancelled {self.canceled_size}, remaining {self.remain_size})"
        )


@dataclass(frozen=True, slots=True)
class DisconnectProtectionArmed:
    """KuCoin armed (or renewed) Disconnection Protection; times are KuCoin's, Unix seconds.

    Attributes:
        current_time: KuCoin's time when it took the setting.
        trigger_time: When KuCoin cancels the covered orders unless the setting is renewed.
    """

    current_time: int
    trigger_time: int

    def __str__(self) -> str:
        seconds = self.trigger_time - self.current_time
        return f"armed: KuCoin cancels at {self.trigger_time} (in {seconds} s) unless renewed"


@dataclass(frozen=True, slots=True)
class DisconnectProtectionSetting:
    """The Disconnection Protection KuCoin holds for the account.

    Attributes:
        timeout_s: Seconds from a set (or renewal) to the cancel.
        symbols: The symbols covered; empty means every symbol.
        current_time: KuCoin's time, Unix seconds (None when not sent).
        trigger_time: When KuCoin cancels unless renewed, Unix seconds (None when not sent).
    """

    timeout_s: int
    symbols: tuple[str, ...]
    current_time: int | None
    trigger_time: int | None

    def __str__(self) -> str:
        covered = ",".join(self.symbols) or "every symbol"
        return f"set: timeout {self.timeout_s} s on {covered}, fires at {self.trigger_time}"


_SYNC_STATUSES = frozenset({"open", "done"})


def _size(data: Any, name: str) -> Decimal:
    text = _field(data, name)
    try:
        size = Decimal(text)
    except InvalidOperation as exc:
        raise DataShapeError(f"data.{name} is not a decimal: {text!r}") from exc
    if not size.is_finite() or size < 0:
        raise DataShapeError(f"data.{name} is not a size: {text!r}")
    return size


def _sync_state(data: Any, order_id: str | None, client_oid: str | None) -> SyncCancelResult:
    status = _field(data, "status")
    if status not in _SYNC_STATUSES:
        raise DataShapeError(f'data.status is {status!r}, not "open" or "done"')
    return SyncCancelResult(
        order_id=order_id,
        client_oid=client_oid,
        origin_size=_size(data, "originSize"),
        deal_size=_size(data, "dealSize"),
        remain_size=_size(data, "remainSize"),
        canceled_size=_size(data, "canceledSize"),
        status=status,
        origin_funds=_size(data, "originFunds") if data.get("originFunds") else None,
    )


def sync_cancel_by_order_id(data: Any, order_id: str) -> SyncCancelResult:
    """Parse the data of sync cancel-by-orderId; the echoed id must be the requested one."""
    return _sync_state(data, _echo(data, "orderId", order_id), None)


def sync_cancel_by_client_oid(data: Any, client_oid: str) -> SyncCancelResult:
    """Parse the data of sync cancel-by-clientOid.

    KuCoin's pages disagree on the echoed id: an echoed clientOid must be the requested one;
    an answer naming only an orderId is accepted (and the id kept); naming neither is an error.
    """
    if not isinstance(data, dict):
        raise DataShapeError("data is not an object")
    if "clientOid" not in data and "orderId" not in data:
        raise DataShapeError("data names neither clientOid nor orderId")
    if "clientOid" in data:
        _echo(data, "clientOid", client_oid)
    order_id = _field(data, "orderId") if "orderId" in data else None
    return _sync_state(data, order_id, client_oid)


def _seconds(data: Any, name: str) -> int:
    value = data.get(name)
    if isinstance(value, bool) or not isinstance(value, int):
        raise DataShapeError(f"data.{name} is missing or not an integer")
    return value


def _optional_seconds(data: Any, name: str) -> int | None:
    return None if data.get(name) is None else _seconds(data, name)


def disconnect_protection_armed(data: Any, timeout_s: int) -> DisconnectProtectionArmed | None:
    """Parse the data of a Disconnection Protection set.

    Arming or renewing (`timeout_s` > 0) must come back with both times. Clearing (-1) may
    come back empty (KuCoin: empty data means "not set"): then None.
    """
    if timeout_s == -1 and data in (None, {}):
        return None
    if not isinstance(data, dict):
        raise DataShapeError("data is not an object")
    armed = DisconnectProtectionArmed(_seconds(data, "currentTime"), _seconds(data, "triggerTime"))
    return None if timeout_s == -1 else armed


def disconnect_protection_setting(data: Any) -> DisconnectProtectionSetting | None:
    """Parse the data of the Disconnection Protection query: None when nothing is set.

    KuCoin answers an empty data when nothing is set; a timeout of -1 also means "unset".
    """
    if data in (None, {}):
        return None
    if not isinstance(data, dict):
        raise DataShapeError("data is not an object")
    timeout = _seconds(data, "timeout")
    if timeout == -1:
        return None
    symbols = data.get("symbols")
    if symbols is not None and not isinstance(symbols, str):
        raise DataShapeError("data.symbols is not a string")
    return DisconnectProtectionSetting(
        timeout_s=timeout,
        symbols=tuple(s for s in (symbols or "").split(",") if s),
        current_time=_optional_seconds(data, "currentTime"),
        trigger_time=_optional_seconds(data, "triggerTime"),
    )


@dataclass(frozen=True, slots=True)
class KucoinOpenOrder:
    """An order KuCoin lists as open (active): not yet filled, not yet cancelled.

    Sizes and the price are KuCoin's decimal strings, as Decimals.
    """

    order_id: str
    symbol: str
    side: str
    price: Decimal
    size: Decimal
    client_oid: str | None = None


def _decimal_field(data: Any, name: str) -> Decimal:
    text = _field(data, name)
    try:
        value = Decimal(text)
    except InvalidOperation as exc:
        raise DataShapeError(f"data[].{name} is not a decimal: {text!r}") from exc
    if not value.is_finite():
        raise DataShapeError(f"data[].{name} is not a finite decimal: {text!r}")
    return value


def active_symbols(data: Any) -> tuple[str, ...]:
    """Parse the data of the symbols-with-open-orders listing: `{"symbols": [...]}`."""
    symbols = data.get("symbols") if isinstance(data, dict) else None
    if not isinstance(symbols, list) or not all(isinstance(s, str) for s in symbols):
        raise DataShapeError("data.symbols is missing or not a list of strings")
    return tuple(dict.fromkeys(symbols))


def open_orders(data: Any, symbol: str) -> tuple[KucoinOpenOrder, ...]:
    """Parse the data of the open-order listing of `symbol`: a list of orders of that symbol."""
    if not isinstance(data, list):
        raise DataShapeError("data is not a list of orders")
    orders = []
    for item in data:
        client_oid = item.get("clientOid") if isinstance(item, dict) else None
        if client_oid is not None and not isinstance(client_oid, str):
            raise DataShapeError("data[].clientOid is not a string")
        order = KucoinOpenOrder(
            order_id=_field(item, "id"),
            symbol=_echo(item, "symbol", symbol),
            side=_field(item, "side"),
            price=_decimal_field(item, "price"),
            size=_decimal_field(item, "size"),
            client_oid=client_oid or None,
        )
        orders.append(order)
    return tuple(orders)
