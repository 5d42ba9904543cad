"""The Kuest CLOB cancel clients: `KuestCancelOrder` and its async twin."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, Self

import httpx

from .. import _bulk
from .._bulk import OrderOutcome
from .._client_base import (
    KEEP,
    AsyncClient,
    ClientBase,
    HttpT,
    Keep,
    SyncClient,
    TransportT,
)
from .._http import DEFAULT_TIMEOUT, logger
from .._keepers import (
    KUEST_HEARTBEAT_WINDOW_S,
    AsyncHeartbeatKeeper,
    HeartbeatKeeper,
    check_interval,
)
from .._limiter import RateLimiter
from .._retry import DEFAULT_RETRY, RetryPolicy
from .._types import Operation
from ..errors import ConfigurationError, KuestInvalidHeartbeatId
from . import _operations as ops
from ._inputs import MAX_BATCH, check_heartbeat_path, check_order_ids
from ._keys import KuestKeys
from ._results import KuestCancelReport, KuestOpenOrder, KuestOrderCanceled
from ._signing import KuestAuth, now_s

DEFAULT_BASE_URL = "https://clob.kuest.com"
DEFAULT_CANCELS_PER_MINUTE = 100
"""The source document's budget. Kuest's own page allows 2,400 per 10 s: RateLimiter(2400, 10)."""
DEFAULT_MAX_IN_FLIGHT = 10


def _chunks(ids: list[str]) -> list[list[str]]:
    return [ids[i : i + MAX_BATCH] for i in range(0, len(ids), MAX_BATCH)]


class _KuestClientBase(ClientBase[KuestKeys, TransportT, HttpT]):
    """What the twins share: Kuest's options, signer and keepers' settings."""

    _keys_type = KuestKeys

    def __init__(
        self,
        *,
        keys: KuestKeys | None = None,
        base_url: str = DEFAULT_BASE_URL,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: TransportT | None = None,
        http_client: HttpT | None = None,
        id_field: ops.IdField = "orderId",
        retry: RetryPolicy = DEFAULT_RETRY,
        rate_limiter: RateLimiter | None = None,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
        clock: Callable[[], int] = now_s,
        heartbeat_path: str = ops.DEFAULT_HEARTBEAT_PATH,
    ) -> None:
        options: dict[str, Any] = {
            "keys": keys,
            "base_url": base_url,
            "timeout": timeout,
            "id_field": id_field,
            "retry": retry,
            "rate_limiter": rate_limiter,
            "max_in_flight": max_in_flight,
            "clock": clock,
            "heartbeat_path": heartbeat_path,
        }
        self._setup(options, transport=transport, http_client=http_client, lender=None)

    def _setup(
        self,
        options: dict[str, Any],
        *,
        transport: TransportT | None,
        http_client: HttpT | None,
        lender: HttpT | None,
    ) -> None:
        id_field = options["id_field"]
        if id_field not in ("orderId", "orderID"):
            raise ConfigurationError(f'id_field must be "orderId" or "orderID", got {id_field!r}')
        max_in_flight = options["max_in_flight"]
        if isinstance(max_in_flight, bool) or not isinstance(max_in_flight, int):
            raise ConfigurationError(
                f"max_in_flight must be an int, got {type(max_in_flight).__name__}"
            )
        if max_in_flight < 1:
            raise ConfigurationError("max_in_flight must be at least 1")
        if options["keys"] is None:
            options["keys"] = KuestKeys.from_env()
        if options["rate_limiter"] is None:
            options["rate_limiter"] = RateLimiter(DEFAULT_CANCELS_PER_MINUTE, 60.0)
        self.id_field: ops.IdField = id_field
        self.max_in_flight: int = options["max_in_flight"]
        self.heartbeat_path = check_heartbeat_path(options["heartbeat_path"])
        super()._setup(options, transport=transport, http_client=http_client, lender=lender)

    def _venue_options(self) -> dict[str, Any]:
        return {
            "id_field": self.id_field,
            "max_in_flight": self.max_in_flight,
            "heartbeat_path": self.heartbeat_path,
        }

    def _signer(self) -> KuestAuth:
        return KuestAuth(self.keys, self._clock)

    def _generated_client(self) -> Any:
        from ordercancel_kuest_api.client import (
            Client,  # with the client, not with `import ordercancel`
        )

        ops.preload()  # here, not on the first cancel
        return Client(base_url=self.base_url, timeout=self.timeout)

    def with_options(
        self,
        *,
        keys: KuestKeys | Keep = KEEP,
        base_url: str | Keep = KEEP,
        timeout: httpx.Timeout | Keep = KEEP,
        id_field: ops.IdField | Keep = KEEP,
        retry: RetryPolicy | Keep = KEEP,
        rate_limiter: RateLimiter | Keep | None = KEEP,
        max_in_flight: int | Keep = KEEP,
        clock: Callable[[], int] | Keep = KEEP,
        heartbeat_path: str | Keep = KEEP,
    ) -> Self:
        """A copy of this client with the options given, sending through the same connections.

        Each option left out keeps this client's value: the copy shares the rate limiter
        unless given one (`rate_limiter=None` gives it a default limiter of its own). Closing
        the copy leaves this client and its connections open; closing this client closes the
        copy's connections too (see "Copies" in the clients reference).

        Args:
            keys: Another L2 key set.
            base_url: Another base URL.
            timeout: Another httpx.Timeout for each attempt.
            id_field: Another body id field for `cancel_order`.
            retry: Another retry policy.
            rate_limiter: Another limiter, or None for a default one of its own.
            max_in_flight: Another number of cancels side by side.
            clock: Another clock (Unix seconds).
            heartbeat_path: Another path for `heartbeat`.

        Raises:
            ClientClosedError: this client, or the one whose connections it uses, is closed.
            ConfigurationError: a bad setting or an option of the wrong type (named in the
                message); nothing was sent.
        """
        return self._copy(
            keys=keys,
            base_url=base_url,
            timeout=timeout,
            id_field=id_field,
            retry=retry,
            rate_limiter=rate_limiter,
            max_in_flight=max_in_flight,
            clock=clock,
            heartbeat_path=heartbeat_path,
        )

    def _heartbeat_operation(self, heartbeat_id: str | None) -> Operation[str]:
        return ops.post_heartbeat(heartbeat_id, self.heartbeat_path)

    def _keeper_interval(self, interval_s: float) -> float:
        return check_interval(
            interval_s,
            "interval_s",
            window=KUEST_HEARTBEAT_WINDOW_S,
            why="Kuest cancels every open order when no heartbeat arrives for about 10 s",
        )


class KuestCancelOrder(_KuestClientBase[httpx.BaseTransport, httpx.Client], SyncClient[KuestKeys]):
    """Cancel Kuest CLOB orders, synchronously.

    Args:
        keys: The L2 key set; read from the environment (`KuestKeys.from_env`) when omitted.
        base_url: Where Kuest is; default https://clob.kuest.com.
        timeout: An httpx.Timeout bounding every phase; default connect 5 s, read/write/pool
            10 s (with your http_client: its timeout).
        transport: An httpx transport to send through (e.g. for tests or a proxy).
        http_client: Your own httpx client; used as it is (never changed,
            never closed), so several clients may share it. Each request carries this
            client's URL and signature; your headers, params, cookies and hooks apply; the
            timeout is yours unless `timeout` is given.
        id_field: The body's id field for `cancel_order`: "orderId" (default) or "orderID".
        retry: The retry policy (default: 3 attempts within 30 s; see RetryPolicy).
        rate_limiter: Paces every request; default 100 per 60 s (the source document's budget).
            `RateLimiter(2400, 10)` is Kuest's published burst limit.
        max_in_flight: How many cancels `cancel_orders` runs side by side (default 10).
        clock: Unix seconds for signing; default the system clock.
        heartbeat_path: Where `heartbeat` posts; default /heartbeats, the path of Kuest's
            published file (Kuest's own clients post to /v1/heartbeats).

    Raises:
        ConfigurationError: missing or unusable keys, or a bad setting or type (the message
            names the option).
    """

    def cancel_order(self, order_id: str) -> KuestOrderCanceled:
        """Cancel the order `order_id`.

        Raises:
            InvalidRequest: a bad id; nothing was sent.
            KuestOrderNotFound: Kuest does not know the order.
            KuestOrderNotCancellable: it is already filled or cancelled.
            KuestAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return self._send(ops.cancel_order(order_id, self.id_field))

    def cancel_orders(self, order_ids: Iterable[str], *, batch: bool = False) -> list[OrderOutcome]:
        """Cancel many orders; one outcome per distinct id, in the order given.

        A failure of one id never raises and never affects the others: its outcome carries it.

        By default each id is a `DELETE /order`, `max_in_flight` at a time, paced by the rate
        limiter. With `batch=True` the ids go in `DELETE /orders` requests of up to 3000.

        Raises:
            InvalidRequest: not a collection of ids, empty, or any id bad; nothing was sent.
            ClientClosedError: the client is closed; nothing was sent.
        """
        ids = check_order_ids(order_ids)
        self._check_usable()  # a closed client is no id's failure: it raises
        if batch:
            return _bulk.batches(
                _chunks(ids), lambda chunk: self._send(ops.cancel_orders_batch(chunk))
            )
        return _bulk.each(ids, self.cancel_order, self.max_in_flight)

    def cancel_all(self) -> KuestCancelReport:
        """Cancel every open order of the account.

        Raises:
            KuestCancelIncomplete: some orders were not canceled; `.report` lists both sides.
            KuestAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return self._send(ops.cancel_all())

    def cancel_market_orders(
        self, market: str | None = None, asset_id: str | None = None
    ) -> KuestCancelReport:
        """Cancel every open order of a market, an asset, or both (at least one).

        Raises:
            InvalidRequest: neither given, or a bad value; nothing was sent.
            KuestCancelIncomplete: some orders were not canceled; `.report` lists both sides.
            KuestAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return self._send(ops.cancel_market_orders(market, asset_id))

    def heartbeat(self, heartbeat_id: str | None = None) -> str:
        """Post one heartbeat; return the id to send with the next one.

        Start with `heartbeat_id=None`, then send each answer's id. Once heartbeats have
        started, Kuest cancels EVERY open order of the account when none arrives for about 10
        seconds (`keep_alive` sends them for you). If Kuest answers 400 "Invalid Heartbeat ID"
        (the id sent is not its current one), the heartbeat is sent again once with the id
        Kuest named. Heartbeats skip the client's rate limiter: a heartbeat waiting behind
        cancels would get every order cancelled.

        Raises:
            InvalidRequest: a bad heartbeat id; nothing was sent.
            KuestInvalidHeartbeatId: Kuest refused the id it had named too.
            KuestAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return self._heartbeat(heartbeat_id, self.retry)

    def _heartbeat(self, heartbeat_id: str | None, retry: RetryPolicy) -> str:
        try:
            return self._send(self._heartbeat_operation(heartbeat_id), retry, paced=False)
        except KuestInvalidHeartbeatId as exc:
            logger.info("Kuest named another heartbeat id: continuing with it")
            return self._send(self._heartbeat_operation(exc.heartbeat_id), retry, paced=False)

    def keep_alive(self, interval_s: float = 5) -> HeartbeatKeeper:
        """A keeper posting heartbeats every `interval_s` seconds in the background.

        Use `with kq.keep_alive(5) as hb:` on the sync client (a thread) and `async with` on
        the async one (a task). Entering posts the first heartbeat and raises if it fails; then
        each heartbeat sends the id the previous answer named. A failed heartbeat is logged
        (WARNING), counted (`hb.failures`) and kept in `hb.last_error`, and the next one is
        sent on schedule: one starts every `interval_s`, and one still unanswered when the
        next is due is abandoned (`BeatAbandoned`). Heartbeats skip the rate limiter. If two
        accepted heartbeats were further apart than Kuest's window (measured on the client's
        `clock`), Kuest has cancelled every open order: an ERROR says so and `hb.lapsed_at`
        records it.

        Kuest cancels EVERY open order of the account about 10 seconds after the last
        heartbeat: if the program dies, and also after the block ends, however it ends.

        Raises:
            InvalidRequest: `interval_s` is not a number of seconds above 0 and at most 5
                (half of Kuest's window: a heartbeat may take until the next one is due).
        """
        return HeartbeatKeeper(
            send=self._heartbeat,
            interval_s=self._keeper_interval(interval_s),
            retry=self.retry,
            clock=self._clock,
        )

    def list_open_orders(self) -> tuple[KuestOpenOrder, ...]:
        """Every live order of the account, following `next_cursor` to the last page.

        Each page is one request, paced by the rate limiter. An order seen on two pages is
        returned once.

        Raises:
            KuestAPIError: any page answered with something other than success (see the error
                table); a page of another shape, or a cursor that repeats, is
                KuestUnexpectedResponse.
            APIConnectionError: no answer came back.
        """
        pages = ops.OpenOrderPages()
        while not pages.done:
            pages.add(self._send(pages.operation()))
        return pages.orders()


class AsyncKuestCancelOrder(
    _KuestClientBase[httpx.AsyncBaseTransport, httpx.AsyncClient], AsyncClient[KuestKeys]
):
    """Cancel Kuest CLOB orders, with asyncio.

    Args:
        keys: The L2 key set; read from the environment (`KuestKeys.from_env`) when omitted.
        base_url: Where Kuest is; default https://clob.kuest.com.
        timeout: An httpx.Timeout bounding every phase; default connect 5 s, read/write/pool
            10 s (with your http_client: its timeout).
        transport: An httpx transport to send through (e.g. for tests or a proxy).
        http_client: Your own httpx client; used as it is (never changed,
            never closed), so several clients may share it. Each request carries this
            client's URL and signature; your headers, params, cookies and hooks apply; the
            timeout is yours unless `timeout` is given.
        id_field: The body's id field for `cancel_order`: "orderId" (default) or "orderID".
        retry: The retry policy (default: 3 attempts within 30 s; see RetryPolicy).
        rate_limiter: Paces every request; default 100 per 60 s (the source document's budget).
            `RateLimiter(2400, 10)` is Kuest's published burst limit.
        max_in_flight: How many cancels `cancel_orders` runs side by side (default 10).
        clock: Unix seconds for signing; default the system clock.
        heartbeat_path: Where `heartbeat` posts; default /heartbeats, the path of Kuest's
            published file (Kuest's own clients post to /v1/heartbeats).

    Raises:
        ConfigurationError: missing or unusable keys, or a bad setting or type (the message
            names the option).
    """

    async def cancel_order(self, order_id: str) -> KuestOrderCanceled:
        """Cancel the order `order_id`.

        Raises:
            InvalidRequest: a bad id; nothing was sent.
            KuestOrderNotFound: Kuest does not know the order.
            KuestOrderNotCancellable: it is already filled or cancelled.
            KuestAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return await self._send(ops.cancel_order(order_id, self.id_field))

    async def cancel_orders(
        self, order_ids: Iterable[str], *, batch: bool = False
    ) -> list[OrderOutcome]:
        """Cancel many orders; one outcome per distinct id, in the order given.

        A failure of one id never raises and never affects the others: its outcome carries it.

        By default each id is a `DELETE /order`, `max_in_flight` at a time, paced by the rate
        limiter. With `batch=True` the ids go in `DELETE /orders` requests of up to 3000.

        Raises:
            InvalidRequest: not a collection of ids, empty, or any id bad; nothing was sent.
            ClientClosedError: the client is closed; nothing was sent.
        """
        ids = check_order_ids(order_ids)
        self._check_usable()  # a closed client is no id's failure: it raises
        if batch:
            return await _bulk.batches_async(
                _chunks(ids), lambda chunk: self._send(ops.cancel_orders_batch(chunk))
            )
        return await _bulk.each_async(ids, self.cancel_order, self.max_in_flight)

    async def cancel_all(self) -> KuestCancelReport:
        """Cancel every open order of the account.

        Raises:
            KuestCancelIncomplete: some orders were not canceled; `.report` lists both sides.
            KuestAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return await self._send(ops.cancel_all())

    async def cancel_market_orders(
        self, market: str | None = None, asset_id: str | None = None
    ) -> KuestCancelReport:
        """Cancel every open order of a market, an asset, or both (at least one).

        Raises:
            InvalidRequest: neither given, or a bad value; nothing was sent.
            KuestCancelIncomplete: some orders were not canceled; `.report` lists both sides.
            KuestAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return await self._send(ops.cancel_market_orders(market, asset_id))

    async def heartbeat(self, heartbeat_id: str | None = None) -> str:
        """Post one heartbeat; return the id to send with the next one.

        Start with `heartbeat_id=None`, then send each answer's id. Once heartbeats have
        started, Kuest cancels EVERY open order of the account when none arrives for about 10
        seconds (`keep_alive` sends them for you). If Kuest answers 400 "Invalid Heartbeat ID"
        (the id sent is not its current one), the heartbeat is sent again once with the id
        Kuest named. Heartbeats skip the client's rate limiter: a heartbeat waiting behind
        cancels would get every order cancelled.

        Raises:
            InvalidRequest: a bad heartbeat id; nothing was sent.
            KuestInvalidHeartbeatId: Kuest refused the id it had named too.
            KuestAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return await self._heartbeat(heartbeat_id, self.retry)

    async def _heartbeat(self, heartbeat_id: str | None, retry: RetryPolicy) -> str:
        try:
            return await self._send(self._heartbeat_operation(heartbeat_id), retry, paced=False)
        except KuestInvalidHeartbeatId as exc:
            logger.info("Kuest named another heartbeat id: continuing with it")
            return await self._send(self._heartbeat_operation(exc.heartbeat_id), retry, paced=False)

    def keep_alive(self, interval_s: float = 5) -> AsyncHeartbeatKeeper:
        """A keeper posting heartbeats every `interval_s` seconds in the background.

        Use `with kq.keep_alive(5) as hb:` on the sync client (a thread) and `async with` on
        the async one (a task). Entering posts the first heartbeat and raises if it fails; then
        each heartbeat sends the id the previous answer named. A failed heartbeat is logged
        (WARNING), counted (`hb.failures`) and kept in `hb.last_error`, and the next one is
        sent on schedule: one starts every `interval_s`, and one still unanswered when the
        next is due is abandoned (`BeatAbandoned`). Heartbeats skip the rate limiter. If two
        accepted heartbeats were further apart than Kuest's window (measured on the client's
        `clock`), Kuest has cancelled every open order: an ERROR says so and `hb.lapsed_at`
        records it.

        Kuest cancels EVERY open order of the account about 10 seconds after the last
        heartbeat: if the program dies, and also after the block ends, however it ends.

        Raises:
            InvalidRequest: `interval_s` is not a number of seconds above 0 and at most 5
                (half of Kuest's window: a heartbeat may take until the next one is due).
        """
        return AsyncHeartbeatKeeper(
            send=self._heartbeat,
            interval_s=self._keeper_interval(interval_s),
            retry=self.retry,
            clock=self._clock,
        )

    async def list_open_orders(self) -> tuple[KuestOpenOrder, ...]:
        """Every live order of the account, following `next_cursor` to the last page.

        Each page is one request, paced by the rate limiter. An order seen on two pages is
        returned once.

        Raises:
            KuestAPIError: any page answered with something other than success (see the error
                table); a page of another shape, or a cursor that repeats, is
                KuestUnexpectedResponse.
            APIConnectionError: no answer came back.
        """
        pages = ops.OpenOrderPages()
        while not pages.done:
            pages.add(await self._send(pages.operation()))
        return pages.orders()
