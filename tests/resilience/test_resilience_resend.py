"""A full cancel gets through a dropped or timed-out connection; a partial cancel is sent once.

Issue 12, item 4. Against the SERVED simulator: real sockets, and each twin's default transport
(httpx for the sync clients, aiohttp for the async ones). The venue reads the request, then
closes the connection without a byte of answer, either "before" applying it (the retry cancels:
success) or "after" (the retry finds the order gone: `OrderGoneAfterRetry`; a cancel-all kind
simply succeeds, since nothing is left). Every operation, both twins, both venues.

How many requests reached the venue is read from the simulator: every planned fault fired once
(`faults.pending == 0`) and `received` holds each request the venue handled (a "before" drop is
not handled). Each resend is ours: announced by one WARNING of the `ordercancel` logger.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import httpx
import pytest
import stamina
from ordercancel import (
    APIConnectionError,
    APITimeoutError,
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    CancelAllResult,
    ClientOrderCancelAccepted,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
    KuestCancelReport,
    OrderCancelAccepted,
    OrderGoneAfterRetry,
    OrderNotCancellable,
    RateLimiter,
    SymbolCancelAccepted,
)
from ordercancel.testing import Fault, KucoinExchange, KuestExchange

SYM, OTHER = "BTC-USDT", "ETH-USDT"
MARKET, OTHER_MARKET = "0x" + "5f" * 32, "0x" + "6e" * 32
DONE = {"cancelled", "canceled"}
# The slow venue answers after SLOW_S, past the read timeout; every other answer must come within
# it, also on a loaded machine (a 0.2 s read timeout there timed out the retry as well).
TIMEOUT = httpx.Timeout(1.0, connect=2.0)
SLOW_S = 2.0
PASS = Fault("delay", "before", seconds=0.0)  # a planned "no fault", to keep the plan aligned


def gone(outcome: Any, timeout: bool = False) -> None:
    """The retry found the order gone after an attempt that may have cancelled it."""
    assert isinstance(outcome, OrderGoneAfterRetry), repr(outcome)
    assert not isinstance(outcome, OrderNotCancellable)
    earlier = outcome.earlier
    assert isinstance(earlier, APIConnectionError), repr(earlier)
    assert isinstance(earlier, APITimeoutError) is timeout
    assert earlier.request_sent is True
    assert isinstance(outcome.final, OrderNotCancellable)


@dataclass
class Case:
    """One operation: what to place, how to call it, and what each kind of drop must give."""

    venue: str
    call: tuple[Any, ...]
    kwargs: dict[str, Any]
    drops: int  # how many requests are dropped (one per request the operation makes)
    check: Callable[[Any, str], None]  # (outcome, "before" | "after")


def kucoin_by_order_id(ex: KucoinExchange) -> Case:
    order = ex.add_order(SYM, "1")

    def check(outcome: Any, when: str) -> None:
        if when == "before":
            assert isinstance(outcome, OrderCancelAccepted), repr(outcome)
            assert outcome.order_id == order.order_id
        else:
            gone(outcome)
        assert ex.order(order.order_id).state in DONE

    return Case("kucoin", ("cancel_order_by_order_id", order.order_id, SYM), {}, 1, check)


def kucoin_by_client_oid(ex: KucoinExchange) -> Case:
    order = ex.add_order(SYM, "1", client_oid="bot-42")

    def check(outcome: Any, when: str) -> None:
        if when == "before":
            assert isinstance(outcome, ClientOrderCancelAccepted), repr(outcome)
            assert outcome.client_oid == "bot-42"
        else:
            gone(outcome)
        assert ex.order(order.order_id).state in DONE

    return Case("kucoin", ("cancel_order_by_client_oid", "bot-42", SYM), {}, 1, check)


def kucoin_by_symbol(ex: KucoinExchange) -> Case:
    mine = [ex.add_order(SYM, "1") for _ in range(2)]
    other = ex.add_order(OTHER, "1")

    def check(outcome: Any, when: str) -> None:
        assert isinstance(outcome, SymbolCancelAccepted), repr(outcome)
        assert all(ex.order(o.order_id).state in DONE for o in mine)
        assert ex.order(other.order_id).state == "live"

    return Case("kucoin", ("cancel_all_orders_by_symbol", SYM), {}, 1, check)


def kucoin_all(ex: KucoinExchange) -> Case:
    orders = [ex.add_order(SYM, "1"), ex.add_order(OTHER, "1")]

    def check(outcome: Any, when: str) -> None:
        assert isinstance(outcome, CancelAllResult), repr(outcome)
        assert all(ex.order(o.order_id).state in DONE for o in orders)

    return Case("kucoin", ("cancel_all_orders",), {}, 1, check)


def kuest_single(ex: KuestExchange) -> Case:
    order = ex.add_order()

    def check(outcome: Any, when: str) -> None:
        if when == "before":
            assert getattr(outcome, "order_id", None) == order.order_id, repr(outcome)
        else:
            gone(outcome)
        assert ex.order(order.order_id).state == "canceled"

    return Case("kuest", ("cancel_order", order.order_id), {}, 1, check)


def _kuest_bulk(ex: KuestExchange, batch: bool) -> Case:
    orders = [ex.add_order() for _ in range(3)]
    ids = [o.order_id for o in orders]

    def check(outcomes: Any, when: str) -> None:
        assert [o.order_id for o in outcomes] == ids, repr(outcomes)
        for outcome in outcomes:
            if when == "before":
                assert outcome.ok, outcome
            else:
                gone(outcome.error)
        assert all(ex.order(i).state == "canceled" for i in ids)

    drops = 1 if batch else len(ids)  # one request per id (one at a time), or one batch
    return Case("kuest", ("cancel_orders", [*ids, ids[0]]), {"batch": batch}, drops, check)


def kuest_bulk_each(ex: KuestExchange) -> Case:
    return _kuest_bulk(ex, batch=False)


def kuest_bulk_batch(ex: KuestExchange) -> Case:
    return _kuest_bulk(ex, batch=True)


def kuest_market(ex: KuestExchange) -> Case:
    mine = [ex.add_order(MARKET) for _ in range(2)]
    other = ex.add_order(OTHER_MARKET)

    def check(outcome: Any, when: str) -> None:
        assert isinstance(outcome, KuestCancelReport), repr(outcome)
        assert all(ex.order(o.order_id).state == "canceled" for o in mine)
        assert ex.order(other.order_id).state == "live"

    return Case("kuest", ("cancel_market_orders", MARKET), {}, 1, check)


def kuest_all(ex: KuestExchange) -> Case:
    orders = [ex.add_order(MARKET), ex.add_order(OTHER_MARKET)]

    def check(outcome: Any, when: str) -> None:
        assert isinstance(outcome, KuestCancelReport), repr(outcome)
        assert all(ex.order(o.order_id).state == "canceled" for o in orders)

    return Case("kuest", ("cancel_all",), {}, 1, check)


FULL_CANCELS = [
    kucoin_by_order_id,
    kucoin_by_client_oid,
    kucoin_by_symbol,
    kucoin_all,
    kuest_single,
    kuest_bulk_each,
    kuest_bulk_batch,
    kuest_market,
    kuest_all,
]


CLASSES = {
    ("sync", "kucoin"): KucoinSpotCancelOrder,
    ("async", "kucoin"): AsyncKucoinSpotCancelOrder,
    ("sync", "kuest"): KuestCancelOrder,
    ("async", "kuest"): AsyncKuestCancelOrder,
}


def run(mode: str, exchange: Any, case: Case, **settings: Any) -> Any:
    """Open the twin on the served venue, make the call, close: its result or its error.

    The client is closed before the venue stops, as a user's `with` block would.
    """
    if case.venue == "kuest":
        settings.update(max_in_flight=1, rate_limiter=RateLimiter(10_000, 1.0))
    cls = CLASSES[(mode, case.venue)]
    name, *args = case.call
    if mode == "sync":
        with cls(keys=exchange.keys, base_url=exchange.base_url, **settings) as client:
            try:
                return getattr(client, name)(*args, **case.kwargs)
            except Exception as exc:
                return exc

    async def main() -> Any:
        async with cls(keys=exchange.keys, base_url=exchange.base_url, **settings) as client:
            try:
                return await getattr(client, name)(*args, **case.kwargs)
            except Exception as exc:
                return exc

    return asyncio.run(main())


def retries_logged(rec: Any) -> int:
    return sum(1 for r in rec.at(logging.WARNING) if r.getMessage().startswith("retrying"))


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("operation", FULL_CANCELS, ids=lambda f: f.__name__)
def test_a_full_cancel_gets_through_a_dropped_connection(mode, record_logs, operation, when):
    exchange = KucoinExchange() if operation.__name__.startswith("kucoin") else KuestExchange()
    case = operation(exchange)
    for fault in [Fault("drop", when), PASS] * case.drops:  # each request drops, its retry not
        exchange.faults.add(fault)
    with exchange.serve(), record_logs() as rec, stamina.set_testing(True, attempts=3):
        outcome = run(mode, exchange, case)
    case.check(outcome, when)
    assert exchange.faults.pending == 0
    handled = case.drops if when == "before" else 2 * case.drops  # a "before" drop: unhandled
    assert len(exchange.received) == handled, exchange.received
    assert retries_logged(rec) == case.drops


@pytest.mark.parametrize("when", ["before", "after"])
@pytest.mark.parametrize("operation", [kucoin_by_order_id, kuest_single], ids=lambda f: f.__name__)
def test_a_full_cancel_gets_through_a_read_timeout(mode, record_logs, operation, when):
    """The venue is slow: the first attempt times out after sending, the retry gets through."""
    exchange = KucoinExchange() if operation.__name__.startswith("kucoin") else KuestExchange()
    case = operation(exchange)
    exchange.faults.delay(SLOW_S, when=when)
    with exchange.serve(), record_logs() as rec, stamina.set_testing(True, attempts=3):
        outcome = run(mode, exchange, case, timeout=TIMEOUT)
    if when == "after":
        gone(outcome, timeout=True)
    else:
        case.check(outcome, when)
    assert exchange.faults.pending == 0
    assert retries_logged(rec) == 1


@pytest.mark.parametrize("fault", ["drop", "timeout"])
@pytest.mark.parametrize("when", ["before", "after"])
def test_a_partial_cancel_is_sent_exactly_once(mode, record_logs, fault, when):
    """Not idempotent: once it may have landed it is raised with request_sent=True, not resent."""
    exchange = KucoinExchange()
    order = exchange.add_order(SYM, "2")
    if fault == "drop":
        exchange.faults.drop(when=when)
    else:
        exchange.faults.delay(SLOW_S, when=when)
    partial = Case(
        "kucoin", ("cancel_partial_order", order.order_id, SYM, "0.5"), {}, 1, lambda o, w: None
    )
    with exchange.serve(), record_logs() as rec, stamina.set_testing(True, attempts=3):
        outcome = run(mode, exchange, partial, timeout=TIMEOUT)
    assert isinstance(outcome, APIConnectionError), repr(outcome)
    assert isinstance(outcome, APITimeoutError) is (fault == "timeout")
    assert outcome.request_sent is True
    assert exchange.faults.pending == 0
    applied = when == "after"
    assert len(exchange.received) == (1 if applied else 0), exchange.received
    assert exchange.order(order.order_id).canceled_size == (Decimal("0.5") if applied else 0)
    assert retries_logged(rec) == 0
