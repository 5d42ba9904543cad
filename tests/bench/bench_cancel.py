"""Benchmark: ordercancel against the raw floor (httpx, aiohttp, hand-written signing) and peers.

    nox -s bench                       # or: python tests/bench/bench_cancel.py --help

One process tree: a loopback server in its own process (tests/bench/bench_server.py; its CPU is
not ours), the timed contenders in this process, import time and peak memory in fresh
subprocesses. Contenders run in interleaved rounds (A B C, then B C A, ...) so that drift of a
shared machine falls on all alike. Nothing here is a test: no timing is ever asserted; the
targets are reported as ratios from the same run.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import datetime as dt
import hashlib
import hmac
import json
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable, Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
SYMBOL = "BTC-USDT"
FAKE_KEYS = {"api_key": "bench-key", "api_secret": "bench-secret", "api_passphrase": "bench-pass"}

TARGETS = {
    "sync_cpu_per_cancel": ("<=", 1.0, "ordercancel sync CPU/cancel vs raw httpx.Client"),
    "async_vs_best_peer": (">=", 1.0, "ordercancel async cancels/s vs the best async peer"),
    "async_cpu_vs_leanest_peer": (
        "<=",
        1.0,
        "ordercancel async CPU/cancel vs the leanest async peer",
    ),
    "async_p99_over_p50": ("<=", 3.0, "ordercancel async p99 / p50"),
    "async_throughput": (">=", 0.7, "ordercancel async cancels/s vs raw aiohttp (stretch)"),
    "import_time": ("<=", 1.6, "import ordercancel vs import httpx"),
    "peak_memory": ("<=", 1.3, "ordercancel sync peak RSS vs raw httpx.Client"),
}
# The async peers the async targets compare against (ccxt with its limiter off).
ASYNC_PEERS = ("ccxt (async_support)", "python-kucoin (AsyncClient)")

SyncCancel = Callable[[str], None]
AsyncCancel = Callable[[str], Awaitable[None]]


class Skip(Exception):
    """A peer that cannot run here; the message says why."""


# --- hand-written KuCoin signing (the baseline's) ------------------------------------------


class RawSigner:
    """KC-API headers for a DELETE with no body, written as a careful user would."""

    def __init__(self, keys: dict[str, str]) -> None:
        self._key = keys["api_key"]
        self._secret = keys["api_secret"].encode()
        digest = hmac.new(self._secret, keys["api_passphrase"].encode(), hashlib.sha256).digest()
        self._passphrase = base64.b64encode(digest).decode()

    def headers(self, method: str, target: str) -> dict[str, str]:
        ts = str(time.time_ns() // 1_000_000)
        mac = hmac.new(self._secret, (ts + method + target).encode(), hashlib.sha256)
        return {
            "KC-API-KEY": self._key,
            "KC-API-SIGN": base64.b64encode(mac.digest()).decode(),
            "KC-API-TIMESTAMP": ts,
            "KC-API-PASSPHRASE": self._passphrase,
            "KC-API-KEY-VERSION": "3",
            "Content-Type": "application/json",
        }


def _check(body: bytes, order_id: str) -> None:
    envelope = json.loads(body)
    if envelope.get("code") != "200000" or envelope["data"]["orderId"] != order_id:
        raise RuntimeError(f"unexpected answer {body[:200]!r}")


# --- contenders: each factory returns (cancel, close) --------------------------------------


def sync_ordercancel(base_url: str, keys: dict[str, str]) -> tuple[SyncCancel, Callable[[], Any]]:
    from ordercancel import KucoinKeys, KucoinSpotCancelOrder

    kc = KucoinSpotCancelOrder(keys=KucoinKeys(**keys), base_url=base_url)

    def cancel(order_id: str) -> None:
        kc.cancel_order_by_order_id(order_id, SYMBOL)

    return cancel, kc.close


def sync_raw_httpx(base_url: str, keys: dict[str, str]) -> tuple[SyncCancel, Callable[[], Any]]:
    import httpx

    client = httpx.Client(base_url=base_url, timeout=httpx.Timeout(10.0, connect=5.0))
    signer = RawSigner(keys)

    def cancel(order_id: str) -> None:
        target = f"/api/v1/hf/orders/{order_id}?symbol={SYMBOL}"
        response = client.request("DELETE", target, headers=signer.headers("DELETE", target))
        _check(response.content, order_id)

    return cancel, client.close


def _ccxt_configure(exchange: Any, base_url: str) -> None:
    # Every REST family of ccxt's kucoin points at the loopback server.
    exchange.urls["api"] = {name: base_url for name in exchange.urls["api"]}


def sync_ccxt(base_url: str, keys: dict[str, str]) -> tuple[SyncCancel, Callable[[], Any]]:
    try:
        import ccxt
    except ImportError as exc:
        raise Skip(f"not installed ({exc})") from exc
    exchange = ccxt.kucoin(
        {
            "apiKey": keys["api_key"],
            "secret": keys["api_secret"],
            "password": keys["api_passphrase"],
            "enableRateLimit": False,
            "timeout": 10_000,
        }
    )
    _ccxt_configure(exchange, base_url)

    def cancel(order_id: str) -> None:
        # The implicit method of DELETE /api/v1/hf/orders/{orderId}: no market loading.
        answer = exchange.private_delete_hf_orders_orderid({"orderId": order_id, "symbol": SYMBOL})
        if answer["data"]["orderId"] != order_id:
            raise RuntimeError(f"unexpected answer {answer!r}")

    return cancel, lambda: None


def sync_universal_sdk(base_url: str, keys: dict[str, str]) -> tuple[SyncCancel, Callable[[], Any]]:
    try:
        from kucoin_universal_sdk.api import DefaultClient
        from kucoin_universal_sdk.generate.spot.order import CancelOrderByOrderIdReqBuilder
        from kucoin_universal_sdk.model import (
            ClientOptionBuilder,
            TransportOptionBuilder,
        )
    except ImportError as exc:
        raise Skip(f"not installed ({exc})") from exc
    transport = (
        TransportOptionBuilder()
        .set_keep_alive(True)
        .set_read_timeout(10)
        .set_connect_timeout(5)
        .build()
    )
    options = (
        ClientOptionBuilder()
        .set_key(keys["api_key"])
        .set_secret(keys["api_secret"])
        .set_passphrase(keys["api_passphrase"])
        .set_spot_endpoint(base_url)
        .set_futures_endpoint(base_url)
        .set_broker_endpoint(base_url)
        .set_transport_option(transport)
        .build()
    )
    api = DefaultClient(options).rest_service().get_spot_service().get_order_api()

    def cancel(order_id: str) -> None:
        request = CancelOrderByOrderIdReqBuilder().set_order_id(order_id).set_symbol(SYMBOL).build()
        answer = api.cancel_order_by_order_id(request)
        if answer.order_id != order_id:
            raise RuntimeError(f"unexpected answer {answer!r}")

    return cancel, lambda: None


def sync_python_kucoin(base_url: str, keys: dict[str, str]) -> tuple[SyncCancel, Callable[[], Any]]:
    try:
        from kucoin.client import Client
    except ImportError as exc:
        raise Skip(f"not installed ({exc})") from exc
    client = Client(keys["api_key"], keys["api_secret"], keys["api_passphrase"])
    client.API_URL = base_url

    def cancel(order_id: str) -> None:
        answer = client.hf_cancel_order(order_id, SYMBOL)
        if answer["orderId"] != order_id:
            raise RuntimeError(f"unexpected answer {answer!r}")

    return cancel, lambda: None


async def async_ordercancel(
    base_url: str, keys: dict[str, str]
) -> tuple[AsyncCancel, Callable[[], Awaitable[Any]]]:
    from ordercancel import AsyncKucoinSpotCancelOrder, KucoinKeys

    kc = AsyncKucoinSpotCancelOrder(keys=KucoinKeys(**keys), base_url=base_url)

    async def cancel(order_id: str) -> None:
        await kc.cancel_order_by_order_id(order_id, SYMBOL)

    return cancel, kc.aclose


async def async_ordercancel_httpx(
    base_url: str, keys: dict[str, str]
) -> tuple[AsyncCancel, Callable[[], Awaitable[Any]]]:
    import httpx
    from ordercancel import AsyncKucoinSpotCancelOrder, KucoinKeys

    kc = AsyncKucoinSpotCancelOrder(
        keys=KucoinKeys(**keys), base_url=base_url, transport=httpx.AsyncHTTPTransport()
    )

    async def cancel(order_id: str) -> None:
        await kc.cancel_order_by_order_id(order_id, SYMBOL)

    return cancel, kc.aclose


async def async_raw_httpx(
    base_url: str, keys: dict[str, str]
) -> tuple[AsyncCancel, Callable[[], Awaitable[Any]]]:
    import httpx

    client = httpx.AsyncClient(base_url=base_url, timeout=httpx.Timeout(10.0, connect=5.0))
    signer = RawSigner(keys)

    async def cancel(order_id: str) -> None:
        target = f"/api/v1/hf/orders/{order_id}?symbol={SYMBOL}"
        response = await client.request("DELETE", target, headers=signer.headers("DELETE", target))
        _check(response.content, order_id)

    return cancel, client.aclose


async def async_raw_aiohttp(
    base_url: str, keys: dict[str, str]
) -> tuple[AsyncCancel, Callable[[], Awaitable[Any]]]:
    import aiohttp

    session = aiohttp.ClientSession(
        base_url=base_url, timeout=aiohttp.ClientTimeout(total=10.0, connect=5.0)
    )
    signer = RawSigner(keys)

    async def cancel(order_id: str) -> None:
        target = f"/api/v1/hf/orders/{order_id}?symbol={SYMBOL}"
        async with session.request(
            "DELETE", target, headers=signer.headers("DELETE", target)
        ) as response:
            _check(await response.read(), order_id)

    return cancel, session.close


async def async_ccxt(
    base_url: str, keys: dict[str, str]
) -> tuple[AsyncCancel, Callable[[], Awaitable[Any]]]:
    try:
        import ccxt.async_support as ccxt_async
    except ImportError as exc:
        raise Skip(f"not installed ({exc})") from exc
    exchange = ccxt_async.kucoin(
        {
            "apiKey": keys["api_key"],
            "secret": keys["api_secret"],
            "password": keys["api_passphrase"],
            "enableRateLimit": False,
            "timeout": 10_000,
        }
    )
    _ccxt_configure(exchange, base_url)

    async def cancel(order_id: str) -> None:
        answer = await exchange.private_delete_hf_orders_orderid(
            {"orderId": order_id, "symbol": SYMBOL}
        )
        if answer["data"]["orderId"] != order_id:
            raise RuntimeError(f"unexpected answer {answer!r}")

    return cancel, exchange.close


async def async_python_kucoin(
    base_url: str, keys: dict[str, str]
) -> tuple[AsyncCancel, Callable[[], Awaitable[Any]]]:
    try:
        from kucoin.async_client import AsyncClient
    except ImportError as exc:
        raise Skip(f"not installed ({exc})") from exc
    client = AsyncClient(keys["api_key"], keys["api_secret"], keys["api_passphrase"])
    client.API_URL = base_url

    async def cancel(order_id: str) -> None:
        answer = await client.hf_cancel_order(order_id, SYMBOL)
        if answer["orderId"] != order_id:
            raise RuntimeError(f"unexpected answer {answer!r}")

    return cancel, client.close_connection


SYNC = {
    "ordercancel": sync_ordercancel,
    "raw httpx.Client": sync_raw_httpx,
    "ccxt (sync)": sync_ccxt,
    "kucoin-universal-sdk": sync_universal_sdk,
    "python-kucoin (sync)": sync_python_kucoin,
}
ASYNC = {
    "ordercancel (aiohttp transport, default)": async_ordercancel,
    "ordercancel (httpx transport)": async_ordercancel_httpx,
    "raw httpx.AsyncClient": async_raw_httpx,
    "raw aiohttp.ClientSession": async_raw_aiohttp,
    "ccxt (async_support)": async_ccxt,
    "python-kucoin (AsyncClient)": async_python_kucoin,
}
PEERS = {"ccxt (sync)", "kucoin-universal-sdk", "python-kucoin (sync)"}
PEERS |= {"ccxt (async_support)", "python-kucoin (AsyncClient)"}
IMPORTS = {
    "httpx": "import httpx",
    "ordercancel": "import ordercancel",
    "aiohttp": "import aiohttp",
    "ccxt": "import ccxt",
    "kucoin-universal-sdk": "import kucoin_universal_sdk.api",
    "python-kucoin": "import kucoin.client",
}
MEMORY = {  # contender -> (sync or async, its factory)
    "ordercancel": "sync",
    "raw httpx.Client": "sync",
    "ordercancel (aiohttp transport, default)": "async",
    "raw aiohttp.ClientSession": "async",
    "ccxt (sync)": "sync",
    "kucoin-universal-sdk": "sync",
    "python-kucoin (sync)": "sync",
}


# --- helpers -------------------------------------------------------------------------------


def _ids(prefix: int) -> Iterator[str]:
    n = 0
    while True:
        n += 1
        yield f"{prefix:04x}{n:020x}"


def _pct(sorted_values: list[float], q: float) -> float:
    if not sorted_values:
        return float("nan")
    return sorted_values[min(len(sorted_values) - 1, round(q * (len(sorted_values) - 1)))]


def _rotations(names: list[str], rounds: int) -> Iterator[list[str]]:
    for r in range(rounds):
        k = r % len(names)
        yield names[k:] + names[:k]


class Server:
    """The loopback server process."""

    def __init__(self, sim: bool) -> None:
        args = [sys.executable, str(HERE / "bench_server.py"), *(["--sim"] if sim else [])]
        self.proc = subprocess.Popen(args, stdin=subprocess.PIPE, stdout=subprocess.PIPE)
        assert self.proc.stdout is not None
        info = json.loads(self.proc.stdout.readline())
        self.base_url: str = info["base_url"]
        self.keys: dict[str, str] = info["keys"] or FAKE_KEYS

    def cpu_s(self) -> float:
        import httpx

        return float(httpx.get(self.base_url + "/__stats").json()["cpu_s"])

    def close(self) -> None:
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


# --- the measurements ----------------------------------------------------------------------


def bench_sync(server: Server, names: list[str], calls: int, rounds: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    live: dict[str, tuple[SyncCancel, Callable[[], Any]]] = {}
    for i, name in enumerate(names):
        try:
            cancel, close = SYNC[name](server.base_url, server.keys)
            ids = _ids(0x100 + i)
            for _ in range(50):  # warm-up: connection, lazy imports, caches
                cancel(next(ids))
            live[name] = (cancel, close)
            results[name] = {"latencies": [], "cpu_s": 0.0, "wall_s": 0.0, "ids": ids}
        except Exception as exc:  # a peer failing is reported, not fatal
            if name not in PEERS:
                raise
            results[name] = {"skipped": f"{type(exc).__name__}: {exc}"[:300]}
    per_round = calls // rounds
    for order in _rotations(list(live), rounds):
        for name in order:
            cancel, _ = live[name]
            r = results[name]
            ids = r["ids"]
            batch = [next(ids) for _ in range(per_round)]
            lat = r["latencies"]
            perf = time.perf_counter
            c0, w0 = time.process_time(), perf()
            for oid in batch:
                t = perf()
                cancel(oid)
                lat.append(perf() - t)
            r["cpu_s"] += time.process_time() - c0
            r["wall_s"] += perf() - w0
    for name, (_, close) in live.items():
        close()
        r = results[name]
        lat = sorted(r.pop("latencies"))
        r.pop("ids")
        n = len(lat)
        r.update(
            calls=n,
            cpu_us_per_cancel=r["cpu_s"] / n * 1e6,
            p50_us=_pct(lat, 0.50) * 1e6,
            p99_us=_pct(lat, 0.99) * 1e6,
            cancels_per_s=n / r["wall_s"],
        )
    return results


async def _async_round(cancel: AsyncCancel, batch: list[str], in_flight: int) -> list[float]:
    latencies: list[float] = []
    it = iter(batch)
    perf = time.perf_counter

    async def worker() -> None:
        for oid in it:
            t = perf()
            await cancel(oid)
            latencies.append(perf() - t)

    await asyncio.gather(*(worker() for _ in range(in_flight)))
    return latencies


async def _bench_async(
    server: Server, names: list[str], calls: int, rounds: int, in_flight: int
) -> dict[str, Any]:
    results: dict[str, Any] = {}
    live: dict[str, tuple[AsyncCancel, Callable[[], Awaitable[Any]]]] = {}
    for i, name in enumerate(names):
        try:
            cancel, close = await ASYNC[name](server.base_url, server.keys)
            ids = _ids(0x200 + i)
            await _async_round(cancel, [next(ids) for _ in range(200)], in_flight)  # warm-up
            live[name] = (cancel, close)
            results[name] = {"latencies": [], "rates": [], "cpu_s": 0.0, "ids": ids}
            results[name]["server_cpu_share"] = 0.0
        except Exception as exc:
            if name not in PEERS:
                raise
            results[name] = {"skipped": f"{type(exc).__name__}: {exc}"[:300]}
    for order in _rotations(list(live), rounds):
        for name in order:
            cancel, _ = live[name]
            r = results[name]
            batch = [next(r["ids"]) for _ in range(calls)]
            s0 = server.cpu_s()
            c0, w0 = time.process_time(), time.perf_counter()
            r["latencies"] += await _async_round(cancel, batch, in_flight)
            wall = time.perf_counter() - w0
            r["cpu_s"] += time.process_time() - c0
            r["rates"].append(calls / wall)
            share = (server.cpu_s() - s0) / wall
            r["server_cpu_share"] = max(r["server_cpu_share"], share)
    for name, (_, close) in live.items():
        await close()
        r = results[name]
        lat = sorted(r.pop("latencies"))
        r.pop("ids")
        rates = r.pop("rates")
        r.update(
            calls=len(lat),
            cancels_per_s=statistics.median(rates),
            cancels_per_s_rounds=[round(x) for x in rates],
            cpu_us_per_cancel=r.pop("cpu_s") / len(lat) * 1e6,
            p50_us=_pct(lat, 0.50) * 1e6,
            p99_us=_pct(lat, 0.99) * 1e6,
        )
        r["p99_over_p50"] = r["p99_us"] / r["p50_us"]
    return results


def bench_async(
    server: Server, names: list[str], calls: int, rounds: int, in_flight: int
) -> dict[str, Any]:
    return asyncio.run(_bench_async(server, names, calls, rounds, in_flight))


def _fresh_env(pycache: str) -> dict[str, str]:
    # Byte-compiled once into a private cache for every contender alike, as an installed
    # package would be (PYTHONDONTWRITEBYTECODE would otherwise recompile only some).
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env["PYTHONPYCACHEPREFIX"] = pycache
    return env


def bench_import(runs: int) -> dict[str, Any]:
    code = "import time; t = time.perf_counter(); {stmt}; print(time.perf_counter() - t)"
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as cache:
        env = _fresh_env(cache)
        live = []
        for name, stmt in IMPORTS.items():
            done = subprocess.run(
                [sys.executable, "-c", stmt], env=env, capture_output=True, text=True
            )
            if done.returncode != 0:
                results[name] = {"skipped": done.stderr.strip().splitlines()[-1][:300]}
            else:
                live.append(name)
                results[name] = {"samples_ms": []}
        for order in _rotations(live, runs):
            for name in order:
                out = subprocess.run(
                    [sys.executable, "-c", code.format(stmt=IMPORTS[name])],
                    env=env,
                    capture_output=True,
                    text=True,
                    check=True,
                ).stdout
                results[name]["samples_ms"].append(float(out) * 1000)
    for name in live:
        samples = results[name]["samples_ms"]
        results[name]["median_ms"] = statistics.median(samples)
        results[name]["samples_ms"] = [round(x, 1) for x in samples]
    return results


def _memory_child(name: str, base_url: str, keys: dict[str, str], calls: int) -> None:
    ids = _ids(0x300)
    if MEMORY[name] == "sync":
        cancel, close = SYNC[name](base_url, keys)
        for _ in range(calls):
            cancel(next(ids))
        close()
    else:

        async def run() -> None:
            cancel, close = await ASYNC[name](base_url, keys)
            await _async_round(cancel, [next(ids) for _ in range(calls)], 50)
            await close()

        asyncio.run(run())
    # VmHWM: this process's own peak RSS in KiB (ru_maxrss would carry the parent's peak
    # across fork and exec on Linux).
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            print(int(line.split()[1]))
            return
    print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


def bench_memory(server: Server, names: list[str], runs: int, calls: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    live = []
    with tempfile.TemporaryDirectory() as cache:
        env = _fresh_env(cache)

        def child(name: str) -> subprocess.CompletedProcess[str]:
            args = ["--memory-child", name, "--base-url", server.base_url]
            args += ["--keys", json.dumps(server.keys), "--memory-calls", str(calls)]
            return subprocess.run(
                [sys.executable, __file__, *args], env=env, capture_output=True, text=True
            )

        for name in names:
            done = child(name)  # also fills the byte-code cache
            if done.returncode != 0:
                if name not in PEERS:
                    raise RuntimeError(f"memory child {name} failed:\n{done.stderr}")
                last = (done.stderr.strip().splitlines() or ["?"])[-1]
                results[name] = {"skipped": last[:300]}
            else:
                live.append(name)
                results[name] = {"samples_kib": []}
        for order in _rotations(live, runs):
            for name in order:
                done = child(name)
                results[name]["samples_kib"].append(int(done.stdout.split()[-1]))
    for name in live:
        samples = results[name]["samples_kib"]
        results[name]["peak_rss_mib"] = statistics.median(samples) / 1024
    return results


# --- report ----------------------------------------------------------------------------------


def _machine() -> dict[str, Any]:
    model = "?"
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    versions = {}
    for dist in ("ordercancel", "httpx", "aiohttp", "httpx-aiohttp", "stamina", "attrs"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            versions[dist] = version(dist)
    for dist in ("ccxt", "kucoin-universal-sdk", "python-kucoin"):
        with contextlib.suppress(Exception):
            from importlib.metadata import version

            versions[dist] = version(dist)
    return {
        "date": dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "nproc": os.cpu_count(),
        "cpu_model": model,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "versions": versions,
        "loadavg_start": os.getloadavg(),
    }


def _ratios(res: dict[str, Any]) -> dict[str, Any]:
    out: dict[str, Any] = {}

    def put(key: str, value: float | None) -> None:
        op, target, what = TARGETS[key]
        if value is None:
            out[key] = {"what": what, "target": f"{op} {target}", "value": None, "met": None}
            return
        met = value <= target if op == "<=" else value >= target
        out[key] = {"what": what, "target": f"{op} {target}", "value": round(value, 3), "met": met}

    s, a = res.get("sync", {}), res.get("async", {})
    i, m = res.get("import", {}), res.get("memory", {})

    def get(section: dict[str, Any], name: str, field: str) -> float | None:
        v = section.get(name, {}).get(field)
        return float(v) if v is not None else None

    def ratio(x: float | None, y: float | None) -> float | None:
        return x / y if x is not None and y else None

    put(
        "sync_cpu_per_cancel",
        ratio(
            get(s, "ordercancel", "cpu_us_per_cancel"),
            get(s, "raw httpx.Client", "cpu_us_per_cancel"),
        ),
    )
    oc = "ordercancel (aiohttp transport, default)"
    put(
        "async_throughput",
        ratio(get(a, oc, "cancels_per_s"), get(a, "raw aiohttp.ClientSession", "cancels_per_s")),
    )
    peer_rates = [v for p in ASYNC_PEERS if (v := get(a, p, "cancels_per_s")) is not None]
    peer_cpus = [v for p in ASYNC_PEERS if (v := get(a, p, "cpu_us_per_cancel")) is not None]
    best_rate = max(peer_rates) if peer_rates else None
    put("async_vs_best_peer", ratio(get(a, oc, "cancels_per_s"), best_rate))
    leanest = min(peer_cpus) if peer_cpus else None
    put("async_cpu_vs_leanest_peer", ratio(get(a, oc, "cpu_us_per_cancel"), leanest))
    put("async_p99_over_p50", get(a, oc, "p99_over_p50"))
    put("import_time", ratio(get(i, "ordercancel", "median_ms"), get(i, "httpx", "median_ms")))
    put(
        "peak_memory",
        ratio(get(m, "ordercancel", "peak_rss_mib"), get(m, "raw httpx.Client", "peak_rss_mib")),
    )
    return out


def _table(title: str, header: list[str], rows: list[list[str]]) -> str:
    widths = [max(len(str(r[c])) for r in [header, *rows]) for c in range(len(header))]
    line = "| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |"
    sep = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    body = [
        "| " + " | ".join(str(c).ljust(w) for c, w in zip(r, widths, strict=True)) + " |"
        for r in rows
    ]
    return "\n".join([f"\n{title}\n", line, sep, *body])


def render(res: dict[str, Any]) -> str:
    parts = []
    mach = res["machine"]
    parts.append(
        f"{mach['date']}; {mach['nproc']} CPUs ({mach['cpu_model']}); Python {mach['python']}; "
        f"load {mach['loadavg_start'][0]:.2f} at start, {mach['loadavg_end'][0]:.2f} at end"
    )

    def skipped(r: dict[str, Any], ncol: int) -> list[str]:
        return ["skipped: " + r["skipped"], *[""] * (ncol - 1)]

    if "sync" in res:
        cfg = res["config"]
        rows = []
        for name, r in res["sync"].items():
            rows.append(
                [name, *skipped(r, 4)]
                if "skipped" in r
                else [
                    name,
                    f"{r['cpu_us_per_cancel']:.0f}",
                    f"{r['p50_us']:.0f}",
                    f"{r['p99_us']:.0f}",
                    f"{r['cancels_per_s']:.0f}",
                ]
            )
        parts.append(
            _table(
                f"Sync: {cfg['sync_calls']} sequential cancels each, {cfg['sync_rounds']} "
                "interleaved rounds",
                ["contender", "CPU us/cancel", "p50 us", "p99 us", "cancels/s"],
                rows,
            )
        )
    if "async" in res:
        cfg = res["config"]
        rows = []
        for name, r in res["async"].items():
            rows.append(
                [name, *skipped(r, 6)]
                if "skipped" in r
                else [
                    name,
                    f"{r['cancels_per_s']:.0f}",
                    f"{r['p50_us'] / 1000:.1f}",
                    f"{r['p99_us'] / 1000:.1f}",
                    f"{r['p99_over_p50']:.2f}",
                    f"{r['cpu_us_per_cancel']:.0f}",
                    f"{r['server_cpu_share']:.2f}",
                ]
            )
        parts.append(
            _table(
                f"Async: {cfg['async_calls']} distinct cancels, {cfg['in_flight']} in flight, "
                f"{cfg['async_rounds']} interleaved rounds (median rate)",
                [
                    "contender",
                    "cancels/s",
                    "p50 ms",
                    "p99 ms",
                    "p99/p50",
                    "CPU us/cancel",
                    "server CPU",
                ],
                rows,
            )
        )
    if "import" in res:
        rows = [
            [n, *skipped(r, 1)] if "skipped" in r else [n, f"{r['median_ms']:.1f}"]
            for n, r in res["import"].items()
        ]
        parts.append(_table("Import time (fresh interpreter, median)", ["import", "ms"], rows))
    if "memory" in res:
        rows = [
            [n, *skipped(r, 1)] if "skipped" in r else [n, f"{r['peak_rss_mib']:.1f}"]
            for n, r in res["memory"].items()
        ]
        parts.append(
            _table(
                f"Peak RSS (fresh process: import, client, {res['config']['memory_calls']} "
                "cancels; median)",
                ["contender", "MiB"],
                rows,
            )
        )
    rows = [
        [
            k,
            v["what"],
            v["target"],
            "-" if v["value"] is None else f"{v['value']:.2f}",
            {True: "yes", False: "NO", None: "-"}[v["met"]],
        ]
        for k, v in res["targets"].items()
    ]
    parts.append(
        _table("Targets (ratios from this run)", ["", "what", "target", "ratio", "met"], rows)
    )
    return "\n".join(parts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--output", default="bench-results.json", help="JSON results path")
    parser.add_argument("--sync-calls", type=int, default=2000)
    parser.add_argument("--sync-rounds", type=int, default=5)
    parser.add_argument("--async-calls", type=int, default=2000, help="cancels per round")
    parser.add_argument("--async-rounds", type=int, default=3)
    parser.add_argument("--in-flight", type=int, default=50)
    parser.add_argument("--import-runs", type=int, default=15)
    parser.add_argument("--memory-runs", type=int, default=3)
    parser.add_argument("--memory-calls", type=int, default=500)
    parser.add_argument(
        "--only", default="sync,async,import,memory", help="comma-separated sections to run"
    )
    parser.add_argument("--no-peers", action="store_true", help="only ordercancel and raw floors")
    parser.add_argument("--sim", action="store_true", help="serve ordercancel.testing's exchange")
    parser.add_argument("--memory-child", help=argparse.SUPPRESS)
    parser.add_argument("--base-url", help=argparse.SUPPRESS)
    parser.add_argument("--keys", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.memory_child:
        _memory_child(args.memory_child, args.base_url, json.loads(args.keys), args.memory_calls)
        return

    only = set(args.only.split(","))
    keep = (lambda n: n not in PEERS) if args.no_peers else (lambda n: True)
    res: dict[str, Any] = {"machine": _machine(), "config": vars(args) | {"argv": sys.argv[1:]}}
    server = Server(args.sim)
    try:
        if "sync" in only:
            print("sync ...", file=sys.stderr, flush=True)
            res["sync"] = bench_sync(
                server, [n for n in SYNC if keep(n)], args.sync_calls, args.sync_rounds
            )
        if "async" in only:
            print("async ...", file=sys.stderr, flush=True)
            res["async"] = bench_async(
                server,
                [n for n in ASYNC if keep(n)],
                args.async_calls,
                args.async_rounds,
                args.in_flight,
            )
        if "import" in only:
            print("import ...", file=sys.stderr, flush=True)
            res["import"] = {
                k: v
                for k, v in bench_import(args.import_runs).items()
                if keep(k) or k in {"httpx", "ordercancel", "aiohttp"}
            }
        if "memory" in only:
            print("memory ...", file=sys.stderr, flush=True)
            res["memory"] = bench_memory(
                server, [n for n in MEMORY if keep(n)], args.memory_runs, args.memory_calls
            )
    finally:
        server.close()
    res["machine"]["loadavg_end"] = os.getloadavg()
    res["targets"] = _ratios(res)
    print(render(res))
    Path(args.output).write_text(json.dumps(res, indent=2) + "\n")
    print(f"\nwrote {args.output}")


if __name__ == "__main__":
    main()
