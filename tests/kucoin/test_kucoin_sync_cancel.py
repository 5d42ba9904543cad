"""KuCoin's sync cancels (operations 007, 009): what goes on the wire, and the final state back.

Written from KuCoin's published file: `DELETE /api/v1/hf/orders/sync/{orderId}?symbol=` and
`.../sync/client-order/{clientOid}?symbol=`, no body, answered with `{orderId | clientOid,
originSize, dealSize, remainSize, canceledSize, status: "open" | "done"}`. The signature is
checked by the independent oracle of support.kucoin_oracle, never by the wrapper's signer.
"""

from __future__ import annotations

import json
import re
from decimal import Decimal
from typing import Any

import httpx
import pytest
import respx
import yaml
from hypothesis import given
from hypothesis import strategies as st
from ordercancel import (
    InvalidRequest,
    KucoinAPIError,
    KucoinKeys,
    KucoinOrderNotCancellable,
    KucoinOrderStillOpen,
    KucoinUnexpectedResponse,
    OrderCancelError,
    SyncCancelResult,
)
from support.kucoin import (
    BASE_URL,
    HEAVY_PROPERTY,
    PROPERTY,
    SPEC_PATH,
    Endpoint,
    Twin,
    envelope,
    parse_query,
    resolve_route,
    route_problems,
    split_target,
    twins,
)
from support.kucoin_oracle import percent_decode, raw_target, verify_signed
from support.kucoin_strategies import (
    NASTY_TEXT,
    anything,
    client_oids,
    keys,
    order_ids,
    symbols,
    timestamps,
)

KEYS = KucoinKeys(api_key="k", api_secret="s", api_passphrase="p")
ORDER_ID = "671128ee365ccb0007534d45"
SYNC_ENDPOINTS = {
    "cancel_order_by_order_id_sync": Endpoint(
        "cancel_order_by_order_id_sync",
        "cancelOrderByOrderIdSync",
        "/api/v1/hf/orders/sync/{orderId}",
        "order_id",
        (("symbol", "symbol"),),
        ("order_id", "symbol"),
    ),
    "cancel_order_by_client_oid_sync": Endpoint(
        "cancel_order_by_client_oid_sync",
        "cancelOrderByClientOidSync",
        "/api/v1/hf/orders/sync/client-order/{clientOid}",
        "client_oid",
        (("symbol", "symbol"),),
        ("client_oid", "symbol"),
    ),
}
BY_ID = SYNC_ENDPOINTS["cancel_order_by_order_id_sync"]
BY_OID = SYNC_ENDPOINTS["cancel_order_by_client_oid_sync"]
DONE = {
    "originSize": "0.00001",
    "dealSize": "0",
    "remainSize": "0",
    "canceledSize": "0.00001",
    "status": "done",
}


def fake_sync_kucoin(request: httpx.Request) -> httpx.Response:
    """Routes with the oracle; echoes the id and answers a finished cancel, as KuCoin does."""
    path, _ = split_target(raw_target(request))
    resolved = resolve_route(percent_decode(path))
    if resolved is None or resolved[0] not in {e.operation_id for e in SYNC_ENDPOINTS.values()}:
        return httpx.Response(404, content=b"<html>404 Not Found</html>")
    operation, params = resolved
    echo = (
        {"orderId": params["orderId"]}
        if operation == "cancelOrderByOrderIdSync"
        else {"clientOid": params["clientOid"]}
    )
    return httpx.Response(200, content=envelope({**echo, **DONE}))


def _call(twin: Twin, method: str, args: list[Any], answer: Any, **client: Any) -> Any:
    """One call answered with `answer` (a data dict, or an httpx.Response); result or error."""
    response = answer if isinstance(answer, httpx.Response) else None
    with respx.mock(base_url=BASE_URL) as router:
        route = router.route()
        if response is None:
            route.respond(200, content=envelope(answer))
        else:
            route.mock(return_value=response)
        try:
            return twin.call(method, *args, client_kwargs={"keys": KEYS, **client})
        except OrderCancelError as exc:
            return exc


# --- the wire ------------------------------------------------------------------------------------


