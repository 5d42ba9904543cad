"""A retry that cannot be sent (the client closed meanwhile) ends as the attempt before it.

Met as a user meets it: a cancel running in a thread (or a task) against a simulated venue
served on 127.0.0.1, whose first answer is a 503 (the cancel may have landed); while the call
waits to retry, the program closes the client (its own, the one a copy borrows connections
from, or the httpx client the user passed in). The caller must see the 503 (`ServerError`:
sent, may have landed), with the `ClientClosedError` as its context, never "nothing was sent".
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest
import stamina
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    ClientClosedError,
    KucoinSpotCancelOrder,
    RetryPolicy,
    ServerError,
)
from ordercancel.testing import KucoinExchange

# A long first backoff: the close lands while the call waits to retry.
SLOW_RETRY = RetryPolicy(attempts=3, backoff_initial=2.0, backoff_jitter=0.0, total_timeout=20.0)


class _RetryAnnounced(logging.Handler):
    """Set once ordercancel logs that it will retry (the first attempt has failed)."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.seen = threading.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage().startswith("retrying"):
            self.seen.set()


@pytest.fixture
def retrying() -> Iterator[threading.Event]:
    handler = _RetryAnnounced()
    logger = logging.getLogger("ordercancel")
    logger.addHandler(handler)
    with stamina.set_testing(False):  # real retries, with their backoff
        yield handler.seen
    logger.removeHandler(handler)


@pytest.fixture
def kucoin() -> Iterator[KucoinExchange]:
    exchange = KucoinExchange()
    with exchange.serve():
        exchange.faults.server_error(1, status=503)
        yield exchange


def _cancel_in_thread(call: Callable[[], object]) -> tuple[threading.Thread, list[BaseException]]:
    failures: list[BaseException] = []

    def run() -> None:
        try:
            call()
        except BaseException as exc:  # reported to the test
            failures.append(exc)

    thread = threading.Thread(target=run)
    thread.start()
    return thread, failures


def _assert_the_503_with_the_close_as_context(failures: list[BaseException]) -> None:
    assert len(failures) == 1
    error = failures[0]
    assert isinstance(error, ServerError), repr(error)
    assert error.status_code == 503
    assert isinstance(error.__context__, ClientClosedError)


@pytest.mark.parametrize("who", ["client", "copy", "parent of the copy", "your http_client"])
def test_a_retry_after_a_close_raises_the_earlier_attempts_error(
    kucoin: KucoinExchange, retrying: threading.Event, who: str
) -> None:
    order = kucoin.add_order("BTC-USDT")
    yours = httpx.Client()
    settings: dict[str, Any] = {
        "keys": kucoin.keys,
        "base_url": kucoin.base_url,
        "retry": SLOW_RETRY,
    }
    if who == "your http_client":
        client = KucoinSpotCancelOrder(**settings, http_client=yours)
    else:
        client = KucoinSpotCancelOrder(**settings)
    caller = client.with_options() if who in ("copy", "parent of the copy") else client
    closer = {"client": client.close, "copy": caller.close, "your http_client": yours.close}
    close = closer.get(who, client.close)
    thread, failures = _cancel_in_thread(
        lambda: caller.cancel_order_by_order_id(order.order_id, "BTC-USDT")
    )
    assert retrying.wait(10)
    close()
    thread.join()
    _assert_the_503_with_the_close_as_context(failures)
    client.close()
    yours.close()


def test_an_async_retry_after_aclose_raises_the_earlier_attempts_error(
    kucoin: KucoinExchange, retrying: threading.Event
) -> None:
    order = kucoin.add_order("BTC-USDT")

    async def run() -> list[BaseException]:
        client = AsyncKucoinSpotCancelOrder(
            keys=kucoin.keys, base_url=kucoin.base_url, retry=SLOW_RETRY
        )
        copy = client.with_options()
        task = asyncio.create_task(copy.cancel_order_by_order_id(order.order_id, "BTC-USDT"))
        while not retrying.is_set():  # noqa: ASYNC110 - the test waits for the log line
            await asyncio.sleep(0.01)
        await client.aclose()
        try:
            await task
        except Exception as exc:  # reported to the test
            return [exc]
        return []

    _assert_the_503_with_the_close_as_context(asyncio.run(run()))
