"""Logging of attempts and retries, and no secret in any log record (a property over secrets)."""

from __future__ import annotations

import asyncio
import base64
import logging
import re
import string
import time

import httpx
import pytest
import respx
import stamina
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    KucoinKeys,
    KucoinRateLimited,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
    KuestKeys,
    RetryPolicy,
)
from support import kucoin_oracle

SYM = "BTC-USDT"
OID = "64b0c0ffee0000000000abcd"
KQ_OID = "0x" + "ab" * 32
KC_KEYS = KucoinKeys(api_key="k-123", api_secret="s3cr3t-kucoin", api_passphrase="pass-phrase")
KQ_KEYS = KuestKeys(
    address="0x" + "11" * 20,
    api_key="00000000-1111-2222-3333-444444444444",
    api_secret=base64.b64encode(b"kuest secret bytes, thirty-two!!").decode(),
    api_passphrase="kuest-pass",
)
FOUR = RetryPolicy(attempts=4)
DURATION = re.compile(r"\d+(\.\d+)?\s*ms")


def kc(status, code="200000", remaining=None, reset=None, data=None):
    headers = {"gw-ratelimit-limit": "4000"}
    if remaining is not None:
        headers["gw-ratelimit-remaining"] = str(remaining)
    if reset is not None:
        headers["gw-ratelimit-reset"] = str(reset)
    body = {"code": code, "data": data if data is not None else {"orderId": OID}}
    if code != "200000":
        body = {"code": code, "msg": "failed " + code}
    return httpx.Response(status, json=body, headers=headers)


class Script:
    """respx router answering each request with the next step; remembers what was sent."""

    def __init__(self, *steps):
        self.steps = list(steps)
        self.sent: list[httpx.Request] = []
        self.router = respx.MockRouter(assert_all_called=False)
        self.router.route().mock(side_effect=self._answer)

    def _answer(self, request):
        self.sent.append(request)
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, type):
            raise step("scripted failure", request=request)
        return httpx.Response(step.status_code, headers=step.headers, content=step.content)

    def transport(self):
        return httpx.MockTransport(self.router.handler)


def test_kucoin_one_debug_line_per_attempt_and_one_warning_per_retry(connect, record_logs):
    script = Script(kc(503, "500000", remaining=17), httpx.ConnectError, kc(200, remaining=15))
    driver = connect("kucoin", keys=KC_KEYS, transport=script.transport())
    with record_logs() as rec, stamina.set_testing(True, attempts=3):
        driver.call("cancel_order_by_order_id", OID, SYM)
    debug = [r.getMessage() for r in rec.at(logging.DEBUG)]
    warnings = [r.getMessage() for r in rec.at(logging.WARNING)]
    assert len(script.sent) == 3
    assert len(debug) == 3, debug
    assert len(warnings) == 2, warnings
    path = f"/api/v1/hf/orders/{OID}"
    for number, (line, status, remaining) in enumerate(
        zip(debug, ["503", "ConnectError", "200"], ["17", "-", "15"], strict=True), start=1
    ):
        assert "DELETE" in line
        assert path in line
        assert status in line
        assert DURATION.search(line), line
        assert f"attempt {number}" in line
        assert f"remaining {remaining}" in line
    assert all("cancel_order_by_order_id" in w for w in warnings)
    assert "503" in warnings[0] or "ServerError" in warnings[0]
    assert "ConnectError" in warnings[1]


def test_kuest_one_debug_line_per_attempt_and_one_warning_per_retry(connect, record_logs):
    ok = httpx.Response(200, json={"canceled": [KQ_OID], "not_canceled": {}})
    script = Script(httpx.Response(500, json={"error": "boom"}), ok)
    driver = connect("kuest", keys=KQ_KEYS, transport=script.transport())
    with record_logs() as rec, stamina.set_testing(True, attempts=3):
        driver.call("cancel_order", KQ_OID)
    debug = [r.getMessage() for r in rec.at(logging.DEBUG)]
    warnings = [r.getMessage() for r in rec.at(logging.WARNING)]
    assert len(debug) == 2, debug
    assert len(warnings) == 1, warnings
    for number, (line, status) in enumerate(zip(debug, ["500", "200"], strict=True), start=1):
        assert "DELETE" in line
        assert "/order" in line
        assert status in line
        assert DURATION.search(line), line
        assert f"attempt {number}" in line
        assert "remaining -" in line


def test_kucoin_stale_timestamp_resync_is_logged(connect, record_logs):
    from ordercancel.testing import KucoinExchange

    exchange = KucoinExchange()
    exchange.clock_skew_s = 10
    order = exchange.add_order()
    driver = connect("kucoin", keys=exchange.keys, transport=exchange.transport())
    with record_logs() as rec:
        driver.call("cancel_order_by_order_id", order.order_id, SYM)
    debug = [r.getMessage() for r in rec.at(logging.DEBUG)]
    assert len(debug) == 3  # DELETE 401, GET 200, DELETE 200
    assert "GET /api/v1/timestamp" in debug[1]
    assert len(rec.at(logging.WARNING)) == 1


