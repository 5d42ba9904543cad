"""Input rules for the Kuest cancel endpoints, checked before anything is sent."""

from __future__ import annotations

import re

from .._bulk import distinct_ids
from ..errors import ConfigurationError, InvalidRequest

ORDER_ID_MAX = 128  # Kuest documents no length; its ids are 0x + 64 hex digits
FILTER_MAX = 256
MAX_BATCH = 3000  # documented for DELETE /orders


def _token(name: str, value: object, max_length: int) -> str:
    if not isinstance(value, str):
        raise InvalidRequest(f"{name} must be a str, got {type(value).__name__}")
    if not value:
        raise InvalidRequest(f"{name} must not be empty")
    if len(value) > max_length:
        raise InvalidRequest(f"{name} is longer than {max_length} characters")
    if not all("!" <= c <= "~" for c in value):
        raise InvalidRequest(f"{name} must be printable ASCII without spaces, got {value!r}")
    return value


def check_order_id(order_id: object) -> str:
    """An order id: 1-128 printable ASCII characters, no spaces."""
    return _token("order_id", order_id, ORDER_ID_MAX)


def check_order_ids(order_ids: object) -> list[str]:
    """A non-empty collection of order ids, each checked; duplicates removed, order kept.

    Raises:
        InvalidRequest: not a collection of ids (a bare str is refused), empty, or any id bad
            (all bad ids are named).
    """
    return distinct_ids(order_ids, check_order_id)


def check_market_filter(market: object, asset_id: object) -> dict[str, str]:
    """The body of cancel-market-orders: at least one of market and asset_id."""
    if market is None and asset_id is None:
        raise InvalidRequest("give market, asset_id, or both")
    body = {}
    if market is not None:
        body["market"] = _token("market", market, FILTER_MAX)
    if asset_id is not None:
        body["assetId"] = _token("asset_id", asset_id, FILTER_MAX)
    return body


HEARTBEAT_ID_MAX = 256  # Kuest documents no length; its ids are UUIDs
_PATH = re.compile(r"(/[A-Za-z0-9._~-]+)+")


def check_heartbeat_id(heartbeat_id: object) -> str | None:
    """A heartbeat id to send: None (to start), or 1-256 printable ASCII characters, no spaces."""
    if heartbeat_id is None:
        return None
    return _token("heartbeat_id", heartbeat_id, HEARTBEAT_ID_MAX)


def check_heartbeat_path(path: object) -> str:
    """The heartbeat path: absolute, plain segments (letters, digits, `-._~`), no dot segments.

    Raises:
        ConfigurationError: anything else (a query, a fragment, `..`, spaces, ...).
    """
    if not isinstance(path, str) or not _PATH.fullmatch(path):
        raise ConfigurationError(
            f"heartbeat_path must be a plain path such as /heartbeats, got {path!r}"
        )
    if any(segment in (".", "..") for segment in path.split("/")):
        raise ConfigurationError(f"heartbeat_path must have no dot segments, got {path!r}")
    return path
