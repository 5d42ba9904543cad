"""Benchmark of the kill switch (a script, not a test): flatten-and-verify at scale.

    .venv/bin/python tests/bench/bench_flatten.py [--runs 3]

On the served simulators (real HTTP on 127.0.0.1): 20 accounts (10 KuCoin, 10 Kuest), each with
200 open orders over 5 symbols (markets). Prints the time to flatten and verify all 20 with
`aflatten` and `flatten`, against one account alone (the target: all 20 within 1.5x of one),
and the `ordercancel panic` command's own overhead (interpreter start, imports, config, keys),
measured as its wall time minus the flatten time it reports. Numbers are printed, never asserted.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
    aflatten,
    flatten,
)
from ordercancel.testing import KucoinExchange, KuestExchange

ACCOUNTS_PER_VENUE = 10
ORDERS = 200
SYMBOLS = ("BTC-USDT", "ETH-USDT", "SOL-USDT", "XRP-USDT", "KCS-USDT")
MARKETS = tuple("0x" + f"{i:02x}" * 32 for i in range(5))


def _book(kx: KucoinExchange, qx: KuestExchange, per_venue: int) -> list[tuple[str, Any]]:
    """Fresh accounts with their orders: [(venue, keys)]."""
    accounts: list[tuple[str, Any]] = []
    for _ in range(per_venue):
        keys = kx.add_account()
        for i in range(ORDERS):
            kx.add_order(SYMBOLS[i % 5], "1", account=keys)
        accounts.append(("kucoin", keys))
    for _ in range(per_venue):
        keys = qx.add_account()
        for i in range(ORDERS):
            qx.add_order(MARKETS[i % 5], "1", account=keys)
        accounts.append(("kuest", keys))
    return accounts


def _open(kx: KucoinExchange, qx: KuestExchange) -> int:
    live = ("live", "partially_filled")
    return sum(o.state in live for o in kx.orders()) + sum(o.state in live for o in qx.orders())


def _time_async(accounts: list[tuple[str, Any]], kx: Any, qx: Any) -> float:
    async def run() -> float:
        clients = {
            f"{venue}-{i}": (
                AsyncKucoinSpotCancelOrder(keys=keys, base_url=kx.base_url)
                if venue == "kucoin"
                else AsyncKuestCancelOrder(keys=keys, base_url=qx.base_url)
            )
            for i, (venue, keys) in enumerate(accounts)
        }
        started = time.perf_counter()
        reports = await aflatten(clients, 30)
        elapsed = time.perf_counter() - started
        for client in clients.values():
            await client.aclose()
        assert all(r.flat for r in reports), reports
        return elapsed

    return asyncio.run(run())


def _time_sync(accounts: list[tuple[str, Any]], kx: Any, qx: Any) -> float:
    clients = {
        f"{venue}-{i}": (
            KucoinSpotCancelOrder(keys=keys, base_url=kx.base_url)
            if venue == "kucoin"
            else KuestCancelOrder(keys=keys, base_url=qx.base_url)
        )
        for i, (venue, keys) in enumerate(accounts)
    }
    started = time.perf_counter()
    reports = flatten(clients, 30)
    elapsed = time.perf_counter() - started
    for client in clients.values():
        client.close()
    assert all(r.flat for r in reports), reports
    return elapsed


def _measure(kind: str, per_venue: int, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        kx, qx = KucoinExchange(), KuestExchange()
        with kx.serve(), qx.serve():
            accounts = _book(kx, qx, per_venue)
            if per_venue == 0:  # one account alone: the first KuCoin one, then the first Kuest
                raise AssertionError("unreachable")
            times.append((_time_async if kind == "async" else _time_sync)(accounts, kx, qx))
            assert _open(kx, qx) == 0
    return times


def _measure_one(kind: str, venue: str, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        kx, qx = KucoinExchange(), KuestExchange()
        with kx.serve(), qx.serve():
            accounts = [a for a in _book(kx, qx, 1) if a[0] == venue]
            times.append((_time_async if kind == "async" else _time_sync)(accounts, kx, qx))
    return times


def _command(runs: int) -> list[tuple[float, float]]:
    """(wall seconds, seconds the command reports) of `ordercancel panic` for 20 accounts."""
    results = []
    for _ in range(runs):
        kx, qx = KucoinExchange(), KuestExchange()
        with kx.serve(), qx.serve(), tempfile.TemporaryDirectory() as tmp:
            accounts = _book(kx, qx, ACCOUNTS_PER_VENUE)
            env = dict(os.environ)
            lines = []
            for i, (venue, keys) in enumerate(accounts):
                fields = (
                    ("api_key", "api_secret", "api_passphrase")
                    if venue == "kucoin"
                    else ("address", "api_key", "api_secret", "api_passphrase")
                )
                url = kx.base_url if venue == "kucoin" else qx.base_url
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
            body = json.loads(done.stdout)
            assert done.returncode == 0, done.stderr
            flatten_s = max(a["seconds"] for a in body["accounts"])
            results.append((wall, flatten_s))
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"{ACCOUNTS_PER_VENUE * 2} accounts x {ORDERS} orders over 5 symbols; "
          f"median of {args.runs} runs; served simulators on 127.0.0.1")  # fmt: skip
    for kind in ("async", "sync"):
        one = [
            statistics.median(_measure_one(kind, venue, args.runs)) for venue in ("kucoin", "kuest")
        ]
        alone = max(one)
        many = statistics.median(_measure(kind, ACCOUNTS_PER_VENUE, args.runs))
        print(
            f"{kind:5}  one account alone: kucoin {one[0] * 1000:.1f} ms, kuest "
            f"{one[1] * 1000:.1f} ms; all 20: {many * 1000:.1f} ms = "
            f"{many / alone:.2f}x the slower single account (target <= 1.5x)"
        )
    command = _command(args.runs)
    wall = statistics.median(w for w, _ in command)
    inside = statistics.median(f for _, f in command)
    print(
        f"panic command, 20 accounts: wall {wall * 1000:.0f} ms, of which flatten "
        f"{inside * 1000:.0f} ms; the command's own overhead {(wall - inside) * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
