"""Issue 12, item 1: no request escapes a user's mock.

A bot's tests mock the venue the way the README shows: respx at the httpx level
(`respx.mock(using="httpx")`, as decorator, context manager or the `respx_mock` fixture), or the
simulator (`ordercancel.testing`), in-process or served. Each test runs every operation of a
venue, sync or async, with the default transport, and requires each request to reach the mock
and none to reach a real socket: `base_url` is a port on 127.0.0.1 that accepts connections,
never answers, and counts them (`Listener`). Before the fix the async clients' direct path sent
straight to aiohttp, so respx never saw their requests and the listener did.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import respx
from ordercancel.testing import KucoinExchange, KuestExchange
from support.user_calls import (
    CALLS,
    CLIENT_OID,
    KUCOIN_KEYS,
    ORDER_ID,
    PARTIAL_ID,
    QUICK,
    Listener,
    Seen,
    make_client,
    run_every_call_async,
    run_every_call_sync,
    seed,
)


@pytest.fixture
def listener() -> Iterator[Listener]:
    port = Listener()
    yield port
    port.close()


# ---------------------------------------------------------------------------------------------
# respx routes, written as a bot author would from the venues' documented answers.
# ---------------------------------------------------------------------------------------------


def _kucoin(data: Any) -> httpx.Response:
    return httpx.Response(200, json={"code": "200000", "data": data})


def _kuest_cancel(request: httpx.Request) -> httpx.Response:
    body = json.loads(request.content) if request.content else {}
    ids = body if isinstance(body, list) else [body["orderId"]] if "orderId" in body else []
    return httpx.Response(200, json={"canceled": ids, "not_canceled": {}})


def add_routes(router: respx.MockRouter, venue: str, base_url: str) -> None:
    """Every route of `venue` under `base_url` (each of them called by `CALLS[venue]`)."""
    if venue == "kucoin":
        orders = f"{base_url}/api/v1/hf/orders"
        router.delete(f"{orders}/{ORDER_ID}", params={"symbol": "BTC-USDT"}).mock(
            return_value=_kucoin({"orderId": ORDER_ID})
        )
        router.delete(f"{orders}/client-order/{CLIENT_OID}").mock(
            return_value=_kucoin({"clientOid": CLIENT_OID})
        )
        router.delete(f"{orders}/cancel/{PARTIAL_ID}").mock(
            return_value=_kucoin({"orderId": PARTIAL_ID, "cancelSize": "0.5"})
        )
        router.delete(orders, params={"symbol": "ETH-USDT"}).mock(return_value=_kucoin("success"))
        router.delete(f"{orders}/cancelAll").mock(
            return_value=_kucoin({"succeedSymbols": ["BTC-USDT"], "failedSymbols": []})
        )
        router.get(f"{base_url}/api/v1/timestamp").mock(return_value=_kucoin(1_700_000_000_000))
    else:
        for path in ("/order", "/orders", "/cancel-market-orders", "/cancel-all"):
            router.delete(f"{base_url}{path}").mock(side_effect=_kuest_cancel)


def seen_by(router: respx.MockRouter) -> Seen:
    return lambda: [(request.method, request.url.path) for request, _ in router.calls]


TWIN_VENUES = pytest.mark.parametrize("venue", ["kucoin", "kuest"])


# ---------------------------------------------------------------------------------------------
# respx, using="httpx": decorator, context manager, and the respx_mock fixture with its marker.
# ---------------------------------------------------------------------------------------------


@TWIN_VENUES
@respx.mock(using="httpx")
def test_respx_decorator_sees_every_sync_request(
    respx_mock: respx.MockRouter, listener: Listener, venue: str
) -> None:
    add_routes(respx_mock, venue, listener.url)
    with make_client("sync", venue, listener.url) as client:
        run_every_call_sync(client, venue, seen_by(respx_mock))
    assert listener.connections() == 0


@TWIN_VENUES
@pytest.mark.asyncio
@respx.mock(using="httpx")
async def test_respx_decorator_sees_every_async_request(
    respx_mock: respx.MockRouter, listener: Listener, venue: str
) -> None:
    add_routes(respx_mock, venue, listener.url)
    async with make_client("async", venue, listener.url) as client:
        await run_every_call_async(client, venue, seen_by(respx_mock))
    assert listener.connections() == 0


@TWIN_VENUES
def test_respx_context_manager_sees_every_sync_request(listener: Listener, venue: str) -> None:
    with respx.mock(using="httpx") as router:
        add_routes(router, venue, listener.url)
        with make_client("sync", venue, listener.url) as client:
            run_every_call_sync(client, venue, seen_by(router))
    assert listener.connections() == 0


@TWIN_VENUES
@pytest.mark.asyncio
async def test_respx_context_manager_sees_every_async_request(
    listener: Listener, venue: str
) -> None:
    with respx.mock(using="httpx") as router:
        add_routes(router, venue, listener.url)
        async with make_client("async", venue, listener.url) as client:
            await run_every_call_async(client, venue, seen_by(router))
    assert listener.connections() == 0


@TWIN_VENUES
@pytest.mark.asyncio
@pytest.mark.respx(using="httpx")
async def test_respx_fixture_with_marker_sees_every_async_request(
    respx_mock: respx.MockRouter, listener: Listener, venue: str
) -> None:
    add_routes(respx_mock, venue, listener.url)
    async with make_client("async", venue, listener.url) as client:
        await run_every_call_async(client, venue, seen_by(respx_mock))
    assert listener.connections() == 0


@TWIN_VENUES
def test_respx_default_mode_sees_every_sync_request(listener: Listener, venue: str) -> None:
    """The sync clients send through httpx's own (httpcore) transport: both modes see them."""
    with respx.mock as router:
        add_routes(router, venue, listener.url)
        with make_client("sync", venue, listener.url) as client:
            run_every_call_sync(client, venue, seen_by(router))
    assert listener.connections() == 0


