"""The KuCoin model against the facts: authentication, order states, envelopes, rate limits."""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx
import pytest
from ordercancel import KucoinKeys
from ordercancel.testing import KucoinExchange

SYM = "BTC-USDT"


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ex() -> KucoinExchange:
    return KucoinExchange()


@pytest.fixture
def client(ex: KucoinExchange) -> httpx.Client:
    return httpx.Client(base_url=ex.base_url, transport=ex.transport())


def send(
    client: httpx.Client,
    kc_sign: Any,
    keys: KucoinKeys,
    raw_target: str,
    *,
    method: str = "DELETE",
    **sign_options: Any,
) -> tuple[httpx.Response, dict[str, Any]]:
    headers = kc_sign(keys, method, raw_target, **sign_options)
    response = client.request(method, raw_target, headers=headers)
    return response, response.json()


# -- authentication ----------------------------------------------------------------------------


def test_valid_request_is_accepted(ex, client, kc_sign):
    order = ex.add_order(SYM, "1")
    response, body = send(
        client, kc_sign, ex.keys, f"/api/v1/hf/orders/{order.order_id}?symbol={SYM}"
    )
    assert response.status_code == 200
    assert body == {"code": "200000", "data": {"orderId": order.order_id}}
    assert ex.order(order.order_id).state == "cancelled"


@pytest.mark.parametrize(
    "header",
    ["KC-API-KEY", "KC-API-SIGN", "KC-API-TIMESTAMP", "KC-API-PASSPHRASE", "KC-API-KEY-VERSION"],
)
def test_missing_header_is_400001(ex, client, kc_sign, header):
    order = ex.add_order(SYM, "1")
    target = f"/api/v1/hf/orders/{order.order_id}?symbol={SYM}"
    headers = kc_sign(ex.keys, "DELETE", target)
    del headers[header]
    response = client.delete(target, headers=headers)
    assert (response.status_code, response.json()["code"]) == (401, "400001")
    assert "data" not in response.json()
    assert ex.order(order.order_id).state == "live"


def test_content_type_must_be_json(ex, client, kc_sign):
    target = f"/api/v1/hf/orders?symbol={SYM}"
    headers = kc_sign(ex.keys, "DELETE", target)
    headers["Content-Type"] = "text/plain"
    response = client.delete(target, headers=headers)
    assert (response.status_code, response.json()["code"]) == (415, "415000")
    headers["Content-Type"] = "application/json; charset=utf-8"
    assert client.delete(target, headers=headers).json()["code"] == "200000"


def test_delete_without_body_or_content_type_is_accepted(ex, client, kc_sign):
    # What ccxt sends: no body, no Content-Type. The venue accepts it.
    order = ex.add_order(SYM, "1")
    target = f"/api/v1/hf/orders/{order.order_id}?symbol={SYM}"
    headers = kc_sign(ex.keys, "DELETE", target)
    del headers["Content-Type"]
    response = client.delete(target, headers=headers)
    assert "content-type" not in response.request.headers
    assert response.json() == {"code": "200000", "data": {"orderId": order.order_id}}
    assert ex.order(order.order_id).state == "cancelled"


@pytest.mark.parametrize(
    ("tamper", "code"),
    [("KC-API-SIGN", "400005"), ("KC-API-PASSPHRASE", "400004"), ("KC-API-KEY", "400003")],
)
def test_authentication_comes_before_the_media_type(ex, client, kc_sign, tamper, code):
    target = f"/api/v1/hf/orders?symbol={SYM}"
    headers = kc_sign(ex.keys, "DELETE", target)
    headers["Content-Type"] = "text/plain"
    headers[tamper] = "d3Jvbmc="
    response = client.delete(target, headers=headers)
    assert (response.status_code, response.json()["code"]) == (401, code)


def test_unknown_key_is_400003(ex, client, kc_sign):
    stranger = KucoinKeys(api_key="nobody", api_secret="s", api_passphrase="p")
    response, body = send(client, kc_sign, stranger, f"/api/v1/hf/orders?symbol={SYM}")
    assert (response.status_code, body["code"]) == (401, "400003")


