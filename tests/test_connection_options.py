"""`transport=` and `http_client=` of the wrong kind are refused when the client is built.

Before, an async client given a sync `httpx.Client` sent the cancel (blocking the loop) and then
raised a bare TypeError, so the caller believed it had failed; other wrong values failed on the
first call with an AttributeError. Now each is a `ConfigurationError` naming the option, and a
capture server shows nothing was sent.
"""

from __future__ import annotations

import http.server
import threading
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    ConfigurationError,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
)
from ordercancel.testing import KucoinExchange, KuestExchange


class _Counting(http.server.ThreadingHTTPServer):
    requests = 0


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Counting

    def _answer(self) -> None:
        self.server.requests += 1
        self.send_response(500)
        self.send_header("Content-Length", "0")
        self.end_headers()

    do_GET = do_DELETE = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def server() -> Iterator[_Counting]:
    srv = _Counting(("127.0.0.1", 0), _Handler)
    thread = threading.Thread(target=srv.serve_forever, daemon=True)
    thread.start()
    yield srv
    srv.shutdown()
    srv.server_close()


def _keys(cls: type) -> Any:
    return KucoinExchange().keys if "Kucoin" in cls.__name__ else KuestExchange().keys


CASES = [
    pytest.param(
        AsyncKucoinSpotCancelOrder,
        {"http_client": httpx.Client},
        "http_client",
        id="async-given-sync-client",
    ),
    pytest.param(
        AsyncKuestCancelOrder,
        {"http_client": httpx.Client},
        "http_client",
        id="kuest-async-given-sync-client",
    ),
    pytest.param(
        KucoinSpotCancelOrder,
        {"http_client": httpx.AsyncClient},
        "http_client",
        id="sync-given-async-client",
    ),
    pytest.param(
        KuestCancelOrder,
        {"transport": httpx.AsyncHTTPTransport},
        "transport",
        id="sync-given-async-transport",
    ),
    pytest.param(
        AsyncKucoinSpotCancelOrder,
        {"transport": httpx.HTTPTransport},
        "transport",
        id="async-given-sync-transport",
    ),
    pytest.param(
        KucoinSpotCancelOrder, {"transport": lambda: "x"}, "transport", id="transport-a-str"
    ),
    pytest.param(
        AsyncKuestCancelOrder, {"http_client": lambda: 1}, "http_client", id="http-client-an-int"
    ),
    pytest.param(
        KucoinSpotCancelOrder,
        {"http_client": httpx.Client, "transport": httpx.HTTPTransport},
        "not both",
        id="both",
    ),
    pytest.param(
        KuestCancelOrder,
        {"http_client": lambda: httpx.Client(timeout=None)},
        "timeout",
        id="no-timeout",
    ),
]


@pytest.mark.parametrize(("cls", "makers", "named"), CASES)
def test_a_wrong_connection_option_is_refused_before_anything_is_sent(
    server: _Counting, cls: type, makers: dict[str, Any], named: str
) -> None:
    options = {name: make() for name, make in makers.items()}
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    with pytest.raises(ConfigurationError, match=named):
        cls(keys=_keys(cls), base_url=base_url, **options)
    assert server.requests == 0


def test_your_client_without_a_timeout_is_fine_when_you_give_one(server: _Counting) -> None:
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    yours = httpx.Client(timeout=None)
    client = KucoinSpotCancelOrder(
        keys=_keys(KucoinSpotCancelOrder),
        base_url=base_url,
        http_client=yours,
        timeout=httpx.Timeout(2.0),
    )
    assert client.timeout == httpx.Timeout(2.0)
    yours.close()
