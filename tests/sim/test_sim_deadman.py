"""The simulated dead-man's switches and sync cancels, against the facts, request by request.

KuCoin (its published file): `POST /api/v1/hf/orders/dead-cancel-all` `{"timeout": s,
"symbols": "A-B,C-D"}` cancels the listed symbols' open orders (all when empty) `timeout`
seconds after the latest set, renewed only by another set; -1 clears; the query answers the
setting. The sync cancels answer the order's final state. Kuest (its clients): heartbeats
chain ids; a wrong id is answered 400 "Invalid Heartbeat ID" with the current id; about 10 s
without a heartbeat cancels every open order. Requests are signed by the tests' own signers.
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

import httpx
import pytest
from ordercancel import KucoinKeys, KuestKeys
from ordercancel.testing import KucoinExchange, KuestExchange

SET = "/api/v1/hf/orders/dead-cancel-all"
QUERY = "/api/v1/hf/orders/dead-cancel-all/query"


class Clock:
    def __init__(self, now: float = 1_800_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


def compact(payload: Any) -> str:
    return json.dumps(payload, separators=(",", ":"))


# --- KuCoin ---------------------------------------------------------------------------------------


@pytest.fixture
def kc() -> KucoinExchange:
    return KucoinExchange(clock=Clock())


def kucoin(
    ex: KucoinExchange, kc_sign: Any, method: str, target: str, payload: Any = None,
    keys: KucoinKeys | None = None,
) -> tuple[int, dict[str, Any]]:  # fmt: skip
    """Send one signed request at the venue's own time; (status, envelope)."""
    body = "" if payload is None else compact(payload)
    headers = kc_sign(keys or ex.keys, method, target, body=body, timestamp_ms=ex.server_time_ms())
    with httpx.Client(base_url=ex.base_url, transport=ex.transport()) as client:
        response = client.request(method, target, headers=headers, content=body.encode())
    return response.status_code, response.json()


def test_set_answers_the_times_in_seconds_and_query_the_setting(kc, kc_sign):
    now = int(kc.server_time())
    status, answer = kucoin(kc, kc_sign, "POST", SET, {"timeout": 30, "symbols": "BTC-USDT"})
    assert (status, answer) == (
        200,
        {"code": "200000", "data": {"currentTime": now, "triggerTime": now + 30}},
    )
    _, queried = kucoin(kc, kc_sign, "GET", QUERY)
    assert queried["data"] == {
        "timeout": 30,
        "symbols": "BTC-USDT",
        "currentTime": now,
        "triggerTime": now + 30,
    }


def test_nothing_set_is_an_empty_data(kc, kc_sign):
    assert kucoin(kc, kc_sign, "GET", QUERY) == (200, {"code": "200000", "data": {}})


def test_it_fires_after_the_timeout_on_the_listed_symbols_only(kc, kc_sign):
    btc = kc.add_order("BTC-USDT", "1")
    eth = kc.add_order("ETH-USDT", "1", filled="0.4")
    xrp = kc.add_order("XRP-USDT", "1")
    other = kc.add_account()
    theirs = kc.add_order("BTC-USDT", "1", account=other)
    kucoin(kc, kc_sign, "POST", SET, {"timeout": 5, "symbols": "BTC-USDT,ETH-USDT"})
    kc.advance(4.9)
    assert {o.state for o in kc.orders()} == {"live", "partially_filled"}
    kc.advance(0.2)
    assert kc.order(btc.order_id).state == "cancelled"
    assert kc.order(eth.order_id).state == "cancelled"
    assert kc.order(eth.order_id).filled_size == Decimal("0.4")
    assert kc.order(xrp.order_id).state == "live"
    assert kc.order(theirs.order_id).state == "live"
    [fired] = kc.dcp.fired
    assert set(fired.cancelled) == {btc.order_id, eth.order_id}
    assert kucoin(kc, kc_sign, "GET", QUERY)[1]["data"] == {}  # a fired switch is spent


def test_empty_symbols_cover_every_symbol(kc, kc_sign):
    orders = [kc.add_order(s, "1") for s in ("BTC-USDT", "ETH-USDT", "KCS-USDT")]
    kucoin(kc, kc_sign, "POST", SET, {"timeout": 5, "symbols": ""})
    kc.advance(5)
    assert [kc.order(o.order_id).state for o in orders] == ["cancelled"] * 3


def test_only_another_set_renews_it(kc, kc_sign):
    order = kc.add_order("BTC-USDT", "1")
    spare = kc.add_order("ETH-USDT", "1")
    kucoin(kc, kc_sign, "POST", SET, {"timeout": 5})
    kc.advance(4)
    kucoin(kc, kc_sign, "POST", SET, {"timeout": 5})  # renewed: fires at 9
    kc.advance(4)
    assert kc.order(order.order_id).state == "live"
    status, _ = kucoin(kc, kc_sign, "DELETE", f"/api/v1/hf/orders/{spare.order_id}?symbol=ETH-USDT")
    assert status == 200  # another request is no renewal
    kc.advance(1)
    assert kc.order(order.order_id).state == "cancelled"


