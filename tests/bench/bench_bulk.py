"""Benchmark: the cost of `cancel_orders` as the number of ids grows (issue 13, item 4).

    nox -s bench_bulk                  # or: python tests/bench/bench_bulk.py --help

The async clients (their default transport) cancel 100, 1,000 and 10,000 distinct ids against
the bench's loopback server (tests/bench/bench_server.py, its own process: every id canceled),
with a generous rate limiter (it books every id, never waits). Each size runs `--rounds` times
in fresh clients; the CPU of this process per id is the median round's. Peak memory is measured
in a separate round under tracemalloc (which slows the CPU, hence apart): the peak of Python
allocations during the call above those before it, and its growth per id added since the
smallest size. Nothing is asserted: the ratios of
the largest size to the smallest are printed.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import sys
import time
import tracemalloc
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cancel import FAKE_KEYS, SYMBOL, Server, _table

SIZES = (100, 1_000, 10_000)
KUEST_KEYS = {
    "address": "0x9b1e8d5f6a8c2e4b7d3f1a0c5e9b2d4f6a8c0e1b",
    "api_key": "3f2a9c1e-7b4d-4e8f-9a6c-2d1b0e5f8a7c",
    "api_secret": "c2VjcmV0LWtleS1mb3ItdGhlLWJlbmNobWFyaw==",
    "api_passphrase": "bench-passphrase",
}

Run = Callable[[list[str]], Awaitable[list[Any]]]


def _generous_limiter() -> Any:
    from ordercancel import RateLimiter

    return RateLimiter(10**9, 1.0)


def kucoin(base_url: str) -> tuple[Any, Run]:
    from ordercancel import AsyncKucoinSpotCancelOrder, KucoinKeys

    client = AsyncKucoinSpotCancelOrder(
        keys=KucoinKeys(**FAKE_KEYS), base_url=base_url, rate_limiter=_generous_limiter()
    )
    return client, lambda ids: client.cancel_orders(ids, SYMBOL)


def kuest(base_url: str, *, batch: bool) -> tuple[Any, Run]:
    from ordercancel import AsyncKuestCancelOrder, KuestKeys

    client = AsyncKuestCancelOrder(
        keys=KuestKeys(**KUEST_KEYS), base_url=base_url, rate_limiter=_generous_limiter()
    )
    return client, lambda ids: client.cancel_orders(ids, batch=batch)


CONTENDERS: dict[str, Callable[[str], tuple[Any, Run]]] = {
    "KuCoin cancel_orders (one DELETE per id)": kucoin,
    "Kuest cancel_orders (one DELETE /order per id)": lambda url: kuest(url, batch=False),
    "Kuest cancel_orders(batch=True) (DELETE /orders, 3000 a request)": lambda url: kuest(
        url, batch=True
    ),
}


def _ids(prefix: int, n: int) -> list[str]:
    return [f"{prefix:04x}{i:020x}" for i in range(n)]


async def _one(base_url: str, make: Callable[[str], tuple[Any, Run]], ids: list[str]) -> float:
    """CPU seconds of one `cancel_orders(ids)` in a fresh, warmed-up client."""
    client, run = make(base_url)
    async with client:
        await run(_ids(0xFFFF, 20))  # warm-up: the connections, lazy imports
        started = time.process_time()
        outcomes = await run(ids)
        spent = time.process_time() - started
    failed = [o for o in outcomes if not o.ok]
    if len(outcomes) != len(ids) or failed:
        raise RuntimeError(f"{len(failed)} of {len(outcomes)} outcomes failed: {failed[:1]}")
    return spent


async def _peak(base_url: str, make: Callable[[str], tuple[Any, Run]], ids: list[str]) -> int:
    """Bytes allocated at the peak of one `cancel_orders(ids)` beyond those before it."""
    client, run = make(base_url)
    async with client:
        await run(_ids(0xFFFE, 20))
        tracemalloc.start()
        before = tracemalloc.get_traced_memory()[0]
        await run(ids)
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak - before


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3, help="timed rounds per size")
    parser.add_argument("--sizes", type=int, nargs="+", default=list(SIZES))
    args = parser.parse_args()
    server = Server(sim=False)
    try:
        for name, make in CONTENDERS.items():
            rows = []
            per_id: list[float] = []
            peaks: list[int] = []
            for n_index, n in enumerate(args.sizes):
                cpu = [
                    asyncio.run(_one(server.base_url, make, _ids(n_index * 16 + r, n)))
                    for r in range(args.rounds)
                ]
                peak = asyncio.run(_peak(server.base_url, make, _ids(n_index * 16 + 15, n)))
                us_per_id = statistics.median(cpu) / n * 1e6
                per_id.append(us_per_id)
                peaks.append(peak)
                growth = "-"
                if n_index:  # the peak's growth per id added since the smallest size
                    growth = f"{(peak - peaks[0]) / (n - args.sizes[0]) / 1024:.2f}"
                rows.append([f"{n:,}", f"{us_per_id:.0f}", f"{peak / 1024:,.0f}", growth])
            print(
                _table(
                    f"{name}; ratio of CPU/id, largest to smallest: {per_id[-1] / per_id[0]:.2f}",
                    ["ids", "CPU us/id", "peak KiB", "growth KiB/id"],
                    rows,
                )
            )
            sys.stdout.flush()
    finally:
        server.close()


if __name__ == "__main__":
    main()
