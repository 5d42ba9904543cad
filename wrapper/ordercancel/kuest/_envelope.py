"""Kuest's answers: the one place that turns an answer into a report or a typed error.

Success is HTTP 2xx. Error classes are chosen by HTTP status (`_ERROR_BY_STATUS`); an id listed
under `not_canceled` is a failure even under HTTP 200, its class chosen by its reason. A 404 or 409
means "not found" / "not cancellable" only with Kuest's own error body, exactly `{"error": "..."}`
(the spec's `Error`): any other body at those statuses (an HTML page from a wrong base URL, a
proxy's text, an empty body, a gateway's `{"message": ...}` or other JSON) is an unexpected
answer, never news about the order.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from email.utils import parsedate_to_datetime
from time import time
from typing import Any

from .._http import RawResponse
from .._retry import OrderGoneAfterRetry
from ..errors import (
    APIError,
    AuthenticationError,
    OrderCancelError,
    OrderNotCancellable,
    OrderNotFound,
    PermissionDenied,
    RateLimited,
    ServerError,
    UnexpectedResponse,
)
from ._results import KuestCancelReport, KuestOrderCanceled, OrderOutcome


class KuestAPIError(APIError):
    """Kuest answered with something other than success.

    Attributes:
        error: Kuest's message (`error`, or `message`, or the not-canceled reason), or None.
    """

    venue = "kuest"

    def __init__(
        self,
        message: str,
        *,
        status_code: int,
        error: str | None,
        body: bytes,
        headers: Mapping[str, str],
    ) -> None:
        self.error = error
        retry_after = retry_after_seconds(headers) if isinstance(self, RateLimited) else None
        super().__init__(
            message, status_code=status_code, body=body, headers=headers, retry_after=retry_after
        )


class KuestAuthenticationError(KuestAPIError, AuthenticationError):
    """HTTP 401: missing or wrong credentials or signature."""


class KuestPermissionDenied(KuestAPIError, PermissionDenied):
    """HTTP 403: the order belongs to another user."""


class KuestOrderNotFound(KuestAPIError, OrderNotFound):
    """HTTP 404, or a not-canceled reason saying the order is unknown."""


class KuestOrderNotCancellable(KuestAPIError, OrderNotCancellable):
    """HTTP 409, or a not-canceled reason saying it is already filled or cancelled."""


class KuestRateLimited(KuestAPIError, RateLimited):
    """HTTP 429; `retry_after` comes from the Retry-After header when present."""


class KuestServerError(KuestAPIError, ServerError):
    """HTTP 5xx."""


class KuestUnexpectedResponse(KuestAPIError, UnexpectedResponse):
    """A body that is not one of the documented shapes."""


class KuestCancelIncomplete(KuestAPIError):
    """A cancel-all or cancel-market call left orders uncancelled; `report` lists both sides."""

    report: KuestCancelReport


_ERROR_BY_STATUS: dict[int, type[KuestAPIError]] = {
    401: KuestAuthenticationError,
    403: KuestPermissionDenied,
    404: KuestOrderNotFound,
    409: KuestOrderNotCancellable,
    429: KuestRateLimited,
}
# Substrings of a not-canceled reason, checked in order.
_ERROR_BY_REASON: tuple[tuple[str, type[KuestAPIError]], ...] = (
    ("not found", KuestOrderNotFound),
    ("already", KuestOrderNotCancellable),
    ("filled", KuestOrderNotCancellable),
    ("matched", KuestOrderNotCancellable),
)


_REPORT_KEYS = frozenset({"canceled", "cancelled", "not_canceled", "notCanceled"})


def retry_after_seconds(headers: Mapping[str, str]) -> float | None:
    """Retry-After as seconds (delta-seconds or an HTTP date), None when absent or unreadable."""
    value = headers.get("retry-after", "").strip()
    if value.isascii() and value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time())
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def _json(content: bytes) -> Any:
    try:
        return json.loads(content)
    except (ValueError, RecursionError):
        return None


def _message(parsed: Any) -> str | None:
    if isinstance(parsed, dict):
        for key in ("error", "message"):
            if isinstance(parsed.get(key), str):
                text: str = parsed[key]
                return text
    return None


def _is_error_envelope(parsed: Any) -> bool:
    """Kuest's own error body: `{"error": "<message>"}` and nothing else."""
    return (
        isinstance(parsed, dict) and parsed.keys() == {"error"} and isinstance(parsed["error"], str)
    )


