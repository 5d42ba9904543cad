"""KuCoin Disconnection Protection (operations 021, 022) and the keeper guard, on both twins.

Facts from KuCoin's published file: `POST /api/v1/hf/orders/dead-cancel-all` with the JSON body
`{"timeout": <int seconds: -1 or 5..86400>, "symbols": "<at most 50, comma-separated>"}` (empty
symbols: every pair) answers `{"currentTime", "triggerTime"}` in seconds; `GET
.../dead-cancel-all/query` answers the setting, an empty `data` when none is set. The body is
signed with the rest; the oracle checks it independently of the wrapper's signer.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
import math
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import httpx
import pytest
import respx
import yaml
from hypothesis import given
from hypothesis import strategies as st
from ordercancel import (
    DisconnectProtectionArmed,
    DisconnectProtectionSetting,
    InvalidRequest,
    KucoinKeys,
    KucoinServerError,
    KucoinUnexpectedResponse,
    OrderCancelError,
    RateLimiter,
    RetryPolicy,
)
from ordercancel._limiter import Booking
from support.kucoin import (
    ASYNC,
    BASE_URL,
    HEAVY_PROPERTY,
    PROPERTY,
    SPEC_PATH,
    Twin,
    envelope,
    twins,
)
from support.kucoin_oracle import raw_target, verify_signed
from support.kucoin_strategies import keys, symbols, timestamps

KEYS = KucoinKeys(api_key="k", api_secret="s", api_passphrase="p")
SET_PATH = "/api/v1/hf/orders/dead-cancel-all"
GET_PATH = "/api/v1/hf/orders/dead-cancel-all/query"


def compact(payload: Any) -> bytes:
    """JSON without spaces, as the request body must be sent (and signed)."""
    return json.dumps(payload, separators=(",", ":")).encode()


def fake_dcp(request: httpx.Request) -> httpx.Response:
    """A stand-in KuCoin for the two DCP endpoints: times from the body's timeout."""
    if request.method == "GET" and raw_target(request) == GET_PATH:
        return httpx.Response(200, content=envelope({}))
    if request.method != "POST" or raw_target(request) != SET_PATH:
        return httpx.Response(404, content=b"<html>404</html>")
    timeout = json.loads(request.content)["timeout"]
    if timeout == -1:
        return httpx.Response(200, content=envelope({}))
    return httpx.Response(
        200, content=envelope({"currentTime": 1729656588, "triggerTime": 1729656588 + timeout})
    )


def _sent(twin: Twin, method: str, *args: Any, **kwargs: Any) -> tuple[Any, list[httpx.Request]]:
    """Call once against `fake_dcp`: (the result or error, the requests that went out)."""
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        route = router.route().mock(side_effect=fake_dcp)
        try:
            outcome = twin.call(method, *args, client_kwargs={"keys": KEYS, **kwargs})
        except OrderCancelError as exc:
            outcome = exc
    return outcome, [call.request for call in route.calls]


# --- the wire ------------------------------------------------------------------------------------

valid_timeouts = st.one_of(st.sampled_from([5, 30, 86400]), st.integers(5, 86400))
symbol_lists = st.lists(symbols, max_size=50, unique=True)


@twins
@HEAVY_PROPERTY
@given(timeout=valid_timeouts, wanted=symbol_lists, key=keys(), now=timestamps)
def test_set_sends_seconds_and_comma_joined_symbols_signed_over_the_body(
    twin: Twin, timeout: int, wanted: list[str], key: KucoinKeys, now: int
) -> None:
    with respx.mock(base_url=BASE_URL) as router:
        route = router.route().mock(side_effect=fake_dcp)
        result = twin.call(
            "set_disconnect_protection",
            timeout,
            wanted,
            client_kwargs={"keys": key, "clock": lambda: now},
        )
    assert route.call_count == 1
    request = route.calls.last.request
    assert (request.method, raw_target(request)) == ("POST", SET_PATH)
    assert request.content == compact({"timeout": timeout, "symbols": ",".join(wanted)})
    assert verify_signed(request, key) == []
    assert request.headers["KC-API-TIMESTAMP"] == str(now)
    assert result == DisconnectProtectionArmed(1729656588, 1729656588 + timeout)


