"""The client every venue builds on: its options, its HTTP client, sending, closing and copies.

A venue's client declares its operations and its auth (`_signer`, `_generated_client`, and the
checks of its own options in `_setup`); `ClientBase` with its twins `SyncClient` and
`AsyncClient` owns the rest, the same for every venue:

- the options every client takes (keys, base_url, timeout, transport or http_client, retry,
  rate_limiter, clock), and `with_options`, which returns a configured copy;
- sending one `Operation` (`_send`): refused once closed, paced by the rate limiter, under the
  retry policy (`_http.send` / `_http.asend`);
- closing: `close()` / `aclose()`, `with` / `async with`. A call after that raises
  `ClientClosedError`; an async client called from another event loop than its first raises
  `WrongEventLoopError`; neither sends anything.

Copies (`with_options`). A copy sends through the same connection pool as the client it was
made from (the same connections and proxies), with its own base URL, timeout, signer (keys and
clock) and response hooks. It shares the rate limiter and the retry policy unless given others,
and the venue's options unless given others. Nothing else is shared: a copy keeps its own
`rate_limit` readout (KuCoin), and a clock offset measured later by one (`sync_time`) is not
the other's.

Who closes the pool: the client that opened it, never a copy. Closing a copy ends that copy
only (its calls raise `ClientClosedError`); the pool and every other client on it go on.
Closing the client that opened the pool closes it, and then every copy's calls raise
`ClientClosedError` too. A copy of a copy shares the first client's pool. `with_options` on a
closed client raises `ClientClosedError`. A pool that came from your `http_client` stays
yours: no client closes it, and none changes it (`_http.Route`): a copy sends through it too.
A copy of a default async client sends on the first client's aiohttp session, by the same
direct path (a mock or a mount still sees each request).
(openai-python's `copy()` shares its httpx client the same way, but there closing any copy
closes it for all.)
"""

from __future__ import annotations

import enum
from collections.abc import Callable
from types import TracebackType
from typing import Any, Generic, Self, TypeVar

import httpx

from ._auth import SigningAuth
from ._compat import transport_for_url
from ._http import (
    DEFAULT_TIMEOUT,
    HeadersHook,
    Route,
    asend,
    async_http_client,
    check_base_url,
    send,
    sync_http_client,
)
from ._limiter import RateLimiter
from ._retry import RetryPolicy
from ._types import Operation
from .errors import ClientClosedError, ConfigurationError, OrderCancelError

T = TypeVar("T")
KeysT = TypeVar("KeysT")
TransportT = TypeVar("TransportT", bound=httpx.BaseTransport | httpx.AsyncBaseTransport)
HttpT = TypeVar("HttpT", bound=httpx.Client | httpx.AsyncClient)


class Keep(enum.Enum):
    """The type of `KEEP`."""

    KEEP = "KEEP"


KEEP = Keep.KEEP
"""`with_options`' default: keep the value the client has."""

_POOL_CLOSED = (
    "the client whose connections this copy (from with_options) uses is closed, so nothing was "
    "sent: close the first client after its copies, or create a new client"
)


def _check_lender_open(lender: httpx.Client | httpx.AsyncClient) -> None:
    if lender.is_closed:
        raise ClientClosedError(_POOL_CLOSED)


def check_timeout(timeout: object) -> httpx.Timeout:
    """`timeout` when it is an httpx.Timeout bounding every phase (connect, read, write, pool).

    Raises:
        ConfigurationError: another type, or a phase without a bound (None): a network call
            always has a timeout.
    """
    if not isinstance(timeout, httpx.Timeout):
        raise ConfigurationError(
            f"timeout must be an httpx.Timeout (e.g. httpx.Timeout(10.0, connect=5.0)), "
            f"got {type(timeout).__name__}"
        )
    unbounded = [k for k, v in timeout.as_dict().items() if v is None]
    if unbounded:
        raise ConfigurationError(
            f"timeout must bound every phase (a network call always has a timeout); "
            f"{', '.join(unbounded)} is None"
        )
    return timeout


def _check_type(name: str, value: object, kind: type | tuple[type, ...], wanted: str) -> None:
    if not isinstance(value, kind):
        raise ConfigurationError(f"{name} must be {wanted}, got {type(value).__name__}")


