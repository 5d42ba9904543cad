"""Where a cancel's CPU goes: cProfile self-time per layer (CPU clock), us per call.

    python tests/bench/profile_cancel.py [--mode sync|async] [--calls 3000] [--dump prof.out]

Starts the bench's loopback server (its own process), warms up, then profiles `--calls`
`cancel_order_by_order_id` calls of ordercancel and of its floor: for `sync`, sequential calls
of `KucoinSpotCancelOrder` and of a raw `httpx.Client`; for `async`, 50 in flight of
`AsyncKucoinSpotCancelOrder` (its default transport) and of a raw `aiohttp.ClientSession`, both
with hand-written signing. Each function's self time goes to its layer by file; a C builtin's
goes to the layer of its main caller, except socket and selector calls, which are the
transport. cProfile's own overhead inflates every layer; the uninstrumented CPU per cancel is
printed beside the split for scale.
"""

from __future__ import annotations

import argparse
import asyncio
import cProfile
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cancel import (
    Server,
    _async_round,
    _ids,
    async_ordercancel,
    async_raw_aiohttp,
    sync_ordercancel,
    sync_raw_httpx,
)

LAYERS = [
    ("wrapper (ordercancel)", ("/ordercancel/",)),
    ("stamina / tenacity", ("/stamina/", "/tenacity/")),
    ("generated (ordercancel_kucoin_api)", ("/ordercancel_kucoin_api/",)),
    ("httpx / httpcore / h11", ("/httpx/", "/httpcore/", "/h11/")),
    ("aiohttp / yarl / multidict", ("/aiohttp/", "/httpx_aiohttp/", "/yarl/", "/multidict/")),
    ("asyncio event loop", ("/asyncio/",)),
    ("transport / socket", ("/socket.py", "/selectors.py", "/ssl.py")),
    ("bench harness", ("bench_cancel.py", "profile_cancel.py")),
]
OTHER = "other (stdlib: json, hmac, logging, attrs, ...)"
_TRANSPORT_BUILTINS = ("socket", "select", "poll", "recv", "send")


def _layer_of_file(filename: str) -> str | None:
    for layer, marks in LAYERS:
        if any(m in filename for m in marks):
            return layer
    return None


def split(stats: pstats.Stats, calls: int) -> dict[str, float]:
    raw = stats.stats  # type: ignore[attr-defined]
    out: dict[str, float] = defaultdict(float)

    def layer(func: tuple[str, int, str], depth: int = 0) -> str:
        filename, _, name = func
        if filename == "~":
            if any(t in name for t in _TRANSPORT_BUILTINS):
                return "transport / socket"
            callers = raw[func][4]
            if callers and depth < 5:
                main = max(callers, key=lambda c: callers[c][3] if len(callers[c]) > 3 else 0)
                return layer(main, depth + 1)
            return OTHER
        return _layer_of_file(filename) or OTHER

    for func, (_, _, tottime, _, _) in raw.items():
        out[layer(func)] += tottime
    return {k: v / calls * 1e6 for k, v in out.items()}


def _profile_sync(server: Server, factory: Any, prefix: int, calls: int) -> tuple[float, Any]:
    cancel, close = factory(server.base_url, server.keys)
    ids = _ids(prefix)
    for _ in range(200):
        cancel(next(ids))
    batch = [next(ids) for _ in range(calls)]
    c0 = time.process_time()
    for oid in batch:
        cancel(oid)
    plain = (time.process_time() - c0) / calls * 1e6
    batch = [next(ids) for _ in range(calls)]
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for oid in batch:
        cancel(oid)
    profiler.disable()
    close()
    return plain, pstats.Stats(profiler)


async def _profile_async(
    server: Server, factory: Any, prefix: int, calls: int
) -> tuple[float, Any]:
    cancel, close = await factory(server.base_url, server.keys)
    ids = _ids(prefix)
    await _async_round(cancel, [next(ids) for _ in range(500)], IN_FLIGHT)
    c0 = time.process_time()
    await _async_round(cancel, [next(ids) for _ in range(calls)], IN_FLIGHT)
    plain = (time.process_time() - c0) / calls * 1e6
    batch = [next(ids) for _ in range(calls)]
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    await _async_round(cancel, batch, IN_FLIGHT)
    profiler.disable()
    await close()
    return plain, pstats.Stats(profiler)


IN_FLIGHT = 50
MODES = {
    "sync": (("ordercancel", sync_ordercancel), ("raw httpx", sync_raw_httpx)),
    "async": (("ordercancel", async_ordercancel), ("raw aiohttp", async_raw_aiohttp)),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=sorted(MODES), default="sync")
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--dump", help="write the ordercancel cProfile data here")
    args = parser.parse_args()
    server = Server(sim=False)
    table: dict[str, dict[str, float]] = {}
    plain: dict[str, float] = {}
    try:
        for i, (name, factory) in enumerate(MODES[args.mode]):
            if args.mode == "sync":
                plain[name], stats = _profile_sync(server, factory, 0x500 + i, args.calls)
            else:
                run = _profile_async(server, factory, 0x500 + i, args.calls)
                plain[name], stats = asyncio.run(run)
            if name == "ordercancel" and args.dump:
                stats.dump_stats(args.dump)
            table[name] = split(stats, args.calls)
    finally:
        server.close()
    (ours, _), (floor, _) = MODES[args.mode]
    layers = [name for name, _ in LAYERS] + [OTHER]
    total = {k: sum(v.values()) for k, v in table.items()}
    # cProfile's overhead inflates every layer; scaled to the unprofiled CPU per cancel, each
    # layer keeps its share.
    scale = {k: plain[k] / total[k] for k in table}
    print(f"| layer | {ours} us/cancel | {floor} us/cancel | (profiled: {ours} | {floor}) |")
    print("|---|---:|---:|---:|---:|")
    for layer in layers:
        a, b = table[ours].get(layer, 0.0), table[floor].get(layer, 0.0)
        if a or b:
            sa, sb = a * scale[ours], b * scale[floor]
            print(f"| {layer} | {sa:.0f} | {sb:.0f} | {a:.0f} | {b:.0f} |")
    print(
        f"| **CPU per cancel (unprofiled)** | {plain[ours]:.0f} | "
        f"{plain[floor]:.0f} | {total[ours]:.0f} | {total[floor]:.0f} |"
    )


if __name__ == "__main__":
    main()
