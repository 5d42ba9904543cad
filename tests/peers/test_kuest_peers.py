"""Kuest's own Python client, unchanged, against the served simulated Kuest.

kuest-py-clob-client runs its own cancel calls (single, bulk, market by market, by token and by
both, all) and meets the refusals a bot meets at the venue (an unknown order, a filled one, one
already cancelled, another account's, a wrong secret). After every call the test checks the
order book and that the client returned the answer or raised `PolyApiException` with the
venue's status, as it does at the venue.

What the client sends, and so what the simulator must accept: `KUEST_ADDRESS` derived from its
private key (the default account's address is that of the publicly known test key
`KuestExchange.TEST_PRIVATE_KEY`), `{"orderID": id}` for a single cancel, and
`{"market": ..., "asset_id": ...}` for a market cancel with "" for the filter left unset.
"""

from __future__ import annotations

import secrets
from typing import Any

import pytest
from eth_account import Account
from ordercancel import KuestKeys
from ordercancel.testing import KuestExchange
from py_clob_client.client import ClobClient
from py_clob_client.clob_types import ApiCreds
from py_clob_client.exceptions import PolyApiException

AMOY = 80002  # a test chain; L2 requests do not use it
M1, M2 = "0x" + "a1" * 32, "0x" + "b2" * 32
T1, T2, T3, T4 = "1111", "2222", "3333", "4444"  # M1 has T1 and T2; M2 has T3 and T4
UNKNOWN = "0x" + "00" * 32
HARDHAT_MNEMONIC = "test test test test test test test test test test test junk"


def clob(ex: KuestExchange, keys: KuestKeys, private_key: str) -> ClobClient:
    """Kuest's client as its README sets it up: host, chain, private key, L2 credentials."""
    assert ex.base_url is not None
    creds = ApiCreds(keys.api_key, keys.api_secret, keys.api_passphrase)
    return ClobClient(ex.base_url, chain_id=AMOY, key=private_key, creds=creds)


def book(ex: KuestExchange) -> dict[str, str]:
    return {o.order_id: o.state for o in ex.orders()}


def refused(call: Any, status: int, error: str) -> None:
    with pytest.raises(PolyApiException) as caught:
        call()
    assert (caught.value.status_code, caught.value.error_msg) == (status, {"error": error})


def test_the_default_keys_belong_to_the_published_test_key():
    # Account #0 of the Hardhat/Anvil development mnemonic: public, never for real funds.
    Account.enable_unaudited_hdwallet_features()
    derived = Account.from_mnemonic(HARDHAT_MNEMONIC, account_path="m/44'/60'/0'/0/0")
    assert "0x" + derived.key.hex().removeprefix("0x") == KuestExchange.TEST_PRIVATE_KEY
    assert derived.address == KuestExchange.TEST_ADDRESS
    assert Account.from_key(KuestExchange.TEST_PRIVATE_KEY).address == KuestExchange().keys.address


def test_every_cancel_call_of_the_client(kuest_exchange: KuestExchange):
    ex = kuest_exchange
    other = ex.add_account()
    single, *bulk = (ex.add_order(M1, T1).order_id for _ in range(3))
    m1 = [ex.add_order(M1, T2).order_id for _ in range(2)]
    t3 = ex.add_order(M2, T3).order_id
    t4 = [ex.add_order(M2, T4).order_id for _ in range(2)]
    survivor = ex.add_order("0x" + "c3" * 32, "5555").order_id
    filled = ex.add_order(M1, T1, filled="10").order_id
    theirs = ex.add_order(M1, T1, account=other).order_id
    expected = book(ex)
    client = clob(ex, ex.keys, KuestExchange.TEST_PRIVATE_KEY)

    def gone(*order_ids: str) -> None:
        expected.update(dict.fromkeys(order_ids, "canceled"))
        assert book(ex) == expected

    assert client.cancel(single) == {"canceled": [single], "not_canceled": {}}
    gone(single)

    answer = client.cancel_orders([*bulk, UNKNOWN])
    assert answer == {"canceled": bulk, "not_canceled": {UNKNOWN: "Order not found"}}
    gone(*bulk)

    # market by market: {"market": M1, "asset_id": ""} - the empty token means no token filter
    assert sorted(client.cancel_market_orders(market=M1)["canceled"]) == sorted(m1)
    gone(*m1)
    # by token: {"market": "", "asset_id": T3} - only that token, not every market
    assert client.cancel_market_orders(asset_id=T3)["canceled"] == [t3]
    gone(t3)
    # by both
    assert sorted(client.cancel_market_orders(market=M2, asset_id=T4)["canceled"]) == sorted(t4)
    gone(*t4)

    refused(lambda: client.cancel(UNKNOWN), 404, "Order not found")
    refused(lambda: client.cancel(filled), 409, "Order is already filled or cancelled.")
    refused(lambda: client.cancel(single), 409, "Order is already filled or cancelled.")
    refused(lambda: client.cancel(theirs), 403, "Order belongs to another user")
    wrong = KuestKeys(ex.keys.address, ex.keys.api_key, "d3Jvbmc=", ex.keys.api_passphrase)
    refused(
        lambda: clob(ex, wrong, KuestExchange.TEST_PRIVATE_KEY).cancel_all(),
        401,
        "Unauthenticated",
    )
    assert book(ex) == expected

    assert client.cancel_all() == {"canceled": [survivor], "not_canceled": {}}
    gone(survivor)
    assert ex.order(theirs).state == "live"
    assert ex.order(filled).state == "matched"


def test_a_client_with_its_own_key_needs_add_account_with_its_address(kuest_exchange):
    ex = kuest_exchange
    own_key = "0x" + secrets.token_hex(32)
    keys = ex.add_account(address=Account.from_key(own_key).address)
    order_id = ex.add_order(M1, T1, account=keys).order_id

    # Its own key with the default account's credentials: the address is not theirs.
    refused(lambda: clob(ex, ex.keys, own_key).cancel(order_id), 401, "Unauthenticated")
    assert clob(ex, keys, own_key).cancel(order_id) == {"canceled": [order_id], "not_canceled": {}}
    assert ex.order(order_id).state == "canceled"