@twins
def test_clear_sends_timeout_minus_one_alone(twin: Twin) -> None:
    outcome, sent = _sent(twin, "clear_disconnect_protection")
    assert outcome is None
    [request] = sent
    assert (request.method, raw_target(request)) == ("POST", SET_PATH)
    assert request.content == b'{"timeout":-1}'
    assert verify_signed(request, KEYS) == []


@twins
def test_set_minus_one_is_a_clear(twin: Twin) -> None:
    outcome, sent = _sent(twin, "set_disconnect_protection", -1)
    assert outcome is None
    assert [r.content for r in sent] == [b'{"timeout":-1}']


@twins
def test_get_is_a_signed_get_without_body(twin: Twin) -> None:
    outcome, sent = _sent(twin, "get_disconnect_protection")
    assert outcome is None
    [request] = sent
    assert (request.method, raw_target(request), request.content) == ("GET", GET_PATH, b"")
    assert verify_signed(request, KEYS) == []


@twins
def test_duplicate_symbols_are_sent_once_in_order(twin: Twin) -> None:
    _, sent = _sent(twin, "set_disconnect_protection", 10, ["ETH-USDT", "BTC-USDT", "ETH-USDT"])
    assert [r.content for r in sent] == [b'{"timeout":10,"symbols":"ETH-USDT,BTC-USDT"}']


# --- input: nothing is sent on bad input ---------------------------------------------------------


def _accepted(timeout: int) -> bool:
    """KuCoin's rule: "timeout=-1 (meaning unset) or 5 <= timeout <= 86400" seconds."""
    return timeout == -1 or 5 <= timeout <= 86400


@twins
@PROPERTY
@given(timeout=st.one_of(st.integers(-10, 100), st.integers(86_390, 90_000), st.integers()))
def test_a_timeout_is_sent_only_when_kucoin_accepts_it(twin: Twin, timeout: int) -> None:
    outcome, sent = _sent(twin, "set_disconnect_protection", timeout)
    if _accepted(timeout):
        assert len(sent) == 1
        assert json.loads(sent[0].content)["timeout"] == timeout
    else:
        assert isinstance(outcome, InvalidRequest)
        assert "seconds" in str(outcome)
        assert sent == []


NOT_INT_SECONDS = [30.0, 5.5, True, False, "30", None, Decimal(30), float("nan"), [30]]


@twins
@pytest.mark.parametrize("timeout", NOT_INT_SECONDS, ids=repr)
def test_a_timeout_that_is_not_an_int_is_refused_unsent(twin: Twin, timeout: Any) -> None:
    outcome, sent = _sent(twin, "set_disconnect_protection", timeout)
    assert isinstance(outcome, InvalidRequest)
    assert isinstance(outcome, ValueError)
    assert "seconds" in str(outcome)
    assert sent == []


@twins
@pytest.mark.parametrize("timeout", [0, 4, 86401, 60_000_000, -2], ids=repr)
def test_out_of_range_timeouts_say_seconds(twin: Twin, timeout: int) -> None:
    """60 000 000 would be "60 000 s" in milliseconds: the message says the unit."""
    outcome, sent = _sent(twin, "set_disconnect_protection", timeout)
    assert isinstance(outcome, InvalidRequest)
    assert "seconds" in str(outcome)
    assert sent == []


