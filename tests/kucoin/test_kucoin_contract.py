"""The spec is the contract: every operation is a method on both twins and every example parses."""

from __future__ import annotations

import inspect
import re
from decimal import Decimal
from typing import Any

import httpx
import pytest
import respx
import yaml
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    CancelAllResult,
    ClientOrderCancelAccepted,
    KucoinAPIError,
    KucoinKeys,
    KucoinSpotCancelOrder,
    OrderCancelAccepted,
    PartialCancelAccepted,
    SymbolCancelAccepted,
)
from support.kucoin import BASE_URL, ENDPOINTS, SPEC_PATH, Twin, twins
from support.kucoin_oracle import percent_decode, raw_target

SPEC = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))
KEYS = KucoinKeys(api_key="k", api_secret="s", api_passphrase="p")
NOT_A_METHOD = {"getServerTimestamp"}  # exercised by sync_time()
# The sync cancels and Disconnection Protection (KuCoin's published file, operations 007, 009,
# 021, 022), contract-tested in test_kucoin_sync_cancel.py and test_kucoin_dcp.py.
FINAL_STATE_AND_DCP = {
    "cancelOrderByOrderIdSync": ("DELETE", "/api/v1/hf/orders/sync/{orderId}"),
    "cancelOrderByClientOidSync": ("DELETE", "/api/v1/hf/orders/sync/client-order/{clientOid}"),
    "setDisconnectProtection": ("POST", "/api/v1/hf/orders/dead-cancel-all"),
    "getDisconnectProtection": ("GET", "/api/v1/hf/orders/dead-cancel-all/query"),
}

# The kill switch's listings (tests/flatten); not cancels, so not in ENDPOINTS.
LISTINGS = {
    "listActiveSymbols": ("GET", "/api/v1/hf/orders/active/symbols"),
    "listOpenOrders": ("GET", "/api/v1/hf/orders/active"),
}


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    ref = node.get("$ref")
    if ref is None:
        return node
    target: Any = SPEC
    for part in ref.removeprefix("#/").split("/"):
        target = target[part]
    return dict(target)


OPERATIONS = [
    (path, method.upper(), op)
    for path, item in SPEC["paths"].items()
    for method, op in item.items()
    if method in ("get", "put", "post", "delete", "patch")
]
OP_IDS = [op["operationId"] for _, _, op in OPERATIONS]
CANCELS = [
    (p, m, op)
    for p, m, op in OPERATIONS
    if op["operationId"] not in NOT_A_METHOD | FINAL_STATE_AND_DCP.keys() | LISTINGS.keys()
]


def test_the_spec_holds_the_documented_endpoints() -> None:
    """KuCoin's five cancels (and the server time) are in the spec, as the docs describe them."""
    in_spec = {op["operationId"]: (method, path) for path, method, op in OPERATIONS}
    documented = {e.operation_id: ("DELETE", e.template) for e in ENDPOINTS.values()}
    assert in_spec == documented | FINAL_STATE_AND_DCP | LISTINGS | {
        "getServerTimestamp": ("GET", "/api/v1/timestamp")
    }
    for path, method, op in CANCELS:
        params = [_resolve(p) for p in op.get("parameters", [])]
        query = [p["name"] for p in params if p["in"] == "query"]
        endpoint = ENDPOINTS[_snake(op["operationId"])]
        assert query == [wire for wire, _ in endpoint.query], (method, path)
        assert all(p["required"] for p in params)
        assert "requestBody" not in op


@pytest.mark.parametrize("operation_id", [o for o in OP_IDS if o not in NOT_A_METHOD])
def test_every_operation_is_a_method_on_both_twins(operation_id: str) -> None:
    name = _snake(operation_id)
    sync = getattr(KucoinSpotCancelOrder, name)
    async_ = getattr(AsyncKucoinSpotCancelOrder, name)
    assert callable(sync)
    assert not inspect.iscoroutinefunction(sync)
    assert inspect.iscoroutinefunction(async_)
    assert inspect.getdoc(sync)
    assert inspect.getdoc(sync) == inspect.getdoc(async_)
    assert list(inspect.signature(sync).parameters) == list(inspect.signature(async_).parameters)


def test_the_twins_have_the_same_public_methods() -> None:
    def public(cls: type) -> dict[str, str | None]:
        return {
            n: inspect.getdoc(getattr(cls, n))
            for n in dir(cls)
            if not n.startswith("_") and callable(getattr(cls, n))
        }

    sync, async_ = public(KucoinSpotCancelOrder), public(AsyncKucoinSpotCancelOrder)
    # close()/aclose() are the one documented difference, like httpx's.
    assert sync.pop("close")
    assert async_.pop("aclose")
    assert sync.keys() == async_.keys()
    assert {n for n in sync if sync[n] != async_[n]} == set()
    assert inspect.iscoroutinefunction(AsyncKucoinSpotCancelOrder.sync_time)


