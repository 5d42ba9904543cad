"""Answers: every documented outcome maps to its type, and no body or status escapes as a crash.

The expected class of each answer comes from the table in shared/api/kuest.md (written out below),
never from the wrapper's own table.
"""

from __future__ import annotations

import json
import time
from email.utils import formatdate
from typing import Any

import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st
from ordercancel import (
    AuthenticationError,
    InvalidRequest,
    KuestAPIError,
    KuestAuthenticationError,
    KuestCancelIncomplete,
    KuestCancelReport,
    KuestOrderCanceled,
    KuestOrderNotCancellable,
    KuestOrderNotFound,
    KuestPermissionDenied,
    KuestRateLimited,
    KuestServerError,
    KuestUnexpectedResponse,
    OrderCancelError,
    OrderNotCancellable,
    OrderNotFound,
    OrderOutcome,
    PermissionDenied,
    RateLimited,
    ServerError,
    UnexpectedResponse,
)
from support.kuest import HEAVY_PROPERTY, PROPERTY, Twin, order_ids, twins

ORDER = "0x38a73eed1e6d177545e9ab027abddfb7e08dbe975fa777123b1752d203d6ac88"

# shared/api/kuest.md's status table: status -> (venue class, venue-neutral meaning).
ERROR_TABLE: dict[int, tuple[type[KuestAPIError], type[Exception]]] = {
    401: (KuestAuthenticationError, AuthenticationError),
    403: (KuestPermissionDenied, PermissionDenied),
    404: (KuestOrderNotFound, OrderNotFound),
    409: (KuestOrderNotCancellable, OrderNotCancellable),
    429: (KuestRateLimited, RateLimited),
    500: (KuestServerError, ServerError),
    502: (KuestServerError, ServerError),
    503: (KuestServerError, ServerError),
    504: (KuestServerError, ServerError),
}
# The statuses that say something about the order; only Kuest's own error body `{"error": ...}`
# (the spec's `Error` schema) may say it.
ABOUT_THE_ORDER = (404, 409)
MESSAGES = {
    401: "Unauthenticated",
    403: "Deploy your proxy wallet before trading",
    404: "Order not found",
    409: "Order is already filled or cancelled.",
    429: "Too Many Requests",
    500: "Unable to cancel this order right now",
    502: "Bad gateway",
    503: "Unable to cancel this order right now",
    504: "Gateway timeout",
}

# (method, positional args) of every single call, and how a success looks for each.
SINGLE_CALLS: dict[str, tuple[str, tuple[Any, ...]]] = {
    "cancel_order": ("cancel_order", (ORDER,)),
    "cancel_all": ("cancel_all", ()),
    "cancel_market_orders": ("cancel_market_orders", ("0x5f65177b",)),
}


def answer(
    twin: Twin,
    method: str,
    args: tuple[Any, ...],
    status: int,
    content: bytes,
    headers: dict[str, Any] | None = None,
    **kwargs: Any,
) -> Any:
    """Call `method` once against a respx Kuest giving one answer; the result or the error."""
    with respx.mock(assert_all_called=False) as router:
        route = router.route().respond(status, content=content, headers=headers or {})
        result = twin.outcome(method, *args, **kwargs)
    sent = 1
    if method == "cancel_orders" and not kwargs.get("batch"):
        sent = len(set(args[0]))
    assert route.call_count == (0 if isinstance(result, InvalidRequest) else sent)
    return result


def _success(method: str, canceled: tuple[str, ...] = ()) -> Any:
    if method == "cancel_order":
        return KuestOrderCanceled(ORDER)
    return KuestCancelReport(canceled=canceled, not_canceled={})


# --- success shapes --------------------------------------------------------------------------


SUCCESS_BODIES = {
    "success-true": b'{"success": true}',
    "empty": b"",
    "canceled": json.dumps({"canceled": [ORDER], "not_canceled": {}}).encode(),
    "cancelled-older": json.dumps({"cancelled": [ORDER], "notCanceled": {}}).encode(),
    "canceled-only": json.dumps({"canceled": [ORDER]}).encode(),
}


