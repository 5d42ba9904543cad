"""`ordercancel panic`: flatten every account of a config file, verified, in one command.

    ordercancel panic --config accounts.toml [--deadline 10] [--yes] [--json]

The config (TOML) names the accounts, their venue and base URL, and the NAMES of the environment
variables holding their keys; a config holding a secret value is refused. Exit codes: PANIC_EXIT.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import logging
import os
import re
import signal
import sys
import time
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ._flatten import FlattenInterrupted, FlattenReport, aflatten_until, check_deadline
from .errors import APIConnectionError, OrderCancelError

FLAT, FAILED, CONFIG, LEFT_OPEN, UNVERIFIED, INTERRUPTED = 0, 1, 2, 8, 9, 130
PANIC_EXIT = {
    FLAT: "every account verified flat",
    FAILED: "an unexpected failure of the command itself",
    CONFIG: "bad config or usage, a missing environment variable, or not confirmed (Ctrl-C or "
    "end of input at the prompt): nothing was sent",
    LEFT_OPEN: "some account still lists open orders at the deadline (the table says which)",
    UNVERIFIED: "some account could not be verified: no listing after its last cancel",
    INTERRUPTED: "interrupted (Ctrl-C) during the flatten: the report shows what was known; an "
    "account not verified flat is NOT flat (a second Ctrl-C exits at once, without it)",
}
_STATUS_EXIT = {"flat": FLAT, "open": LEFT_OPEN, "unverified": UNVERIFIED}
_ENV_NAME = re.compile(r"[A-Z_][A-Z0-9_]{0,63}")  # UPPER_CASE: a mixed-case value is refused
_HEX_RUN = re.compile(r"[0-9A-F]{16,}")  # 16+ hex characters between underscores: a key
_KEY_FIELDS = {
    "kucoin": ("api_key_env", "api_secret_env", "api_passphrase_env"),
    "kuest": ("address_env", "api_key_env", "api_secret_env", "api_passphrase_env"),
}
_OPTIONAL = {"kucoin": ("key_version", "vip_level"), "kuest": ()}
_VIP_LEVELS = range(13)  # KuCoin's Spot VIP levels 0-12: the rate-limit quota of each
_SECRET_WORDS = ("secret", "passphrase", "password", "api_key", "address", "key")


class ConfigError(Exception):
    """The config file cannot be used; the message names the file, line and field."""


@dataclass(frozen=True)
class Account:
    """One account of the config, with the names of its key variables."""

    name: str
    venue: str
    base_url: str
    env: dict[str, str]  # field name without "_env" -> environment variable name
    key_version: str = "3"
    vip_level: int = 0  # KuCoin: paces the account's requests to its Spot pool's quota


_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""  # bare, "basic" or 'literal'
_ACCOUNT_HEADER = re.compile(r"""\s*\[\[\s*(?:account|"account"|'account')\s*\]\]\s*(?:#.*)?""")
_ANY_HEADER = re.compile(r"\s*\[")  # [table], [[array]]: the end of an account's own keys
_SUB_HEADER = re.compile(rf"""\s*\[\[?\s*(?:account|"account"|'account')\s*\.\s*({_KEY})""")
_KEY_LINE = re.compile(rf"\s*({_KEY})\s*[.=]")  # `key =`, or a dotted `key.sub =`


def _unquoted(key: str) -> str:
    try:
        return str(tomllib.loads(f"k = {key}")["k"]) if key[:1] in "\"'" else key
    except tomllib.TOMLDecodeError:  # not a key after all
        return key


def _lines(text: str) -> list[tuple[int, str]]:
    """The numbered lines of `text` outside multi-line strings (which may hold anything)."""
    kept, inside = [], None
    for n, line in enumerate(text.splitlines(), 1):
        if inside is None:
            kept.append((n, line))
        for quotes in re.findall(r'"""|\'\'\'', line):
            if inside is None:
                inside = quotes
            elif quotes == inside:
                inside = None
    return kept


def _line_of(text: str, index: int, field: str | None, table: Any) -> int | None:
    """The line of `field` in the index-th [[account]] table (or of the table itself).

    A small scanner of the TOML text: a header may hold spaces, quotes and a comment
    (`[[ "account" ]]  # main`), a key may be quoted. Returns the table's header line for a
    field the table lacks, and None when the line cannot be found (an inline array of
    tables, `account = [{...}]`): never a line that may be the wrong one.
    """
    lines = _lines(text)
    headers = [i for i, (_, line) in enumerate(lines) if _ACCOUNT_HEADER.fullmatch(line)]
    if index >= len(headers):
        return None
    start = headers[index]
    if field is None:
        return lines[start][0]
    own_keys = True  # until a sub-table of this account ([account.x]) starts
    for n, line in lines[start + 1 :]:
        if _ACCOUNT_HEADER.fullmatch(line):
            break
        if _ANY_HEADER.match(line):
            sub = _SUB_HEADER.match(line)
            if sub is None:
                break  # another table: this account's keys are over
            if _unquoted(sub.group(1)) == field:
                return n
            own_keys = False
            continue
        key = _KEY_LINE.match(line) if own_keys else None
        if key and _unquoted(key.group(1)) == field:
            return n
    return lines[start][0] if isinstance(table, dict) and field not in table else None


def load_config(path: Path) -> list[Account]:
    """Read and check the config file.

    Raises:
        ConfigError: unreadable, not TOML, or any account malformed or holding a secret value.
    """
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read: {exc}") from exc
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: not valid TOML: {exc}") from exc
    extra = sorted(set(data) - {"account"})
    if extra:
        raise ConfigError(f"{path}: unknown top-level field {extra[0]!r} (only [[account]])")
    tables = data.get("account")
    if not isinstance(tables, list) or not tables:
        raise ConfigError(f"{path}: field 'account': no [[account]] tables")
    accounts = [_account(path, text, i, table) for i, table in enumerate(tables)]
    names = [a.name for a in accounts]
    for i, name in enumerate(names):
        if name in names[:i]:
            where = _where(path, text, i, "name", tables[i])
            first = names.index(name) + 1
            raise ConfigError(
                f"{where}: field 'name': the same as account #{first}'s (each account needs "
                "a name of its own)"
            )
    return accounts


def _where(path: Path, text: str, index: int, field: str | None, table: Any) -> str:
    line = _line_of(text, index, field, table)
    if line is None:
        return f"{path}, account #{index + 1} (line not found)"
    return f"{path}, line {line}"


def _account(path: Path, text: str, index: int, table: Any) -> Account:
    def fail(field: str | None, message: str) -> ConfigError:
        label = f"field '{field}'" if field else f"account #{index + 1}"
        return ConfigError(f"{_where(path, text, index, field, table)}: {label}: {message}")

    if not isinstance(table, dict):
        raise fail(None, "is not a table")
    venue = table.get("venue")
    if venue not in _KEY_FIELDS:
        raise fail("venue", 'must be "kucoin" or "kuest"')  # the value is not echoed
    allowed = {"name", "venue", "base_url", *_KEY_FIELDS[venue], *_OPTIONAL[venue]}
    for field in table:
        if field in allowed:
            continue
        if any(word in field.lower() for word in _SECRET_WORDS):
            raise fail(
                field,
                "looks like a secret value; refusing a config that holds secrets. Put the value "
                f"in an environment variable and name it in '{field.removesuffix('_env')}_env'",
            )
        raise fail(field, f"unknown field (allowed: {', '.join(sorted(allowed))})")
    for field in ("name", "base_url"):
        if not isinstance(table.get(field), str) or not table[field]:
            raise fail(field, "is missing or not a non-empty string")
    if "@" in table["base_url"]:  # user:password@host: a secret in the file
        raise fail(
            "base_url",
            "holds credentials (user:password@host) and is not quoted here; refusing a config "
            "that holds secrets: give http(s)://host[:port][/prefix]",
        )
    env = {}
    for field in _KEY_FIELDS[venue]:
        value = table.get(field)
        if not isinstance(value, str):
            raise fail(field, "is missing: name the environment variable that holds it")
        if not _ENV_NAME.fullmatch(value) or any(
            _HEX_RUN.fullmatch(part) for part in value.split("_")
        ):
            raise fail(
                field,
                "is not an environment variable name (UPPER_CASE letters, digits and "
                "underscores, no run of 16+ hex characters) and may be a secret value; "
                "refusing a config that holds secrets",
            )
        env[field.removesuffix("_env")] = value
    version = table.get("key_version", "3")
    if version not in ("2", "3"):
        raise fail("key_version", 'must be "2" or "3" (a string)')
    vip_level = table.get("vip_level", 0)
    if type(vip_level) is not int or vip_level not in _VIP_LEVELS:  # bool is not a level
        raise fail("vip_level", "must be a whole number from 0 to 12 (KuCoin's VIP level)")
    return Account(table["name"], venue, table["base_url"], env, version, vip_level)


def _key_values(account: Account) -> dict[str, str]:
    """The account's keys, read from the environment variables its config names.

    Raises:
        ConfigError: a variable is not set (or empty); the message names the account and the
            field, never the variable (it may be a mistyped secret).
    """
    values = {}
    for field, variable in account.env.items():
        value = os.environ.get(variable)
        if not value:  # the variable's name is not echoed: it may be a mistyped secret
            raise ConfigError(
                f"account {account.name!r}: field '{field}_env': the environment variable it "
                "names is not set (or is empty)"
            )
        values[field] = value
    return values


def _client(account: Account, values: dict[str, str]) -> Any:
    """An async client for `account` with its keys.

    KuCoin's is paced by the weight-aware limiter of the account's VIP level (`vip_level`,
    default 0); Kuest's by its default limiter.

    Raises:
        OrderCancelError: the keys or the base URL are malformed (ConfigurationError).
    """
    if account.venue == "kucoin":
        from .kucoin._client import AsyncKucoinSpotCancelOrder, spot_rate_limiter
        from .kucoin._keys import KucoinKeys

        keys = KucoinKeys(**values, key_version=account.key_version)
        limiter = spot_rate_limiter(account.vip_level)  # weight-aware, as KuCoin counts
        return AsyncKucoinSpotCancelOrder(
            keys=keys, base_url=account.base_url, rate_limiter=limiter
        )
    from .kuest._client import AsyncKuestCancelOrder
    from .kuest._keys import KuestKeys

    return AsyncKuestCancelOrder(keys=KuestKeys(**values), base_url=account.base_url)


def _confirm(args: argparse.Namespace, accounts: list[Account]) -> None:
    """Ask on the terminal unless --yes.

    Raises:
        ConfigError: no terminal to ask, or not confirmed (an answer other than y or yes,
            Ctrl-C or the end of input): nothing was sent.
    """
    if args.yes:
        return
    names = ", ".join(a.name for a in accounts)
    question = f"Cancel EVERY open order of {len(accounts)} account(s): {names}?"
    if sys.stdin is None or not sys.stdin.isatty():  # stdin closed (<&-), or not a terminal
        raise ConfigError(f"{question} Refusing without --yes (no terminal to ask).")
    _to_stderr(f"{question} [y/N] ")
    try:
        answer = sys.stdin.readline()
    except KeyboardInterrupt:
        answer = None
    if answer is None or not answer.endswith("\n"):  # Ctrl-C, or the end of input
        _to_stderr("\n")  # the prompt's line ends here; the error is a line of its own
        raise ConfigError("not confirmed (Ctrl-C or end of input); nothing was sent")
    if answer.strip().lower() not in ("y", "yes"):
        raise ConfigError("not confirmed; nothing was sent")


def _error_json(exc: Exception, base_url: str) -> dict[str, Any]:
    """What an error says, as JSON fields; a connection error also names the URL it tried."""
    from .cli import error_fields

    fields = error_fields(exc)
    if isinstance(exc, APIConnectionError):
        fields["base_url"] = base_url
        fields["message"] += f" (base URL {base_url})"
    return fields


def _report_json(report: FlattenReport, base_url: str) -> dict[str, Any]:
    return {
        "account": report.account,
        "venue": report.venue,
        "status": report.status,
        "left": [
            {
                "order_id": o.order_id,
                "symbol": o.symbol,
                "error": None if o.error is None else _error_json(o.error, base_url),
            }
            for o in report.left
        ],
        "error": None if report.error is None else _error_json(report.error, base_url),
        "rounds": report.rounds,
        "seconds": round(report.seconds, 3),
    }


def _error_text(exc: Exception, base_url: str) -> str:
    return f"{type(exc).__name__}: {_error_json(exc, base_url)['message']}"


_ERROR_WIDTH = 100  # the table's LAST ERROR: its start and its end ("... NOT flat") are kept


def _cut(text: str) -> str:
    if len(text) <= _ERROR_WIDTH:
        return text
    tail = _ERROR_WIDTH // 2 - 5
    return f"{text[: _ERROR_WIDTH - tail - 5]} ... {text[-tail:]}"


def _to_stderr(text: str) -> bool:
    """Write `text` to stderr and flush; False when stderr cannot take it.

    stderr may be closed (`2>&-`: sys.stderr is None), a pipe nobody reads (broken pipe) or
    full (`2>/dev/full`): none of that may stop the kill switch or lose its report on stdout.
    """
    try:
        sys.stderr.write(text)
        sys.stderr.flush()
    except (AttributeError, OSError, ValueError):
        return False
    return True


def _to_stdout(text: str) -> None:
    """Write `text` and a newline to stdout (the report).

    When stdout cannot take it (closed, a pipe nobody reads), one line on stderr says so; the
    exit code stays the flatten's.
    """
    try:
        sys.stdout.write(f"{text}\n")
        sys.stdout.flush()
    except (AttributeError, OSError, ValueError) as exc:
        _to_stderr(
            f"error: the report could not be written to stdout ({type(exc).__name__}); "
            "the exit code still says how the flatten ended\n"
        )
        with contextlib.suppress(AttributeError, OSError, ValueError):  # no 2nd error at exit
            os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())


