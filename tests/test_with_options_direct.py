"""A `with_options` copy of a default async client sends as fast as its original; mocks see it.

The copy borrows its original's aiohttp session (its direct path, without httpx building the
request), and a user's respx mock still sees each of its requests.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
import respx
from ordercancel import AsyncKucoinSpotCancelOrder, AsyncKuestCancelOrder
from ordercancel.testing import KucoinExchange, KuestExchange


def _httpx_must_not_send(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Make httpx's own sending fail loudly; the list records what tried."""
    tried: list[str] = []

    async def send(self: httpx.AsyncClient, request: httpx.Request, **kwargs: Any) -> Any:
        tried.append(f"{request.method} {request.url.path}")
        raise AssertionError("sent through httpx.AsyncClient.send, not the direct path")

    monkeypatch.setattr(httpx.AsyncClient, "send", send)
    return tried


def test_a_copy_of_a_default_async_kucoin_client_sends_directly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    venue = KucoinExchange()
    first, second = venue.add_order("BTC-USDT"), venue.add_order("BTC-USDT")
    with venue.serve() as served:

        async def run() -> None:
            async with AsyncKucoinSpotCancelOrder(keys=venue.keys, base_url=served.base_url) as kc:
                tried = _httpx_must_not_send(monkeypatch)
                copy = kc.with_options(timeout=httpx.Timeout(3.0))
                await copy.cancel_order_by_order_id(first.order_id, "BTC-USDT")
                await copy.with_options().cancel_order_by_order_id(second.order_id, "BTC-USDT")
                assert tried == []

        asyncio.run(run())
    assert [venue.order(o.order_id).state for o in (first, second)] == ["cancelled", "cancelled"]


def test_a_copy_of_a_default_async_kuest_client_sends_directly(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    venue = KuestExchange()
    order = venue.add_order()
    with venue.serve() as served:

        async def run() -> None:
            async with AsyncKuestCancelOrder(keys=venue.keys, base_url=served.base_url) as kq:
                tried = _httpx_must_not_send(monkeypatch)
                await kq.with_options(timeout=httpx.Timeout(3.0)).cancel_order(order.order_id)
                assert tried == []

        asyncio.run(run())
    assert venue.order(order.order_id).state == "canceled"


def test_a_respx_mock_installed_after_the_copy_was_made_sees_its_requests() -> None:
    venue = KucoinExchange()  # never served: a request that got past the mock would fail

    async def run() -> None:
        base_url = "https://api.kucoin.com"
        async with AsyncKucoinSpotCancelOrder(keys=venue.keys, base_url=base_url) as kc:
            copy = kc.with_options(timeout=httpx.Timeout(3.0))
            with respx.mock(using="httpx", base_url=base_url) as router:
                route = router.delete(path__regex=r"^/api/v1/hf/orders/").respond(
                    200, json={"code": "200000", "data": {"orderId": "6711"}}
                )
                await copy.cancel_order_by_order_id("6711", "BTC-USDT")
            assert route.call_count == 1

    asyncio.run(run())


def test_closing_the_original_stops_the_copy_before_anything_is_sent() -> None:
    from ordercancel import ClientClosedError

    venue = KucoinExchange()
    order = venue.add_order("BTC-USDT")
    with venue.serve() as served:

        async def run() -> None:
            kc = AsyncKucoinSpotCancelOrder(keys=venue.keys, base_url=served.base_url)
            copy = kc.with_options()
            await kc.aclose()
            with pytest.raises(ClientClosedError):
                await copy.cancel_order_by_order_id(order.order_id, "BTC-USDT")

        asyncio.run(run())
        assert venue.received == []
    assert venue.order(order.order_id).state == "live"


def test_a_copy_refused_in_another_loop_still_works_in_its_own() -> None:
    """A call from the wrong event loop is refused, and does not tie the copy to that loop."""
    import threading

    from ordercancel import WrongEventLoopError

    venue = KucoinExchange()
    order = venue.add_order("BTC-USDT")
    with venue.serve() as served:

        async def run() -> None:
            async with AsyncKucoinSpotCancelOrder(keys=venue.keys, base_url=served.base_url) as kc:
                await kc.sync_time()  # the original has sent in this loop
                copy = kc.with_options()
                refused: list[BaseException] = []

                def elsewhere() -> None:
                    try:
                        asyncio.run(copy.cancel_order_by_order_id(order.order_id, "BTC-USDT"))
                    except WrongEventLoopError as exc:
                        refused.append(exc)

                thread = threading.Thread(target=elsewhere)
                thread.start()
                thread.join()
                assert len(refused) == 1
                assert venue.order(order.order_id).state == "live"  # nothing was sent
                await copy.cancel_order_by_order_id(order.order_id, "BTC-USDT")

        asyncio.run(run())
    assert venue.order(order.order_id).state == "cancelled"