def test_wrong_passphrase_is_400004(ex, client, kc_sign):
    wrong = KucoinKeys(
        api_key=ex.keys.api_key, api_secret=ex.keys.api_secret, api_passphrase="not-it"
    )
    response, body = send(client, kc_sign, wrong, f"/api/v1/hf/orders?symbol={SYM}")
    assert (response.status_code, body["code"]) == (401, "400004")


def test_plaintext_passphrase_is_400004(ex, client, kc_sign):
    target = f"/api/v1/hf/orders?symbol={SYM}"
    headers = kc_sign(ex.keys, "DELETE", target)
    headers["KC-API-PASSPHRASE"] = ex.keys.api_passphrase  # the retired v1 form
    assert client.delete(target, headers=headers).json()["code"] == "400004"


def test_wrong_secret_is_400004_or_400005(ex, client, kc_sign):
    target = f"/api/v1/hf/orders?symbol={SYM}"
    headers = kc_sign(ex.keys, "DELETE", target)
    other = kc_sign(
        KucoinKeys(api_key=ex.keys.api_key, api_secret="x", api_passphrase="p"), "DELETE", target
    )
    headers["KC-API-SIGN"] = other["KC-API-SIGN"]
    assert client.delete(target, headers=headers).json()["code"] == "400005"


@pytest.mark.parametrize("key_version", ["2", "3"])
@pytest.mark.parametrize("header_version", ["2", "3"])
def test_key_version_2_or_3_is_accepted_with_either_kind_of_key(
    kc_sign, key_version, header_version
):
    # ccxt always sends 2, the official SDKs always 3; both work with either key at the venue.
    ex = KucoinExchange()
    keys = ex.add_account(key_version=key_version)
    order = ex.add_order(SYM, "1", account=keys)
    c = httpx.Client(base_url=ex.base_url, transport=ex.transport())
    target = f"/api/v1/hf/orders/{order.order_id}?symbol={SYM}"
    headers = kc_sign(keys, "DELETE", target)
    headers["KC-API-KEY-VERSION"] = header_version
    assert c.delete(target, headers=headers).json()["code"] == "200000"
    assert ex.order(order.order_id).state == "cancelled"


@pytest.mark.parametrize("header_version", ["1", "4", "v3", "03", "3 3"])
def test_other_key_versions_are_400009(ex, client, kc_sign, header_version):
    order = ex.add_order(SYM, "1")
    target = f"/api/v1/hf/orders/{order.order_id}?symbol={SYM}"
    headers = kc_sign(ex.keys, "DELETE", target)
    headers["KC-API-KEY-VERSION"] = header_version
    response = client.delete(target, headers=headers)
    assert (response.status_code, response.json()["code"]) == (401, "400009")
    assert ex.order(order.order_id).state == "live"


def test_no_key_version_is_400001_like_python_kucoin_as_shipped(ex, client, kc_sign):
    # python-kucoin 2.2.0 sends no KC-API-KEY-VERSION and a plaintext passphrase (the retired v1
    # scheme). The venue's answer is not established: the simulator refuses it, never guesses.
    order = ex.add_order(SYM, "1")
    target = f"/api/v1/hf/orders/{order.order_id}?symbol={SYM}"
    headers = kc_sign(ex.keys, "DELETE", target)
    del headers["KC-API-KEY-VERSION"]
    headers["KC-API-PASSPHRASE"] = ex.keys.api_passphrase
    response = client.delete(target, headers=headers)
    assert (response.status_code, response.json()["code"]) == (401, "400001")
    assert ex.order(order.order_id).state == "live"


def test_v2_key_is_accepted_unless_retired(client, kc_sign):
    ex = KucoinExchange()
    keys = ex.add_account(key_version="2")
    c = httpx.Client(base_url=ex.base_url, transport=ex.transport())
    assert send(c, kc_sign, keys, f"/api/v1/hf/orders?symbol={SYM}")[1]["code"] == "200000"
    ex.reject_v2_keys = True
    response, body = send(c, kc_sign, keys, f"/api/v1/hf/orders?symbol={SYM}")
    assert (response.status_code, body["code"]) == (401, "400008")


