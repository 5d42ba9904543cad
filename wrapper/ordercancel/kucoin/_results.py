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
