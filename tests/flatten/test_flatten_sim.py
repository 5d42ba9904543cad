"""The kill switch against the served simulators: what the report says is what the book holds."""

from __future__ import annotations

import asyncio
import socket
import threading
import time

import httpx
import pytest
from ordercancel import (
    AuthenticationError,
    InvalidRequest,
    KucoinAPIError,
    KucoinCancelAllIncomplete,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
    KuestKeys,
    RetryPolicy,
    aflatten,
    flatten,
)
from ordercancel.errors import APIConnectionError
from ordercancel.testing import KucoinExchange, KuestExchange
from support.flatten import Twin

SYMBOLS = ("BTC-USDT", "ETH-USDT", "SOL-USDT")


def _fill_kucoin(venue: KucoinExchange, count: int, keys=None) -> None:
    for i in range(count):
        venue.add_order(SYMBOLS[i % len(SYMBOLS)], "1", account=keys)


def _fill_kuest(venue: KuestExchange, count: int, keys=None) -> None:
    for _ in range(count):
        venue.add_order(account=keys)


def _open_kucoin(venue: KucoinExchange, keys=None) -> set[str]:
    return {
        o.order_id for o in venue.orders(account=keys) if o.state in ("live", "partially_filled")
    }


def _open_kuest(venue: KuestExchange, keys=None) -> set[str]:
    return {
        o.order_id for o in venue.orders(account=keys) if o.state in ("live", "partially_filled")
    }


def test_both_venues_hard_cases_end_verified_flat_and_flat_in_the_book(twin: Twin, served) -> None:
    """Queued KuCoin cancels, a cancel-all that fails for one symbol, Kuest's paged listing."""
    kx = KucoinExchange(cancel_delay_s=0.3)
    _fill_kucoin(kx, 60)
    kx.fail_cancel_all("ETH-USDT")
    qx = KuestExchange(open_orders_page_size=7)
    _fill_kuest(qx, 30)
    reports = twin.flatten(
        {
            "kc": twin.kucoin(kx.keys, served(kx)),
            "kq": twin.kuest(qx.keys, served(qx)),
        }
    )
    assert [(r.account, r.venue, r.status, r.left) for r in reports] == [
        ("kc", "kucoin", "flat", ()),
        ("kq", "kuest", "flat", ()),
    ]
    assert isinstance(reports[0].error, KucoinCancelAllIncomplete)  # the partial cancel-all
    assert reports[0].rounds >= 2  # the queued cancels were still listed at first
    assert _open_kucoin(kx) == set()
    assert _open_kuest(qx) == set()


def test_orders_that_cannot_be_cancelled_are_listed_exactly_with_their_error(
    twin: Twin, served
) -> None:
    kx = KucoinExchange()
    _fill_kucoin(kx, 30)
    kx.suspend_symbol("SOL-USDT")  # every cancel of it fails (KuCoin's 200002)
    (report,) = twin.flatten({"kc": twin.kucoin(kx.keys, served(kx))}, deadline_s=1)
    assert report.status == "open"
    assert {o.order_id for o in report.left} == _open_kucoin(kx)
    assert {o.symbol for o in report.left} == {"SOL-USDT"}
    assert len(report.left) == 10
    for left in report.left:
        assert isinstance(left.error, KucoinAPIError)
        assert left.error.code == "200002"


def test_a_cancel_still_queued_at_the_deadline_is_never_called_flat(twin: Twin, served) -> None:
    kx = KucoinExchange(cancel_delay_s=5.0)
    _fill_kucoin(kx, 9)
    (report,) = twin.flatten({"kc": twin.kucoin(kx.keys, served(kx))}, deadline_s=0.5)
    assert report.status == "open"
    assert {o.order_id for o in report.left} == _open_kucoin(kx)
    assert len(report.left) == 9
    assert all(o.error is None for o in report.left)  # accepted, but not yet gone


@pytest.mark.parametrize("fault", ["server_error", "drop", "timeout", "rate_limited"])
def test_injected_faults_are_outlasted_and_the_report_stays_true(
    twin: Twin, served, fault: str
) -> None:
    kx = KucoinExchange(spot_quota=40 if fault == "rate_limited" else 4000, window_seconds=1.0)
    qx = KuestExchange(rate_limit=3 if fault == "rate_limited" else 100, rate_window_s=1.0)
    qx.single_cancel_shape = "canceled"
    _fill_kucoin(kx, 20)
    _fill_kuest(qx, 20)
    kurl, qurl = served(kx), served(qx)
    for venue in (kx, qx):
        if fault == "server_error":
            venue.faults.server_error(3)
        elif fault == "drop":
            venue.faults.drop(2)
            venue.faults.drop(1, when="after")
        elif fault == "timeout":
            venue.faults.delay(2.0, count=1)  # the client gives up after 1 s
    reports = twin.flatten(
        {"kc": twin.kucoin(kx.keys, kurl), "kq": twin.kuest(qx.keys, qurl)}, deadline_s=8
    )
    assert [r.status for r in reports] == ["flat", "flat"], reports
    assert _open_kucoin(kx) == set()
    assert _open_kuest(qx) == set()


