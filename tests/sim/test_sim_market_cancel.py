"""Our Kuest market cancel never widens, whichever spelling of the token filter the server reads.

Kuest's spec and web app spell the token filter `assetId`; its Python, TypeScript and Rust clients
`asset_id`. `cancel_market_orders(asset_id=...)` must cancel that token's orders and no others
against a server that reads only one spelling, then only the other (and both). Each case runs
through the public client against the served simulator, as a user's test would.
"""

from __future__ import annotations

import pytest
from ordercancel import AsyncKuestCancelOrder, KuestCancelOrder
from ordercancel.testing import KuestExchange

M1, M2 = "0x" + "a1" * 32, "0x" + "b2" * 32
T1, T2, T3 = "1111", "2222", "3333"  # T1 and T2 are m1's two tokens, T3 is m2's
READINGS = [("assetId", "asset_id"), ("assetId",), ("asset_id",)]
CALLS = [
    ({"asset_id": T1}, {T1}),
    ({"asset_id": T3}, {T3}),
    ({"market": M1, "asset_id": T2}, {T2}),
    ({"market": M1}, {T1, T2}),
]


def seeded(fields: tuple[str, ...]) -> tuple[KuestExchange, dict[str, str]]:
    ex = KuestExchange(asset_id_fields=fields)
    placed = {}
    for market, token in ((M1, T1), (M1, T2), (M2, T3)):
        placed[ex.add_order(market, token).order_id] = token
    # Another account's order on T1: never touched by our key.
    ex.add_order(M1, T1, account=ex.add_account())
    return ex, placed


def tokens_cancelled(ex: KuestExchange, placed: dict[str, str]) -> set[str]:
    return {token for oid, token in placed.items() if ex.order(oid).state == "canceled"}


@pytest.mark.parametrize("fields", READINGS, ids=["+".join(f) for f in READINGS])
@pytest.mark.parametrize(("kwargs", "expected"), CALLS, ids=["T1", "T3", "M1+T2", "M1"])
def test_market_cancel_cancels_exactly_the_filter(fields, kwargs, expected):
    ex, placed = seeded(fields)
    with ex.serve(), KuestCancelOrder(keys=ex.keys, base_url=ex.base_url) as kq:
        report = kq.cancel_market_orders(**kwargs)
    assert tokens_cancelled(ex, placed) == expected
    assert {placed[oid] for oid in report.canceled} == expected
    assert [o.state for o in ex.orders(account=ex.keys) if o.asset_id not in expected] == [
        "live"
    ] * (3 - len(expected))
    assert {o.state for o in ex.orders() if o.api_key != ex.keys.api_key} == {"live"}


@pytest.mark.asyncio
@pytest.mark.parametrize("fields", READINGS, ids=["+".join(f) for f in READINGS])
async def test_async_market_cancel_cancels_exactly_the_token(fields):
    ex, placed = seeded(fields)
    async with AsyncKuestCancelOrder(keys=ex.keys, transport=ex.transport()) as kq:
        await kq.cancel_market_orders(market=M1, asset_id=T1)
    assert tokens_cancelled(ex, placed) == {T1}