def _example_call(op: dict[str, Any]) -> tuple[tuple[Any, ...], dict[str, Any], Any]:
    """Arguments from the spec's own examples, so that the response example answers them."""
    response = op["responses"]["200"]["content"]["application/json"]["example"]
    data = response.get("data")
    values = {}
    for param in (_resolve(p) for p in op.get("parameters", [])):
        echoed = data.get(param["name"]) if isinstance(data, dict) else None
        values[param["name"]] = echoed if echoed is not None else param["schema"]["example"]
    endpoint = ENDPOINTS[_snake(op["operationId"])]
    wire = {arg: wire for wire, arg in endpoint.query}
    if endpoint.path_arg:
        wire[endpoint.path_arg] = re.search(r"\{(\w+)\}", endpoint.template)[1]  # type: ignore[index]
    return tuple(values[wire[a]] for a in endpoint.args), response, data


def _expected(name: str, args: tuple[Any, ...], data: Any) -> Any:
    if name == "cancel_order_by_order_id":
        return OrderCancelAccepted(data["orderId"])
    if name == "cancel_order_by_client_oid":
        return ClientOrderCancelAccepted(data["clientOid"])
    if name == "cancel_partial_order":
        return PartialCancelAccepted(data["orderId"], Decimal(data["cancelSize"]))
    if name == "cancel_all_orders_by_symbol":
        return SymbolCancelAccepted(args[0])
    return CancelAllResult(tuple(data["succeedSymbols"]), ())


@twins
@pytest.mark.parametrize(
    ("path", "method", "op"), CANCELS, ids=[op["operationId"] for _, _, op in CANCELS]
)
def test_every_operation_is_called_and_its_example_parses(
    twin: Twin, path: str, method: str, op: dict[str, Any]
) -> None:
    name = _snake(op["operationId"])
    args, response, data = _example_call(op)
    pattern = "^" + re.sub(r"\\\{\w+\\\}", "[^/?]+", re.escape(path)) + r"(\?|$)"
    with respx.mock(base_url=BASE_URL) as router:
        route = router.route(method=method).respond(200, json=response)
        result = twin.call(name, *args, client_kwargs={"keys": KEYS})
    assert route.call_count == 1
    assert re.match(pattern, percent_decode(raw_target(route.calls.last.request)))
    assert result == _expected(name, args, data)


@twins
def test_server_time_example_sets_the_clock_offset(twin: Twin) -> None:
    (_, _, op) = next(o for o in OPERATIONS if o[2]["operationId"] == "getServerTimestamp")
    response = op["responses"]["200"]["content"]["application/json"]["example"]
    server_ms = response["data"]
    local_ms = 1_700_000_000_000
    with respx.mock(base_url=BASE_URL) as router:
        clock_route = router.get("/api/v1/timestamp").respond(200, json=response)
        cancel_route = router.delete("/api/v1/hf/orders/cancelAll").respond(
            200, json={"code": "200000", "data": {"succeedSymbols": [], "failedSymbols": []}}
        )

        def measure_then_cancel(client: Any) -> Any:
            if not twin.is_async:
                return client.sync_time(), client.clock_offset_ms, client.cancel_all_orders()

            async def run() -> Any:
                offset = await client.sync_time()
                return offset, client.clock_offset_ms, await client.cancel_all_orders()

            return run()

        offset, stored, _ = twin.run(measure_then_cancel, keys=KEYS, clock=lambda: local_ms)
    assert clock_route.call_count == 1
    assert offset == stored == server_ms - local_ms
    # The next signed request carries the server's time.
    assert cancel_route.calls.last.request.headers["KC-API-TIMESTAMP"] == str(server_ms)


@twins
def test_server_time_offset_lies_within_the_measurement(twin: Twin) -> None:
    readings: list[int] = []

    def clock() -> int:  # advances 200 ms per reading
        readings.append(1_000_000 + 200 * len(readings))
        return readings[-1]

    server_ms = 5_000_000
    with respx.mock(base_url=BASE_URL) as router:
        router.get("/api/v1/timestamp").respond(200, json={"code": "200000", "data": server_ms})
        offset = twin.call("sync_time", client_kwargs={"keys": KEYS, "clock": clock})
    assert len(readings) >= 2
    assert server_ms - max(readings) <= offset <= server_ms - min(readings)


@twins
def test_server_time_error_is_typed(twin: Twin) -> None:
    with respx.mock(base_url=BASE_URL) as router:
        router.get("/api/v1/timestamp").mock(return_value=httpx.Response(503, content=b"<html>"))
        with pytest.raises(KucoinAPIError) as caught:
            twin.call("sync_time", client_kwargs={"keys": KEYS})
    assert caught.value.status_code == 503
