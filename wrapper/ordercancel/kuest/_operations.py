"""Each Kuest call as an `Operation`: inputs checked, generated endpoint, answer parser."""

from __future__ import annotations

from functools import partial
from typing import Literal

from ordercancel_kuest_api.api.default import cancel_all_orders as api_cancel_all_orders
from ordercancel_kuest_api.api.default import (
    cancel_market_orders as api_cancel_market_orders,
)
from ordercancel_kuest_api.api.default import cancel_order as api_cancel_order
from ordercancel_kuest_api.api.default import cancel_orders as api_cancel_orders
from ordercancel_kuest_api.models import (
    CancelMarketOrdersRequest,
    CancelOrderRequest,
    LegacyCancelOrderRequest,
)

from .._http import Operation
from ._envelope import batch_outcomes, complete_report, order_canceled, outcomes_after_landed
from ._inputs import check_market_filter, check_order_id
from ._results import KuestCancelReport, KuestOrderCanceled, OrderOutcome

IdField = Literal["orderId", "orderID"]


def cancel_order(order_id: str, id_field: IdField) -> Operation[KuestOrderCanceled]:
    """DELETE /order with body {"orderId": id} (or {"orderID": id})."""
    order_id = check_order_id(order_id)
    body = (
        CancelOrderRequest(order_id=order_id)
        if id_field == "orderId"
        else LegacyCancelOrderRequest(order_id=order_id)
    )
    return Operation(
        sync=api_cancel_order.sync_detailed,
        asyncio=api_cancel_order.asyncio_detailed,
        kwargs={"body": body},
        parse=partial(order_canceled, order_id=order_id),
    )


def cancel_orders_batch(order_ids: list[str]) -> Operation[list[OrderOutcome]]:
    """DELETE /orders with a bare JSON array of (already checked) ids."""
    return Operation(
        sync=api_cancel_orders.sync_detailed,
        asyncio=api_cancel_orders.asyncio_detailed,
        kwargs={"body": order_ids},
        parse=partial(batch_outcomes, order_ids=order_ids),
        after_landed=outcomes_after_landed,
    )


def cancel_all() -> Operation[KuestCancelReport]:
    """DELETE /cancel-all."""
    return Operation(
        sync=api_cancel_all_orders.sync_detailed,
        asyncio=api_cancel_all_orders.asyncio_detailed,
        kwargs={},
        parse=complete_report,
    )


def cancel_market_orders(market: str | None, asset_id: str | None) -> Operation[KuestCancelReport]:
    """DELETE /cancel-market-orders with {"market"?, "assetId"?}."""
    body = CancelMarketOrdersRequest.from_dict(check_market_filter(market, asset_id))
    return Operation(
        sync=api_cancel_market_orders.sync_detailed,
        asyncio=api_cancel_market_orders.asyncio_detailed,
        kwargs={"body": body},
        parse=complete_report,
    )
