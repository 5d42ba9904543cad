"""The kill switch: flatten every account, then prove it with a listing that came back empty.

For each account at once: cancel all, list what is still open, cancel each leftover by its id,
and list again, until a listing comes back empty (the account is verified flat) or the deadline
passes. The steps of one account are written once, as a generator (`_account_steps`) that yields
what to do next and is sent what happened; `flatten` drives it with threads and sync clients,
`aflatten` with asyncio and async clients.

One hung call must not eat the whole deadline: every call is made on a copy of the account's
client (`with_options`, the same connections) whose timeout and retry policy end it in time
(`_Calls`). A call that hangs is abandoned by its own timeout, and the next round tries again
while there is still time to verify. An abandoned cancel counts for nothing: only a listing that
came back empty after the last cancel is flat.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import math
import threading
import time
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, Generic, Literal, TypeAlias, TypeVar, cast

import httpx

from .errors import (
    AuthenticationError,
    InvalidRequest,
    KucoinCancelAllIncomplete,
    OrderCancelError,
    PermissionDenied,
)
from .kucoin._client import AsyncKucoinSpotCancelOrder, KucoinSpotCancelOrder
from .kuest._client import AsyncKuestCancelOrder, KuestCancelOrder

FlattenStatus = Literal["flat", "open", "unverified"]
SyncClient: TypeAlias = KucoinSpotCancelOrder | KuestCancelOrder
AsyncClient: TypeAlias = AsyncKucoinSpotCancelOrder | AsyncKuestCancelOrder
ClientT = TypeVar("ClientT", bound=SyncClient | AsyncClient)
ProgressCallback = Callable[[str, str], None]
"""Called with (account, what happened) after each step of an account."""

logger = logging.getLogger("ordercancel")

DEFAULT_DEADLINE_S = 10.0
MAX_DEADLINE_S = 3600.0
_FIRST_PAUSE_S = 0.05  # between rounds while orders stay listed (KuCoin's cancels are queued)
_MAX_PAUSE_S = 0.5
_GRACE_S = 2.0  # how long past the deadline a call in flight (the last listing) may take
# One attempt of a call may wait a quarter of the time its call has left, or 1 s when that is
# more (a slow venue still answers), never more than the client's own timeout. A cancel's call
# ends by the deadline; a listing's by 1 s into the grace (an attempt begun at that end still
# ends within the grace).
_ATTEMPT_SHARE = 0.25
_ATTEMPT_FLOOR_S = 1.0
_LISTING_ENDS_PAST_DEADLINE_S = _GRACE_S - _ATTEMPT_FLOOR_S
_LEAST_RETRY_WINDOW_S = 0.25  # a call near its end may still wait this long for a rate-limit slot
_RESEND_AFTER_S = 1.0  # an accepted cancel still listed: KuCoin's queue drains; resent after this
_MAX_SYMBOLS_AT_ONCE = 16  # KuCoin symbols listed (or cancelled) side by side by `flatten`
_GIVE_UP_ON = (AuthenticationError, PermissionDenied)  # waiting does not fix these


@dataclass(frozen=True, slots=True)
class LeftOrder:
    """An order the venue still listed as open at the last listing.

    Attributes:
        order_id: The venue's order id.
        symbol: Where it rests: the KuCoin symbol, or the Kuest market.
        error: The last error cancelling it: its own cancel's, or else the account's
            cancel-all error when that failure covers it (a KuCoin cancel-all failing for
            some symbols is the error of the orders on those symbols only); None when its
            cancel was accepted and it is still listed (KuCoin queues cancels; a bot may
            also have just placed it).
    """

    order_id: str
    symbol: str
    error: Exception | None = None


@dataclass(frozen=True, slots=True)
class FlattenReport:
    """What `flatten` established for one account.

    Attributes:
        account: The account's name (the key of the mapping passed in, else "venue:api_key").
        venue: "kucoin" or "kuest".
        status: "flat": a listing that came back empty after the last cancel (verified).
            "open": the last listing, taken after the last cancel, still showed `left`.
            "unverified": no listing succeeded after the last cancel (bad keys, venue down,
            deadline), or KuCoin's symbols listing (016) still named a symbol for which its
            orders listing (017) showed no order (`error` names it); `left` is the last
            successful listing, if any, and may be stale.
        left: The orders still open (empty when flat).
        error: When "open" or "unverified": the last account-level error (a cancel-all or a
            listing), or None. When "flat": the cancel-all's failure, if it failed (its
            leftovers were then cancelled one by one), else None; a listing error that a
            later empty listing outlasted is not kept, so a flat report never carries one.
        rounds: How many listings were taken.
        seconds: How long the account took.
    """

    account: str
    venue: str
    status: FlattenStatus
    left: tuple[LeftOrder, ...] = ()
    error: Exception | None = None
    rounds: int = 0
    seconds: float = 0.0

    @property
    def flat(self) -> bool:
        """True only when the account is verified flat."""
        return self.status == "flat"


# -- the steps of one account, venue-neutral ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class _CancelAll:
    pass


@dataclass(frozen=True, slots=True)
class _List:
    pass


@dataclass(frozen=True, slots=True)
class _CancelEach:
    by_symbol: Mapping[str, list[str]]


@dataclass(frozen=True, slots=True)
class _Pause:
    seconds: float


_Step: TypeAlias = _CancelAll | _List | _CancelEach | _Pause


@dataclass(frozen=True, slots=True)
class _Listing:
    """What a listing showed.

    `orders` maps each open order's id to its symbol; `unexplained` holds the symbols KuCoin's
    016 names as having open orders while 017 lists none for them (so not flat either).
    """

    orders: dict[str, str]
    unexplained: tuple[str, ...] = ()


def _unexplained_error(symbols: tuple[str, ...]) -> OrderCancelError:
    return OrderCancelError(
        f"KuCoin still lists {', '.join(symbols)} among the symbols with open orders "
        "(GET /api/v1/hf/orders/active/symbols) but lists no open order for it "
        "(GET /api/v1/hf/orders/active): not verified flat"
    )


@dataclass(frozen=True, slots=True)
class _Done:
    """What a step gave back: its value, or the error it raised."""

    value: Any = None
    error: Exception | None = None


@dataclass
class _Account:
    name: str
    venue: str
    deadline: float
    started: float = field(default_factory=time.monotonic)
    rounds: int = 0
    error: Exception | None = None
    cancel_all_error: Exception | None = None
    listed: dict[str, str] | None = None  # id -> symbol, the last successful listing
    errors: dict[str, Exception | None] = field(default_factory=dict)

    def _error_of(self, order_id: str, symbol: str) -> Exception | None:
        """Its own cancel's outcome; else the cancel-all's failure, if that failure covers it.

        A KuCoin cancel-all that names the symbols it failed for (failedSymbols) is the error
        of the orders on those symbols only; one that names none failed for every order.
        """
        if order_id in self.errors:
            return self.errors[order_id]
        error = self.cancel_all_error
        if isinstance(error, KucoinCancelAllIncomplete):
            failed = {f.symbol for f in error.result.failed_symbols}
            if failed and symbol not in failed:
                return None
        return error

    def report(self, status: FlattenStatus) -> FlattenReport:
        left = tuple(
            LeftOrder(oid, symbol, self._error_of(oid, symbol))
            for oid, symbol in (self.listed or {}).items()
        )
        return FlattenReport(
            self.name,
            self.venue,
            status,
            () if status == "flat" else left,
            self.cancel_all_error if status == "flat" else self.error,
            self.rounds,
            time.monotonic() - self.started,
        )


_Steps: TypeAlias = Generator[_Step, _Done, FlattenReport]


def _account_steps(account: _Account, progress: ProgressCallback | None) -> _Steps:
    """Cancel all, then list and cancel leftovers until a listing is empty or time is up."""

    def tell(text: str) -> None:
        if progress is not None:
            progress(account.name, text)

    done = yield _CancelAll()
    if done.error is not None:
        account.error = account.cancel_all_error = done.error
        tell(f"cancel-all failed: {type(done.error).__name__}")
        if isinstance(done.error, _GIVE_UP_ON):
            return account.report("unverified")
    else:
        tell("cancel-all accepted")
    pause = _FIRST_PAUSE_S
    accepted: dict[str, float] = {}  # order id -> when its own cancel was last accepted
    while True:
        done = yield _List()
        if done.error is None:
            listing: _Listing = done.value
            account.rounds += 1
            account.listed = listing.orders
            if listing.unexplained:  # 016 still names a symbol: never flat, whatever 017 says
                account.error = _unexplained_error(listing.unexplained)
                tell(f"{', '.join(listing.unexplained)} still listed as having open orders")
                if not account.listed and time.monotonic() >= account.deadline:
                    return account.report("unverified")
            elif not account.listed:
                tell("verified flat")
                return account.report("flat")
            else:
                tell(f"{len(account.listed)} still open")
        else:
            account.error = done.error
            tell(f"listing failed: {type(done.error).__name__}")
            if isinstance(done.error, _GIVE_UP_ON) or time.monotonic() >= account.deadline:
                return account.report("unverified")
        if time.monotonic() >= account.deadline:
            return account.report("open")
        # An order whose cancel was accepted is not sent again at once: KuCoin queues
        # cancels, and resending each round while the queue drains would burn the quota.
        now = time.monotonic()
        due = {
            order_id: symbol
            for order_id, symbol in (account.listed or {}).items()
            if now - accepted.get(order_id, -math.inf) >= _RESEND_AFTER_S
        }
        if done.error is None and due:
            by_symbol: dict[str, list[str]] = {}
            for order_id, symbol in due.items():
                by_symbol.setdefault(symbol, []).append(order_id)
            cancelled = yield _CancelEach(by_symbol)
            if cancelled.error is not None:  # cancel_orders reports per id; this is a bug
                account.error = cancelled.error
            else:
                account.errors.update(cancelled.value)
                now = time.monotonic()
                accepted.update((oid, now) for oid, e in cancelled.value.items() if e is None)
        yield _Pause(min(pause, max(account.deadline - time.monotonic(), 0.0)))
        pause = min(pause * 2, _MAX_PAUSE_S)


# -- the venues ----------------------------------------------------------------------------------


def _venue(client: object) -> str:
    if isinstance(client, KucoinSpotCancelOrder | AsyncKucoinSpotCancelOrder):
        return "kucoin"
    if isinstance(client, KuestCancelOrder | AsyncKuestCancelOrder):
        return "kuest"
    raise InvalidRequest(
        f"flatten takes ordercancel clients (KuCoin or Kuest), got {type(client).__name__}"
    )


def _default_name(client: Any) -> str:
    return f"{_venue(client)}:{client.keys.api_key}"


def _outcome_errors(outcomes: Iterable[Any]) -> dict[str, Exception | None]:
    return {o.order_id: o.error for o in outcomes}


def _kucoin_listing(symbols: Iterable[str], listings: Iterable[Iterable[Any]]) -> _Listing:
    """The orders 017 listed for each symbol 016 named, and the symbols it listed none for."""
    orders: dict[str, str] = {}
    unexplained: list[str] = []
    for symbol, listing in zip(symbols, listings, strict=True):
        listed = {o.order_id: o.symbol for o in listing}
        orders.update(listed)
        if not listed:
            unexplained.append(symbol)
    return _Listing(orders, tuple(unexplained))


def _side_by_side(call: Callable[[Any], Any], items: Iterable[Any]) -> list[Any]:
    """`call(item)` for every item at once, one thread each, as `aflatten` gathers them.

    Returns the results in the order of the items; when some raise, raises the exception of
    the first of them in that order, once all have finished.
    """
    items = list(items)
    if len(items) < 2:
        return [call(item) for item in items]
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=min(len(items), _MAX_SYMBOLS_AT_ONCE)) as pool:
        return list(pool.map(call, items))


class _Calls(Generic[ClientT]):
    """One account's client, handed out as copies that end each call in time.

    `until(ends)` is a copy (`with_options`: the same connections, rate limiter and venue
    options) whose call ends by `ends` as far as timeouts can make it: each attempt may wait
    a quarter of the time left until `ends`, or 1 s when that is more, never longer than the
    client's own timeout for each phase (connect, read, write, pool); and a retry starts
    only if it can end by `ends` (the retry policy's `total_timeout`, waits for the rate
    limiter included, shrinks to fit; never grows). A thread cannot be cancelled: this is
    what bounds a sync call. Each copy is made from the last one, so a clock offset one
    measured (KuCoin's `sync_time` after a stale timestamp) carries on to the next calls.
    The client given is never changed.
    """

    def __init__(self, client: ClientT) -> None:
        self.client = client
        self._last = client
        self._last_bounds: tuple[float, float] | None = None

    def until(self, ends: float) -> ClientT:
        left = ends - time.monotonic()
        # Both bounds rounded down to a grid (steps of 2^(1/4), ~19 %): tighter, never looser,
        # and the same for the calls of a second or so, which then share one copy.
        attempt = max(_ATTEMPT_FLOOR_S, _round_down(_ATTEMPT_SHARE * left))
        policy = self.client.retry
        window = min(policy.total_timeout, max(_round_down(left - attempt), _LEAST_RETRY_WINDOW_S))
        if self._last_bounds == (attempt, window):
            return self._last
        own = self.client.timeout.as_dict()
        timeout = httpx.Timeout(
            **{phase: attempt if s is None else min(s, attempt) for phase, s in own.items()}
        )
        retry = dataclasses.replace(policy, total_timeout=window)
        copy = self._last.with_options(timeout=timeout, retry=retry)
        self._last = cast(ClientT, copy)  # each class's with_options returns its own kind
        self._last_bounds = (attempt, window)
        return self._last


def _round_down(seconds: float) -> float:
    """`seconds` rounded down to the nearest 2^(k/4) (k an integer); 0 or less as it is."""
    if seconds <= 0:
        return seconds
    return float(2.0 ** (math.floor(math.log2(seconds) * 4) / 4))


def _ends(step: _Step, deadline: float) -> float:
    """When the call(s) of `step` should end: a listing may use part of the grace."""
    return deadline + _LISTING_ENDS_PAST_DEADLINE_S if isinstance(step, _List) else deadline


def _run_sync(calls: _Calls[Any], step: _Step, deadline: float) -> Any:
    if isinstance(step, _Pause):
        time.sleep(step.seconds)
        return None
    ends = _ends(step, deadline)
    if isinstance(calls.client, KucoinSpotCancelOrder):
        if isinstance(step, _CancelAll):
            return calls.until(ends).cancel_all_orders()
        if isinstance(step, _List):
            symbols = calls.until(ends).list_active_symbols()
            if not symbols:
                return _Listing({})
            lister = calls.until(ends)  # one copy for every symbol, side by side
            return _kucoin_listing(symbols, _side_by_side(lister.list_open_orders, symbols))
        canceller = calls.until(ends)
        groups = _side_by_side(
            lambda pair: canceller.cancel_orders(pair[1], pair[0]), step.by_symbol.items()
        )
        return {k: v for outcomes in groups for k, v in _outcome_errors(outcomes).items()}
    if isinstance(step, _CancelAll):
        return calls.until(ends).cancel_all()
    if isinstance(step, _List):
        return _Listing({o.order_id: o.market for o in calls.until(ends).list_open_orders()})
    ids = [oid for group in step.by_symbol.values() for oid in group]
    return _outcome_errors(calls.until(ends).cancel_orders(ids, batch=True))  # DELETE /orders


async def _run_async(calls: _Calls[Any], step: _Step, deadline: float) -> Any:
    if isinstance(step, _Pause):
        await asyncio.sleep(step.seconds)
        return None
    ends = _ends(step, deadline)
    if isinstance(calls.client, AsyncKucoinSpotCancelOrder):
        if isinstance(step, _CancelAll):
            return await calls.until(ends).cancel_all_orders()
        if isinstance(step, _List):
            symbols = await calls.until(ends).list_active_symbols()
            if not symbols:
                return _Listing({})
            lister = calls.until(ends)
            listings = await asyncio.gather(*(lister.list_open_orders(s) for s in symbols))
            return _kucoin_listing(symbols, listings)
        canceller = calls.until(ends)
        groups = await asyncio.gather(
            *(canceller.cancel_orders(ids, symbol) for symbol, ids in step.by_symbol.items())
        )
        return {k: v for outcomes in groups for k, v in _outcome_errors(outcomes).items()}
    if isinstance(step, _CancelAll):
        return await calls.until(ends).cancel_all()
    if isinstance(step, _List):
        listed = await calls.until(ends).list_open_orders()
        return _Listing({o.order_id: o.market for o in listed})
    ids = [oid for group in step.by_symbol.values() for oid in group]
    return _outcome_errors(await calls.until(ends).cancel_orders(ids, batch=True))


# -- the drivers -----------------------------------------------------------------------------------


def _guarded(progress: ProgressCallback | None) -> ProgressCallback | None:
    """`progress`, turned off the first time it raises, with one warning logged.

    A failing progress sink (a closed stderr, a broken pipe, a bug in the caller's callback)
    must never stop a flatten nor lose its reports: flattening goes on without progress.
    """
    if progress is None:
        return None
    lock = threading.Lock()
    off = False

    def call(account: str, text: str) -> None:
        nonlocal off
        if off:
            return
        try:
            progress(account, text)
        except Exception as exc:
            with lock:
                first, off = not off, True
            if first:
                logger.warning(
                    "flatten: the progress callback raised %s: %s; progress is turned off, "
                    "the flatten goes on",
                    type(exc).__name__,
                    exc,
                )

    return call


def check_deadline(deadline_s: object) -> float:
    """`deadline_s` as a float, if it is a finite number of seconds in (0, MAX_DEADLINE_S].

    Raises:
        InvalidRequest: not a number, not finite (nan, inf), not positive, or over an hour.
    """
    if (
        isinstance(deadline_s, bool)
        or not isinstance(deadline_s, int | float)
        or not math.isfinite(deadline_s)
        or not 0 < deadline_s <= MAX_DEADLINE_S
    ):
        raise InvalidRequest(
            f"deadline_s must be a finite number of seconds, more than 0 and at most "
            f"{MAX_DEADLINE_S:g}, got {deadline_s!r}"
        )
    return float(deadline_s)


def _accounts(
    clients: Mapping[str, Any] | Iterable[Any], deadline_s: float
) -> list[tuple[Any, _Account]]:
    deadline_s = check_deadline(deadline_s)
    if isinstance(clients, str | bytes) or not isinstance(clients, Mapping | Iterable):
        raise InvalidRequest("clients must be a mapping of names to clients, or a list of clients")
    named = (
        list(clients.items())
        if isinstance(clients, Mapping)
        else [(_default_name(c), c) for c in clients]
    )
    if not named:
        raise InvalidRequest("clients must not be empty")
    names = [str(name) for name, _ in named]
    if len(set(names)) != len(names):
        raise InvalidRequest("every account must have its own name (a client given twice?)")
    deadline = time.monotonic() + deadline_s
    return [(client, _Account(str(name), _venue(client), deadline)) for name, client in named]


def _drive_sync(client: SyncClient, account: _Account, progress: ProgressCallback | None) -> Any:
    steps = _account_steps(account, progress)
    calls = _Calls(client)
    step = next(steps)
    while True:
        try:
            done = _Done(_run_sync(calls, step, account.deadline))
        except Exception as exc:  # every failure is the account's, reported, never raised
            done = _Done(error=exc)
        try:
            step = steps.send(done)
        except StopIteration as stop:
            return stop.value


def flatten(
    clients: Mapping[str, SyncClient] | Iterable[SyncClient],
    deadline_s: float = DEFAULT_DEADLINE_S,
    *,
    progress: ProgressCallback | None = None,
) -> list[FlattenReport]:
    """Cancel every open order of every account, and verify that none is left.

    All accounts run at once, one thread each. For each: cancel all, list what is still open,
    cancel each leftover by its id, and repeat until a listing comes back empty (verified flat)
    or `deadline_s` passes; a KuCoin account's symbols are listed, and their leftovers
    cancelled, side by side (up to 16 threads), as `aflatten` does. One account's failure
    (bad keys, venue down) never stops the others: it ends in its own report.

    How long one call may take: each attempt may wait a quarter of the time its call has
    left, or 1 s when that is more, never longer than the client's own timeout (for each of
    connect, read, write and pool); a retry starts only when it can end in that time. A
    cancel's call has until the deadline, a listing's until 1 s past it. So with the default
    deadline (10 s), the first attempt gives up after 2.5 s at most, not after the default
    client's 10 s: a call that hangs (a venue that never answers, a stalled proxy) is
    abandoned, and the next try still has time to verify. An abandoned cancel counts for
    nothing; only an empty listing after it makes the account flat. These bounds are set on
    copies of your clients (`with_options`: the same connections); your clients are not
    changed. As a last resort, a call still in flight 2 s after the deadline (its thread
    cannot be stopped) leaves the account "unverified", its error a TimeoutError; the thread
    ends in the background.

    Args:
        clients: Sync KuCoin and Kuest clients, one per account: a mapping of account names to
            clients, or a list (named "venue:api_key").
        deadline_s: Seconds after which no new round starts (default 10): finite, more
            than 0 and at most 3600.
        progress: Called with (account name, what happened) after each step, from the
            account's thread. If it raises, it is called no more (a warning is logged on the
            "ordercancel" logger) and the flatten goes on.

    Returns:
        One FlattenReport per account, in the order given.

    Raises:
        InvalidRequest: no clients, a client of another kind (an async one), duplicate names,
            or a deadline that is not finite, not positive or over 3600 s; nothing was sent.
    """
    accounts = _accounts(clients, deadline_s)
    for client, _ in accounts:
        if not isinstance(client, KucoinSpotCancelOrder | KuestCancelOrder):
            raise InvalidRequest("flatten takes sync clients; use aflatten for async ones")
    progress = _guarded(progress)
    reports: dict[str, FlattenReport] = {}

    def run(client: SyncClient, account: _Account) -> None:
        reports[account.name] = _drive_sync(client, account, progress)

    threads = [
        threading.Thread(target=run, args=pair, name=f"flatten {pair[1].name}", daemon=True)
        for pair in accounts
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(max(accounts[0][1].deadline + _GRACE_S - time.monotonic(), 0.0))
    return [reports.get(account.name) or _overdue(account) for _, account in accounts]


def _overdue_error(account: _Account) -> TimeoutError:
    return TimeoutError(
        f"a call to {account.venue} timed out: still in flight {_GRACE_S:g} s after the deadline"
    )


def _overdue(account: _Account) -> FlattenReport:
    account.error = _overdue_error(account)
    return account.report("unverified")


async def aflatten(
    clients: Mapping[str, AsyncClient] | Iterable[AsyncClient],
    deadline_s: float = DEFAULT_DEADLINE_S,
    *,
    progress: ProgressCallback | None = None,
) -> list[FlattenReport]:
    """Cancel every open order of every account, and verify that none is left (asyncio).

    Like `flatten`, with async clients, all accounts on the running event loop. How long one
    call may take is as for `flatten`: each attempt may wait a quarter of the time its call
    has left (until the deadline for a cancel, 1 s past it for a listing), or 1 s when that is
    more, never longer than the client's own timeout, so a call that hangs is abandoned in
    time to try again and verify. A call still in flight 2 s after the deadline is cancelled,
    and the account is then "unverified", its error a TimeoutError.

    Args:
        clients: Async KuCoin and Kuest clients, one per account: a mapping of account names
            to clients, or a list (named "venue:api_key").
        deadline_s: Seconds after which no new round starts (default 10): finite, more
            than 0 and at most 3600.
        progress: Called with (account name, what happened) after each step. If it raises,
            it is called no more (a warning is logged on the "ordercancel" logger) and the
            flatten goes on.

    Returns:
        One FlattenReport per account, in the order given.

    Raises:
        InvalidRequest: no clients, a client of another kind (a sync one), duplicate names,
            or a deadline that is not finite, not positive or over 3600 s; nothing was sent.
    """
    return await aflatten_until(clients, deadline_s, progress=progress, stop=None)


class FlattenInterrupted(OrderCancelError):
    """The flatten was stopped (Ctrl-C) before this account was verified flat: it is NOT flat."""


async def aflatten_until(
    clients: Mapping[str, AsyncClient] | Iterable[AsyncClient],
    deadline_s: float,
    *,
    progress: ProgressCallback | None,
    stop: asyncio.Event | None,
) -> list[FlattenReport]:
    """`aflatten`, which also ends when `stop` is set (the command's Ctrl-C).

    Each account still running then has its call in flight cancelled and is reported
    "unverified", its error a FlattenInterrupted, its `left` the last listing it took, if any;
    an account that had already finished keeps its report.

    Raises:
        InvalidRequest: as `aflatten`; nothing was sent.
    """
    accounts = _accounts(clients, deadline_s)
    for client, _ in accounts:
        if not isinstance(client, AsyncKucoinSpotCancelOrder | AsyncKuestCancelOrder):
            raise InvalidRequest("aflatten takes async clients; use flatten for sync ones")
    progress = _guarded(progress)

    async def drive(client: AsyncClient, account: _Account) -> FlattenReport:
        steps = _account_steps(account, progress)
        calls = _Calls(client)
        step = next(steps)
        while True:
            try:
                async with asyncio.timeout(account.deadline + _GRACE_S - time.monotonic()):
                    done = _Done(await _run_async(calls, step, account.deadline))
            except TimeoutError as exc:  # asyncio.timeout's says nothing
                done = _Done(error=_overdue_error(account) if not str(exc) else exc)
            except Exception as exc:  # every failure is the account's, reported, never raised
                done = _Done(error=exc)
            try:
                step = steps.send(done)
            except StopIteration as finished:
                report: FlattenReport = finished.value
                return report

    tasks = [asyncio.ensure_future(drive(client, account)) for client, account in accounts]
    if stop is None:
        return list(await asyncio.gather(*tasks))
    stopped = asyncio.ensure_future(stop.wait())
    try:
        pending: set[asyncio.Future[Any]] = set(tasks)
        while pending and not stopped.done():
            _, pending = await asyncio.wait(
                pending | {stopped}, return_when=asyncio.FIRST_COMPLETED
            )
            pending.discard(stopped)
    finally:
        stopped.cancel()
        for task in tasks:
            task.cancel()  # nothing for a finished one
        await asyncio.wait(tasks)
    return [
        _interrupted(account) if task.cancelled() else task.result()
        for task, (_, account) in zip(tasks, accounts, strict=True)
    ]


def _interrupted(account: _Account) -> FlattenReport:
    account.error = FlattenInterrupted(
        "NOT flat: interrupted (Ctrl-C) before this account was verified flat; "
        "its orders are the last listing taken, if any"
    )
    return account.report("unverified")
