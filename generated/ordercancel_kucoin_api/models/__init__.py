"""Contains all the data models used in inputs/outputs"""

from .cancel_all_orders_by_symbol_envelope import CancelAllOrdersBySymbolEnvelope
from .cancel_all_orders_data import CancelAllOrdersData
from .cancel_all_orders_envelope import CancelAllOrdersEnvelope
from .cancel_order_by_client_oid_data import CancelOrderByClientOidData
from .cancel_order_by_client_oid_envelope import CancelOrderByClientOidEnvelope
from .cancel_order_by_client_oid_sync_data import CancelOrderByClientOidSyncData
from .cancel_order_by_client_oid_sync_data_status import (
    CancelOrderByClientOidSyncDataStatus,
)
from .cancel_order_by_client_oid_sync_envelope import CancelOrderByClientOidSyncEnvelope
from .cancel_order_by_order_id_data import CancelOrderByOrderIdData
from .cancel_order_by_order_id_envelope import CancelOrderByOrderIdEnvelope
from .cancel_order_by_order_id_sync_data import CancelOrderByOrderIdSyncData
from .cancel_order_by_order_id_sync_data_status import (
    CancelOrderByOrderIdSyncDataStatus,
)
from .cancel_order_by_order_id_sync_envelope import CancelOrderByOrderIdSyncEnvelope
from .cancel_partial_order_data import CancelPartialOrderData
from .cancel_partial_order_envelope import CancelPartialOrderEnvelope
from .disconnect_protection_setting import DisconnectProtectionSetting
from .disconnect_protection_times import DisconnectProtectionTimes
from .failed_symbol import FailedSymbol
from .get_disconnect_protection_envelope import GetDisconnectProtectionEnvelope
from .kucoin_open_order import KucoinOpenOrder
from .kucoin_open_order_side import KucoinOpenOrderSide
from .kucoin_open_order_stp import KucoinOpenOrderStp
from .kucoin_open_order_time_in_force import KucoinOpenOrderTimeInForce
from .kucoin_open_order_type import KucoinOpenOrderType
from .open_orders_envelope import OpenOrdersEnvelope
from .server_timestamp_envelope import ServerTimestampEnvelope
from .set_disconnect_protection_envelope import SetDisconnectProtectionEnvelope
from .set_disconnect_protection_request import SetDisconnectProtectionRequest
from .symbols_with_open_order_data import SymbolsWithOpenOrderData
from .symbols_with_open_order_envelope import SymbolsWithOpenOrderEnvelope

__all__ = (
    "CancelAllOrdersBySymbolEnvelope",
    "CancelAllOrdersData",
    "CancelAllOrdersEnvelope",
    "CancelOrderByClientOidData",
    "CancelOrderByClientOidEnvelope",
    "CancelOrderByClientOidSyncData",
    "CancelOrderByClientOidSyncDataStatus",
    "CancelOrderByClientOidSyncEnvelope",
    "CancelOrderByOrderIdData",
    "CancelOrderByOrderIdEnvelope",
    "CancelOrderByOrderIdSyncData",
    "CancelOrderByOrderIdSyncDataStatus",
    "CancelOrderByOrderIdSyncEnvelope",
    "CancelPartialOrderData",
    "CancelPartialOrderEnvelope",
    "DisconnectProtectionSetting",
    "DisconnectProtectionTimes",
    "FailedSymbol",
    "GetDisconnectProtectionEnvelope",
    "KucoinOpenOrder",
    "KucoinOpenOrderSide",
    "KucoinOpenOrderStp",
    "KucoinOpenOrderTimeInForce",
    "KucoinOpenOrderType",
    "OpenOrdersEnvelope",
    "ServerTimestampEnvelope",
    "SetDisconnectProtectionEnvelope",
    "SetDisconnectProtectionRequest",
    "SymbolsWithOpenOrderData",
    "SymbolsWithOpenOrderEnvelope",
)
