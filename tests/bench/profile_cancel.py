"""Where a sync cancel's CPU goes: cProfile self-time per layer (CPU clock), us per call.

    python tests/bench/profile_cancel.py [--calls 3000] [--dump prof.out]

Starts the bench's loopback server (its own process), warms up, then profiles `--calls`
sequential `cancel_order_by_order_id` calls of `KucoinSpotCancelOrder` and of the raw
`httpx.Client` baseline. Each function's self time goes to its layer by file; a C builtin's goes
to the layer of its main caller, except socket and selector calls, which are the transport.
cProfile's own overhead inflates every layer alike; the uninstrumented CPU per cancel is printed
beside the split for scale.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cancel import Server, _ids, sync_ordercancel, sync_raw_httpx

LAYERS = [
    ("wrapper (ordercancel)", ("/ordercancel/",)),
    ("stamina / tenacity", ("/stamina/", "/tenacity/")),
    ("generated (ordercancel_kucoin_api)", ("/ordercancel_kucoin_api/",)),
    ("httpx / httpcore / h11", ("/httpx/", "/httpcore/", "/h11/")),
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=3000)
    parser.add_argument("--dump", help="write the ordercancel cProfile data here")
    args = parser.parse_args()
    server = Server(sim=False)
    table: dict[str, dict[str, float]] = {}
    plain: dict[str, float] = {}
    try:
        for name, factory in (("ordercancel", sync_ordercancel), ("raw httpx", sync_raw_httpx)):
            cancel, close = factory(server.base_url, server.keys)
            ids = _ids(0x500 if name == "ordercancel" else 0x600)
            for _ in range(200):
                cancel(next(ids))
            batch = [next(ids) for _ in range(args.calls)]
            c0 = time.process_time()
            for oid in batch:
                cancel(oid)
            plain[name] = (time.process_time() - c0) / args.calls * 1e6
            batch = [next(ids) for _ in range(args.calls)]
            profiler = cProfile.Profile(time.process_time)
            profiler.enable()
            for oid in batch:
                cancel(oid)
            profiler.disable()
            close()
            stats = pstats.Stats(profiler)
            if name == "ordercancel" and args.dump:
                stats.dump_stats(args.dump)
            table[name] = split(stats, args.calls)
    finally:
        server.close()
    layers = [name for name, _ in LAYERS] + [OTHER]
    total = {k: sum(v.values()) for k, v in table.items()}
    # cProfile's overhead inflates every layer; scaled to the unprofiled CPU per cancel, each
    # layer keeps its share.
    scale = {k: plain[k] / total[k] for k in table}
    print("| layer | ordercancel us/cancel | raw httpx us/cancel | (profiled: ordercancel | raw) |")
    print("|---|---:|---:|---:|---:|")
    for layer in layers:
        a, b = table["ordercancel"].get(layer, 0.0), table["raw httpx"].get(layer, 0.0)
        if a or b:
            sa, sb = a * scale["ordercancel"], b * scale["raw httpx"]
            print(f"| {layer} | {sa:.0f} | {sb:.0f} | {a:.0f} | {b:.0f} |")
    print(
        f"| **CPU per cancel (unprofiled)** | {plain['ordercancel']:.0f} | "
        f"{plain['raw httpx']:.0f} | {total['ordercancel']:.0f} | {total['raw httpx']:.0f} |"
    )


if __name__ == "__main__":
    main()