FIFTY = [f"C{i}-USDT" for i in range(50)]
BAD_SYMBOLS = [
    pytest.param("BTC-USDT", id="a-bare-str"),
    pytest.param(b"BTC-USDT", id="bytes"),
    pytest.param([*FIFTY, "C50-USDT"], id="51-symbols"),
    pytest.param(["btc-usdt"], id="lower-case"),
    pytest.param(["BTC-USDT,ETH-USDT"], id="a-comma-inside"),
    pytest.param(["BTC-USDT", ""], id="an-empty-one"),
    pytest.param([None], id="none"),
    pytest.param(7, id="an-int"),
]


@twins
@pytest.mark.parametrize("wanted", BAD_SYMBOLS)
def test_bad_symbols_are_refused_unsent(twin: Twin, wanted: Any) -> None:
    outcome, sent = _sent(twin, "set_disconnect_protection", 30, wanted)
    assert isinstance(outcome, InvalidRequest)
    assert sent == []


@twins
def test_fifty_symbols_are_allowed(twin: Twin) -> None:
    _, sent = _sent(twin, "set_disconnect_protection", 30, FIFTY)
    assert json.loads(sent[0].content)["symbols"].split(",") == FIFTY


@twins
def test_clearing_for_some_symbols_only_is_refused_unsent(twin: Twin) -> None:
    outcome, sent = _sent(twin, "set_disconnect_protection", -1, ["BTC-USDT"])
    assert isinstance(outcome, InvalidRequest)
    assert sent == []


# --- answers -------------------------------------------------------------------------------------

SPEC = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def _answered(twin: Twin, method: str, args: list[Any], data: Any, **extra: Any) -> Any:
    with respx.mock(base_url=BASE_URL) as router:
        router.route().respond(200, content=json.dumps({"code": "200000", **extra, "data": data}))
        try:
            return twin.call(method, *args, client_kwargs={"keys": KEYS})
        except OrderCancelError as exc:
            return exc


def _spec_data(path: str, method: str) -> Any:
    return SPEC["paths"][path][method]["responses"]["200"]["content"]["application/json"][
        "example"
    ]["data"]


@twins
def test_the_spec_examples_parse(twin: Twin) -> None:
    armed = _spec_data(SET_PATH, "post")
    assert _answered(twin, "set_disconnect_protection", [5], armed) == DisconnectProtectionArmed(
        armed["currentTime"], armed["triggerTime"]
    )
    setting = _spec_data(GET_PATH, "get")
    assert _answered(twin, "get_disconnect_protection", [], setting) == (
        DisconnectProtectionSetting(
            timeout_s=setting["timeout"],
            symbols=tuple(setting["symbols"].split(",")),
            current_time=setting["currentTime"],
            trigger_time=setting["triggerTime"],
        )
    )


@twins
@pytest.mark.parametrize(
    "data",
    [
        None,
        {},
        {"currentTime": 1},
        {"currentTime": 1, "triggerTime": "6"},
        {"currentTime": True, "triggerTime": 6},
        [1, 6],
    ],
    ids=repr,
)
def test_arming_without_both_times_is_an_error(twin: Twin, data: Any) -> None:
    """An armed switch is confirmed by KuCoin's trigger time, or it is not confirmed."""
    outcome = _answered(twin, "set_disconnect_protection", [30], data)
    assert isinstance(outcome, KucoinUnexpectedResponse)


@twins
@pytest.mark.parametrize("data", [None, {}, {"currentTime": 1, "triggerTime": 1}], ids=repr)
def test_clearing_accepts_an_empty_answer(twin: Twin, data: Any) -> None:
    assert _answered(twin, "clear_disconnect_protection", [], data) is None


@twins
@pytest.mark.parametrize("data", [None, {}, {"timeout": -1, "symbols": ""}], ids=repr)
def test_nothing_set_is_none(twin: Twin, data: Any) -> None:
    assert _answered(twin, "get_disconnect_protection", [], data) is None


@twins
def test_a_setting_for_every_symbol_has_no_symbols(twin: Twin) -> None:
    result = _answered(twin, "get_disconnect_protection", [], {"timeout": 30, "symbols": ""})
    assert result == DisconnectProtectionSetting(30, (), None, None)


