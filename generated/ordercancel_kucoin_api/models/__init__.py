"""Contains all the data models used in inputs/outputs"""

from .cancel_all_orders_by_symbol_envelope import CancelAllOrdersBySymbolEnvelope
from .cancel_all_orders_data import CancelAllOrdersData
from .cancel_all_orders_envelope import CancelAllOrdersEnvelope
from .cancel_order_by_client_oid_data import CancelOrderByClientOidData
from .cancel_order_by_client_oid_envelope import CancelOrderByClientOidEnvelope
from .cancel_order_by_order_id_data import CancelOrderByOrderIdData
from .cancel_order_by_order_id_envelope import CancelOrderByOrderIdEnvelope
from .cancel_partial_order_data import CancelPartialOrderData
from .cancel_partial_order_envelope import CancelPartialOrderEnvelope
from .failed_symbol import FailedSymbol
from .kucoin_open_order import KucoinOpenOrder
from .kucoin_open_order_side import KucoinOpenOrderSide
from .kucoin_open_order_stp import KucoinOpenOrderStp
from .kucoin_open_order_time_in_force import KucoinOpenOrderTimeInForce
from .kucoin_open_order_type import KucoinOpenOrderType
from .open_orders_envelope import OpenOrdersEnvelope
from .server_timestamp_envelope import ServerTimestampEnvelope
from .symbols_with_open_order_data import SymbolsWithOpenOrderData
from .symbols_with_open_order_envelope import SymbolsWithOpenOrderEnvelope

__all__ = (
    "CancelAllOrdersBySymbolEnvelope",
    "CancelAllOrdersData",
    "CancelAllOrdersEnvelope",
    "CancelOrderByClientOidData",
    "CancelOrderByClientOidEnvelope",
    "CancelOrderByOrderIdData",
    "CancelOrderByOrderIdEnvelope",
    "CancelPartialOrderData",
    "CancelPartialOrderEnvelope",
    "FailedSymbol",
    "KucoinOpenOrder",
    "KucoinOpenOrderSide",
    "KucoinOpenOrderStp",
    "KucoinOpenOrderTimeInForce",
    "KucoinOpenOrderType",
    "OpenOrdersEnvelope",
    "ServerTimestampEnvelope",
    "SymbolsWithOpenOrderData",
    "SymbolsWithOpenOrderEnvelope",
)
