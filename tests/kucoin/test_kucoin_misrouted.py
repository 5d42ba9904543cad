"""A misrouted answer is never "order not found" (issue 12, item 2), seen from the user's side.

A bot pointed at a wrong base URL (a typo in the prefix, the web site instead of the API, a proxy
in between) gets 404s and 409s that are not KuCoin's. Here a real HTTP server on 127.0.0.1
answers every request as nginx, a gateway or a proxy does, and the default clients (sync, and
async on its default transport) are pointed at it with a wrong prefix. Every operation must raise
a `KucoinUnexpectedResponse` carrying the status and the body: never `OrderNotCancellable`, which
a bot takes as "the order is gone". KuCoin's own envelope at those statuses is read as usual.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import pytest
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    KucoinKeys,
    KucoinOrderNotCancellable,
    KucoinSpotCancelOrder,
    KucoinUnexpectedResponse,
    OrderNotCancellable,
    UnexpectedResponse,
)
from support.kucoin import envelope

if TYPE_CHECKING:
    from conftest import CaptureServer  # tests/conftest.py's fixture type; not imported at run time

KEYS = KucoinKeys(api_key="k", api_secret="s", api_passphrase="p")
ORDER_ID = "671124f9365ccb00073debd4"
NGINX_404 = (
    b"<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    b"<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
# What answers a request that never reached KuCoin: (content type, body).
MISROUTED = {
    "nginx-html": ("text/html", NGINX_404),
    "proxy-text": ("text/plain; charset=utf-8", b"404 page not found\n"),
    "empty": ("text/plain", b""),
    "gateway-json": ("application/json", b'{"message":"Not Found"}'),
    "numeric-code-json": ("application/json", b'{"code":404,"msg":"order_not_exist"}'),
}
# Every operation, as a user calls it.
OPERATIONS: dict[str, tuple[Any, ...]] = {
    "cancel_order_by_order_id": (ORDER_ID, "BTC-USDT"),
    "cancel_order_by_client_oid": ("client order id 13", "BTC-USDT"),
    "cancel_partial_order": (ORDER_ID, "BTC-USDT", "0.5"),
    "cancel_all_orders_by_symbol": ("BTC-USDT",),
    "cancel_all_orders": (),
}


def _call(server: CaptureServer, is_async: bool, method: str) -> Any:
    """Call `method` on a default client with a wrong base URL; the error or the result."""
    base_url = server.url + "/not-the-api"
    if not is_async:
        with KucoinSpotCancelOrder(keys=KEYS, base_url=base_url) as client:
            try:
                return getattr(client, method)(*OPERATIONS[method])
            except Exception as exc:
                return exc

    async def run() -> Any:
        async with AsyncKucoinSpotCancelOrder(keys=KEYS, base_url=base_url) as client:
            call: Callable[..., Awaitable[Any]] = getattr(client, method)
            try:
                return await call(*OPERATIONS[method])
            except Exception as exc:
                return exc

    return asyncio.run(run())


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("method", list(OPERATIONS))
@pytest.mark.parametrize("status", [404, 409])
@pytest.mark.parametrize("answer", list(MISROUTED))
def test_a_misrouted_answer_is_unexpected_never_not_cancellable(
    capture_server: CaptureServer, is_async: bool, method: str, status: int, answer: str
) -> None:
    content_type, body = MISROUTED[answer]
    capture_server.reset(status, (("Content-Type", content_type), ("Server", "nginx")), body)

    error = _call(capture_server, is_async, method)

    assert [r.target.startswith("/not-the-api/") for r in capture_server.received] == [True]
    assert type(error) is KucoinUnexpectedResponse, repr(error)
    assert isinstance(error, UnexpectedResponse)
    assert not isinstance(error, OrderNotCancellable)
    assert (error.status_code, error.body, error.code) == (status, body, None)


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("method", list(OPERATIONS))
def test_kucoins_own_not_cancellable_envelope_keeps_its_meaning(
    capture_server: CaptureServer, is_async: bool, method: str
) -> None:
    body = envelope(None, code="400100", msg="order_not_exist_or_not_allow_to_cancel")
    capture_server.reset(404, (("Content-Type", "application/json"),), body)

    error = _call(capture_server, is_async, method)

    assert type(error) is KucoinOrderNotCancellable, repr(error)
    assert (error.status_code, error.body, error.code) == (404, body, "400100")
