"""The Kuest model against the facts: L2 authentication, cancel answers, rate limit."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from ordercancel import KuestKeys
from ordercancel.testing import KuestExchange


class Clock:
    def __init__(self, now: float = 1_700_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def ex() -> KuestExchange:
    return KuestExchange()


@pytest.fixture
def client(ex: KuestExchange) -> httpx.Client:
    return httpx.Client(base_url=ex.base_url, transport=ex.transport())


def compact(payload: Any) -> bytes:
    return json.dumps(payload, separators=(",", ":")).encode()


def send(
    client: httpx.Client,
    kq_sign: Any,
    keys: KuestKeys,
    path: str,
    payload: Any = None,
    **options: Any,
) -> httpx.Response:
    body = b"" if payload is None else compact(payload)
    headers = kq_sign(keys, "DELETE", path.partition("?")[0], body, **options)
    return client.request("DELETE", path, headers=headers, content=body)


def test_cancel_one(ex, client, kq_sign):
    order = ex.add_order()
    response = send(client, kq_sign, ex.keys, "/order", {"orderId": order.order_id})
    assert response.status_code == 200
    assert response.json() == {"canceled": [order.order_id], "not_canceled": {}}
    assert ex.order(order.order_id).state == "canceled"


def test_cancel_one_accepts_legacy_order_id_field(ex, client, kq_sign):
    order = ex.add_order()
    response = send(client, kq_sign, ex.keys, "/order", {"orderID": order.order_id})
    assert response.status_code == 200
    assert ex.order(order.order_id).state == "canceled"


@pytest.mark.parametrize(("shape", "body"), [("success", b'{"success":true}'), ("empty", b"")])
def test_single_cancel_shape_is_configurable(kq_sign, shape, body):
    ex = KuestExchange(single_cancel_shape=shape)
    c = httpx.Client(base_url=ex.base_url, transport=ex.transport())
    order = ex.add_order()
    response = send(c, kq_sign, ex.keys, "/order", {"orderId": order.order_id})
    assert (response.status_code, response.content) == (200, body)


def test_single_cancel_errors(ex, client, kq_sign):
    other = ex.add_account()
    theirs = ex.add_order(account=other)
    filled = ex.add_order(filled="10")
    cases = [
        ("nope", 404, "Order not found"),
        (theirs.order_id, 403, "Order belongs to another user"),
        (filled.order_id, 409, "Order is already filled or cancelled."),
    ]
    for order_id, status, error in cases:
        response = send(client, kq_sign, ex.keys, "/order", {"orderId": order_id})
        assert (response.status_code, response.json()) == (status, {"error": error})
    assert ex.order(theirs.order_id).state == "live"


def test_empty_order_id_is_not_found(ex, client, kq_sign):
    assert send(client, kq_sign, ex.keys, "/order", {"orderId": ""}).status_code == 404


def test_cancel_twice_is_409(ex, client, kq_sign):
    order = ex.add_order()
    assert send(client, kq_sign, ex.keys, "/order", {"orderId": order.order_id}).status_code == 200
    assert send(client, kq_sign, ex.keys, "/order", {"orderId": order.order_id}).status_code == 409


def test_partially_filled_is_cancellable(ex, client, kq_sign):
    order = ex.add_order(size="10", filled="4")
    assert order.state == "partially_filled"
    assert send(client, kq_sign, ex.keys, "/order", {"orderId": order.order_id}).status_code == 200


@pytest.mark.parametrize("payload", [{}, {"orderId": None}, {"orderId": 5}, ["x"], "x"])
def test_bad_single_payload_is_400(ex, client, kq_sign, payload):
    assert send(client, kq_sign, ex.keys, "/order", payload).status_code == 400


def test_not_json_is_400(ex, client, kq_sign):
    headers = kq_sign(ex.keys, "DELETE", "/order", b"{")
    response = client.request("DELETE", "/order", headers=headers, content=b"{")
    assert response.status_code == 400


def test_bulk_cancel(ex, client, kq_sign):
    a, b = ex.add_order(), ex.add_order()
    done = ex.add_order(filled="10")
    theirs = ex.add_order(account=ex.add_account())
    ids = [a.order_id, "nope", b.order_id, done.order_id, theirs.order_id, a.order_id]
    response = send(client, kq_sign, ex.keys, "/orders", ids)
    assert response.status_code == 200
    assert response.json() == {
        "canceled": [a.order_id, b.order_id],
        "not_canceled": {
            "nope": "Order not found",
            done.order_id: "Order is already filled or cancelled.",
            theirs.order_id: "Order belongs to another user",
        },
    }


def test_bulk_cancel_limits(ex, client, kq_sign):
    assert send(client, kq_sign, ex.keys, "/orders", ["x"] * 3000).status_code == 200
    assert send(client, kq_sign, ex.keys, "/orders", ["x"] * 3001).status_code == 400
    assert send(client, kq_sign, ex.keys, "/orders", {"orderId": "x"}).status_code == 400


def test_cancel_all(ex, client, kq_sign):
    a, b = ex.add_order(), ex.add_order(market="0xother")
    theirs = ex.add_order(account=ex.add_account())
    response = send(client, kq_sign, ex.keys, "/cancel-all")
    assert response.json() == {"canceled": [a.order_id, b.order_id], "not_canceled": {}}
    assert ex.order(theirs.order_id).state == "live"
    assert send(client, kq_sign, ex.keys, "/cancel-all").json() == {
        "canceled": [],
        "not_canceled": {},
    }


def test_cancel_market_orders(ex, client, kq_sign):
    a = ex.add_order(market="0xm1", asset_id="1")
    b = ex.add_order(market="0xm1", asset_id="2")
    c = ex.add_order(market="0xm2", asset_id="1")
    response = send(
        client, kq_sign, ex.keys, "/cancel-market-orders", {"market": "0xm1", "assetId": "2"}
    )
    assert response.json()["canceled"] == [b.order_id]
    response = send(client, kq_sign, ex.keys, "/cancel-market-orders", {"assetId": "1"})
    assert response.json()["canceled"] == [a.order_id, c.order_id]
    assert send(client, kq_sign, ex.keys, "/cancel-market-orders", {}).status_code == 400
    assert send(client, kq_sign, ex.keys, "/cancel-market-orders", {"market": 1}).status_code == 400


def market_book(ex: KuestExchange) -> dict[str, str]:
    """Two markets; m1 has tokens 1 and 2, m2 token 3. Names -> order ids."""
    return {
        "m1/1": ex.add_order(market="0xm1", asset_id="1").order_id,
        "m1/2": ex.add_order(market="0xm1", asset_id="2").order_id,
        "m2/3": ex.add_order(market="0xm2", asset_id="3").order_id,
    }


def cancelled(ex: KuestExchange, book: dict[str, str]) -> set[str]:
    return {name for name, oid in book.items() if ex.order(oid).state == "canceled"}


@pytest.mark.parametrize(
    ("payload", "gone"),
    [
        # Kuest's Python client: both keys, "" for the filter left unset.
        ({"market": "", "asset_id": "1"}, {"m1/1"}),
        ({"market": "0xm1", "asset_id": ""}, {"m1/1", "m1/2"}),
        ({"market": "0xm1", "asset_id": "2"}, {"m1/2"}),
        # Kuest's Rust client: null for the filter left unset.
        ({"market": None, "asset_id": "2"}, {"m1/2"}),
        # Kuest's spec and web app.
        ({"assetId": "3"}, {"m2/3"}),
        # ordercancel: both spellings, the same value.
        ({"market": "0xm1", "assetId": "1", "asset_id": "1"}, {"m1/1"}),
        ({"assetId": "", "asset_id": "2"}, {"m1/2"}),
    ],
)
def test_market_cancel_reads_both_spellings_empty_is_absent(ex, client, kq_sign, payload, gone):
    book = market_book(ex)
    response = send(client, kq_sign, ex.keys, "/cancel-market-orders", payload)
    assert response.status_code == 200
    assert cancelled(ex, book) == gone
    assert set(response.json()["canceled"]) == {book[name] for name in gone}


@pytest.mark.parametrize(
    "payload",
    [
        {"market": "", "asset_id": ""},  # Kuest's Python client called with no filter
        {"market": None, "asset_id": None},
        {"assetId": "1", "asset_id": "2"},  # two different tokens: refused, not guessed
        {"asset_id": 1},
        {"assetId": ["1"]},
        {"market": {"0xm1": 1}},
    ],
)
def test_market_cancel_without_one_clear_filter_is_400(ex, client, kq_sign, payload):
    book = market_book(ex)
    response = send(client, kq_sign, ex.keys, "/cancel-market-orders", payload)
    assert response.status_code == 400
    assert set(response.json()) == {"error"}
    assert cancelled(ex, book) == set()


@pytest.mark.parametrize(
    ("fields", "payload", "gone"),
    [
        (("assetId",), {"market": "0xm1", "asset_id": "1"}, {"m1/1", "m1/2"}),
        (("assetId",), {"market": "0xm1", "assetId": "1"}, {"m1/1"}),
        (("asset_id",), {"market": "0xm1", "assetId": "1"}, {"m1/1", "m1/2"}),
        (("asset_id",), {"market": "0xm1", "asset_id": "1"}, {"m1/1"}),
        ((), {"market": "0xm1", "assetId": "1", "asset_id": "1"}, {"m1/1", "m1/2"}),
    ],
)
def test_a_server_reading_one_spelling_ignores_the_other(kq_sign, fields, payload, gone):
    # What a venue reading only one spelling would do: the other is an unknown field.
    ex = KuestExchange(asset_id_fields=fields)
    client = httpx.Client(base_url=ex.base_url, transport=ex.transport())
    book = market_book(ex)
    assert send(client, kq_sign, ex.keys, "/cancel-market-orders", payload).status_code == 200
    assert cancelled(ex, book) == gone


@pytest.mark.parametrize("fields", [("assetId",), ("asset_id",), ()])
def test_a_token_only_body_the_server_cannot_read_is_refused(kq_sign, fields):
    ex = KuestExchange(asset_id_fields=fields)
    client = httpx.Client(base_url=ex.base_url, transport=ex.transport())
    book = market_book(ex)
    other = "asset_id" if fields == ("assetId",) else "assetId"
    response = send(client, kq_sign, ex.keys, "/cancel-market-orders", {other: "1"})
    assert response.status_code == 400
    assert cancelled(ex, book) == set()


# -- authentication ------------------------------------------------------------------------


def assert_unauthenticated(response: httpx.Response) -> None:
    assert (response.status_code, response.json()) == (401, {"error": "Unauthenticated"})


@pytest.mark.parametrize(
    "header",
    ["KUEST_ADDRESS", "KUEST_API_KEY", "KUEST_PASSPHRASE", "KUEST_TIMESTAMP", "KUEST_SIGNATURE"],
)
def test_missing_header_is_401(ex, client, kq_sign, header):
    order = ex.add_order()
    body = compact({"orderId": order.order_id})
    headers = kq_sign(ex.keys, "DELETE", "/order", body)
    del headers[header]
    assert_unauthenticated(client.request("DELETE", "/order", headers=headers, content=body))
    assert ex.order(order.order_id).state == "live"


def test_bad_signature_is_401(ex, client, kq_sign):
    order = ex.add_order()
    body = compact({"orderId": order.order_id})
    headers = kq_sign(
        ex.keys, "DELETE", "/order", b'{"orderId": "' + order.order_id.encode() + b'"}'
    )
    assert_unauthenticated(client.request("DELETE", "/order", headers=headers, content=body))
    assert ex.order(order.order_id).state == "live"


def test_signature_without_padding_or_in_standard_alphabet_is_401(ex, client, kq_sign):
    headers = kq_sign(ex.keys, "DELETE", "/cancel-all")
    good = headers["KUEST_SIGNATURE"]
    assert good.endswith("=")
    for bad in (good.rstrip("="), good.replace("-", "+").replace("_", "/") + "x"):
        assert_unauthenticated(
            client.delete("/cancel-all", headers={**headers, "KUEST_SIGNATURE": bad})
        )
    assert client.delete("/cancel-all", headers=headers).status_code == 200


def test_signature_excludes_the_query(ex, client, kq_sign):
    assert send(client, kq_sign, ex.keys, "/cancel-all?x=1").status_code == 200
    headers = kq_sign(ex.keys, "DELETE", "/cancel-all?x=1")
    assert_unauthenticated(client.delete("/cancel-all?x=1", headers=headers))


def test_signature_with_raw_secret_is_401(ex, client, kq_sign):
    raw = KuestKeys(
        address=ex.keys.address,
        api_key=ex.keys.api_key,
        api_secret="AAAA" + ex.keys.api_secret,
        api_passphrase=ex.keys.api_passphrase,
    )
    assert_unauthenticated(send(client, kq_sign, raw, "/cancel-all"))


def test_secret_in_either_alphabet_is_the_same_key(ex, client, kq_sign):
    standard = ex.keys.api_secret.replace("-", "+").replace("_", "/").rstrip("=")
    keys = KuestKeys(
        address=ex.keys.address.upper().replace("0X", "0x"),
        api_key=ex.keys.api_key,
        api_secret=standard,
        api_passphrase=ex.keys.api_passphrase,
    )
    assert send(client, kq_sign, keys, "/cancel-all").status_code == 200


@pytest.mark.parametrize("field", ["address", "api_key", "api_passphrase"])
def test_wrong_credential_is_401(ex, client, kq_sign, field):
    values = {
        "address": ex.keys.address,
        "api_key": ex.keys.api_key,
        "api_secret": ex.keys.api_secret,
        "api_passphrase": ex.keys.api_passphrase,
    }
    values[field] = "0xdeadbeef"
    assert_unauthenticated(send(client, kq_sign, KuestKeys(**values), "/cancel-all"))


def test_other_accounts_secret_is_401(ex, client, kq_sign):
    other = ex.add_account()
    mixed = KuestKeys(
        address=ex.keys.address,
        api_key=ex.keys.api_key,
        api_secret=other.api_secret,
        api_passphrase=ex.keys.api_passphrase,
    )
    assert_unauthenticated(send(client, kq_sign, mixed, "/cancel-all"))


def test_timestamp_in_milliseconds_breaks_nothing_unless_a_window_is_set(kq_sign):
    clock = Clock()
    ex = KuestExchange(clock=clock, max_clock_skew_s=30)
    c = httpx.Client(base_url=ex.base_url, transport=ex.transport())
    now = int(clock.now)
    assert send(c, kq_sign, ex.keys, "/cancel-all", timestamp_s=now).status_code == 200
    assert_unauthenticated(send(c, kq_sign, ex.keys, "/cancel-all", timestamp_s=now * 1000))
    assert_unauthenticated(send(c, kq_sign, ex.keys, "/cancel-all", timestamp_s=now - 31))
    ex.clock_skew_s = -31
    assert send(c, kq_sign, ex.keys, "/cancel-all", timestamp_s=now - 31).status_code == 200
    default = KuestExchange(clock=clock)
    d = httpx.Client(base_url=default.base_url, transport=default.transport())
    assert send(d, kq_sign, default.keys, "/cancel-all", timestamp_s=now - 3600).status_code == 200


def test_non_numeric_timestamp_is_401(ex, client, kq_sign):
    headers = kq_sign(ex.keys, "DELETE", "/cancel-all")
    headers["KUEST_TIMESTAMP"] = "now"
    assert_unauthenticated(client.delete("/cancel-all", headers=headers))


def test_unknown_route_and_method(ex, client, kq_sign):
    assert send(client, kq_sign, ex.keys, "/nope").status_code == 404
    headers = kq_sign(ex.keys, "GET", "/order")
    assert client.get("/order", headers=headers).status_code == 405


# -- rate limit ------------------------------------------------------------------------------


def test_rate_limit_with_retry_after(kq_sign):
    clock = Clock()
    ex = KuestExchange(clock=clock, rate_limit=3, rate_window_s=60)
    c = httpx.Client(base_url=ex.base_url, transport=ex.transport())
    for _ in range(3):
        assert send(c, kq_sign, ex.keys, "/cancel-all").status_code == 200
    clock.now += 20.5
    response = send(c, kq_sign, ex.keys, "/cancel-all")
    assert (response.status_code, response.json()) == (429, {"error": "Too Many Requests"})
    assert response.headers["Retry-After"] == "40"
    other = ex.add_account()
    assert send(c, kq_sign, other, "/cancel-all").status_code == 200  # per user
    clock.now += 40
    assert send(c, kq_sign, ex.keys, "/cancel-all").status_code == 200
    assert ex.rate_limit().remaining == 2


def test_default_rate_limit_is_100_per_minute(ex, client, kq_sign):
    for _ in range(100):
        assert send(client, kq_sign, ex.keys, "/cancel-all").status_code == 200
    response = send(client, kq_sign, ex.keys, "/cancel-all")
    assert response.status_code == 429
    assert 1 <= int(response.headers["Retry-After"]) <= 60


def test_unauthenticated_requests_cost_nothing(ex, client):
    client.delete("/cancel-all")
    assert ex.rate_limit().remaining == 100


def test_received_log(ex, client, kq_sign):
    send(client, kq_sign, ex.keys, "/order", {"orderId": "x"})
    (entry,) = ex.received
    assert (entry.method, entry.raw_target, entry.status, entry.error) == (
        "DELETE",
        "/order",
        404,
        "Order not found",
    )


def test_add_order_checks(ex):
    with pytest.raises(ValueError, match="size"):
        ex.add_order(size="0")
    order = ex.add_order(order_id="0xabc")
    with pytest.raises(ValueError, match="exists"):
        ex.add_order(order_id=order.order_id)
    with pytest.raises(KeyError):
        ex.add_order(account="nobody")
    assert ex.fill(order.order_id, "4").state == "partially_filled"
    assert ex.fill(order.order_id).state == "matched"
    with pytest.raises(ValueError, match="open"):
        ex.fill(order.order_id)
    assert ex.orders(state="matched") == [ex.order("0xabc")]
