"""The served simulators of the flatten benchmark, in their own process, with a round trip.

Run by `bench_flatten.py` (one process per measurement, so the book starts fresh and the
simulators' CPU never counts against the clients'):

    python tests/bench/flatten_server.py --kucoin 10 --kuest 10 [--orders 200] [--latency-ms 20]

Serves a `KucoinExchange` and a `KuestExchange` of `ordercancel.testing` on 127.0.0.1 with the
given accounts, each holding `--orders` open orders over 5 symbols (markets), and prints one
JSON line once listening: {"kucoin_url", "kuest_url", "accounts": [{"venue", "keys"}]}.

`--latency-ms` stands for the network between a desk and a venue: every answer comes that
much late, with the simulators' own documented fault `faults.delay(seconds, count)` planned
for every request (the venue waits, then applies the request and answers).

Then, for each line read on stdin, it prints one JSON line: {"open": live orders left in both
books, "all_delayed": whether every answer so far came late, "cpu_s": this process's CPU
seconds}. It exits when stdin closes.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import sys

from ordercancel.testing import KucoinExchange, KuestExchange

SYMBOLS = ("BTC-USDT", "ETH-USDT", "SOL-USDT", "XRP-USDT", "KCS-USDT")
MARKETS = tuple("0x" + f"{i:02x}" * 32 for i in range(5))
_PLANNED = 1_000_000  # delayed answers planned per venue: far more than a run sends
_LIVE = ("live", "partially_filled")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kucoin", type=int, default=10, help="KuCoin accounts")
    parser.add_argument("--kuest", type=int, default=10, help="Kuest accounts")
    parser.add_argument("--orders", type=int, default=200, help="open orders per account")
    parser.add_argument("--latency-ms", type=float, default=0.0, help="delay of every answer")
    args = parser.parse_args()

    kx, qx = KucoinExchange(), KuestExchange()
    accounts = []
    for _ in range(args.kucoin):
        keys = kx.add_account()
        for i in range(args.orders):
            kx.add_order(SYMBOLS[i % 5], "1", account=keys)
        accounts.append({"venue": "kucoin", "keys": dataclasses.asdict(keys)})
    for _ in range(args.kuest):
        keys = qx.add_account()
        for i in range(args.orders):
            qx.add_order(MARKETS[i % 5], "1", account=keys)
        accounts.append({"venue": "kuest", "keys": dataclasses.asdict(keys)})
    if args.latency_ms > 0:
        for venue in (kx, qx):
            venue.faults.delay(args.latency_ms / 1000, count=_PLANNED)

    with kx.serve(), qx.serve():
        info = {"kucoin_url": kx.base_url, "kuest_url": qx.base_url, "accounts": accounts}
        print(json.dumps(info), flush=True)
        for _ in sys.stdin:
            live = sum(o.state in _LIVE for o in kx.orders())
            live += sum(o.state in _LIVE for o in qx.orders())
            # The plan ran out (some answers came on time) only if a venue has none left.
            delayed = args.latency_ms <= 0 or all(v.faults.pending for v in (kx, qx))
            times = os.times()
            probe = {"open": live, "all_delayed": delayed, "cpu_s": times.user + times.system}
            print(json.dumps(probe), flush=True)


if __name__ == "__main__":
    main()
