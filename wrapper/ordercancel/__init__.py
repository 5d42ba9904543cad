"""ordercancel: cancel orders on KuCoin Spot and Kuest, fast and without surprises.

from ordercancel import KucoinSpotCancelOrder
with KucoinSpotCancelOrder() as kc:          # keys from KUCOIN_API_KEY / _SECRET / _PASSPHRASE
    kc.cancel_order_by_order_id("671124f9365ccb00073debd4", "BTC-USDT")
"""

from typing import TYPE_CHECKING

from ._bulk import OrderOutcome
from ._lazy import lazy_names
from ._limiter import RateLimiter
from ._retry import RetryPolicy
from .errors import (
    APIConnectionError,
    APIError,
    APITimeoutError,
    AuthenticationError,
    BeatAbandoned,
    ClientClosedError,
    ConfigurationError,
    InvalidRequest,
    KucoinAPIError,
    KucoinAuthenticationError,
    KucoinCancelAllIncomplete,
    KucoinOrderNotCancellable,
    KucoinOrderStillOpen,
    KucoinRateLimited,
    KucoinServerError,
    KucoinUnexpectedResponse,
    KuestAPIError,
    KuestAuthenticationError,
    KuestCancelIncomplete,
    KuestInvalidHeartbeatId,
    KuestOrderNotCancellable,
    KuestOrderNotFound,
    KuestPermissionDenied,
    KuestRateLimited,
    KuestServerError,
    KuestUnexpectedResponse,
    OrderCancelError,
    OrderGoneAfterRetry,
    OrderNotCancellable,
    OrderNotFound,
    PermissionDenied,
    RateLimited,
    RateLimitInfo,
    RateLimitWaitTooLong,
    ServerError,
    UnexpectedResponse,
    WrongEventLoopError,
)
from .kucoin._client import AsyncKucoinSpotCancelOrder, KucoinSpotCancelOrder, spot_rate_limiter
from .kucoin._keys import KucoinKeys
from .kucoin._results import (
    CancelAllResult,
    ClientOrderCancelAccepted,
    DisconnectProtectionArmed,
    DisconnectProtectionSetting,
    FailedSymbol,
    KucoinOpenOrder,
    OrderCancelAccepted,
    PartialCancelAccepted,
    SymbolCancelAccepted,
    SyncCancelResult,
)

if TYPE_CHECKING:
    from ._flatten import FlattenReport, LeftOrder, aflatten, flatten
    from ._keepers import (
        AsyncDisconnectProtectionGuard,
        AsyncHeartbeatKeeper,
        DisconnectProtectionGuard,
        HeartbeatKeeper,
    )
    from .kuest._client import AsyncKuestCancelOrder, KuestCancelOrder
    from .kuest._keys import KuestKeys
    from .kuest._results import KuestCancelReport, KuestOpenOrder, KuestOrderCanceled

# Imported on first use, not with `ordercancel`: what a program's first cancel does not need.
# A KuCoin program never loads Kuest's client, `_flatten` brings asyncio, and the keepers are
# built by their clients' methods.
_LAZY = {
    "AsyncDisconnectProtectionGuard": "._keepers",
    "AsyncHeartbeatKeeper": "._keepers",
    "AsyncKuestCancelOrder": ".kuest._client",
    "DisconnectProtectionGuard": "._keepers",
    "FlattenReport": "._flatten",
    "HeartbeatKeeper": "._keepers",
    "KuestCancelOrder": ".kuest._client",
    "KuestCancelReport": ".kuest._results",
    "KuestKeys": ".kuest._keys",
    "KuestOpenOrder": ".kuest._results",
    "KuestOrderCanceled": ".kuest._results",
    "LeftOrder": "._flatten",
    "aflatten": "._flatten",
    "flatten": "._flatten",
}


__getattr__ = lazy_names(__name__, _LAZY, globals())


__all__ = [
    "APIConnectionError",
    "APIError",
    "APITimeoutError",
    "AsyncDisconnectProtectionGuard",
    "AsyncHeartbeatKeeper",
    "AsyncKucoinSpotCancelOrder",
    "AsyncKuestCancelOrder",
    "AuthenticationError",
    "BeatAbandoned",
    "CancelAllResult",
    "ClientClosedError",
    "ClientOrderCancelAccepted",
    "ConfigurationError",
    "DisconnectProtectionArmed",
    "DisconnectProtectionGuard",
    "DisconnectProtectionSetting",
    "FailedSymbol",
    "FlattenReport",
    "HeartbeatKeeper",
    "InvalidRequest",
    "KucoinAPIError",
    "KucoinAuthenticationError",
    "KucoinCancelAllIncomplete",
    "KucoinKeys",
    "KucoinOpenOrder",
    "KucoinOrderNotCancellable",
    "KucoinOrderStillOpen",
    "KucoinRateLimited",
    "KucoinServerError",
    "KucoinSpotCancelOrder",
    "KucoinUnexpectedResponse",
    "KuestAPIError",
    "KuestAuthenticationError",
    "KuestCancelIncomplete",
    "KuestCancelOrder",
    "KuestCancelReport",
    "KuestInvalidHeartbeatId",
    "KuestKeys",
    "KuestOpenOrder",
    "KuestOrderCanceled",
    "KuestOrderNotCancellable",
    "KuestOrderNotFound",
    "KuestPermissionDenied",
    "KuestRateLimited",
    "KuestServerError",
    "KuestUnexpectedResponse",
    "LeftOrder",
    "OrderCancelAccepted",
    "OrderCancelError",
    "OrderGoneAfterRetry",
    "OrderNotCancellable",
    "OrderNotFound",
    "OrderOutcome",
    "PartialCancelAccepted",
    "PermissionDenied",
    "RateLimitInfo",
    "RateLimitWaitTooLong",
    "RateLimited",
    "RateLimiter",
    "RetryPolicy",
    "ServerError",
    "SymbolCancelAccepted",
    "SyncCancelResult",
    "UnexpectedResponse",
    "WrongEventLoopError",
    "aflatten",
    "flatten",
    "spot_rate_limiter",
]
