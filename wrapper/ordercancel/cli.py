"""The `ordercancel` command: cancel orders from a shell or a script.

    ordercancel kucoin order 671124f9365ccb00073debd4 --symbol BTC-USDT
    ordercancel kuest orders ord_1 ord_2 --json
    ordercancel demo            # the simulated venues, every operation, no keys needed
    ordercancel panic --config accounts.toml    # the kill switch: flatten, verified

Keys come from the environment (KUCOIN_API_* / KUEST_*). Exit codes are stable for scripts:
see EXIT_CODES.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import json
import logging
import re
import sys
import textwrap
import threading
from collections.abc import Callable, Iterator, Sequence
from decimal import Decimal
from typing import Any, NoReturn

from . import errors
from ._bulk import OrderOutcome
from .kucoin._client import DEFAULT_BASE_URL as KUCOIN_URL
from .kucoin._client import KucoinSpotCancelOrder
from .kuest._client import DEFAULT_BASE_URL as KUEST_URL
from .kuest._client import KuestCancelOrder

_DEFAULT_URL = {"kucoin": KUCOIN_URL, "kuest": KUEST_URL}

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
    (errors.RateLimitWaitTooLong, RATE_LIMITED),
    (errors.APIConnectionError, TRANSPORT),
    (errors.OrderGoneAfterRetry, MAYBE_CANCELLED),
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
    # What a partial cancel-all did, symbol by symbol; the sizes of an order still open.
    for name in ("result", "report", "state"):
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
            outcomes = [
                {
                    "order_id": o.order_id,
                    "error": None if o.error is None else _failure_fields(args, o.error),
                }
                for o in result
            ]
            print(json.dumps({"ok": code == OK, "outcomes": outcomes}))
        else:
            for outcome in result:
                if outcome.error is None:
                    print(f"{outcome.order_id}: cancelled")
                else:
                    message = _failure_fields(args, outcome.error)["message"]
                    print(f"{outcome.order_id}: FAILED: {message}", file=sys.stderr)
        return code
    if args.json:
        print(json.dumps({"ok": True, "result": to_jsonable(result)}))
    else:
        print(f"ok: {result}")
    return OK


def _base_url(args: argparse.Namespace) -> str:
    """`--base-url` as given (an empty one is refused by the client), else the real venue's."""
    given: str | None = args.base_url
    return _DEFAULT_URL[args.command] if given is None else given


def _kucoin(args: argparse.Namespace) -> Any:
    with KucoinSpotCancelOrder(base_url=_base_url(args)) as kc:
        if args.action == "order":
            if args.wait:
                return kc.cancel_order_by_order_id_sync(args.order_id, args.symbol)
            return kc.cancel_order_by_order_id(args.order_id, args.symbol)
        if args.action == "client-oid":
            if args.wait:
                return kc.cancel_order_by_client_oid_sync(args.client_oid, args.symbol)
            return kc.cancel_order_by_client_oid(args.client_oid, args.symbol)
        if args.action == "partial":
            return kc.cancel_partial_order(args.order_id, args.symbol, args.size)
        if args.action == "symbol":
            return kc.cancel_all_orders_by_symbol(args.symbol)
        if not _confirm(args, "Cancel ALL open orders on KuCoin (every trading pair)?"):
            raise errors.InvalidRequest("not confirmed; nothing was sent")
        return kc.cancel_all_orders()


def _kuest(args: argparse.Namespace) -> Any:
    with KuestCancelOrder(base_url=_base_url(args), id_field=args.id_field) as kq:
        if args.action == "orders":
            return kq.cancel_orders(args.order_ids, batch=args.batch)
        if args.action == "market":
            return kq.cancel_market_orders(args.market, args.asset_id)
        if not _confirm(args, "Cancel ALL open orders on Kuest?"):
            raise errors.InvalidRequest("not confirmed; nothing was sent")
        return kq.cancel_all()


