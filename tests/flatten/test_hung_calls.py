"""A call that hangs must not eat the whole deadline of a flatten.

The clients here are built as a user builds them: no timeout given, so each attempt may take the
default 10 s, which is more than the whole deadline. The served simulators hang a request by
answering it late (`faults.delay`): "before" leaves the book as it was when the client gives up
(a venue that accepted the connection and never answered), as a stalled proxy would.
"""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx
import pytest
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    FlattenReport,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
    aflatten,
    flatten,
)
from ordercancel.errors import APITimeoutError
from ordercancel.testing import KucoinExchange, KuestExchange

HANG_S = 30.0  # far longer than any deadline here: the answer never comes in time
GRACE_S = 2.0  # what the docs allow a call in flight past the deadline
SLACK_S = 5.0  # a loaded CI machine; this bounds the wall time, it does not measure speed


def _venue(name: str) -> Any:
    if name == "kucoin":
        venue = KucoinExchange()
        for i in range(12):
            venue.add_order(("BTC-USDT", "ETH-USDT", "SOL-USDT")[i % 3], "1")
    else:
        venue = KuestExchange(open_orders_page_size=5)
        for _ in range(12):
            venue.add_order()
    return venue


def _open(venue: Any) -> set[str]:
    return {o.order_id for o in venue.orders() if o.state in ("live", "partially_filled")}


def _flatten(
    is_async: bool, venue_name: str, base_url: str, keys: Any, deadline_s: float, **kw: Any
) -> FlattenReport:
    """Flatten one account with a client built as a user builds one (default timeout)."""
    if not is_async:
        cls = KucoinSpotCancelOrder if venue_name == "kucoin" else KuestCancelOrder
        with cls(keys=keys, base_url=base_url, **kw) as client:
            (report,) = flatten({"acct": client}, deadline_s)
        return report
    acls = AsyncKucoinSpotCancelOrder if venue_name == "kucoin" else AsyncKuestCancelOrder

    async def run() -> FlattenReport:
        async with acls(keys=keys, base_url=base_url, **kw) as client:
            (report,) = await aflatten({"acct": client}, deadline_s)
        return report

    return asyncio.run(run())


@pytest.fixture(params=["kucoin", "kuest"])
def venue_name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(params=[False, True], ids=["sync", "async"])
def is_async(request: pytest.FixtureRequest) -> bool:
    return bool(request.param)


def test_a_first_cancel_all_that_hangs_past_the_deadline_is_retried_and_verified_flat(
    venue_name: str, is_async: bool
) -> None:
    venue = _venue(venue_name)
    with venue.serve():
        venue.faults.delay(HANG_S)  # the first answer: the cancel-all's, never in time
        report = _flatten(is_async, venue_name, venue.base_url, venue.keys, deadline_s=5)
        assert report.status == "flat", report
        assert report.left == ()
        assert _open(venue) == set()  # the book agrees


def test_a_first_listing_that_hangs_past_the_deadline_is_retried_and_verified_flat(
    venue_name: str, is_async: bool
) -> None:
    venue = _venue(venue_name)
    with venue.serve():
        venue.faults.delay(0.0)  # the cancel-all: answered at once
        venue.faults.delay(HANG_S)  # the first listing: never in time
        report = _flatten(is_async, venue_name, venue.base_url, venue.keys, deadline_s=5)
        assert report.status == "flat", report
        assert _open(venue) == set()
        assert report.rounds >= 1


def test_a_venue_where_every_call_hangs_ends_unverified_with_a_timeout_in_bounded_time(
    venue_name: str, is_async: bool
) -> None:
    venue = _venue(venue_name)
    before = _open(venue)
    with venue.serve():
        venue.faults.delay(HANG_S, count=1000)
        started = time.monotonic()
        report = _flatten(is_async, venue_name, venue.base_url, venue.keys, deadline_s=3)
        took = time.monotonic() - started
        assert report.status == "unverified", report
        # The call's own bound gave up on it (the client's timeout error, naming the request),
        # not the last-resort stop at the end of the grace.
        assert isinstance(report.error, APITimeoutError), repr(report.error)
        assert "Timeout" in str(report.error)
        assert took < 3 + GRACE_S + SLACK_S  # it finishes: no call waited out its 10 s
        assert _open(venue) == before  # nothing went through: nothing is claimed either


class _SeenTimeouts(httpx.BaseTransport):
    """Records each request's timeouts (what httpx will wait for), then sends it on."""

    def __init__(self) -> None:
        self.inner = httpx.HTTPTransport()
        self.seen: list[tuple[str, dict[str, float]]] = []

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.method, dict(request.extensions["timeout"])))
        return self.inner.handle_request(request)

    def close(self) -> None:
        self.inner.close()


class _AsyncSeenTimeouts(httpx.AsyncBaseTransport):
    def __init__(self) -> None:
        self.inner = httpx.AsyncHTTPTransport()
        self.seen: list[tuple[str, dict[str, float]]] = []

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.seen.append((request.method, dict(request.extensions["timeout"])))
        return await self.inner.handle_async_request(request)

    async def aclose(self) -> None:
        await self.inner.aclose()


LISTING_PAST_DEADLINE_S = 1.0  # the docs: a listing's call may end 1 s into the grace


