"""The KuCoin Spot cancel clients: `KucoinSpotCancelOrder` and its async twin."""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Self

import httpx

from .. import _bulk  # one outcome per id, shared with Kuest's cancel_orders
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
from .._http import DEFAULT_TIMEOUT, HeadersHook, logger
from .._limiter import RateLimiter
from .._retry import DEFAULT_RETRY, RetryPolicy
from ..errors import (
    ConfigurationError,
    InvalidRequest,
    KucoinAPIError,
    OrderCancelError,
    RateLimitInfo,
    rate_limit_info,
)
from . import _operations as ops
from ._envelope import STALE_TIMESTAMP
from ._inputs import DCP_CLEAR, check_order_ids, check_symbol, check_symbols, check_timeout_s
from ._keys import KucoinKeys
from ._results import (
    CancelAllResult,
    ClientOrderCancelAccepted,
    DisconnectProtectionArmed,
    DisconnectProtectionSetting,
    KucoinOpenOrder,
    OrderCancelAccepted,
    PartialCancelAccepted,
    SymbolCancelAccepted,
    SyncCancelResult,
)
from ._signing import KucoinAuth, now_ms

if TYPE_CHECKING:  # imported by the methods that build a keeper (threading: not for a cancel)
    from .._keepers import AsyncDisconnectProtectionGuard, DisconnectProtectionGuard

DEFAULT_BASE_URL = "https://api.kucoin.com"
SPOT_QUOTA_BY_VIP = (
    4000,
    6000,
    8000,
    10000,
    13000,
    16000,
    20000,
    23000,
    26000,
    30000,
    33000,
    36000,
    40000,
)
"""The Spot pool's quota per 30 s window, by VIP level 0-12."""


def spot_rate_limiter(vip_level: int = 0) -> RateLimiter:
    """A client-side limiter for KuCoin's Spot pool at `vip_level` (quota per 30 s window).

    Raises:
        ConfigurationError: the VIP level is not 0-12.
    """
    if not 0 <= vip_level < len(SPOT_QUOTA_BY_VIP):
        raise ConfigurationError(f"vip_level must be 0-12, got {vip_level!r}")
    return RateLimiter(SPOT_QUOTA_BY_VIP[vip_level], 30.0)


DEFAULT_MAX_IN_FLIGHT = 10
"""How many cancels `cancel_orders` runs side by side unless told otherwise."""
_MEASURE_ONCE = RetryPolicy(attempts=1)  # a retried measurement would include the backoff


_RESYNC = "KuCoin says the timestamp is stale: syncing the clock, retrying once"


def _check_max_in_flight(max_in_flight: int) -> None:
    if isinstance(max_in_flight, bool) or not isinstance(max_in_flight, int) or max_in_flight < 1:
        raise InvalidRequest(f"max_in_flight must be an int of at least 1, got {max_in_flight!r}")


