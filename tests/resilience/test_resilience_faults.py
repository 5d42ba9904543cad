"""Fault injection against the SERVED simulator, sync and async, for both venues.

Named scenarios (429 storms, 5xx bursts, drops before/after, slow answers, HTML and empty bodies,
skewed clocks) and seeded random mixes of per-request faults. For every run and every call:

- exactly one reported outcome per requested cancel (a result or one typed OrderCancelError; for
  Kuest `cancel_orders`, one OrderOutcome per distinct id, in order);
- the call ends within a bound computed from the policy;
- the simulator's order state agrees with what the client reported, and with the simulator's own
  record (`received`) of whether it applied the cancel;
- no secret (api secret, passphrase, derived passphrase header, any signature sent) in any log
  record at DEBUG.

Counts (runs, faults fired by kind, outcomes checked) go to the `fault_stats` fixture, printed in
the terminal summary and written as JSON under the pytest temporary directory.
"""

from __future__ import annotations

import asyncio
import collections
import logging
import random
import time
from decimal import Decimal
from typing import Any

import httpx
import pytest
import stamina
from ordercancel import (
    APIConnectionError,
    APITimeoutError,
    OrderCancelError,
    OrderGoneAfterRetry,
    OrderNotCancellable,
    RateLimiter,
    RetryPolicy,
)
from ordercancel._aiohttp import AiohttpTransport
from ordercancel.testing import Fault, KucoinExchange, KuestExchange
from support import kucoin_oracle

SYM = "BTC-USDT"
DELAY = 0.5
TIMEOUT = httpx.Timeout(0.2, connect=0.5)
POLICY = RetryPolicy(
    attempts=3,
    total_timeout=4.0,
    backoff_initial=0.01,
    backoff_max=0.05,
    backoff_jitter=0.01,
    max_rate_limit_wait=1.0,
)
PASS = Fault("delay", "before", seconds=0.0)  # a planned "no fault" keeps the plan aligned
OPEN = {"live", "partially_filled"}
DONE = {"cancelled", "canceled"}


def per_attempt_s() -> float:
    return TIMEOUT.connect + TIMEOUT.write + TIMEOUT.read + TIMEOUT.pool


def one_send_bound() -> float:
    waits = max(POLICY.max_rate_limit_wait, POLICY.backoff_max + POLICY.backoff_jitter)
    return POLICY.attempts * per_attempt_s() + (POLICY.attempts - 1) * waits


def call_bound(venue: str) -> float:
    """KuCoin may send twice (a stale timestamp: one resync GET, one more send)."""
    slack = 2.0
    if venue == "kucoin":
        return 2 * one_send_bound() + per_attempt_s() + slack
    return one_send_bound() + slack


# ---------------------------------------------------------------------------------------------
# Capturing what was sent (to know every signature) without changing the transport's behaviour
# ---------------------------------------------------------------------------------------------


class Capturing(httpx.BaseTransport, httpx.AsyncBaseTransport):
    def __init__(self, inner: Any, signatures: list[str]) -> None:
        self.inner = inner
        self.signatures = signatures

    def _note(self, request: httpx.Request) -> None:
        for name in ("KC-API-SIGN", "KC-API-PASSPHRASE", "KUEST_SIGNATURE", "KUEST_PASSPHRASE"):
            if name in request.headers:
                self.signatures.append(request.headers[name])

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self._note(request)
        return self.inner.handle_request(request)

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self._note(request)
        return await self.inner.handle_async_request(request)

    def close(self) -> None:
        self.inner.close()

    async def aclose(self) -> None:
        await self.inner.aclose()


# ---------------------------------------------------------------------------------------------
# One run
# ---------------------------------------------------------------------------------------------


