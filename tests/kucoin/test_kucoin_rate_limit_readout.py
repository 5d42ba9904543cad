"""`client.rate_limit` after real answers: the `gw-ratelimit-*` values of the last answer with any.

The clients keep the headers of such an answer and parse them when `rate_limit` is read (not on
every answer). The expected values here are the header text the server sent, read as numbers
by hand; each client kind is driven over a real socket (the capture server), the async default
on its direct path (aiohttp, no httpx.Response), through httpx's transport, and the sync client.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    KucoinKeys,
    KucoinOrderNotCancellable,
    KucoinSpotCancelOrder,
    RateLimitInfo,
    RetryPolicy,
)
from ordercancel._aiohttp import AiohttpTransport

KEYS = KucoinKeys(api_key="k", api_secret="s", api_passphrase="p")
OID = "671124f9365ccb00073debd4"
BODY = json.dumps({"code": "200000", "data": {"orderId": OID}}).encode()
JSON = ("Content-Type", "application/json")

# (headers of the answer, what `rate_limit` reads after it), in order: each answer follows the last.
STEPS: list[tuple[tuple[tuple[str, str], ...], RateLimitInfo]] = [
    (
        (
            JSON,
            ("gw-ratelimit-limit", "4000"),
            ("gw-ratelimit-remaining", "3999"),
            ("gw-ratelimit-reset", "29000"),
        ),
        RateLimitInfo(limit=4000, remaining=3999, reset_ms=29000),
    ),
    ((JSON,), RateLimitInfo(limit=4000, remaining=3999, reset_ms=29000)),  # none: kept
    (
        (JSON, ("GW-RateLimit-Remaining", "12")),  # any case; the others absent: None
        RateLimitInfo(limit=None, remaining=12, reset_ms=None),
    ),
    (
        (JSON, ("gw-ratelimit-limit", "50"), ("gw-ratelimit-reset", "soon")),  # not a number
        RateLimitInfo(limit=50, remaining=None, reset_ms=None),
    ),
    ((JSON, ("gw-ratelimit-remaining", "-1")), RateLimitInfo()),  # present, none readable
]


def _kind(name: str) -> dict[str, Any]:
    return {"direct": {}, "httpx transport": {"transport": AiohttpTransport()}}[name]


@pytest.mark.parametrize("kind", ["direct", "httpx transport"])
def test_async_rate_limit_after_each_cancel(capture_server: Any, kind: str) -> None:
    async def run() -> list[RateLimitInfo]:
        seen = []
        async with AsyncKucoinSpotCancelOrder(
            keys=KEYS, base_url=capture_server.url, retry=RetryPolicy(attempts=1), **_kind(kind)
        ) as client:
            seen.append(client.rate_limit)
            for headers, _ in STEPS:
                capture_server.reset(200, headers, BODY)
                await client.cancel_order_by_order_id(OID, "BTC-USDT")
                seen.append(client.rate_limit)
                seen.append(client.rate_limit)  # read twice: the same
        return seen

    seen = asyncio.run(run())
    assert seen[0] == RateLimitInfo()
    expected = [info for _, info in STEPS for _ in range(2)]
    assert seen[1:] == expected


def test_sync_rate_limit_after_each_cancel(capture_server: Any) -> None:
    with KucoinSpotCancelOrder(
        keys=KEYS, base_url=capture_server.url, retry=RetryPolicy(attempts=1)
    ) as client:
        assert client.rate_limit == RateLimitInfo()
        for headers, expected in STEPS:
            capture_server.reset(200, headers, BODY)
            client.cancel_order_by_order_id(OID, "BTC-USDT")
            assert client.rate_limit == expected


def test_rate_limit_of_an_error_answer_and_your_http_client(capture_server: Any) -> None:
    """An error answer updates it too; so does an answer through your own httpx client."""
    body = json.dumps({"code": "400100", "msg": "order_not_exist_or_not_allow_to_cancel"}).encode()
    headers = (JSON, ("gw-ratelimit-remaining", "7"))
    with (
        httpx.Client() as yours,
        KucoinSpotCancelOrder(
            keys=KEYS, base_url=capture_server.url, http_client=yours, retry=RetryPolicy(attempts=1)
        ) as client,
    ):
        capture_server.reset(400, headers, body)
        with pytest.raises(KucoinOrderNotCancellable):
            client.cancel_order_by_order_id(OID, "BTC-USDT")
        assert client.rate_limit == RateLimitInfo(remaining=7)