@twins
@pytest.mark.parametrize("call", list(SINGLE_CALLS))
@pytest.mark.parametrize("body", list(SUCCESS_BODIES.values()), ids=list(SUCCESS_BODIES))
@pytest.mark.parametrize("status", [200, 201, 204])
def test_documented_success_shapes(twin: Twin, call: str, body: bytes, status: int) -> None:
    if status == 204 and body:
        body = b""
    method, args = SINGLE_CALLS[call]
    result = answer(twin, method, args, status, body)
    canceled = (ORDER,) if b"anceled" in body or b"ancelled" in body else ()
    assert result == _success(method, canceled)


@twins
@pytest.mark.parametrize("field", ["not_canceled", "notCanceled"])
@pytest.mark.parametrize(
    "reason", ["Order is already filled or cancelled.", "order not found", "market closed"]
)
def test_a_not_canceled_id_fails_a_single_cancel_even_under_200(
    twin: Twin, field: str, reason: str
) -> None:
    body = json.dumps({"canceled": [], field: {ORDER: reason}}).encode()
    error = answer(twin, "cancel_order", (ORDER,), 200, body)
    assert isinstance(error, KuestAPIError)
    assert error.status_code == 200
    assert error.body == body
    assert error.error is not None
    assert reason in error.error
    assert reason in str(error)


@twins
def test_a_200_that_does_not_mention_the_order_is_not_a_success(twin: Twin) -> None:
    body = json.dumps({"canceled": ["0xother"], "not_canceled": {}}).encode()
    error = answer(twin, "cancel_order", (ORDER,), 200, body)
    assert isinstance(error, KuestAPIError)
    assert error.body == body


@twins
@pytest.mark.parametrize("call", ["cancel_all", "cancel_market_orders"])
@pytest.mark.parametrize(
    ("canceled_key", "not_key"), [("canceled", "not_canceled"), ("cancelled", "notCanceled")]
)
def test_an_incomplete_cancel_all_raises_with_the_report(
    twin: Twin, call: str, canceled_key: str, not_key: str
) -> None:
    reasons = {"0xb": "Order is already filled or cancelled.", "0xc": "matched"}
    body = json.dumps({canceled_key: ["0xa"], not_key: reasons}).encode()
    method, args = SINGLE_CALLS[call]
    error = answer(twin, method, args, 200, body)
    assert isinstance(error, KuestCancelIncomplete)
    assert isinstance(error, KuestAPIError)
    assert error.report == KuestCancelReport(canceled=("0xa",), not_canceled=reasons)
    assert error.status_code == 200
    assert error.body == body
    assert "0xb" in str(error)


@twins
@pytest.mark.parametrize("call", ["cancel_all", "cancel_market_orders"])
def test_a_complete_cancel_all_returns_the_report(twin: Twin, call: str) -> None:
    body = json.dumps({"canceled": ["0xa", "0xb"], "not_canceled": {}}).encode()
    method, args = SINGLE_CALLS[call]
    assert answer(twin, method, args, 200, body) == KuestCancelReport(("0xa", "0xb"), {})


# --- error statuses --------------------------------------------------------------------------


@twins
@pytest.mark.parametrize("call", list(SINGLE_CALLS))
@pytest.mark.parametrize("status", list(ERROR_TABLE))
@pytest.mark.parametrize("field", ["error", "message"])
def test_error_statuses_map_to_their_class(twin: Twin, call: str, status: int, field: str) -> None:
    body = json.dumps({field: MESSAGES[status]}).encode()
    method, args = SINGLE_CALLS[call]
    error = answer(twin, method, args, status, body)
    venue_class, meaning = ERROR_TABLE[status]
    if status in (*ABOUT_THE_ORDER, 401, 403) and field != "error":  # not the spec's Error schema
        venue_class, meaning = KuestUnexpectedResponse, UnexpectedResponse
    if status in ABOUT_THE_ORDER and call != "cancel_order":  # documented for DELETE /order only
        venue_class, meaning = KuestUnexpectedResponse, UnexpectedResponse
    assert type(error) is venue_class
    assert isinstance(error, meaning)
    assert isinstance(error, OrderCancelError)
    assert error.status_code == status
    assert error.error == MESSAGES[status]
    assert error.body == body
    assert MESSAGES[status] in str(error)