def test_warnings_announce_only_retries_that_happen(connect, record_logs):
    """A WARNING says "retrying": the number of warnings is the number of retries sent."""
    script = Script(kc(429, "429000", reset=400))
    policy = RetryPolicy(attempts=3, total_timeout=0.2, max_rate_limit_wait=1.0)
    driver = connect("kucoin", keys=KC_KEYS, transport=script.transport(), retry=policy)
    with record_logs() as rec, stamina.set_testing(False), pytest.raises(KucoinRateLimited):
        driver.call("cancel_order_by_order_id", OID, SYM)
    warnings = [r.getMessage() for r in rec.at(logging.WARNING)]
    assert len(warnings) == len(script.sent) - 1, (len(script.sent), warnings)


# ---------------------------------------------------------------------------------------------
# No secret in any record: a property over random credentials, through retries of every kind
# ---------------------------------------------------------------------------------------------

# Each secret holds one of "!@#", which no legitimate log text contains: a random secret that
# happens to spell a class name ("KucoinServerErro") must not look like a leak.
SECRET_TEXT = st.text(
    string.ascii_letters + string.digits + "+/=-_!@#", min_size=16, max_size=48
).filter(lambda text: any(mark in text for mark in "!@#"))
SECRETS_PROPERTY = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _kucoin_steps():
    return [
        kc(503, "500000", remaining=3),
        httpx.ConnectError,
        kc(429, "429000", remaining=0, reset=1),
        kc(401, "400002"),  # stale: resync, then retry once
        kc(200, data=1_700_000_000_000),  # the server time
        kc(200, remaining=2),
    ]


@SECRETS_PROPERTY
@given(secret=SECRET_TEXT, passphrase=SECRET_TEXT, use_async=st.booleans())
def test_kucoin_logs_never_hold_a_secret(record_logs, secret, passphrase, use_async):
    keys = KucoinKeys(api_key="visible-key", api_secret=secret, api_passphrase=passphrase)
    script = Script(*_kucoin_steps())
    with record_logs() as rec, stamina.set_testing(True, attempts=4):
        if use_async:

            async def run():
                async with AsyncKucoinSpotCancelOrder(
                    keys=keys, transport=script.transport(), retry=FOUR
                ) as kc_client:
                    await kc_client.cancel_order_by_order_id(OID, SYM)

            asyncio.run(run())
        else:
            with KucoinSpotCancelOrder(
                keys=keys, transport=script.transport(), retry=FOUR
            ) as kc_client:
                kc_client.cancel_order_by_order_id(OID, SYM)
    signed = [r for r in script.sent if "KC-API-SIGN" in r.headers]
    assert len(signed) >= 5
    sensitive = [secret, passphrase, kucoin_oracle.passphrase_header(keys)]
    sensitive += [r.headers["KC-API-SIGN"] for r in signed]
    sensitive += [r.headers["KC-API-PASSPHRASE"] for r in signed]
    assert len(rec.records) >= 6
    assert rec.leaked(sensitive) == []


@SECRETS_PROPERTY
@given(
    raw_secret=st.binary(min_size=16, max_size=48),
    passphrase=SECRET_TEXT,
    use_async=st.booleans(),
)
def test_kuest_logs_never_hold_a_secret(record_logs, raw_secret, passphrase, use_async):
    secret = base64.urlsafe_b64encode(raw_secret).decode()
    keys = KuestKeys(
        address="0x" + "22" * 20,
        api_key="visible-key",
        api_secret=secret,
        api_passphrase=passphrase,
    )
    ok = httpx.Response(200, json={"canceled": [KQ_OID], "not_canceled": {}})
    script = Script(
        httpx.Response(500, json={"error": "boom"}),
        httpx.ConnectTimeout,
        httpx.Response(429, json={"error": "slow"}, headers={"Retry-After": "0"}),
        ok,
    )
    with record_logs() as rec, stamina.set_testing(True, attempts=4):
        if use_async:

            async def run():
                async with AsyncKuestCancelOrder(
                    keys=keys, transport=script.transport(), retry=FOUR
                ) as kq:
                    await kq.cancel_order(KQ_OID)

            asyncio.run(run())
        else:
            with KuestCancelOrder(keys=keys, transport=script.transport(), retry=FOUR) as kq:
                kq.cancel_order(KQ_OID)
    assert len(script.sent) == 4
    sensitive = [secret, secret.rstrip("="), passphrase]
    sensitive += [r.headers["KUEST_SIGNATURE"] for r in script.sent]
    sensitive += [r.headers["KUEST_SIGNATURE"].rstrip("=") for r in script.sent]
    assert len(rec.records) >= 7
    assert rec.leaked(sensitive) == []


def test_debug_logging_logs_each_of_200_attempts(connect, record_logs):
    """200 logged attempts through the in-process transport, one DEBUG record each. The time is
    printed, not asserted (a "< 5 s" bound took 5.2 s under load: a red run)."""
    script = Script(kc(200, remaining=1))
    driver = connect("kucoin", keys=KC_KEYS, transport=script.transport())
    started = time.perf_counter()
    with record_logs() as rec:
        for _ in range(200):
            driver.call("cancel_order_by_order_id", OID, SYM)
    print(f"200 attempts with DEBUG logging: {time.perf_counter() - started:.2f} s")
    assert len(rec.at(logging.DEBUG)) == 200
