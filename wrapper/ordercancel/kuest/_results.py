"""Typed results of the Kuest cancels."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class KuestOrderCanceled:
    """Kuest cancelled the order `order_id` (or accepted its cancel without detail)."""

    order_id: str


@dataclass(frozen=True, slots=True)
class KuestCancelReport:
    """What a cancel-all or cancel-market call did.

    Both are empty when Kuest answered `{"success": true}` or an empty body (no detail).
    """

    canceled: tuple[str, ...] = ()
    not_canceled: Mapping[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class KuestOpenOrder:
    """An order Kuest lists as live for the account."""

    order_id: str
    market: str
    asset_id: str
    side: str
    status: str
    original_size: str
    size_matched: str


@dataclass(frozen=True, slots=True)
class OpenOrdersPage:
    """One page of `GET /data/orders`: its orders and the next page's cursor ("" at the end)."""

    orders: tuple[KuestOpenOrder, ...]
    next_cursor: str
