"""KuCoin's own SDK, ccxt and python-kucoin, unchanged, against the served simulated KuCoin.

Each client runs its own cancel calls (by order id, by client oid with spaces and as a UUID,
partial, by symbol, all) and meets the refusals a bot meets at the venue (an unknown order, a
filled one, one already cancelled, a wrong secret). After every call the test checks the order
book, and that the client parsed the answer or raised the exception it raises at the venue.
This is the proof that the simulator accepts what the venue accepts and answers as it answers.

What each client sends, and so what the simulator must accept:

- kucoin-universal-sdk 1.3.2: KC-API-KEY-VERSION 3, Content-Type on every request, the path id
  repeated in the query, the query form-encoded (`clientOid=client+order+id+13`) and signed
  decoded.
- ccxt 4.5.90: KC-API-KEY-VERSION 2 whatever the key, no Content-Type and no body on a DELETE,
  broker (partner) headers.
- python-kucoin 2.2.0: no KC-API-KEY-VERSION and a plaintext passphrase (the retired v1 scheme);
  refused as shipped (the venue's answer is not established), accepted with the two headers a v2
  or v3 key needs.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from decimal import Decimal
from typing import Any
from urllib.parse import quote

import ccxt
import pytest
from kucoin.client import Client as PythonKucoin
from kucoin.exceptions import KucoinAPIException
from kucoin_universal_sdk.api import DefaultClient
from kucoin_universal_sdk.generate.spot.order import (
    CancelAllOrdersBySymbolReqBuilder,
    CancelOrderByClientOidReqBuilder,
    CancelOrderByOrderIdReqBuilder,
    CancelPartialOrderReqBuilder,
)
from kucoin_universal_sdk.model import ClientOptionBuilder, TransportOptionBuilder
from kucoin_universal_sdk.model.common import RestError
from ordercancel import KucoinKeys
from ordercancel.testing import KucoinExchange
from support import kucoin_oracle

SPACED_OID = "client order id 13"  # KuCoin's own example: free text with spaces
UUID_OID = str(uuid.UUID(int=0x5C52E11203AA677F33E493FB0A1B2C3D))
UNKNOWN_ID = "0" * 24

# The SDK reads pydantic's `model_fields` on instances (deprecated since pydantic 2.11): its own
# warning, which it would turn into a RestError under "warnings are errors".
pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning:kucoin_universal_sdk")


# -- the three clients behind one interface --------------------------------------------------------


class Sdk:
    """kucoin-universal-sdk: the official SDK."""

    def __init__(self, base_url: str, keys: KucoinKeys) -> None:
        option = (
            ClientOptionBuilder()
            .set_key(keys.api_key)
            .set_secret(keys.api_secret)
            .set_passphrase(keys.api_passphrase)
            .set_spot_endpoint(base_url)
            .set_transport_option(TransportOptionBuilder().build())
            .build()
        )
        self.api = DefaultClient(option).rest_service().get_spot_service().get_order_api()

    def by_id(self, order_id: str, symbol: str) -> str:
        req = CancelOrderByOrderIdReqBuilder().set_order_id(order_id).set_symbol(symbol).build()
        return self.api.cancel_order_by_order_id(req).order_id

    def by_client_oid(self, client_oid: str, symbol: str) -> str:
        req = CancelOrderByClientOidReqBuilder().set_client_oid(client_oid).set_symbol(symbol)
        return self.api.cancel_order_by_client_oid(req.build()).client_oid

    def partial(self, order_id: str, symbol: str, size: str) -> tuple[str, str]:
        req = CancelPartialOrderReqBuilder().set_order_id(order_id).set_symbol(symbol)
        answer = self.api.cancel_partial_order(req.set_cancel_size(size).build())
        return answer.order_id, answer.cancel_size

    def by_symbol(self, symbol: str) -> Any:
        req = CancelAllOrdersBySymbolReqBuilder().set_symbol(symbol).build()
        return self.api.cancel_all_orders_by_symbol(req).data

    def all(self) -> list[str]:
        return self.api.cancel_all_orders().succeed_symbols

    @staticmethod
    def not_cancellable(exc: BaseException) -> bool:
        # Business errors come under HTTP 200: the SDK raises with KuCoin's envelope.
        return (
            isinstance(exc, RestError)
            and exc.response is not None
            and (exc.response.code, exc.response.message)
            == ("400100", "order_not_exist_or_not_allow_to_cancel")
        )

    @staticmethod
    def unauthenticated(exc: BaseException) -> bool:
        # A non-200 status: the SDK raises with the status and the raw body in its message.
        return isinstance(exc, RestError) and "401" in exc.msg and '"400004"' in exc.msg


class Ccxt:
    """ccxt's kucoin, through its unified methods (and the implicit one for a partial cancel)."""

    def __init__(self, base_url: str, keys: KucoinKeys) -> None:
        self.exchange = ccxt.kucoin(
            {
                "apiKey": keys.api_key,
                "secret": keys.api_secret,
                "password": keys.api_passphrase,
                # What ccxt would learn from the venue on its first call: an HF account that is
                # not unified. The simulator serves the cancel endpoints only.
                "options": {"hf": True, "uta": False},
            }
        )
        self.exchange.urls["api"] = {name: base_url for name in self.exchange.urls["api"]}
        self.exchange.set_markets([_ccxt_market(s) for s in ("BTC-USDT", "ETH-USDT", "XRP-USDT")])

    def by_id(self, order_id: str, symbol: str) -> str:
        return self.exchange.cancel_order(order_id, _unified(symbol))["id"]

    def by_client_oid(self, client_oid: str, symbol: str) -> str:
        order = self.exchange.cancel_order(None, _unified(symbol), {"clientOid": client_oid})
        return order["clientOrderId"]

    def partial(self, order_id: str, symbol: str, size: str) -> tuple[str, str]:
        answer = self.exchange.private_delete_hf_orders_cancel_orderid(
            {"orderId": order_id, "symbol": symbol, "cancelSize": size}
        )
        return answer["data"]["orderId"], answer["data"]["cancelSize"]

    def by_symbol(self, symbol: str) -> Any:
        return self.exchange.cancel_all_orders(_unified(symbol))

    def all(self) -> list[str]:
        (order,) = self.exchange.cancel_all_orders()  # ccxt wraps the whole envelope in one
        return order["info"]["data"]["succeedSymbols"]

    @staticmethod
    def not_cancellable(exc: BaseException) -> bool:
        return isinstance(exc, ccxt.OrderNotFound)

    @staticmethod
    def unauthenticated(exc: BaseException) -> bool:
        return isinstance(exc, ccxt.AuthenticationError)