@pytest.mark.parametrize(
    ("offset_ms", "code"),
    [(-5001, "400002"), (-5000, "200000"), (4999, "200000"), (5001, "400002")],
)
def test_timestamp_window_is_5_seconds(kc_sign, offset_ms, code):
    clock = Clock()
    ex = KucoinExchange(clock=clock)
    c = httpx.Client(base_url=ex.base_url, transport=ex.transport())
    now_ms = int(clock.now * 1000)
    response, body = send(
        c, kc_sign, ex.keys, f"/api/v1/hf/orders?symbol={SYM}", timestamp_ms=now_ms + offset_ms
    )
    assert body["code"] == code
    assert response.status_code == (401 if code == "400002" else 200)


def test_clock_skew_moves_the_window(ex, client, kc_sign):
    ex.clock_skew_s = 30.0
    target = f"/api/v1/hf/orders?symbol={SYM}"
    assert send(client, kc_sign, ex.keys, target)[1]["code"] == "400002"
    server_ms = client.get("/api/v1/timestamp").json()["data"]
    assert send(client, kc_sign, ex.keys, target, timestamp_ms=server_ms)[1]["code"] == "200000"


def test_non_numeric_timestamp_is_400002(ex, client, kc_sign):
    target = f"/api/v1/hf/orders?symbol={SYM}"
    headers = kc_sign(ex.keys, "DELETE", target)
    headers["KC-API-TIMESTAMP"] = "soon"
    assert client.delete(target, headers=headers).json()["code"] == "400002"


def test_signature_over_the_encoded_target_is_rejected(ex, client, kc_sign):
    order = ex.add_order(SYM, "1", client_oid="client order id 13")
    raw = f"/api/v1/hf/orders/client-order/client%20order%20id%2013?symbol={SYM}"
    response, body = send(client, kc_sign, ex.keys, raw, sign_target=raw)
    assert (response.status_code, body["code"]) == (401, "400005")
    assert ex.order(order.order_id).state == "live"
    response, body = send(client, kc_sign, ex.keys, raw)  # signed decoded: accepted
    assert body == {"code": "200000", "data": {"clientOid": "client order id 13"}}
    assert ex.order(order.order_id).state == "cancelled"


def test_encoded_query_is_signed_decoded(ex, client, kc_sign):
    raw = "/api/v1/hf/orders?symbol=BTC%2DUSDT"
    assert send(client, kc_sign, ex.keys, raw, sign_target=raw)[1]["code"] == "400005"
    assert send(client, kc_sign, ex.keys, raw)[1]["code"] == "200000"


def test_query_is_signed_form_decoded(ex, client, kc_sign):
    # KuCoin's official SDK sends the query with urlencode (a space as "+") and signs the
    # decoded text; it also repeats the path's clientOid in the query.
    oid = "client order id 13"
    order = ex.add_order(SYM, "1", client_oid=oid)
    raw = (
        "/api/v1/hf/orders/client-order/client%20order%20id%2013"
        f"?clientOid=client+order+id+13&symbol={SYM}"
    )
    signed = f"/api/v1/hf/orders/client-order/{oid}?clientOid={oid}&symbol={SYM}"
    response, body = send(client, kc_sign, ex.keys, raw, sign_target=signed)
    assert (response.status_code, body) == (200, {"code": "200000", "data": {"clientOid": oid}})
    assert ex.order(order.order_id).state == "cancelled"


def test_plus_in_the_query_is_a_space_and_percent_2b_a_plus(ex, client, kc_sign):
    raw = f"/api/v1/hf/orders?note=a+b%2Bc&symbol={SYM}"
    assert send(client, kc_sign, ex.keys, raw, sign_target=raw)[1]["code"] == "400005"
    literal = f"/api/v1/hf/orders?note=a+b+c&symbol={SYM}"
    assert send(client, kc_sign, ex.keys, raw, sign_target=literal)[1]["code"] == "400005"
    decoded = f"/api/v1/hf/orders?note=a b+c&symbol={SYM}"
    assert send(client, kc_sign, ex.keys, raw, sign_target=decoded)[1]["code"] == "200000"