# The library names arguments as Python does; the command line as the user typed them
# (the keys come from the environment).
_TYPED_AS = {
    "KucoinKeys.api_key": "KUCOIN_API_KEY",
    "KucoinKeys.api_secret": "KUCOIN_API_SECRET",
    "KucoinKeys.api_passphrase": "KUCOIN_API_PASSPHRASE",
    "KucoinKeys.key_version": "KUCOIN_API_KEY_VERSION",
    "KuestKeys.address": "KUEST_ADDRESS",
    "KuestKeys.api_key": "KUEST_API_KEY",
    "KuestKeys.api_secret": "KUEST_API_SECRET",
    "KuestKeys.api_passphrase": "KUEST_API_PASSPHRASE",
    "order_ids": "ORDER_ID",
    "order_id": "ORDER_ID",
    "client_oid": "CLIENT_OID",
    "symbol": "--symbol",
    "cancel_size": "--size",
    "market": "--market",
    "asset_id": "--asset-id",
    "base_url": "--base-url",
}
_PYTHON_NAME = re.compile(r"\b(" + "|".join(map(re.escape, _TYPED_AS)) + r")\b")
# A value quoted in a message (the library quotes values with repr) is the user's own text.
_QUOTED = re.compile(r"""('(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*")""")


def typed_names(message: str, args: argparse.Namespace) -> str:
    """`message` with each Python parameter name replaced by the option the user typed.

    Quoted values are left as they are: they are what the user gave.
    """
    names = dict(_TYPED_AS)
    if args.action == "symbol":  # `kucoin symbol SYMBOL`: the symbol is positional there
        names["symbol"] = "SYMBOL"
    parts = _QUOTED.split(message)
    return "".join(
        part if index % 2 else _PYTHON_NAME.sub(lambda m: names[m.group(1)], part)
        for index, part in enumerate(parts)
    )


@contextlib.contextmanager
def _retries_on_stderr() -> Iterator[None]:
    """One readable stderr line per retry: the library's own warning, nothing else.

    stamina logs each retry too, as a bare `stamina.retry_scheduled` with its details in fields
    that a plain terminal does not show; that duplicate is left out here.
    """
    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    handler.setFormatter(logging.Formatter("%(message)s"))
    ours, theirs = logging.getLogger("ordercancel"), logging.getLogger("stamina")
    level = theirs.level
    ours.addHandler(handler)
    theirs.setLevel(logging.ERROR)
    try:
        yield
    finally:
        ours.removeHandler(handler)
        theirs.setLevel(level)


def _failure_fields(args: argparse.Namespace, exc: BaseException) -> dict[str, Any]:
    """`error_fields` as the command line says them (its argument names, the unreachable URL)."""
    fields = error_fields(exc)
    if isinstance(exc, errors.InvalidRequest):
        fields["message"] = typed_names(fields["message"], args)
    elif isinstance(exc, errors.APIConnectionError):
        fields["base_url"] = _base_url(args)
        fields["message"] += f" (base URL {fields['base_url']})"
    return fields


def _failure(args: argparse.Namespace, exc: errors.OrderCancelError) -> int:
    """Print what went wrong (stderr, or one JSON object on stdout); return the exit code."""
    code = exit_code(exc)
    fields = _failure_fields(args, exc)
    if args.json:
        print(json.dumps({"ok": False, "error": fields}))
    else:
        print(f"error ({EXIT_CODES[code]}): {fields['message']}", file=sys.stderr)
    return code


def _run_cancel(args: argparse.Namespace, venue: Callable[[argparse.Namespace], Any]) -> int:
    try:
        with _retries_on_stderr():
            result = venue(args)
    except errors.OrderCancelError as exc:
        return _failure(args, exc)
    return _report(args, result)


