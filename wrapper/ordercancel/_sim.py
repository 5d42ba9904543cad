"""`ordercancel sim`: both simulated venues served on 127.0.0.1, seeded, until Ctrl-C.

It prints the URLs and keys as `export` lines to paste into the shell that runs `ordercancel`,
then the orders it placed: `--orders N` places N orders per KuCoin symbol and per Kuest market
token, with fixed ids so that a documented session can be typed as it is; `--orders-file` places
the orders (and plans the faults) a JSON file lists; `--fault` plans a fault from the command line.
"""

from __future__ import annotations

import contextlib
import json
import os
import threading
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .testing import KucoinExchange, KuestExchange
from .testing._kuest import DEFAULT_ASSET, DEFAULT_MARKET

KUCOIN_SYMBOLS = ("BTC-USDT", "ETH-USDT")
# Kuest's markets each trade two outcome tokens; their ids are shaped like Kuest's own.
KUEST_MARKETS = {
    "1": DEFAULT_MARKET,
    "2": "0x" + "ab" * 32,
}
KUEST_ASSETS = {  # the shell variable's suffix: (market, token id)
    "1A": ("1", DEFAULT_ASSET),
    "1B": ("1", "48331043336612883890938759509493159234755048973500640148014422747788308965732"),
    "2A": ("2", "10353678930592617003468263593386045093562513391358412765431187216374689133521"),
    "2B": ("2", "92067374251129632318478713062307850417926383740615487590361248925003472118760"),
}
FAULT_KINDS = ("server_error", "html", "empty", "delay", "drop")  # the methods of `Faults`
MAX_ORDERS = 1000


class SimSetupError(Exception):
    """The simulator cannot start as asked: one line for the user (exit 2)."""


# Where an entry came from (for the error message) and its fields.
_Entry = tuple[str, dict[str, Any]]


@dataclass
class _Plan:
    """What to place and plan on each venue before serving."""

    orders: dict[str, list[_Entry]] = field(default_factory=lambda: {"kucoin": [], "kuest": []})
    faults: dict[str, list[_Entry]] = field(default_factory=lambda: {"kucoin": [], "kuest": []})


def kucoin_order_id(group: int, number: int) -> str:
    """The id `--orders` gives order `number` of KuCoin symbol `group` (24 hex digits)."""
    return f"6711{group:04d}{number:016d}"


def kuest_order_id(token: str, number: int) -> str:
    """The id `--orders` gives order `number` of Kuest token `token` (such as "1A")."""
    return f"ord_{token.lower()}_{number}"


def port(text: str, option: str) -> int:
    """A port given on the command line (0: a free one).

    Raises:
        SimSetupError: not a whole number from 0 to 65535.
    """
    if not text.isdigit() or int(text) > 65535:
        raise SimSetupError(
            f"{option} must be a whole number from 0 to 65535 (0: a free port), got {text!r}"
        )
    return int(text)


def _seeded(count: int) -> _Plan:
    plan = _Plan()
    if not 0 <= count <= MAX_ORDERS:
        raise SimSetupError(f"--orders must be from 0 to {MAX_ORDERS}, got {count}")
    for group, symbol in enumerate(KUCOIN_SYMBOLS, start=1):
        for number in range(1, count + 1):
            n = (group - 1) * count + number
            plan.orders["kucoin"].append(("--orders", {
                "symbol": symbol, "size": "1", "client_oid": f"sim-{n}",
                "order_id": kucoin_order_id(group, number),
            }))  # fmt: skip
    for token, (market, asset_id) in KUEST_ASSETS.items():
        for number in range(1, count + 1):
            plan.orders["kuest"].append(("--orders", {
                "market": KUEST_MARKETS[market], "asset_id": asset_id, "size": "10",
                "order_id": kuest_order_id(token, number),
            }))  # fmt: skip
    return plan


