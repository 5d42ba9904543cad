"""Contract: spec/kuest-clob-cancel.yaml and the wrapper agree, operation by operation.

Every operation maps to a method of both twins (same docstring), reaches its spec method and path
with the spec's headers, and every response example of the spec comes back typed.
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import pytest
import respx
import yaml
from ordercancel import (
    AsyncKuestCancelOrder,
    KuestAPIError,
    KuestAuthenticationError,
    KuestCancelOrder,
    KuestCancelReport,
    KuestOrderCanceled,
    KuestOrderNotCancellable,
    KuestOrderNotFound,
    KuestPermissionDenied,
    KuestRateLimited,
    KuestServerError,
    OrderOutcome,
)
from support.kuest import BASE_URL, FIXED_S, KEYS, SPEC_PATH, Twin, compact, twins
from support.kuest_oracle import signing_problems

SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text(encoding="utf-8"))

# operationId -> (method, args, kwargs) as a user calls it; written from the issue, not the code.
CALLS: dict[str, tuple[str, tuple[Any, ...], dict[str, Any]]] = {
    "cancelOrder": ("cancel_order", ("ord_abc123xyz789",), {}),
    "cancelOrders": ("cancel_orders", (["ord_abc123xyz789", "ord_def456uvw012"],), {"batch": True}),
    "cancelAllOrders": ("cancel_all", (), {}),
    "cancelMarketOrders": ("cancel_market_orders", ("0x5f65177b",), {}),
    "postHeartbeat": ("heartbeat", (), {}),
    "listOpenOrders": ("list_open_orders", (), {}),
}
# shared/api/kuest.md's status table.
ERRORS: dict[int, type[KuestAPIError]] = {
    400: KuestAPIError,
    401: KuestAuthenticationError,
    403: KuestPermissionDenied,
    404: KuestOrderNotFound,
    409: KuestOrderNotCancellable,
    429: KuestRateLimited,
    500: KuestServerError,
}


def _operations() -> dict[str, tuple[str, str, dict[str, Any]]]:
    """operationId -> (METHOD, path, operation object)."""
    found = {}
    for path, item in SPEC["paths"].items():
        for method, operation in item.items():
            found[operation["operationId"]] = (method.upper(), path, operation)
    return found


OPERATIONS = _operations()


def _resolve(node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        node = target
    return node


def _response_examples() -> list[tuple[str, int, Any]]:
    examples = []
    for operation_id, (_, _, operation) in OPERATIONS.items():
        for status, response in operation["responses"].items():
            content = _resolve(response)["content"]["application/json"]
            examples.append((operation_id, int(status), content["example"]))
    return examples


# A heartbeat's 400 "Invalid Heartbeat ID" is answered by a second heartbeat: test_kuest_heartbeat.
EXAMPLES = [e for e in _response_examples() if e[:2] != ("postHeartbeat", 400)]


def test_every_operation_is_mapped_and_nothing_else() -> None:
    assert set(OPERATIONS) == set(CALLS)


def test_default_server_is_the_documented_host() -> None:
    assert [s["url"] for s in SPEC["servers"]] == [BASE_URL]


def test_spec_security_headers_are_the_five_l2_headers() -> None:
    schemes = SPEC["components"]["securitySchemes"]
    names = {s["name"] for s in schemes.values() if s["in"] == "header"}
    assert names == {
        "KUEST_ADDRESS",
        "KUEST_API_KEY",
        "KUEST_PASSPHRASE",
        "KUEST_TIMESTAMP",
        "KUEST_SIGNATURE",
    }
    assert [set(r) for r in SPEC["security"]] == [set(schemes)]


@pytest.mark.parametrize("operation_id", list(CALLS))
def test_both_twins_have_the_method_with_the_same_docstring(operation_id: str) -> None:
    method = CALLS[operation_id][0]
    sync, asynchronous = getattr(KuestCancelOrder, method), getattr(AsyncKuestCancelOrder, method)
    assert not inspect.iscoroutinefunction(sync)
    assert inspect.iscoroutinefunction(asynchronous)
    assert inspect.getdoc(sync)
    assert inspect.getdoc(sync) == inspect.getdoc(asynchronous)
    assert inspect.signature(sync) == inspect.signature(asynchronous)


def test_twins_have_the_same_public_methods_and_docs() -> None:
    def public(cls: type) -> set[str]:
        return {n for n in dir(cls) if not n.startswith("_")} - {"close", "aclose"}

    assert public(KuestCancelOrder) == public(AsyncKuestCancelOrder)
    assert inspect.getdoc(KuestCancelOrder.__init__) == inspect.getdoc(
        AsyncKuestCancelOrder.__init__
    )
    assert (KuestCancelOrder.__doc__ or "").replace("synchronously", "") == (
        AsyncKuestCancelOrder.__doc__ or ""
    ).replace("with asyncio", "")


def _request_body(operation_id: str) -> Any:
    """The body a user's call must send, built from the spec's schema names."""
    _, args, _ = CALLS[operation_id]
    if operation_id == "cancelOrder":
        return {"orderId": args[0]}
    if operation_id == "cancelOrders":
        return list(args[0])
    if operation_id == "cancelMarketOrders":
        return {"market": args[0]}
    if operation_id == "postHeartbeat":
        return {"heartbeat_id": None}
    return None


def _call(twin: Twin, operation_id: str, status: int, payload: Any, **client: Any) -> Any:
    method, args, kwargs = CALLS[operation_id]
    with respx.mock(assert_all_called=False) as router:
        route = router.route().respond(status, json=payload)
        result = twin.outcome(method, *args, client_kwargs=client, **kwargs)
    assert route.call_count == 1
    return result, route.calls.last.request


@twins
@pytest.mark.parametrize("operation_id", list(CALLS))
def test_each_operation_reaches_its_spec_method_and_path(twin: Twin, operation_id: str) -> None:
    http_method, path, operation = OPERATIONS[operation_id]
    _, request = _call(twin, operation_id, 200, {"success": True})
    assert request.method == http_method
    first_page = "?next_cursor=MA%3D%3D" if operation_id == "listOpenOrders" else ""
    assert str(request.url) == BASE_URL + path + first_page
    body = _request_body(operation_id)
    if "requestBody" in operation:
        assert request.content == compact(body)
        example = operation["requestBody"]["content"]["application/json"]["example"]
        assert type(json.loads(request.content)) is type(example)
    else:
        assert request.content == b""
    assert signing_problems(request, KEYS, FIXED_S) == []


@twins
@pytest.mark.parametrize("base_url", ["https://api.kuest.io", "http://127.0.0.1:8080"])
def test_the_base_url_is_overridable(twin: Twin, base_url: str) -> None:
    _, request = _call(twin, "cancelOrder", 200, {"success": True}, base_url=base_url)
    assert str(request.url) == f"{base_url}/order"
    assert signing_problems(request, KEYS, FIXED_S) == []


@twins
def test_the_default_base_url_is_the_spec_server(twin: Twin) -> None:
    client: Any = twin.make()
    try:
        assert client.base_url == SPEC["servers"][0]["url"]
    finally:
        twin.close(client)
    _, request = _call(twin, "cancelOrder", 200, {"success": True})
    assert request.url.host == "clob.kuest.com"


@twins
@pytest.mark.parametrize(
    ("operation_id", "status", "example"),
    EXAMPLES,
    ids=[f"{o}-{s}" for o, s, _ in EXAMPLES],
)
def test_every_response_example_comes_back_typed(
    twin: Twin, operation_id: str, status: int, example: Any
) -> None:
    result, _ = _call(twin, operation_id, status, example)
    method = CALLS[operation_id][0]
    if status == 200:
        canceled = tuple(example.get("canceled", ()))
        if operation_id == "postHeartbeat":
            assert result == example["heartbeat_id"]
        elif operation_id == "cancelOrder":
            assert result == KuestOrderCanceled("ord_abc123xyz789")
        elif operation_id == "listOpenOrders":
            assert result == tuple(example["data"])
        elif operation_id == "cancelOrders":
            ids = CALLS[operation_id][1][0]
            assert [o.order_id for o in result] == ids
            assert all(isinstance(o, OrderOutcome) for o in result)
            assert [o.ok for o in result] == [i in canceled for i in ids]
        else:
            assert result == KuestCancelReport(canceled, {}), method
        return
    if operation_id == "cancelOrders":
        assert all(type(o.error) is ERRORS[status] for o in result)
        errors = [o.error for o in result]
    else:
        assert type(result) is ERRORS.get(status, KuestAPIError)  # 400: a bad cursor
        errors = [result]
    for error in errors:
        assert error.status_code == status
        assert error.error == example.get("error", example.get("message"))
        assert json.loads(error.body) == example
