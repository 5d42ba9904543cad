"""Each Kuest call as an `Operation`: inputs checked, generated endpoint, answer parser."""

from __future__ import annotations

from functools import partial, wraps
from typing import TYPE_CHECKING, Any, Literal

from .._bulk import OrderOutcome
from .._lazy import Endpoints
from .._types import Operation
from ._envelope import (
    END_CURSORS,
    FIRST_CURSOR,
    batch_outcomes,
    complete_report,
    next_heartbeat_id,
    open_orders_page,
    order_canceled,
    outcomes_after_landed,
)
from ._inputs import check_heartbeat_id, check_market_filter, check_order_id
from ._results import (
    KuestCancelReport,
    KuestOpenOrder,
    KuestOrderCanceled,
    OpenOrdersPage,
)

_generated = Endpoints(
    "ordercancel_kuest_api.api.default",
    (
        "cancel_all_orders",
        "cancel_market_orders",
        "cancel_order",
        "cancel_orders",
        "post_heartbeat",
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
    import ordercancel_kuest_api.api.default.list_open_orders
    import ordercancel_kuest_api.api.default.post_heartbeat  # noqa: F401
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
        request=api.cancel_order.request_kwargs,
        kwargs={"body": body},
        parse=partial(order_canceled, order_id=order_id),
    )


def cancel_orders_batch(order_ids: list[str]) -> Operation[list[OrderOutcome]]:
    """DELETE /orders with a bare JSON array of (already checked) ids."""
    return Operation(
        request=api.cancel_orders.request_kwargs,
        kwargs={"body": order_ids},
        parse=partial(batch_outcomes, order_ids=order_ids),
        after_landed=outcomes_after_landed,
    )


def cancel_all() -> Operation[KuestCancelReport]:
    """DELETE /cancel-all."""
    return Operation(
        request=api.cancel_all_orders.request_kwargs,
        kwargs={},
        parse=complete_report,
    )


def cancel_market_orders(market: str | None, asset_id: str | None) -> Operation[KuestCancelReport]:
    """DELETE /cancel-market-orders with {"market"?, "assetId"?, "asset_id"?}.

    The token filter goes under both spellings in evidence with the same value: `assetId`
    (Kuest's spec and web app) and `asset_id` (Kuest's Python, TypeScript and Rust clients). A
    server that reads either one applies it, so a token cancel never widens to the whole market
    or account because the server ignored the spelling sent.
    """
    from ordercancel_kuest_api.models import CancelMarketOrdersRequest

    filters = check_market_filter(market, asset_id)
    if "assetId" in filters:
        filters["asset_id"] = filters["assetId"]
    body = CancelMarketOrdersRequest.from_dict(filters)
    return Operation(
        request=api.cancel_market_orders.request_kwargs,
        kwargs={"body": body},
        parse=complete_report,
    )


DEFAULT_HEARTBEAT_PATH = "/heartbeats"
"""The path of Kuest's published file (Kuest's own clients still post to /v1/heartbeats)."""


def post_heartbeat(heartbeat_id: str | None, path: str) -> Operation[str]:
    """POST `path` (default /heartbeats) with {"heartbeat_id": id or null}; the next id.

    The generated code builds the request (method, JSON body, headers); only its URL is
    replaced by `path` (already checked), since Kuest has moved this endpoint before.
    """
    from ordercancel_kuest_api.models import HeartbeatRequest

    body = HeartbeatRequest(heartbeat_id=check_heartbeat_id(heartbeat_id))
    generated = api.post_heartbeat

    @wraps(generated.request_kwargs)
    def request(*, body: HeartbeatRequest) -> dict[str, Any]:
        arguments: dict[str, Any] = generated.request_kwargs(body=body)
        arguments["url"] = path
        return arguments

    return Operation(
        request=request,
        kwargs={"body": body},
        parse=next_heartbeat_id,
        weight=0,  # sent without the limiter (see KuestCancelOrder.heartbeat)
    )


class OpenOrderPages:
    """Follows `next_cursor` through `GET /data/orders` until the end cursor ("" or "LTE=").

    Either twin loops `while not pages.done: pages.add(send(pages.operation()))`, then reads
    `pages.orders()`. An order listed on two pages (the list moved under the cursor) counts once.
    """

    def __init__(self) -> None:
        self._cursor = FIRST_CURSOR
        self._seen: set[str] = set()
        self._orders: dict[str, KuestOpenOrder] = {}

    @property
    def done(self) -> bool:
        """True once the page with an end cursor ("" or "LTE=") has been read."""
        return self._cursor in END_CURSORS

    def operation(self) -> Operation[OpenOrdersPage]:
        """GET /data/orders?next_cursor=... for the next page."""
        self._seen.add(self._cursor)
        return Operation(
            request=api.list_open_orders.request_kwargs,
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