def _terminal_size() -> os.terminal_size:
    try:
        size = os.get_terminal_size(sys.stderr.fileno())
    except (AttributeError, OSError, ValueError):
        size = os.terminal_size((0, 0))
    return os.terminal_size((size.columns or 80, size.lines or 24))  # 0: not said


def _stderr_is_a_terminal() -> bool:
    try:
        return sys.stderr.isatty()
    except (AttributeError, OSError, ValueError):
        return False


class _Progress:
    """Live progress on stderr: one line per account.

    On a terminal the lines are redrawn in place as each account's state changes; otherwise
    (a pipe, a file) each change is one line, "[account] what happened". The first write that
    fails (stderr closed, broken or full) turns progress off; the flatten goes on.
    """

    def __init__(self, names: list[str]) -> None:
        self.states = dict.fromkeys(names, "starting")
        self.live = _stderr_is_a_terminal() and len(names) < _terminal_size().lines - 1
        self.drawn = 0  # lines of the block on the terminal, above the cursor
        self.off = False
        if self.live:
            self._draw()

    def __call__(self, account: str, text: str) -> None:
        self.states[account] = text
        if self.live:
            self._draw()
        else:
            self._write(f"[{account}] {text}\n")

    def note(self, text: str) -> None:
        """A line of its own: on a terminal, above the accounts' lines, which move down."""
        if not self.live:
            self._write(f"{text}\n")
            return
        up = f"\x1b[{self.drawn}F" if self.drawn else "\r"  # to the start of the block
        # Erased to the end of the screen first: a note wider than the terminal wraps onto the
        # rows below, where no part of an account's old line may stay.
        self._write(f"{up}\x1b[J{text}\n")
        self.drawn = 0
        self._draw()

    def _draw(self) -> None:
        width = _terminal_size().columns
        up = f"\x1b[{self.drawn}F" if self.drawn else "\r"  # to the start of the block
        lines = (f"[{name}] {text}"[: max(width - 1, 1)] for name, text in self.states.items())
        self._write(up + "".join(f"\x1b[2K{line}\n" for line in lines))
        self.drawn = len(self.states)

    def _write(self, text: str) -> None:
        if not self.off and not _to_stderr(text):
            self.off = True  # stderr cannot take progress: the report still goes to stdout


