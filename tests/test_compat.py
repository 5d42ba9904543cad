"""Each private touch of `ordercancel._compat` still works as relied upon.

A test per function: the attribute is there, and it behaves as `_compat` says. An httpx or
aiohttp upgrade that renames or changes one fails here, by name, before a cancel can.
"""

from __future__ import annotations

import asyncio
import socket
import threading
from collections.abc import Iterator

import aiohttp
import httpx
import pytest
from ordercancel import _compat


def _answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, headers={"Set-Cookie": "seen=1; Path=/"}, json={})


def test_instance_memo_is_the_clients_own_dict_and_clashes_with_nothing() -> None:
    for client in (httpx.Client(), httpx.AsyncClient()):
        memo = _compat.instance_memo(client)
        assert memo is vars(client)
        assert not [key for key in dir(type(client)) if key.startswith("_ordercancel")]
        memo["_ordercancel_probe"] = 1
        assert client._ordercancel_probe == 1  # type: ignore[union-attr]


class _CountingCookies(httpx.Cookies):
    extracted = 0

    def extract_cookies(self, response: httpx.Response) -> None:
        type(self).extracted += 1
        super().extract_cookies(response)


def test_set_cookie_store_is_the_store_httpx_reads_and_fills() -> None:
    client = httpx.Client(transport=httpx.MockTransport(_answer), base_url="http://venue")
    store = _CountingCookies(client.cookies.jar)
    _compat.set_cookie_store(client, store)
    assert client.cookies is store  # `cookies` returns it
    first = client.get("/a")
    second = client.get("/b")
    assert _CountingCookies.extracted == 2  # httpx shows it every answer
    assert "cookie" not in first.request.headers
    assert second.request.headers["cookie"] == "seen=1"  # and sends what it holds


def test_transport_for_url_is_the_transport_send_uses_mounts_first() -> None:
    own = httpx.MockTransport(_answer)
    mounted = httpx.MockTransport(_answer)
    client = httpx.Client(transport=own, mounts={"http://proxied": mounted})
    assert _compat.transport_for_url(client, httpx.URL("http://venue/x")) is own
    assert _compat.transport_for_url(client, httpx.URL("http://proxied/x")) is mounted
    aclient = httpx.AsyncClient(transport=httpx.MockTransport(_answer))
    assert _compat.transport_for_url(aclient, httpx.URL("http://venue/x")) is aclient._transport


@pytest.fixture
def drops_after_first_answer() -> Iterator[tuple[str, list[int]]]:
    """A 127.0.0.1 server answering one request per connection (keep-alive), then closing it
    unannounced: the next request on that connection meets a closed socket."""
    listener = socket.create_server(("127.0.0.1", 0))
    requests: list[int] = []
    stop = threading.Event()

    def serve() -> None:
        listener.settimeout(0.2)
        while not stop.is_set():
            try:
                connection, _ = listener.accept()
            except TimeoutError:
                continue
            with connection:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = connection.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                if data:
                    requests.append(1)
                    connection.sendall(
                        b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\nConnection: keep-alive\r\n\r\n{}"
                    )
                    if connection.recv(4096):  # the next request on this connection: dropped
                        requests.append(1)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", requests
    stop.set()
    thread.join(5)
    listener.close()


async def _two_deletes(url: str, disable: bool) -> BaseException | None:
    async with aiohttp.ClientSession() as session:
        if disable:
            _compat.disable_aiohttp_retry(session)
        async with session.delete(url + "/one") as first:
            await first.read()
        try:
            async with session.delete(url + "/two") as second:
                await second.read()
        except aiohttp.ClientError as exc:
            return exc
        return None


def test_disable_aiohttp_retry_stops_aiohttp_resending_a_delete(
    drops_after_first_answer: tuple[str, list[int]],
) -> None:
    url, requests = drops_after_first_answer
    assert asyncio.run(_two_deletes(url, disable=False)) is None  # aiohttp resent it
    assert len(requests) == 3  # the second DELETE reached the server twice
    requests.clear()
    assert isinstance(asyncio.run(_two_deletes(url, disable=True)), aiohttp.ClientError)
    assert len(requests) == 2  # the second reached it once: the drop is the caller's to see


def test_disable_aiohttp_cookies_keeps_no_cookie() -> None:
    async def run() -> None:
        async with aiohttp.ClientSession() as session:
            assert isinstance(session.cookie_jar, aiohttp.CookieJar)
            _compat.disable_aiohttp_cookies(session)
            assert isinstance(session.cookie_jar, aiohttp.DummyCookieJar)  # the one it reads
            session.cookie_jar.update_cookies({"seen": "1"})
            assert len(session.cookie_jar) == 0

    asyncio.run(run())


def test_header_items_is_the_list_every_headers_change_goes_through() -> None:
    headers = httpx.Headers({"X-One": "1"})
    items = _compat.header_items(headers)
    assert items == [(b"X-One", b"x-one", b"1")]
    before = list(items)
    headers["x-one"] = "2"  # an in-place change replaces an item of the same list
    assert _compat.header_items(headers) is items
    assert items != before
    headers["X-Two"] = "3"
    assert [name for _, name, _ in _compat.header_items(headers)] == [b"x-one", b"x-two"]
    del headers["x-one"]
    assert [name for _, name, _ in _compat.header_items(headers)] == [b"x-two"]


def test_jar_holds_cookies_is_false_only_for_an_empty_jar() -> None:
    cookies = httpx.Cookies()
    assert not _compat.jar_holds_cookies(cookies.jar)
    cookies.set("seen", "1", domain="example.com")
    assert _compat.jar_holds_cookies(cookies.jar)
    cookies.clear()
    assert not _compat.jar_holds_cookies(cookies.jar)
    client = httpx.Client(transport=httpx.MockTransport(_answer), base_url="http://example.com")
    client.get("/")  # an answer that sets a cookie fills the jar
    assert _compat.jar_holds_cookies(client.cookies.jar)
    client.close()