def test_plus_in_the_path_stays_a_plus(ex, client, kc_sign):
    order = ex.add_order(SYM, "1", client_oid="a+b")
    raw = f"/api/v1/hf/orders/client-order/a+b?symbol={SYM}"
    spaced = f"/api/v1/hf/orders/client-order/a b?symbol={SYM}"
    assert send(client, kc_sign, ex.keys, raw, sign_target=spaced)[1]["code"] == "400005"
    assert ex.order(order.order_id).state == "live"
    assert send(client, kc_sign, ex.keys, raw)[1]["code"] == "200000"
    assert ex.order(order.order_id).state == "cancelled"


def test_signature_covers_method_and_body(ex, client, kc_sign):
    target = f"/api/v1/hf/orders?symbol={SYM}"
    headers = kc_sign(ex.keys, "DELETE", target)
    response = client.request("DELETE", target, headers=headers, content=b"{}")
    assert response.json()["code"] == "400005"
    headers = kc_sign(ex.keys, "DELETE", target, body="{}")
    response = client.request("DELETE", target, headers=headers, content=b"{}")
    assert response.json()["code"] == "200000"


def test_timestamp_endpoint_is_public(ex, client):
    response = client.get("/api/v1/timestamp")
    assert response.status_code == 200
    body = response.json()
    assert body["code"] == "200000"
    assert isinstance(body["data"], int)
    assert abs(body["data"] - ex.server_time_ms()) < 2000


def test_unknown_url_is_404000(ex, client, kc_sign):
    response, body = send(client, kc_sign, ex.keys, "/api/v1/hf/nope")
    assert (response.status_code, body["code"]) == (404, "404000")
    response, body = send(client, kc_sign, ex.keys, "/api/v1/hf/orders/x?symbol=A-B", method="GET")
    assert response.status_code == 404


# -- order states ----------------------------------------------------------------------------


def cancel_by_id(
    client: httpx.Client, kc_sign: Any, keys: KucoinKeys, order_id: str, symbol: str = SYM
) -> dict[str, Any]:
    return send(client, kc_sign, keys, f"/api/v1/hf/orders/{order_id}?symbol={symbol}")[1]


def test_cancel_twice_is_not_cancellable(ex, client, kc_sign):
    order = ex.add_order(SYM, "1")
    assert cancel_by_id(client, kc_sign, ex.keys, order.order_id)["code"] == "200000"
    assert cancel_by_id(client, kc_sign, ex.keys, order.order_id) == {
        "code": "400100",
        "msg": "order_not_exist_or_not_allow_to_cancel",
    }


def test_cancel_filled_order_is_not_cancellable(ex, client, kc_sign):
    order = ex.add_order(SYM, "1", filled="1")
    assert order.state == "filled"
    assert cancel_by_id(client, kc_sign, ex.keys, order.order_id)["code"] == "400100"


def test_cancel_partially_filled_order(ex, client, kc_sign):
    order = ex.add_order(SYM, "1")
    ex.fill(order.order_id, "0.4")
    assert ex.order(order.order_id).state == "partially_filled"
    assert cancel_by_id(client, kc_sign, ex.keys, order.order_id)["code"] == "200000"
    after = ex.order(order.order_id)
    assert (after.state, after.filled_size, after.canceled_size) == (
        "cancelled",
        Decimal("0.4"),
        Decimal("0.6"),
    )


