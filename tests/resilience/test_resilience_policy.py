"""The retry policy, unit by unit, for both venues and both twins (sync and async).

Answers are scripted with respx (a router behind httpx.MockTransport) or come from the in-process
simulator. Retry counts use stamina's test mode (no sleeps); waits, attempts and the total timeout
use stamina's real mode with tiny backoffs, since test mode zeroes every wait and drops the timeout.
"""

from __future__ import annotations

import contextlib
import itertools
import json
import time
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import httpx
import pytest
import respx
import stamina
from ordercancel import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    KucoinAPIError,
    KucoinKeys,
    KucoinOrderNotCancellable,
    KucoinRateLimited,
    KuestAPIError,
    KuestKeys,
    KuestRateLimited,
    OrderCancelAccepted,
    OrderGoneAfterRetry,
    OrderNotCancellable,
    RateLimitInfo,
    RetryPolicy,
    ServerError,
    UnexpectedResponse,
)
from ordercancel._http import DEFAULT_TIMEOUT
from ordercancel.testing import KucoinExchange, KuestExchange
from support import kucoin_oracle, kuest_oracle

SYM = "BTC-USDT"
OID = "64b0c0ffee0000000000abcd"
KQ_OID = "0x" + "ab" * 32
KC_KEYS = KucoinKeys(api_key="k-123", api_secret="s3cr3t-kucoin", api_passphrase="pass-phrase")
KQ_KEYS = KuestKeys(
    address="0x" + "11" * 20,
    api_key="00000000-1111-2222-3333-444444444444",
    api_secret="c2VjcmV0LWt1ZXN0LWJ5dGVzLTMyLWxvbmctZW5vdWdoIQ==",
    api_passphrase="kuest-pass",
)
# Real-mode policy with waits small enough to run, large enough to measure.
FAST = RetryPolicy(attempts=3, backoff_initial=0.001, backoff_max=0.002, backoff_jitter=0.0)


# ---------------------------------------------------------------------------------------------
# Scripted venues
# ---------------------------------------------------------------------------------------------


class Script:
    """Each request takes the next step (the last repeats): an httpx.Response or an error class."""

    def __init__(self, *steps: Any) -> None:
        self.steps = list(steps)
        self.router = respx.MockRouter(assert_all_called=False)
        self.route = self.router.route().mock(side_effect=self._answer)

    def _answer(self, request: httpx.Request) -> httpx.Response:
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, type) and issubclass(step, Exception):
            raise step("scripted failure", request=request)
        assert isinstance(step, httpx.Response)
        return httpx.Response(step.status_code, headers=step.headers, content=step.content)

    @property
    def requests(self) -> list[httpx.Request]:
        return [call.request for call in self.route.calls]

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self.router.handler)


def kc(status: int = 200, code: str = "200000", data: Any = None, msg: str = "", **headers: str):
    body: dict[str, Any] = {"code": code}
    body["data" if code == "200000" else "msg"] = (
        data if code == "200000" else msg or "error " + code
    )
    return httpx.Response(
        status, json=body, headers={k.replace("_", "-"): v for k, v in headers.items()}
    )


def kc_ok() -> httpx.Response:
    return kc(data={"orderId": OID})


def kq(status: int = 200, payload: Any = None, headers: dict[str, str] | None = None):
    if payload is None:
        payload = {"canceled": [KQ_OID], "not_canceled": {}} if status == 200 else {"error": "x"}
    return httpx.Response(status, content=json.dumps(payload).encode(), headers=headers or {})


def open_scripted(connect, venue: str, script: Script, **kwargs: Any):
    keys = KC_KEYS if venue == "kucoin" else KQ_KEYS
    return connect(venue, keys=keys, transport=script.transport(), **kwargs)


def cancel(driver) -> Any:
    if driver.venue == "kucoin":
        return driver.call("cancel_order_by_order_id", OID, SYM)
    return driver.call("cancel_order", KQ_OID)


def cancel_sim_order(driver, order) -> Any:
    if driver.venue == "kucoin":
        return driver.call("cancel_order_by_order_id", order.order_id, SYM)
    return driver.call("cancel_order", order.order_id)