def _check_connection(
    transport: object, http_client: object, transport_type: type, http_client_type: type
) -> None:
    if transport is not None and http_client is not None:
        raise ConfigurationError(
            "give transport or http_client, not both (a transport of yours goes in your client)"
        )
    if transport is not None:
        wanted = f"an httpx.{transport_type.__qualname__}"
        _check_type("transport", transport, transport_type, wanted)
    if http_client is not None:
        _check_type(
            "http_client",
            http_client,
            http_client_type,
            "an httpx." + http_client_type.__qualname__,
        )


def _your_timeout(timeout: httpx.Timeout) -> httpx.Timeout:
    try:
        return check_timeout(timeout)
    except ConfigurationError:
        raise ConfigurationError(
            "your http_client leaves a phase of its timeout unbounded (a network call always "
            "has a timeout): give it one, or pass timeout=httpx.Timeout(...)"
        ) from None


class LentPool(httpx.BaseTransport):
    """Another client's connections, lent to a copy: closing the copy leaves them open.

    A request goes where the lending client would send it: its transport for the URL (its own
    pool, or a proxy's).
    """

    def __init__(self, lender: httpx.Client) -> None:
        self.lender = lender

    def check_usable(self) -> None:
        """Raise `ClientClosedError` when the lending client is closed."""
        _check_lender_open(self.lender)

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` through the lender's connections."""
        self.check_usable()
        transport = transport_for_url(self.lender, request.url)  # httpx's own choice
        return transport.handle_request(request)  # type: ignore[union-attr]

    def close(self) -> None:
        """Leave the connections open: they are the lender's to close."""


class AsyncLentPool(httpx.AsyncBaseTransport):
    """`LentPool` for the async clients: another async client's connections, lent to a copy."""

    def __init__(self, lender: httpx.AsyncClient) -> None:
        self.lender = lender

    def check_usable(self) -> None:
        """Raise when the lender cannot send from here (closed, or another event loop).

        Raises:
            ClientClosedError: the lending client is closed.
            WrongEventLoopError: the lending client first sent in another event loop.
        """
        _check_lender_open(self.lender)
        check = getattr(self.lender, "check_usable", None)  # ordercancel's own clients have it
        if check is not None:
            check()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        """Send `request` through the lender's connections."""
        self.check_usable()
        transport = transport_for_url(self.lender, request.url)  # httpx's own choice
        return await transport.handle_async_request(request)  # type: ignore[union-attr]

    async def aclose(self) -> None:
        """Leave the connections open: they are the lender's to close."""


class ClientBase(Generic[KeysT, TransportT, HttpT]):
    """Options, signer, generated client and HTTP client: what every venue's client has."""

    _keys_type: type
    _transport_type: type  # the twin's kind of httpx transport and client
    _http_client_type: type
    keys: KeysT
    base_url: str
    timeout: httpx.Timeout
    retry: RetryPolicy
    rate_limiter: RateLimiter | None
    _clock: Callable[[], int]
    _auth: SigningAuth
    _api: Any
    _http: HttpT
    _route: Route
    _lent: LentPool | AsyncLentPool | None
    _lender: HttpT | None
    _owns_http_client: bool
    _timeout_given: bool

    def _setup(
        self,
        options: dict[str, Any],
        *,
        transport: TransportT | None,
        http_client: HttpT | None,
        lender: HttpT | None,
    ) -> None:
        """Build the client from `options`, the constructor's arguments once checked.

        A venue's `_setup` resolves and checks its own options first, then calls this one.
        A copy (`lender` given) sends through the lender's connections. With your
        `http_client`, the timeout is your client's unless `options` holds another than the
        default (`DEFAULT_TIMEOUT`).

        Raises:
            ConfigurationError: an option of the wrong type or value; nothing was sent.
        """
        keys_type = self._keys_type
        _check_type("keys", options["keys"], keys_type, f"a {keys_type.__name__}")
        _check_connection(transport, http_client, self._transport_type, self._http_client_type)
        self.keys = options["keys"]
        self.base_url = check_base_url(options["base_url"])
        self._timeout_given = options["timeout"] is not DEFAULT_TIMEOUT
        timeout = check_timeout(options["timeout"])
        if http_client is not None and not self._timeout_given:
            timeout = _your_timeout(http_client.timeout)  # yours decides, unless you gave one
        self.timeout = timeout
        _check_type("retry", options["retry"], RetryPolicy, "a RetryPolicy")
        self.retry = options["retry"]
        limiter = options["rate_limiter"]
        _check_type("rate_limiter", limiter, (RateLimiter, type(None)), "a RateLimiter or None")
        self.rate_limiter = limiter
        clock = options["clock"]
        if not callable(clock):
            raise ConfigurationError(f"clock must be a function, got {type(clock).__name__}")
        self._clock = options["clock"]
        self._auth = self._signer()
        self._api = self._generated_client()
        self._owns_http_client = http_client is None  # a copy's is ours; its pool is not
        self._lender = lender
        self._http = self._connect(transport, http_client, lender)
        if http_client is None:
            self._route = Route(self._http)
        else:
            self._route = Route(
                http_client,
                yours=True,
                base_url=self.base_url,
                auth=self._auth,
                timeout=self.timeout if self._timeout_given else None,
                on_response=self._response_hook(),
            )

    def _signer(self) -> SigningAuth:
        """The venue's httpx.Auth for `self.keys` and `self._clock`."""
        raise NotImplementedError

    def _generated_client(self) -> Any:
        """The venue's generated `Client` for `self.base_url` and `self.timeout`."""
        raise NotImplementedError

    def _recoverable(self, exc: OrderCancelError) -> bool:
        """Whether a failed call is sent once more after the twin's `_recover` (default: no)."""
        return False

    def _response_hook(self) -> HeadersHook | None:
        """A function every answer is shown to, or None (the default)."""
        return None

    def _venue_options(self) -> dict[str, Any]:
        """The venue's own options as the client has them now (for a copy)."""
        return {}

    def _connect(
        self, transport: TransportT | None, http_client: HttpT | None, lender: HttpT | None
    ) -> HttpT:
        """The HTTP client to send through: yours as it is, or ours."""
        raise NotImplementedError

    def _check_yours_open(self) -> None:
        self._route.check_yours_open()

    def _copy(self, **changes: Any) -> Self:
        """A copy with `changes` (those not `KEEP`) sharing this client's connection pool.

        The copy starts from this client's options as they are now (its public attributes),
        and sends through your `http_client` when this client does.

        Raises:
            ClientClosedError: this client, the one whose pool it uses, or your http_client is
                closed.
            ConfigurationError: an option of the wrong type or value.
        """
        self._check_yours_open()
        if self._http.is_closed:
            raise ClientClosedError(
                "this client is closed, so it has no connections to share: create a new client"
            )
        options: dict[str, Any] = {
            "keys": self.keys,
            "base_url": self.base_url,
            "timeout": self.timeout if self._timeout_given else DEFAULT_TIMEOUT,
            "retry": self.retry,
            "rate_limiter": self.rate_limiter,
            "clock": self._clock,
        }
        options |= self._venue_options()
        options |= {k: v for k, v in changes.items() if v is not KEEP}
        copy = object.__new__(type(self))
        if self._owns_http_client:
            lender = self._http if self._lender is None else self._lender
            _check_lender_open(lender)
            copy._setup(options, transport=None, http_client=None, lender=lender)
        else:
            copy._setup(options, transport=None, http_client=self._http, lender=None)
        return copy

    def __repr__(self) -> str:
        api_key = getattr(self.keys, "api_key", None)
        return f"{type(self).__name__}(base_url={self.base_url!r}, api_key={api_key!r})"


class SyncClient(ClientBase[KeysT, httpx.BaseTransport, httpx.Client]):
    """The sync twin: sends with `_http.send`; `close()` and `with`."""

    _transport_type = httpx.BaseTransport
    _http_client_type = httpx.Client

    def _connect(
        self,
        transport: httpx.BaseTransport | None,
        http_client: httpx.Client | None,
        lender: httpx.Client | None,
    ) -> httpx.Client:
        self._lent = None if lender is None else LentPool(lender)
        if http_client is not None:
            return http_client  # used as it is: never changed (see `_http.Route`)
        http = sync_http_client(
            base_url=self.base_url,
            auth=self._auth,
            timeout=self.timeout,
            transport=transport if self._lent is None else self._lent,
            on_response=self._response_hook(),
        )
        self._api.set_httpx_client(http)
        return http

    def _check_usable(self) -> None:
        """Raise `ClientClosedError`: this client, its pool's lender or your client is closed."""
        if self._owns_http_client:
            self._http.check_usable()  # type: ignore[attr-defined]  # ours: _fast_httpx.Client
        else:
            self._check_yours_open()
        if self._lent is not None:
            self._lent.check_usable()

    def _transmit(
        self, operation: Operation[T], retry: RetryPolicy, limiter: RateLimiter | None
    ) -> T:
        self._check_usable()  # before the limiter: a closed client books no slot
        return send(operation, self._route, retry, limiter)

    def _send(
        self, operation: Operation[T], retry: RetryPolicy | None = None, *, paced: bool = True
    ) -> T:
        """Send `operation` under `retry` (default: the client's), paced unless `paced=False`.

        A failure the venue can recover from (`_recoverable`) is recovered from (`_recover`),
        and the operation sent once more.
        """
        retry = retry or self.retry
        limiter = self.rate_limiter if paced else None
        if limiter is not None:  # a closed client books no slot (sending checks it again)
            self._check_usable()
        try:
            return send(operation, self._route, retry, limiter)
        except OrderCancelError as exc:
            if not self._recoverable(exc):
                raise
            self._recover()
            return self._transmit(operation, retry, limiter)

    def _recover(self) -> None:
        """Make a `_recoverable` failure go away (the venue's; never called by default)."""
        raise NotImplementedError

    def close(self) -> None:
        """Close the HTTP connections (not those of an http_client you passed in).

        Calls made after this raise `ClientClosedError` and send nothing. Closing a copy made
        by `with_options` ends that copy only; closing the client it was made from closes the
        connections of every copy too.
        """
        if self._owns_http_client:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncClient(ClientBase[KeysT, httpx.AsyncBaseTransport, httpx.AsyncClient]):
    """The async twin: sends with `_http.asend`; `aclose()` and `async with`.

    The client belongs to the event loop it first sends in (its connections do).
    """

    _transport_type = httpx.AsyncBaseTransport
    _http_client_type = httpx.AsyncClient

    def _connect(
        self,
        transport: httpx.AsyncBaseTransport | None,
        http_client: httpx.AsyncClient | None,
        lender: httpx.AsyncClient | None,
    ) -> httpx.AsyncClient:
        self._lent = None if lender is None else AsyncLentPool(lender)
        if http_client is not None:
            return http_client  # used as it is: never changed (see `_http.Route`)
        http = async_http_client(
            base_url=self.base_url,
            auth=self._auth,
            timeout=self.timeout,
            transport=transport,
            on_response=self._response_hook(),
            lent=self._lent,
        )
        self._api.set_async_httpx_client(http)
        return http

    def _check_usable(self) -> None:
        """Raise when this client cannot send from here.

        Raises:
            ClientClosedError: it is closed, or the client it shares a pool with is, or your
                http_client is.
            WrongEventLoopError: it (or that client) first sent in another event loop.
        """
        if self._owns_http_client:
            self._http.check_usable()  # type: ignore[attr-defined]  # ours: _fast_httpx.AsyncClient
        else:
            self._check_yours_open()
        if self._lent is not None:
            self._lent.check_usable()

    async def _transmit(
        self, operation: Operation[T], retry: RetryPolicy, limiter: RateLimiter | None
    ) -> T:
        self._check_usable()  # before the limiter: a closed client books no slot
        return await asend(operation, self._route, retry, limiter)

    async def _send(
        self, operation: Operation[T], retry: RetryPolicy | None = None, *, paced: bool = True
    ) -> T:
        """Send `operation` under `retry` (default: the client's), paced unless `paced=False`.

        A failure the venue can recover from (`_recoverable`) is recovered from (`_recover`),
        and the operation sent once more. (One coroutine: `_transmit`'s work is written out.)
        """
        retry = retry or self.retry
        limiter = self.rate_limiter if paced else None
        if limiter is not None:  # a closed client books no slot (sending checks it again)
            self._check_usable()
        try:
            return await asend(operation, self._route, retry, limiter)
        except OrderCancelError as exc:
            if not self._recoverable(exc):
                raise
            await self._recover()
            return await self._transmit(operation, retry, limiter)

    async def _recover(self) -> None:
        """Make a `_recoverable` failure go away (the venue's; never called by default)."""
        raise NotImplementedError

    async def aclose(self) -> None:
        """Close the HTTP connections (not those of an http_client you passed in).

        Calls made after this raise `ClientClosedError` and send nothing. Closing a copy made
        by `with_options` ends that copy only; closing the client it was made from closes the
        connections of every copy too.
        """
        if self._owns_http_client:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
