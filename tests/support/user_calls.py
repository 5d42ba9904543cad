"""What a bot author's tests share here: every operation of each venue, and a port to escape to.

`CALLS[venue]` is every public operation of the venue with the requests it must make;
`run_every_call_sync`/`_async` run them all and check each call's requests against what a mock
saw. `Listener` is a port on 127.0.0.1 that counts connections and never answers: the
`base_url` of a test that must not reach the network.
"""

from __future__ import annotations

import base64
import socket
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    KucoinKeys,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
    KuestKeys,
)

# An escaped request waits for an answer that never comes: fail fast, and say so.
QUICK = httpx.Timeout(2.0)


class Listener:
    """A port on 127.0.0.1 that accepts TCP connections, never answers, and counts them."""

    def __init__(self) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self._socket.setblocking(False)
        self.url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self._count = 0

    def connections(self) -> int:
        """How many connections reached the port so far (the kernel completes them for us)."""
        while True:
            try:
                connection, _ = self._socket.accept()
            except BlockingIOError:
                return self._count
            connection.close()
            self._count += 1

    def close(self) -> None:
        self._socket.close()


# ---------------------------------------------------------------------------------------------
# Every operation of each venue: the call, and the requests it must make (method, path).
# ---------------------------------------------------------------------------------------------

ORDER_ID = "671124f9365ccb00073debd4"
PARTIAL_ID = "6711f73c1ef16c000717bb31"
CLIENT_OID = "bot-7"
KUEST_IDS = ["0x" + c * 64 for c in "abcde"]
MARKET = "0x5f65177b394277fd294cd75650044e32ba009a95022d88a0c1d565897d72f8f1"


@dataclass(frozen=True)
class Call:
    name: str
    args: tuple[Any, ...] = ()
    kwargs: dict[str, Any] = field(default_factory=dict)
    requests: tuple[tuple[str, str], ...] = ()


KUCOIN_CALLS = [
    Call(
        "cancel_order_by_order_id",
        (ORDER_ID, "BTC-USDT"),
        requests=(("DELETE", f"/api/v1/hf/orders/{ORDER_ID}"),),
    ),
    Call(
        "cancel_order_by_client_oid",
        (CLIENT_OID, "BTC-USDT"),
        requests=(("DELETE", f"/api/v1/hf/orders/client-order/{CLIENT_OID}"),),
    ),
    Call(
        "cancel_partial_order",
        (PARTIAL_ID, "BTC-USDT", "0.5"),
        requests=(("DELETE", f"/api/v1/hf/orders/cancel/{PARTIAL_ID}"),),
    ),
    Call("cancel_all_orders_by_symbol", ("ETH-USDT",), requests=(("DELETE", "/api/v1/hf/orders"),)),
    Call("cancel_all_orders", requests=(("DELETE", "/api/v1/hf/orders/cancelAll"),)),
    Call("sync_time", requests=(("GET", "/api/v1/timestamp"),)),
]

KUEST_CALLS = [
    Call("cancel_order", (KUEST_IDS[0],), requests=(("DELETE", "/order"),)),
    Call("cancel_orders", (KUEST_IDS[1:3],), requests=(("DELETE", "/order"),) * 2),
    Call("cancel_orders", (KUEST_IDS[3:5],), {"batch": True}, requests=(("DELETE", "/orders"),)),
    Call(
        "cancel_market_orders",
        kwargs={"market": MARKET},
        requests=(("DELETE", "/cancel-market-orders"),),
    ),
    Call("cancel_all", requests=(("DELETE", "/cancel-all"),)),
]

CALLS = {"kucoin": KUCOIN_CALLS, "kuest": KUEST_CALLS}
KUCOIN_KEYS = KucoinKeys(api_key="key", api_secret="secret", api_passphrase="passphrase")
KUEST_KEYS = KuestKeys(
    address="0x" + "1" * 40,
    api_key="key",
    api_secret=base64.urlsafe_b64encode(b"secret").decode(),
    api_passphrase="passphrase",
)


def ok(answer: Any) -> Any:
    """The call's result, or a failure if it is a bulk result with a failed id."""
    if isinstance(answer, list):
        assert [outcome.error for outcome in answer] == [None] * len(answer)
    return answer


def make_client(mode: str, venue: str, base_url: str, **options: Any) -> Any:
    """A venue client of `mode` ("sync" or "async"), with test keys and quick timeouts."""
    classes = {
        ("sync", "kucoin"): (KucoinSpotCancelOrder, KUCOIN_KEYS),
        ("async", "kucoin"): (AsyncKucoinSpotCancelOrder, KUCOIN_KEYS),
        ("sync", "kuest"): (KuestCancelOrder, KUEST_KEYS),
        ("async", "kuest"): (AsyncKuestCancelOrder, KUEST_KEYS),
    }
    cls, keys = classes[(mode, venue)]
    options.setdefault("keys", keys)
    options.setdefault("timeout", QUICK)
    return cls(base_url=base_url, **options)


Seen = Callable[[], list[tuple[str, str]]]


def run_every_call_sync(client: Any, venue: str, seen: Seen) -> None:
    """Each call succeeds, and `seen()` grows by exactly the requests it makes."""
    for call in CALLS[venue]:
        before = len(seen())
        ok(getattr(client, call.name)(*call.args, **call.kwargs))
        assert sorted(seen()[before:]) == sorted(call.requests), call.name


async def run_every_call_async(client: Any, venue: str, seen: Seen) -> None:
    """The same for an async client."""
    for call in CALLS[venue]:
        before = len(seen())
        ok(await getattr(client, call.name)(*call.args, **call.kwargs))
        assert sorted(seen()[before:]) == sorted(call.requests), call.name


def seed(exchange: Any, venue: str) -> None:
    """The orders `CALLS[venue]` cancel, so that each call succeeds."""
    if venue == "kucoin":
        exchange.add_order("BTC-USDT", "1", order_id=ORDER_ID)
        exchange.add_order("BTC-USDT", "1", client_oid=CLIENT_OID)
        exchange.add_order("BTC-USDT", "2", order_id=PARTIAL_ID)
        exchange.add_order("ETH-USDT", "1")
    else:
        for order_id in KUEST_IDS:
            exchange.add_order(order_id=order_id)
        exchange.add_order(market=MARKET)
