"""ordercancel: cancel orders on KuCoin Spot and Kuest, fast and without surprises.

    from ordercancel import KucoinSpotCancelOrder
    with KucoinSpotCancelOrder() as kc:          # keys from KUCOIN_API_KEY / _SECRET / _PASSPHRASE
        kc.cancel_order_by_order_id("671124f9365ccb00073debd4", "BTC-USDT")
"""

from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    ConfigurationError,
    InvalidRequest,
    OrderCancelError,
    OrderNotCancellable,
    OrderNotFound,
    PermissionDenied,
    RateLimited,
    RateLimitInfo,
    ServerError,
    UnexpectedResponse,
)
from .kucoin._client import AsyncKucoinSpotCancelOrder, KucoinSpotCancelOrder
from .kucoin._envelope import (
    KucoinAPIError,
    KucoinAuthenticationError,
    KucoinCancelAllIncomplete,
    KucoinOrderNotCancellable,
    KucoinRateLimited,
    KucoinServerError,
    KucoinUnexpectedResponse,
)
from .kucoin._keys import KucoinKeys
from .kucoin._results import (
    CancelAllResult,
    ClientOrderCancelAccepted,
    FailedSymbol,
    OrderCancelAccepted,
    PartialCancelAccepted,
    SymbolCancelAccepted,
)

__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncKucoinSpotCancelOrder",
    "AuthenticationError",
    "CancelAllResult",
    "ClientOrderCancelAccepted",
    "ConfigurationError",
    "FailedSymbol",
    "InvalidRequest",
    "KucoinAPIError",
    "KucoinAuthenticationError",
    "KucoinCancelAllIncomplete",
    "KucoinKeys",
    "KucoinOrderNotCancellable",
    "KucoinRateLimited",
    "KucoinServerError",
    "KucoinSpotCancelOrder",
    "KucoinUnexpectedResponse",
    "OrderCancelAccepted",
    "OrderCancelError",
    "OrderNotCancellable",
    "OrderNotFound",
    "PartialCancelAccepted",
    "PermissionDenied",
    "RateLimitInfo",
    "RateLimited",
    "ServerError",
    "SymbolCancelAccepted",
    "UnexpectedResponse",
]
