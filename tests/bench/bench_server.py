"""A loopback KuCoin stand-in for the benchmark: answers the success envelope, verifies nothing.

Run as its own process so its CPU never counts against a contender:

    python tests/bench/bench_server.py [--sim] [--orders N]

It prints one JSON line on stdout once listening: {"base_url": ..., "pid": ...}, then serves
until stdin closes (the parent exiting closes it). `GET /__stats` returns the server process's
CPU seconds so far, which lets the bench check the server is not the bottleneck.

Default mode: aiohttp's low-level server (its C HTTP parser, no router, no middleware) answers
every `DELETE .../{id}` with `{"code":"200000","data":{"orderId": id}}` plus KuCoin's rate-limit
headers, Kuest's `DELETE /order` and `DELETE /orders` with every id canceled, and
`GET /api/v1/timestamp` with the time. `--sim` serves the simulated exchange of
`ordercancel.testing` instead (full signature checks), with orders `f"{i:024x}"` for i < N
pre-placed, to measure what the faithful simulator costs per request.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time

from aiohttp import web

_HEADERS = {
    "Content-Type": "application/json",
    "gw-ratelimit-limit": "4000",
    "gw-ratelimit-remaining": "3999",
    "gw-ratelimit-reset": "29999",
}


def _cpu() -> float:
    t = os.times()
    return t.user + t.system


async def _fast(request: web.BaseRequest) -> web.StreamResponse:
    path = request.raw_path.partition("?")[0]
    if path == "/__stats":
        return web.Response(body=json.dumps({"cpu_s": _cpu()}).encode(), headers=_HEADERS)
    if path == "/api/v1/timestamp":
        body = b'{"code":"200000","data":%d}' % (time.time_ns() // 1_000_000)
        return web.Response(body=body, headers=_HEADERS)
    if request.method == "DELETE" and path in ("/order", "/orders"):  # Kuest (bench_bulk.py)
        sent = json.loads(await request.read())
        ids = sent if path == "/orders" else [sent.get("orderId", sent.get("orderID"))]
        body = json.dumps({"canceled": ids, "not_canceled": {}}).encode()
        return web.Response(body=body, headers=_HEADERS)
    if request.method == "DELETE":
        order_id = path.rpartition("/")[2]
        body = b'{"code":"200000","data":{"orderId":"%s"}}' % order_id.encode()
        return web.Response(body=body, headers=_HEADERS)
    return web.Response(status=404, body=b'{"code":"404000","msg":"not found"}', headers=_HEADERS)


def _sim_handler(orders: int) -> tuple[web.Server, dict[str, str]]:
    from ordercancel.testing import KucoinExchange
    from ordercancel.testing._served import _handler

    exchange = KucoinExchange(spot_quota=10**9)
    for i in range(orders):
        exchange.add_order("BTC-USDT", "1", order_id=f"{i:024x}")
    inner = _handler(exchange)

    async def handle(request: web.BaseRequest) -> web.StreamResponse:
        if request.raw_path == "/__stats":
            return web.Response(body=json.dumps({"cpu_s": _cpu()}).encode(), headers=_HEADERS)
        return await inner.request_handler(request)

    keys = exchange.keys
    return web.Server(handle, access_log=None), {
        "api_key": keys.api_key,
        "api_secret": keys.api_secret,
        "api_passphrase": keys.api_passphrase,
    }


async def _main(args: argparse.Namespace) -> None:
    keys: dict[str, str] = {}
    if args.sim:
        server, keys = _sim_handler(args.orders)
    else:
        server = web.Server(_fast, access_log=None)
    loop = asyncio.get_running_loop()
    listener = await loop.create_server(server, "127.0.0.1", 0, backlog=1024)
    port = listener.sockets[0].getsockname()[1]
    info = {"base_url": f"http://127.0.0.1:{port}", "pid": os.getpid(), "keys": keys}
    sys.stdout.write(json.dumps(info) + "\n")
    sys.stdout.flush()
    # Serve until the parent closes our stdin.
    await loop.run_in_executor(None, sys.stdin.read)
    listener.close()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sim", action="store_true", help="serve ordercancel.testing's exchange")
    parser.add_argument("--orders", type=int, default=20_000, help="orders pre-placed (--sim)")
    asyncio.run(_main(parser.parse_args()))
