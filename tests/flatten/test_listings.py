"""The listings and KuCoin's cancel_orders, as a user meets them (respx, the simulators)."""

from __future__ import annotations

import asyncio

import httpx
import pytest
import respx
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    InvalidRequest,
    KucoinKeys,
    KucoinOrderNotCancellable,
    KucoinSpotCancelOrder,
    KucoinUnexpectedResponse,
    KuestCancelOrder,
    KuestKeys,
    KuestUnexpectedResponse,
    flatten,
)
from ordercancel.testing import KucoinExchange, KuestExchange

KC = "https://api.kucoin.com"
KQ = "https://clob.kuest.com"
KC_KEYS = KucoinKeys(api_key="k", api_secret="s", api_passphrase="p")
KQ_KEYS = KuestKeys(address="0x" + "1" * 40, api_key="k", api_secret="c2VjcmV0", api_passphrase="p")
ORDER = {"id": "a1", "symbol": "BTC-USDT", "side": "buy", "price": "1", "size": "2"}


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"symbols": "BTC-USDT"},
        {"symbols": [1]},
        [],
    ],
)
def test_a_symbols_listing_of_another_shape_is_unexpected_with_the_body(data) -> None:
    body = {"code": "200000", "data": data}
    with respx.mock(base_url=KC) as router, KucoinSpotCancelOrder(keys=KC_KEYS) as kc:
        router.get("/api/v1/hf/orders/active/symbols").respond(200, json=body)
        with pytest.raises(KucoinUnexpectedResponse) as caught:
            kc.list_active_symbols()
    assert caught.value.body == httpx.Response(200, json=body).content


@pytest.mark.parametrize(
    "item",
    [
        {**ORDER, "symbol": "ETH-USDT"},  # another symbol than asked
        {k: v for k, v in ORDER.items() if k != "id"},
        {**ORDER, "price": "abc"},
        {**ORDER, "clientOid": 5},
        "a1",
    ],
)
def test_an_orders_listing_of_another_shape_is_unexpected(item) -> None:
    with respx.mock(base_url=KC) as router, KucoinSpotCancelOrder(keys=KC_KEYS) as kc:
        router.get("/api/v1/hf/orders/active").respond(200, json={"code": "200000", "data": [item]})
        with pytest.raises(KucoinUnexpectedResponse):
            kc.list_open_orders("BTC-USDT")


def test_a_bad_symbol_is_refused_before_sending() -> None:
    with respx.mock(base_url=KC) as router, KucoinSpotCancelOrder(keys=KC_KEYS) as kc:
        with pytest.raises(InvalidRequest):
            kc.list_open_orders("btc/usdt")
        with pytest.raises(InvalidRequest):
            kc.cancel_orders(["cancelAll"], "BTC-USDT")
        with pytest.raises(InvalidRequest):
            kc.cancel_orders("abc", "BTC-USDT")
    assert router.calls.call_count == 0


def _page(data: list, cursor: str, count: int | None = None) -> dict:
    return {
        "data": data,
        "next_cursor": cursor,
        "limit": 100,
        "count": len(data) if count is None else count,
    }


@pytest.mark.parametrize(
    "page",
    [
        _page([], "MA=="),  # the first cursor again: the pages would never end
        _page([], "", count=3),
        {"data": [], "limit": 100, "count": 0},
        _page([{"id": "x"}], ""),
        _page([], "not a cursor!"),
    ],
)
def test_a_kuest_page_of_another_shape_is_unexpected(page) -> None:
    with respx.mock(base_url=KQ) as router, KuestCancelOrder(keys=KQ_KEYS) as kq:
        router.get("/data/orders").respond(200, json=page)
        with pytest.raises(KuestUnexpectedResponse):
            kq.list_open_orders()


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_kuest_pages_are_followed_to_the_empty_cursor(is_async: bool) -> None:
    venue = KuestExchange(open_orders_page_size=4)
    placed = [venue.add_order().order_id for _ in range(10)]
    with venue.serve():
        if is_async:

            async def run():
                async with AsyncKuestCancelOrder(keys=venue.keys, base_url=venue.base_url) as kq:
                    return await kq.list_open_orders()

            listed = asyncio.run(run())
        else:
            with KuestCancelOrder(keys=venue.keys, base_url=venue.base_url) as kq:
                listed = kq.list_open_orders()
    assert [o.order_id for o in listed] == placed
    targets = [r.raw_target for r in venue.received]
    assert len(targets) == 3  # 4 + 4 + 2


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_kucoin_cancel_orders_one_outcome_per_distinct_id_in_order(is_async: bool) -> None:
    venue = KucoinExchange()
    a, b = (venue.add_order("BTC-USDT").order_id for _ in range(2))
    other = venue.add_order("ETH-USDT").order_id  # another symbol: not cancellable as BTC-USDT
    ids = [b, other, a, b, "abcdef"]
    venue.faults.server_error(1)  # the first request fails; the others are untouched
    with venue.serve():
        if is_async:

            async def run():
                async with AsyncKucoinSpotCancelOrder(
                    keys=venue.keys, base_url=venue.base_url
                ) as kc:
                    return await kc.cancel_orders(ids, "BTC-USDT", max_in_flight=1)

            outcomes = asyncio.run(run())
        else:
            with KucoinSpotCancelOrder(keys=venue.keys, base_url=venue.base_url) as kc:
                outcomes = kc.cancel_orders(ids, "BTC-USDT", max_in_flight=1)
    assert [o.order_id for o in outcomes] == [b, other, a, "abcdef"]
    assert outcomes[0].error is not None  # the injected 5xx
    assert isinstance(outcomes[1].error, KucoinOrderNotCancellable)
    assert outcomes[2].ok
    assert isinstance(outcomes[3].error, KucoinOrderNotCancellable)
    assert venue.order(a).state == "cancelled"
    assert venue.order(b).state == "live"  # its only request got the 5xx
    assert venue.order(other).state == "live"


def _kuest_order(order_id: str) -> dict:
    return {
        "id": order_id,
        "market": "0x" + "c" * 64,
        "assetId": "1",
        "side": "BUY",
        "status": "LIVE",
        "originalSize": "5",
        "sizeMatched": "0",
    }


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_kuest_pages_end_at_lte_the_end_cursor_of_kuests_own_clients(is_async: bool) -> None:
    pages = [_page([_kuest_order("0xa1"), _kuest_order("0xa2")], "MQ=="), _page([], "LTE=")]
    with respx.mock(using="httpx", base_url=KQ) as router:
        route = router.get("/data/orders")
        route.side_effect = [httpx.Response(200, json=page) for page in pages]
        if is_async:

            async def run():
                async with AsyncKuestCancelOrder(keys=KQ_KEYS) as kq:
                    return await kq.list_open_orders()

            listed = asyncio.run(run())
        else:
            with KuestCancelOrder(keys=KQ_KEYS) as kq:
                listed = kq.list_open_orders()
    assert [o.order_id for o in listed] == ["0xa1", "0xa2"]
    assert [c.request.url.params["next_cursor"] for c in route.calls] == ["MA==", "MQ=="]


def test_a_kuest_account_whose_server_ends_with_lte_is_verified_flat() -> None:
    with respx.mock(using="httpx", base_url=KQ) as router, KuestCancelOrder(keys=KQ_KEYS) as kq:
        router.delete("/cancel-all").respond(200, json={"canceled": [], "not_canceled": {}})
        route = router.get("/data/orders").respond(200, json=_page([], "LTE="))
        (report,) = flatten({"kq": kq}, 2)
    assert report.status == "flat"
    assert report.error is None
    assert route.call_count == 1
