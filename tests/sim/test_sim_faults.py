"""Fault injection, in-process and served, before and after the state change."""

from __future__ import annotations

import time
from collections.abc import Callable

import httpx
import pytest
from ordercancel import (
    APIConnectionError,
    APITimeoutError,
    KucoinServerError,
    KucoinSpotCancelOrder,
    KucoinUnexpectedResponse,
    KuestCancelOrder,
    KuestServerError,
    RetryPolicy,
)
from ordercancel.testing import Fault, KucoinExchange

SYM = "BTC-USDT"


@pytest.fixture(params=["inprocess", "served"])
def kucoin(request):
    ex = KucoinExchange()
    if request.param == "inprocess":
        yield ex, httpx.Client(base_url=ex.base_url, transport=ex.transport(), timeout=2)
    else:
        with ex.serve() as served, httpx.Client(base_url=served.base_url, timeout=2) as client:
            yield ex, client


def cancel(ex: KucoinExchange, client: httpx.Client, kc_sign, order_id: str) -> httpx.Response:
    target = f"/api/v1/hf/orders/{order_id}?symbol={SYM}"
    return client.delete(target, headers=kc_sign(ex.keys, "DELETE", target))


@pytest.mark.parametrize("when", ["before", "after"])
def test_server_error(kucoin, kc_sign, when):
    ex, client = kucoin
    order = ex.add_order(SYM, "1")
    ex.faults.server_error(status=502, when=when)
    response = cancel(ex, client, kc_sign, order.order_id)
    assert response.status_code == 502
    assert response.json() == {"code": "500000", "msg": "Internal Server Error"}
    expected = "live" if when == "before" else "cancelled"
    assert ex.order(order.order_id).state == expected
    assert ex.faults.pending == 0


def test_html_page(kucoin, kc_sign):
    ex, client = kucoin
    order = ex.add_order(SYM, "1")
    ex.faults.html()
    response = cancel(ex, client, kc_sign, order.order_id)
    assert response.status_code == 502
    assert response.headers["content-type"].startswith("text/html")
    assert b"<html>" in response.content
    assert ex.order(order.order_id).state == "live"


def test_empty_body(kucoin, kc_sign):
    ex, client = kucoin
    order = ex.add_order(SYM, "1")
    ex.faults.empty(when="after")
    response = cancel(ex, client, kc_sign, order.order_id)
    assert (response.status_code, response.content) == (200, b"")
    assert ex.order(order.order_id).state == "cancelled"


def test_next_n_then_normal(kucoin, kc_sign):
    ex, client = kucoin
    ex.faults.server_error(count=2)
    ex.faults.empty()
    statuses = [client.get("/api/v1/timestamp").status_code for _ in range(4)]
    assert statuses == [503, 503, 200, 200]
    assert client.get("/api/v1/timestamp").json()["code"] == "200000"


@pytest.mark.parametrize("when", ["before", "after"])
def test_drop(kucoin, kc_sign, when):
    ex, client = kucoin
    order = ex.add_order(SYM, "1")
    ex.faults.drop(when=when)
    with pytest.raises((httpx.RemoteProtocolError, httpx.ReadError)):
        cancel(ex, client, kc_sign, order.order_id)
    expected = "live" if when == "before" else "cancelled"
    assert ex.order(order.order_id).state == expected
    assert cancel(ex, client, kc_sign, order.order_id).status_code == 200  # the next one is fine


def test_delay(kucoin, kc_sign):
    ex, client = kucoin
    order = ex.add_order(SYM, "1")
    ex.faults.delay(0.2)
    start = time.perf_counter()
    assert cancel(ex, client, kc_sign, order.order_id).json()["code"] == "200000"
    assert time.perf_counter() - start >= 0.2


def wait_until(condition: Callable[[], bool], what: str) -> None:
    """Wait (at most 20 s: a liveness bound, not a timing assertion) for `condition`."""
    deadline = time.monotonic() + 20
    while not condition():
        assert time.monotonic() < deadline, f"never happened: {what}"
        time.sleep(0.005)