@twins
@pytest.mark.parametrize("endpoint", SYNC_ENDPOINTS.values(), ids=SYNC_ENDPOINTS.keys())
@HEAVY_PROPERTY
@given(data=st.data(), key=keys(), now=timestamps)
def test_valid_call_is_sent_signed_to_the_sync_endpoint(
    twin: Twin, endpoint: Endpoint, data: st.DataObject, key: KucoinKeys, now: int
) -> None:
    ident = data.draw(order_ids if endpoint.path_arg == "order_id" else client_oids, label="id")
    symbol = data.draw(symbols, label="symbol")
    with respx.mock(base_url=BASE_URL) as router:
        route = router.route().mock(side_effect=fake_sync_kucoin)
        result = twin.call(
            endpoint.method, ident, symbol, client_kwargs={"keys": key, "clock": lambda: now}
        )
    assert route.call_count == 1
    request = route.calls.last.request
    assert request.method == "DELETE"
    assert request.content == b""
    assert route_problems(request, endpoint, ident) == []
    assert parse_query(split_target(raw_target(request))[1]) == [("symbol", symbol)]
    assert verify_signed(request, key) == []
    assert request.headers["KC-API-TIMESTAMP"] == str(now)
    assert result.status == "done"
    assert (result.order_id, result.client_oid) == (
        (ident, None) if endpoint is BY_ID else (None, ident)
    )


@st.composite
def hostile_calls(draw: st.DrawFn) -> tuple[Endpoint, list[Any]]:
    endpoint = draw(st.sampled_from(list(SYNC_ENDPOINTS.values())))
    ident = order_ids if endpoint is BY_ID else client_oids
    return endpoint, [draw(st.one_of(ident, anything)), draw(st.one_of(symbols, anything))]


@twins
@PROPERTY
@given(call=hostile_calls())
def test_any_input_is_refused_unsent_or_reaches_the_sync_endpoint(
    twin: Twin, call: tuple[Endpoint, list[Any]]
) -> None:
    endpoint, args = call
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        route = router.route().mock(side_effect=fake_sync_kucoin)
        try:
            outcome: Any = twin.call(endpoint.method, *args, client_kwargs={"keys": KEYS})
        except OrderCancelError as exc:
            outcome = exc
    if isinstance(outcome, InvalidRequest):
        assert route.call_count == 0
        return
    assert route.call_count == 1, outcome
    request = route.calls.last.request
    assert route_problems(request, endpoint, args[0]) == []
    assert parse_query(split_target(raw_target(request))[1]) == [("symbol", args[1])]
    assert isinstance(outcome, SyncCancelResult), outcome


NOT_ORDER_IDS = [
    v
    for v in [*NASTY_TEXT, None, 7, 0.5, b"abc", ["x"]]
    if not (isinstance(v, str) and re.fullmatch(r"[0-9A-Fa-f]{1,64}", v))
]


@twins
@pytest.mark.parametrize("value", NOT_ORDER_IDS, ids=repr)
def test_nasty_order_ids_never_leave(twin: Twin, value: Any) -> None:
    """Ids that are not hex (`cancelAll`, `../x`, `sync`, ...) are refused before sending."""
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        route = router.route().mock(side_effect=fake_sync_kucoin)
        with pytest.raises(InvalidRequest):
            twin.call(BY_ID.method, value, "BTC-USDT", client_kwargs={"keys": KEYS})
    assert route.call_count == 0


# --- the answer ----------------------------------------------------------------------------------

SPEC = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))


def _example(path: str) -> dict[str, Any]:
    operation = SPEC["paths"][path]["delete"]
    example: dict[str, Any] = operation["responses"]["200"]["content"]["application/json"][
        "example"
    ]
    return example


@twins
@pytest.mark.parametrize("endpoint", SYNC_ENDPOINTS.values(), ids=SYNC_ENDPOINTS.keys())
def test_the_spec_example_comes_back_as_the_final_state(twin: Twin, endpoint: Endpoint) -> None:
    example = _example(endpoint.template)
    data = example["data"]
    ident = data.get("orderId", data.get("clientOid"))
    result = _call(
        twin,
        endpoint.method,
        [ident, "BTC-USDT"],
        httpx.Response(200, content=json.dumps(example).encode()),
    )
    assert result == SyncCancelResult(
        order_id=data.get("orderId"),
        client_oid=data.get("clientOid"),
        origin_size=Decimal(data["originSize"]),
        deal_size=Decimal(data["dealSize"]),
        remain_size=Decimal(data["remainSize"]),
        canceled_size=Decimal(data["canceledSize"]),
        status="done",
    )
    assert type(result.deal_size) is Decimal


decimal_texts = st.decimals(min_value=0, max_value=10**12, places=8, allow_nan=False).map(
    lambda d: format(d, "f")
)


@twins
@PROPERTY
@given(
    sizes=st.fixed_dictionaries(
        {name: decimal_texts for name in ("originSize", "dealSize", "remainSize", "canceledSize")}
    ),
    funds=st.one_of(st.none(), decimal_texts),
)
def test_sizes_come_back_as_exact_decimals(
    twin: Twin, sizes: dict[str, str], funds: str | None
) -> None:
    data: dict[str, Any] = {"orderId": ORDER_ID, **sizes, "status": "done"}
    if funds is not None:
        data["originFunds"] = funds
    result = _call(twin, BY_ID.method, [ORDER_ID, "BTC-USDT"], data)
    assert isinstance(result, SyncCancelResult), result
    assert (result.origin_size, result.deal_size, result.remain_size, result.canceled_size) == (
        Decimal(sizes["originSize"]),
        Decimal(sizes["dealSize"]),
        Decimal(sizes["remainSize"]),
        Decimal(sizes["canceledSize"]),
    )
    assert result.origin_funds == (None if funds is None else Decimal(funds))


