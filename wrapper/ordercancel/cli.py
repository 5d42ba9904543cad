"""The `ordercancel` command: cancel orders from a shell or a script.

    ordercancel kucoin order 671124f9365ccb00073debd4 --symbol BTC-USDT
    ordercancel kuest orders ord_1 ord_2 --json
    ordercancel demo            # the simulated venues, every operation, no keys needed

Keys come from the environment (KUCOIN_API_* / KUEST_*). Exit codes are stable for scripts:
see EXIT_CODES.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any

from . import errors
from ._retry import OrderGoneAfterRetry
from .kucoin._client import DEFAULT_BASE_URL as KUCOIN_URL
from .kucoin._client import KucoinSpotCancelOrder
from .kuest._client import DEFAULT_BASE_URL as KUEST_URL
from .kuest._client import KuestCancelOrder
from .kuest._results import OrderOutcome

OK, FAILED, BAD_INPUT, AUTH, NOT_CANCELLABLE, RATE_LIMITED, TRANSPORT, MAYBE_CANCELLED = range(8)
EXIT_CODES = {
    OK: "success",
    FAILED: "any other failure (an API error, an answer that is not the venue's, as from a wrong "
    "--base-url, or some ids of a bulk cancel failed)",
    BAD_INPUT: "bad input or configuration (nothing was sent)",
    AUTH: "authentication or permission failure",
    NOT_CANCELLABLE: "the order is not found or no longer cancellable",
    RATE_LIMITED: "rate limited",
    TRANSPORT: "no answer: connection failure or timeout",
    MAYBE_CANCELLED: "a retry found the order gone: an earlier attempt may have cancelled it",
}
_EXIT_BY_ERROR: tuple[tuple[type[BaseException], int], ...] = (
    (errors.InvalidRequest, BAD_INPUT),
    (errors.AuthenticationError, AUTH),
    (errors.PermissionDenied, AUTH),
    (errors.OrderNotCancellable, NOT_CANCELLABLE),
    (errors.RateLimited, RATE_LIMITED),
    (errors.APIConnectionError, TRANSPORT),
    (OrderGoneAfterRetry, MAYBE_CANCELLED),
)


def exit_code(exc: BaseException) -> int:
    """The exit code for an error (see EXIT_CODES)."""
    return next((code for kind, code in _EXIT_BY_ERROR if isinstance(exc, kind)), FAILED)


def to_jsonable(value: Any) -> Any:
    """Results and errors as plain JSON values (Decimals as strings, no secrets)."""
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, BaseException):
        return error_fields(value)
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [to_jsonable(v) for v in value]
    if isinstance(value, Decimal):
        return str(value)
    return value


def error_fields(exc: BaseException) -> dict[str, Any]:
    """What an error says, as JSON fields (the venue's answer, never the request's secrets)."""
    fields: dict[str, Any] = {"type": type(exc).__name__, "message": str(exc)}
    for name in ("status_code", "code", "msg", "error", "retry_after", "request_sent"):
        if hasattr(exc, name):
            fields[name] = getattr(exc, name)
    for name in ("result", "report"):  # what a partial cancel-all did, symbol by symbol
        if hasattr(exc, name):
            fields[name] = to_jsonable(getattr(exc, name))
    return fields


def _confirm(args: argparse.Namespace, question: str) -> bool:
    if args.yes:
        return True
    if not sys.stdin.isatty():
        raise errors.InvalidRequest(f"{question} Refusing without --yes (no terminal to ask).")
    # The question goes to stderr so that stdout stays one JSON object with --json.
    print(f"{question} [y/N] ", end="", file=sys.stderr, flush=True)
    answer = sys.stdin.readline()  # "" at the end of input (Ctrl-D): a no
    return answer.strip().lower() in ("y", "yes")


def _report(args: argparse.Namespace, result: Any) -> int:
    if isinstance(result, list) and all(isinstance(o, OrderOutcome) for o in result):
        code = OK if all(o.ok for o in result) else FAILED
        if len(result) == 1 and result[0].error is not None:
            code = exit_code(result[0].error)
        if args.json:
            print(json.dumps({"ok": code == OK, "outcomes": to_jsonable(result)}))
        else:
            for outcome in result:
                if outcome.ok:
                    print(f"{outcome.order_id}: cancelled")
                else:
                    print(f"{outcome.order_id}: FAILED: {outcome.error}", file=sys.stderr)
        return code
    if args.json:
        print(json.dumps({"ok": True, "result": to_jsonable(result)}))
    else:
        print(f"ok: {result}")
    return OK


def _kucoin(args: argparse.Namespace) -> Any:
    with KucoinSpotCancelOrder(base_url=args.base_url or KUCOIN_URL) as kc:
        if args.action == "order":
            return kc.cancel_order_by_order_id(args.order_id, args.symbol)
        if args.action == "client-oid":
            return kc.cancel_order_by_client_oid(args.client_oid, args.symbol)
        if args.action == "partial":
            return kc.cancel_partial_order(args.order_id, args.symbol, args.size)
        if args.action == "symbol":
            return kc.cancel_all_orders_by_symbol(args.symbol)
        if not _confirm(args, "Cancel ALL open orders of every symbol on KuCoin?"):
            raise errors.InvalidRequest("not confirmed; nothing was sent")
        return kc.cancel_all_orders()


def _kuest(args: argparse.Namespace) -> Any:
    with KuestCancelOrder(base_url=args.base_url or KUEST_URL, id_field=args.id_field) as kq:
        if args.action == "orders":
            return kq.cancel_orders(args.order_ids, batch=args.batch)
        if args.action == "market":
            return kq.cancel_market_orders(args.market, args.asset_id)
        if not _confirm(args, "Cancel ALL open orders on Kuest?"):
            raise errors.InvalidRequest("not confirmed; nothing was sent")
        return kq.cancel_all()


def _run_cancel(args: argparse.Namespace, venue: Callable[[argparse.Namespace], Any]) -> int:
    try:
        result = venue(args)
    except errors.OrderCancelError as exc:
        code = exit_code(exc)
        if args.json:
            print(json.dumps({"ok": False, "error": error_fields(exc)}))
        else:
            print(f"error ({EXIT_CODES[code]}): {exc}", file=sys.stderr)
        return code
    return _report(args, result)


def _sim(args: argparse.Namespace) -> int:
    from ._demo import serve_forever

    return serve_forever(kucoin_port=args.kucoin_port, kuest_port=args.kuest_port)


def _demo(args: argparse.Namespace) -> int:
    from ._demo import run_demo

    return run_demo()


class _Parser(argparse.ArgumentParser):
    """A parser whose help page ends with the exit codes.

    argparse builds the sub-commands' parsers with the same class, so every page has them.
    """

    def __init__(self, **kwargs: Any) -> None:
        codes = "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_CODES.items())
        kwargs.setdefault("epilog", f"exit codes:\n{codes}")
        kwargs.setdefault("formatter_class", argparse.RawDescriptionHelpFormatter)
        super().__init__(**kwargs)


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="ordercancel",
        description="Cancel orders on KuCoin Spot and Kuest. Keys come from the environment: "
        "KUCOIN_API_KEY, KUCOIN_API_SECRET, KUCOIN_API_PASSPHRASE (KUCOIN_API_KEY_VERSION); "
        "KUEST_ADDRESS, KUEST_API_KEY, KUEST_API_SECRET, KUEST_API_PASSPHRASE.",
    )
    venues = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    common = _Parser(add_help=False)
    common.add_argument("--base-url", help="the venue's URL (default: the real venue)")
    common.add_argument("--json", action="store_true", help="print one JSON object")

    kucoin = venues.add_parser("kucoin", help="KuCoin Spot (HF orders)")
    kc = kucoin.add_subparsers(dest="action", required=True, metavar="ACTION")
    order = kc.add_parser("order", parents=[common], help="cancel by order id")
    order.add_argument("order_id")
    order.add_argument("--symbol", required=True, help="e.g. BTC-USDT")
    by_oid = kc.add_parser("client-oid", parents=[common], help="cancel by your client oid")
    by_oid.add_argument("client_oid")
    by_oid.add_argument("--symbol", required=True)
    partial = kc.add_parser("partial", parents=[common], help="cancel part of an order")
    partial.add_argument("order_id")
    partial.add_argument("--symbol", required=True)
    partial.add_argument("--size", required=True, help="size to cancel, a decimal")
    symbol = kc.add_parser("symbol", parents=[common], help="cancel all orders of a symbol")
    symbol.add_argument("symbol")
    every = kc.add_parser("all", parents=[common], help="cancel ALL orders (asks first)")
    every.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    kucoin.set_defaults(handler=lambda a: _run_cancel(a, _kucoin))

    kuest = venues.add_parser("kuest", help="Kuest CLOB")
    kuest_common = _Parser(add_help=False, parents=[common])
    kuest_common.add_argument("--id-field", choices=("orderId", "orderID"), default="orderId")
    kq = kuest.add_subparsers(dest="action", required=True, metavar="ACTION")
    many = kq.add_parser("orders", parents=[kuest_common], help="cancel one or many ids")
    many.add_argument("order_ids", nargs="+", metavar="ORDER_ID")
    many.add_argument("--batch", action="store_true", help="one DELETE /orders request")
    market = kq.add_parser("market", parents=[kuest_common], help="cancel a market's orders")
    market.add_argument("--market", help="the market (condition id)")
    market.add_argument("--asset-id", help="the asset (token id)")
    kuest_all = kq.add_parser("all", parents=[kuest_common], help="cancel ALL (asks first)")
    kuest_all.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    kuest.set_defaults(handler=lambda a: _run_cancel(a, _kuest))

    sim = venues.add_parser("sim", help="serve the simulated venues on 127.0.0.1")
    sim.add_argument("--kucoin-port", type=int, default=0, help="default: a free port")
    sim.add_argument("--kuest-port", type=int, default=0, help="default: a free port")
    sim.set_defaults(handler=_sim)
    demo = venues.add_parser("demo", help="run every operation against the simulated venues")
    demo.set_defaults(handler=_demo)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    args = _parser().parse_args(argv)
    code: int = args.handler(args)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
