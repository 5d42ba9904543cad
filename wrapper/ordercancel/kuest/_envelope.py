"""Kuest's answers: the one place that turns an answer into a report or a typed error.

Success is HTTP 2xx. Error classes are chosen by HTTP status (`_ERROR_BY_STATUS`); an id listed
under `not_canceled` is a failure even under HTTP 200, its class chosen by its reason. A 404 or 409
means "not found" / "not cancellable" only with Kuest's own error body, exactly `{"error": "..."}`
(the spec's `Error`): any other body at those statuses (an HTML page from a wrong base URL, a
proxy's text, an empty body, a gateway's `{"message": ...}` or other JSON) is an unexpected
answer, never news about the order.
"""

from __future__ import annotations

from typing import Any

from .._bulk import OrderOutcome
from .._json import answer_json
from .._redact import body_excerpt
from .._types import RawResponse
from ..errors import (
    InvalidRequest,
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
)
from ._inputs import check_heartbeat_id
from ._results import (
    KuestCancelReport,
    KuestOpenOrder,
    KuestOrderCanceled,
    OpenOrdersPage,
)

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
    detail = error if error is not None else f"unexpected body {body_excerpt(raw.content)}"
    return kind(
        f"Kuest HTTP {raw.status_code}: {detail}",
        status_code=raw.status_code,
        error=error,
        body=raw.content,
        headers=raw.headers,
    )


def http_error(raw: RawResponse, *, about_an_order: bool = False) -> KuestAPIError:
    """The typed error of a non-2xx answer.

    404 and 409 mean "not found" / "not cancellable" only for a request about one order
    (`about_an_order`: `DELETE /order`, the only operation Kuest documents them for) and only in
    Kuest's own `{"error": ...}` body. Elsewhere, a 404 or 409 says the request reached the wrong
    place (a wrong base URL or path prefix, a proxy): an unexpected response, never news about
    orders. Likewise 401 and 403 mean bad credentials / not allowed only in Kuest's own body
    (the spec's Error schema, `{"error": "<message>"}`); a proxy's or a firewall's page (HTML,
    or JSON such as an API gateway's `{"message": "Forbidden"}`) is an unexpected response, not
    a verdict on the keys or the order.
    """
    parsed = answer_json(raw.content)
    error = _message(parsed)
    if raw.status_code in _ERROR_BY_STATUS:
        kind = _ERROR_BY_STATUS[raw.status_code]
        if issubclass(kind, OrderNotCancellable) and not (
            about_an_order and _is_error_envelope(parsed)
        ):
            kind = KuestUnexpectedResponse  # not Kuest's word about the order: say so
        elif raw.status_code in (401, 403) and not _is_error_envelope(parsed):
            kind = KuestUnexpectedResponse  # a gateway's or firewall's page: not Kuest's verdict
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


def unwrap(raw: RawResponse, *, about_an_order: bool = False) -> KuestCancelReport | None:
    """The report of a successful answer (None: accepted without detail), else a typed error.

    `about_an_order`: see `http_error`.
    """
    if not 200 <= raw.status_code < 300:
        raise http_error(raw, about_an_order=about_an_order)
    if not raw.content.strip():
        return None
    parsed = answer_json(raw.content)
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
    report = unwrap(raw, about_an_order=True)
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
    # A set: looking each id up in the answer's list would cost n x n for a batch of n.
    canceled = frozenset(report.canceled) if report is not None else frozenset()
    outcomes = []
    for order_id in order_ids:
        error: KuestAPIError | None = None
        if report is not None and order_id not in canceled:
            if order_id in report.not_canceled:
                error = not_canceled_error(raw, order_id, report.not_canceled[order_id])
            else:
                error = _build(KuestUnexpectedResponse, raw, f"order {order_id} not reported")
        outcomes.append(OrderOutcome(order_id, error))
    return outcomes


INVALID_HEARTBEAT_ID = "invalid heartbeat id"
# Statuses whose leaf classes speak of an order (not found, another user's, not cancellable).
_ABOUT_AN_ORDER = frozenset({403, 404, 409})


def _is_heartbeat_id(value: Any) -> bool:
    try:
        return check_heartbeat_id(value) is not None
    except InvalidRequest:
        return False


