"""Cancel many ids side by side, one outcome per id, whatever happens to each.

Each id runs on its own: its failure (any exception) becomes its outcome and never touches the
others, and the outcomes come back in the order of the ids. Both venues' `cancel_orders` use it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass

from .errors import InvalidRequest


@dataclass(frozen=True, slots=True)
class OrderOutcome:
    """The outcome of one id of `cancel_orders`: `error` is None when it was cancelled."""

    order_id: str
    error: Exception | None = None

    @property
    def ok(self) -> bool:
        """True when the order was cancelled."""
        return self.error is None


def distinct_ids(order_ids: object, check_one: Callable[[object], str]) -> list[str]:
    """A non-empty collection of order ids, each checked by `check_one`; duplicates removed.

    Raises:
        InvalidRequest: not a collection of ids (a bare str is refused), empty, or any id bad
            (all bad ids are named).
    """
    if isinstance(order_ids, str | bytes) or not isinstance(order_ids, Iterable):
        raise InvalidRequest("order_ids must be a list or other collection of order ids")
    ids = list(order_ids)
    if not ids:
        raise InvalidRequest("order_ids must not be empty")
    problems = []
    for index, order_id in enumerate(ids):
        try:
            check_one(order_id)
        except InvalidRequest as exc:
            problems.append(f"[{index}]: {exc}")
    if problems:
        raise InvalidRequest("bad order ids: " + "; ".join(problems))
    return list(dict.fromkeys(ids))


def _outcome(order_id: str, cancel_one: Callable[[str], object]) -> OrderOutcome:
    try:
        cancel_one(order_id)
    except Exception as exc:
        return OrderOutcome(order_id, exc)
    return OrderOutcome(order_id)


def each(
    order_ids: list[str], cancel_one: Callable[[str], object], max_in_flight: int
) -> list[OrderOutcome]:
    """Run `cancel_one` for every id on at most `max_in_flight` threads."""
    from concurrent.futures import ThreadPoolExecutor  # imported by bulk cancels only

    with ThreadPoolExecutor(max_workers=min(max_in_flight, len(order_ids))) as pool:
        return list(pool.map(lambda order_id: _outcome(order_id, cancel_one), order_ids))


async def each_async(
    order_ids: list[str],
    cancel_one: Callable[[str], Awaitable[object]],
    max_in_flight: int,
) -> list[OrderOutcome]:
    """Run `cancel_one` for every id with at most `max_in_flight` in flight."""
    import asyncio  # imported by async bulk cancels only (sync programs never need it)

    slots = asyncio.Semaphore(max_in_flight)

    async def outcome(order_id: str) -> OrderOutcome:
        async with slots:
            try:
                await cancel_one(order_id)
            except Exception as exc:
                return OrderOutcome(order_id, exc)
            return OrderOutcome(order_id)

    return list(await asyncio.gather(*(outcome(order_id) for order_id in order_ids)))


def _failed_chunk(chunk: list[str], exc: Exception) -> list[OrderOutcome]:
    return [OrderOutcome(order_id, exc) for order_id in chunk]


def batches(
    chunks: list[list[str]], cancel_chunk: Callable[[list[str]], list[OrderOutcome]]
) -> list[OrderOutcome]:
    """Send each chunk as one batch request; a failed request fails each of its ids."""
    outcomes = []
    for chunk in chunks:
        try:
            outcomes += cancel_chunk(chunk)
        except Exception as exc:
            outcomes += _failed_chunk(chunk, exc)
    return outcomes


async def batches_async(
    chunks: list[list[str]],
    cancel_chunk: Callable[[list[str]], Awaitable[list[OrderOutcome]]],
) -> list[OrderOutcome]:
    """Send each chunk as one batch request; a failed request fails each of its ids."""
    outcomes = []
    for chunk in chunks:
        try:
            outcomes += await cancel_chunk(chunk)
        except Exception as exc:
            outcomes += _failed_chunk(chunk, exc)
    return outcomes
