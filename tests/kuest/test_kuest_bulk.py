"""Bulk cancel: one outcome per distinct id, in first-seen order, each with its own server's answer.

A respx Kuest answers each id (or each batch) with a behaviour drawn by hypothesis; the expected
outcome of each behaviour is the test's own table, from shared/api/kuest.md.
"""

from __future__ import annotations

import json
import threading
from collections import Counter
from dataclasses import dataclass
from typing import Any

import httpx
import respx
from hypothesis import given
from hypothesis import strategies as st
from ordercancel import (
    APIConnectionError,
    APITimeoutError,
    KuestAPIError,
    KuestAuthenticationError,
    KuestOrderNotCancellable,
    KuestOrderNotFound,
    KuestPermissionDenied,
    KuestRateLimited,
    KuestServerError,
    KuestUnexpectedResponse,
    OrderOutcome,
    RateLimiter,
)
from support.kuest import (
    BASE_URL,
    FIXED_S,
    HEAVY_PROPERTY,
    KEYS,
    Twin,
    compact,
    order_ids,
    twins,
)
from support.kuest_oracle import signing_problems

HTML = b"<html><head><title>502 Bad Gateway</title></head><body>cloudflare</body></html>"
REASON = "Order is already filled or cancelled."


@dataclass(frozen=True)
class Behaviour:
    """What the server does with one request, and what the outcome must then be."""

    status: int = 200
    body: bytes | None = None  # None: the documented report naming the request's ids
    raises: type[Exception] | None = None
    expect: type[Exception] | None = None  # None: the cancel succeeded
    exact: bool = True  # the error's class is exactly `expect` (else a subclass will do)


BEHAVIOURS: dict[str, Behaviour] = {
    "success": Behaviour(body=b'{"success": true}'),
    "canceled": Behaviour(),
    "empty": Behaviour(body=b""),
    "404": Behaviour(404, b'{"error": "Order not found"}', expect=KuestOrderNotFound),
    "409": Behaviour(409, json.dumps({"error": REASON}).encode(), expect=KuestOrderNotCancellable),
    "401": Behaviour(401, b'{"error": "Unauthenticated"}', expect=KuestAuthenticationError),
    "403": Behaviour(403, b'{"error": "not your order"}', expect=KuestPermissionDenied),
    "429": Behaviour(429, b'{"error": "Too Many Requests"}', expect=KuestRateLimited),
    "500": Behaviour(500, b'{"error": "Unable to cancel"}', expect=KuestServerError),
    "html-502": Behaviour(502, HTML, expect=KuestServerError),
    "html-200": Behaviour(200, HTML, expect=KuestUnexpectedResponse),
    "empty-503": Behaviour(503, b"", expect=KuestServerError),
    "not_canceled": Behaviour(body=b"not_canceled", expect=KuestAPIError, exact=False),
    "timeout": Behaviour(raises=httpx.ReadTimeout, expect=APITimeoutError, exact=False),
    "dropped": Behaviour(raises=httpx.RemoteProtocolError, expect=APIConnectionError),
    "refused": Behaviour(raises=httpx.ConnectError, expect=APIConnectionError),
}


def _report(ids: list[str], behaviour: Behaviour) -> bytes:
    if behaviour.body == b"not_canceled":
        return json.dumps({"canceled": [], "not_canceled": dict.fromkeys(ids, REASON)}).encode()
    return json.dumps({"canceled": ids, "not_canceled": {}}).encode()


def _respond(request: httpx.Request, ids: list[str], behaviour: Behaviour) -> httpx.Response:
    if behaviour.raises is not None:
        raise behaviour.raises("injected", request=request)
    body = behaviour.body
    if body is None or body == b"not_canceled":
        body = _report(ids, behaviour)
    return httpx.Response(behaviour.status, content=body)


def check_outcome(outcome: OrderOutcome, behaviour: Behaviour) -> None:
    """The outcome is what `behaviour` means for its id."""
    if behaviour.expect is None:
        assert outcome.ok, outcome
        assert outcome.error is None
        return
    assert not outcome.ok, outcome
    error = outcome.error
    assert isinstance(error, behaviour.expect), repr(error)
    if behaviour.exact and behaviour.expect is APIConnectionError:
        assert not isinstance(error, APITimeoutError), repr(error)
    elif behaviour.exact:
        assert type(error) is behaviour.expect, repr(error)
    if isinstance(error, KuestAPIError) and behaviour.body not in (None, b"not_canceled"):
        assert error.status_code == behaviour.status
        assert error.body == behaviour.body
    if behaviour.body == b"not_canceled":
        assert isinstance(error, KuestAPIError)
        assert error.error is not None
        assert REASON in error.error


@st.composite
def id_lists(draw: st.DrawFn, max_distinct: int = 8) -> list[str]:
    """Ids with duplicates: a few distinct ids, drawn repeatedly in any order."""
    pool = draw(st.lists(order_ids, min_size=1, max_size=max_distinct, unique=True))
    return draw(st.lists(st.sampled_from(pool), min_size=1, max_size=3 * len(pool)))


def _first_seen(ids: list[str]) -> list[str]:
    seen: list[str] = []
    for i in ids:
        if i not in seen:
            seen.append(i)
    return seen