@pytest.mark.parametrize(("when", "expected"), [("before", "live"), ("after", "cancelled")])
def test_delay_past_the_timeout(kucoin, kc_sign, when, expected):
    ex, client = kucoin
    order = ex.add_order(SYM, "1")
    ex.faults.delay(0.5, when=when)
    target = f"/api/v1/hf/orders/{order.order_id}?symbol={SYM}"
    with pytest.raises(httpx.ReadTimeout):
        client.delete(target, headers=kc_sign(ex.keys, "DELETE", target), timeout=0.1)
    # A loaded server may take the request after the client's 0.1 s ran out: wait until it has
    # (it takes the planned fault as it starts answering).
    wait_until(lambda: ex.faults.pending == 0, "the venue took the request")
    if when == "before":
        time.sleep(0.5 + 0.2)  # a "before" delay that was not abandoned would apply by now
    else:  # the venue acted, then delayed its answer
        wait_until(lambda: ex.order(order.order_id).state == expected, "the venue's cancel")
    assert ex.order(order.order_id).state == expected


def test_client_sees_lost_answer_after_cancel(kucoin_exchange):
    """The cancel reached the venue but the answer was lost: the client raises; state moved."""
    ex = kucoin_exchange
    order = ex.add_order(SYM, "1")
    ex.faults.drop(when="after")
    with KucoinSpotCancelOrder(keys=ex.keys, base_url=ex.base_url) as kc:
        with pytest.raises(APIConnectionError):
            kc.cancel_order_by_order_id(order.order_id, SYM)
        assert ex.order(order.order_id).state == "cancelled"
        ex.faults.html()
        with pytest.raises((KucoinUnexpectedResponse, KucoinServerError)):
            kc.cancel_all_orders()


def test_client_timeout_inprocess():
    ex = KucoinExchange()
    order = ex.add_order(SYM, "1")
    ex.faults.delay(5, when="after")
    with (
        KucoinSpotCancelOrder(
            keys=ex.keys, transport=ex.transport(), timeout=httpx.Timeout(0.1)
        ) as kc,
        pytest.raises(APITimeoutError),
    ):
        kc.cancel_order_by_order_id(order.order_id, SYM)
    assert ex.order(order.order_id).state == "cancelled"


@pytest.mark.asyncio
async def test_async_delay_does_not_block_the_loop():
    ex = KucoinExchange()
    ex.faults.delay(0.2, count=5)
    async with httpx.AsyncClient(base_url=ex.base_url, transport=ex.transport()) as client:
        import asyncio

        start = time.perf_counter()
        answers = await asyncio.gather(*(client.get("/api/v1/timestamp") for _ in range(5)))
        assert time.perf_counter() - start < 0.6
    assert {a.status_code for a in answers} == {200}


@pytest.mark.asyncio
async def test_async_drop_inprocess():
    ex = KucoinExchange()
    ex.faults.drop()
    async with httpx.AsyncClient(base_url=ex.base_url, transport=ex.transport()) as client:
        with pytest.raises(httpx.RemoteProtocolError):
            await client.get("/api/v1/timestamp")


def test_kuest_faults(kuest_exchange, kq_sign):
    ex = kuest_exchange
    order = ex.add_order()
    ex.faults.server_error(status=500, when="after")
    with KuestCancelOrder(keys=ex.keys, base_url=ex.base_url, retry=RetryPolicy(attempts=1)) as kq:
        with pytest.raises(KuestServerError) as info:
            kq.cancel_order(order.order_id)
        assert info.value.error == "Internal server error"
    assert ex.order(order.order_id).state == "canceled"
    ex.faults.drop()
    with pytest.raises(httpx.RemoteProtocolError):
        httpx.delete(f"{ex.base_url}/cancel-all", headers=kq_sign(ex.keys, "DELETE", "/cancel-all"))


def test_kuest_empty_before_is_a_false_success(kuest_exchange_inprocess, kq_sign):
    ex = kuest_exchange_inprocess
    order = ex.add_order()
    ex.faults.empty(when="before")
    client = httpx.Client(base_url=ex.base_url, transport=ex.transport())
    body = b'{"orderId":"' + order.order_id.encode() + b'"}'
    response = client.request(
        "DELETE", "/order", headers=kq_sign(ex.keys, "DELETE", "/order", body), content=body
    )
    assert (response.status_code, response.content) == (200, b"")
    assert ex.order(order.order_id).state == "live"


def test_fault_plan_api():
    ex = KucoinExchange()
    ex.faults.add(Fault("html", "after", status=500), count=2)
    assert ex.faults.pending == 2
    ex.faults.clear()
    assert ex.faults.pending == 0
    with pytest.raises(ValueError, match="count"):
        ex.faults.drop(count=0)
    with pytest.raises(ValueError, match="5xx"):
        ex.faults.server_error(status=404)
    with pytest.raises(ValueError, match="seconds"):
        ex.faults.delay(-1)