def _sim(args: argparse.Namespace) -> int:
    from ._sim import SimSetupError, port, serve_forever

    try:
        serve_forever(
            kucoin_port=port(args.kucoin_port, "--kucoin-port"),
            kuest_port=port(args.kuest_port, "--kuest-port"),
            orders=args.orders,
            orders_file=args.orders_file,
            faults=args.fault,
        )
    except SimSetupError as exc:
        print(f"ordercancel sim: error: {exc}", file=sys.stderr)
        return BAD_INPUT
    return OK


def _demo(args: argparse.Namespace) -> int:
    from ._demo import run_demo

    return run_demo()


class UsageError(Exception):
    """A command line that argparse refused: the message, and the usage of that command."""

    def __init__(self, prog: str, usage: str, message: str) -> None:
        super().__init__(message)
        self.prog, self.usage, self.message = prog, usage, message


_WAIT_HELP = (
    "use KuCoin's sync cancel: wait until the cancel has finished and print the order's final "
    "state (exit 1 if it is still open)"
)


def _until_interrupted() -> None:
    """Block until Ctrl-C (SIGINT); the KeyboardInterrupt ends the wait, not the program."""
    with contextlib.suppress(KeyboardInterrupt):
        threading.Event().wait()


def _say(args: argparse.Namespace, text: str) -> None:
    """A progress line: stdout, or stderr with --json (stdout stays one JSON object)."""
    print(text, file=sys.stderr if args.json else sys.stdout, flush=True)


def _done(args: argparse.Namespace, result: Any, text: str) -> int:
    if args.json:
        print(json.dumps({"ok": True, "result": to_jsonable(result)}))
    else:
        print(text)
    return OK


def _seconds(text: str) -> int:
    """`--timeout`: a whole number of seconds (the range is the library's check)."""
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"must be a whole number of SECONDS (-1, or 5 to 86400), got {text!r}"
        ) from None


def _symbol_list(text: str) -> list[str]:
    """`--symbols A-B,C-D`: the symbols, comma-separated (empty: every symbol)."""
    return [symbol.strip() for symbol in text.split(",") if symbol.strip()]


def _dcp(args: argparse.Namespace) -> int:
    try:
        with (
            _retries_on_stderr(),
            KucoinSpotCancelOrder(base_url=_base_url(args)) as kc,
        ):
            if args.dcp_action == "set":
                armed = kc.set_disconnect_protection(args.timeout, args.symbols)
                return _done(args, armed, f"ok: {armed or 'cleared'}")
            if args.dcp_action == "show":
                setting = kc.get_disconnect_protection()
                return _done(args, setting, f"ok: {setting or 'no Disconnection Protection set'}")
            if args.dcp_action == "clear":
                kc.clear_disconnect_protection()
                return _done(args, None, "ok: cleared")
            return _keep_dcp(args, kc)
    except errors.OrderCancelError as exc:
        return _failure(args, exc)


def _keep_dcp(args: argparse.Namespace, kc: KucoinSpotCancelOrder) -> int:
    with kc.keep_disconnect_protection(args.timeout, args.symbols, args.renew_every) as guard:
        _say(
            args,
            f"armed: KuCoin cancels {','.join(guard.symbols) or 'every symbol'} "
            f"{guard.timeout_s} s after the last renewal (renewing every "
            f"{guard.renew_every_s:g} s; Ctrl-C clears it and stops)",
        )
        _until_interrupted()
    summary = {"cleared": True, "renewals": guard.renewals, "failures": guard.failures}
    return _done(args, summary, f"ok: cleared after {guard.renewals} renewals")


def _heartbeat(args: argparse.Namespace) -> int:
    try:
        with (
            _retries_on_stderr(),
            KuestCancelOrder(base_url=_base_url(args)) as kq,
            kq.keep_alive(args.interval) as keeper,
        ):
            _say(
                args,
                f"heartbeats every {keeper.interval_s:g} s (Ctrl-C stops; Kuest then cancels "
                "EVERY open order of the account about 10 s later)",
            )
            _until_interrupted()
    except errors.OrderCancelError as exc:
        return _failure(args, exc)
    summary = {"heartbeats": keeper.renewals + 1, "failures": keeper.failures}
    return _done(
        args,
        summary,
        f"ok: stopped after {summary['heartbeats']} heartbeats; Kuest cancels every open "
        "order of the account in about 10 s",
    )