@twins
@pytest.mark.parametrize("status", [404, 409, 401, 403, 429, 500, 502])
@pytest.mark.parametrize(
    "body",
    [b"", b"<html><body>502 Bad Gateway</body></html>", b"{", b"[]", b"null", b'{"error": 5}'],
    ids=["empty", "html", "truncated", "list", "null", "error-not-str"],
)
def test_error_statuses_with_odd_bodies_keep_their_class(
    twin: Twin, status: int, body: bytes
) -> None:
    error = answer(twin, "cancel_order", (ORDER,), status, body)
    # A 404 or 409 is news about the order only in Kuest's own words (issue 12, item 2); a 401
    # or 403 is a verdict on the keys only with Kuest's message (a proxy's page is not).
    not_kuests_word = status in ABOUT_THE_ORDER or status in (401, 403)
    expected = KuestUnexpectedResponse if not_kuests_word else ERROR_TABLE[status][0]
    assert type(error) is expected
    assert error.status_code == status
    assert error.body == body
    assert error.error is None


@twins
@pytest.mark.parametrize(
    ("header", "expected"),
    [
        (None, None),
        ("7", 7.0),
        ("0", 0.0),
        ("120", 120.0),
        (" 3 ", 3.0),
        ("soon", None),
        ("-1", None),
        (b"\xb2", None),  # latin-1 superscript two: str.isdigit() is True, float() refuses it
    ],
    ids=repr,
)
def test_retry_after_seconds(twin: Twin, header: Any, expected: float | None) -> None:
    headers = {} if header is None else {"Retry-After": header}
    error = answer(twin, "cancel_order", (ORDER,), 429, b'{"error":"Too Many Requests"}', headers)
    assert isinstance(error, KuestRateLimited)
    assert error.retry_after == expected


@twins
@pytest.mark.parametrize("ahead", [90, 3600])
def test_retry_after_http_date(twin: Twin, ahead: int) -> None:
    headers = {"Retry-After": formatdate(time.time() + ahead, usegmt=True)}
    error = answer(twin, "cancel_order", (ORDER,), 429, b"", headers)
    assert isinstance(error, KuestRateLimited)
    assert error.retry_after is not None
    assert ahead - 5 <= error.retry_after <= ahead + 1


@twins
def test_retry_after_http_date_in_the_past_is_zero(twin: Twin) -> None:
    headers = {"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}
    error = answer(twin, "cancel_order", (ORDER,), 429, b"", headers)
    assert isinstance(error, KuestRateLimited)
    assert error.retry_after == 0.0


@twins
@pytest.mark.parametrize("status", [400, 405, 418, 422, 302])
def test_other_statuses_are_still_kuest_api_errors(twin: Twin, status: int) -> None:
    body = b'{"error": "Invalid order payload"}'
    error = answer(twin, "cancel_order", (ORDER,), status, body)
    assert isinstance(error, KuestAPIError)
    assert not isinstance(error, ServerError | OrderNotCancellable | RateLimited)
    assert (error.status_code, error.body) == (status, body)


# --- arbitrary answers -----------------------------------------------------------------------

_json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=8),
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3)
    ),
    max_leaves=8,
)
_known_keys = st.sampled_from(
    ["success", "canceled", "cancelled", "not_canceled", "notCanceled", "error", "message"]
)
_id_or_junk = st.one_of(st.just(ORDER), order_ids, _json_values)
_shaped = st.dictionaries(
    _known_keys | st.text(max_size=6),
    st.one_of(
        _json_values,
        st.lists(_id_or_junk, max_size=3),
        st.dictionaries(st.just(ORDER) | st.text(max_size=6), _json_values, max_size=2),
    ),
    max_size=4,
)
bodies = st.one_of(
    st.binary(max_size=64),
    _json_values.map(lambda v: json.dumps(v).encode()),
    _shaped.map(lambda v: json.dumps(v).encode()),
    st.sampled_from([b"<html>oops</html>", b'{"success": tru', b"\xff\xfe{}", b"[" * 5000]),
)
statuses = st.one_of(st.sampled_from([200, 201, 204, *ERROR_TABLE]), st.integers(200, 599))
_header_text = st.text(st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=30)
retry_after_headers = st.one_of(
    st.none(),
    st.integers(0, 10**30).map(str),
    st.text("0123456789\u00b2\u00b3\u00b9", min_size=1, max_size=4).map(
        lambda s: s.encode("latin-1")
    ),
    _header_text.map(str.strip).filter(bool).map(lambda s: s.encode("latin-1")),
)


