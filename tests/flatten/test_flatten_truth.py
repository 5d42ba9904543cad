"""The kill switch never calls an account flat on a listing that is not empty (respx, as a user)."""

from __future__ import annotations

import asyncio
import math

import httpx
import pytest
import respx
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    AuthenticationError,
    InvalidRequest,
    KucoinCancelAllIncomplete,
    KucoinKeys,
    KucoinSpotCancelOrder,
    OrderCancelError,
    UnexpectedResponse,
    aflatten,
    flatten,
)
from ordercancel.testing import KucoinExchange

KC = "https://api.kucoin.com"
KC_KEYS = KucoinKeys(api_key="k", api_secret="s", api_passphrase="p")
OK_CANCEL_ALL = {"code": "200000", "data": {"succeedSymbols": ["ETH-USDT"], "failedSymbols": []}}


def _symbols(*names: str) -> httpx.Response:
    return httpx.Response(200, json={"code": "200000", "data": {"symbols": list(names)}})


def _run(is_async: bool, deadline_s: float) -> list:
    if is_async:

        async def run():
            async with AsyncKucoinSpotCancelOrder(keys=KC_KEYS) as kc:
                return await aflatten({"kc": kc}, deadline_s)

        return asyncio.run(run())
    with KucoinSpotCancelOrder(keys=KC_KEYS) as kc:
        return flatten({"kc": kc}, deadline_s)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_symbol_016_still_lists_is_never_flat_even_if_017_lists_no_order(is_async) -> None:
    with respx.mock(using="httpx", base_url=KC, assert_all_called=False) as router:
        router.delete("/api/v1/hf/orders/cancelAll").respond(200, json=OK_CANCEL_ALL)
        router.get("/api/v1/hf/orders/active/symbols").mock(return_value=_symbols("ETH-USDT"))
        router.get("/api/v1/hf/orders/active").respond(200, json={"code": "200000", "data": []})
        (report,) = _run(is_async, 0.3)
    assert report.status == "unverified"
    assert not report.flat
    assert isinstance(report.error, OrderCancelError)
    assert "ETH-USDT" in str(report.error)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_flat_once_016_lists_nothing_after_naming_a_symbol_017_had_no_order_for(is_async) -> None:
    with respx.mock(using="httpx", base_url=KC, assert_all_called=False) as router:
        router.delete("/api/v1/hf/orders/cancelAll").respond(200, json=OK_CANCEL_ALL)
        symbols = router.get("/api/v1/hf/orders/active/symbols")
        symbols.side_effect = [_symbols("ETH-USDT"), _symbols()]
        router.get("/api/v1/hf/orders/active").respond(200, json={"code": "200000", "data": []})
        (report,) = _run(is_async, 5)
    assert report.status == "flat"
    assert report.rounds == 2
    assert symbols.call_count == 2
    assert report.error is None  # the first listing's "not verified flat" was outlasted


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_flat_report_keeps_the_cancel_alls_failure_not_a_listing_error_outlasted_later(
    is_async,
) -> None:
    partial = {
        "code": "200000",
        "data": {
            "succeedSymbols": [],
            "failedSymbols": [{"symbol": "ETH-USDT", "error": "system busy"}],
        },
    }
    with respx.mock(using="httpx", base_url=KC, assert_all_called=False) as router:
        router.delete("/api/v1/hf/orders/cancelAll").respond(200, json=partial)
        symbols = router.get("/api/v1/hf/orders/active/symbols")
        symbols.side_effect = [_symbols("ETH-USDT"), _symbols()]
        router.get("/api/v1/hf/orders/active").respond(200, json={"code": "200000", "data": []})
        (report,) = _run(is_async, 5)
    assert report.status == "flat"
    assert isinstance(report.error, KucoinCancelAllIncomplete)
    assert [f.symbol for f in report.error.result.failed_symbols] == ["ETH-USDT"]


@pytest.mark.parametrize("deadline_s", [math.nan, math.inf, -math.inf, 1e10, 3600.5, 0, -1])
def test_a_non_finite_or_absurd_deadline_is_refused_before_anything_is_sent(
    twin, deadline_s
) -> None:
    venue = KucoinExchange()
    venue.add_order("ETH-USDT", "1")
    with venue.serve():
        client = twin.kucoin(venue.keys, venue.base_url)
        with pytest.raises(InvalidRequest, match="deadline_s"):
            twin.flatten({"kc": client}, deadline_s)
        assert venue.received == []
    assert [o.state for o in venue.orders()] == ["live"]


def test_an_hour_is_the_longest_deadline_accepted(twin) -> None:
    venue = KucoinExchange()
    venue.add_order("ETH-USDT", "1")
    with venue.serve():
        (report,) = twin.flatten({"kc": twin.kucoin(venue.keys, venue.base_url)}, 3600)
    assert report.status == "flat"


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_gateways_json_401_does_not_make_flatten_give_up_the_account(is_async) -> None:
    """Only KuCoin's own 401 (a six-digit code) ends an account at once as bad keys."""
    gateway = httpx.Response(401, json={"code": "UNAUTHENTICATED", "message": "token refresh"})
    with respx.mock(using="httpx", base_url=KC, assert_all_called=False) as router:
        router.delete("/api/v1/hf/orders/cancelAll").mock(return_value=gateway)
        listing = router.get("/api/v1/hf/orders/active/symbols").mock(return_value=_symbols())
        (report,) = _run(is_async, 5)
    assert listing.call_count == 1  # it went on to verify (bad keys would end it unverified)
    assert report.status == "flat"
    assert isinstance(report.error, UnexpectedResponse)  # the cancel-all's failure, kept
    assert not isinstance(report.error, AuthenticationError)
