"""Input rules for the KuCoin cancel endpoints, checked before anything is sent.

Each rule guards one spec parameter (`orderId`, `clientOid`, `symbol`, `cancelSize`).
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

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
# Decimal reads as numbers.
_DECIMAL_TEXT = re.compile(r"([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?")
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
