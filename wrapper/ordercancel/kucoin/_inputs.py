"""Input rules for the KuCoin cancel endpoints, checked before anything is sent.

Each rule guards one spec parameter (`orderId`, `clientOid`, `symbol`, `cancelSize`, and the
`timeout` and `symbols` of setDisconnectProtection).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from decimal import Decimal, InvalidOperation

from .._bulk import distinct_ids  # the bulk helpers both venues share
from ..errors import InvalidRequest

ORDER_ID_MAX = 64  # KuCoin documents no length; its ids are 24 hex digits
CLIENT_OID_MAX = 40  # documented: "The maximum length for the ClientOid is 40 characters"
# Hex only: KuCoin's ids are hex, and a hex id can never spell a sibling route such as
# `/api/v1/hf/orders/cancelAll`, which an alphanumeric "id" would reach (cancelling everything).
_ORDER_ID = re.compile(r"[0-9A-Fa-f]+")
_SYMBOL = re.compile(r"[A-Z0-9]{1,20}-[A-Z0-9]{1,20}")
# Printable ASCII except characters that could move the request to another endpoint or be
# normalised differently by a proxy: path and query delimiters, percent and backslash.
_CLIENT_OID_FORBIDDEN = frozenset("/\\?#%")
# ASCII digits only: `\d` would also admit fullwidth, Arabic-Indic or mathematical digits, which
# Decimal reads as numbers. A minus sign is read so that a negative size is refused as such
# ("must be positive").
_DECIMAL_TEXT = re.compile(r"-?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
_SIZE_MAX_DIGITS = 40


def check_order_id(order_id: object) -> str:
    """An orderId: 1-64 hexadecimal digits (KuCoin's are 24)."""
    if not isinstance(order_id, str):
        raise InvalidRequest(f"order_id must be a str, got {type(order_id).__name__}")
    if not _ORDER_ID.fullmatch(order_id):
        raise InvalidRequest(f"order_id must be hexadecimal digits, got {order_id!r}")
    if len(order_id) > ORDER_ID_MAX:
        raise InvalidRequest(f"order_id is longer than {ORDER_ID_MAX} characters")
    return order_id


def check_client_oid(client_oid: object) -> str:
    """A clientOid: 1-40 printable ASCII characters, spaces allowed inside.

    Rejected: blank ids, leading or trailing spaces, control characters, `/ ? # %`, backslash, the
    dot segments `.` and `..`.
    """
    if not isinstance(client_oid, str):
        raise InvalidRequest(f"client_oid must be a str, got {type(client_oid).__name__}")
    if not client_oid.strip():
        raise InvalidRequest("client_oid must not be empty or blank")
    if len(client_oid) > CLIENT_OID_MAX:
        raise InvalidRequest(f"client_oid is longer than {CLIENT_OID_MAX} characters")
    if client_oid != client_oid.strip(" "):
        raise InvalidRequest(f"client_oid must not start or end with a space: {client_oid!r}")
    bad = sorted({c for c in client_oid if not " " <= c <= "~" or c in _CLIENT_OID_FORBIDDEN})
    if bad:
        raise InvalidRequest(f"client_oid contains characters that are not allowed: {bad!r}")
    if client_oid in (".", ".."):
        raise InvalidRequest("client_oid must not be a dot segment")
    return client_oid


def check_symbol(symbol: object) -> str:
    """A symbol: BASE-QUOTE in upper-case letters and digits, such as BTC-USDT."""
    if not isinstance(symbol, str):
        raise InvalidRequest(f"symbol must be a str, got {type(symbol).__name__}")
    if not _SYMBOL.fullmatch(symbol):
        raise InvalidRequest(
            f"symbol must be BASE-QUOTE in upper case, such as BTC-USDT, got {symbol!r}"
        )
    return symbol


def check_cancel_size(cancel_size: object) -> str:
    """A size to cancel: a positive finite decimal, returned as text without an exponent.

    Accepts `str` (ASCII digits, optional fraction and exponent, no sign or spaces), `Decimal` and
    `int`. Rejects `float` (binary floats are not exact sizes: pass `str(x)` or a Decimal) and
    `bool`.
    """
    if isinstance(cancel_size, bool) or not isinstance(cancel_size, str | Decimal | int):
        raise InvalidRequest(
            "cancel_size must be a str, Decimal or int "
            f"(a float is not an exact size), got {type(cancel_size).__name__}"
        )
    if isinstance(cancel_size, str) and not _DECIMAL_TEXT.fullmatch(cancel_size):
        raise InvalidRequest(f"cancel_size is not a plain decimal number: {cancel_size!r}")
    try:
        size = Decimal(cancel_size)
    except InvalidOperation as exc:  # pragma: no cover - the regex admits only valid text
        raise InvalidRequest(f"cancel_size is not a decimal: {cancel_size!r}") from exc
    if not size.is_finite() or size <= 0:
        raise InvalidRequest(f"cancel_size must be positive and finite, got {cancel_size!r}")
    exponent = size.as_tuple().exponent
    assert isinstance(exponent, int)  # finite, checked above
    digits = len(size.as_tuple().digits)
    if max(digits, -exponent) + max(exponent, 0) > _SIZE_MAX_DIGITS:
        raise InvalidRequest(f"cancel_size has more than {_SIZE_MAX_DIGITS} digits")
    return format(size, "f")


DCP_TIMEOUT_MIN = 5  # KuCoin: "timeout=-1 (meaning unset) or 5 <= timeout <= 86400", in seconds
DCP_TIMEOUT_MAX = 86400
DCP_CLEAR = -1
DCP_SYMBOLS_MAX = 50  # KuCoin: "support up to 50 trading pairs"


def check_timeout_s(timeout_s: object) -> int:
    """A Disconnection Protection timeout in SECONDS: an int, -1 (clear) or 5 to 86400.

    A float or bool is refused (KuCoin's field is an integer), and so is anything outside the
    range: KuCoin's unit is seconds, so a value in milliseconds such as 60000 would arm a
    timer of almost 17 hours.
    """
    if isinstance(timeout_s, bool) or not isinstance(timeout_s, int):
        raise InvalidRequest(
            "timeout_s must be an int number of seconds (-1 to clear, or 5 to 86400), "
            f"got {type(timeout_s).__name__}"
        )
    if timeout_s != DCP_CLEAR and not DCP_TIMEOUT_MIN <= timeout_s <= DCP_TIMEOUT_MAX:
        raise InvalidRequest(
            f"timeout_s is in seconds and must be -1 (clear) or {DCP_TIMEOUT_MIN} to "
            f"{DCP_TIMEOUT_MAX} seconds, got {timeout_s}"
        )
    return timeout_s


def check_symbols(symbols: object) -> tuple[str, ...]:
    """The symbols Disconnection Protection covers: at most 50, each BASE-QUOTE; none means all.

    Duplicates are dropped (order kept). A bare str is refused: pass a list or tuple.
    """
    if isinstance(symbols, str | bytes) or not isinstance(symbols, Iterable):
        raise InvalidRequest(
            "symbols must be a list or tuple of symbols such as ['BTC-USDT'] (empty: all symbols)"
        )
    wanted = tuple(dict.fromkeys(check_symbol(symbol) for symbol in symbols))
    if len(wanted) > DCP_SYMBOLS_MAX:
        raise InvalidRequest(
            f"symbols lists {len(wanted)} symbols; KuCoin allows at most {DCP_SYMBOLS_MAX}"
        )
    return wanted


def check_order_ids(order_ids: object) -> list[str]:
    """A non-empty collection of orderIds, each checked; duplicates removed, order kept.

    Raises:
        InvalidRequest: not a collection of ids (a bare str is refused), empty, or any id bad
            (all bad ids are named).
    """
    return distinct_ids(order_ids, check_order_id)