def test_a_set_overwrites_the_symbols(kc, kc_sign):
    btc, eth = kc.add_order("BTC-USDT", "1"), kc.add_order("ETH-USDT", "1")
    kucoin(kc, kc_sign, "POST", SET, {"timeout": 5, "symbols": "BTC-USDT"})
    kucoin(kc, kc_sign, "POST", SET, {"timeout": 5, "symbols": "ETH-USDT"})
    kc.advance(6)
    assert (kc.order(btc.order_id).state, kc.order(eth.order_id).state) == ("live", "cancelled")


def test_minus_one_clears_it(kc, kc_sign):
    order = kc.add_order("BTC-USDT", "1")
    kucoin(kc, kc_sign, "POST", SET, {"timeout": 5})
    assert kucoin(kc, kc_sign, "POST", SET, {"timeout": -1}) == (
        200,
        {"code": "200000", "data": {}},
    )
    kc.advance(60)
    assert kc.order(order.order_id).state == "live"
    assert kc.dcp.setting() is None


@pytest.mark.parametrize(
    "payload",
    [
        {"timeout": 4},
        {"timeout": 86401},
        {"timeout": 0},
        {"timeout": 30.5},
        {"timeout": "30"},
        {"timeout": True},
        {},
        {"timeout": 30, "symbols": ["BTC-USDT"]},
        {"timeout": 30, "symbols": "btc-usdt"},
        {"timeout": 30, "symbols": ",".join(f"C{i}-USDT" for i in range(51))},
        [30],
    ],
    ids=repr,
)
def test_a_bad_body_is_400100_and_arms_nothing(kc, kc_sign, payload):
    status, answer = kucoin(kc, kc_sign, "POST", SET, payload)
    assert (status, answer["code"]) == (200, "400100")
    assert kc.dcp.setting() is None


def test_a_body_that_is_not_json_is_400100(kc, kc_sign):
    headers = kc_sign(kc.keys, "POST", SET, body="timeout=30", timestamp_ms=kc.server_time_ms())
    with httpx.Client(base_url=kc.base_url, transport=kc.transport()) as client:
        answer = client.post(SET, headers=headers, content=b"timeout=30")
    assert answer.json()["code"] == "400100"
    assert kc.dcp.setting() is None


def test_the_body_is_signed(kc, kc_sign):
    body = compact({"timeout": 30})
    headers = kc_sign(kc.keys, "POST", SET, body=body, timestamp_ms=kc.server_time_ms())
    with httpx.Client(base_url=kc.base_url, transport=kc.transport()) as client:
        tampered = client.post(SET, headers=headers, content=compact({"timeout": 5}).encode())
    assert (tampered.status_code, tampered.json()["code"]) == (401, "400005")
    assert kc.dcp.setting() is None


def test_set_and_query_weigh_two_in_the_spot_pool(kc, kc_sign):
    kucoin(kc, kc_sign, "POST", SET, {"timeout": 30})
    kucoin(kc, kc_sign, "GET", QUERY)
    assert kc.rate_limit().remaining == 4000 - 4


def test_sync_cancel_by_order_id_answers_the_final_state(kc, kc_sign):
    order = kc.add_order("BTC-USDT", "1", filled="0.25")
    status, answer = kucoin(
        kc, kc_sign, "DELETE", f"/api/v1/hf/orders/sync/{order.order_id}?symbol=BTC-USDT"
    )
    assert status == 200
    data = answer["data"]
    assert data["orderId"] == order.order_id
    assert data["status"] == "done"
    sizes = {k: Decimal(data[k]) for k in ("originSize", "dealSize", "remainSize", "canceledSize")}
    assert sizes == {
        "originSize": Decimal(1),
        "dealSize": Decimal("0.25"),
        "remainSize": Decimal(0),
        "canceledSize": Decimal("0.75"),
    }
    assert kc.order(order.order_id).state == "cancelled"


def test_sync_cancel_by_client_oid_echoes_the_client_oid(kc, kc_sign):
    order = kc.add_order("BTC-USDT", "2", client_oid="grid level 7")
    target = "/api/v1/hf/orders/sync/client-order/grid%20level%207?symbol=BTC-USDT"
    _, answer = kucoin(kc, kc_sign, "DELETE", target)
    assert answer["data"]["clientOid"] == "grid level 7"
    assert answer["data"]["status"] == "done"
    assert kc.order(order.order_id).state == "cancelled"


def test_a_sync_cancel_left_open_answers_open_and_the_order_stays(kc, kc_sign):
    order = kc.add_order("BTC-USDT", "1")
    kc.sync_cancels.leave_open(order.order_id)
    target = f"/api/v1/hf/orders/sync/{order.order_id}?symbol=BTC-USDT"
    _, answer = kucoin(kc, kc_sign, "DELETE", target)
    assert answer["data"]["status"] == "open"
    assert answer["data"]["remainSize"] == "1"
    assert kc.order(order.order_id).state == "live"
    _, again = kucoin(kc, kc_sign, "DELETE", target)  # once only
    assert again["data"]["status"] == "done"