def _build(kind: type[KuestAPIError], raw: RawResponse, error: str | None) -> KuestAPIError:
    detail = error if error is not None else f"unexpected body {raw.content[:120]!r}"
    return kind(
        f"Kuest HTTP {raw.status_code}: {detail}",
        status_code=raw.status_code,
        error=error,
        body=raw.content,
        headers=raw.headers,
    )


def http_error(raw: RawResponse) -> KuestAPIError:
    """The typed error of a non-2xx answer."""
    parsed = _json(raw.content)
    error = _message(parsed)
    if raw.status_code in _ERROR_BY_STATUS:
        kind = _ERROR_BY_STATUS[raw.status_code]
        if issubclass(kind, OrderNotCancellable) and not _is_error_envelope(parsed):
            kind = KuestUnexpectedResponse  # not Kuest's word about the order: say so
    elif raw.status_code >= 500:
        kind = KuestServerError
    elif error is None:
        kind = KuestUnexpectedResponse
    else:
        kind = KuestAPIError
    return _build(kind, raw, error)


def not_canceled_error(raw: RawResponse, order_id: str, reason: str) -> KuestAPIError:
    """The typed error of an id Kuest listed as not canceled."""
    lowered = reason.lower()
    kind = next((k for text, k in _ERROR_BY_REASON if text in lowered), KuestAPIError)
    return _build(kind, raw, f"order {order_id} not canceled: {reason}")


def _ids(value: Any) -> tuple[str, ...] | None:
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    return None


def _reasons(value: Any) -> dict[str, str] | None:
    if isinstance(value, dict) and all(isinstance(v, str) for v in value.values()):
        return dict(value)
    return None


def unwrap(raw: RawResponse) -> KuestCancelReport | None:
    """The report of a successful answer (None: accepted without detail), else a typed error."""
    if not 200 <= raw.status_code < 300:
        raise http_error(raw)
    if not raw.content.strip():
        return None
    parsed = _json(raw.content)
    if not isinstance(parsed, dict):
        raise _build(KuestUnexpectedResponse, raw, None)
    if not _REPORT_KEYS & parsed.keys():
        if parsed.get("success") is True:
            return None
        raise _build(KuestUnexpectedResponse, raw, _message(parsed))
    canceled = _ids(parsed.get("canceled", parsed.get("cancelled", [])))
    not_canceled = _reasons(parsed.get("not_canceled", parsed.get("notCanceled", {})))
    if canceled is None or not_canceled is None:
        raise _build(KuestUnexpectedResponse, raw, _message(parsed))
    return KuestCancelReport(canceled, not_canceled)


def order_canceled(raw: RawResponse, order_id: str) -> KuestOrderCanceled:
    """The result of cancelling one order: success only if Kuest says so for this id."""
    report = unwrap(raw)
    if report is None or order_id in report.canceled:
        return KuestOrderCanceled(order_id)
    if order_id in report.not_canceled:
        raise not_canceled_error(raw, order_id, report.not_canceled[order_id])
    raise _build(KuestUnexpectedResponse, raw, f"the answer does not mention order {order_id}")


def outcomes_after_landed(
    outcomes: list[OrderOutcome], earlier: OrderCancelError
) -> list[OrderOutcome]:
    """After a retry of a batch that may have landed, "not cancellable" ids may be ours."""
    return [
        OrderOutcome(o.order_id, OrderGoneAfterRetry(earlier, o.error))
        if isinstance(o.error, OrderNotCancellable)
        else o
        for o in outcomes
    ]


def complete_report(raw: RawResponse) -> KuestCancelReport:
    """The report of cancel-all or cancel-market; raise KuestCancelIncomplete if any failed."""
    report = unwrap(raw) or KuestCancelReport()
    if not report.not_canceled:
        return report
    failures = ", ".join(f"{i}: {r}" for i, r in report.not_canceled.items())
    error = _build(KuestCancelIncomplete, raw, f"not canceled: {failures}")
    assert isinstance(error, KuestCancelIncomplete)
    error.report = report
    raise error


def batch_outcomes(raw: RawResponse, order_ids: list[str]) -> list[OrderOutcome]:
    """One outcome per requested id from a DELETE /orders answer.

    An answer that is not a success raises (so the retry policy sees a 429 or 5xx); the caller
    spreads a final error over the ids of the batch.
    """
    report = unwrap(raw)
    outcomes = []
    for order_id in order_ids:
        error: KuestAPIError | None = None
        if report is not None and order_id not in report.canceled:
            if order_id in report.not_canceled:
                error = not_canceled_error(raw, order_id, report.not_canceled[order_id])
            else:
                error = _build(KuestUnexpectedResponse, raw, f"order {order_id} not reported")
        outcomes.append(OrderOutcome(order_id, error))
    return outcomes