@twins
@HEAVY_PROPERTY
@given(data=st.data(), ids=id_lists(), max_in_flight=st.integers(1, 4))
def test_each_id_gets_its_own_outcome(
    twin: Twin, data: st.DataObject, ids: list[str], max_in_flight: int
) -> None:
    distinct = _first_seen(ids)
    plan = {i: data.draw(st.sampled_from(sorted(BEHAVIOURS)), label=i) for i in distinct}
    requests: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        order_id = json.loads(request.content)["orderId"]
        return _respond(request, [order_id], BEHAVIOURS[plan[order_id]])

    with respx.mock(assert_all_called=False) as router:
        router.route().mock(side_effect=server)
        outcomes = twin.call("cancel_orders", ids, client_kwargs={"max_in_flight": max_in_flight})

    assert [o.order_id for o in outcomes] == distinct
    for outcome in outcomes:
        assert isinstance(outcome, OrderOutcome)
        check_outcome(outcome, BEHAVIOURS[plan[outcome.order_id]])
    sent = Counter(json.loads(r.content)["orderId"] for r in requests)
    assert sent == Counter(distinct)  # each distinct id exactly once
    for request in requests:
        assert (request.method, str(request.url)) == ("DELETE", f"{BASE_URL}/order")
        assert signing_problems(request, KEYS, FIXED_S) == []


_BATCH_FAILURES = sorted(k for k in BEHAVIOURS if k not in ("canceled", "not_canceled"))


@twins
@HEAVY_PROPERTY
@given(data=st.data(), ids=id_lists())
def test_batch_outcomes_follow_the_answer(twin: Twin, data: st.DataObject, ids: list[str]) -> None:
    distinct = _first_seen(ids)
    mode = data.draw(st.sampled_from(["report", *_BATCH_FAILURES]), label="answer")
    fate = {
        i: data.draw(st.sampled_from(["canceled", "not_canceled", "missing"]), label=i)
        for i in distinct
    }
    requests: list[httpx.Request] = []

    def server(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if mode != "report":
            return _respond(request, json.loads(request.content), BEHAVIOURS[mode])
        body = {
            "canceled": [i for i in distinct if fate[i] == "canceled"],
            "not_canceled": {i: REASON for i in distinct if fate[i] == "not_canceled"},
        }
        return httpx.Response(200, json=body)

    with respx.mock(assert_all_called=False) as router:
        router.route().mock(side_effect=server)
        outcomes = twin.call("cancel_orders", ids, batch=True)

    (request,) = requests
    assert (request.method, str(request.url)) == ("DELETE", f"{BASE_URL}/orders")
    assert request.content == compact(distinct)  # a bare JSON array, each id once
    assert signing_problems(request, KEYS, FIXED_S) == []
    assert [o.order_id for o in outcomes] == distinct
    for outcome in outcomes:
        if mode in ("404", "409"):
            # Kuest documents 404/409 for DELETE /order only: on the batch they name no order,
            # so they are unexpected (a wrong path prefix answers this way), never "not found".
            assert type(outcome.error) is KuestUnexpectedResponse, outcome
            assert outcome.error.status_code == int(mode)
        elif mode != "report":
            check_outcome(outcome, BEHAVIOURS[mode])
        elif fate[outcome.order_id] == "canceled":
            assert outcome.ok
        else:
            assert isinstance(outcome.error, KuestAPIError), outcome
            assert outcome.error.status_code == 200
            if fate[outcome.order_id] == "not_canceled":
                assert outcome.error.error is not None
                assert REASON in outcome.error.error


@twins
def test_batches_are_chunks_of_at_most_3000_and_one_failed_chunk_fails_only_its_ids(
    twin: Twin,
) -> None:
    distinct = [f"0x{n:064x}" for n in range(6001)]
    ids = distinct + distinct[:10]  # duplicates are cancelled once
    bodies: list[list[str]] = []
    lock = threading.Lock()

    def server(request: httpx.Request) -> httpx.Response:
        chunk = json.loads(request.content)
        with lock:
            bodies.append(chunk)
        if distinct[3000] in chunk:
            return httpx.Response(500, json={"error": "Unable to cancel"})
        return httpx.Response(200, json={"canceled": chunk, "not_canceled": {}})

    with respx.mock(assert_all_called=False) as router:
        router.route().mock(side_effect=server)
        outcomes = twin.call("cancel_orders", ids, batch=True)

    assert all(len(b) <= 3000 for b in bodies)
    assert sorted(i for b in bodies for i in b) == sorted(distinct)
    assert [o.order_id for o in outcomes] == distinct
    failed_chunk = next(set(b) for b in bodies if distinct[3000] in b)
    for outcome in outcomes:
        if outcome.order_id in failed_chunk:
            assert isinstance(outcome.error, KuestServerError)
        else:
            assert outcome.ok


class CountingLimiter(RateLimiter):
    """A fast limiter that records every reservation's weight."""

    def __init__(self) -> None:
        super().__init__(10_000, 1.0)
        self.weights: list[int] = []

    def book(self, weight: int = 1, **kwargs: Any) -> Any:
        self.weights.append(weight)
        return super().book(weight, **kwargs)


@twins
@HEAVY_PROPERTY
@given(ids=id_lists(), batch=st.booleans())
def test_every_request_is_paced_by_the_limiter(twin: Twin, ids: list[str], batch: bool) -> None:
    limiter = CountingLimiter()
    with respx.mock(assert_all_called=False) as router:
        route = router.route().respond(200, json={"success": True})
        twin.call("cancel_orders", ids, batch=batch, client_kwargs={"rate_limiter": limiter})
    assert route.call_count == (1 if batch else len(set(ids)))
    assert limiter.weights == [1] * route.call_count  # x-rate-limit-weight: 1 per request


@twins
def test_the_default_pace_is_100_per_minute(twin: Twin) -> None:
    client: Any = twin.make(rate_limiter=None)
    try:
        assert (client.rate_limiter.capacity, client.rate_limiter.period) == (100, 60.0)
    finally:
        twin.close(client)
