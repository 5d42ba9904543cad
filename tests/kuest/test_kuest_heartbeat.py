"""Kuest heartbeats (`POST /heartbeats`, `postHeartbeat`) and the keeper, on both twins.

Facts from Kuest's published file and its clients: the body is `{"heartbeat_id": null}` for the
first heartbeat, then the id the previous answer named (`{"heartbeat_id": "<id>"}`); a wrong id
is answered 400 `{"error": "Invalid Heartbeat ID", "heartbeat_id": "<current>"}` (Kuest's Python
client's example); Kuest cancels every open order when heartbeats stop for about 10 s. Signatures
are checked by the independent oracle of support.kuest_oracle.
"""

from __future__ import annotations

import asyncio
import json
import logging
import math
import threading
import time
from collections.abc import Callable
from typing import Any

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st
from ordercancel import (
    ConfigurationError,
    InvalidRequest,
    KuestAPIError,
    KuestAuthenticationError,
    KuestInvalidHeartbeatId,
    KuestServerError,
    KuestUnexpectedResponse,
    OrderCancelError,
    RateLimiter,
)
from ordercancel._limiter import Booking
from support.kuest import BASE_URL, FIXED_S, KEYS, PROPERTY, Twin, compact, twins
from support.kuest_oracle import signing_problems, wire_path

HEARTBEATS = f"{BASE_URL}/heartbeats"
UUID = "7f335bb3-36cb-433d-b8ff-4f9a2233d833"
heartbeat_ids = st.one_of(
    st.uuids().map(str),
    st.text(st.characters(min_codepoint=0x21, max_codepoint=0x7E), min_size=1, max_size=256),
)


def _beat(twin: Twin, answers: list[httpx.Response], *args: Any, **client: Any) -> Any:
    """`heartbeat(*args)` answered by `answers` in turn: (result or error, requests sent)."""
    with respx.mock(assert_all_called=False) as router:
        route = router.route().mock(side_effect=answers)
        try:
            outcome = twin.call("heartbeat", *args, client_kwargs=client)
        except OrderCancelError as exc:
            outcome = exc
    return outcome, [call.request for call in route.calls]


def ok(heartbeat_id: str) -> httpx.Response:
    return httpx.Response(200, json={"heartbeat_id": heartbeat_id})


def invalid(current: str) -> httpx.Response:
    return httpx.Response(400, json={"error": "Invalid Heartbeat ID", "heartbeat_id": current})


# --- the wire ------------------------------------------------------------------------------------


@twins
@PROPERTY
@given(sent=st.one_of(st.none(), heartbeat_ids), answered=heartbeat_ids)
def test_a_heartbeat_posts_the_id_signed_over_the_exact_body(
    twin: Twin, sent: str | None, answered: str
) -> None:
    outcome, requests = _beat(twin, [ok(answered)], sent)
    assert outcome == answered
    [request] = requests
    assert (request.method, str(request.url)) == ("POST", HEARTBEATS)
    assert request.content == compact({"heartbeat_id": sent})
    assert signing_problems(request, KEYS, FIXED_S) == []


@twins
def test_the_first_heartbeat_sends_null(twin: Twin) -> None:
    _, [request] = _beat(twin, [ok(UUID)])
    assert request.content == b'{"heartbeat_id":null}'


@twins
@pytest.mark.parametrize("path", ["/v1/heartbeats", "/heartbeats", "/api/v2/heart-beats"])
def test_the_path_is_configurable_and_signed(twin: Twin, path: str) -> None:
    _, [request] = _beat(twin, [ok(UUID)], UUID, heartbeat_path=path)
    assert str(request.url) == BASE_URL + path
    assert wire_path(request) == path
    assert signing_problems(request, KEYS, FIXED_S) == []


@twins
@pytest.mark.parametrize(
    "path", ["heartbeats", "/a?b=c", "/a#b", "/a/../cancel-all", "/a b", "", "/", "//x", 7]
)
def test_a_bad_path_is_a_configuration_error(twin: Twin, path: Any) -> None:
    with pytest.raises(ConfigurationError):
        twin.make(heartbeat_path=path)


@twins
@pytest.mark.parametrize("heartbeat_id", ["", " ", "a b", "x" * 257, "é", 7, b"id", ["id"]])
def test_a_bad_id_is_refused_unsent(twin: Twin, heartbeat_id: Any) -> None:
    outcome, requests = _beat(twin, [ok(UUID)], heartbeat_id)
    assert isinstance(outcome, InvalidRequest)
    assert requests == []