@twins
@pytest.mark.parametrize("endpoint", SYNC_ENDPOINTS.values(), ids=SYNC_ENDPOINTS.keys())
def test_status_open_is_an_error_carrying_the_state_never_a_success(
    twin: Twin, endpoint: Endpoint
) -> None:
    ident = ORDER_ID if endpoint is BY_ID else "grid 7"
    echo = {"orderId": ident} if endpoint is BY_ID else {"clientOid": ident}
    data = {**echo, "originSize": "1", "dealSize": "0.25", "remainSize": "0.75",
            "canceledSize": "0", "status": "open"}  # fmt: skip
    outcome = _call(twin, endpoint.method, [ident, "BTC-USDT"], data)
    assert isinstance(outcome, KucoinOrderStillOpen)
    assert isinstance(outcome, OrderCancelError)
    assert not isinstance(outcome, KucoinOrderNotCancellable)  # it is live, not gone
    assert outcome.state.status == "open"
    assert outcome.state.remain_size == Decimal("0.75")
    assert outcome.state.deal_size == Decimal("0.25")
    assert outcome.status_code == 200
    assert json.loads(outcome.body)["data"] == data
    assert "still open" in str(outcome)


@twins
def test_an_echoed_order_id_that_is_not_the_one_asked_for_is_an_error(twin: Twin) -> None:
    data = {"orderId": "671128ee365ccb0007534d46", **DONE}
    outcome = _call(twin, BY_ID.method, [ORDER_ID, "BTC-USDT"], data)
    assert isinstance(outcome, KucoinUnexpectedResponse)
    assert "671128ee365ccb0007534d46" in str(outcome)


@twins
def test_an_echoed_client_oid_that_is_not_the_one_asked_for_is_an_error(twin: Twin) -> None:
    outcome = _call(twin, BY_OID.method, ["grid 7", "BTC-USDT"], {"clientOid": "grid 8", **DONE})
    assert isinstance(outcome, KucoinUnexpectedResponse)


@twins
def test_the_client_oid_variant_may_echo_the_order_id_instead(twin: Twin) -> None:
    """KuCoin's pages disagree: an answer naming only the orderId is accepted, the id kept."""
    result = _call(twin, BY_OID.method, ["grid 7", "BTC-USDT"], {"orderId": ORDER_ID, **DONE})
    assert isinstance(result, SyncCancelResult), result
    assert (result.client_oid, result.order_id) == ("grid 7", ORDER_ID)


@twins
@pytest.mark.parametrize("data", [dict(DONE), [DONE], "done", None], ids=repr)
def test_the_client_oid_variant_naming_no_id_is_an_error(twin: Twin, data: Any) -> None:
    outcome = _call(twin, BY_OID.method, ["grid 7", "BTC-USDT"], data)
    assert isinstance(outcome, KucoinUnexpectedResponse)


BAD_DATA = [
    pytest.param({**DONE, "status": "cancelled"}, id="unknown-status"),
    pytest.param({**DONE, "status": None}, id="status-null"),
    pytest.param({k: v for k, v in DONE.items() if k != "dealSize"}, id="no-dealSize"),
    pytest.param({**DONE, "remainSize": "-1"}, id="negative-size"),
    pytest.param({**DONE, "canceledSize": "NaN"}, id="nan-size"),
    pytest.param({**DONE, "originSize": 0.00001}, id="size-as-float"),
    pytest.param({**DONE, "originFunds": "lots"}, id="bad-funds"),
]


@twins
@pytest.mark.parametrize("data", BAD_DATA)
def test_a_wrongly_shaped_final_state_is_an_error(twin: Twin, data: dict[str, Any]) -> None:
    outcome = _call(twin, BY_ID.method, [ORDER_ID, "BTC-USDT"], {"orderId": ORDER_ID, **data})
    assert isinstance(outcome, KucoinUnexpectedResponse)


@twins
def test_not_cancellable_is_typed(twin: Twin) -> None:
    answer = httpx.Response(
        200, json={"code": "400100", "msg": "order_not_exist_or_not_allow_to_cancel"}
    )
    outcome = _call(twin, BY_ID.method, [ORDER_ID, "BTC-USDT"], answer)
    assert isinstance(outcome, KucoinOrderNotCancellable)
    assert isinstance(outcome, KucoinAPIError)