def _read_file(path: str, plan: _Plan) -> None:
    where = f"--orders-file {path}"
    try:
        document = json.loads(Path(path).read_text(encoding="utf-8"))
    except OSError as exc:
        raise SimSetupError(f"{where}: {exc.strerror or exc}") from exc
    except ValueError as exc:
        raise SimSetupError(f"{where}: not JSON: {exc}") from exc
    if not isinstance(document, dict) or not set(document) <= {"kucoin", "kuest"}:
        raise SimSetupError(f'{where}: expected an object with "kucoin" and/or "kuest"')
    for venue, section in document.items():
        if not isinstance(section, dict) or not set(section) <= {"orders", "faults"}:
            raise SimSetupError(f'{where}: "{venue}" must be an object with "orders"/"faults"')
        for key in ("orders", "faults"):
            entries = section.get(key, [])
            if not isinstance(entries, list) or not all(isinstance(e, dict) for e in entries):
                raise SimSetupError(f'{where}: "{venue}.{key}" must be a list of objects')
            getattr(plan, key)[venue].extend(
                (f"{where}: {venue} {key}[{index}]", entry) for index, entry in enumerate(entries)
            )


def parse_fault(text: str) -> tuple[str, dict[str, Any]]:
    """`VENUE:KIND[:COUNT][:before|after]` as (venue, the fault's fields).

    Raises:
        SimSetupError: not of that form.
    """
    parts = text.split(":")
    usage = f"--fault must be VENUE:KIND[:COUNT][:before|after], got {text!r}"
    if not 2 <= len(parts) <= 4 or parts[0] not in ("kucoin", "kuest"):
        raise SimSetupError(usage)
    if parts[1] == "delay":
        raise SimSetupError(f"--fault {text}: a delay needs its seconds: list it in --orders-file")
    entry: dict[str, Any] = {"kind": parts[1]}
    for part in parts[2:]:
        if part.isdigit():
            entry["count"] = int(part)
        elif part in ("before", "after"):
            entry["when"] = part
        else:
            raise SimSetupError(usage)
    return parts[0], entry


def _apply(plan: _Plan, kucoin: KucoinExchange, kuest: KuestExchange) -> None:
    venues: dict[str, KucoinExchange | KuestExchange] = {"kucoin": kucoin, "kuest": kuest}
    for venue, exchange in venues.items():
        for where, entry in plan.orders[venue]:
            if "account" in entry:
                raise SimSetupError(f"{where}: the simulator has one account (no 'account')")
            try:
                exchange.add_order(**entry)
            except (TypeError, ValueError) as exc:
                raise SimSetupError(f"{where}: {exc}") from exc
        for where, entry in plan.faults[venue]:
            options = dict(entry)
            kind = options.pop("kind", None)
            if kind not in FAULT_KINDS:
                raise SimSetupError(
                    f"{where}: kind must be one of {', '.join(FAULT_KINDS)}, got {kind!r}"
                )
            try:
                getattr(exchange.faults, kind)(**options)
            except (TypeError, ValueError) as exc:
                raise SimSetupError(f"{where}: {exc}") from exc


def _table(rows: Sequence[Sequence[str]], indent: str = "  ") -> list[str]:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        (indent + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True))).rstrip()
        for row in rows
    ]


def _shell_names() -> dict[str, str]:
    names = {market: f"$KUEST_MARKET_{key}" for key, market in KUEST_MARKETS.items()}
    names |= {asset: f"$KUEST_ASSET_{key}" for key, (_, asset) in KUEST_ASSETS.items()}
    return names


def _planned(name: str, entry: dict[str, Any]) -> str:
    count, when = entry.get("count", 1), entry.get("when", "before")
    extra = "".join(f", {k} {entry[k]}" for k in ("status", "seconds") if k in entry)
    acts = "after the venue acts on it" if when == "after" else "the venue does not act on it"
    return f"Planned: {name}'s next {count} answer(s): {entry['kind']}{extra} ({acts})"


