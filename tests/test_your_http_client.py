"""An `http_client` you pass in stays yours: never changed, shared safely, its settings applied.

Met as a user meets it: your own httpx client, a simulated venue served on 127.0.0.1, several
ordercancel clients (one per account) on that one httpx client, called from threads. Each
client's cancels are signed with its own keys and go to its own base URL; your client's
base_url, auth and hooks stay as you set them; your headers, params and hooks apply to every
client on it and to their copies (`with_options`); the timeout is your client's unless you give
one; a closed client of yours is a `ClientClosedError` that says so.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator

import httpx
import pytest
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    ClientClosedError,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
)
from ordercancel.testing import KucoinExchange, KuestExchange

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")


@pytest.fixture
def kucoin() -> Iterator[KucoinExchange]:
    exchange = KucoinExchange()
    with exchange.serve():
        yield exchange


def test_two_clients_on_your_http_client_each_cancel_their_own_orders(
    kucoin: KucoinExchange,
) -> None:
    other_keys = kucoin.add_account()
    mine = kucoin.add_order("BTC-USDT")  # account 1 (kucoin.keys)
    theirs = kucoin.add_order("BTC-USDT", account=other_keys)
    with httpx.Client() as yours:
        first = KucoinSpotCancelOrder(keys=kucoin.keys, base_url=kucoin.base_url, http_client=yours)
        second = KucoinSpotCancelOrder(keys=other_keys, base_url=kucoin.base_url, http_client=yours)
        errors: list[BaseException] = []

        def cancel(client: KucoinSpotCancelOrder, order_id: str) -> None:
            try:
                client.cancel_order_by_order_id(order_id, "BTC-USDT")
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [
            threading.Thread(target=cancel, args=(first, mine.order_id)),
            threading.Thread(target=cancel, args=(second, theirs.order_id)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert errors == []
        assert yours.auth is None  # yours, as you made it
        assert yours.base_url == httpx.URL("")
        assert yours.event_hooks["response"] == []
    assert kucoin.order(mine.order_id).state == "cancelled"
    assert kucoin.order(theirs.order_id).state == "cancelled"


def test_two_async_clients_on_your_http_client_each_cancel_their_own_orders(
    kucoin: KucoinExchange,
) -> None:
    other_keys = kucoin.add_account()
    mine = kucoin.add_order("BTC-USDT")
    theirs = kucoin.add_order("BTC-USDT", account=other_keys)

    async def run() -> None:
        async with httpx.AsyncClient() as yours:
            first = AsyncKucoinSpotCancelOrder(
                keys=kucoin.keys, base_url=kucoin.base_url, http_client=yours
            )
            second = AsyncKucoinSpotCancelOrder(
                keys=other_keys, base_url=kucoin.base_url, http_client=yours
            )
            await asyncio.gather(
                first.cancel_order_by_order_id(mine.order_id, "BTC-USDT"),
                second.cancel_order_by_order_id(theirs.order_id, "BTC-USDT"),
            )
            assert yours.auth is None
            assert yours.event_hooks["response"] == []

    asyncio.run(run())
    assert kucoin.order(mine.order_id).state == "cancelled"
    assert kucoin.order(theirs.order_id).state == "cancelled"


def test_each_client_on_your_http_client_goes_to_its_own_base_url() -> None:
    one, two = KuestExchange(), KuestExchange()
    with one.serve(), two.serve(), httpx.Client() as yours:
        order_one, order_two = one.add_order(), two.add_order()
        first = KuestCancelOrder(keys=one.keys, base_url=one.base_url, http_client=yours)
        second = KuestCancelOrder(keys=two.keys, base_url=two.base_url, http_client=yours)
        first.cancel_order(order_one.order_id)
        second.cancel_order(order_two.order_id)
    assert one.order(order_one.order_id).state == two.order(order_two.order_id).state
    assert one.order(order_one.order_id).state in {"cancelled", "canceled"}


def test_your_headers_params_and_hooks_apply_to_the_client_and_its_copy(
    kucoin: KucoinExchange,
) -> None:
    seen: list[httpx.Request] = []
    answered: list[int] = []
    orders = [kucoin.add_order("BTC-USDT") for _ in range(2)]
    with httpx.Client(
        headers={"X-Desk": "rates"},
        params={"tag": "bot7"},
        timeout=httpx.Timeout(3.0),
        event_hooks={
            "request": [seen.append],
            "response": [lambda r: answered.append(r.status_code)],
        },
    ) as yours:
        kc = KucoinSpotCancelOrder(keys=kucoin.keys, base_url=kucoin.base_url, http_client=yours)
        copy = kc.with_options()
        kc.cancel_order_by_order_id(orders[0].order_id, "BTC-USDT")
        copy.cancel_order_by_order_id(orders[1].order_id, "BTC-USDT")
        assert kc.rate_limit.remaining is not None  # our hook still reads every answer
        assert copy.rate_limit.remaining is not None
    assert [r.headers["X-Desk"] for r in seen] == ["rates", "rates"]
    assert [r.url.params["tag"] for r in seen] == ["bot7", "bot7"]
    assert [r.headers["KC-API-KEY"] for r in seen] == [kucoin.keys.api_key] * 2
    assert answered == [200, 200]
    # The timeout is yours, for the client and its copy alike: none was given.
    assert [r.extensions["timeout"]["read"] for r in seen] == [3.0, 3.0]
    assert kc.timeout == httpx.Timeout(3.0)


def test_a_timeout_you_give_wins_over_your_http_clients(kucoin: KucoinExchange) -> None:
    seen: list[httpx.Request] = []
    first, second = kucoin.add_order("BTC-USDT"), kucoin.add_order("BTC-USDT")
    with httpx.Client(timeout=httpx.Timeout(3.0), event_hooks={"request": [seen.append]}) as yours:
        kc = KucoinSpotCancelOrder(
            keys=kucoin.keys,
            base_url=kucoin.base_url,
            http_client=yours,
            timeout=httpx.Timeout(7.0),
        )
        kc.cancel_order_by_order_id(first.order_id, "BTC-USDT")
        kc.with_options(timeout=httpx.Timeout(2.0)).cancel_order_by_order_id(
            second.order_id, "BTC-USDT"
        )
    assert [r.extensions["timeout"]["read"] for r in seen] == [7.0, 2.0]
    assert yours.timeout == httpx.Timeout(3.0)


def test_your_closed_http_client_is_a_client_closed_error_that_says_so(
    kucoin: KucoinExchange,
) -> None:
    order = kucoin.add_order("BTC-USDT")
    yours = httpx.Client()
    kc = KucoinSpotCancelOrder(keys=kucoin.keys, base_url=kucoin.base_url, http_client=yours)
    copy = kc.with_options()
    yours.close()
    for client in (kc, copy):
        with pytest.raises(ClientClosedError, match="http_client you passed in is closed"):
            client.cancel_order_by_order_id(order.order_id, "BTC-USDT")
    with pytest.raises(ClientClosedError, match="http_client you passed in is closed"):
        kc.with_options()
    assert kucoin.order(order.order_id).state == "live"  # nothing was sent
