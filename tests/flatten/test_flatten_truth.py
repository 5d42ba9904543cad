"""The kill switch never calls an account flat on a listing that is not empty (respx, as a user)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import respx
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    KucoinKeys,
    KucoinSpotCancelOrder,
    OrderCancelError,
    aflatten,
    flatten,
)

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