class PythonKucoinV2V3(PythonKucoin):  # type: ignore[misc]
    """python-kucoin with the two headers a version 2 or 3 key needs (it sends neither)."""

    def __init__(self, base_url: str, keys: KucoinKeys) -> None:
        super().__init__(keys.api_key, keys.api_secret, keys.api_passphrase)
        self.API_URL = base_url
        self.session.headers.update(
            {"KC-API-KEY-VERSION": "2", "KC-API-PASSPHRASE": kucoin_oracle.passphrase_header(keys)}
        )


class PyKucoin:
    """python-kucoin's HF cancel methods."""

    def __init__(self, base_url: str, keys: KucoinKeys) -> None:
        self.client = PythonKucoinV2V3(base_url, keys)

    def by_id(self, order_id: str, symbol: str) -> str:
        return self.client.hf_cancel_order(order_id, symbol)["orderId"]

    def by_client_oid(self, client_oid: str, symbol: str) -> str:
        return self.client.hf_cancel_order_by_client_oid(client_oid, symbol)["clientOid"]

    def partial(self, order_id: str, symbol: str, size: str) -> tuple[str, str]:
        answer = self.client.hf_cancel_specified_quantity_of_order(order_id, symbol, size)
        return answer["orderId"], answer["cancelSize"]

    def by_symbol(self, symbol: str) -> Any:
        return self.client.hf_cancel_orders_by_symbol(symbol)

    def all(self) -> list[str]:
        return self.client.hf_cancel_all_orders()["succeedSymbols"]

    @staticmethod
    def not_cancellable(exc: BaseException) -> bool:
        return isinstance(exc, KucoinAPIException) and exc.code == "400100"

    @staticmethod
    def unauthenticated(exc: BaseException) -> bool:
        return isinstance(exc, KucoinAPIException) and (exc.status_code, exc.code) == (
            401,
            "400004",
        )


def _unified(symbol: str) -> str:
    return symbol.replace("-", "/")


def _ccxt_market(market_id: str) -> dict[str, Any]:
    base, quote = market_id.split("-")
    return {
        "id": market_id,
        "symbol": f"{base}/{quote}",
        "base": base,
        "quote": quote,
        "baseId": base,
        "quoteId": quote,
        "type": "spot",
        "spot": True,
        "active": True,
    }


# python-kucoin 2.2.0 builds the path "hf/orders/client-order{}".format(client_oid), without the
# "/": its cancel by client oid reaches DELETE /api/v1/hf/orders/{orderId} with the order id
# "client-order<oid>", which no order has, and is refused as not cancellable, at the venue as
# here. The order stays open.
WRONG_CLIENT_OID_PATH = {"python-kucoin"}

CLIENTS: dict[str, Callable[[str, KucoinKeys], Any]] = {
    "kucoin-universal-sdk": Sdk,
    "ccxt": Ccxt,
    "python-kucoin": PyKucoin,
}


# -- the book --------------------------------------------------------------------------------------


def book(ex: KucoinExchange) -> dict[str, tuple[str, Decimal]]:
    return {o.order_id: (o.state, o.canceled_size) for o in ex.orders()}