class Run:
    """One served venue, one client (sync or async), a fault plan, and the checks of every call."""

    def __init__(
        self,
        venue: str,
        mode: str,
        exchange: Any,
        stats: Any,
        rec: Any,
        policy: RetryPolicy = POLICY,
        timeout: httpx.Timeout = TIMEOUT,
    ) -> None:
        self.venue, self.mode, self.exchange, self.stats, self.rec = (
            venue,
            mode,
            exchange,
            stats,
            rec,
        )
        self.signatures: list[str] = []
        self.plan: list[Fault] = []
        self.violations: list[str] = []
        self.loop = asyncio.new_event_loop() if mode == "async" else None
        inner = httpx.HTTPTransport() if mode == "sync" else AiohttpTransport()
        kwargs = {
            "keys": exchange.keys,
            "base_url": exchange.base_url,
            "timeout": timeout,
            "retry": policy,
            "transport": Capturing(inner, self.signatures),
        }
        if venue == "kuest":
            kwargs["rate_limiter"] = RateLimiter(10_000, 1.0)
            kwargs["max_in_flight"] = 4
        from ordercancel import (
            AsyncKucoinSpotCancelOrder,
            AsyncKuestCancelOrder,
            KucoinSpotCancelOrder,
            KuestCancelOrder,
        )

        cls = {
            ("kucoin", "sync"): KucoinSpotCancelOrder,
            ("kucoin", "async"): AsyncKucoinSpotCancelOrder,
            ("kuest", "sync"): KuestCancelOrder,
            ("kuest", "async"): AsyncKuestCancelOrder,
        }[(venue, mode)]
        self.client = cls(**kwargs)

    # -- plumbing ---------------------------------------------------------------------------

    def plan_faults(self, faults: list[Fault]) -> None:
        self.plan += faults
        for fault in faults:
            self.exchange.faults.add(fault)

    def invoke(self, name: str, *args: Any, **kwargs: Any) -> tuple[Any, float]:
        started = time.perf_counter()
        try:
            method = getattr(self.client, name)
            if self.loop is None:
                outcome = method(*args, **kwargs)
            else:
                outcome = self.loop.run_until_complete(method(*args, **kwargs))
        except Exception as exc:
            outcome = exc
        elapsed = time.perf_counter() - started
        bound = call_bound(self.venue)
        if name == "cancel_orders" and not kwargs.get("batch"):
            bound = -(-len(set(args[0])) // 4) * bound
        if elapsed > bound:
            self.violations.append(f"{name}{args}: {elapsed:.2f} s > bound {bound:.2f} s")
        return outcome, elapsed

    def close(self) -> None:
        if self.loop is None:
            self.client.close()
        else:
            self.loop.run_until_complete(self.client.aclose())
            self.loop.close()

    def state(self, order_id: str) -> str | None:
        try:
            return self.exchange.order(order_id).state
        except KeyError:
            return None

    def applied(self, records: list[Any]) -> int:
        """How many of `records` (this call's) the venue answered with success (it applied)."""
        if self.venue == "kucoin":
            return sum(1 for r in records if r.method == "DELETE" and r.code == "200000")
        return sum(1 for r in records if r.status == 200)

    def settle(self, outcome: Any) -> None:
        """After a timeout, let a delayed request finish (or be cancelled) before reading state."""
        if isinstance(outcome, APITimeoutError):
            time.sleep(DELAY - TIMEOUT.read + 0.15)

    # -- checks -----------------------------------------------------------------------------

    def bad(self, what: str) -> None:
        self.violations.append(what)

    def check_typed(self, label: str, outcome: Any) -> None:
        if isinstance(outcome, Exception) and not isinstance(outcome, OrderCancelError):
            self.bad(f"{label}: untyped error {outcome!r}")
        self.stats[f"outcome/{type(outcome).__name__}"] += 1
        self.stats["outcomes_checked"] += 1

    def check_single(
        self, label: str, outcome: Any, pre: str | None, post: str | None, applied: int,
        partial: tuple[Decimal, Decimal, Decimal] | None = None,
    ) -> None:  # fmt: skip
        """The state agrees with the outcome and with the venue's record of this call."""
        self.check_typed(label, outcome)
        was_open = pre in OPEN
        if partial is not None:
            before, after, size = partial
            if after - before != size * applied:
                self.bad(f"{label}: cancelled {after - before}, venue applied {applied} x {size}")
            if not isinstance(outcome, Exception) and (after - before != size or not was_open):
                self.bad(f"{label}: reported {outcome!r}, venue cancelled {after - before}")
        elif not isinstance(outcome, Exception):
            if not (was_open and post in DONE and applied >= 1):
                self.bad(f"{label}: success but {pre} -> {post}, applied {applied}")
            return
        if isinstance(outcome, OrderGoneAfterRetry):
            if was_open and partial is None and post not in DONE:
                self.bad(f"{label}: OrderGoneAfterRetry but the order is {post}")
            if not was_open and post != pre:
                self.bad(f"{label}: OrderGoneAfterRetry changed a closed order {pre} -> {post}")
            return
        if isinstance(outcome, OrderNotCancellable):
            if was_open or applied:
                self.bad(
                    f"{label}: {type(outcome).__name__} but the order was {pre} and the venue "
                    f"applied {applied} cancel(s) of this call (now {post})"
                )
            return
        if isinstance(outcome, APIConnectionError) and not outcome.request_sent and applied:
            self.bad(f"{label}: 'not sent' yet the venue applied it")
        if partial is None and was_open and (post in DONE) != (applied >= 1):
            self.bad(f"{label}: {type(outcome).__name__}, state {post} but applied {applied}")
        if not was_open and post != pre:
            self.bad(f"{label}: a closed order changed {pre} -> {post}")

    def check_outcomes(self, label: str, ids: list[str], outcomes: Any, pre: dict) -> None:
        """Kuest bulk: one outcome per distinct id, in order, each agreeing with the state."""
        self.stats["bulk_calls"] += 1
        distinct = list(dict.fromkeys(ids))
        if isinstance(outcomes, Exception) or [o.order_id for o in outcomes] != distinct:
            self.bad(f"{label}: outcomes {outcomes!r} for ids {distinct}")
            return
        for outcome in outcomes:
            post = self.state(outcome.order_id)
            result = outcome.error if outcome.error is not None else outcome
            was_open = pre[outcome.order_id] in OPEN
            self.check_typed(label, result)
            if outcome.ok and not (was_open and post in DONE):
                self.bad(f"{label}: {outcome.order_id} ok but {pre[outcome.order_id]} -> {post}")
            elif isinstance(outcome.error, OrderGoneAfterRetry) and post in OPEN:
                self.bad(f"{label}: {outcome.order_id} gone but still {post}")
            elif (
                isinstance(outcome.error, OrderNotCancellable)
                and not isinstance(outcome.error, OrderGoneAfterRetry)
                and was_open
            ):
                was = pre[outcome.order_id]
                self.bad(f"{label}: {outcome.order_id} {outcome.error!r} but it was {was}")
            if not was_open and post != pre[outcome.order_id]:
                self.bad(f"{label}: closed order {outcome.order_id} changed to {post}")

    # -- the calls --------------------------------------------------------------------------

    def cancel(self, how: str, order_id: str, client_oid: str | None = None) -> None:
        pre = self.state(order_id)
        before = self.exchange.order(order_id).canceled_size if how == "partial" and pre else None
        mark = len(self.exchange.received)
        if how == "order_id":
            outcome, _ = self.invoke("cancel_order_by_order_id", order_id, SYM)
        elif how == "client_oid":
            outcome, _ = self.invoke("cancel_order_by_client_oid", client_oid, SYM)
        elif how == "partial":
            outcome, _ = self.invoke("cancel_partial_order", order_id, SYM, "0.25")
        else:
            outcome, _ = self.invoke("cancel_order", order_id)
        self.settle(outcome)
        applied = self.applied(self.exchange.received[mark:])
        partial = None
        if before is not None and pre in OPEN:
            partial = (before, self.exchange.order(order_id).canceled_size, Decimal("0.25"))
        self.check_single(
            f"{how} {order_id[-6:]}", outcome, pre, self.state(order_id), applied, partial
        )

    def bulk(self, ids: list[str], batch: bool) -> None:
        pre = {i: self.state(i) for i in ids}
        outcomes, _ = self.invoke("cancel_orders", ids, batch=batch)
        self.settle(outcomes)
        if isinstance(outcomes, list) and any(
            isinstance(o.error, APITimeoutError) for o in outcomes
        ):
            time.sleep(DELAY)
        self.check_outcomes(f"cancel_orders(batch={batch})", ids, outcomes, pre)

    # -- the end of a run -------------------------------------------------------------------

    def finish(self) -> None:
        fired = len(self.plan) - self.exchange.faults.pending
        for fault in self.plan[:fired]:
            if fault != PASS:
                self.stats[f"faults/{fault.kind}-{fault.when}"] += 1
                self.stats["faults_injected"] += 1
        for record in self.exchange.received:
            if record.status == 429:
                self.stats["faults/rate_limited_429"] += 1
                self.stats["faults_injected"] += 1
            if getattr(record, "code", None) == "400002":
                self.stats["faults/stale_timestamp_400002"] += 1
                self.stats["faults_injected"] += 1
        keys = self.exchange.keys
        secrets = [keys.api_secret, keys.api_passphrase, *self.signatures]
        if self.venue == "kucoin":
            secrets.append(kucoin_oracle.passphrase_header(keys))
        leaks = self.rec.leaked(secrets)
        if leaks:
            self.bad(f"secrets in logs: {[t[:80] for _, t in leaks][:3]}")
        self.stats["runs"] += 1
        self.stats[f"runs/{self.venue}/{self.mode}"] += 1
        self.stats["log_records_scanned"] += len(self.rec.records)


def _run(venue: str, mode: str, stats: Any, record_logs: Any, exchange: Any, body: Any) -> None:
    with exchange.serve(), record_logs() as rec, stamina.set_testing(False):
        run = Run(venue, mode, exchange, stats, rec)
        try:
            body(run)
        finally:
            run.close()
        run.finish()
    if run.violations:
        stats["violations"] += len(run.violations)
    assert run.violations == [], "\n".join(run.violations)


# ---------------------------------------------------------------------------------------------
# Named scenarios
# ---------------------------------------------------------------------------------------------

F = Fault
SCENARIOS: dict[str, list[Fault]] = {
    "5xx_burst": [F("server_error", "before")] * 2 + [F("server_error", "after")],
    "drop_before": [F("drop", "before")],
    "drop_after": [F("drop", "after")],
    "slow_before": [F("delay", "before", seconds=DELAY)],
    "slow_after": [F("delay", "after", seconds=DELAY)],
    "html": [F("html", "before", status=502), F("html", "after", status=502)],
    "empty": [F("empty", "before", status=200), F("empty", "after", status=200)],
}


def kucoin_book(exchange: KucoinExchange, n: int = 3) -> list[tuple[str, str, str | None]]:
    book = []
    for i in range(n):
        order = exchange.add_order(SYM, "1", client_oid=f"oid-{i}")
        book.append((order.order_id, "order_id" if i % 2 == 0 else "client_oid", f"oid-{i}"))
    return book


@pytest.mark.parametrize("scenario", [*SCENARIOS, "429_storm", "clock_ahead", "clock_behind"])
def test_kucoin_scenario(mode, scenario, fault_stats, record_logs):
    quota = 3 if scenario == "429_storm" else 4000
    exchange = KucoinExchange(spot_quota=quota, window_seconds=0.3)
    exchange.clock_skew_s = {"clock_ahead": 10.0, "clock_behind": -10.0}.get(scenario, 0.0)
    book = kucoin_book(exchange, 5 if scenario == "429_storm" else 3)

    def body(run: Run) -> None:
        run.plan_faults(SCENARIOS.get(scenario, []))
        for order_id, how, oid in book:
            run.cancel(how, order_id, oid)
        run.cancel("order_id", book[0][0])  # again: not cancellable now (or gone)

    _run("kucoin", mode, fault_stats, record_logs, exchange, body)


@pytest.mark.parametrize("scenario", [*SCENARIOS, "429_storm"])
def test_kuest_scenario(mode, scenario, fault_stats, record_logs):
    storm = scenario == "429_storm"
    exchange = KuestExchange(rate_limit=3 if storm else 1000, rate_window_s=1.0)
    orders = [exchange.add_order().order_id for _ in range(4)]
    faults = SCENARIOS.get(scenario, [])
    if scenario == "empty":  # an empty 2xx is Kuest's documented success: see kuest_empty()
        faults = [F("empty", "before", status=504), F("empty", "after", status=504)]

    def body(run: Run) -> None:
        run.plan_faults(faults)
        for order_id in orders[:3]:
            run.cancel("kuest", order_id)
        run.cancel("kuest", orders[0])  # again
        if not storm:
            run.plan_faults(faults)
            run.bulk([orders[3], orders[0], orders[3], "0x" + "9" * 64], batch=False)

    _run("kuest", mode, fault_stats, record_logs, exchange, body)


# ---------------------------------------------------------------------------------------------
# Random mixes
# ---------------------------------------------------------------------------------------------


def kuest_empty() -> int:
    """An empty body under 2xx is a documented Kuest success, so a proxy's empty 200 (before the
    venue saw the request, or replacing its 404/409) is a false success no client can detect;
    Kuest empty bodies are injected with a 5xx status instead."""
    return 504


def random_fault(rng: random.Random, venue: str) -> Fault:
    if rng.random() < 0.45:
        return PASS
    kind = rng.choice(["server_error", "html", "empty", "delay", "drop"])
    when = rng.choice(["before", "after"])
    if kind == "delay":
        return F("delay", when, seconds=DELAY)
    if kind == "server_error":
        return F("server_error", when, status=rng.choice([500, 502, 503, 504]))
    if kind == "html":
        return F("html", when, status=rng.choice([502, 503]))
    if kind == "empty":
        return F("empty", when, status=200 if venue == "kucoin" else kuest_empty())
    return F("drop", when)


@pytest.mark.parametrize("seed", range(6))
def test_kucoin_random_mix(mode, seed, fault_stats, record_logs):
    rng = random.Random(f"kucoin-{mode}-{seed}")
    exchange = KucoinExchange(spot_quota=rng.choice([4000, 4000, 5]), window_seconds=0.3)
    exchange.clock_skew_s = rng.choice([0.0, 0.0, 10.0, -10.0])
    calls = []
    for i in range(5):
        kind = rng.choice(["live", "live", "partial_fill", "filled", "unknown"])
        if kind == "unknown":
            calls.append(("order_id", f"{rng.getrandbits(96):024x}", None))
            continue
        order = exchange.add_order(
            SYM,
            "2",
            client_oid=f"c{i}",
            filled={"filled": "2", "partial_fill": "0.5"}.get(kind, "0"),
        )
        calls.append((rng.choice(["order_id", "client_oid", "partial"]), order.order_id, f"c{i}"))

    def body(run: Run) -> None:
        run.plan_faults([random_fault(rng, "kucoin") for _ in range(14)])
        for how, order_id, oid in calls:
            run.cancel(how, order_id, oid)

    _run("kucoin", mode, fault_stats, record_logs, exchange, body)


@pytest.mark.parametrize("seed", range(6))
def test_kuest_random_mix(mode, seed, fault_stats, record_logs):
    rng = random.Random(f"kuest-{mode}-{seed}")
    exchange = KuestExchange(rate_limit=rng.choice([1000, 1000, 1000, 4]), rate_window_s=0.5)
    orders = []
    for _ in range(6):
        kind = rng.choice(["live", "live", "partial_fill", "matched"])
        filled = {"matched": "10", "partial_fill": "3"}.get(kind, "0")
        orders.append(exchange.add_order(filled=filled).order_id)
    unknown = "0x" + f"{rng.getrandbits(256):064x}"

    def body(run: Run) -> None:
        run.plan_faults([random_fault(rng, "kuest") for _ in range(16)])
        for order_id in orders[:2]:
            run.cancel("kuest", order_id)
        run.bulk([*orders[2:4], orders[0], unknown, orders[2]], batch=False)
        run.bulk([orders[4], orders[5], orders[1]], batch=True)

    _run("kuest", mode, fault_stats, record_logs, exchange, body)


@pytest.mark.parametrize("attempts", [1, 3])
@pytest.mark.parametrize("venue", ["kucoin", "kuest"])
def test_a_dropped_delete_is_never_resent_by_the_transport(mode, venue, attempts, record_logs):
    """A connection dropped after the venue applied the cancel: only our retry sends it again.

    The async default transport (aiohttp) must not silently resend the DELETE: the resend finds
    the order gone and the caller hears "not cancellable" about an order its own request
    cancelled, with no log line and no retry decision of ours. So: one DELETE per attempt of
    the policy, each resend announced by a WARNING, and the outcome says the first may have
    cancelled it.
    """
    exchange = KucoinExchange() if venue == "kucoin" else KuestExchange()
    order = exchange.add_order()
    exchange.faults.drop(when="after")
    policy = RetryPolicy(attempts=attempts, backoff_initial=0.001, backoff_jitter=0)
    with exchange.serve(), stamina.set_testing(False), record_logs() as rec:
        # No slow answer here: a timeout with seconds to spare (under load, connecting to the
        # served venue took longer than TIMEOUT's 0.2 s pool timeout: nothing was sent).
        run = Run(
            venue, mode, exchange, collections.Counter(), LogRecorderStub(), policy,
            timeout=httpx.Timeout(5.0),
        )  # fmt: skip
        try:
            if venue == "kucoin":
                outcome, _ = run.invoke("cancel_order_by_order_id", order.order_id, SYM)
            else:
                outcome, _ = run.invoke("cancel_order", order.order_id)
        finally:
            run.close()
    retries = [r for r in rec.at(logging.WARNING) if r.getMessage().startswith("retrying")]
    sent = 1 if attempts == 1 else 2  # the retry finds the order gone: no third attempt
    assert [r.method for r in exchange.received] == ["DELETE"] * sent, exchange.received
    assert len(retries) == sent - 1
    assert exchange.order(order.order_id).state in DONE
    if attempts == 1:
        assert isinstance(outcome, APIConnectionError), repr(outcome)
        assert outcome.request_sent is True
    else:
        assert isinstance(outcome, OrderGoneAfterRetry), repr(outcome)
        assert isinstance(outcome.earlier, APIConnectionError)
        assert outcome.earlier.request_sent is True


class LogRecorderStub:
    def __init__(self) -> None:
        self.records: list[Any] = []

    def leaked(self, secrets: list[str]) -> list[Any]:
        return []