def test_cancel_unknown_or_wrong_symbol_or_other_account(ex, client, kc_sign):
    other = ex.add_account()
    theirs = ex.add_order(SYM, "1", account=other)
    mine = ex.add_order(SYM, "1")
    assert cancel_by_id(client, kc_sign, ex.keys, "0" * 24)["code"] == "400100"
    assert cancel_by_id(client, kc_sign, ex.keys, mine.order_id, "ETH-USDT")["code"] == "400100"
    body = cancel_by_id(client, kc_sign, ex.keys, theirs.order_id)
    assert body == {"code": "400100", "msg": "order_not_exist_or_not_allow_to_cancel"}
    assert ex.order(theirs.order_id).state == "live"
    assert cancel_by_id(client, kc_sign, other, theirs.order_id)["code"] == "200000"


def test_missing_or_bad_symbol_is_400100(ex, client, kc_sign):
    order = ex.add_order(SYM, "1")
    assert (
        send(client, kc_sign, ex.keys, f"/api/v1/hf/orders/{order.order_id}")[1]["code"] == "400100"
    )
    assert cancel_by_id(client, kc_sign, ex.keys, order.order_id, "btc")["code"] == "400100"


def test_business_error_status_is_configurable(kc_sign):
    ex = KucoinExchange(business_error_status=400)
    c = httpx.Client(base_url=ex.base_url, transport=ex.transport())
    response, body = send(c, kc_sign, ex.keys, f"/api/v1/hf/orders/{'0' * 24}?symbol={SYM}")
    assert (response.status_code, body["code"]) == (400, "400100")


def test_cancel_by_client_oid_is_per_account(ex, client, kc_sign):
    other = ex.add_account()
    mine = ex.add_order(SYM, "1", client_oid="same")
    theirs = ex.add_order(SYM, "1", client_oid="same", account=other)
    raw = f"/api/v1/hf/orders/client-order/same?symbol={SYM}"
    assert send(client, kc_sign, other, raw)[1] == {"code": "200000", "data": {"clientOid": "same"}}
    assert ex.order(theirs.order_id).state == "cancelled"
    assert ex.order(mine.order_id).state == "live"
    assert ex.order_by_client_oid("same").order_id == mine.order_id
    assert send(client, kc_sign, other, raw)[1]["code"] == "400100"


def partial(client, kc_sign, keys, order_id, size):
    return send(
        client, kc_sign, keys, f"/api/v1/hf/orders/cancel/{order_id}?symbol={SYM}&cancelSize={size}"
    )[1]


def test_partial_cancel(ex, client, kc_sign):
    order = ex.add_order(SYM, "1")
    assert partial(client, kc_sign, ex.keys, order.order_id, "0.25") == {
        "code": "200000",
        "data": {"orderId": order.order_id, "cancelSize": "0.25"},
    }
    after = ex.order(order.order_id)
    assert (after.state, after.remaining, after.canceled_size) == (
        "live",
        Decimal("0.75"),
        Decimal("0.25"),
    )
    assert partial(client, kc_sign, ex.keys, order.order_id, "0.75")["code"] == "200000"
    assert ex.order(order.order_id).state == "cancelled"
    assert partial(client, kc_sign, ex.keys, order.order_id, "0.1")["msg"] == (
        "order_not_exist_or_not_allow_to_cancel"
    )


def test_partial_cancel_over_remaining_is_rejected_by_default(ex, client, kc_sign):
    order = ex.add_order(SYM, "1", filled="0.5")
    body = partial(client, kc_sign, ex.keys, order.order_id, "0.6")
    assert body["code"] == "400100"
    assert body["msg"] != "order_not_exist_or_not_allow_to_cancel"
    assert ex.order(order.order_id).remaining == Decimal("0.5")


def test_partial_cancel_over_remaining_can_cap(kc_sign):
    ex = KucoinExchange(partial_cancel_over_remaining="cap")
    c = httpx.Client(base_url=ex.base_url, transport=ex.transport())
    order = ex.add_order(SYM, "1", filled="0.5")
    body = partial(c, kc_sign, ex.keys, order.order_id, "0.6")
    assert body["data"] == {"orderId": order.order_id, "cancelSize": "0.5"}
    assert ex.order(order.order_id).state == "cancelled"