def refused(call: Callable[[], Any], kind: Callable[[BaseException], bool]) -> None:
    with pytest.raises(Exception) as caught:  # noqa: PT011 - each client's own class is checked
        call()
    assert kind(caught.value), repr(caught.value)


@pytest.mark.parametrize("client_name", list(CLIENTS))
def test_every_cancel_call_of_the_client(kucoin_exchange: KucoinExchange, client_name: str):
    ex = kucoin_exchange
    assert ex.base_url is not None
    by_id = ex.add_order("BTC-USDT", "1").order_id
    spaced = ex.add_order("BTC-USDT", "1", client_oid=SPACED_OID).order_id
    uuid_oid = ex.add_order("BTC-USDT", "1", client_oid=UUID_OID).order_id
    partial = ex.add_order("BTC-USDT", "1").order_id
    eth = [ex.add_order("ETH-USDT", "2").order_id for _ in range(2)]
    xrp = ex.add_order("XRP-USDT", "3").order_id
    filled = ex.add_order("BTC-USDT", "1", filled="1").order_id
    expected = book(ex)
    client = CLIENTS[client_name](ex.base_url, ex.keys)

    def gone(order_id: str) -> None:
        expected[order_id] = ("cancelled", ex.order(order_id).size)

    assert client.by_id(by_id, "BTC-USDT") == by_id
    gone(by_id)
    assert book(ex) == expected

    for client_oid, order_id in ((SPACED_OID, spaced), (UUID_OID, uuid_oid)):
        if client_name in WRONG_CLIENT_OID_PATH:
            refused(
                lambda c=client_oid: client.by_client_oid(c, "BTC-USDT"), client.not_cancellable
            )
            wrong_path = "/api/v1/hf/orders/client-order" + quote(client_oid)
            assert ex.received[-1].raw_target.startswith(wrong_path + "?")
        else:
            assert client.by_client_oid(client_oid, "BTC-USDT") == client_oid
            gone(order_id)
        assert book(ex) == expected

    assert client.partial(partial, "BTC-USDT", "0.4") == (partial, "0.4")
    expected[partial] = ("live", Decimal("0.4"))
    assert book(ex) == expected
    assert ex.order(partial).remaining == Decimal("0.6")

    client.by_symbol("ETH-USDT")
    for order_id in eth:
        gone(order_id)
    assert book(ex) == expected

    refused(lambda: client.by_id(UNKNOWN_ID, "BTC-USDT"), client.not_cancellable)
    refused(lambda: client.by_id(filled, "BTC-USDT"), client.not_cancellable)
    refused(lambda: client.by_id(by_id, "BTC-USDT"), client.not_cancellable)  # already
    refused(lambda: client.by_client_oid(SPACED_OID, "BTC-USDT"), client.not_cancellable)
    wrong = KucoinKeys(
        api_key=ex.keys.api_key, api_secret="not-the-secret", api_passphrase=ex.keys.api_passphrase
    )
    refused(lambda: CLIENTS[client_name](ex.base_url, wrong).by_id(xrp, "XRP-USDT"),
            client.unauthenticated)  # fmt: skip
    assert book(ex) == expected

    assert sorted(client.all()) == ["BTC-USDT", "XRP-USDT"]
    for order_id in (xrp, spaced, uuid_oid):
        gone(order_id)
    expected[partial] = ("cancelled", Decimal(1))
    assert book(ex) == expected
    assert {o.state for o in ex.orders()} == {"cancelled", "filled"}


@pytest.mark.parametrize("client_name", list(CLIENTS))
@pytest.mark.parametrize("key_version", ["2", "3"])
def test_either_kind_of_key_works_whatever_version_the_client_sends(
    kucoin_exchange: KucoinExchange, client_name: str, key_version: str
):
    # The SDK always sends KC-API-KEY-VERSION 3, ccxt 2 (python-kucoin as set up here: 2).
    ex = kucoin_exchange
    assert ex.base_url is not None
    keys = ex.add_account(key_version=key_version)
    order_id = ex.add_order("BTC-USDT", "1", account=keys).order_id
    assert CLIENTS[client_name](ex.base_url, keys).by_id(order_id, "BTC-USDT") == order_id
    assert ex.order(order_id).state == "cancelled"


def test_python_kucoin_as_shipped_is_refused(kucoin_exchange: KucoinExchange):
    # It sends no KC-API-KEY-VERSION and its passphrase in plaintext. What the venue answers is
    # not established; the simulator refuses (400001) rather than accept what may fail live.
    ex = kucoin_exchange
    order_id = ex.add_order("BTC-USDT", "1").order_id
    client = PythonKucoin(ex.keys.api_key, ex.keys.api_secret, ex.keys.api_passphrase)
    client.API_URL = ex.base_url
    with pytest.raises(KucoinAPIException) as caught:
        client.hf_cancel_order(order_id, "BTC-USDT")
    assert (caught.value.status_code, caught.value.code) == (401, "400001")
    assert ex.order(order_id).state == "live"