@twins
@pytest.mark.parametrize(
    "data",
    [{"timeout": "30"}, {"timeout": 30, "symbols": ["A-B"]}, {"symbols": "A-B"}, [30], "30"],
    ids=repr,
)
def test_a_wrongly_shaped_setting_is_an_error(twin: Twin, data: Any) -> None:
    outcome = _answered(twin, "get_disconnect_protection", [], data)
    assert isinstance(outcome, KucoinUnexpectedResponse)


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


class FakeKucoinDcp:
    """Answers sets with times from a counter; the sets numbered in `failing` get a 503."""

    def __init__(self, failing: frozenset[int] = frozenset()) -> None:
        self.failing = failing
        self.sets: list[httpx.Request] = []
        self._lock = threading.Lock()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        with self._lock:
            self.sets.append(request)
            number = len(self.sets)
        if number in self.failing:
            return httpx.Response(503, json={"code": "500000", "msg": "busy"})
        timeout = json.loads(request.content)["timeout"]
        if timeout == -1:
            return httpx.Response(200, content=envelope({}))
        now = 1_000 * number
        return httpx.Response(
            200, content=envelope({"currentTime": now, "triggerTime": now + timeout})
        )

    @property
    def bodies(self) -> list[Any]:
        return [json.loads(r.content) for r in self.sets]


def keep(
    twin: Twin,
    fake: FakeKucoinDcp,
    until: Callable[[Any], bool],
    *,
    raise_inside: BaseException | None = None,
    client: dict[str, Any] | None = None,
    **guard: Any,
) -> Any:
    """Hold the twin's guard until `until(guard)`, then leave (raising `raise_inside`); `client`
    adds options to the client's."""
    held: list[Any] = []

    def leave(g: Any) -> None:
        held.append(g)
        if raise_inside is not None:
            raise raise_inside

    with respx.mock(base_url=BASE_URL) as router:
        router.route().mock(side_effect=fake)
        try:
            if not twin.is_async:
                with (
                    twin.make(keys=KEYS, **(client or {})) as kc,
                    kc.keep_disconnect_protection(**guard) as g,
                ):
                    wait_until(lambda: until(g), "the guard's condition")
                    leave(g)
            else:

                async def run() -> None:
                    async with (
                        twin.make(keys=KEYS, **(client or {})) as kc,
                        kc.keep_disconnect_protection(**guard) as g,
                    ):
                        await await_until(lambda: until(g), "the guard's condition")
                        leave(g)

                asyncio.run(run())
        except Exception as exc:
            if exc is not raise_inside:
                raise
    return held[0]


# The renewal interval of the tests that count failures or renewals exactly: a renewal not
# answered within it is abandoned and counts as failed, and under load (coverage on, the CPU
# shared) 0.2 s was exceeded. Liveness-only tests may renew faster.
RENEW_S = 0.5


@twins
def test_the_guard_arms_renews_and_clears_on_a_clean_exit(twin: Twin) -> None:
    fake = FakeKucoinDcp()
    guard = keep(
        twin,
        fake,
        lambda g: g.renewals >= 3,
        timeout_s=5,
        symbols=["BTC-USDT"],
        renew_every_s=RENEW_S,
    )
    bodies = fake.bodies
    assert bodies[-1] == {"timeout": -1}
    assert bodies[:-1] == [{"timeout": 5, "symbols": "BTC-USDT"}] * (len(bodies) - 1)
    assert len(bodies) - 1 == guard.renewals + 1  # the arm, then each renewal
    assert all(verify_signed(r, KEYS) == [] for r in fake.sets)
    last_set = len(bodies) - 1
    assert guard.trigger_time == 1_000 * last_set + 5
    assert (guard.failures, guard.last_error) == (0, None)