@pytest.mark.parametrize("size", ["0", "-1", "1e-5", "abc", "", "01"])
def test_partial_cancel_bad_size_is_400100(ex, client, kc_sign, size):
    order = ex.add_order(SYM, "1")
    assert partial(client, kc_sign, ex.keys, order.order_id, size)["code"] == "400100"
    assert ex.order(order.order_id).state == "live"


def test_cancel_all_by_symbol(ex, client, kc_sign):
    a = ex.add_order(SYM, "1")
    b = ex.add_order(SYM, "2")
    c = ex.add_order("ETH-USDT", "1")
    other = ex.add_order(SYM, "1", account=ex.add_account())
    assert send(client, kc_sign, ex.keys, f"/api/v1/hf/orders?symbol={SYM}")[1] == {
        "code": "200000",
        "data": "success",
    }
    assert [ex.order(o.order_id).state for o in (a, b, c, other)] == [
        "cancelled",
        "cancelled",
        "live",
        "live",
    ]


def test_suspended_symbol(ex, client, kc_sign):
    ex.add_order(SYM, "1")
    eth = ex.add_order("ETH-USDT", "1")
    ex.suspend_symbol(SYM)
    _, body = send(client, kc_sign, ex.keys, f"/api/v1/hf/orders?symbol={SYM}")
    assert body["code"] == "200002"
    _, body = send(client, kc_sign, ex.keys, "/api/v1/hf/orders/cancelAll")
    assert body == {
        "code": "200000",
        "data": {
            "succeedSymbols": ["ETH-USDT"],
            "failedSymbols": [{"symbol": SYM, "error": "cancel orders suspended for this pair"}],
        },
    }
    assert ex.order(eth.order_id).state == "cancelled"
    assert len(ex.orders(symbol=SYM, state="live")) == 1
    ex.resume_symbol(SYM)
    assert send(client, kc_sign, ex.keys, "/api/v1/hf/orders/cancelAll")[1]["data"] == {
        "succeedSymbols": [SYM],
        "failedSymbols": [],
    }


def test_cancel_all_with_nothing_open(ex, client, kc_sign):
    body = send(client, kc_sign, ex.keys, "/api/v1/hf/orders/cancelAll")[1]
    assert body == {"code": "200000", "data": {"succeedSymbols": [], "failedSymbols": []}}


def test_add_order_checks(ex):
    with pytest.raises(ValueError, match="symbol"):
        ex.add_order("btc", "1")
    with pytest.raises(ValueError, match="size"):
        ex.add_order(SYM, "0")
    ex.add_order(SYM, "1", client_oid="x")
    with pytest.raises(ValueError, match="clientOid"):
        ex.add_order(SYM, "1", client_oid="x")
    order = ex.add_order(SYM, "1")
    assert len(order.order_id) == 24
    assert int(order.order_id, 16) >= 0
    with pytest.raises(KeyError):
        ex.order("nope")


def test_received_log(ex, client, kc_sign):
    send(client, kc_sign, ex.keys, f"/api/v1/hf/orders?symbol={SYM}")
    (entry,) = ex.received
    assert (entry.method, entry.raw_target, entry.status, entry.code) == (
        "DELETE",
        f"/api/v1/hf/orders?symbol={SYM}",
        200,
        "200000",
    )


# -- rate limits -----------------------------------------------------------------------------


def test_rate_limit_headers_on_every_answer(ex, client, kc_sign):
    response, _ = send(client, kc_sign, ex.keys, f"/api/v1/hf/orders?symbol={SYM}")
    assert response.headers["gw-ratelimit-limit"] == "4000"
    assert response.headers["gw-ratelimit-remaining"] == "3998"
    assert 0 < int(response.headers["gw-ratelimit-reset"]) <= 30_000
    response, _ = send(client, kc_sign, ex.keys, f"/api/v1/hf/orders/{'0' * 24}?symbol={SYM}")
    assert response.headers["gw-ratelimit-remaining"] == "3997"
    bad = dict(kc_sign(ex.keys, "DELETE", "/api/v1/hf/orders/cancelAll"), **{"KC-API-SIGN": "x"})
    response = client.delete("/api/v1/hf/orders/cancelAll", headers=bad)
    assert response.headers["gw-ratelimit-remaining"] == "3997"  # a rejected request costs nothing


