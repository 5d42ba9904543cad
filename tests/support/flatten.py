"""Both twins of `flatten` with their clients, for the kill-switch tests."""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from typing import Any

import httpx
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    FlattenReport,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
    aflatten,
    flatten,
)

FAST = httpx.Timeout(1.0, connect=1.0)


class Twin:
    """Builds clients of one flavour and runs the matching flatten."""

    def __init__(self, is_async: bool) -> None:
        self.is_async = is_async

    def kucoin(self, keys: Any, base_url: str, **kw: Any) -> Any:
        cls = AsyncKucoinSpotCancelOrder if self.is_async else KucoinSpotCancelOrder
        return cls(keys=keys, base_url=base_url, timeout=kw.pop("timeout", FAST), **kw)

    def kuest(self, keys: Any, base_url: str, **kw: Any) -> Any:
        cls = AsyncKuestCancelOrder if self.is_async else KuestCancelOrder
        return cls(keys=keys, base_url=base_url, timeout=kw.pop("timeout", FAST), **kw)

    def flatten(self, clients: Mapping[str, Any], deadline_s: float = 10) -> list[FlattenReport]:
        if not self.is_async:
            try:
                return flatten(clients, deadline_s)
            finally:
                for client in clients.values():
                    client.close()

        async def run() -> list[FlattenReport]:
            try:
                return await aflatten(clients, deadline_s)
            finally:
                for client in clients.values():
                    await client.aclose()

        return asyncio.run(run())
