"""Issue 12, item 8: lifecycle mistakes raise ordercancel's own errors, and send nothing.

A call after the client's `with` block (or `close()`), sync or async, raises `ClientClosedError`;
an async client used by a second `asyncio.run` raises `WrongEventLoopError`. Both say what to do
and are `OrderCancelError`s, never httpx's or asyncio's bare `RuntimeError` (as before the
fix), and every operation of both venues is covered: a closed Kuest client's `cancel_orders`
raises too, rather than reporting each id as failed.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from ordercancel import (
    APITimeoutError,
    ClientClosedError,
    OrderCancelError,
    RateLimiter,
    WrongEventLoopError,
)
from support.user_calls import CALLS, Listener, make_client, seed

TWIN_VENUES = pytest.mark.parametrize("venue", ["kucoin", "kuest"])


@pytest.fixture
def listener() -> Iterator[Listener]:
    port = Listener()
    yield port
    port.close()


@TWIN_VENUES
def test_every_sync_call_after_the_with_block_raises_client_closed(
    listener: Listener, venue: str
) -> None:
    with make_client("sync", venue, listener.url) as client:
        pass
    for call in CALLS[venue]:
        with pytest.raises(ClientClosedError, match="create a new client") as caught:
            getattr(client, call.name)(*call.args, **call.kwargs)
        assert isinstance(caught.value, OrderCancelError)
        assert "nothing was sent" in str(caught.value)
    assert listener.connections() == 0


@pytest.mark.parametrize("mode", ["sync", "async"])
@TWIN_VENUES
def test_a_call_on_a_closed_client_books_no_rate_limit_slot(
    listener: Listener, venue: str, mode: str
) -> None:
    """A mistake that sends nothing must not spend the (possibly shared) limiter's quota."""
    limiter = RateLimiter(1, 60)
    client = make_client(mode, venue, listener.url, rate_limiter=limiter)
    call = CALLS[venue][0]
    if mode == "sync":
        client.close()
        with pytest.raises(ClientClosedError):
            getattr(client, call.name)(*call.args, **call.kwargs)
    else:

        async def closed_call() -> None:
            await client.aclose()
            await getattr(client, call.name)(*call.args, **call.kwargs)

        with pytest.raises(ClientClosedError):
            asyncio.run(closed_call())
    assert limiter.book(1).wait == 0  # the one slot of the minute is still free
    assert listener.connections() == 0


@TWIN_VENUES
def test_a_sync_call_after_close_raises_client_closed(listener: Listener, venue: str) -> None:
    client = make_client("sync", venue, listener.url)
    client.close()
    call = CALLS[venue][0]
    with pytest.raises(ClientClosedError):
        getattr(client, call.name)(*call.args, **call.kwargs)
    assert listener.connections() == 0


@TWIN_VENUES
@pytest.mark.parametrize("closing", ["async with", "aclose"])
@pytest.mark.asyncio
async def test_every_async_call_on_a_closed_client_raises_client_closed(
    listener: Listener, venue: str, closing: str
) -> None:
    if closing == "async with":
        async with make_client("async", venue, listener.url) as client:
            pass
    else:
        client = make_client("async", venue, listener.url)
        await client.aclose()
    for call in CALLS[venue]:
        with pytest.raises(ClientClosedError, match="create a new client"):
            await getattr(client, call.name)(*call.args, **call.kwargs)
    assert listener.connections() == 0


@TWIN_VENUES
def test_a_second_asyncio_run_with_the_same_client_raises_wrong_event_loop(
    listener: Listener, venue: str
) -> None:
    """The default transport: the first run's call times out at a silent port (so the loop
    closes with no connection left open); the second run's calls send nothing."""
    client = make_client("async", venue, listener.url, timeout=httpx.Timeout(0.2))
    first, *others = CALLS[venue]

    async def bot_run(call: Any) -> Any:
        return await getattr(client, call.name)(*call.args, **call.kwargs)

    with pytest.raises(APITimeoutError):
        asyncio.run(bot_run(first))
    assert listener.connections() == 1
    for call in others:
        with pytest.raises(WrongEventLoopError, match="belongs to one event loop") as caught:
            asyncio.run(bot_run(call))
        assert isinstance(caught.value, OrderCancelError)
        assert "has closed" in str(caught.value)
        assert "nothing was sent" in str(caught.value)
    assert listener.connections() == 1
    asyncio.run(client.aclose())


@TWIN_VENUES
def test_the_rule_holds_with_a_transport_and_the_fix_the_message_gives_works(
    request: pytest.FixtureRequest, venue: str
) -> None:
    """With `transport=` (the in-process simulator) too; then a new client per run works."""
    exchange = request.getfixturevalue(f"{venue}_exchange_inprocess")
    seed(exchange, venue)
    options = {"keys": exchange.keys, "transport": exchange.transport()}
    client = make_client("async", venue, exchange.base_url, **options)
    first, second, *_ = CALLS[venue]

    async def bot_run(call: Any) -> Any:
        return await getattr(client, call.name)(*call.args, **call.kwargs)

    asyncio.run(bot_run(first))
    answered = len(exchange.received)
    with pytest.raises(WrongEventLoopError, match="a new one for each loop"):
        asyncio.run(bot_run(second))
    assert len(exchange.received) == answered
    asyncio.run(client.aclose())

    async def as_the_message_says() -> None:
        async with make_client("async", venue, exchange.base_url, **options) as fresh:
            await getattr(fresh, second.name)(*second.args, **second.kwargs)

    asyncio.run(as_the_message_says())
    assert len(exchange.received) == answered + len(second.requests)


def test_another_loop_still_open_is_refused_too(
    kucoin_exchange_inprocess: Any,
) -> None:
    """Two loops alive at once (say, one per thread): the client stays with its first."""
    exchange = kucoin_exchange_inprocess
    seed(exchange, "kucoin")
    client = make_client(
        "async", "kucoin", exchange.base_url, keys=exchange.keys, transport=exchange.transport()
    )
    first, second, *_ = CALLS["kucoin"]
    home = asyncio.new_event_loop()
    try:
        home.run_until_complete(getattr(client, first.name)(*first.args))
        answered = len(exchange.received)
        with pytest.raises(WrongEventLoopError, match="still open"):
            asyncio.run(getattr(client, second.name)(*second.args))
        assert len(exchange.received) == answered
        home.run_until_complete(getattr(client, second.name)(*second.args))  # at home: fine
        home.run_until_complete(client.aclose())
    finally:
        home.close()