@twins
def test_the_guard_defaults_to_every_symbol_and_a_third_of_the_timeout(twin: Twin) -> None:
    fake = FakeKucoinDcp()
    guard = keep(twin, fake, lambda g: True, timeout_s=6)
    assert guard.renew_every_s == 2
    assert fake.bodies == [{"timeout": 6, "symbols": ""}, {"timeout": -1}]


@twins
def test_clear_on_exit_false_leaves_it_armed(twin: Twin) -> None:
    fake = FakeKucoinDcp()
    # 0.2 s, not 0.01: a renewal not answered within the interval is abandoned, and under load
    # 0.01 s abandoned every one, so that none ever counted.
    keep(twin, fake, lambda g: g.renewals >= 1, timeout_s=5, renew_every_s=0.2,
         clear_on_exit=False)  # fmt: skip
    assert all(body["timeout"] == 5 for body in fake.bodies)


@twins
def test_leaving_with_an_exception_leaves_it_armed(twin: Twin) -> None:
    """The bot's loop died: KuCoin must still cancel when the timer fires."""
    fake = FakeKucoinDcp()
    keep(twin, fake, lambda g: True, raise_inside=RuntimeError("bot crashed"), timeout_s=5)
    assert fake.bodies == [{"timeout": 5, "symbols": ""}]


@twins
def test_failed_renewals_are_reported_and_renewing_goes_on(
    twin: Twin, caplog: pytest.LogCaptureFixture
) -> None:
    fake = FakeKucoinDcp(failing=frozenset({2, 3}))
    seen: dict[str, Any] = {}

    def failing_then_recovered(g: Any) -> bool:
        if g.failures == 2 and "error" not in seen:
            seen["error"], seen["trigger"] = g.last_error, g.trigger_time
        return g.failures == 2 and g.renewals >= 2

    with caplog.at_level(logging.WARNING, logger="ordercancel"):
        # One attempt per renewal: each failing set is one failed renewal (at RENEW_S, unlike
        # 0.2 s, a retry's backoff can fit inside the renewal).
        guard = keep(
            twin,
            fake,
            failing_then_recovered,
            client={"retry": RetryPolicy(attempts=1)},
            timeout_s=5,
            renew_every_s=RENEW_S,
        )
    assert isinstance(seen["error"], KucoinServerError)
    assert seen["trigger"] == 1_000 + 5  # still the arm's: the renewals failed
    assert guard.last_error is None  # renewed since
    assert guard.trigger_time > seen["trigger"]
    warnings = [r for r in caplog.records if r.levelno == logging.WARNING]
    assert len([r for r in warnings if "Disconnection Protection renewal failed" in r.message]) == 2
    assert all("1005" in r.message for r in warnings)  # says when KuCoin will cancel


@twins
def test_a_first_arm_that_fails_raises_and_starts_nothing(twin: Twin) -> None:
    fake = FakeKucoinDcp(failing=frozenset({1}))
    before = {t.name for t in threading.enumerate()}
    with pytest.raises(KucoinServerError):
        keep(twin, fake, lambda g: True, timeout_s=5, renew_every_s=0.01)
    assert len(fake.sets) == 1
    assert {t.name for t in threading.enumerate()} - before == set()


BAD_GUARDS = [
    pytest.param({"timeout_s": -1}, id="clear-timeout"),
    pytest.param({"timeout_s": 4}, id="below-5"),
    pytest.param({"timeout_s": 30.0}, id="float-timeout"),
    pytest.param({"timeout_s": 86_401}, id="above-a-day"),
    pytest.param({"timeout_s": 30, "renew_every_s": 30}, id="renew-at-timeout"),
    pytest.param({"timeout_s": 30, "renew_every_s": 0}, id="renew-zero"),
    pytest.param({"timeout_s": 30, "renew_every_s": -1}, id="renew-negative"),
    pytest.param({"timeout_s": 30, "renew_every_s": True}, id="renew-bool"),
    pytest.param({"timeout_s": 30, "renew_every_s": math.nan}, id="renew-nan"),
    pytest.param({"timeout_s": 30, "symbols": "BTC-USDT"}, id="symbols-str"),
]


