"""Each KuCoin call as an `Operation`: inputs checked, generated endpoint, answer parser.

Weights are the Spot pool's, as in the spec's `x-rate-limit-weight` (a contract test keeps the
two equal).

Both the sync and the async client send these; neither builds a request or parses an answer.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from decimal import Decimal
from functools import partial
from typing import TYPE_CHECKING, Any

from .._lazy import Endpoints
from .._types import Operation, RawResponse
from ..errors import InvalidRequest
from ._envelope import cancel_finished, complete_cancel_all, unwrap
from ._inputs import (
    DCP_CLEAR,
    check_cancel_size,
    check_client_oid,
    check_order_id,
    check_symbol,
    check_symbols,
    check_timeout_s,
)
from ._results import (
    CancelAllResult,
    ClientOrderCancelAccepted,
    DisconnectProtectionArmed,
    DisconnectProtectionSetting,
    KucoinOpenOrder,
    OrderCancelAccepted,
    PartialCancelAccepted,
    SymbolCancelAccepted,
    SyncCancelResult,
    active_symbols,
    cancel_all_result,
    client_order_cancel_accepted,
    disconnect_protection_armed,
    disconnect_protection_setting,
    open_orders,
    order_cancel_accepted,
    partial_cancel_accepted,
    server_time_ms,
    symbol_cancel_accepted,
    sync_cancel_by_client_oid,
    sync_cancel_by_order_id,
)

_generated = Endpoints(
    "ordercancel_kucoin_api.api.default",
    (
        "cancel_all_orders",
        "cancel_all_orders_by_symbol",
        "cancel_order_by_client_oid",
        "cancel_order_by_order_id",
        "cancel_partial_order",
        "get_server_timestamp",
        "cancel_order_by_order_id_sync",
        "cancel_order_by_client_oid_sync",
        "set_disconnect_protection",
        "get_disconnect_protection",
        "list_active_symbols",
        "list_open_orders",
    ),
)


def preload() -> None:
    """Import the generated endpoint modules now (done when a client is built)."""
    _generated.preload()


if TYPE_CHECKING:  # the same names, checked statically
    import ordercancel_kucoin_api.api.default.cancel_all_orders
    import ordercancel_kucoin_api.api.default.cancel_all_orders_by_symbol
    import ordercancel_kucoin_api.api.default.cancel_order_by_client_oid
    import ordercancel_kucoin_api.api.default.cancel_order_by_client_oid_sync
    import ordercancel_kucoin_api.api.default.cancel_order_by_order_id
    import ordercancel_kucoin_api.api.default.cancel_order_by_order_id_sync
    import ordercancel_kucoin_api.api.default.cancel_partial_order
    import ordercancel_kucoin_api.api.default.get_disconnect_protection
    import ordercancel_kucoin_api.api.default.get_server_timestamp
    import ordercancel_kucoin_api.api.default.list_active_symbols
    import ordercancel_kucoin_api.api.default.list_open_orders
    import ordercancel_kucoin_api.api.default.set_disconnect_protection  # noqa: F401
    from ordercancel_kucoin_api.api import default as api
else:
    api: Any = _generated


def cancel_order_by_order_id(order_id: str, symbol: str) -> Operation[OrderCancelAccepted]:
    """DELETE /api/v1/hf/orders/{orderId}?symbol=..."""
    order_id, symbol = check_order_id(order_id), check_symbol(symbol)
    return Operation(
        request=api.cancel_order_by_order_id.request_kwargs,
        kwargs={"order_id": order_id, "symbol": symbol},
        parse=partial(unwrap, parse_data=partial(order_cancel_accepted, order_id=order_id)),
        weight=1,
    )


def cancel_order_by_client_oid(
    client_oid: str, symbol: str
) -> Operation[ClientOrderCancelAccepted]:
    """DELETE /api/v1/hf/orders/client-order/{clientOid}?symbol=..."""
    client_oid, symbol = check_client_oid(client_oid), check_symbol(symbol)
    return Operation(
        request=api.cancel_order_by_client_oid.request_kwargs,
        kwargs={"client_oid": client_oid, "symbol": symbol},
        parse=partial(
            unwrap, parse_data=partial(client_order_cancel_accepted, client_oid=client_oid)
        ),
        weight=1,
    )


def cancel_partial_order(
    order_id: str, symbol: str, cancel_size: str | Decimal | int
) -> Operation[PartialCancelAccepted]:
    """DELETE /api/v1/hf/orders/cancel/{orderId}?symbol=...&cancelSize=..."""
    order_id, symbol = check_order_id(order_id), check_symbol(symbol)
    size = check_cancel_size(cancel_size)
    return Operation(
        request=api.cancel_partial_order.request_kwargs,
        kwargs={"order_id": order_id, "symbol": symbol, "cancel_size": size},
        parse=partial(unwrap, parse_data=partial(partial_cancel_accepted, order_id=order_id)),
        weight=2,
        idempotent=False,  # a second landing would cancel the size twice
    )


def cancel_all_orders_by_symbol(symbol: str) -> Operation[SymbolCancelAccepted]:
    """DELETE /api/v1/hf/orders?symbol=..."""
    symbol = check_symbol(symbol)
    return Operation(
        request=api.cancel_all_orders_by_symbol.request_kwargs,
        kwargs={"symbol": symbol},
        parse=partial(unwrap, parse_data=partial(symbol_cancel_accepted, symbol=symbol)),
        weight=2,
    )


def cancel_all_orders() -> Operation[CancelAllResult]:
    """DELETE /api/v1/hf/orders/cancelAll."""
    return Operation(
        request=api.cancel_all_orders.request_kwargs,
        kwargs={},
        parse=_parse_cancel_all,
        weight=30,
    )


def get_server_timestamp() -> Operation[int]:
    """GET /api/v1/timestamp (public)."""
    return Operation(
        request=api.get_server_timestamp.request_kwargs,
        kwargs={},
        parse=partial(unwrap, parse_data=server_time_ms),
        weight=0,  # the Public pool, not the Spot pool the limiter guards
    )


def _parse_cancel_all(raw: RawResponse) -> CancelAllResult:
    return complete_cancel_all(raw, unwrap(raw, cancel_all_result))


def cancel_order_by_order_id_sync(order_id: str, symbol: str) -> Operation[SyncCancelResult]:
    """DELETE /api/v1/hf/orders/sync/{orderId}?symbol=... (answers with the final state)."""
    order_id, symbol = check_order_id(order_id), check_symbol(symbol)
    return Operation(
        request=api.cancel_order_by_order_id_sync.request_kwargs,
        kwargs={"order_id": order_id, "symbol": symbol},
        parse=partial(
            _parse_sync_cancel, parse_data=partial(sync_cancel_by_order_id, order_id=order_id)
        ),
        weight=1,
    )


def cancel_order_by_client_oid_sync(client_oid: str, symbol: str) -> Operation[SyncCancelResult]:
    """DELETE /api/v1/hf/orders/sync/client-order/{clientOid}?symbol=... (the final state)."""
    client_oid, symbol = check_client_oid(client_oid), check_symbol(symbol)
    return Operation(
        request=api.cancel_order_by_client_oid_sync.request_kwargs,
        kwargs={"client_oid": client_oid, "symbol": symbol},
        parse=partial(
            _parse_sync_cancel, parse_data=partial(sync_cancel_by_client_oid, client_oid=client_oid)
        ),
        weight=1,
    )


def set_disconnect_protection(
    timeout_s: int, symbols: Iterable[str]
) -> Operation[DisconnectProtectionArmed | None]:
    """POST /api/v1/hf/orders/dead-cancel-all with {"timeout": s, "symbols": "A-B,C-D"}.

    `symbols` is always sent when arming (an empty string covers every symbol, and overwrites
    an earlier list); clearing (-1) sends the timeout alone.
    """
    from ordercancel_kucoin_api.models import SetDisconnectProtectionRequest

    timeout, wanted = check_timeout_s(timeout_s), check_symbols(symbols)
    if timeout == DCP_CLEAR:
        if wanted:
            raise InvalidRequest(
                "timeout_s -1 clears the protection for every symbol: give no symbols"
            )
        body = SetDisconnectProtectionRequest(timeout=timeout)
    else:
        body = SetDisconnectProtectionRequest(timeout=timeout, symbols=",".join(wanted))
    return Operation(
        request=api.set_disconnect_protection.request_kwargs,
        kwargs={"body": body},
        parse=partial(unwrap, parse_data=partial(disconnect_protection_armed, timeout_s=timeout)),
        weight=2,
    )


def list_active_symbols() -> Operation[tuple[str, ...]]:
    """GET /api/v1/hf/orders/active/symbols."""
    return Operation(
        request=api.list_active_symbols.request_kwargs,
        kwargs={},
        parse=partial(unwrap, parse_data=active_symbols),
        weight=2,
    )


def get_disconnect_protection() -> Operation[DisconnectProtectionSetting | None]:
    """GET /api/v1/hf/orders/dead-cancel-all/query."""
    return Operation(
        request=api.get_disconnect_protection.request_kwargs,
        kwargs={},
        parse=partial(unwrap, parse_data=disconnect_protection_setting),
        weight=2,
    )


def _parse_sync_cancel(
    raw: RawResponse, parse_data: Callable[[Any], SyncCancelResult]
) -> SyncCancelResult:
    return cancel_finished(raw, unwrap(raw, parse_data))


def list_open_orders(symbol: str) -> Operation[tuple[KucoinOpenOrder, ...]]:
    """GET /api/v1/hf/orders/active?symbol=..."""
    symbol = check_symbol(symbol)
    return Operation(
        request=api.list_open_orders.request_kwargs,
        kwargs={"symbol": symbol},
        parse=partial(unwrap, parse_data=partial(open_orders, symbol=symbol)),
        weight=2,
    )