@pytest.mark.parametrize(
    ("timeout", "deadline_s"),
    [
        (httpx.Timeout(10.0, connect=5.0), 8.0),  # the default: a quarter of what is left
        (httpx.Timeout(10.0, connect=5.0), 2.0),  # a short deadline: the 1 s floor
        (httpx.Timeout(0.5), 8.0),  # the client's own is shorter than the bound: its own
    ],
)
def test_each_attempt_waits_at_most_a_share_of_the_time_left_never_more_than_the_clients_own(
    is_async: bool, timeout: httpx.Timeout, deadline_s: float
) -> None:
    """As documented: an attempt waits at most max(1 s, a quarter of the time left until its
    call's end: the deadline for a cancel, 1 s past it for a listing), never more than the
    client's own timeout for the phase. Measured from the start, so an upper bound."""
    venue = KucoinExchange(cancel_delay_s=0.3)  # a few rounds: later calls have less time
    for i in range(6):
        venue.add_order(("BTC-USDT", "ETH-USDT")[i % 2], "1")
    transport = (_AsyncSeenTimeouts if is_async else _SeenTimeouts)()
    with venue.serve():
        report = _flatten(
            is_async,
            "kucoin",
            venue.base_url,
            venue.keys,
            deadline_s,
            timeout=timeout,
            transport=transport,
        )
    assert report.status == "flat", report
    own = timeout.as_dict()
    assert transport.seen
    for method, phases in transport.seen:
        ends = deadline_s + (LISTING_PAST_DEADLINE_S if method == "GET" else 0.0)
        most = max(1.0, ends / 4)
        for phase, value in phases.items():
            assert 0 < value <= min(most, own[phase]) + 1e-9, (method, phase, value)
    first_method, first = transport.seen[0]
    assert first_method == "DELETE"  # the cancel-all: the whole deadline still ahead
    assert first["read"] >= min(1.0, own["read"])  # never less than the floor (or its own)


def test_the_clients_given_are_left_as_they_were(is_async: bool) -> None:
    """flatten bounds its calls on copies: the user's client keeps its timeout and retry."""
    venue = _venue("kucoin")
    timeout = httpx.Timeout(10.0, connect=5.0)
    with venue.serve():
        if not is_async:
            with KucoinSpotCancelOrder(
                keys=venue.keys, base_url=venue.base_url, timeout=timeout
            ) as client:
                retry = client.retry
                (report,) = flatten({"acct": client}, 5)
                assert (client.timeout, client.retry) == (timeout, retry)
                client.cancel_all_orders()  # still usable: flatten closed nothing of it
        else:

            async def run() -> FlattenReport:
                async with AsyncKucoinSpotCancelOrder(
                    keys=venue.keys, base_url=venue.base_url, timeout=timeout
                ) as client:
                    retry = client.retry
                    (report,) = await aflatten({"acct": client}, 5)
                    assert (client.timeout, client.retry) == (timeout, retry)
                    await client.cancel_all_orders()
                return report

            report = asyncio.run(run())
    assert report.status == "flat", report


class _DeafTransport(httpx.BaseTransport):
    """Never answers and ignores every timeout (as a blocking DNS lookup does) until released."""

    def __init__(self) -> None:
        self.release = threading.Event()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.release.wait(60)
        raise httpx.ConnectError("released", request=request)


class _AsyncDeafTransport(httpx.AsyncBaseTransport):
    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(60)  # cancelled by the flatten's last resort
        raise httpx.ConnectError("not reached", request=request)


def test_a_call_that_ignores_its_timeout_is_given_up_2_s_after_the_deadline(is_async: bool) -> None:
    """The last resort, for a call no timeout stops: the account ends unverified, its error
    saying a call timed out, and flatten returns (with slack) within the deadline and grace."""
    venue = _venue("kucoin")
    deaf = _AsyncDeafTransport() if is_async else _DeafTransport()
    with venue.serve():
        started = time.monotonic()
        try:
            report = _flatten(
                is_async, "kucoin", venue.base_url, venue.keys, deadline_s=1, transport=deaf
            )
        finally:
            if isinstance(deaf, _DeafTransport):
                deaf.release.set()  # the abandoned thread ends
        took = time.monotonic() - started
    assert report.status == "unverified", report
    assert isinstance(report.error, TimeoutError)
    assert "timed out" in str(report.error)
    assert took < 1 + GRACE_S + SLACK_S
    assert len(_open(venue)) == 12  # nothing reached the venue


def _cancel_each_hangs(deadline_s: float, is_async: bool) -> tuple[FlattenReport, Any]:
    """KuCoin's cancel-all leaves 6 orders (it fails for both symbols); the listings answer,
    and the first try of each order's own cancel hangs past the deadline."""
    venue = KucoinExchange()
    for i in range(6):
        venue.add_order(("BTC-USDT", "ETH-USDT")[i % 2], "1")
    for symbol in ("BTC-USDT", "ETH-USDT"):
        venue.fail_cancel_all(symbol)
    with venue.serve():
        venue.faults.delay(0.0, count=4)  # cancel-all, 016, and 017 for each symbol
        venue.faults.delay(HANG_S, count=6)  # each order's own cancel, once
        report = _flatten(is_async, "kucoin", venue.base_url, venue.keys, deadline_s)
    return report, venue


def test_leftover_cancels_that_hang_are_abandoned_and_tried_again_in_time(is_async: bool) -> None:
    report, venue = _cancel_each_hangs(5, is_async)
    assert report.status == "flat", report
    assert _open(venue) == set()


def test_a_cancel_abandoned_at_the_deadline_counts_for_nothing(is_async: bool) -> None:
    """Its answer never came: the listing after it decides, and shows the orders still open,
    each with its cancel's timeout as its error."""
    report, venue = _cancel_each_hangs(1, is_async)
    assert report.status == "open", report
    assert {o.order_id for o in report.left} == _open(venue)
    assert len(report.left) == 6
    for left in report.left:
        assert isinstance(left.error, APITimeoutError), left