def _add_dcp(kc: Any, common: argparse.ArgumentParser) -> None:
    dcp = kc.add_parser(
        "dcp",
        help="Disconnection Protection: KuCoin cancels your orders if you stop renewing it",
    )
    actions = dcp.add_subparsers(dest="dcp_action", required=True, metavar="ACTION")
    timeout_help = "SECONDS until KuCoin cancels (5 to 86400; not milliseconds)"
    symbols_help = "comma-separated symbols, at most 50 (default: every symbol)"
    arm = actions.add_parser("set", parents=[common], help="arm or renew it once")
    arm.add_argument("--timeout", type=_seconds, required=True, help=timeout_help)
    arm.add_argument("--symbols", type=_symbol_list, default=[], help=symbols_help)
    actions.add_parser("show", parents=[common], help="print the current setting")
    actions.add_parser("clear", parents=[common], help="clear it (nothing will be cancelled)")
    keep = actions.add_parser("keep", parents=[common], help="arm it and renew it until Ctrl-C")
    keep.add_argument("--timeout", type=_seconds, required=True, help=timeout_help)
    keep.add_argument("--symbols", type=_symbol_list, default=[], help=symbols_help)
    keep.add_argument(
        "--renew-every", type=float, default=None, help="seconds (default: a third of --timeout)"
    )
    dcp.set_defaults(handler=_dcp)


def _add_heartbeat(kq: Any, common: argparse.ArgumentParser) -> None:
    beat = kq.add_parser(
        "heartbeat",
        parents=[common],
        help="post heartbeats until Ctrl-C (then Kuest cancels every open order ~10 s later)",
    )
    beat.add_argument("--interval", type=float, default=5.0, help="seconds (default 5; below 10)")
    beat.set_defaults(handler=_heartbeat)


class _HelpFormatter(argparse.RawDescriptionHelpFormatter):
    """Keeps the description's and epilog's line breaks, and wraps each line to the terminal.

    An exit-code line ("  2  meaning") wraps under its meaning, so the codes stay a table.
    """

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        lines = []
        for line in text.splitlines():
            code = re.match(r"(\s+\d+\s+)\S", line)
            hang = indent + (" " * len(code.group(1)) if code else "")
            wrapped = textwrap.fill(
                line, width, initial_indent=indent, subsequent_indent=hang, break_on_hyphens=False
            )
            lines.append(wrapped or indent)
        return "\n".join(lines)


