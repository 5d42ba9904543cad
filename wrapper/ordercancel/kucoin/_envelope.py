"""KuCoin's envelope: the one place that turns an answer into `data` or a typed error.

Success is exactly HTTP 2xx with `code == "200000"`. Anything else raises a `KucoinAPIError`
leaf chosen by `_ERROR_BY_CODE`, then by HTTP status.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from .._json import answer_json
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


def _error_class(status: int, code: str | None, msg: str | None) -> type[KucoinAPIError]:
    if code in _ERROR_BY_CODE:
        return _ERROR_BY_CODE[code]
    if code == "400100" and _spelling(msg or "") in _NOT_CANCELLABLE_MESSAGES:
        return KucoinOrderNotCancellable
    if status == 429:
        return KucoinRateLimited
    if status >= 500:
        return KucoinServerError
    if code is None:  # not KuCoin's envelope (a proxy's page): not a verdict on the keys
        return KucoinUnexpectedResponse
    if status == 401:
        return KucoinAuthenticationError
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


def _is_kucoin_code(code: object) -> bool:
    """Whether `code` is one of KuCoin's: six ASCII digits ("200000", "400100").

    A gateway's JSON with a code of its own ("UNAUTHENTICATED", "401") is not KuCoin's word,
    whatever its status.
    """
    return isinstance(code, str) and len(code) == 6 and code.isascii() and code.isdigit()


def unwrap(raw: RawResponse, parse_data: Callable[[Any], T]) -> T:
    """`parse_data(data)` for a successful answer; otherwise raise the matching KucoinAPIError."""
    envelope = answer_json(raw.content)
    if not (isinstance(envelope, dict) and _is_kucoin_code(envelope.get("code"))):
        raise _error(raw, None, None)  # not KuCoin's envelope
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