def _table(reports: list[FlattenReport], urls: dict[str, str]) -> str:
    rows = [("ACCOUNT", "VENUE", "STATUS", "LEFT", "SECONDS", "LAST ERROR")]
    for r in reports:
        error = "" if r.error is None else _cut(_error_text(r.error, urls[r.account]))
        rows.append((r.account, r.venue, r.status, str(len(r.left)), f"{r.seconds:.2f}", error))
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]) - 1)]
    return "\n".join(
        "  ".join(cell.ljust(w) for cell, w in zip(row[:-1], widths, strict=True)) + "  " + row[-1]
        for row in rows
    )


class _NoteHandler(logging.Handler):
    """The library's warnings (one per retry) as notes of the progress, not through it."""

    def __init__(self, progress: _Progress) -> None:
        super().__init__(logging.WARNING)
        self.progress = progress

    def emit(self, record: logging.LogRecord) -> None:
        self.progress.note(record.getMessage())


def _on_ctrl_c(stop: asyncio.Event, progress: _Progress) -> None:
    """The first Ctrl-C stops the flatten (the report follows); a second exits at once."""
    if stop.is_set():
        progress.note("second Ctrl-C: exiting now, without a report: take no account as flat")
        os._exit(INTERRUPTED)
    stop.set()
    progress.note("Ctrl-C: stopping; the report of what is known follows (Ctrl-C again: exit now)")


