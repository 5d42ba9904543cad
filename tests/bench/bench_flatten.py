"""Benchmark of the kill switch (a script, not a test): flatten-and-verify at scale.

    .venv/bin/python tests/bench/bench_flatten.py [--runs 3] [--latency-ms 0,20,50]

20 accounts (10 KuCoin, 10 Kuest), each with 200 open orders over 5 symbols (markets), on the
served simulators of `ordercancel.testing` over real HTTP on 127.0.0.1. The simulators run in
their own process (`flatten_server.py`, a fresh one per measurement), so their CPU never counts
against the clients', and every answer comes `--latency-ms` late: a real venue is a network
round trip away, which is what flattening the accounts at once overlaps.

For each latency it prints the time to flatten and verify all 20 with `aflatten` and `flatten`,
against one account alone (the slower of a KuCoin and a Kuest one; the target: all 20 within
1.5x of one; also the ratio of the best runs, the least disturbed by other work on a shared
machine), and the CPU the clients and the simulators used during the 20 (to see what
bounds the run: on 2 CPUs, 20 accounts' CPU does not fit in one account's round trips).
Then the `ordercancel panic` command's own overhead, apart: the interpreter's start and the
imports (its wall time minus what it reports), then config, keys, clients and closing (what it
reports minus the flatten), at the first latency given. Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    KucoinKeys,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
    KuestKeys,
    aflatten,
    flatten,
)

ACCOUNTS_PER_VENUE = 10
ORDERS = 200
DEADLINE_S = 30.0
_SERVER = Path(__file__).with_name("flatten_server.py")


class Served:
    """The simulators' process: its URLs and accounts, and a probe of its books and CPU."""

    def __init__(self, process: subprocess.Popen[str], info: dict[str, Any]) -> None:
        self.process = process
        self.kucoin_url: str = info["kucoin_url"]
        self.kuest_url: str = info["kuest_url"]
        self.accounts: list[tuple[str, Any]] = [
            (a["venue"], (KucoinKeys if a["venue"] == "kucoin" else KuestKeys)(**a["keys"]))
            for a in info["accounts"]
        ]

    def probe(self) -> dict[str, Any]:
        """{"open": live orders in the books, "all_delayed": bool, "cpu_s": server CPU}."""
        assert self.process.stdin is not None
        assert self.process.stdout is not None
        self.process.stdin.write("\n")
        self.process.stdin.flush()
        answer: dict[str, Any] = json.loads(self.process.stdout.readline())
        return answer


@contextmanager
def served(kucoin: int, kuest: int, latency_ms: float) -> Iterator[Served]:
    command = [sys.executable, str(_SERVER), "--kucoin", str(kucoin), "--kuest", str(kuest),
               "--orders", str(ORDERS), "--latency-ms", str(latency_ms)]  # fmt: skip
    process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert process.stdout is not None
        yield Served(process, json.loads(process.stdout.readline()))
    finally:
        if process.stdin is not None:
            process.stdin.close()
        process.wait(timeout=30)


def _time_async(server: Served) -> tuple[float, float]:
    async def run() -> tuple[float, float]:
        clients = {
            f"{venue}-{i}": (
                AsyncKucoinSpotCancelOrder(keys=keys, base_url=server.kucoin_url)
                if venue == "kucoin"
                else AsyncKuestCancelOrder(keys=keys, base_url=server.kuest_url)
            )
            for i, (venue, keys) in enumerate(server.accounts)
        }
        started, cpu = time.perf_counter(), time.process_time()
        reports = await aflatten(clients, DEADLINE_S)
        elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
        for client in clients.values():
            await client.aclose()
        assert all(r.flat for r in reports), reports
        return elapsed, cpu

    return asyncio.run(run())


def _time_sync(server: Served) -> tuple[float, float]:
    clients = {
        f"{venue}-{i}": (
            KucoinSpotCancelOrder(keys=keys, base_url=server.kucoin_url)
            if venue == "kucoin"
            else KuestCancelOrder(keys=keys, base_url=server.kuest_url)
        )
        for i, (venue, keys) in enumerate(server.accounts)
    }
    started, cpu = time.perf_counter(), time.process_time()
    reports = flatten(clients, DEADLINE_S)
    elapsed, cpu = time.perf_counter() - started, time.process_time() - cpu
    for client in clients.values():
        client.close()
    assert all(r.flat for r in reports), reports
    return elapsed, cpu