def banner(kucoin: KucoinExchange, kuest: KuestExchange, plan: _Plan) -> list[str]:
    """What `ordercancel sim` prints once both venues are up."""
    kk, qk = kucoin.keys, kuest.keys
    lines = [
        f"Simulated KuCoin at {kucoin.base_url}, Kuest at {kuest.base_url}.",
        "Paste into the shell that runs ordercancel (the simulator's keys, not secrets):",
        "",
        f"export KUCOIN_URL={kucoin.base_url}",
        f"export KUCOIN_API_KEY={kk.api_key}",
        f"export KUCOIN_API_SECRET={kk.api_secret}",
        f"export KUCOIN_API_PASSPHRASE={kk.api_passphrase}",
        f"export KUEST_URL={kuest.base_url}",
        f"export KUEST_ADDRESS={qk.address}",
        f"export KUEST_API_KEY={qk.api_key}",
        f"export KUEST_API_SECRET={qk.api_secret}",
        f"export KUEST_API_PASSPHRASE={qk.api_passphrase}",
    ]
    if kuest.orders():
        lines += [f"export KUEST_MARKET_{key}={market}" for key, market in KUEST_MARKETS.items()]
        lines += [f"export KUEST_ASSET_{key}={asset}" for key, (_, asset) in KUEST_ASSETS.items()]
    if kucoin.orders():
        lines += ["", "KuCoin orders (ordercancel kucoin ... --base-url $KUCOIN_URL):"]
        lines += _table([["order id", "symbol", "size", "filled", "client oid"]] + [
            [o.order_id, o.symbol, str(o.size), str(o.filled_size), o.client_oid or ""]
            for o in kucoin.orders()
        ])  # fmt: skip
    if kuest.orders():
        names = _shell_names()
        lines += ["", "Kuest orders (ordercancel kuest ... --base-url $KUEST_URL):"]
        lines += _table([["order id", "size", "filled", "market", "asset id"]] + [
            [o.order_id, str(o.size), str(o.filled_size), names.get(o.market, o.market),
             names.get(o.asset_id, o.asset_id)]
            for o in kuest.orders()
        ])  # fmt: skip
    planned = [
        _planned(name, entry)
        for venue, name in (("kucoin", "KuCoin"), ("kuest", "Kuest"))
        for _, entry in plan.faults[venue]
    ]
    lines += [""] * bool(planned) + planned
    lines += ["", "Serving until Ctrl-C."]
    return lines


@contextlib.contextmanager
def _served(exchange: KucoinExchange | KuestExchange, port: int, option: str) -> Iterator[None]:
    served = exchange.serve(port=port)
    try:
        served.start()
    except RuntimeError as exc:
        cause = exc.__cause__
        # asyncio's message repeats the address; the errno says what went wrong, once.
        errno = cause.errno if isinstance(cause, OSError) else None
        reason = os.strerror(errno) if errno else str(cause)
        raise SimSetupError(
            f"{option} {port}: cannot listen on 127.0.0.1:{port}: {reason} "
            "(choose another port, or 0 for a free one)"
        ) from exc
    try:
        yield
    finally:
        served.stop()


def _print(line: str) -> None:
    print(line, flush=True)  # a pipe reader (a script, a test) sees each line as it comes


def serve_forever(
    *,
    kucoin_port: int = 0,
    kuest_port: int = 0,
    orders: int = 0,
    orders_file: str | None = None,
    faults: Sequence[str] = (),
    out: Callable[[str], None] | None = None,
    until: threading.Event | None = None,
) -> None:
    """Serve both simulated venues, seeded as asked, until Ctrl-C (or `until` is set).

    Raises:
        SimSetupError: a bad option or file, or a port that cannot be served.
    """
    plan = _seeded(orders)
    if orders_file is not None:
        _read_file(orders_file, plan)
    for text in faults:
        venue, entry = parse_fault(text)
        plan.faults[venue].append((f"--fault {text}", entry))
    kucoin, kuest = KucoinExchange(), KuestExchange()
    _apply(plan, kucoin, kuest)
    with _served(kucoin, kucoin_port, "--kucoin-port"), _served(kuest, kuest_port, "--kuest-port"):
        for line in banner(kucoin, kuest, plan):
            (out or _print)(line)
        with contextlib.suppress(KeyboardInterrupt):
            (until or threading.Event()).wait()