def test_a_sync_cancel_of_a_finished_order_is_400100(kc, kc_sign):
    order = kc.add_order("BTC-USDT", "1", filled="1")
    _, answer = kucoin(
        kc, kc_sign, "DELETE", f"/api/v1/hf/orders/sync/{order.order_id}?symbol=BTC-USDT"
    )
    assert (answer["code"], answer["msg"]) == ("400100", "order_not_exist_or_not_allow_to_cancel")


# --- Kuest ----------------------------------------------------------------------------------------


@pytest.fixture
def kq() -> KuestExchange:
    return KuestExchange(clock=Clock())


def beat(
    ex: KuestExchange, kq_sign: Any, heartbeat_id: Any = None, *, path: str = "/heartbeats",
    method: str = "POST", keys: KuestKeys | None = None,
) -> tuple[int, dict[str, Any]]:  # fmt: skip
    body = compact({"heartbeat_id": heartbeat_id}).encode()
    headers = kq_sign(keys or ex.keys, method, path, body, timestamp_s=int(ex.server_time()))
    with httpx.Client(base_url=ex.base_url, transport=ex.transport()) as client:
        response = client.request(method, path, headers=headers, content=body)
    return response.status_code, response.json()


def test_heartbeats_chain_ids(kq, kq_sign):
    status, first = beat(kq, kq_sign)
    assert status == 200
    status, second = beat(kq, kq_sign, first["heartbeat_id"])
    assert status == 200
    assert second["heartbeat_id"] != first["heartbeat_id"]
    session = kq.heartbeats.session()
    assert session is not None
    assert session.heartbeat_id == second["heartbeat_id"]


@pytest.mark.parametrize("wrong", [None, "", "not-the-id"])
def test_a_wrong_id_is_invalid_heartbeat_id_naming_the_current_one(kq, kq_sign, wrong):
    _, first = beat(kq, kq_sign)
    assert beat(kq, kq_sign, wrong) == (
        400,
        {"error": "Invalid Heartbeat ID", "heartbeat_id": first["heartbeat_id"]},
    )


def test_silence_for_the_window_cancels_every_open_order_of_the_account(kq, kq_sign):
    mine = [kq.add_order(market=m) for m in ("0xa", "0xb")]
    matched = kq.add_order(size="1", filled="1")
    other = kq.add_account()
    theirs = kq.add_order(account=other)
    beat(kq, kq_sign)
    kq.advance(9.9)
    assert {kq.order(o.order_id).state for o in mine} == {"live"}
    kq.advance(0.2)
    assert {kq.order(o.order_id).state for o in mine} == {"canceled"}
    assert kq.order(matched.order_id).state == "matched"
    assert kq.order(theirs.order_id).state == "live"
    assert kq.heartbeats.session() is None
    [stopped] = kq.heartbeats.stopped
    assert set(stopped.cancelled) == {o.order_id for o in mine}


def test_an_invalid_heartbeat_renews_nothing(kq, kq_sign):
    order = kq.add_order()
    beat(kq, kq_sign)
    kq.advance(6)
    assert beat(kq, kq_sign, "stale")[0] == 400
    kq.advance(6)
    assert kq.order(order.order_id).state == "canceled"


def test_accepted_heartbeats_keep_orders(kq, kq_sign):
    order = kq.add_order()
    _, answer = beat(kq, kq_sign)
    for _ in range(5):
        kq.advance(8)
        _, answer = beat(kq, kq_sign, answer["heartbeat_id"])
    assert kq.order(order.order_id).state == "live"


def test_no_heartbeat_no_cancel(kq):
    order = kq.add_order()
    kq.advance(3600)
    assert kq.order(order.order_id).state == "live"


def test_after_the_cancel_a_heartbeat_starts_afresh(kq, kq_sign):
    beat(kq, kq_sign)
    kq.advance(11)
    status, _ = beat(kq, kq_sign, "whatever-came-before")
    assert status == 200


@pytest.mark.parametrize("wrong", [7, ["id"], {"id": 1}])
def test_a_heartbeat_id_that_is_no_string_is_400(kq, kq_sign, wrong):
    status, answer = beat(kq, kq_sign, wrong)
    assert status == 400
    assert "heartbeat_id" not in answer
    assert kq.heartbeats.session() is None


def test_the_path_is_a_setting(kq, kq_sign):
    kq.heartbeats.path = "/v1/heartbeats"
    assert beat(kq, kq_sign)[0] == 404
    assert beat(kq, kq_sign, path="/v1/heartbeats")[0] == 200


def test_heartbeats_are_authenticated_and_posted(kq, kq_sign):
    stranger = KuestKeys(address="0x1", api_key="k", api_secret="c2VjcmV0", api_passphrase="p")
    assert beat(kq, kq_sign, keys=stranger) == (401, {"error": "Unauthenticated"})
    assert beat(kq, kq_sign, method="PUT")[0] == 405
    assert kq.heartbeats.session() is None


def test_heartbeats_do_not_spend_the_cancel_budget(kq, kq_sign):
    _, answer = beat(kq, kq_sign)
    for _ in range(3):
        _, answer = beat(kq, kq_sign, answer["heartbeat_id"])
    assert kq.rate_limit().remaining == 100