def _measure(kind: str, kucoin: int, kuest: int, latency_ms: float) -> tuple[float, float, float]:
    """(seconds to flatten and verify, the clients' CPU seconds, the simulators' meanwhile)."""
    with served(kucoin, kuest, latency_ms) as server:
        before = server.probe()
        seconds, cpu = (_time_async if kind == "async" else _time_sync)(server)
        after = server.probe()
        assert after["open"] == 0, after  # what the reports call flat is flat in the books
        assert after["all_delayed"], "the planned delays ran out"
        return seconds, cpu, after["cpu_s"] - before["cpu_s"]


def _command(latency_ms: float) -> tuple[float, float, float]:
    """`ordercancel panic` for 20 accounts: (wall, the command's own, flatten's) seconds.

    The command's own seconds run from its start (after the interpreter's start and the
    imports) to its report; flatten's are the slowest account's, from the first request.
    """
    with (
        served(ACCOUNTS_PER_VENUE, ACCOUNTS_PER_VENUE, latency_ms) as server,
        tempfile.TemporaryDirectory() as tmp,
    ):
        env = dict(os.environ)
        lines = []
        for i, (venue, keys) in enumerate(server.accounts):
            fields = (
                ("api_key", "api_secret", "api_passphrase")
                if venue == "kucoin"
                else ("address", "api_key", "api_secret", "api_passphrase")
            )
            url = server.kucoin_url if venue == "kucoin" else server.kuest_url
            lines += ["[[account]]", f'name = "{venue}-{i}"', f'venue = "{venue}"']
            lines.append(f'base_url = "{url}"')
            for field in fields:
                variable = f"BENCH_{i}_{field.upper()}"
                env[variable] = getattr(keys, field)
                lines.append(f'{field}_env = "{variable}"')
        config = Path(tmp) / "accounts.toml"
        config.write_text("\n".join(lines) + "\n", encoding="utf-8")
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", "ordercancel.cli", "panic", "--config", str(config),
             "--yes", "--json"],
            capture_output=True, text=True, env=env, check=False,
        )  # fmt: skip
        wall = time.perf_counter() - started
        assert done.returncode == 0, done.stderr
        assert server.probe()["open"] == 0
        body = json.loads(done.stdout)
        return wall, body["seconds"], max(a["seconds"] for a in body["accounts"])


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3, help="runs per measurement (median)")
    parser.add_argument(
        "--latency-ms", default="0,20,50", help="comma-separated delays of every answer"
    )
    args = parser.parse_args()
    latencies = [float(x) for x in args.latency_ms.split(",")]
    print(f"{ACCOUNTS_PER_VENUE * 2} accounts x {ORDERS} orders over 5 symbols; median of "
          f"{args.runs} runs; simulators served in their own process on 127.0.0.1; "
          f"Python {platform.python_version()}, {os.cpu_count()} CPUs, load average "
          f"{os.getloadavg()[0]:.1f}")  # fmt: skip
    for latency in latencies:
        for kind in ("async", "sync"):
            ones = [
                [
                    _measure(kind, int(venue == "kucoin"), int(venue == "kuest"), latency)[0]
                    for _ in range(args.runs)
                ]
                for venue in ("kucoin", "kuest")
            ]
            one = [statistics.median(times) for times in ones]
            many = [
                _measure(kind, ACCOUNTS_PER_VENUE, ACCOUNTS_PER_VENUE, latency)
                for _ in range(args.runs)
            ]
            all_20, client_cpu, server_cpu = (
                statistics.median(m[i] for m in many) for i in range(3)
            )
            best = min(m[0] for m in many) / max(min(times) for times in ones)
            print(
                f"latency {latency:g} ms, {kind:5}: one account alone: kucoin {_ms(one[0])}, "
                f"kuest {_ms(one[1])}; all 20: {_ms(all_20)} = {all_20 / max(one):.2f}x the "
                f"slower single account (best runs: {best:.2f}x; target <= 1.5x); CPU during "
                f"the 20: clients {_ms(client_cpu)}, simulators {_ms(server_cpu)}",
                flush=True,
            )
    command = [_command(latencies[0]) for _ in range(args.runs)]
    wall, own, inside = (statistics.median(c[i] for c in command) for i in range(3))
    print(
        f"panic command, 20 accounts, latency {latencies[0]:g} ms: wall {wall * 1000:.0f} ms = "
        f"interpreter start and imports {(wall - own) * 1000:.0f} ms + config, keys, clients "
        f"and closing {(own - inside) * 1000:.0f} ms + flatten {inside * 1000:.0f} ms; load "
        f"average now {os.getloadavg()[0]:.1f}"
    )


if __name__ == "__main__":
    main()