def next_heartbeat_id(raw: RawResponse) -> str:
    """The id to send with the next heartbeat, from a heartbeat's answer.

    Raises:
        KuestInvalidHeartbeatId: a 400 "Invalid Heartbeat ID" naming Kuest's current id.
        KuestAPIError: any other failure (a 200 without a usable id is an unexpected response;
            403, 404 and 409 are plain KuestAPIErrors, their leaves being about orders).
    """
    parsed = answer_json(raw.content)
    fields: dict[str, Any] = parsed if isinstance(parsed, dict) else {}
    heartbeat_id = fields.get("heartbeat_id")
    message = _message(parsed)
    if 200 <= raw.status_code < 300:
        if isinstance(heartbeat_id, str) and _is_heartbeat_id(heartbeat_id) and not message:
            return heartbeat_id
        raise _build(KuestUnexpectedResponse, raw, message)
    if (
        raw.status_code == 400
        and (message or "").strip().lower() == INVALID_HEARTBEAT_ID
        and isinstance(heartbeat_id, str)
        and _is_heartbeat_id(heartbeat_id)
    ):
        error = _build(KuestInvalidHeartbeatId, raw, message)
        assert isinstance(error, KuestInvalidHeartbeatId)
        error.heartbeat_id = heartbeat_id
        raise error
    if raw.status_code in _ABOUT_AN_ORDER:  # not what they mean here: no leaf class
        hint = (
            " (no heartbeat endpoint there? see heartbeat_path)" if raw.status_code == 404 else ""
        )
        detail = message if message is not None else f"unexpected body {body_excerpt(raw.content)}"
        raise KuestAPIError(
            f"Kuest HTTP {raw.status_code}: {detail}{hint}",
            status_code=raw.status_code,
            error=message,
            body=raw.content,
            headers=raw.headers,
        )
    raise http_error(raw)


FIRST_CURSOR = "MA=="
"""The cursor of the first page of `GET /data/orders` (documented: "Use `MA==` to start")."""
END_CURSORS = frozenset({"", "LTE="})
"""The `next_cursor` values of the last page: "" (documented: "an empty response cursor means no
more pages") and "LTE=" (base64 of "-1"), the end marker Kuest's own clients stop at
(py-clob-client's END_CURSOR), so a server may send either."""
_CURSOR_CHARS = frozenset("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/=-_")
_CURSOR_MAX = 512
_ORDER_FIELDS = (
    ("id", "order_id"),
    ("market", "market"),
    ("assetId", "asset_id"),
    ("side", "side"),
    ("status", "status"),
    ("originalSize", "original_size"),
    ("sizeMatched", "size_matched"),
)


def _open_order(item: Any) -> KuestOpenOrder | str:
    """The order, or what is wrong with it."""
    if not isinstance(item, dict):
        return "an order is not an object"
    values = {}
    for wire, name in _ORDER_FIELDS:
        value = item.get(wire)
        if not isinstance(value, str) or not value:
            return f"an order's {wire} is missing or not a non-empty string"
        values[name] = value
    return KuestOpenOrder(**values)


def _page_problem(data: Any, cursor: Any, count: Any, seen_cursors: frozenset[str]) -> str | None:
    if not isinstance(data, list):
        return "data is not a list"
    if not isinstance(cursor, str):
        return "next_cursor is missing or not a string"
    if len(cursor) > _CURSOR_MAX or not set(cursor) <= _CURSOR_CHARS:
        return f"next_cursor is not a base64 cursor: {cursor[:64]!r}"
    if cursor in seen_cursors and cursor not in END_CURSORS:
        return f"next_cursor {cursor!r} was requested before (the pages would never end)"
    if isinstance(count, bool) or not isinstance(count, int) or count != len(data):
        return f"count {count!r} is not the number of orders in data ({len(data)})"
    return None


def open_orders_page(raw: RawResponse, seen_cursors: frozenset[str]) -> OpenOrdersPage:
    """One page of `GET /data/orders`; a body of another shape is KuestUnexpectedResponse.

    `seen_cursors` are the cursors already requested: a `next_cursor` among them would page
    forever, so it is an unexpected answer too.
    """
    if not 200 <= raw.status_code < 300:
        raise http_error(raw)
    parsed = answer_json(raw.content)
    if not isinstance(parsed, dict):
        raise _build(KuestUnexpectedResponse, raw, "the open-order page is not a JSON object")
    data: Any = parsed.get("data")
    cursor: Any = parsed.get("next_cursor")
    problem = _page_problem(data, cursor, parsed.get("count"), seen_cursors)
    if problem is not None:
        raise _build(KuestUnexpectedResponse, raw, problem)
    orders = []
    for item in data:
        order = _open_order(item)
        if isinstance(order, str):
            raise _build(KuestUnexpectedResponse, raw, order)
        orders.append(order)
    return OpenOrdersPage(tuple(orders), cursor)
