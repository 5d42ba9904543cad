"""Every operation of both venues, over every stack: the same bytes on the wire, the same outcome.

The stacks a user can pick: the sync client (ordercancel's httpx client, or your own
httpx.Client), and the async client (its default aiohttp path, httpx's own transport
`transport=httpx.AsyncHTTPTransport()`, or your own httpx.AsyncClient). Each operation runs over
each against one capture server on 127.0.0.1 (tests/conftest.py), which records each request as
read off the socket (method, raw path and query, every header, body) and gives the operation's
canned answer. With a fixed clock the signatures match too, so the whole request is compared
(header names case-insensitively, order aside: HTTP gives order no meaning between different
names), with one known difference set aside (`EMPTY_BODY_FRAMING`). The outcome (result, or
error type and message) and the KuCoin rate-limit readout must be the same on every stack.

tests/kucoin/test_kucoin_direct.py and tests/kuest/test_kuest_direct.py compare the two aiohttp
paths for any drawn input and answer; this suite covers every operation across the stacks.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import httpx
import pytest
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
    RetryPolicy,
)
from support.user_calls import (
    CLIENT_OID,
    KUCOIN_KEYS,
    KUEST_IDS,
    KUEST_KEYS,
    MARKET,
    ORDER_ID,
    PARTIAL_ID,
)

if TYPE_CHECKING:
    from conftest import CaptureServer  # tests/conftest.py's fixture type

ONCE = RetryPolicy(attempts=1)
FIXED_MS, FIXED_S = 1_700_000_000_000, 1_700_000_000
RATE_HEADERS = (
    ("Content-Type", "application/json"),
    ("gw-ratelimit-limit", "4000"),
    ("gw-ratelimit-remaining", "3997"),
    ("gw-ratelimit-reset", "29000"),
)


def _kucoin(data: Any) -> bytes:
    return json.dumps({"code": "200000", "data": data}).encode()


def _kuest(canceled: list[str]) -> bytes:
    return json.dumps({"canceled": canceled, "not_canceled": {}}).encode()


# (operation, args, kwargs, answer body): every public operation that sends.
KUCOIN_OPERATIONS: list[tuple[str, tuple[Any, ...], dict[str, Any], bytes]] = [
    ("cancel_order_by_order_id", (ORDER_ID, "BTC-USDT"), {}, _kucoin({"orderId": ORDER_ID})),
    (
        "cancel_order_by_client_oid",
        (CLIENT_OID, "BTC-USDT"),
        {},
        _kucoin({"clientOid": CLIENT_OID}),
    ),
    (
        "cancel_order_by_order_id_sync",
        (ORDER_ID, "BTC-USDT"),
        {},
        _kucoin(
            {
                "orderId": ORDER_ID,
                "originSize": "1",
                "dealSize": "0",
                "remainSize": "0",
                "canceledSize": "1",
                "status": "done",
            }
        ),
    ),
    (
        "cancel_order_by_client_oid_sync",
        (CLIENT_OID, "BTC-USDT"),
        {},
        _kucoin(
            {
                "clientOid": CLIENT_OID,
                "originSize": "1",
                "dealSize": "0",
                "remainSize": "0",
                "canceledSize": "1",
                "status": "done",
            }
        ),
    ),
    (
        "cancel_partial_order",
        (PARTIAL_ID, "BTC-USDT", "0.5"),
        {},
        _kucoin({"orderId": PARTIAL_ID, "cancelSize": "0.5"}),
    ),
    ("cancel_all_orders_by_symbol", ("ETH-USDT",), {}, _kucoin("success")),
    ("cancel_all_orders", (), {}, _kucoin({"succeedSymbols": ["BTC-USDT"], "failedSymbols": []})),
    (
        "cancel_orders",
        ([ORDER_ID, PARTIAL_ID], "BTC-USDT"),
        {"max_in_flight": 1},
        _kucoin({"orderId": ORDER_ID}),
    ),
    ("list_active_symbols", (), {}, _kucoin({"symbols": ["BTC-USDT", "ETH-USDT"]})),
    ("list_open_orders", ("BTC-USDT",), {}, _kucoin([])),
    (
        "set_disconnect_protection",
        (30, ["BTC-USDT"]),
        {},
        _kucoin({"currentTime": FIXED_MS // 1000, "triggerTime": FIXED_MS // 1000 + 30}),
    ),
    (
        "get_disconnect_protection",
        (),
        {},
        _kucoin({"timeout": 30, "symbols": "BTC-USDT", "currentTime": 1, "triggerTime": 31}),
    ),
    ("clear_disconnect_protection", (), {}, _kucoin(None)),
    ("sync_time", (), {}, _kucoin(FIXED_MS)),
]
KUEST_OPERATIONS: list[tuple[str, tuple[Any, ...], dict[str, Any], bytes]] = [
    ("cancel_order", (KUEST_IDS[0],), {}, _kuest([KUEST_IDS[0]])),
    ("cancel_orders", (KUEST_IDS[1:3],), {}, _kuest(KUEST_IDS[1:3])),
    ("cancel_orders", (KUEST_IDS[3:5],), {"batch": True}, _kuest(KUEST_IDS[3:5])),
    ("cancel_market_orders", (), {"market": MARKET}, _kuest([KUEST_IDS[0]])),
    ("cancel_all", (), {}, _kuest(KUEST_IDS)),
    ("heartbeat", (), {}, json.dumps({"heartbeat_id": "hb-1"}).encode()),
    (
        "list_open_orders",
        (),
        {},
        json.dumps({"data": [], "next_cursor": "LTE=", "count": 0, "limit": 100}).encode(),
    ),
]
OPERATIONS = {"kucoin": KUCOIN_OPERATIONS, "kuest": KUEST_OPERATIONS}
STACKS = ["sync", "sync, your httpx.Client", "async default", "async httpx", "async, yours"]


def _client(venue: str, stack: str, url: str, http: Any) -> Any:
    options: dict[str, Any] = {"base_url": url, "retry": ONCE}
    cls: type[Any]
    if venue == "kucoin":
        options |= {"keys": KUCOIN_KEYS, "clock": lambda: FIXED_MS}
        cls = KucoinSpotCancelOrder if stack.startswith("sync") else AsyncKucoinSpotCancelOrder
    else:
        options |= {"keys": KUEST_KEYS, "clock": lambda: FIXED_S}
        cls = KuestCancelOrder if stack.startswith("sync") else AsyncKuestCancelOrder
    if stack == "async httpx":
        options["transport"] = httpx.AsyncHTTPTransport()
    if http is not None:
        options["http_client"] = http
    return cls(**options)


@dataclass(frozen=True)
class Raised:
    """An error as compared across stacks: its type and message."""

    kind: type
    message: str


def _outcome(result: Any) -> Any:
    if isinstance(result, BaseException):
        return Raised(type(result), str(result))
    if isinstance(result, list):  # bulk outcomes: their errors compared by type and message
        return [(o.order_id, None if o.error is None else _outcome(o.error)) for o in result]
    return result


# The one known difference: aiohttp (the async default path) frames a request without a body
# (but a GET) with "Content-Length: 0", which httpx leaves out. Only that is set aside, there.
EMPTY_BODY_FRAMING = ("content-length", "0")


def _wire(server: CaptureServer, stack: str) -> list[Any]:
    wire = []
    for r in server.received:
        headers = sorted((k.lower(), v) for k, v in r.headers)
        if stack == "async default" and not r.body and r.method != "GET":
            assert EMPTY_BODY_FRAMING in headers, "aiohttp's framing changed: update this suite"
            headers.remove(EMPTY_BODY_FRAMING)
        wire.append((r.method, r.target, headers, r.body))
    return sorted(wire)  # requests sent side by side arrive in any order


def _run(venue: str, stack: str, operation: tuple[Any, ...], url: str) -> tuple[Any, Any]:
    name, args, kwargs, _ = operation
    if stack.startswith("sync"):
        with httpx.Client() as yours:
            client = _client(venue, stack, url, yours if "yours" in stack else None)
            try:
                outcome = _outcome(getattr(client, name)(*args, **kwargs))
            except Exception as exc:
                outcome = _outcome(exc)
            client.close()
            return outcome, getattr(client, "rate_limit", None)

    async def run() -> tuple[Any, Any]:
        async with httpx.AsyncClient() as yours:
            client = _client(venue, stack, url, yours if "yours" in stack else None)
            try:
                outcome = _outcome(await getattr(client, name)(*args, **kwargs))
            except Exception as exc:
                outcome = _outcome(exc)
            await client.aclose()
            return outcome, getattr(client, "rate_limit", None)

    return asyncio.run(run())


@pytest.mark.parametrize(
    ("venue", "operation"),
    [(venue, op) for venue, ops in OPERATIONS.items() for op in ops],
    ids=[f"{venue}-{op[0]}-{i}" for venue, ops in OPERATIONS.items() for i, op in enumerate(ops)],
)
def test_every_stack_sends_the_same_bytes_and_ends_the_same(
    capture_server: CaptureServer, venue: str, operation: tuple[Any, ...]
) -> None:
    seen: dict[str, tuple[Any, Any, list[Any]]] = {}
    for stack in STACKS:
        capture_server.reset(200, RATE_HEADERS if venue == "kucoin" else (), operation[3])
        outcome, limits = _run(venue, stack, operation, capture_server.url)
        seen[stack] = (outcome, limits, _wire(capture_server, stack))
    first = seen[STACKS[0]]
    assert first[2], "nothing reached the server"
    assert not isinstance(first[0], Raised), f"the canned answer fails: {first[0]}"
    for stack in STACKS[1:]:
        assert seen[stack][2] == first[2], f"{stack}: other bytes on the wire"
        assert seen[stack][0] == first[0], f"{stack}: another outcome"
        assert seen[stack][1] == first[1], f"{stack}: another rate-limit readout"
