"""A misrouted answer is never "order not found" (issue 12, item 2), seen from the user's side.

A bot pointed at a wrong base URL (a typo in the prefix, the web site instead of the API, a proxy
in between) gets 404s and 409s that are not Kuest's. Here a real HTTP server on 127.0.0.1 answers
every request as nginx, a gateway or a proxy does, and the default clients (sync, and async on
its default transport) are pointed at it with a wrong prefix. Every operation must raise (or
report, for the bulk cancel) a `KuestUnexpectedResponse` carrying the status and the body: never
`OrderNotFound` / `OrderNotCancellable`, which a bot takes as "the order is gone". Kuest's own
`{"error": ...}` answers at those statuses keep their meaning (last tests).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any

import pytest
from ordercancel import (
    AsyncKuestCancelOrder,
    KuestCancelOrder,
    KuestOrderNotCancellable,
    KuestOrderNotFound,
    KuestUnexpectedResponse,
    OrderNotCancellable,
    OrderOutcome,
    UnexpectedResponse,
)
from support.kuest import KEYS

if TYPE_CHECKING:
    from conftest import CaptureServer  # tests/conftest.py's fixture type; not imported at run time

ORDER = "0x38a73eed1e6d177545e9ab027abddfb7e08dbe975fa777123b1752d203d6ac88"
NGINX_404 = (
    b"<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    b"<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
# What answers a request that never reached Kuest: (content type, body).
MISROUTED = {
    "nginx-html": ("text/html", NGINX_404),
    "proxy-text": ("text/plain; charset=utf-8", b"404 page not found\n"),
    "empty": ("text/plain", b""),
    "gateway-json": ("application/json", b'{"message":"Not Found"}'),
    "framework-json": (
        "application/json",
        b'{"timestamp":"2026-01-01T00:00:00Z","status":404,"error":"Not Found","path":"/x/order"}',
    ),
}
# Every operation, as a user calls it: (method, args, kwargs).
OPERATIONS: dict[str, tuple[str, tuple[Any, ...], dict[str, Any]]] = {
    "cancel_order": ("cancel_order", (ORDER,), {}),
    "cancel_orders": ("cancel_orders", ([ORDER, "0xb2"],), {}),
    "cancel_orders-batch": ("cancel_orders", ([ORDER, "0xb2"],), {"batch": True}),
    "cancel_market_orders": ("cancel_market_orders", ("0x5f65177b",), {}),
    "cancel_all": ("cancel_all", (), {}),
}


def _call(server: CaptureServer, is_async: bool, operation: str) -> Any:
    """Call `operation` on a default client with a wrong base URL; the error or the result."""
    method, args, kwargs = OPERATIONS[operation]
    base_url = server.url + "/not-the-api"
    if not is_async:
        with KuestCancelOrder(keys=KEYS, base_url=base_url) as client:
            try:
                return getattr(client, method)(*args, **kwargs)
            except Exception as exc:
                return exc

    async def run() -> Any:
        async with AsyncKuestCancelOrder(keys=KEYS, base_url=base_url) as client:
            call: Callable[..., Awaitable[Any]] = getattr(client, method)
            try:
                return await call(*args, **kwargs)
            except Exception as exc:
                return exc

    return asyncio.run(run())


def _errors(outcome: Any) -> list[Any]:
    """The errors a user sees: the raised one, or each bulk outcome's."""
    if isinstance(outcome, list):
        assert all(isinstance(o, OrderOutcome) for o in outcome)
        return [o.error for o in outcome]
    return [outcome]


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize("status", [404, 409])
@pytest.mark.parametrize("answer", list(MISROUTED))
def test_a_misrouted_answer_is_unexpected_never_not_found(
    capture_server: CaptureServer, is_async: bool, operation: str, status: int, answer: str
) -> None:
    content_type, body = MISROUTED[answer]
    capture_server.reset(status, (("Content-Type", content_type), ("Server", "nginx")), body)

    errors = _errors(_call(capture_server, is_async, operation))

    assert capture_server.received, "the request reached the server"
    assert all(r.target.startswith("/not-the-api/") for r in capture_server.received)
    for error in errors:
        assert type(error) is KuestUnexpectedResponse, repr(error)
        assert isinstance(error, UnexpectedResponse)
        assert not isinstance(error, OrderNotCancellable)  # OrderNotFound included
        assert error.status_code == status
        assert error.body == body


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("operation", list(OPERATIONS))
@pytest.mark.parametrize(
    ("status", "message", "kind"),
    [
        (404, "Order not found", KuestOrderNotFound),
        (409, "Order is already filled or cancelled.", KuestOrderNotCancellable),
    ],
)
def test_kuests_own_error_body_keeps_its_meaning(
    capture_server: CaptureServer,
    is_async: bool,
    operation: str,
    status: int,
    message: str,
    kind: type[Exception],
) -> None:
    body = json.dumps({"error": message}).encode()
    capture_server.reset(status, (("Content-Type", "application/json"),), body)

    # Kuest documents 404/409 for DELETE /order only (a cancel by id, one or per id); on an
    # operation that names no single order, even Kuest's own body there means a wrong path.
    expected = kind if operation in ("cancel_order", "cancel_orders") else KuestUnexpectedResponse
    for error in _errors(_call(capture_server, is_async, operation)):
        assert type(error) is expected, repr(error)
        assert error.error == message
        assert error.body == body


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_wrong_path_prefix_on_the_simulator_is_never_news_about_orders(is_async: bool) -> None:
    """The simulator (like Kuest) answers an unknown path `404 {"error": "Not Found"}`: a
    cancel-all sent under a wrong prefix must not read as "nothing left to cancel"."""
    from ordercancel import AsyncKuestCancelOrder, KuestCancelOrder
    from ordercancel.testing import KuestExchange

    exchange = KuestExchange()
    order = exchange.add_order()
    with exchange.serve() as served:
        base_url = served.base_url + "/v1"
        if is_async:

            async def cancel_all() -> None:
                async with AsyncKuestCancelOrder(keys=exchange.keys, base_url=base_url) as kq:
                    await kq.cancel_all()

            with pytest.raises(KuestUnexpectedResponse) as caught:
                asyncio.run(cancel_all())
        else:
            with (
                KuestCancelOrder(keys=exchange.keys, base_url=base_url) as kq,
                pytest.raises(KuestUnexpectedResponse) as caught,
            ):
                kq.cancel_all()
    assert caught.value.status_code == 404
    assert exchange.order(order.order_id).state == "live"