@TWIN_VENUES
@pytest.mark.asyncio
async def test_respx_unmatched_request_is_an_error_not_a_network_call(
    listener: Listener, venue: str
) -> None:
    """A request no route matches fails in the mock (respx's assert_all_mocked), never sent."""
    with respx.mock(using="httpx", assert_all_called=False):
        async with make_client("async", venue, listener.url) as client:
            call = CALLS[venue][0]
            with pytest.raises(AssertionError, match="RESPX"):
                await getattr(client, call.name)(*call.args, **call.kwargs)
    assert listener.connections() == 0


# ---------------------------------------------------------------------------------------------
# The simulator, the other documented way: in-process (no socket at all) and served.
# ---------------------------------------------------------------------------------------------


def _simulator_seen(exchange: Any) -> Seen:
    return lambda: [(r.method, r.raw_target.split("?")[0]) for r in exchange.received]


def _exchange(venue: str) -> Any:
    return KucoinExchange() if venue == "kucoin" else KuestExchange()


@TWIN_VENUES
def test_in_process_simulator_sees_every_sync_request(listener: Listener, venue: str) -> None:
    exchange = _exchange(venue)
    seed(exchange, venue)
    options = {"keys": exchange.keys, "transport": exchange.transport()}
    with make_client("sync", venue, listener.url, **options) as client:
        run_every_call_sync(client, venue, _simulator_seen(exchange))
    assert listener.connections() == 0


@TWIN_VENUES
@pytest.mark.asyncio
async def test_in_process_simulator_sees_every_async_request(
    listener: Listener, venue: str
) -> None:
    exchange = _exchange(venue)
    seed(exchange, venue)
    options = {"keys": exchange.keys, "transport": exchange.transport()}
    async with make_client("async", venue, listener.url, **options) as client:
        await run_every_call_async(client, venue, _simulator_seen(exchange))
    assert listener.connections() == 0


@pytest.fixture(params=["kucoin", "kuest"])
def served(request: pytest.FixtureRequest) -> tuple[str, Any]:
    """(venue, its served simulator), through the pytest plugin's own fixtures."""
    return request.param, request.getfixturevalue(f"{request.param}_exchange")


def test_served_simulator_sees_every_sync_request(served: tuple[str, Any]) -> None:
    venue, exchange = served
    seed(exchange, venue)
    with make_client("sync", venue, exchange.base_url, keys=exchange.keys) as client:
        run_every_call_sync(client, venue, _simulator_seen(exchange))


@pytest.mark.asyncio
async def test_served_simulator_sees_every_async_request(served: tuple[str, Any]) -> None:
    venue, exchange = served
    seed(exchange, venue)
    async with make_client("async", venue, exchange.base_url, keys=exchange.keys) as client:
        await run_every_call_async(client, venue, _simulator_seen(exchange))


# ---------------------------------------------------------------------------------------------
# Below the venue clients: the default async client defers to httpx's choice of transport.
# ---------------------------------------------------------------------------------------------


@pytest.mark.asyncio
async def test_default_async_client_sends_through_a_mount_httpx_chose(listener: Listener) -> None:
    """A request of the direct path's shape goes where httpx's mounts send it."""
    from ordercancel._aiohttp import DirectAsyncClient
    from ordercancel.kucoin._signing import KucoinAuth

    mounted: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        mounted.append(request)
        return _kucoin({"orderId": ORDER_ID})

    client = DirectAsyncClient(
        base_url=listener.url,
        auth=KucoinAuth(KUCOIN_KEYS, lambda: 1_700_000_000_000),
        timeout=QUICK,
        mounts={listener.url: httpx.MockTransport(answer)},
    )
    async with client:
        response = await client.request(
            "DELETE", f"/api/v1/hf/orders/{ORDER_ID}", params={"symbol": "BTC-USDT"}
        )
    assert response.status_code == 200
    assert [str(r.url) for r in mounted] == [
        f"{listener.url}/api/v1/hf/orders/{ORDER_ID}?symbol=BTC-USDT"
    ]
    assert listener.connections() == 0


@pytest.mark.asyncio
async def test_respx_installed_after_the_first_request_sees_the_next(capture_server: Any) -> None:
    """A mock started while a client is in use sees its next request (no eligibility kept)."""
    capture_server.reset(
        body=json.dumps({"code": "200000", "data": {"orderId": ORDER_ID}}).encode()
    )
    async with make_client("async", "kucoin", capture_server.url) as client:
        await client.cancel_order_by_order_id(
            ORDER_ID, "BTC-USDT"
        )  # the direct path, to the server
        with respx.mock(using="httpx", assert_all_called=False) as router:
            add_routes(router, "kucoin", capture_server.url)
            await client.cancel_order_by_order_id(ORDER_ID, "BTC-USDT")
            assert len(router.calls) == 1
        await client.cancel_order_by_order_id(ORDER_ID, "BTC-USDT")  # mock gone: the server again
    assert len(capture_server.received) == 2
