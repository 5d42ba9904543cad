"""Each Kuest call as an `Operation`: inputs checked, generated endpoint, answer parser."""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Literal

from .._http import Operation
from .._lazy import Endpoints
from ._envelope import (
    END_CURSOR,
    FIRST_CURSOR,
    batch_outcomes,
    complete_report,
    open_orders_page,
    order_canceled,
    outcomes_after_landed,
)
from ._inputs import check_market_filter, check_order_id
from ._results import (
    KuestCancelReport,
    KuestOpenOrder,
    KuestOrderCanceled,
    OpenOrdersPage,
    OrderOutcome,
)

_generated = Endpoints(
    "ordercancel_kuest_api.api.default",
    (
        "cancel_all_orders",
        "cancel_market_orders",
        "cancel_order",
        "cancel_orders",
        "list_open_orders",
    ),
)


def preload() -> None:
    """Import the generated endpoint modules now (done when a client is built)."""
    _generated.preload()


if TYPE_CHECKING:  # the same names, checked statically
    import ordercancel_kuest_api.api.default.cancel_all_orders
    import ordercancel_kuest_api.api.default.cancel_market_orders
    import ordercancel_kuest_api.api.default.cancel_order
    import ordercancel_kuest_api.api.default.cancel_orders
    import ordercancel_kuest_api.api.default.list_open_orders  # noqa: F401
    from ordercancel_kuest_api.api import default as api
else:
    api: Any = _generated

IdField = Literal["orderId", "orderID"]


def cancel_order(order_id: str, id_field: IdField) -> Operation[KuestOrderCanceled]:
    """DELETE /order with body {"orderId": id} (or {"orderID": id})."""
    from ordercancel_kuest_api.models import CancelOrderRequest, LegacyCancelOrderRequest

    order_id = check_order_id(order_id)
    body = (
        CancelOrderRequest(order_id=order_id)
        if id_field == "orderId"
        else LegacyCancelOrderRequest(order_id=order_id)
    )
    return Operation(
        sync=api.cancel_order.sync_detailed,
        asyncio=api.cancel_order.asyncio_detailed,
        kwargs={"body": body},
        parse=partial(order_canceled, order_id=order_id),
    )


def cancel_orders_batch(order_ids: list[str]) -> Operation[list[OrderOutcome]]:
    """DELETE /orders with a bare JSON array of (already checked) ids."""
    return Operation(
        sync=api.cancel_orders.sync_detailed,
        asyncio=api.cancel_orders.asyncio_detailed,
        kwargs={"body": order_ids},
        parse=partial(batch_outcomes, order_ids=order_ids),
        after_landed=outcomes_after_landed,
    )


def cancel_all() -> Operation[KuestCancelReport]:
    """DELETE /cancel-all."""
    return Operation(
        sync=api.cancel_all_orders.sync_detailed,
        asyncio=api.cancel_all_orders.asyncio_detailed,
        kwargs={},
        parse=complete_report,
    )


def cancel_market_orders(market: str | None, asset_id: str | None) -> Operation[KuestCancelReport]:
    """DELETE /cancel-market-orders with {"market"?, "assetId"?}."""
    from ordercancel_kuest_api.models import CancelMarketOrdersRequest

    body = CancelMarketOrdersRequest.from_dict(check_market_filter(market, asset_id))
    return Operation(
        sync=api.cancel_market_orders.sync_detailed,
        asyncio=api.cancel_market_orders.asyncio_detailed,
        kwargs={"body": body},
        parse=complete_report,
    )


class OpenOrderPages:
    """Follows `next_cursor` through `GET /data/orders` until the empty cursor.

    Either twin loops `while not pages.done: pages.add(send(pages.operation()))`, then reads
    `pages.orders()`. An order listed on two pages (the list moved under the cursor) counts once.
    """

    def __init__(self) -> None:
        self._cursor = FIRST_CURSOR
        self._seen: set[str] = set()
        self._orders: dict[str, KuestOpenOrder] = {}

    @property
    def done(self) -> bool:
        """True once the page with the empty cursor has been read."""
        return self._cursor == END_CURSOR

    def operation(self) -> Operation[OpenOrdersPage]:
        """GET /data/orders?next_cursor=... for the next page."""
        self._seen.add(self._cursor)
        return Operation(
            sync=api.list_open_orders.sync_detailed,
            asyncio=api.list_open_orders.asyncio_detailed,
            kwargs={"next_cursor": self._cursor},
            parse=partial(open_orders_page, seen_cursors=frozenset(self._seen)),
        )

    def add(self, page: OpenOrdersPage) -> None:
        """Take in the page just read."""
        for order in page.orders:
            self._orders.setdefault(order.order_id, order)
        self._cursor = page.next_cursor

    def orders(self) -> tuple[KuestOpenOrder, ...]:
        """Every order listed, in the order first listed."""
        return tuple(self._orders.values())
