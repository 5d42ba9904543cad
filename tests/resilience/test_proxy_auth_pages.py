"""A firewall's or a proxy's 401/403 page is not the venue's verdict on the keys (user side).

A bot behind a corporate proxy, or blocked by a CDN's firewall (Cloudflare's "Attention
Required" 403 page), or pointed at the wrong host, gets 401s and 403s that are not the venue's.
Read as `AuthenticationError` / `PermissionDenied`, they send the user to rotate keys that are
fine, or (Kuest's 403) say the order belongs to someone else. They are unexpected responses with
the status and the page; the venues' own error bodies keep their meaning.
"""

from __future__ import annotations

import asyncio
import json
from typing import TYPE_CHECKING, Any

import pytest
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    AuthenticationError,
    KucoinAuthenticationError,
    KucoinKeys,
    KucoinSpotCancelOrder,
    KuestAuthenticationError,
    KuestCancelOrder,
    KuestPermissionDenied,
    PermissionDenied,
    UnexpectedResponse,
)
from support.kuest import KEYS as KUEST_KEYS

if TYPE_CHECKING:
    from conftest import CaptureServer

CLOUDFLARE_403 = (
    b"<!DOCTYPE html>\n<html><head><title>Attention Required! | Cloudflare</title></head>"
    b"<body><h1>Sorry, you have been blocked</h1></body></html>\n"
)
PROXY_401 = b"<html><body><h1>401 Unauthorized</h1>Login required.</body></html>\n"
# What answers when the venue did not: (content type, body), for 401 and 403 alike.
PAGES = {
    "proxy-html-401": ("text/html", PROXY_401),
    "cloudflare-html-403": ("text/html", CLOUDFLARE_403),
    "empty": ("text/plain", b""),
    # API gateways' JSON: a code of their own, or a bare message (AWS API Gateway's 403).
    "gateway-code": ("application/json", b'{"code":"UNAUTHENTICATED","message":"no token"}'),
    "gateway-numeric-code": ("application/json", b'{"code":"401","msg":"Unauthorized"}'),
    "gateway-message": ("application/json", b'{"message":"Forbidden"}'),
}
KUCOIN_KEYS = KucoinKeys(api_key="key", api_secret="secret", api_passphrase="passphrase")
KUEST_ORDER = "0x38a73eed1e6d177545e9ab027abddfb7e08dbe975fa777123b1752d203d6ac88"


def _call(venue: str, base_url: str, is_async: bool) -> Any:
    """One cancel by id on the venue's default client; the error it raised."""
    if venue == "kucoin":
        sync_kind: Any = KucoinSpotCancelOrder
        async_kind: Any = AsyncKucoinSpotCancelOrder
        keys: Any = KUCOIN_KEYS
        args: tuple[str, ...] = ("671100010000000000000001", "BTC-USDT")
        method = "cancel_order_by_order_id"
    else:
        sync_kind, async_kind, keys = KuestCancelOrder, AsyncKuestCancelOrder, KUEST_KEYS
        args, method = (KUEST_ORDER,), "cancel_order"
    if not is_async:
        with sync_kind(keys=keys, base_url=base_url) as client:
            try:
                getattr(client, method)(*args)
            except Exception as exc:
                return exc
        pytest.fail("the cancel did not raise")

    async def run() -> Any:
        async with async_kind(keys=keys, base_url=base_url) as client:
            try:
                await getattr(client, method)(*args)
            except Exception as exc:
                return exc
        pytest.fail("the cancel did not raise")

    return asyncio.run(run())


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("venue", ["kucoin", "kuest"])
@pytest.mark.parametrize("status", [401, 403])
@pytest.mark.parametrize("page", list(PAGES))
def test_a_401_or_403_that_is_not_the_venues_is_an_unexpected_response(
    capture_server: CaptureServer, is_async: bool, venue: str, status: int, page: str
) -> None:
    content_type, body = PAGES[page]
    capture_server.reset(status, (("Content-Type", content_type), ("Server", "gateway")), body)

    error = _call(venue, capture_server.url, is_async)

    assert capture_server.received, "the request reached the server"
    assert isinstance(error, UnexpectedResponse), repr(error)
    assert not isinstance(error, AuthenticationError | PermissionDenied)
    assert error.status_code == status
    assert error.body == body


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize(
    ("venue", "status", "body", "kind"),
    [
        (
            "kucoin",
            401,
            {"code": "400003", "msg": "KC-API-KEY not exists"},
            KucoinAuthenticationError,
        ),
        ("kuest", 401, {"error": "Unauthenticated"}, KuestAuthenticationError),
        ("kuest", 403, {"error": "Deploy your proxy wallet before trading"}, KuestPermissionDenied),
    ],
)
def test_the_venues_own_401_and_403_bodies_keep_their_meaning(
    capture_server: CaptureServer,
    is_async: bool,
    venue: str,
    status: int,
    body: dict[str, str],
    kind: type[Exception],
) -> None:
    raw = json.dumps(body).encode()
    capture_server.reset(status, (("Content-Type", "application/json"),), raw)

    error = _call(venue, capture_server.url, is_async)

    assert type(error) is kind, repr(error)
    assert error.status_code == status
