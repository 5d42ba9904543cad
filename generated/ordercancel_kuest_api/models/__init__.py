"""Contains all the data models used in inputs/outputs"""

from .cancel_market_orders_request import CancelMarketOrdersRequest
from .cancel_order_request import CancelOrderRequest
from .cancel_result import CancelResult
from .error import Error
from .heartbeat_request import HeartbeatRequest
from .heartbeat_response import HeartbeatResponse
from .invalid_heartbeat import InvalidHeartbeat
from .legacy_cancel_order_request import LegacyCancelOrderRequest
from .open_order import OpenOrder
from .open_order_order_type import OpenOrderOrderType
from .open_order_side import OpenOrderSide
from .open_orders_page import OpenOrdersPage
from .reason_by_id import ReasonById

__all__ = (
    "CancelMarketOrdersRequest",
    "CancelOrderRequest",
    "CancelResult",
    "Error",
    "HeartbeatRequest",
    "HeartbeatResponse",
    "InvalidHeartbeat",
    "LegacyCancelOrderRequest",
    "OpenOrder",
    "OpenOrderOrderType",
    "OpenOrderSide",
    "OpenOrdersPage",
    "ReasonById",
)
