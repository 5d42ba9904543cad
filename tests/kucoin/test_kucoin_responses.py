"""Any answer becomes the typed result or a typed error; never a stray KeyError or JSONDecodeError.

The expected outcome is computed here from KuCoin's documented envelope rules (success is exactly
HTTP 2xx with code "200000"), independently of the wrapper's envelope code.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, InvalidOperation
from typing import Any

import httpx
import pytest
import respx
from hypothesis import Phase, given, settings
from hypothesis import strategies as st
from ordercancel import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    CancelAllResult,
    ClientOrderCancelAccepted,
    FailedSymbol,
    KucoinAPIError,
    KucoinAuthenticationError,
    KucoinCancelAllIncomplete,
    KucoinKeys,
    KucoinOrderNotCancellable,
    KucoinRateLimited,
    KucoinUnexpectedResponse,
    OrderCancelAccepted,
    OrderCancelError,
    OrderNotCancellable,
    PartialCancelAccepted,
    RateLimited,
    RateLimitInfo,
    RetryPolicy,
    ServerError,
    SymbolCancelAccepted,
    UnexpectedResponse,
)
from support.kucoin import (
    BASE_URL,
    ENDPOINTS,
    HEAVY_PROPERTY,
    Endpoint,
    Twin,
    envelope,
    rate_limit_oracle,
    twins,
)
from support.kucoin_oracle import verify_signed
from support.kucoin_strategies import (
    NOT_CANCELLABLE_MSGS,
    bodies,
    rate_limit_headers,
    says_not_cancellable,
    statuses,
    symbols,
)

KEYS = KucoinKeys(api_key="k", api_secret="s", api_passphrase="p")
ONCE = RetryPolicy(attempts=1)  # one answer, one outcome: retries are tested elsewhere
ARGS: dict[str, tuple[Any, ...]] = {
    "cancel_order_by_order_id": ("671124f9365ccb00073debd4", "BTC-USDT"),
    "cancel_order_by_client_oid": ("client order id 13", "BTC-USDT"),
    "cancel_partial_order": ("6711f73c1ef16c000717bb31", "BTC-USDT", "0.00001"),
    "cancel_all_orders_by_symbol": ("BTC-USDT",),
    "cancel_all_orders": (),
}
AUTH_CODES = [f"40000{n}" for n in range(1, 10)]


# --- the oracle ----------------------------------------------------------------------------------


def _expected_result(endpoint: Endpoint, args: tuple[Any, ...], data: Any) -> Any:
    """The typed result `data` documents, or None when `data` is not the documented shape."""
    method = endpoint.method
    if method in ("cancel_order_by_order_id", "cancel_partial_order"):
        if not isinstance(data, dict) or data.get("orderId") != args[0]:
            return None
        if method == "cancel_order_by_order_id":
            return OrderCancelAccepted(args[0])
        size = data.get("cancelSize")
        if not isinstance(size, str):
            return None
        try:
            cancelled = Decimal(size)
        except InvalidOperation:
            return None
        # A size cancelled is positive and finite; "NaN", "-1" or "0" is not a documented answer.
        if not cancelled.is_finite() or cancelled <= 0:
            return None
        return PartialCancelAccepted(args[0], cancelled)
    if method == "cancel_order_by_client_oid":
        if not isinstance(data, dict) or data.get("clientOid") != args[0]:
            return None
        return ClientOrderCancelAccepted(args[0])
    if method == "cancel_all_orders_by_symbol":
        return SymbolCancelAccepted(args[0]) if data == "success" else None
    if not isinstance(data, dict):
        return None
    succeeded, failed = data.get("succeedSymbols"), data.get("failedSymbols")
    if not isinstance(succeeded, list) or not all(isinstance(s, str) for s in succeeded):
        return None
    if not isinstance(failed, list) or not all(
        isinstance(f, dict) and isinstance(f.get("symbol"), str) for f in failed
    ):
        return None
    # A failure without a (string) reason is still a failure: its reason is then not KuCoin's,
    # so it is left as None here and only required to be some text (see _same).
    return CancelAllResult(
        tuple(succeeded),
        tuple(
            FailedSymbol(f["symbol"], f["error"] if isinstance(f.get("error"), str) else None)  # type: ignore[arg-type]
            for f in failed
        ),
    )


def _same(result: Any, expected: Any) -> bool:
    if isinstance(expected, PartialCancelAccepted):  # Decimal("NaN") != itself; compare exactly
        return (
            type(result) is PartialCancelAccepted
            and result.order_id == expected.order_id
            and result.cancel_size.as_tuple() == expected.cancel_size.as_tuple()
        )
    if isinstance(expected, CancelAllResult):
        return (
            type(result) is CancelAllResult
            and result.succeeded_symbols == expected.succeeded_symbols
            and len(result.failed_symbols) == len(expected.failed_symbols)
            and all(
                got.symbol == want.symbol
                and isinstance(got.error, str)
                and (want.error is None or got.error == want.error)
                for got, want in zip(result.failed_symbols, expected.failed_symbols, strict=True)
            )
        )
    return type(result) is type(expected) and result == expected


def _check_outcome(
    endpoint: Endpoint,
    args: tuple[Any, ...],
    status: int,
    body: bytes,
    headers: dict[str, bytes],
    outcome: Any,
) -> None:
    try:
        parsed = json.loads(body)
    except (ValueError, RecursionError):
        parsed = None
    # KuCoin's envelope: an object whose code is six ASCII digits (its documented codes).
    is_envelope = (
        isinstance(parsed, dict)
        and isinstance(parsed.get("code"), str)
        and re.fullmatch(r"[0-9]{6}", parsed["code"]) is not None
    )
    code = parsed["code"] if is_envelope else None
    ok_status = 200 <= status < 300
    expected = (
        _expected_result(endpoint, args, parsed.get("data"))
        if is_envelope and ok_status and code == "200000"
        else None
    )

    if expected is not None and not (
        isinstance(expected, CancelAllResult) and expected.failed_symbols
    ):
        assert _same(outcome, expected), f"expected {expected!r}, got {outcome!r}"
        return

    # Anything else is an error of ours, a KuCoin one since KuCoin answered.
    assert isinstance(outcome, KucoinAPIError), f"expected a KucoinAPIError, got {outcome!r}"
    assert outcome.status_code == status
    assert outcome.body == body
    assert type(outcome.body) is bytes
    expected_limits = RateLimitInfo(
        limit=rate_limit_oracle(_text(headers.get("gw-ratelimit-limit"))),
        remaining=rate_limit_oracle(_text(headers.get("gw-ratelimit-remaining"))),
        reset_ms=rate_limit_oracle(_text(headers.get("gw-ratelimit-reset"))),
    )
    assert outcome.rate_limit == expected_limits
    if isinstance(outcome, RateLimited):
        reset = expected_limits.reset_ms
        assert outcome.retry_after == (None if reset is None else reset / 1000)

    if expected is not None:  # cancel-all with failed symbols
        assert isinstance(outcome, KucoinCancelAllIncomplete)
        assert _same(outcome.result, expected), f"expected {expected!r}, got {outcome.result!r}"
        return
    if not is_envelope:
        assert outcome.code is None
        assert outcome.msg is None
        if ok_status:
            assert isinstance(outcome, KucoinUnexpectedResponse)
        return
    if ok_status and code == "200000":  # success code, data not as documented
        assert isinstance(outcome, KucoinUnexpectedResponse)
        assert isinstance(outcome, UnexpectedResponse)
        return
    msg = parsed.get("msg")
    assert outcome.code == code
    assert outcome.msg == (msg if isinstance(msg, str) else None)
    assert not isinstance(outcome, KucoinCancelAllIncomplete)
    if code in AUTH_CODES:
        assert isinstance(outcome, KucoinAuthenticationError)
        assert isinstance(outcome, AuthenticationError)
    elif code == "429000":
        assert isinstance(outcome, KucoinRateLimited)
    elif code == "500000":
        assert isinstance(outcome, ServerError)
    elif code == "400100" and says_not_cancellable(msg):
        assert isinstance(outcome, KucoinOrderNotCancellable)
        assert isinstance(outcome, OrderNotCancellable)
    elif status == 429:
        assert isinstance(outcome, RateLimited)
    elif status >= 500:
        assert isinstance(outcome, ServerError)


def _text(value: bytes | None) -> str | None:
    """A header value as httpx decodes it (ASCII, else UTF-8, else Latin-1)."""
    if value is None:
        return None
    for encoding in ("ascii", "utf-8"):
        try:
            return value.decode(encoding)
        except UnicodeDecodeError:
            pass
    return value.decode("latin-1")


# --- the answers a cancel could get --------------------------------------------------------------


def good_data(endpoint: Endpoint) -> st.SearchStrategy[Any]:
    """`data` of the documented shape, echoing the request or (sometimes) another order."""
    args = ARGS[endpoint.method]
    other = st.sampled_from(["", "x", "671124f9365ccb00073debd5", "CLIENT ORDER ID 13"])
    ids = st.one_of(st.just(args[0]) if args else st.nothing(), other)
    if endpoint.method in ("cancel_order_by_order_id",):
        return st.fixed_dictionaries({"orderId": ids})
    if endpoint.method == "cancel_order_by_client_oid":
        return st.fixed_dictionaries({"clientOid": ids})
    if endpoint.method == "cancel_partial_order":
        sizes = st.sampled_from(["0.00001", "1", "1e-5", "abc", "", "NaN"])
        return st.fixed_dictionaries({"orderId": ids, "cancelSize": sizes})
    if endpoint.method == "cancel_all_orders_by_symbol":
        return st.sampled_from(["success", "SUCCESS", "fail", ""])
    failed = st.fixed_dictionaries(
        {"symbol": symbols},
        optional={"error": st.one_of(st.text(max_size=20), st.none(), st.integers())},
    )
    return st.fixed_dictionaries(
        {
            "succeedSymbols": st.lists(symbols, max_size=3),
            "failedSymbols": st.one_of(st.just([]), st.lists(failed, max_size=2)),
        }
    )


def _answer(status: int, body: bytes, headers: dict[str, bytes]) -> Any:
    return lambda _request: httpx.Response(status, content=body, headers=list(headers.items()))


def _call(twin: Twin, method: str, args: tuple[Any, ...] | None = None) -> Any:
    """Call once (no retry); return the result or the OrderCancelError raised."""
    try:
        return twin.call(
            method,
            *(ARGS[method] if args is None else args),
            client_kwargs={"keys": KEYS, "retry": ONCE},
        )
    except OrderCancelError as exc:
        return exc


@twins
@pytest.mark.parametrize("endpoint", ENDPOINTS.values(), ids=ENDPOINTS.keys())
# No shrinking: the answers are small already, and a failure is reported at once.
@settings(HEAVY_PROPERTY, phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(data=st.data(), status=statuses, headers=rate_limit_headers)
def test_any_answer_is_the_result_or_a_typed_error(
    twin: Twin, endpoint: Endpoint, data: st.DataObject, status: int, headers: dict[str, bytes]
) -> None:
    body = data.draw(good_data(endpoint).flatmap(bodies), label="body")
    with respx.mock(base_url=BASE_URL) as router:
        router.route().mock(side_effect=_answer(status, body, headers))
        outcome = _call(twin, endpoint.method)
    _check_outcome(endpoint, ARGS[endpoint.method], status, body, headers, outcome)


# --- the documented mapping, example by example --------------------------------------------------


def _respond(twin: Twin, method: str, status: int, body: bytes, **headers: str) -> Any:
    raw = {name.replace("_", "-"): value.encode() for name, value in headers.items()}
    with respx.mock(base_url=BASE_URL) as router:
        route = router.route().mock(side_effect=_answer(status, body, raw))
        outcome = _call(twin, method)
    assert route.call_count >= 1
    return outcome


@twins
@pytest.mark.parametrize("status", [200, 429])
def test_rate_limited_carries_retry_after_from_reset_ms(twin: Twin, status: int) -> None:
    body = envelope(None, code="429000", msg="Too Many Requests")
    error = _respond(
        twin,
        "cancel_all_orders",
        status,
        body,
        gw_ratelimit_limit="4000",
        gw_ratelimit_remaining="0",
        gw_ratelimit_reset="1500",
    )
    assert isinstance(error, KucoinRateLimited)
    assert isinstance(error, RateLimited)
    assert error.retry_after == 1.5
    assert error.rate_limit == RateLimitInfo(limit=4000, remaining=0, reset_ms=1500)
    assert (error.status_code, error.code, error.msg, error.body) == (
        status,
        "429000",
        "Too Many Requests",
        body,
    )


@twins
@pytest.mark.parametrize("status", [200, 401])
@pytest.mark.parametrize("code", AUTH_CODES)
def test_auth_codes_are_authentication_errors(twin: Twin, code: str, status: int) -> None:
    body = envelope(None, code=code, msg="auth")
    error = _respond(twin, "cancel_order_by_order_id", status, body)
    assert isinstance(error, KucoinAuthenticationError)
    assert isinstance(error, AuthenticationError)
    assert (error.code, error.status_code, error.body) == (code, status, body)


@twins
@pytest.mark.parametrize("msg", NOT_CANCELLABLE_MSGS)
@pytest.mark.parametrize("method", ["cancel_order_by_order_id", "cancel_partial_order"])
def test_not_found_variants_are_not_cancellable(twin: Twin, method: str, msg: str) -> None:
    error = _respond(twin, method, 200, envelope(None, code="400100", msg=msg))
    assert isinstance(error, KucoinOrderNotCancellable)
    assert isinstance(error, OrderNotCancellable)
    assert (error.code, error.msg) == ("400100", msg)


@twins
def test_other_400100_is_a_plain_kucoin_error(twin: Twin) -> None:
    error = _respond(twin, "cancel_order_by_order_id", 400, envelope(None, "400100", msg="bad"))
    assert isinstance(error, KucoinAPIError)
    assert not isinstance(error, OrderNotCancellable | AuthenticationError | RateLimited)


@twins
@pytest.mark.parametrize(
    ("status", "code"),
    [(400, "200000"), (500, "200000"), (302, "200000"), (200, "200000 "), (200, "200001")],
)
def test_success_needs_2xx_and_code_200000(twin: Twin, status: int, code: str) -> None:
    data = {"orderId": ARGS["cancel_order_by_order_id"][0]}
    error = _respond(twin, "cancel_order_by_order_id", status, envelope(data, code=code))
    assert isinstance(error, KucoinAPIError)
    assert error.status_code == status


@twins
@pytest.mark.parametrize("status", [200, 201, 299])
def test_success_on_any_2xx(twin: Twin, status: int) -> None:
    data = {"orderId": ARGS["cancel_order_by_order_id"][0]}
    result = _respond(twin, "cancel_order_by_order_id", status, envelope(data))
    assert result == OrderCancelAccepted(ARGS["cancel_order_by_order_id"][0])


@twins
@pytest.mark.parametrize(
    ("method", "data"),
    [
        ("cancel_order_by_order_id", {"orderId": "671124f9365ccb00073debd5"}),
        ("cancel_order_by_client_oid", {"clientOid": "client order id 14"}),
        ("cancel_partial_order", {"orderId": "6711f73c1ef16c000717bb30", "cancelSize": "0.00001"}),
        ("cancel_order_by_order_id", None),
        ("cancel_all_orders_by_symbol", None),
        ("cancel_all_orders", {"succeedSymbols": "BTC-USDT", "failedSymbols": []}),
    ],
)
def test_wrong_echo_or_null_data_is_unexpected(twin: Twin, method: str, data: Any) -> None:
    error = _respond(twin, method, 200, envelope(data))
    assert isinstance(error, KucoinUnexpectedResponse)
    assert isinstance(error, UnexpectedResponse)


@twins
def test_cancel_all_with_failed_symbols_raises_with_the_result(twin: Twin) -> None:
    data = {
        "succeedSymbols": ["ETH-USDT"],
        "failedSymbols": [{"symbol": "BTC-USDT", "error": "can not cancel"}],
    }
    error = _respond(twin, "cancel_all_orders", 200, envelope(data))
    assert isinstance(error, KucoinCancelAllIncomplete)
    assert error.result == CancelAllResult(
        ("ETH-USDT",), (FailedSymbol("BTC-USDT", "can not cancel"),)
    )
    assert not error.result.complete
    assert "BTC-USDT" in str(error)


@twins
@pytest.mark.parametrize("value", [b"\xb2", b"\xd9\xa1\xd9\xa2", b"\xef\xbc\x91"])
def test_rate_limit_header_with_non_ascii_digits_is_unreadable(twin: Twin, value: bytes) -> None:
    """gw-ratelimit-* is decimal milliseconds; "²", Arabic-Indic or full-width digits are not."""
    body = envelope(None, code="400100", msg="bad")
    with respx.mock(base_url=BASE_URL) as router:
        router.route().mock(side_effect=_answer(400, body, {"gw-ratelimit-reset": value}))
        error = _call(twin, "cancel_all_orders")
    assert isinstance(error, KucoinAPIError)
    assert error.rate_limit.reset_ms is None


@twins
@pytest.mark.parametrize(
    ("exc", "kind", "timeout"),
    [
        (httpx.ConnectError("refused"), APIConnectionError, False),
        (httpx.ReadTimeout("slow"), APITimeoutError, True),
        (httpx.ConnectTimeout("slow"), APITimeoutError, True),
        (httpx.RemoteProtocolError("dropped"), APIConnectionError, False),
    ],
)
def test_transport_failures_are_connection_errors(
    twin: Twin, exc: Exception, kind: type[APIConnectionError], timeout: bool
) -> None:
    with respx.mock(base_url=BASE_URL) as router:
        router.route().mock(side_effect=exc)
        error = _call(twin, "cancel_order_by_order_id")
    assert isinstance(error, kind)
    assert isinstance(error, APITimeoutError) is timeout
    assert error.__cause__ is exc
    assert error.method == "DELETE"
    assert error.path == "/api/v1/hf/orders/671124f9365ccb00073debd4"


@twins
@pytest.mark.parametrize("second_code", ["200000", "400002"])
def test_stale_timestamp_resyncs_the_clock_and_resends_once(twin: Twin, second_code: str) -> None:
    """400002 (timestamp outside 5 s): measure KuCoin's clock, re-sign, resend once, no more."""
    local, server = 1_700_000_000_000, 1_700_000_007_000
    stale = envelope(None, code="400002", msg="KC-API-TIMESTAMP Invalid")
    answers = [
        httpx.Response(401, content=stale),
        httpx.Response(200, content=envelope({"succeedSymbols": [], "failedSymbols": []}))
        if second_code == "200000"
        else httpx.Response(401, content=stale),
    ]
    with respx.mock(base_url=BASE_URL) as router:
        clock = router.get("/api/v1/timestamp").respond(
            200, json={"code": "200000", "data": server}
        )
        cancel = router.delete("/api/v1/hf/orders/cancelAll").mock(side_effect=answers)
        try:
            outcome = twin.call(
                "cancel_all_orders", client_kwargs={"keys": KEYS, "clock": lambda: local}
            )
        except OrderCancelError as exc:
            outcome = exc
    assert clock.call_count == 1
    first, second = (call.request for call in cancel.calls)
    assert first.headers["KC-API-TIMESTAMP"] == str(local)
    assert second.headers["KC-API-TIMESTAMP"] == str(server)
    assert verify_signed(second, KEYS) == []
    if second_code == "200000":
        assert outcome == CancelAllResult((), ())
    else:
        assert isinstance(outcome, KucoinAuthenticationError)
        assert outcome.code == "400002"