def test_one_failing_account_never_stops_the_others(twin: Twin, served) -> None:
    kx = KucoinExchange()
    _fill_kucoin(kx, 12)
    qx = KuestExchange()
    _fill_kuest(qx, 12)
    wrong = KuestKeys(address="0x" + "1" * 40, api_key="nobody", api_secret="c2VjcmV0",
                      api_passphrase="p")  # fmt: skip
    with socket.socket() as sock:  # a port nothing listens on: the venue is down
        sock.bind(("127.0.0.1", 0))
        down = f"http://127.0.0.1:{sock.getsockname()[1]}"
    kurl, qurl = served(kx), served(qx)
    reports = twin.flatten(
        {
            "bad-keys": twin.kuest(wrong, qurl),
            "down": twin.kucoin(kx.keys, down),
            "kc": twin.kucoin(kx.keys, kurl),
            "kq": twin.kuest(qx.keys, qurl),
        },
        deadline_s=2,
    )
    by_name = {r.account: r for r in reports}
    assert by_name["bad-keys"].status == "unverified"
    assert isinstance(by_name["bad-keys"].error, AuthenticationError)
    assert by_name["down"].status == "unverified"
    assert isinstance(by_name["down"].error, APIConnectionError)
    assert by_name["kc"].status == by_name["kq"].status == "flat"
    assert _open_kucoin(kx) == _open_kuest(qx) == set()


def test_a_bot_placing_orders_during_the_flatten_is_outlasted(twin: Twin, served) -> None:
    kx = KucoinExchange(cancel_delay_s=0.5)  # keeps the flatten busy past the bot
    _fill_kucoin(kx, 10)
    url = served(kx)
    stop = threading.Event()
    placed: list[str] = []

    def bot() -> None:
        ends = time.monotonic() + 0.4
        while time.monotonic() < ends:
            placed.append(kx.add_order("BTC-USDT", "1").order_id)
            time.sleep(0.01)
        stop.set()

    thread = threading.Thread(target=bot)
    thread.start()
    try:
        (report,) = twin.flatten({"kc": twin.kucoin(kx.keys, url)}, deadline_s=8)
    finally:
        thread.join()
    assert stop.is_set()
    assert placed
    assert report.status == "flat"
    assert _open_kucoin(kx) == set()
    assert all(kx.order(oid).state == "cancelled" for oid in placed)


def test_bad_arguments_raise_before_anything_is_sent(kucoin_exchange) -> None:
    kc = KucoinSpotCancelOrder(keys=kucoin_exchange.keys, base_url=kucoin_exchange.base_url)
    kc.close()
    with pytest.raises(InvalidRequest):
        flatten([])
    with pytest.raises(InvalidRequest):
        flatten([kc], deadline_s=0)
    with pytest.raises(InvalidRequest):
        flatten(["not a client"])  # type: ignore[list-item]
    with pytest.raises(InvalidRequest):
        flatten([kc, kc])  # the same account twice

    async def wrong_flavour() -> None:
        await aflatten([kc])  # type: ignore[list-item]

    import asyncio

    with pytest.raises(InvalidRequest):
        asyncio.run(wrong_flavour())
    assert kucoin_exchange.received == []


def test_a_list_of_clients_is_named_by_venue_and_key(kuest_exchange) -> None:
    kuest_exchange.add_order()
    with KuestCancelOrder(keys=kuest_exchange.keys, base_url=kuest_exchange.base_url) as kq:
        (report,) = flatten([kq])
    assert report.account == f"kuest:{kuest_exchange.keys.api_key}"
    assert report.flat


def test_kuest_leftovers_are_cancelled_in_batches_not_one_request_per_order(
    twin: Twin, served
) -> None:
    qx = KuestExchange()
    _fill_kuest(qx, 30)
    url = served(qx)
    qx.faults.server_error(3)  # every attempt of the cancel-all: all 30 are left over
    (report,) = twin.flatten({"kq": twin.kuest(qx.keys, url)}, deadline_s=8)
    assert report.status == "flat", report
    assert _open_kuest(qx) == set()
    methods = [(r.method, r.raw_target.split("?")[0]) for r in qx.received]
    assert ("DELETE", "/orders") in methods
    assert ("DELETE", "/order") not in methods