@twins
def test_heartbeats_skip_the_rate_limiter(twin: Twin) -> None:
    """A heartbeat waiting behind cancels for the limiter would get every order cancelled."""

    class Counting(RateLimiter):
        calls = 0

        def book(self, weight: int = 1, *, max_wait: float | None = None) -> Booking:
            Counting.calls += 1
            return super().book(weight, max_wait=max_wait)

    outcome, _ = _beat(twin, [ok(UUID)], rate_limiter=Counting(1, 3600))
    assert outcome == UUID
    assert Counting.calls == 0


# --- Invalid Heartbeat ID -------------------------------------------------------------------------


@twins
def test_invalid_heartbeat_id_is_answered_by_continuing_with_the_named_id(twin: Twin) -> None:
    outcome, requests = _beat(twin, [invalid(UUID), ok("next-id")], "stale-id")
    assert outcome == "next-id"
    assert [json.loads(r.content) for r in requests] == [
        {"heartbeat_id": "stale-id"},
        {"heartbeat_id": UUID},
    ]
    assert all(signing_problems(r, KEYS, FIXED_S) == [] for r in requests)


@twins
def test_invalid_heartbeat_id_is_answered_once_only(twin: Twin) -> None:
    outcome, requests = _beat(twin, [invalid(UUID), invalid("other"), ok("never")], "stale-id")
    assert isinstance(outcome, KuestInvalidHeartbeatId)
    assert isinstance(outcome, KuestAPIError)
    assert outcome.heartbeat_id == "other"
    assert outcome.status_code == 400
    assert len(requests) == 2


ANSWERS = [
    pytest.param(httpx.Response(200, json={}), KuestUnexpectedResponse, id="200-no-id"),
    pytest.param(
        httpx.Response(200, json={"heartbeat_id": ""}), KuestUnexpectedResponse, id="200-empty-id"
    ),
    pytest.param(
        httpx.Response(200, json={"heartbeat_id": 7}), KuestUnexpectedResponse, id="200-number-id"
    ),
    pytest.param(
        httpx.Response(200, json={"heartbeat_id": UUID, "error": "heartbeats off"}),
        KuestUnexpectedResponse,
        id="200-with-an-error",
    ),
    pytest.param(
        httpx.Response(200, json={"success": True}), KuestUnexpectedResponse, id="200-success"
    ),
    pytest.param(httpx.Response(200, content=b""), KuestUnexpectedResponse, id="200-empty"),
    pytest.param(httpx.Response(200, content=b"<html>"), KuestUnexpectedResponse, id="200-html"),
    pytest.param(
        httpx.Response(400, json={"error": "Invalid Heartbeat ID"}),
        KuestAPIError,
        id="400-invalid-without-id",
    ),
    pytest.param(
        httpx.Response(400, json={"error": "bad body", "heartbeat_id": UUID}),
        KuestAPIError,
        id="400-other",
    ),
    pytest.param(
        httpx.Response(401, json={"error": "Unauthenticated"}), KuestAuthenticationError, id="401"
    ),
    pytest.param(httpx.Response(500, json={"error": "down"}), KuestServerError, id="500"),
    # 403/404/409 leaves speak of orders ("order not found"): not what they mean here.
    pytest.param(httpx.Response(404, json={"error": "Not Found"}), KuestAPIError, id="404"),
    pytest.param(httpx.Response(404, content=b"<html>"), KuestAPIError, id="404-html"),
    pytest.param(httpx.Response(403, json={"error": "geoblocked"}), KuestAPIError, id="403"),
    pytest.param(httpx.Response(409, json={"error": "conflict"}), KuestAPIError, id="409"),
]


@twins
@pytest.mark.parametrize(("answer", "kind"), ANSWERS)
def test_anything_but_an_id_is_a_typed_error(
    twin: Twin, answer: httpx.Response, kind: type[Exception]
) -> None:
    outcome, requests = _beat(twin, [answer, ok("never")], UUID)
    assert type(outcome) is kind
    assert not isinstance(outcome, KuestInvalidHeartbeatId)
    assert len(requests) == 1