def _spec_error_body(body: bytes) -> bool:
    """The spec's `Error` schema, read here: an object with one key, `error`, a string."""
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        return False
    return isinstance(parsed, dict) and list(parsed) == ["error"] and type(parsed["error"]) is str


def _check_answer_error(error: Any, status: int, body: bytes) -> None:
    assert isinstance(error, KuestAPIError), repr(error)
    assert error.status_code == status
    assert error.body == body
    if not 200 <= status < 300:
        if status in ABOUT_THE_ORDER and not _spec_error_body(body):
            assert type(error) is KuestUnexpectedResponse
        elif status in (401, 403) and not _spec_error_body(body):
            assert type(error) is KuestUnexpectedResponse  # a proxy's page: not Kuest's verdict
        elif status in ERROR_TABLE:
            assert isinstance(error, ERROR_TABLE[status][0])
        elif status >= 500:
            assert isinstance(error, KuestServerError)
    if isinstance(error, KuestRateLimited):
        assert error.retry_after is None or error.retry_after >= 0


@twins
@HEAVY_PROPERTY
@given(
    call=st.sampled_from(["cancel_order", "cancel_all", "cancel_market_orders", "each", "batch"]),
    status=statuses,
    body=bodies,
    retry_after=retry_after_headers,
)
def test_any_answer_is_a_typed_result_or_a_kuest_api_error(
    twin: Twin, call: str, status: int, body: bytes, retry_after: Any
) -> None:
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    if call in ("each", "batch"):
        result = answer(
            twin,
            "cancel_orders",
            ([ORDER, "0xsecond"],),
            status,
            body,
            headers,
            batch=call == "batch",
        )
        assert isinstance(result, list)
        assert [o.order_id for o in result] == [ORDER, "0xsecond"]
        for outcome in result:
            assert isinstance(outcome, OrderOutcome)
            if not outcome.ok:
                _check_answer_error(outcome.error, status, body)
            else:
                assert 200 <= status < 300
        return
    method, args = SINGLE_CALLS[call]
    result = answer(twin, method, args, status, body, headers)
    if isinstance(result, BaseException):
        _check_answer_error(result, status, body)
    else:
        assert 200 <= status < 300
        assert type(result) is (KuestOrderCanceled if call == "cancel_order" else KuestCancelReport)


@twins
@PROPERTY
@given(retry_after=retry_after_headers)
def test_any_retry_after_gives_seconds_or_none(twin: Twin, retry_after: Any) -> None:
    headers = {} if retry_after is None else {"Retry-After": retry_after}
    error = answer(twin, "cancel_order", (ORDER,), 429, b'{"error":"x"}', headers)
    assert isinstance(error, KuestRateLimited), repr(error)
    assert error.retry_after is None or error.retry_after >= 0
    text = retry_after if isinstance(retry_after, str) else None
    if text is not None:
        assert error.retry_after == float(text)