class _Overlap:
    """Counts KuCoin's per-symbol listings in flight at once; each waits (up to 1 s) for the
    others, so listings sent side by side meet and listings sent one after another never do."""

    PATH = "/api/v1/hf/orders/active"  # `?symbol=`: one symbol's open orders

    def __init__(self, symbols: int) -> None:
        self.symbols = symbols
        self.lock = threading.Lock()
        self.in_flight = 0
        self.most = 0
        self.all_in = threading.Event()

    def enter(self) -> None:
        with self.lock:
            self.in_flight += 1
            self.most = max(self.most, self.in_flight)
            if self.in_flight >= self.symbols:
                self.all_in.set()

    def leave(self) -> None:
        with self.lock:
            self.in_flight -= 1


class _SyncSeen(httpx.BaseTransport):
    def __init__(self, overlap: _Overlap) -> None:
        self.overlap, self.inner = overlap, httpx.HTTPTransport()

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != _Overlap.PATH:
            return self.inner.handle_request(request)
        self.overlap.enter()
        try:
            self.overlap.all_in.wait(1.0)
            return self.inner.handle_request(request)
        finally:
            self.overlap.leave()

    def close(self) -> None:
        self.inner.close()


class _AsyncSeen(httpx.AsyncBaseTransport):
    def __init__(self, overlap: _Overlap) -> None:
        self.overlap, self.inner = overlap, httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        if request.url.path != _Overlap.PATH:
            return await self.inner.handle_async_request(request)
        self.overlap.enter()
        try:
            for _ in range(100):  # up to 1 s
                if self.overlap.all_in.is_set():
                    break
                await asyncio.sleep(0.01)
            return await self.inner.handle_async_request(request)
        finally:
            self.overlap.leave()

    async def aclose(self) -> None:
        await self.inner.aclose()


def test_kucoin_symbols_are_listed_side_by_side_not_one_after_another(twin: Twin, served) -> None:
    """A verification round lists every symbol at once: one round trip, not one per symbol."""
    kx = KucoinExchange(cancel_delay_s=0.5)  # queued: the first listing still shows 3 symbols
    _fill_kucoin(kx, 30)
    overlap = _Overlap(len(SYMBOLS))
    transport = (_AsyncSeen if twin.is_async else _SyncSeen)(overlap)
    (report,) = twin.flatten({"kc": twin.kucoin(kx.keys, served(kx), transport=transport)})
    assert report.status == "flat", report
    assert _open_kucoin(kx) == set()
    assert overlap.most == len(SYMBOLS)


def test_a_cancel_all_failing_for_one_symbol_is_the_error_of_that_symbols_leftovers_only(
    twin: Twin, served
) -> None:
    """KuCoin's failedSymbols names XRP-USDT: BTC-USDT's leftover (its cancel accepted, still
    queued) carries no error; XRP-USDT's carries the cancel-all's failure."""
    kx = KucoinExchange(cancel_delay_s=5)  # accepted cancels stay listed past the deadline
    btc, xrp = kx.add_order("BTC-USDT", "1"), kx.add_order("XRP-USDT", "1")
    kx.fail_cancel_all("XRP-USDT")
    (report,) = twin.flatten({"kc": twin.kucoin(kx.keys, served(kx))}, deadline_s=0.001)
    assert report.status == "open", report
    errors = {o.order_id: o.error for o in report.left}
    assert set(errors) == {btc.order_id, xrp.order_id}
    assert errors[btc.order_id] is None
    assert isinstance(errors[xrp.order_id], KucoinCancelAllIncomplete)


def test_a_cancel_all_failing_as_a_whole_is_the_error_of_every_leftover(twin: Twin, served) -> None:
    kx = KucoinExchange()
    _fill_kucoin(kx, 3)
    url = served(kx)
    kx.faults.server_error(1)  # the cancel-all's one attempt
    client = twin.kucoin(kx.keys, url, retry=RetryPolicy(attempts=1))
    (report,) = twin.flatten({"kc": client}, deadline_s=0.001)
    assert report.status == "open", report
    assert len(report.left) == 3
    assert all(isinstance(o.error, KucoinAPIError) for o in report.left), report.left


def test_an_accepted_cancel_is_not_resent_each_round_while_kucoins_queue_drains(
    twin: Twin, served
) -> None:
    """KuCoin keeps cancelled orders listed for 0.3 s: each leftover's own cancel is sent once
    (resent only after 1 s still listed), not once per round (every 0.05 to 0.4 s)."""
    kx = KucoinExchange(cancel_delay_s=0.3)
    _fill_kucoin(kx, 30)
    ids = _open_kucoin(kx)
    (report,) = twin.flatten({"kc": twin.kucoin(kx.keys, served(kx))}, deadline_s=8)
    assert report.status == "flat", report
    assert _open_kucoin(kx) == set()
    singles = [
        r.raw_target.split("?")[0].rsplit("/", 1)[-1]
        for r in kx.received
        if r.method == "DELETE" and "cancelAll" not in r.raw_target
    ]
    assert report.rounds >= 3, report  # the listings went on while the queue drained
    assert sorted(singles) == sorted(ids)  # each order's own cancel: once
