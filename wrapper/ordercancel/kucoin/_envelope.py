"""KuCoin's envelope: the one place that turns an answer into `data` or a typed error.

Success is exactly HTTP 2xx with `code == "200000"`. Anything else raises a `KucoinAPIError`
leaf chosen by `_ERROR_BY_CODE`, then by HTTP status.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

import httpx

from .._redact import body_excerpt
from .._types import RawResponse
from ..errors import (
    KucoinAPIError,
    KucoinAuthenticationError,
    KucoinCancelAllIncomplete,
    KucoinOrderNotCancellable,
    KucoinOrderStillOpen,
    KucoinRateLimited,
    KucoinServerError,
    KucoinUnexpectedResponse,
    RateLimitInfo,
)
from ._results import CancelAllResult, DataShapeError, SyncCancelResult

T = TypeVar("T")

SUCCESS = "200000"
STALE_TIMESTAMP = "400002"


_ERROR_BY_CODE: dict[str, type[KucoinAPIError]] = {
    **{f"40000{n}": KucoinAuthenticationError for n in range(1, 10)},
    "429000": KucoinRateLimited,
    "500000": KucoinServerError,
}
# KuCoin's spellings of "the order does not exist or cannot be cancelled" under code 400100,
# compared as `_spelling` normalises them (400100 is also KuCoin's generic parameter error).
_NOT_CANCELLABLE_MESSAGES = frozenset(
    {
        "order not exist or not allow to cancel",
        "order not exist",
        "order not exist or not allow to be cancelled",
    }
)


def _spelling(msg: str) -> str:
    """`msg` in lower case, underscores as spaces, runs of spaces as one, no final full stop."""
    return " ".join(msg.replace("_", " ").lower().split()).removesuffix(".").rstrip()


def _header_int(headers: Mapping[str, str], name: str) -> int | None:
    value = headers.get(name, "").strip()
    return int(value) if value.isascii() and value.isdigit() else None


def rate_limit_info(headers: Mapping[str, str]) -> RateLimitInfo:
    """The `gw-ratelimit-*` values of an answer (None where absent or not a number)."""
    if isinstance(headers, httpx.Headers):
        # One pass over the answer's raw headers instead of a scan per name, decoding only
        # these; repeated headers are joined as `Headers.get` joins them. (A value that is not
        # ASCII is no number however it is decoded.)
        found: dict[str, str] = {}
        for raw_key, raw_value in headers.raw:
            lower_key = raw_key.lower()
            if lower_key.startswith(b"gw-ratelimit-"):
                key, value = lower_key.decode("latin-1"), raw_value.decode("latin-1")
                found[key] = f"{found[key]}, {value}" if key in found else value
        headers = found
    return RateLimitInfo(
        limit=_header_int(headers, "gw-ratelimit-limit"),
        remaining=_header_int(headers, "gw-ratelimit-remaining"),
        reset_ms=_header_int(headers, "gw-ratelimit-reset"),
    )


def _error_class(status: int, code: str | None, msg: str | None) -> type[KucoinAPIError]:
    if code in _ERROR_BY_CODE:
        return _ERROR_BY_CODE[code]
    if code == "400100" and _spelling(msg or "") in _NOT_CANCELLABLE_MESSAGES:
        return KucoinOrderNotCancellable
    if status == 429:
        return KucoinRateLimited
    if status >= 500:
        return KucoinServerError
    if status == 401:
        return KucoinAuthenticationError
    if code is None:
        return KucoinUnexpectedResponse
    return KucoinAPIError


def _error(
    raw: RawResponse, code: str | None, msg: str | None, *, kind: type[KucoinAPIError] | None = None
) -> KucoinAPIError:
    kind = kind or _error_class(raw.status_code, code, msg)
    if code is None:
        detail = f"unexpected body {body_excerpt(raw.content)}"
    else:
        detail = f"code {code}: {msg or '(no message)'}"
    return kind(
        f"KuCoin HTTP {raw.status_code}, {detail}",
        status_code=raw.status_code,
        code=code,
        msg=msg,
        body=raw.content,
        headers=raw.headers,
    )


def _envelope(content: bytes) -> dict[str, Any] | None:
    try:
        parsed = json.loads(content)
    except (ValueError, RecursionError):  # JSONDecodeError, UnicodeDecodeError, deep nesting
        return None
    if not isinstance(parsed, dict) or not isinstance(parsed.get("code"), str):
        return None
    return parsed


def unwrap(raw: RawResponse, parse_data: Callable[[Any], T]) -> T:
    """`parse_data(data)` for a successful answer; otherwise raise the matching KucoinAPIError."""
    envelope = _envelope(raw.content)
    if envelope is None:
        raise _error(raw, None, None)
    code: str = envelope["code"]
    msg = envelope.get("msg")
    msg = msg if isinstance(msg, str) else None
    if not (200 <= raw.status_code < 300 and code == SUCCESS):
        raise _error(raw, code, msg)
    try:
        return parse_data(envelope.get("data"))
    except DataShapeError as exc:
        raise _error(raw, code, str(exc), kind=KucoinUnexpectedResponse) from exc


def complete_cancel_all(raw: RawResponse, result: CancelAllResult) -> CancelAllResult:
    """Return `result` when no symbol failed; otherwise raise KucoinCancelAllIncomplete."""
    if result.complete:
        return result
    failures = ", ".join(f"{f.symbol}: {f.error}" for f in result.failed_symbols)
    error = _error(
        raw, SUCCESS, f"cancel-all failed for {failures}", kind=KucoinCancelAllIncomplete
    )
    assert isinstance(error, KucoinCancelAllIncomplete)
    error.result = result
    raise error


def cancel_finished(raw: RawResponse, state: SyncCancelResult) -> SyncCancelResult:
    """Return `state` when the order is done; raise KucoinOrderStillOpen when it is open."""
    if state.status == "done":
        return state
    error = _error(
        raw,
        SUCCESS,
        f"the order is still open after the cancel: {state}",
        kind=KucoinOrderStillOpen,
    )
    assert isinstance(error, KucoinOrderStillOpen)
    error.state = state
    raise error