class _KucoinClientBase(ClientBase[KucoinKeys, TransportT, HttpT]):
    """What the twins share: KuCoin's options, signer, clock offset and readouts."""

    _auth: KucoinAuth
    _keys_type = KucoinKeys

    def __init__(
        self,
        *,
        keys: KucoinKeys | None = None,
        base_url: str = DEFAULT_BASE_URL,
        timeout: httpx.Timeout = DEFAULT_TIMEOUT,
        transport: TransportT | None = None,
        http_client: HttpT | None = None,
        retry: RetryPolicy = DEFAULT_RETRY,
        rate_limiter: RateLimiter | None = None,
        clock: Callable[[], int] = now_ms,
    ) -> None:
        options: dict[str, Any] = {
            "keys": keys,
            "base_url": base_url,
            "timeout": timeout,
            "retry": retry,
            "rate_limiter": rate_limiter,
            "clock": clock,
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
        if options["keys"] is None:
            options["keys"] = KucoinKeys.from_env()
        # The headers of the last answer that carried a `gw-ratelimit-*` header, parsed when
        # `rate_limit` is read (not on every answer): (headers, their values) once parsed.
        self._rate_headers: Mapping[str, str] | None = None
        self._rate_parsed: tuple[Mapping[str, str] | None, RateLimitInfo] = (None, RateLimitInfo())
        super()._setup(options, transport=transport, http_client=http_client, lender=lender)

    def _signer(self) -> KucoinAuth:
        return KucoinAuth(self.keys, self._clock)

    def _generated_client(self) -> Any:
        from ordercancel_kucoin_api.client import (
            Client,  # with the client, not with `import ordercancel`
        )

        ops.preload()  # here, not on the first cancel
        return Client(base_url=self.base_url, timeout=self.timeout)

    def _response_hook(self) -> HeadersHook:
        return self._on_response

    def _recoverable(self, exc: OrderCancelError) -> bool:
        # A stale timestamp: the twin's `_recover` syncs the clock, and the call goes once more.
        return isinstance(exc, KucoinAPIError) and exc.code == STALE_TIMESTAMP

    def with_options(
        self,
        *,
        keys: KucoinKeys | Keep = KEEP,
        base_url: str | Keep = KEEP,
        timeout: httpx.Timeout | Keep = KEEP,
        retry: RetryPolicy | Keep = KEEP,
        rate_limiter: RateLimiter | Keep | None = KEEP,
        clock: Callable[[], int] | Keep = KEEP,
    ) -> Self:
        """A copy of this client with the options given, sending through the same connections.

        Each option left out keeps this client's value: the copy shares the rate limiter
        unless given one (`rate_limiter=None` turns pacing off for the copy), and the clock
        offset measured so far (`sync_time`) unless given a clock. Closing the copy leaves
        this client and its connections open; closing this client closes the copy's
        connections too (see "Copies" in the clients reference).

        Args:
            keys: Another API key (e.g. a sub-account's).
            base_url: Another base URL.
            timeout: Another httpx.Timeout for each attempt.
            retry: Another retry policy.
            rate_limiter: Another limiter, or None for none.
            clock: Another clock (Unix milliseconds).

        Raises:
            ClientClosedError: this client, or the one whose connections it uses, is closed.
            ConfigurationError: a bad base URL, or an option of the wrong type (named in
                the message); nothing was sent.
        """
        copy = self._copy(
            keys=keys,
            base_url=base_url,
            timeout=timeout,
            retry=retry,
            rate_limiter=rate_limiter,
            clock=clock,
        )
        if clock is KEEP:
            copy._auth.offset_ms = self._auth.offset_ms
        return copy

    def _on_response(self, headers: Mapping[str, str]) -> None:
        # Kept, not parsed: one lookup per answer that has them (three for one that has none).
        if (
            "gw-ratelimit-remaining" in headers
            or "gw-ratelimit-limit" in headers
            or "gw-ratelimit-reset" in headers
        ):
            self._rate_headers = headers

    @property
    def rate_limit(self) -> RateLimitInfo:
        """The `gw-ratelimit-*` values of the last answer that carried any of them.

        Each is None when that answer did not carry it or it is not a number; all are None
        before the first such answer.
        """
        headers = self._rate_headers
        parsed = self._rate_parsed
        if parsed[0] is not headers:
            assert headers is not None
            parsed = (headers, rate_limit_info(headers))
            self._rate_parsed = parsed
        return parsed[1]

    @property
    def clock_offset_ms(self) -> int:
        """Milliseconds added to the local clock when signing (set by `sync_time`)."""
        return self._auth.offset_ms

    def _apply_server_time(self, before_ms: int, server_ms: int, after_ms: int) -> int:
        self._auth.offset_ms = server_ms - (before_ms + after_ms) // 2
        return self._auth.offset_ms

    def _guard_settings(
        self,
        timeout_s: int,
        symbols: Iterable[str],
        renew_every_s: float | None,
        clear_on_exit: bool,
    ) -> dict[str, Any]:
        """The checked settings of a Disconnection Protection guard (nothing is sent)."""
        from .._keepers import check_interval

        timeout = check_timeout_s(timeout_s)
        if timeout == DCP_CLEAR:
            raise InvalidRequest("a keeper needs a timeout of 5 to 86400 seconds, not -1 (clear)")
        wanted = check_symbols(symbols)
        every = timeout / 3 if renew_every_s is None else renew_every_s
        return {
            "arm": ops.set_disconnect_protection(timeout, wanted),
            "clear": ops.set_disconnect_protection(DCP_CLEAR, ()),
            "timeout_s": timeout,
            "symbols": wanted,
            "renew_every_s": check_interval(
                every, "renew_every_s", window=timeout, why="a renewal must come before the cancel"
            ),
            "clear_on_exit": clear_on_exit,
            "retry": self.retry,
        }


class KucoinSpotCancelOrder(
    _KucoinClientBase[httpx.BaseTransport, httpx.Client], SyncClient[KucoinKeys]
):
    """Cancel KuCoin Spot (HF) orders, synchronously.

    Args:
        keys: The API key; read from the environment (`KucoinKeys.from_env`) when omitted.
        base_url: Where KuCoin is; default https://api.kucoin.com.
        timeout: An httpx.Timeout bounding every phase; default connect 5 s, read/write/pool
            10 s (with your http_client: its timeout).
        transport: An httpx transport to send through (e.g. for tests or a proxy).
        http_client: Your own httpx.Client; used as it is (never changed,
            never closed), so several clients may share it. Each request carries this
            client's URL and signature; your headers, params, cookies and hooks apply; the
            timeout is yours unless `timeout` is given.
        retry: The retry policy (default: 3 attempts within 30 s; see RetryPolicy).
        rate_limiter: Paces requests by their Spot-pool weight; off by default
            (`spot_rate_limiter(vip_level)` builds one).
        clock: Unix milliseconds for signing; default the system clock.

    Raises:
        ConfigurationError: keys were omitted and the environment does not hold them, or an
            option has the wrong type or value (the message names it).
    """

    def _recover(self) -> None:
        logger.warning(_RESYNC)
        self.sync_time()

    def cancel_order_by_order_id(self, order_id: str, symbol: str) -> OrderCancelAccepted:
        """Cancel the order `order_id` of `symbol` (KuCoin accepts; it does not wait).

        Raises:
            InvalidRequest: a bad id or symbol; nothing was sent.
            KucoinOrderNotCancellable: KuCoin does not know the order or it is done.
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return self._send(ops.cancel_order_by_order_id(order_id, symbol))

    def cancel_order_by_client_oid(self, client_oid: str, symbol: str) -> ClientOrderCancelAccepted:
        """Cancel the order of `symbol` that you tagged `client_oid`.

        Raises:
            InvalidRequest: a bad client oid or symbol; nothing was sent.
            KucoinOrderNotCancellable: KuCoin does not know the order or it is done.
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return self._send(ops.cancel_order_by_client_oid(client_oid, symbol))

    def cancel_partial_order(
        self, order_id: str, symbol: str, cancel_size: str | Decimal | int
    ) -> PartialCancelAccepted:
        """Reduce the order `order_id` by `cancel_size` (base currency).

        `cancel_size` is a str, Decimal or int, positive and finite; it is sent without an
        exponent. A float is rejected: pass `str(x)` or a Decimal.

        Raises:
            InvalidRequest: a bad id, symbol or size; nothing was sent.
            KucoinOrderNotCancellable: KuCoin does not know the order or it is done.
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return self._send(ops.cancel_partial_order(order_id, symbol, cancel_size))

    def cancel_all_orders_by_symbol(self, symbol: str) -> SymbolCancelAccepted:
        """Cancel every open order of `symbol`.

        Raises:
            InvalidRequest: a bad symbol; nothing was sent.
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return self._send(ops.cancel_all_orders_by_symbol(symbol))

    def cancel_all_orders(self) -> CancelAllResult:
        """Cancel every open order of every symbol.

        Raises:
            KucoinCancelAllIncomplete: some symbols failed; `.result` lists both sides.
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return self._send(ops.cancel_all_orders())

    def sync_time(self) -> int:
        """Measure the offset to KuCoin's clock, use it for signing, and return it in ms.

        Raises:
            KucoinAPIError: the server-time endpoint did not answer with success.
            APIConnectionError: no answer came back.
        """
        before = self._clock()
        server = self._transmit(ops.get_server_timestamp(), _MEASURE_ONCE, None)
        return self._apply_server_time(before, server, self._clock())

    def cancel_order_by_order_id_sync(self, order_id: str, symbol: str) -> SyncCancelResult:
        """Cancel the order `order_id` of `symbol` and wait until KuCoin has finished.

        KuCoin's "Cancel Order By OrderId Sync": unlike `cancel_order_by_order_id`, KuCoin
        answers after the cancel has finished (both the sync and the async client have it;
        "sync" is KuCoin's word for the waiting). Returns the order's final state with
        `Decimal` sizes: how much was filled and cancelled.

        Raises:
            InvalidRequest: a bad id or symbol; nothing was sent.
            KucoinOrderStillOpen: KuCoin says the order is still open (not cancelled);
                `.state` holds its sizes.
            KucoinOrderNotCancellable: KuCoin does not know the order or it is done.
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return self._send(ops.cancel_order_by_order_id_sync(order_id, symbol))

    def cancel_order_by_client_oid_sync(self, client_oid: str, symbol: str) -> SyncCancelResult:
        """Cancel the order of `symbol` tagged `client_oid` and wait until KuCoin has finished.

        KuCoin's "Cancel Order By ClientOid Sync": like `cancel_order_by_order_id_sync`, KuCoin
        answers after the cancel has finished (both clients have it). Returns the order's final
        state with `Decimal` sizes; `order_id` is set when KuCoin's answer names it.

        Raises:
            InvalidRequest: a bad client oid or symbol; nothing was sent.
            KucoinOrderStillOpen: KuCoin says the order is still open (not cancelled);
                `.state` holds its sizes.
            KucoinOrderNotCancellable: KuCoin does not know the order or it is done.
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return self._send(ops.cancel_order_by_client_oid_sync(client_oid, symbol))

    def set_disconnect_protection(
        self, timeout_s: int, symbols: Iterable[str] = ()
    ) -> DisconnectProtectionArmed | None:
        """Arm (or renew) Disconnection Protection: KuCoin's dead-man's switch.

        Unless this is called again within `timeout_s` SECONDS (not milliseconds), KuCoin
        cancels every open order of `symbols` (of every symbol when empty). Each call
        overwrites the previous setting, symbols included. `timeout_s` -1 clears it (as
        `clear_disconnect_protection` does). `keep_disconnect_protection` renews it for you.

        Args:
            timeout_s: An int, 5 to 86400 seconds (or -1 to clear).
            symbols: At most 50 symbols such as "BTC-USDT"; empty means every symbol.

        Returns:
            KuCoin's time and when it will cancel (Unix seconds); None after clearing.

        Raises:
            InvalidRequest: a float, bool or out-of-range timeout, or bad or too many
                symbols; nothing was sent.
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return self._send(ops.set_disconnect_protection(timeout_s, symbols))

    def get_disconnect_protection(self) -> DisconnectProtectionSetting | None:
        """The Disconnection Protection KuCoin holds for the account, or None when none is set.

        Raises:
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return self._send(ops.get_disconnect_protection())

    def clear_disconnect_protection(self) -> None:
        """Clear Disconnection Protection (KuCoin's timeout -1): nothing will be cancelled.

        Raises:
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        self._send(ops.set_disconnect_protection(DCP_CLEAR, ()))

    def keep_disconnect_protection(
        self,
        timeout_s: int = 30,
        symbols: Iterable[str] = (),
        renew_every_s: float | None = None,
        *,
        clear_on_exit: bool = True,
    ) -> DisconnectProtectionGuard:
        """A guard keeping Disconnection Protection armed while your program runs.

        Use `with kc.keep_disconnect_protection(30) as guard:` on the sync client (renewals
        from a thread) and `async with` on the async one (from a task). Entering arms it and
        raises if KuCoin does not confirm; then it is renewed every `renew_every_s` (default a
        third of the timeout), counted from each renewal's start; a renewal still unanswered
        when the next is due is abandoned (`BeatAbandoned`). Renewals skip the client's rate
        limiter (a renewal waiting behind a bulk cancel would let KuCoin fire). A failed
        renewal is logged (WARNING), counted (`guard.failures`) and kept in
        `guard.last_error`, and renewing goes on; `guard.trigger_time` says when KuCoin will
        cancel unless a renewal succeeds. If a renewal shows that the trigger time had passed
        (KuCoin cancelled the covered orders), an ERROR says so and `guard.fired_at` records
        it. If the
        program dies, KuCoin cancels the covered orders `timeout_s` seconds after the last
        renewal: that is the point. Leaving the block normally clears the protection
        (`clear_on_exit=False` leaves it armed); leaving it with an exception leaves it armed.

        Args:
            timeout_s: Seconds, an int from 5 to 86400.
            symbols: At most 50 symbols; empty means every symbol.
            renew_every_s: Seconds between renewals, above 0 and at most half of `timeout_s`.
            clear_on_exit: Clear the protection when the block ends normally.

        Raises:
            InvalidRequest: a bad setting; nothing was sent.
        """
        from .._keepers import DisconnectProtectionGuard

        return DisconnectProtectionGuard(
            # The guard's set/renew/clear skip the rate limiter: a renewal queued behind a bulk
            # cancel would let KuCoin fire. Its weight is 2 per renewal, one every
            # `renew_every_s`, next to a quota counted per 30 s: negligible.
            send=functools.partial(self._send, paced=False),
            **self._guard_settings(timeout_s, symbols, renew_every_s, clear_on_exit),
        )

    def list_active_symbols(self) -> tuple[str, ...]:
        """The symbols that have open orders (KuCoin's "symbols with open order"), each once.

        Raises:
            KucoinAPIError: any other answer than success (see the error table); a body of
                another shape is KucoinUnexpectedResponse.
            APIConnectionError: no answer came back.
        """
        return self._send(ops.list_active_symbols())

    def list_open_orders(self, symbol: str) -> tuple[KucoinOpenOrder, ...]:
        """Every open order of `symbol` (unpaged), newest update first.

        Raises:
            InvalidRequest: a bad symbol; nothing was sent.
            KucoinAPIError: any other answer than success (see the error table); a body of
                another shape, or an order of another symbol, is KucoinUnexpectedResponse.
            APIConnectionError: no answer came back.
        """
        return self._send(ops.list_open_orders(symbol))

    def cancel_orders(
        self,
        order_ids: Iterable[str],
        symbol: str,
        *,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
    ) -> list[OrderOutcome]:
        """Cancel many orders of `symbol`; one outcome per distinct id, in the order given.

        KuCoin Spot HF has no cancel-by-ids endpoint: each id is a cancel by orderId,
        `max_in_flight` at a time, paced by the rate limiter when one is set. A failure of one
        id never raises and never affects the others: its outcome carries it.

        Raises:
            InvalidRequest: not a collection of ids, empty, any id bad, a bad symbol, or
                max_in_flight below 1; nothing was sent.
        """
        ids, symbol = check_order_ids(order_ids), check_symbol(symbol)
        _check_max_in_flight(max_in_flight)
        return _bulk.each(
            ids, lambda order_id: self.cancel_order_by_order_id(order_id, symbol), max_in_flight
        )


class AsyncKucoinSpotCancelOrder(
    _KucoinClientBase[httpx.AsyncBaseTransport, httpx.AsyncClient], AsyncClient[KucoinKeys]
):
    """Cancel KuCoin Spot (HF) orders, with asyncio.

    Args:
        keys: The API key; read from the environment (`KucoinKeys.from_env`) when omitted.
        base_url: Where KuCoin is; default https://api.kucoin.com.
        timeout: An httpx.Timeout bounding every phase; default connect 5 s, read/write/pool
            10 s (with your http_client: its timeout).
        transport: An httpx async transport to send through (e.g. for tests or a proxy).
        http_client: Your own httpx.AsyncClient; used as it is (never
            changed, never closed), so several clients may share it. Each request carries
            this client's URL and signature; your headers, params, cookies and hooks apply;
            the timeout is yours unless `timeout` is given.
        retry: The retry policy (default: 3 attempts within 30 s; see RetryPolicy).
        rate_limiter: Paces requests by their Spot-pool weight; off by default
            (`spot_rate_limiter(vip_level)` builds one).
        clock: Unix milliseconds for signing; default the system clock.

    Raises:
        ConfigurationError: keys were omitted and the environment does not hold them, or an
            option has the wrong type or value (the message names it).
    """

    async def _recover(self) -> None:
        logger.warning(_RESYNC)
        await self.sync_time()

    async def cancel_order_by_order_id(self, order_id: str, symbol: str) -> OrderCancelAccepted:
        """Cancel the order `order_id` of `symbol` (KuCoin accepts; it does not wait).

        Raises:
            InvalidRequest: a bad id or symbol; nothing was sent.
            KucoinOrderNotCancellable: KuCoin does not know the order or it is done.
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return await self._send(ops.cancel_order_by_order_id(order_id, symbol))

    async def cancel_order_by_client_oid(
        self, client_oid: str, symbol: str
    ) -> ClientOrderCancelAccepted:
        """Cancel the order of `symbol` that you tagged `client_oid`.

        Raises:
            InvalidRequest: a bad client oid or symbol; nothing was sent.
            KucoinOrderNotCancellable: KuCoin does not know the order or it is done.
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return await self._send(ops.cancel_order_by_client_oid(client_oid, symbol))

    async def cancel_partial_order(
        self, order_id: str, symbol: str, cancel_size: str | Decimal | int
    ) -> PartialCancelAccepted:
        """Reduce the order `order_id` by `cancel_size` (base currency).

        `cancel_size` is a str, Decimal or int, positive and finite; it is sent without an
        exponent. A float is rejected: pass `str(x)` or a Decimal.

        Raises:
            InvalidRequest: a bad id, symbol or size; nothing was sent.
            KucoinOrderNotCancellable: KuCoin does not know the order or it is done.
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return await self._send(ops.cancel_partial_order(order_id, symbol, cancel_size))

    async def cancel_all_orders_by_symbol(self, symbol: str) -> SymbolCancelAccepted:
        """Cancel every open order of `symbol`.

        Raises:
            InvalidRequest: a bad symbol; nothing was sent.
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return await self._send(ops.cancel_all_orders_by_symbol(symbol))

    async def cancel_all_orders(self) -> CancelAllResult:
        """Cancel every open order of every symbol.

        Raises:
            KucoinCancelAllIncomplete: some symbols failed; `.result` lists both sides.
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return await self._send(ops.cancel_all_orders())

    async def sync_time(self) -> int:
        """Measure the offset to KuCoin's clock, use it for signing, and return it in ms.

        Raises:
            KucoinAPIError: the server-time endpoint did not answer with success.
            APIConnectionError: no answer came back.
        """
        before = self._clock()
        server = await self._transmit(ops.get_server_timestamp(), _MEASURE_ONCE, None)
        return self._apply_server_time(before, server, self._clock())

    async def cancel_order_by_order_id_sync(self, order_id: str, symbol: str) -> SyncCancelResult:
        """Cancel the order `order_id` of `symbol` and wait until KuCoin has finished.

        KuCoin's "Cancel Order By OrderId Sync": unlike `cancel_order_by_order_id`, KuCoin
        answers after the cancel has finished (both the sync and the async client have it;
        "sync" is KuCoin's word for the waiting). Returns the order's final state with
        `Decimal` sizes: how much was filled and cancelled.

        Raises:
            InvalidRequest: a bad id or symbol; nothing was sent.
            KucoinOrderStillOpen: KuCoin says the order is still open (not cancelled);
                `.state` holds its sizes.
            KucoinOrderNotCancellable: KuCoin does not know the order or it is done.
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return await self._send(ops.cancel_order_by_order_id_sync(order_id, symbol))

    async def cancel_order_by_client_oid_sync(
        self, client_oid: str, symbol: str
    ) -> SyncCancelResult:
        """Cancel the order of `symbol` tagged `client_oid` and wait until KuCoin has finished.

        KuCoin's "Cancel Order By ClientOid Sync": like `cancel_order_by_order_id_sync`, KuCoin
        answers after the cancel has finished (both clients have it). Returns the order's final
        state with `Decimal` sizes; `order_id` is set when KuCoin's answer names it.

        Raises:
            InvalidRequest: a bad client oid or symbol; nothing was sent.
            KucoinOrderStillOpen: KuCoin says the order is still open (not cancelled);
                `.state` holds its sizes.
            KucoinOrderNotCancellable: KuCoin does not know the order or it is done.
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return await self._send(ops.cancel_order_by_client_oid_sync(client_oid, symbol))

    async def set_disconnect_protection(
        self, timeout_s: int, symbols: Iterable[str] = ()
    ) -> DisconnectProtectionArmed | None:
        """Arm (or renew) Disconnection Protection: KuCoin's dead-man's switch.

        Unless this is called again within `timeout_s` SECONDS (not milliseconds), KuCoin
        cancels every open order of `symbols` (of every symbol when empty). Each call
        overwrites the previous setting, symbols included. `timeout_s` -1 clears it (as
        `clear_disconnect_protection` does). `keep_disconnect_protection` renews it for you.

        Args:
            timeout_s: An int, 5 to 86400 seconds (or -1 to clear).
            symbols: At most 50 symbols such as "BTC-USDT"; empty means every symbol.

        Returns:
            KuCoin's time and when it will cancel (Unix seconds); None after clearing.

        Raises:
            InvalidRequest: a float, bool or out-of-range timeout, or bad or too many
                symbols; nothing was sent.
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return await self._send(ops.set_disconnect_protection(timeout_s, symbols))

    async def get_disconnect_protection(self) -> DisconnectProtectionSetting | None:
        """The Disconnection Protection KuCoin holds for the account, or None when none is set.

        Raises:
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        return await self._send(ops.get_disconnect_protection())

    async def clear_disconnect_protection(self) -> None:
        """Clear Disconnection Protection (KuCoin's timeout -1): nothing will be cancelled.

        Raises:
            KucoinAPIError: any other answer than success (see the error table).
            APIConnectionError: no answer came back.
        """
        await self._send(ops.set_disconnect_protection(DCP_CLEAR, ()))

    def keep_disconnect_protection(
        self,
        timeout_s: int = 30,
        symbols: Iterable[str] = (),
        renew_every_s: float | None = None,
        *,
        clear_on_exit: bool = True,
    ) -> AsyncDisconnectProtectionGuard:
        """A guard keeping Disconnection Protection armed while your program runs.

        Use `with kc.keep_disconnect_protection(30) as guard:` on the sync client (renewals
        from a thread) and `async with` on the async one (from a task). Entering arms it and
        raises if KuCoin does not confirm; then it is renewed every `renew_every_s` (default a
        third of the timeout), counted from each renewal's start; a renewal still unanswered
        when the next is due is abandoned (`BeatAbandoned`). Renewals skip the client's rate
        limiter (a renewal waiting behind a bulk cancel would let KuCoin fire). A failed
        renewal is logged (WARNING), counted (`guard.failures`) and kept in
        `guard.last_error`, and renewing goes on; `guard.trigger_time` says when KuCoin will
        cancel unless a renewal succeeds. If a renewal shows that the trigger time had passed
        (KuCoin cancelled the covered orders), an ERROR says so and `guard.fired_at` records
        it. If the
        program dies, KuCoin cancels the covered orders `timeout_s` seconds after the last
        renewal: that is the point. Leaving the block normally clears the protection
        (`clear_on_exit=False` leaves it armed); leaving it with an exception leaves it armed.

        Args:
            timeout_s: Seconds, an int from 5 to 86400.
            symbols: At most 50 symbols; empty means every symbol.
            renew_every_s: Seconds between renewals, above 0 and at most half of `timeout_s`.
            clear_on_exit: Clear the protection when the block ends normally.

        Raises:
            InvalidRequest: a bad setting; nothing was sent.
        """
        from .._keepers import AsyncDisconnectProtectionGuard

        return AsyncDisconnectProtectionGuard(
            # The guard's set/renew/clear skip the rate limiter: a renewal queued behind a bulk
            # cancel would let KuCoin fire. Its weight is 2 per renewal, one every
            # `renew_every_s`, next to a quota counted per 30 s: negligible.
            send=functools.partial(self._send, paced=False),
            **self._guard_settings(timeout_s, symbols, renew_every_s, clear_on_exit),
        )

    async def list_active_symbols(self) -> tuple[str, ...]:
        """The symbols that have open orders (KuCoin's "symbols with open order"), each once.

        Raises:
            KucoinAPIError: any other answer than success (see the error table); a body of
                another shape is KucoinUnexpectedResponse.
            APIConnectionError: no answer came back.
        """
        return await self._send(ops.list_active_symbols())

    async def list_open_orders(self, symbol: str) -> tuple[KucoinOpenOrder, ...]:
        """Every open order of `symbol` (unpaged), newest update first.

        Raises:
            InvalidRequest: a bad symbol; nothing was sent.
            KucoinAPIError: any other answer than success (see the error table); a body of
                another shape, or an order of another symbol, is KucoinUnexpectedResponse.
            APIConnectionError: no answer came back.
        """
        return await self._send(ops.list_open_orders(symbol))

    async def cancel_orders(
        self,
        order_ids: Iterable[str],
        symbol: str,
        *,
        max_in_flight: int = DEFAULT_MAX_IN_FLIGHT,
    ) -> list[OrderOutcome]:
        """Cancel many orders of `symbol`; one outcome per distinct id, in the order given.

        KuCoin Spot HF has no cancel-by-ids endpoint: each id is a cancel by orderId,
        `max_in_flight` at a time, paced by the rate limiter when one is set. A failure of one
        id never raises and never affects the others: its outcome carries it.

        Raises:
            InvalidRequest: not a collection of ids, empty, any id bad, a bad symbol, or
                max_in_flight below 1; nothing was sent.
        """
        ids, symbol = check_order_ids(order_ids), check_symbol(symbol)
        _check_max_in_flight(max_in_flight)
        return await _bulk.each_async(
            ids, lambda order_id: self.cancel_order_by_order_id(order_id, symbol), max_in_flight
        )