@twins
@pytest.mark.parametrize("settings", BAD_GUARDS)
def test_a_bad_guard_is_refused_before_anything_is_sent(
    twin: Twin, settings: dict[str, Any]
) -> None:
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        route = router.route().mock(side_effect=fake_dcp)
        client: Any = twin.make(keys=KEYS)
        with pytest.raises(InvalidRequest):
            client.keep_disconnect_protection(**settings)
        if twin.is_async:
            asyncio.run(client.aclose())
        else:
            client.close()
    assert route.call_count == 0


def test_the_results_read_as_sentences() -> None:
    """What `ordercancel kucoin dcp set|show` prints: the trigger time and what is covered."""
    armed = str(DisconnectProtectionArmed(current_time=1_000, trigger_time=1_030))
    assert "1030" in armed
    assert "30 s" in armed
    assert "every symbol" in str(DisconnectProtectionSetting(30, (), 1_000, 1_030))
    assert "BTC-USDT,ETH-USDT" in str(
        DisconnectProtectionSetting(30, ("BTC-USDT", "ETH-USDT"), 1_000, 1_030)
    )


CALLS = {
    "setDisconnectProtection": ("set_disconnect_protection", [30]),
    "getDisconnectProtection": ("get_disconnect_protection", []),
    "cancelOrderByOrderIdSync": ("cancel_order_by_order_id_sync", ["671124f9365ccb00", "A-B"]),
    "cancelOrderByClientOidSync": ("cancel_order_by_client_oid_sync", ["c1", "A-B"]),
}


@twins
@pytest.mark.parametrize("operation_id", CALLS)
def test_the_limiter_is_charged_the_spec_weight(twin: Twin, operation_id: str) -> None:
    weights = {
        op["operationId"]: op["x-rate-limit-weight"]
        for item in SPEC["paths"].values()
        for op in item.values()
    }
    charged: list[int] = []

    class Recording(RateLimiter):
        def book(self, weight: int = 1, *, max_wait: float | None = None) -> Booking:
            charged.append(weight)
            return super().book(weight, max_wait=max_wait)

    method, args = CALLS[operation_id]
    with respx.mock(base_url=BASE_URL) as router:
        router.route().respond(200, content=envelope({}))
        with contextlib.suppress(OrderCancelError):
            twin.call(
                method, *args, client_kwargs={"keys": KEYS, "rate_limiter": Recording(100, 1)}
            )
    assert charged == [weights[operation_id]]


def test_a_task_cancelled_inside_the_async_guard_stops_renewing_and_leaves_it_armed() -> None:
    """The bot's task is cancelled (a shutdown, a timeout): no renewal task is left behind, and
    the protection stays armed, so KuCoin cancels when it fires."""
    fake = FakeKucoinDcp()

    async def bot(kc: Any, ready: asyncio.Event) -> None:
        async with kc.keep_disconnect_protection(5, renew_every_s=0.2) as guard:
            await await_until(lambda: guard.renewals >= 2, "renewals")
            ready.set()
            await asyncio.Event().wait()  # the bot's work, forever

    async def run() -> set[str]:
        async with ASYNC.make(keys=KEYS) as kc:
            ready = asyncio.Event()
            task = asyncio.create_task(bot(kc, ready))
            await ready.wait()
            task.cancel()
            with pytest.raises(asyncio.CancelledError):
                await task
            return {t.get_name() for t in asyncio.all_tasks()}

    with respx.mock(base_url=BASE_URL) as router:
        router.route().mock(side_effect=fake)
        tasks = asyncio.run(run())
    assert not [name for name in tasks if name.startswith("ordercancel")]
    assert all(body["timeout"] == 5 for body in fake.bodies)