@pytest.mark.parametrize(
    ("target", "weight"),
    [
        (f"/api/v1/hf/orders/{'0' * 24}?symbol={SYM}", 1),
        (f"/api/v1/hf/orders/client-order/x?symbol={SYM}", 1),
        (f"/api/v1/hf/orders/cancel/{'0' * 24}?symbol={SYM}&cancelSize=1", 2),
        (f"/api/v1/hf/orders?symbol={SYM}", 2),
        ("/api/v1/hf/orders/cancelAll", 30),
    ],
)
def test_endpoint_weights(ex, client, kc_sign, target, weight):
    response, _ = send(client, kc_sign, ex.keys, target)
    assert int(response.headers["gw-ratelimit-remaining"]) == 4000 - weight


def test_timestamp_uses_the_public_pool(ex, client):
    response = client.get("/api/v1/timestamp")
    assert response.headers["gw-ratelimit-remaining"] == str(2000 - 3)
    assert ex.rate_limit().remaining == 4000


def test_spent_pool_is_429000_until_the_window_ends(kc_sign):
    clock = Clock()
    ex = KucoinExchange(spot_quota=31, clock=clock)
    c = httpx.Client(base_url=ex.base_url, transport=ex.transport())
    order = ex.add_order(SYM, "1")

    def now_sign(target):
        return send(c, kc_sign, ex.keys, target, timestamp_ms=int(clock.now * 1000))

    assert now_sign("/api/v1/hf/orders/cancelAll")[1]["code"] == "200000"
    clock.now += 10
    response, body = now_sign(
        f"/api/v1/hf/orders/cancel/{order.order_id}?symbol={SYM}&cancelSize=1"
    )
    assert (response.status_code, body) == (429, {"code": "429000", "msg": "Too Many Requests"})
    assert response.headers["gw-ratelimit-remaining"] == "1"
    assert response.headers["gw-ratelimit-reset"] == "20000"
    response, body = now_sign(f"/api/v1/hf/orders/{'0' * 24}?symbol={SYM}")
    assert body["code"] == "400100"  # weight 1 still fits
    assert now_sign(f"/api/v1/hf/orders/{'0' * 24}?symbol={SYM}")[0].status_code == 429
    clock.now += 20
    response, body = now_sign(f"/api/v1/hf/orders/{'0' * 24}?symbol={SYM}")
    assert body["code"] == "400100"
    assert response.headers["gw-ratelimit-remaining"] == "30"
    assert response.headers["gw-ratelimit-reset"] == "30000"


def test_pools_are_per_account(kc_sign):
    ex = KucoinExchange(spot_quota=30)
    c = httpx.Client(base_url=ex.base_url, transport=ex.transport())
    other = ex.add_account()
    assert send(c, kc_sign, ex.keys, "/api/v1/hf/orders/cancelAll")[1]["code"] == "200000"
    assert send(c, kc_sign, ex.keys, "/api/v1/hf/orders/cancelAll")[0].status_code == 429
    assert send(c, kc_sign, other, "/api/v1/hf/orders/cancelAll")[1]["code"] == "200000"


def test_public_pool_429(kc_sign):
    ex = KucoinExchange(public_quota=5)
    c = httpx.Client(base_url=ex.base_url, transport=ex.transport())
    assert c.get("/api/v1/timestamp").status_code == 200
    response = c.get("/api/v1/timestamp")
    assert (response.status_code, response.json()["code"]) == (429, "429000")


def test_envelopes_are_exact(ex, client, kc_sign):
    response, _ = send(client, kc_sign, ex.keys, f"/api/v1/hf/orders?symbol={SYM}")
    assert response.headers["content-type"] == "application/json"
    assert response.content == b'{"code":"200000","data":"success"}'
    assert json.loads(client.get("/api/v1/timestamp").content).keys() == {"code", "data"}
