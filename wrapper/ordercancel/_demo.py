"""`ordercancel demo`: every cancel operation against the simulated venues, served on 127.0.0.1.

The demo seeds orders, runs every cancel operation of both venues through the public clients,
prints what was sent and what came back, then the venues' order state, and exits 0 only when
every outcome is what the venue should answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ._retry import RetryPolicy
from .errors import KucoinCancelAllIncomplete, OrderNotCancellable, OrderNotFound
from .kucoin._client import KucoinSpotCancelOrder
from .kucoin._results import (
    ClientOrderCancelAccepted,
    OrderCancelAccepted,
    PartialCancelAccepted,
    SymbolCancelAccepted,
)
from .kuest._client import KuestCancelOrder
from .kuest._results import KuestCancelReport, KuestOrderCanceled
from .testing import KucoinExchange, KuestExchange

_ONE_ATTEMPT = RetryPolicy(attempts=1)  # the demo shows each answer as the venue gave it


@dataclass(frozen=True, slots=True)
class _Step:
    venue: str
    call: str
    run: Callable[[], Any]
    expect: Callable[[Any], bool]
    expected: str


def _table(rows: list[list[str]]) -> str:
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    lines = ["  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)) for row in rows]
    lines.insert(1, "  ".join("-" * w for w in widths))
    return "\n".join(line.rstrip() for line in lines)


def _short(value: Any, width: int) -> str:
    text = f"{type(value).__name__}: {value}" if isinstance(value, BaseException) else repr(value)
    return text if len(text) <= width else text[: width - 3] + "..."


def _steps(kc: KucoinSpotCancelOrder, kq: KuestCancelOrder, kucoin: KucoinExchange,
           kuest: KuestExchange) -> list[_Step]:  # fmt: skip
    by_id = kucoin.add_order("BTC-USDT", "0.5")
    kucoin.add_order("BTC-USDT", "0.2", client_oid="client order id 13")
    partial = kucoin.add_order("BTC-USDT", "1")
    filled = kucoin.add_order("BTC-USDT", "1", filled="1")
    for size in ("2", "3"):
        kucoin.add_order("ETH-USDT", size)
    kucoin.add_order("KCS-USDT", "10")
    kucoin.add_order("SOL-USDT", "4")
    kucoin.suspend_symbol("SOL-USDT")
    first, second, third, fourth = (kuest.add_order() for _ in range(4))
    other_market = "0x" + "ab" * 32
    kuest.add_order(market=other_market)
    kuest.add_order(market=other_market)
    return [
        _Step("kucoin", f"cancel_order_by_order_id({by_id.order_id!r}, 'BTC-USDT')",
              lambda: kc.cancel_order_by_order_id(by_id.order_id, "BTC-USDT"),
              lambda r: r == OrderCancelAccepted(by_id.order_id), "accepted"),
        _Step("kucoin", "cancel_order_by_order_id(<same id again>, 'BTC-USDT')",
              lambda: kc.cancel_order_by_order_id(by_id.order_id, "BTC-USDT"),
              lambda r: isinstance(r, OrderNotCancellable), "KucoinOrderNotCancellable"),
        _Step("kucoin", "cancel_order_by_client_oid('client order id 13', 'BTC-USDT')",
              lambda: kc.cancel_order_by_client_oid("client order id 13", "BTC-USDT"),
              lambda r: r == ClientOrderCancelAccepted("client order id 13"), "accepted"),
        _Step("kucoin", f"cancel_partial_order({partial.order_id!r}, 'BTC-USDT', '0.25')",
              lambda: kc.cancel_partial_order(partial.order_id, "BTC-USDT", "0.25"),
              lambda r: isinstance(r, PartialCancelAccepted) and str(r.cancel_size) == "0.25",
              "0.25 cancelled"),
        _Step("kucoin", f"cancel_order_by_order_id(<filled {filled.order_id}>, 'BTC-USDT')",
              lambda: kc.cancel_order_by_order_id(filled.order_id, "BTC-USDT"),
              lambda r: isinstance(r, OrderNotCancellable), "KucoinOrderNotCancellable"),
        _Step("kucoin", "cancel_all_orders_by_symbol('ETH-USDT')",
              lambda: kc.cancel_all_orders_by_symbol("ETH-USDT"),
              lambda r: r == SymbolCancelAccepted("ETH-USDT"), "accepted"),
        _Step("kucoin", "cancel_all_orders()  # SOL-USDT is suspended",
              kc.cancel_all_orders,
              lambda r: isinstance(r, KucoinCancelAllIncomplete)
              and [f.symbol for f in r.result.failed_symbols] == ["SOL-USDT"],
              "KucoinCancelAllIncomplete (SOL-USDT)"),
        _Step("kuest", f"cancel_order('{first.order_id[:10]}...')",
              lambda: kq.cancel_order(first.order_id),
              lambda r: r == KuestOrderCanceled(first.order_id), "canceled"),
        _Step("kuest", "cancel_order(<same id again>)",
              lambda: kq.cancel_order(first.order_id),
              lambda r: isinstance(r, OrderNotCancellable), "KuestOrderNotCancellable"),
        _Step("kuest", "cancel_orders([<2 live ids>, 'ord_unknown'])",
              lambda: kq.cancel_orders([second.order_id, third.order_id, "ord_unknown"]),
              lambda r: [o.ok for o in r] == [True, True, False]
              and isinstance(r[2].error, OrderNotFound), "ok, ok, KuestOrderNotFound"),
        _Step("kuest", "cancel_market_orders(market=<second market>)",
              lambda: kq.cancel_market_orders(market=other_market),
              lambda r: isinstance(r, KuestCancelReport) and len(r.canceled) == 2,
              "2 canceled"),
        _Step("kuest", "cancel_all()",
              kq.cancel_all,
              lambda r: isinstance(r, KuestCancelReport) and r.canceled == (fourth.order_id,),
              "1 canceled"),
    ]  # fmt: skip


def _answer(received: Any) -> str:
    code = getattr(received, "code", None)  # KuCoin's envelope code; Kuest has none
    return f"{received.status} {code}" if code else str(received.status)


def _run(step: _Step) -> Any:
    try:
        return step.run()
    except Exception as exc:
        return exc


WIDTH = 100  # every line fits a 100-column terminal


def _record(number: int, step: _Step, sent: list[Any], result: Any, ok: bool) -> list[str]:
    """One operation, a line each: the call, what was sent, the answer, the result, the verdict."""
    lines = [
        ("sent", "; ".join(f"{r.method} {r.raw_target}" for r in sent)),
        ("answer", "; ".join(_answer(r) for r in sent)),
        ("result", _short(result, WIDTH - 12)),
        ("expected", f"{step.expected}: {'ok' if ok else 'MISMATCH'}"),
    ]
    return [f"{number:>2} {step.venue:<6}  {step.call}"] + [
        f"   {label:<9}{text}" for label, text in lines
    ]


def run_demo(out: Callable[[str], None] = print) -> int:
    """Run the demo; return 0 when every outcome matches what the venue should answer."""
    kucoin, kuest = KucoinExchange(), KuestExchange()
    with kucoin.serve() as kucoin_served, kuest.serve() as kuest_served:
        out(f"Simulated KuCoin at {kucoin_served.base_url}, Kuest at {kuest_served.base_url}\n")
        with (
            KucoinSpotCancelOrder(
                keys=kucoin.keys, base_url=str(kucoin_served.base_url), retry=_ONE_ATTEMPT
            ) as kc,
            KuestCancelOrder(
                keys=kuest.keys, base_url=str(kuest_served.base_url), retry=_ONE_ATTEMPT
            ) as kq,
        ):
            failures = 0
            steps = _steps(kc, kq, kucoin, kuest)
            for number, step in enumerate(steps, start=1):
                exchange: KucoinExchange | KuestExchange = (
                    kucoin if step.venue == "kucoin" else kuest
                )
                seen = len(exchange.received)
                result = _run(step)
                ok = step.expect(result)
                failures += not ok
                out("\n".join(_record(number, step, exchange.received[seen:], result, ok)))
    out("\nKuCoin orders after:")
    out(_table([["order id", "symbol", "size", "filled", "cancelled", "state", "clientOid"]] + [
        [o.order_id, o.symbol, str(o.size), str(o.filled_size), str(o.canceled_size), o.state,
         o.client_oid or ""] for o in kucoin.orders()
    ]))  # fmt: skip
    out("\nKuest orders after:")
    out(_table([["order id", "market", "size", "state"]] + [
        [o.order_id, o.market[:12] + "...", str(o.size), o.state] for o in kuest.orders()
    ]))  # fmt: skip
    verdict = "every outcome matches the venue" if not failures else f"{failures} MISMATCHES"
    out(f"\n{len(steps)} operations: {verdict}")
    return 0 if not failures else 1
