"""Issue 14, item 1: `with_options(...)` returns a configured copy sharing the connection pool.

Met as a user meets it: a KuCoin (or Kuest) client, a copy with another timeout or key, calls on
both. A small keep-alive HTTP server on 127.0.0.1 records which TCP connection each request came
on (one client port per connection), so "shares the pool" is what the server sees: the copy's
request reuses the first client's connection. A respx mock shows the timeout each request was
sent with. Closing rules: a copy's close leaves the first client (and the pool) open; closing
the first client ends every copy; with_options on a closed client raises.
"""

from __future__ import annotations

import asyncio
import json
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
import respx
from ordercancel import (
    APITimeoutError,
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    ClientClosedError,
    KucoinKeys,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
    KuestKeys,
    RateLimiter,
    RetryPolicy,
)

KEYS = KucoinKeys(api_key="key-one", api_secret="secret", api_passphrase="pass")
OTHER_KEYS = KucoinKeys(api_key="key-two", api_secret="secret2", api_passphrase="pass2")
KUEST_KEYS = KuestKeys(
    address="0x" + "ab" * 20, api_key="kuest-key", api_secret="c2VjcmV0", api_passphrase="pp"
)
FAST_ID, SLOW_ID = "aa" * 12, "bb" * 12  # the server answers SLOW_ID after SLOW_S
SLOW_S = 1.0
ONCE = RetryPolicy(attempts=1)


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive: one connection serves many requests

    def do_DELETE(self) -> None:
        server: _Server = self.server  # type: ignore[assignment]
        server.seen.append((self.client_address[1], self.headers.get("KC-API-KEY", "")))
        order_id = self.path.split("?")[0].rsplit("/", 1)[-1]
        if order_id == SLOW_ID:
            time.sleep(SLOW_S)
        body = json.dumps({"code": "200000", "data": {"orderId": order_id}}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
        except BrokenPipeError:  # the client timed out and dropped the connection
            self.close_connection = True

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.seen: list[tuple[int, str]] = []  # (client port, api key) per request

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def connections(self) -> int:
        return len({port for port, _ in self.seen})


@pytest.fixture
def server() -> Iterator[_Server]:
    srv = _Server()
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def test_a_copy_sends_on_the_first_clients_connection_with_its_own_key(server: _Server) -> None:
    with KucoinSpotCancelOrder(keys=KEYS, base_url=server.url) as kc:
        kc.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
        copy = kc.with_options(keys=OTHER_KEYS, timeout=httpx.Timeout(3.0))
        assert copy.keys is OTHER_KEYS
        assert kc.keys is KEYS
        assert copy.timeout == httpx.Timeout(3.0)
        assert kc.timeout != copy.timeout
        copy.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
        kc.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
    assert [key for _, key in server.seen] == ["key-one", "key-two", "key-one"]
    assert server.connections() == 1  # one pool: the copy reused the first client's connection


def test_a_new_client_opens_its_own_connection(server: _Server) -> None:
    """The control for the test above: two clients, two connections."""
    one = KucoinSpotCancelOrder(keys=KEYS, base_url=server.url)
    with one, KucoinSpotCancelOrder(keys=KEYS, base_url=server.url) as two:
        one.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
        two.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
    assert server.connections() == 2


def test_a_copy_with_a_short_timeout_times_out_where_its_parent_does_not(server: _Server) -> None:
    with KucoinSpotCancelOrder(keys=KEYS, base_url=server.url, retry=ONCE) as kc:
        hasty = kc.with_options(timeout=httpx.Timeout(SLOW_S / 10))
        with pytest.raises(APITimeoutError):
            hasty.cancel_order_by_order_id(SLOW_ID, "BTC-USDT")
        assert kc.cancel_order_by_order_id(SLOW_ID, "BTC-USDT").order_id == SLOW_ID


@respx.mock(base_url="https://api.kucoin.com")
def test_each_request_carries_its_clients_timeout(respx_mock: respx.MockRouter) -> None:
    route = respx_mock.delete(f"/api/v1/hf/orders/{FAST_ID}").mock(
        return_value=httpx.Response(200, json={"code": "200000", "data": {"orderId": FAST_ID}})
    )
    with KucoinSpotCancelOrder(keys=KEYS) as kc:
        copy = kc.with_options(timeout=httpx.Timeout(2.5, connect=1.5))
        copy.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
        kc.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
    sent = [call.request.extensions["timeout"] for call in route.calls]
    assert sent[0] == {"connect": 1.5, "read": 2.5, "write": 2.5, "pool": 2.5}
    assert sent[1] == {"connect": 5.0, "read": 10.0, "write": 10.0, "pool": 10.0}


def test_closing_a_copy_leaves_the_first_client_and_its_pool_open(server: _Server) -> None:
    kc = KucoinSpotCancelOrder(keys=KEYS, base_url=server.url)
    with kc.with_options(timeout=httpx.Timeout(3.0)) as copy:
        copy.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
    with pytest.raises(ClientClosedError, match="nothing was sent"):
        copy.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
    kc.cancel_order_by_order_id(FAST_ID, "BTC-USDT")  # still open, on the same connection
    kc.with_options().cancel_order_by_order_id(FAST_ID, "BTC-USDT")  # copies still work
    kc.close()
    assert len(server.seen) == 3
    assert server.connections() == 1


def test_closing_the_first_client_ends_every_copy_and_copies_of_copies(server: _Server) -> None:
    kc = KucoinSpotCancelOrder(keys=KEYS, base_url=server.url)
    copy = kc.with_options(timeout=httpx.Timeout(3.0))
    grandchild = copy.with_options(keys=OTHER_KEYS)
    copy.close()  # a copy of a copy uses the first client's pool, not the copy's
    grandchild.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
    kc.close()
    for client in (kc, grandchild):
        with pytest.raises(ClientClosedError, match="nothing was sent"):
            client.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
    assert len(server.seen) == 1


def test_with_options_on_a_closed_client_raises(server: _Server) -> None:
    kc = KucoinSpotCancelOrder(keys=KEYS, base_url=server.url)
    copy = kc.with_options()
    kc.close()
    for closed in (kc, copy):
        with pytest.raises(ClientClosedError):
            closed.with_options(timeout=httpx.Timeout(1.0))
    assert server.seen == []


def test_a_copy_shares_the_rate_limiter_unless_given_one() -> None:
    limiter, other = RateLimiter(10, 1.0), RateLimiter(5, 1.0)
    kc = KucoinSpotCancelOrder(keys=KEYS, rate_limiter=limiter)
    assert kc.with_options().rate_limiter is limiter
    assert kc.with_options(rate_limiter=other).rate_limiter is other
    assert kc.with_options(rate_limiter=None).rate_limiter is None
    kq = KuestCancelOrder(keys=KUEST_KEYS)
    assert kq.with_options(max_in_flight=3).rate_limiter is kq.rate_limiter
    assert kq.with_options(max_in_flight=3).max_in_flight == 3
    kc.close()
    kq.close()


def test_a_copy_starts_from_the_clients_options_as_they_are_now(server: _Server) -> None:
    kc = KucoinSpotCancelOrder(keys=KEYS, base_url=server.url)
    limiter, policy = RateLimiter(10, 1.0), RetryPolicy(attempts=2)
    kc.rate_limiter, kc.retry, kc.keys = limiter, policy, OTHER_KEYS  # set after construction
    copy = kc.with_options()
    assert copy.rate_limiter is limiter
    assert copy.retry is policy
    copy.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
    assert server.seen[-1][1] == OTHER_KEYS.api_key  # the copy signs with the keys set last
    kq = KuestCancelOrder(keys=KUEST_KEYS)
    kq.max_in_flight, kq.id_field = 4, "orderID"
    kq_copy = kq.with_options()
    assert (kq_copy.max_in_flight, kq_copy.id_field) == (4, "orderID")
    for client in (copy, kc, kq_copy, kq):
        client.close()


def test_a_copy_keeps_the_clock_offset_measured_so_far() -> None:
    kc = KucoinSpotCancelOrder(keys=KEYS, clock=lambda: 1_000)
    kc._apply_server_time(1_000, 1_750, 1_000)
    assert kc.with_options().clock_offset_ms == 750
    assert kc.with_options(clock=lambda: 5).clock_offset_ms == 0
    kc.close()


def test_a_bad_option_in_a_copy_raises_before_anything_is_sent() -> None:
    from ordercancel import ConfigurationError

    with KuestCancelOrder(keys=KUEST_KEYS) as kq:
        with pytest.raises(ConfigurationError):
            kq.with_options(id_field="order_id")  # type: ignore[arg-type]
        with pytest.raises(ConfigurationError):
            kq.with_options(base_url="ftp://example.com")


def test_async_copy_shares_the_connection_and_closes_alone(server: _Server) -> None:
    async def main() -> None:
        async with AsyncKucoinSpotCancelOrder(keys=KEYS, base_url=server.url, retry=ONCE) as kc:
            await kc.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
            copy = kc.with_options(keys=OTHER_KEYS, timeout=httpx.Timeout(SLOW_S / 10))
            with pytest.raises(APITimeoutError):
                await copy.cancel_order_by_order_id(SLOW_ID, "BTC-USDT")
            await copy.aclose()
            with pytest.raises(ClientClosedError):
                await copy.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
            await kc.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
            later = kc.with_options(keys=OTHER_KEYS)
            await later.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
        with pytest.raises(ClientClosedError):
            await later.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
        with pytest.raises(ClientClosedError):
            kc.with_options()

    asyncio.run(main())
    keys = [key for _, key in server.seen]
    assert keys == ["key-one", "key-two", "key-one", "key-two"]
    ports = [port for port, _ in server.seen]
    assert ports[1] == ports[0]  # the copy sent on the first client's connection
    assert ports[3] == ports[2]  # which the timeout dropped; the next one is shared as well


def test_async_kuest_copy_is_the_same_twin() -> None:
    async def main() -> None:
        async with AsyncKuestCancelOrder(keys=KUEST_KEYS) as kq:
            copy = kq.with_options(heartbeat_path="/v1/heartbeats")
            assert type(copy) is AsyncKuestCancelOrder
            assert copy.heartbeat_path == "/v1/heartbeats"
            assert kq.heartbeat_path == "/heartbeats"
            assert copy.rate_limiter is kq.rate_limiter

    asyncio.run(main())


@pytest.mark.parametrize("venue", ["kucoin", "kuest"])
@pytest.mark.parametrize("mode", ["sync", "async"])
def test_every_twins_copy_cancels_through_the_simulator(venue: str, mode: str) -> None:
    """All four clients: a copy's requests are signed and accepted by the venue's model."""
    from ordercancel.testing import KucoinExchange, KuestExchange

    exchange: Any = KucoinExchange() if venue == "kucoin" else KuestExchange()
    order = exchange.add_order()
    cls: Any = {
        ("sync", "kucoin"): KucoinSpotCancelOrder,
        ("async", "kucoin"): AsyncKucoinSpotCancelOrder,
        ("sync", "kuest"): KuestCancelOrder,
        ("async", "kuest"): AsyncKuestCancelOrder,
    }[(mode, venue)]
    client = cls(keys=exchange.keys, transport=exchange.transport())
    copy = client.with_options(timeout=httpx.Timeout(2.0))
    args = (order.order_id, order.symbol) if venue == "kucoin" else (order.order_id,)
    method = "cancel_order_by_order_id" if venue == "kucoin" else "cancel_order"

    async def run_async() -> None:
        await getattr(copy, method)(*args)
        await copy.aclose()
        await client.aclose()

    if mode == "sync":
        getattr(copy, method)(*args)
        copy.close()
        client.close()
    else:
        asyncio.run(run_async())
    assert exchange.order(order.order_id).state in {"cancelled", "canceled"}


def test_a_copy_of_a_client_on_your_http_client_leaves_it_yours(server: _Server) -> None:
    with httpx.Client() as yours:
        kc = KucoinSpotCancelOrder(keys=KEYS, base_url=server.url, http_client=yours)
        copy = kc.with_options(keys=OTHER_KEYS)
        copy.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
        copy.close()
        kc.close()
        assert not yours.is_closed  # neither closes a client you passed in
        kc.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
        assert server.connections() == 1  # the copy used your client's connection
        again = kc.with_options()
    with pytest.raises(ClientClosedError):  # your client closed: its pool is gone
        again.cancel_order_by_order_id(FAST_ID, "BTC-USDT")