async def _flatten_all(
    accounts: list[Account], deadline: float, values: dict[str, dict[str, str]]
) -> tuple[list[FlattenReport], bool]:
    """Flatten every account, each in its own guard; (the reports, whether Ctrl-C stopped it).

    An account whose client cannot be built (bad keys or base URL) is reported unverified,
    with the reason, while the others run; every client built is closed.
    """
    progress = _Progress([a.name for a in accounts])
    retries = _NoteHandler(progress)
    ours, stamina = logging.getLogger("ordercancel"), logging.getLogger("stamina")
    stamina_level = stamina.level
    ours.addHandler(retries)
    stamina.setLevel(logging.ERROR)  # its bare "stamina.retry_scheduled" repeats ours
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    try:
        loop.add_signal_handler(signal.SIGINT, _on_ctrl_c, stop, progress)
        catching = True
    except (NotImplementedError, ValueError, RuntimeError):  # not here: Ctrl-C stops at once
        catching = False
    clients: dict[str, Any] = {}
    failed: dict[str, FlattenReport] = {}
    try:
        for a in accounts:
            try:
                clients[a.name] = _client(a, values[a.name])
            except OrderCancelError as exc:  # this account only: the others still run
                failed[a.name] = FlattenReport(a.name, a.venue, "unverified", error=exc)
                progress(a.name, f"not started: {type(exc).__name__}: {exc}")
        flattened = (
            await aflatten_until(clients, deadline, progress=progress, stop=stop) if clients else []
        )
        for report in flattened:
            if isinstance(report.error, FlattenInterrupted):
                progress(report.account, "interrupted: NOT verified flat")
    finally:
        for client in clients.values():
            await client.aclose()
        ours.removeHandler(retries)
        stamina.setLevel(stamina_level)
        if catching:
            loop.remove_signal_handler(signal.SIGINT)
            if stop.is_set():  # until the report's last line, another Ctrl-C exits at once
                signal.signal(signal.SIGINT, lambda *_: os._exit(INTERRUPTED))
    reports = {r.account: r for r in flattened} | failed
    return [reports[a.name] for a in accounts], stop.is_set()


