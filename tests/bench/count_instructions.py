"""Instructions per async cancel under valgrind's callgrind: a CPU measure that load does not move.

    python tests/bench/count_instructions.py [--calls 500] [NAME=PYTHONPATH ...]

On a shared VM the CPU time of a cancel moves by 20 % between runs, which hides a lever worth
2 %. The number of instructions the client process executes per cancel moves by under 1 %
between runs (the batching of 50 in flight varies a little), so it resolves one lever at a time.
Each contender runs twice in a fresh interpreter under callgrind (the loopback server of
`bench_server.py` runs outside it): `--calls` cancels after a warm-up, and the warm-up alone; the
difference divided by `--calls` is its instructions per cancel. Slow (about 50x): a minute or
more per contender.

Contenders: python-kucoin and raw aiohttp as installed, and ordercancel from each NAME=PYTHONPATH
given (e.g. `head=wrapper:generated`, or an older checkout exported elsewhere); without any, the
ordercancel importable here. Needs `valgrind` on PATH. Instructions are not time (a C call
costs few, a cache miss many), so confirm a lever with `nox -s bench` too.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_cancel import ASYNC, Server, _async_round, _ids

OURS = "ordercancel (aiohttp transport, default)"
PEERS = ("python-kucoin (AsyncClient)", "raw aiohttp.ClientSession")


async def _child(name: str, base_url: str, keys: dict[str, str], calls: int) -> None:
    cancel, close = await ASYNC[name](base_url, keys)
    ids = _ids(0x900)
    await _async_round(cancel, [next(ids) for _ in range(200)], 50)  # warm-up
    if calls:
        await _async_round(cancel, [next(ids) for _ in range(calls)], 50)
    await close()


def _instructions(server: Server, name: str, path: str | None, calls: int) -> int:
    env = dict(os.environ)
    env.pop("PYTHONPATH", None)
    if path:
        env["PYTHONPATH"] = path
    args = [sys.executable, __file__, "--child", name, "--base-url", server.base_url]
    args += ["--keys", json.dumps(server.keys), "--calls", str(calls)]
    out = "--callgrind-out-file=" + os.devnull
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", out, *args], env=env, capture_output=True, text=True
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if done.returncode or not found:
        raise RuntimeError(f"{name}: callgrind failed:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=500)
    parser.add_argument("ours", nargs="*", help="NAME=PYTHONPATH of an ordercancel to count")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--keys", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        asyncio.run(_child(args.child, args.base_url, json.loads(args.keys), args.calls))
        return
    contenders = [(f"ordercancel {n}", OURS, p) for n, p in (s.split("=", 1) for s in args.ours)]
    contenders = contenders or [("ordercancel", OURS, None)]
    contenders += [(name, name, None) for name in PEERS]
    server = Server(sim=False)
    try:
        for label, name, path in contenders:
            full = _instructions(server, name, path, args.calls)
            warm_up_only = _instructions(server, name, path, 0)
            per = (full - warm_up_only) / args.calls
            print(f"{label}: {per / 1000:.1f} k instructions per cancel", flush=True)
    finally:
        server.close()


if __name__ == "__main__":
    main()
