"""A faithful local exchange for tests and demos: KuCoin Spot and Kuest, simulated in memory.

Each venue model checks requests as the venue does (signatures, timestamps, headers), keeps an
order book with the venue's states and answers, counts rate limits and can inject faults. Use it
in-process, with no socket, through an httpx transport, or served over real HTTP on 127.0.0.1:

    from ordercancel import KucoinSpotCancelOrder
    from ordercancel.testing import KucoinExchange

    exchange = KucoinExchange()
    order = exchange.add_order("BTC-USDT", "1")
    with KucoinSpotCancelOrder(keys=exchange.keys, transport=exchange.transport()) as kc:
        kc.cancel_order_by_order_id(order.order_id, "BTC-USDT")
    assert exchange.order(order.order_id).state == "cancelled"

    with exchange.serve() as served:             # or the pytest fixture `kucoin_exchange`
        KucoinSpotCancelOrder(keys=exchange.keys, base_url=served.base_url)

Names are loaded on first use, so importing this package (as the pytest plugin does) is cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_names

if TYPE_CHECKING:
    from ._base import SimulatedVenue
    from ._faults import Fault, Faults
    from ._kucoin import KucoinExchange, KucoinOrder, KucoinReceived
    from ._kuest import KuestExchange, KuestOrder, KuestReceived
    from ._ratelimit import WindowState
    from ._served import ServedExchange, serve
    from ._transport import ExchangeTransport

__all__ = [
    "ExchangeTransport",
    "Fault",
    "Faults",
    "KucoinExchange",
    "KucoinOrder",
    "KucoinReceived",
    "KuestExchange",
    "KuestOrder",
    "KuestReceived",
    "ServedExchange",
    "SimulatedVenue",
    "WindowState",
    "serve",
]

_HOME = {
    "ExchangeTransport": "._transport",
    "Fault": "._faults",
    "Faults": "._faults",
    "KucoinExchange": "._kucoin",
    "KucoinOrder": "._kucoin",
    "KucoinReceived": "._kucoin",
    "KuestExchange": "._kuest",
    "KuestOrder": "._kuest",
    "KuestReceived": "._kuest",
    "ServedExchange": "._served",
    "SimulatedVenue": "._base",
    "WindowState": "._ratelimit",
    "serve": "._served",
}


__getattr__ = lazy_names(__name__, _HOME, globals())


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
