"""KuCoin's sync cancels in the simulator: the cancel, then the order's final state.

`DELETE /api/v1/hf/orders/sync/{orderId}` and `.../sync/client-order/{clientOid}` (weight 1,
`symbol` required) cancel like the plain cancels, then answer `{orderId | clientOid,
originSize, dealSize, remainSize, canceledSize, status}` (the facts; sizes as decimal text).
`status` is "done" once the order is closed; `SyncCancels.leave_open` makes KuCoin answer
"open" for an order whose cancel does not finish (the order stays live).
"""

from __future__ import annotations

import re
import threading
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._kucoin import KucoinExchange, _Account, _Order

ROUTES: tuple[tuple[str, re.Pattern[str], str, int], ...] = (
    ("DELETE", re.compile(r"^/api/v1/hf/orders/sync/client-order/([^/]+)$"), "sync_by_oid", 1),
    ("DELETE", re.compile(r"^/api/v1/hf/orders/sync/([^/]+)$"), "sync_by_order_id", 1),
)
OPERATIONS = frozenset(operation for _, _, operation, _ in ROUTES)


class SyncCancels:
    """How the simulated KuCoin answers sync cancels (`exchange.sync_cancels`)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._left_open: set[str] = set()

    def leave_open(self, order_id: str) -> None:
        """The next sync cancel of `order_id` does not finish: "open", and the order stays live."""
        with self._lock:
            self._left_open.add(order_id)

    def operate(
        self, venue: KucoinExchange, operation: str, account: _Account, params: list[str],
        query: dict[str, str],
    ) -> dict[str, Any]:  # fmt: skip
        """Cancel the order the request names and answer its state (under the venue's lock)."""
        symbol = venue._symbol(query)
        if operation == "sync_by_order_id":
            echo = {"orderId": params[0]}
            order = venue._open_order(params[0], account, symbol)
        else:
            echo = {"clientOid": params[0]}
            order_id = venue._by_client_oid.get((account.keys.api_key, params[0]))
            order = venue._open_order(order_id, account, symbol)
        with self._lock:
            stays_open = order.order_id in self._left_open
            self._left_open.discard(order.order_id)
        if not stays_open:
            order.cancel()
        return {**echo, **_sizes(order), "status": "open" if stays_open else "done"}


def _sizes(order: _Order) -> dict[str, str]:
    return {
        "originSize": format(order.size, "f"),
        "dealSize": format(order.filled_size, "f"),
        "remainSize": format(order.remaining, "f"),
        "canceledSize": format(order.canceled_size, "f"),
    }