class _Parser(argparse.ArgumentParser):
    """A parser whose help page ends with the exit codes, and whose errors `main` reports.

    argparse builds the sub-commands' parsers with the same class, so every page has them.
    """

    def __init__(self, **kwargs: Any) -> None:
        codes = "\n".join(f"  {code}  {meaning}" for code, meaning in EXIT_CODES.items())
        kwargs.setdefault("epilog", f"exit codes:\n{codes}")
        kwargs.setdefault("formatter_class", _HelpFormatter)
        kwargs.setdefault("allow_abbrev", False)  # `--js` is a mistake, not `--json`
        super().__init__(**kwargs)

    def error(self, message: str) -> NoReturn:
        """Raise UsageError (argparse would print and exit; `main` prints it as asked)."""
        raise UsageError(self.prog, self.format_usage(), message)


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
    order.add_argument("--wait", action="store_true", help=_WAIT_HELP)
    by_oid = kc.add_parser("client-oid", parents=[common], help="cancel by your client oid")
    by_oid.add_argument("client_oid")
    by_oid.add_argument("--symbol", required=True)
    by_oid.add_argument("--wait", action="store_true", help=_WAIT_HELP)
    partial = kc.add_parser("partial", parents=[common], help="cancel part of an order")
    partial.add_argument("order_id")
    partial.add_argument("--symbol", required=True)
    partial.add_argument("--size", required=True, help="size to cancel, a decimal")
    symbol = kc.add_parser("symbol", parents=[common], help="cancel all orders of a symbol")
    symbol.add_argument("symbol")
    every = kc.add_parser("all", parents=[common], help="cancel ALL orders (asks first)")
    every.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    kucoin.set_defaults(handler=lambda a: _run_cancel(a, _kucoin))
    _add_dcp(kc, common)

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
    _add_heartbeat(kq, common)

    sim = venues.add_parser("sim", help="serve the simulated venues on 127.0.0.1")
    # Ports are checked by the command itself, so that any bad port is one line.
    sim.add_argument("--kucoin-port", default="0", metavar="PORT", help="default: a free port")
    sim.add_argument("--kuest-port", default="0", metavar="PORT", help="default: a free port")
    sim.add_argument(
        "--orders",
        type=int,
        default=0,
        metavar="N",
        help="place N orders per KuCoin symbol and per Kuest market token",
    )
    sim.add_argument(
        "--orders-file",
        metavar="FILE",
        help="place the orders and plan the faults a JSON file lists",
    )
    sim.add_argument(
        "--fault",
        action="append",
        default=[],
        metavar="VENUE:KIND[:COUNT][:after]",
        help="the venue's next COUNT answers go wrong: KIND is server_error, html, "
        "empty or drop; after: once the venue has acted (repeatable)",
    )
    sim.set_defaults(handler=_sim)
    demo = venues.add_parser("demo", help="run every operation against the simulated venues")
    demo.set_defaults(handler=_demo)
    from ._panic import add_panic_command  # the kill switch

    add_panic_command(venues)
    return parser


_NUMBER_LIKE = re.compile(r"-[0-9.]")


def _size_values_kept(argv: Sequence[str]) -> list[str]:
    """`--size -1e5` as `--size=-1e5`.

    argparse reads a value that starts with "-" as an option unless it looks like a plain
    negative number, so `--size -1e5` would be "expected one argument". Kept as a value, the
    size check can say what is wrong with it.
    """
    kept: list[str] = []
    for arg in argv:
        if kept and kept[-1] == "--size" and _NUMBER_LIKE.match(arg):
            kept[-1] = f"--size={arg}"
        else:
            kept.append(arg)
    return kept


INTERRUPTED = 130  # Ctrl-C, as a shell reports a program SIGINT stopped


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code.

    A usage mistake exits 2: with `--json`, as one JSON object on stdout like every other error;
    otherwise as argparse prints it, the usage and the error on stderr. Ctrl-C that no command
    handles itself exits 130 with one line on stderr (`--json`: one object on stdout), not a
    traceback. (Ctrl-C while Python is still importing ordercancel, before this function runs,
    is Python's own: a traceback, and the shell's 130; nothing was sent by then.)
    """
    given = list(sys.argv[1:] if argv is None else argv)
    try:
        return _main(given)
    except KeyboardInterrupt:
        message = "interrupted (Ctrl-C): a request may have been sent; nothing is verified"
        if "--json" in given:
            fields = {"type": "KeyboardInterrupt", "message": message}
            print(json.dumps({"ok": False, "exit_code": INTERRUPTED, "error": fields}))
        else:
            with contextlib.suppress(AttributeError, OSError, ValueError):  # stderr closed
                sys.stderr.write(f"error: {message}\n")
        return INTERRUPTED


def _main(given: list[str]) -> int:
    try:
        args = _parser().parse_args(_size_values_kept(given))
    except UsageError as exc:
        if "--json" in given:
            fields = {"type": "UsageError", "message": exc.message, "usage": exc.usage.strip()}
            print(json.dumps({"ok": False, "exit_code": BAD_INPUT, "error": fields}))
        else:
            print(f"{exc.usage}{exc.prog}: error: {exc.message}", file=sys.stderr)
        return BAD_INPUT
    code: int = args.handler(args)
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