def ok_answer(venue: str) -> httpx.Response:
    return kc_ok() if venue == "kucoin" else kq()


def server_error(venue: str) -> httpx.Response:
    return kc(503, "500000") if venue == "kucoin" else kq(500, {"error": "Internal server error"})


@contextlib.contextmanager
def waits_recorded() -> Iterator[list[float]]:
    """The waits stamina schedules (its on-retry instrumentation), in order."""
    waits: list[float] = []
    old = stamina.instrumentation.get_on_retry_hooks()
    stamina.instrumentation.set_on_retry_hooks([lambda details: waits.append(details.wait_for)])
    try:
        yield waits
    finally:
        stamina.instrumentation.set_on_retry_hooks(old)


VENUES = pytest.mark.parametrize("venue", ["kucoin", "kuest"])


# ---------------------------------------------------------------------------------------------
# What is retried, what is not
# ---------------------------------------------------------------------------------------------


@VENUES
@pytest.mark.parametrize("failure", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
def test_connection_failure_before_send_is_retried(connect, venue, failure):
    script = Script(failure, ok_answer(venue))
    driver = open_scripted(connect, venue, script)
    with stamina.set_testing(True, attempts=3):
        result = cancel(driver)
    assert len(script.requests) == 2
    assert getattr(result, "order_id", None) == (OID if venue == "kucoin" else KQ_OID)


@VENUES
def test_connection_failure_on_every_attempt_is_raised_as_not_sent(connect, venue):
    script = Script(httpx.ConnectError)
    driver = open_scripted(connect, venue, script)
    with stamina.set_testing(True, attempts=3), pytest.raises(APIConnectionError) as info:
        cancel(driver)
    assert len(script.requests) == 3
    assert info.value.request_sent is False


AFTER_SEND = pytest.mark.parametrize(
    ("failure", "error"),
    [
        (httpx.ReadTimeout, APITimeoutError),
        (httpx.WriteTimeout, APITimeoutError),
        (httpx.RemoteProtocolError, APIConnectionError),
        (httpx.ReadError, APIConnectionError),
    ],
)


@VENUES
@AFTER_SEND
def test_full_cancel_failure_after_send_is_retried(connect, venue, failure, error):
    """A full cancel is idempotent in effect: a failure that may have landed is retried."""
    script = Script(failure, ok_answer(venue))
    driver = open_scripted(connect, venue, script)
    with stamina.set_testing(True, attempts=3):
        result = cancel(driver)
    assert len(script.requests) == 2
    assert getattr(result, "order_id", None) == (OID if venue == "kucoin" else KQ_OID)


@VENUES
@AFTER_SEND
def test_full_cancel_failure_after_send_on_every_attempt_is_raised_as_sent(
    connect, venue, failure, error
):
    script = Script(failure)
    driver = open_scripted(connect, venue, script)
    with stamina.set_testing(True, attempts=3), pytest.raises(error) as info:
        cancel(driver)
    assert len(script.requests) == 3
    assert info.value.request_sent is True
    if error is APIConnectionError:
        assert not isinstance(info.value, APITimeoutError)


@AFTER_SEND
def test_kucoin_partial_cancel_failure_after_send_is_not_retried(connect, failure, error):
    """A partial cancel is not idempotent: once it may have landed it is never sent again."""
    script = Script(failure, kc(data={"orderId": OID, "cancelSize": "0.5"}))
    driver = open_scripted(connect, "kucoin", script)
    with stamina.set_testing(True, attempts=3), pytest.raises(error) as info:
        driver.call("cancel_partial_order", OID, SYM, "0.5")
    assert len(script.requests) == 1
    assert info.value.request_sent is True
    if error is APIConnectionError:
        assert not isinstance(info.value, APITimeoutError)


@VENUES
def test_dropped_connection_after_the_venue_applied_it_is_retried_and_gone(connect, venue):
    exchange = KucoinExchange() if venue == "kucoin" else KuestExchange()
    order = exchange.add_order()
    exchange.faults.drop(when="after")
    driver = connect(venue, keys=exchange.keys, transport=exchange.transport())
    with stamina.set_testing(True, attempts=3), pytest.raises(OrderGoneAfterRetry) as info:
        cancel_sim_order(driver, order)
    assert isinstance(info.value.earlier, APIConnectionError)
    assert info.value.earlier.request_sent is True
    assert isinstance(info.value.final, OrderNotCancellable)
    assert len(exchange.received) == 2
    assert exchange.order(order.order_id).state in ("cancelled", "canceled")


@pytest.mark.parametrize("when", ["before", "after"])
def test_kucoin_partial_cancel_dropped_is_sent_once(connect, when):
    exchange = KucoinExchange()
    order = exchange.add_order(SYM, "2")
    exchange.faults.drop(when=when)
    driver = connect("kucoin", keys=exchange.keys, transport=exchange.transport())
    with stamina.set_testing(True, attempts=3), pytest.raises(APIConnectionError) as info:
        driver.call("cancel_partial_order", order.order_id, SYM, "0.5")
    assert info.value.request_sent is True
    assert exchange.faults.pending == 0
    assert len(exchange.received) == (1 if when == "after" else 0)  # no second request
    assert exchange.order(order.order_id).canceled_size == (
        Decimal("0.5") if when == "after" else 0
    )


def test_rate_limit_hint_kucoin_is_waited_in_milliseconds(connect):
    script = Script(kc(429, "429000", gw_ratelimit_reset="150"), kc_ok())
    driver = open_scripted(connect, "kucoin", script, retry=FAST)
    with stamina.set_testing(False), waits_recorded() as waits:
        started = time.perf_counter()
        cancel(driver)
        elapsed = time.perf_counter() - started
    assert len(script.requests) == 2
    assert waits == [pytest.approx(0.150, abs=0.002)]
    assert elapsed >= 0.149


def test_rate_limit_hint_kuest_is_waited_in_seconds(connect):
    script = Script(kq(429, {"error": "Too Many Requests"}, {"Retry-After": "1"}), kq())
    driver = open_scripted(connect, "kuest", script, retry=FAST)
    with stamina.set_testing(False), waits_recorded() as waits:
        started = time.perf_counter()
        cancel(driver)
        elapsed = time.perf_counter() - started
    assert len(script.requests) == 2
    assert waits == [pytest.approx(1.0, abs=0.002)]
    assert elapsed >= 0.99


@VENUES
def test_rate_limit_hint_longer_than_allowed_is_raised_at_once(connect, venue):
    answer = (
        kc(429, "429000", gw_ratelimit_reset="5000")
        if venue == "kucoin"
        else kq(429, {"error": "Too Many Requests"}, {"Retry-After": "5"})
    )
    script = Script(answer, ok_answer(venue))
    policy = RetryPolicy(attempts=3, max_rate_limit_wait=1.0, backoff_initial=0.001)
    driver = open_scripted(connect, venue, script, retry=policy)
    started = time.perf_counter()
    with (
        stamina.set_testing(False),
        waits_recorded() as waits,
        pytest.raises((KucoinRateLimited, KuestRateLimited)) as info,
    ):
        cancel(driver)
    assert waits == []  # no retry scheduled
    # It did not sit out the 5 s hint (a bound with seconds to spare: a loaded CI machine took
    # more than the 0.5 s this said before).
    assert time.perf_counter() - started < 4.0
    assert len(script.requests) == 1
    assert info.value.retry_after == pytest.approx(5.0)


def test_kuest_rate_limit_without_hint_is_retried_with_backoff(connect):
    script = Script(kq(429, {"error": "Too Many Requests"}), kq())
    driver = open_scripted(connect, "kuest", script)
    with stamina.set_testing(True, attempts=3):
        cancel(driver)
    assert len(script.requests) == 2


@VENUES
def test_server_errors_are_retried_with_growing_backoff(connect, venue):
    script = Script(server_error(venue), server_error(venue), ok_answer(venue))
    policy = RetryPolicy(attempts=3, backoff_initial=0.04, backoff_max=1.0, backoff_jitter=0.0)
    driver = open_scripted(connect, venue, script, retry=policy)
    with stamina.set_testing(False), waits_recorded() as waits:
        started = time.perf_counter()
        cancel(driver)
        elapsed = time.perf_counter() - started
    assert len(script.requests) == 3
    assert waits == [pytest.approx(0.04, abs=0.002), pytest.approx(0.08, abs=0.002)]
    assert elapsed >= 0.119


def test_kucoin_internal_error_code_under_http_200_is_retried(connect):
    script = Script(kc(200, "500000"), kc_ok())
    driver = open_scripted(connect, "kucoin", script)
    with stamina.set_testing(True, attempts=3):
        cancel(driver)
    assert len(script.requests) == 2


@pytest.mark.parametrize(
    ("answer", "error"),
    [
        (
            kc(200, "400100", msg="order_not_exist_or_not_allow_to_cancel"),
            KucoinOrderNotCancellable,
        ),
        (kc(400, "400100", msg="Parameter [symbol] is invalid"), KucoinAPIError),
        (kc(401, "400005"), AuthenticationError),
        (kc(401, "400003"), AuthenticationError),
        (kc(404, "404000", msg="Url Not Found"), KucoinAPIError),
        (kc(415, "415000"), KucoinAPIError),
        (httpx.Response(200, content=b""), UnexpectedResponse),
        (httpx.Response(200, content=b"<html>hi</html>"), UnexpectedResponse),
    ],
)
def test_kucoin_other_answers_are_not_retried(connect, answer, error):
    script = Script(answer, kc_ok())
    driver = open_scripted(connect, "kucoin", script)
    with stamina.set_testing(True, attempts=3), pytest.raises(error):
        cancel(driver)
    assert len(script.requests) == 1


@pytest.mark.parametrize(
    ("status", "message"),
    [
        (400, "Invalid order payload"),
        (401, "Unauthenticated"),
        (403, "Order belongs to another user"),
        (404, "Order not found"),
        (409, "Order is already filled or cancelled."),
        (422, "Unprocessable"),
    ],
)
def test_kuest_other_4xx_are_not_retried(connect, status, message):
    script = Script(kq(status, {"error": message}), kq())
    driver = open_scripted(connect, "kuest", script)
    with stamina.set_testing(True, attempts=3), pytest.raises(KuestAPIError) as info:
        cancel(driver)
    assert len(script.requests) == 1
    assert info.value.status_code == status


# ---------------------------------------------------------------------------------------------
# Every attempt signed afresh; attempts=1; total timeout
# ---------------------------------------------------------------------------------------------


def test_kucoin_every_attempt_is_signed_afresh(connect):
    clock = itertools.count(1_700_000_000_000, 1_000)
    script = Script(kc(503, "500000"), httpx.ConnectError, kc(503, "500000"), kc_ok())
    driver = open_scripted(connect, "kucoin", script, clock=lambda: next(clock))
    with stamina.set_testing(True, attempts=4):
        cancel(driver)
    sent = script.requests
    assert len(sent) == 4
    stamps = [r.headers["KC-API-TIMESTAMP"] for r in sent]
    signs = [r.headers["KC-API-SIGN"] for r in sent]
    assert [int(s) for s in stamps] == sorted({int(s) for s in stamps})  # distinct, advancing
    assert len(set(signs)) == 4
    for request in sent:
        assert kucoin_oracle.verify_signed(request, KC_KEYS) == []


def test_kuest_every_attempt_is_signed_afresh(connect):
    clock = itertools.count(1_700_000_000, 1)
    script = Script(kq(500), httpx.ConnectTimeout, kq(502), kq())
    driver = open_scripted(connect, "kuest", script, clock=lambda: next(clock))
    with stamina.set_testing(True, attempts=4):
        cancel(driver)
    sent = script.requests
    assert len(sent) == 4
    stamps = [int(r.headers["KUEST_TIMESTAMP"]) for r in sent]
    assert stamps == sorted(set(stamps))
    assert len({r.headers["KUEST_SIGNATURE"] for r in sent}) == 4
    for request in sent:
        assert kuest_oracle.signing_problems(request, KQ_KEYS) == []


@VENUES
@pytest.mark.parametrize("first", ["server_error", "connect_error", "short_rate_limit"])
def test_attempts_one_means_exactly_one_request(connect, venue, first):
    answer = {
        "server_error": server_error(venue),
        "connect_error": httpx.ConnectError,
        "short_rate_limit": kc(429, "429000", gw_ratelimit_reset="1")
        if venue == "kucoin"
        else kq(429, {"error": "slow down"}, {"Retry-After": "0"}),
    }[first]
    script = Script(answer, ok_answer(venue))
    driver = open_scripted(connect, venue, script, retry=RetryPolicy(attempts=1))
    with (
        stamina.set_testing(False),
        pytest.raises((ServerError, APIConnectionError, KucoinRateLimited, KuestRateLimited)),
    ):
        cancel(driver)
    assert len(script.requests) == 1


@VENUES
def test_total_timeout_bounds_a_call(connect, venue):
    script = Script(server_error(venue))
    # Without the bound, 10 000 attempts would take over 8 minutes. The margins are wide (a
    # loaded CI machine sent a single request in the 0.3 s total this had before).
    policy = RetryPolicy(
        attempts=10_000, total_timeout=1.0, backoff_initial=0.02, backoff_max=0.05, backoff_jitter=0
    )
    driver = open_scripted(connect, venue, script, retry=policy)
    started = time.perf_counter()
    with stamina.set_testing(False), pytest.raises(ServerError):
        cancel(driver)
    elapsed = time.perf_counter() - started
    assert 1 < len(script.requests) < 100
    assert elapsed < 1.0 + 0.05 + 3.0


@VENUES
def test_no_retry_starts_after_the_total_timeout(connect, venue):
    """RetryPolicy.total_timeout: "no retry starts after it", even after a rate-limit hint."""
    # A hint within max_rate_limit_wait that ends after total_timeout. The first attempt has the
    # whole second to start (a loaded machine can take longer than 0.3 s to get there).
    answer = (
        kc(429, "429000", gw_ratelimit_reset="1800")
        if venue == "kucoin"
        else kq(429, {"error": "Too Many Requests"}, {"Retry-After": "2"})
    )
    script = Script(answer)
    policy = RetryPolicy(attempts=3, total_timeout=1.0, max_rate_limit_wait=3.0)
    driver = open_scripted(connect, venue, script, retry=policy)
    started = time.perf_counter()
    starts: list[float] = []
    script.route.side_effect = _timing(script, starts, started)
    with stamina.set_testing(False), pytest.raises((KucoinRateLimited, KuestRateLimited)):
        cancel(driver)
    late = [round(s, 3) for s in starts if s > policy.total_timeout]
    assert late == [], f"attempts started at {starts} s, after total_timeout=1.0 s"


def _timing(script: Script, starts: list[float], started: float):
    answer = script._answer

    def timed(request: httpx.Request) -> httpx.Response:
        starts.append(time.perf_counter() - started)
        return answer(request)

    return timed


# ---------------------------------------------------------------------------------------------
# A retry that finds the order gone
# ---------------------------------------------------------------------------------------------


@VENUES
def test_server_error_then_not_cancellable_is_order_gone_after_retry(connect, venue):
    exchange = KucoinExchange() if venue == "kucoin" else KuestExchange()
    order = exchange.add_order()
    exchange.faults.server_error(when="after")  # the cancel lands, its answer is a 503
    driver = connect(venue, keys=exchange.keys, transport=exchange.transport())
    with stamina.set_testing(True, attempts=3), pytest.raises(OrderGoneAfterRetry) as info:
        cancel_sim_order(driver, order)
    gone = info.value
    assert not isinstance(gone, OrderNotCancellable)
    assert isinstance(gone.earlier, ServerError)
    assert gone.earlier.status_code == 503
    assert isinstance(gone.final, OrderNotCancellable)
    assert len(exchange.received) == 2
    assert exchange.order(order.order_id).state in ("cancelled", "canceled")


@VENUES
def test_server_error_before_then_success_is_success(connect, venue):
    exchange = KucoinExchange() if venue == "kucoin" else KuestExchange()
    order = exchange.add_order()
    exchange.faults.server_error(when="before")
    driver = connect(venue, keys=exchange.keys, transport=exchange.transport())
    with stamina.set_testing(True, attempts=3):
        result = cancel_sim_order(driver, order)
    assert result.order_id == order.order_id
    assert exchange.order(order.order_id).state in ("cancelled", "canceled")


@VENUES
@pytest.mark.parametrize("first", ["none", "rate_limited", "connect_error"])
def test_not_cancellable_without_a_possibly_landed_attempt_stays_plain(connect, venue, first):
    not_cancellable = (
        kc(200, "400100", msg="order_not_exist_or_not_allow_to_cancel")
        if venue == "kucoin"
        else kq(404, {"error": "Order not found"})
    )
    rate_limited = (
        kc(429, "429000", gw_ratelimit_reset="1")
        if venue == "kucoin"
        else kq(429, {"error": "x"}, {"Retry-After": "0"})
    )
    steps = {"none": [], "rate_limited": [rate_limited], "connect_error": [httpx.ConnectError]}
    script = Script(*steps[first], not_cancellable)
    driver = open_scripted(connect, venue, script)
    with stamina.set_testing(True, attempts=3), pytest.raises(OrderNotCancellable) as info:
        cancel(driver)
    assert not isinstance(info.value, OrderGoneAfterRetry)


def test_kucoin_partial_cancel_retried_after_a_landed_5xx_never_cancels_more_than_asked(connect):
    """A partial cancel is not idempotent: a retry after a 5xx that landed cancels twice."""
    exchange = KucoinExchange()
    order = exchange.add_order(SYM, "2")
    exchange.faults.server_error(when="after")
    driver = connect("kucoin", keys=exchange.keys, transport=exchange.transport())
    outcome: Any
    with stamina.set_testing(True, attempts=3):
        try:
            outcome = driver.call("cancel_partial_order", order.order_id, SYM, "0.5")
        except Exception as exc:
            outcome = exc
    canceled = exchange.order(order.order_id).canceled_size
    assert str(canceled) in ("0.5", "0.50"), (
        f"asked to cancel 0.5, the venue cancelled {canceled}; the client reported {outcome!r}"
    )


@pytest.mark.parametrize("first", ["503", "429"])
def test_kuest_batch_cancel_is_retried_like_a_single_cancel(connect, first):
    ids = [KQ_OID, "0x" + "cd" * 32]
    failed = (
        kq(503, {"error": "Internal server error"})
        if first == "503"
        else kq(429, {"error": "Too Many Requests"}, {"Retry-After": "0"})
    )
    script = Script(failed, kq(200, {"canceled": ids, "not_canceled": {}}))
    driver = open_scripted(connect, "kuest", script)
    with stamina.set_testing(True, attempts=3):
        outcomes = driver.call("cancel_orders", ids, batch=True)
    assert [o.order_id for o in outcomes] == ids
    assert [o.error for o in outcomes] == [None, None], f"{len(script.requests)} request(s) sent"


def test_kuest_batch_5xx_that_landed_then_not_cancellable_is_order_gone(connect):
    exchange = KuestExchange()
    orders = [exchange.add_order() for _ in range(3)]
    exchange.faults.server_error(when="after")
    driver = connect("kuest", keys=exchange.keys, transport=exchange.transport())
    with stamina.set_testing(True, attempts=3):
        outcomes = driver.call("cancel_orders", [o.order_id for o in orders], batch=True)
    assert all(exchange.order(o.order_id).state == "canceled" for o in orders)
    for outcome in outcomes:
        # Never "not cancellable" for an order our own earlier attempt cancelled.
        assert outcome.ok or not isinstance(outcome.error, OrderNotCancellable), outcome
        assert outcome.ok or isinstance(outcome.error, OrderGoneAfterRetry | ServerError), outcome


# ---------------------------------------------------------------------------------------------
# KuCoin clock: 400002, sync_time, offsets
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("skew", [10.0, -10.0])
def test_kucoin_stale_timestamp_resyncs_once_and_retries_once(connect, skew):
    exchange = KucoinExchange()
    exchange.clock_skew_s = skew
    order = exchange.add_order()
    driver = connect("kucoin", keys=exchange.keys, transport=exchange.transport())
    with stamina.set_testing(True, attempts=3):
        result = driver.call("cancel_order_by_order_id", order.order_id, SYM)
    assert result.order_id == order.order_id
    got = [(r.method, r.raw_target.partition("?")[0], r.code) for r in exchange.received]
    path = f"/api/v1/hf/orders/{order.order_id}"
    assert got == [
        ("DELETE", path, "400002"),
        ("GET", "/api/v1/timestamp", "200000"),
        ("DELETE", path, "200000"),
    ]
    assert driver.client.clock_offset_ms == pytest.approx(skew * 1000, abs=1500)
    assert exchange.order(order.order_id).state == "cancelled"


def test_kucoin_stale_timestamp_twice_is_raised_after_one_resync(connect):
    stale = kc(401, "400002")
    server_time = kc(data=1_700_000_000_000)
    sent: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        sent.append(f"{request.method} {request.url.path}")
        picked = server_time if request.method == "GET" else stale
        return httpx.Response(picked.status_code, headers=picked.headers, content=picked.content)

    router = respx.MockRouter(assert_all_called=False)
    router.route().mock(side_effect=answer)
    driver = connect("kucoin", keys=KC_KEYS, transport=httpx.MockTransport(router.handler))
    with stamina.set_testing(True, attempts=3), pytest.raises(AuthenticationError) as info:
        cancel(driver)
    assert info.value.code == "400002"
    assert sent == [
        f"DELETE /api/v1/hf/orders/{OID}",
        "GET /api/v1/timestamp",
        f"DELETE /api/v1/hf/orders/{OID}",
    ]


def test_kucoin_sync_time_measures_the_offset_from_server_time(connect):
    server_ms = 1_700_000_012_345
    ticks = itertools.count(1_700_000_000_000, 40)  # 40 ms per reading
    readings: list[int] = []

    def clock() -> int:
        readings.append(next(ticks))
        return readings[-1]

    script = Script(kc(data=server_ms), kc_ok())
    driver = open_scripted(connect, "kucoin", script, clock=clock)
    offset = driver.call("sync_time")
    before, after = readings[0], readings[-1]
    assert server_ms - after <= offset <= server_ms - before
    assert driver.client.clock_offset_ms == offset
    assert script.requests[0].method == "GET"
    assert script.requests[0].url.path == "/api/v1/timestamp"
    cancel(driver)
    signed = script.requests[1]
    stamp = int(signed.headers["KC-API-TIMESTAMP"])
    assert stamp == readings[-1] + offset  # the clock reading of the cancel, shifted
    assert abs(stamp - server_ms) <= 200
    assert kucoin_oracle.verify_signed(signed, KC_KEYS) == []


@pytest.mark.parametrize("skew", [10.0, -7.5])
def test_kucoin_sync_time_against_the_simulator(connect, skew):
    exchange = KucoinExchange()
    exchange.clock_skew_s = skew
    driver = connect("kucoin", keys=exchange.keys, transport=exchange.transport())
    offset = driver.call("sync_time")
    assert offset == pytest.approx(skew * 1000, abs=250)


def test_kucoin_rate_limit_headers_are_readable(connect):
    script = Script(
        kc(data={"orderId": OID}, gw_ratelimit_limit="4000", gw_ratelimit_remaining="3999",
           gw_ratelimit_reset="29000"),
        kc(429, "429000", gw_ratelimit_limit="4000", gw_ratelimit_remaining="0",
           gw_ratelimit_reset="12345"),
    )  # fmt: skip
    driver = open_scripted(connect, "kucoin", script, retry=RetryPolicy(attempts=1))
    assert driver.client.rate_limit == RateLimitInfo()
    cancel(driver)
    assert driver.client.rate_limit == RateLimitInfo(limit=4000, remaining=3999, reset_ms=29000)
    with pytest.raises(KucoinRateLimited) as info:
        cancel(driver)
    assert driver.client.rate_limit == RateLimitInfo(limit=4000, remaining=0, reset_ms=12345)
    assert info.value.rate_limit == RateLimitInfo(limit=4000, remaining=0, reset_ms=12345)


def test_kucoin_rate_limit_follows_the_simulator(connect):
    exchange = KucoinExchange(spot_quota=50)
    orders = [exchange.add_order() for _ in range(3)]
    driver = connect("kucoin", keys=exchange.keys, transport=exchange.transport())
    driver.call("cancel_order_by_order_id", orders[0].order_id, SYM)
    driver.call("cancel_partial_order", orders[1].order_id, SYM, "0.5")
    info = driver.client.rate_limit
    assert (info.limit, info.remaining) == (50, 47)
    assert 0 < info.reset_ms <= 30_000


# ---------------------------------------------------------------------------------------------
# Timeouts: explicit defaults, overridable
# ---------------------------------------------------------------------------------------------


def test_default_timeouts_are_explicit():
    assert isinstance(DEFAULT_TIMEOUT, httpx.Timeout)
    assert DEFAULT_TIMEOUT.as_dict() == {"connect": 5.0, "read": 10.0, "write": 10.0, "pool": 10.0}
    policy = RetryPolicy()
    assert 0 < policy.total_timeout < float("inf")
    assert policy.attempts >= 1
    assert 0 < policy.max_rate_limit_wait <= policy.total_timeout


@VENUES
def test_default_timeout_reaches_every_request(connect, venue):
    script = Script(ok_answer(venue))
    driver = open_scripted(connect, venue, script)
    assert driver.client.timeout == DEFAULT_TIMEOUT
    assert driver.client.retry == RetryPolicy()
    cancel(driver)
    assert script.requests[0].extensions["timeout"] == DEFAULT_TIMEOUT.as_dict()


@VENUES
def test_timeout_and_total_timeout_are_overridable(connect, venue):
    script = Script(ok_answer(venue))
    timeout = httpx.Timeout(0.25, connect=0.1)
    policy = RetryPolicy(total_timeout=1.5)
    driver = open_scripted(connect, venue, script, timeout=timeout, retry=policy)
    cancel(driver)
    assert script.requests[0].extensions["timeout"] == {
        "connect": 0.1,
        "read": 0.25,
        "write": 0.25,
        "pool": 0.25,
    }
    assert policy.stamina_arguments()["timeout"] == 1.5


@VENUES
def test_a_read_timeout_from_a_slow_venue_is_retried_and_the_retry_cancels(connect, venue):
    exchange = KucoinExchange() if venue == "kucoin" else KuestExchange()
    order = exchange.add_order()
    exchange.faults.delay(0.5, when="before")  # the first attempt times out, never applied
    driver = connect(
        venue, keys=exchange.keys, transport=exchange.transport(), timeout=httpx.Timeout(0.1)
    )
    with stamina.set_testing(True, attempts=3):
        result = cancel_sim_order(driver, order)
    assert result.order_id == order.order_id
    assert exchange.faults.pending == 0
    assert exchange.order(order.order_id).state in ("cancelled", "canceled")


def test_a_read_timeout_on_a_partial_cancel_is_raised_not_retried(connect):
    exchange = KucoinExchange()
    order = exchange.add_order(SYM, "2")
    exchange.faults.delay(0.5, when="before")
    driver = connect(
        "kucoin", keys=exchange.keys, transport=exchange.transport(), timeout=httpx.Timeout(0.1)
    )
    started = time.perf_counter()
    with stamina.set_testing(True, attempts=3), pytest.raises(APITimeoutError) as info:
        driver.call("cancel_partial_order", order.order_id, SYM, "0.5")
    assert time.perf_counter() - started < 0.45
    assert info.value.request_sent is True
    assert exchange.received == []  # one request, and a "before" delay never applied it
    assert exchange.order(order.order_id).canceled_size == 0


def test_cancel_result_type_is_the_documented_one(connect):
    script = Script(kc_ok())
    driver = open_scripted(connect, "kucoin", script)
    assert isinstance(cancel(driver), OrderCancelAccepted)