def _failure(args: argparse.Namespace, code: int, exc: BaseException) -> int:
    """Print a failure of the command itself; return `code`.

    With --json, one object on stdout in the shape of every panic failure:
    {"ok": false, "exit_code": code, "error": {"type": ..., "message": ...}}.
    """
    if args.json:
        error = {"type": type(exc).__name__, "message": str(exc)}
        _to_stdout(json.dumps({"ok": False, "exit_code": code, "error": error}))
    else:
        _to_stderr(f"error: {exc}\n")
    return code


def run_panic(args: argparse.Namespace) -> int:
    """Run `ordercancel panic`; return its exit code (PANIC_EXIT)."""
    started = time.monotonic()
    try:
        try:
            check_deadline(args.deadline)
        except OrderCancelError:
            raise ConfigError(
                f"--deadline must be finite seconds in (0, 3600], got {args.deadline}"
            ) from None
        accounts = load_config(Path(args.config))
        values = {a.name: _key_values(a) for a in accounts}  # every one set, before asking
        _confirm(args, accounts)
    except ConfigError as exc:
        return _failure(args, CONFIG, exc)
    except KeyboardInterrupt:
        return _failure(args, CONFIG, ConfigError("interrupted (Ctrl-C); nothing was sent"))
    try:
        reports, interrupted = asyncio.run(_flatten_all(accounts, args.deadline, values))
    except KeyboardInterrupt:  # only before the Ctrl-C handler is set, or after it is removed
        stopped = "interrupted (Ctrl-C) without a report: NOTHING is verified flat"
        return _failure(args, INTERRUPTED, FlattenInterrupted(stopped))
    except Exception as exc:  # a bug: said as one line (or object), not a traceback
        return _failure(args, FAILED, exc)
    code = INTERRUPTED if interrupted else max(_STATUS_EXIT[r.status] for r in reports)
    urls = {a.name: a.base_url for a in accounts}
    if args.json:
        body = {
            "ok": code == FLAT,
            "exit_code": code,
            "interrupted": interrupted,
            "seconds": round(time.monotonic() - started, 3),
            "accounts": [_report_json(r, urls[r.account]) for r in reports],
        }
        _to_stdout(json.dumps(body))
    else:
        lines = [_table(reports, urls)]
        for r in reports:
            # "open": the last listing came after the last cancel; else it may be stale
            listed = "still open" if r.status == "open" else "last listed open (may be stale)"
            for left in r.left:
                error = left.error
                why = "" if error is None else f": {_error_text(error, urls[r.account])}"
                lines.append(f"{r.account}: {listed} {left.order_id} ({left.symbol}){why}")
        _to_stdout("\n".join(lines))
    if interrupted:
        signal.signal(signal.SIGINT, signal.default_int_handler)  # the report is out
    return code


def add_panic_command(commands: Any) -> None:
    """Add `panic` to the command line's sub-commands."""
    codes = "\n".join(f"  {code}  {meaning}" for code, meaning in PANIC_EXIT.items())
    panic = commands.add_parser(
        "panic",
        help="flatten every account of a config file, verified (the kill switch)",
        description="Cancel every open order of every account in the config, then list until "
        "each venue lists nothing (verified flat) or the deadline passes.",
        epilog=f"exit codes:\n{codes}",
    )
    panic.add_argument("--config", required=True, help="the accounts file (TOML)")
    panic.add_argument(
        "--deadline", type=float, default=10.0, help="seconds, in (0, 3600] (default 10)"
    )
    panic.add_argument("--yes", action="store_true", help="do not ask for confirmation")
    panic.add_argument("--json", action="store_true", help="print one JSON object on stdout")
    panic.set_defaults(handler=run_panic)