# --- the keeper ---------------------------------------------------------------------------------


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Wait (at most 20 s: a liveness bound, not a timing assertion) for `condition`."""
    deadline = time.monotonic() + 20
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.002)


async def await_until(condition: Callable[[], bool], what: str) -> None:
    deadline = time.monotonic() + 20
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        await asyncio.sleep(0.002)


class FakeHeartbeats:
    """Answers heartbeat n with `script[n]` when given, a 503 when n is in `failing`, else a
    fresh id "id-n"."""

    def __init__(
        self,
        failing: frozenset[int] = frozenset(),
        script: dict[int, httpx.Response] | None = None,
    ) -> None:
        self.failing = failing
        self.script = script or {}
        self.requests: list[httpx.Request] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.requests.append(request)
            number = len(self.requests)
        if number in self.script:
            return self.script[number]
        if number in self.failing:
            return httpx.Response(503, json={"error": "busy"})
        return ok(f"id-{number}")

    @property
    def sent_ids(self) -> list[str | None]:
        return [json.loads(r.content)["heartbeat_id"] for r in self.requests]


def keep(twin: Twin, fake: FakeHeartbeats, until: Callable[[Any], bool], **kw: Any) -> Any:
    """Hold the twin's keeper until `until(keeper)`; return the keeper."""
    with respx.mock() as router:
        router.route().mock(side_effect=fake)
        if not twin.is_async:
            with twin.make() as kq, kq.keep_alive(**kw) as keeper:
                wait_until(lambda: until(keeper), "the keeper's condition")
            return keeper

        async def run() -> Any:
            async with twin.make() as kq, kq.keep_alive(**kw) as keeper:
                await await_until(lambda: until(keeper), "the keeper's condition")
            return keeper

        return asyncio.run(run())


# The beat of the tests that count failures or check the ids in order: a beat not answered within
# the interval is abandoned and counts as failed, and under load (coverage on, the CPU shared)
# 0.2 s was exceeded. Liveness-only tests may beat faster.
BEAT_S = 0.5


@twins
def test_the_keeper_chains_the_ids(twin: Twin) -> None:
    fake = FakeHeartbeats()
    keeper = keep(twin, fake, lambda k: k.renewals >= 3, interval_s=BEAT_S)
    sent = fake.sent_ids
    assert sent[0] is None
    assert sent[1:] == [f"id-{n}" for n in range(1, len(sent))]  # each answer's id, next
    assert keeper.heartbeat_id == f"id-{len(sent)}"
    assert all(signing_problems(r, KEYS, FIXED_S) == [] for r in fake.requests)
    assert (keeper.failures, keeper.last_error) == (0, None)


@twins
def test_failed_heartbeats_are_reported_and_beating_goes_on(
    twin: Twin, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeHeartbeats(failing=frozenset({2}))
    seen: list[Any] = []

    def failed_then_recovered(k: Any) -> bool:
        if k.failures == 1 and not seen:
            seen.append(k.last_error)
        return k.failures == 1 and k.renewals >= 2

    with caplog.at_level(logging.WARNING, logger="ordercancel"):
        keeper = keep(twin, fake, failed_then_recovered, interval_s=BEAT_S)
    assert isinstance(seen[0], KuestServerError)
    assert keeper.last_error is None
    assert fake.sent_ids[1] == fake.sent_ids[2] == "id-1"  # the failed id is sent again
    [warning] = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert "Kuest heartbeat failed" in warning.message
    assert "cancels every open order" in warning.message


@twins
def test_a_first_heartbeat_that_fails_raises(twin: Twin) -> None:
    fake = FakeHeartbeats(failing=frozenset({1}))
    with pytest.raises(KuestServerError):
        keep(twin, fake, lambda k: True, interval_s=0.01)
    assert len(fake.requests) == 1


@twins
@pytest.mark.parametrize("interval", [0, -1, 10, 11, math.inf, math.nan, True, "5"], ids=repr)
def test_a_bad_interval_is_refused_before_anything_is_sent(twin: Twin, interval: Any) -> None:
    """Kuest cancels after about 10 s without a heartbeat: 10 s or more is no keeper at all."""
    with respx.mock(assert_all_called=False) as router:
        route = router.route().mock(side_effect=FakeHeartbeats())
        client: Any = twin.make()
        with pytest.raises(InvalidRequest):
            client.keep_alive(interval)
        twin.close(client)
    assert route.call_count == 0


@twins
def test_the_keeper_continues_with_the_id_kuest_names_after_a_refused_resync(twin: Twin) -> None:
    fake = FakeHeartbeats(script={2: invalid("current"), 3: invalid("named")})
    keeper = keep(twin, fake, lambda k: k.failures == 1 and k.renewals >= 1, interval_s=BEAT_S)
    assert keeper.last_error is None
    assert fake.sent_ids[:4] == [None, "id-1", "current", "named"]
