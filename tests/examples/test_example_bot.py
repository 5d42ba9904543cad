"""Testing your own bot against the simulated venues (the README quotes this file).

`pip install ordercancel` brings the pytest fixtures `kucoin_exchange` and `kuest_exchange`: each
test gets a fresh venue served on 127.0.0.1, with keys it accepts and an order book to inspect.
"""

from ordercancel import KucoinSpotCancelOrder, KuestCancelOrder, OrderNotCancellable
from ordercancel.testing import KucoinExchange, KuestExchange


def cancel_stale(kc: KucoinSpotCancelOrder, stale: list[tuple[str, str]]) -> int:
    """The bot: cancel each (order id, symbol); one filled meanwhile is fine. Returns how many."""
    cancelled = 0
    for order_id, symbol in stale:
        try:
            kc.cancel_order_by_order_id(order_id, symbol)
            cancelled += 1
        except OrderNotCancellable:
            pass
    return cancelled


def test_bot_cancels_stale_kucoin_orders(kucoin_exchange: KucoinExchange) -> None:
    stale = kucoin_exchange.add_order("BTC-USDT", "0.5")
    filled = kucoin_exchange.add_order("ETH-USDT", "2", filled="2")
    fresh = kucoin_exchange.add_order("BTC-USDT", "0.1")

    with KucoinSpotCancelOrder(keys=kucoin_exchange.keys, base_url=kucoin_exchange.base_url) as kc:
        assert cancel_stale(kc, [(stale.order_id, "BTC-USDT"), (filled.order_id, "ETH-USDT")]) == 1

    assert kucoin_exchange.order(stale.order_id).state == "cancelled"
    assert kucoin_exchange.order(filled.order_id).state == "filled"
    assert kucoin_exchange.order(fresh.order_id).state == "live"


def cancel_stale_kuest(kq: KuestCancelOrder, order_ids: list[str]) -> list[str]:
    """The bot: cancel many at once; return the ids that could not be cancelled."""
    return [outcome.order_id for outcome in kq.cancel_orders(order_ids) if not outcome.ok]


def test_bot_cancels_stale_kuest_orders(kuest_exchange: KuestExchange) -> None:
    stale = [kuest_exchange.add_order() for _ in range(3)]
    fresh = kuest_exchange.add_order()
    kuest_exchange.fill(stale[2].order_id)  # filled before the bot got to it

    with KuestCancelOrder(keys=kuest_exchange.keys, base_url=kuest_exchange.base_url) as kq:
        not_cancelled = cancel_stale_kuest(kq, [o.order_id for o in stale])

    assert not_cancelled == [stale[2].order_id]
    states = [kuest_exchange.order(o.order_id).state for o in stale]
    assert states == ["canceled", "canceled", "matched"]
    assert kuest_exchange.order(fresh.order_id).state == "live"
