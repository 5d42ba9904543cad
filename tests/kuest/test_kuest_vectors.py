"""Golden signing vectors: through the public clients, the bare httpx.Auth and the pure signer.

Stages are compared in order (botocore style) and a failure names the first one that differs:
method, path, body, timestamp, signature.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
import respx
from ordercancel import KuestKeys
from ordercancel.kuest._signing import KuestAuth, l2_signature
from support.kuest import (
    BASE_URL,
    KEYS,
    PRODUCT_VECTOR,
    VECTORS_PATH,
    Twin,
    load_vectors,
    twins,
)
from support.kuest_oracle import decode_b64_secret, oracle_signature, signing_problems, wire_path

CASES = load_vectors()
CASE_IDS = [f"case{i + 1}-{c['method']}" for i, c in enumerate(CASES)]


def _first_difference(stages: list[tuple[str, Any, Any]]) -> None:
    for name, got, want in stages:
        if got != want:
            pytest.fail(f"first stage that differs: {name}\n  got:  {got!r}\n  want: {want!r}")


def _vector_stages(request: httpx.Request, case: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    return [
        ("method", request.method, case["method"]),
        ("path", wire_path(request), case["path"]),
        ("body", request.content, case["body"].encode()),
        ("KUEST_TIMESTAMP", request.headers.get("KUEST_TIMESTAMP"), case["timestamp"]),
        ("KUEST_SIGNATURE", request.headers.get("KUEST_SIGNATURE"), case["KUEST_SIGNATURE"]),
    ]


def _vector_keys(case: dict[str, Any]) -> KuestKeys:
    return KuestKeys(
        address=KEYS.address,
        api_key=KEYS.api_key,
        api_secret=case["secret"],
        api_passphrase=KEYS.api_passphrase,
    )


def test_vectors_file_is_the_shared_copy() -> None:
    raw = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))
    assert [c["KUEST_SIGNATURE"] for c in raw["cases"]] == [
        "ZwAdJKvoYRlEKDkNMwd5BuwNNtg93kNaR_oU2HrfVvc=",
        "7_TU4XFTASUASRNm0eLiH1pJEZq5z0U5DFNlMSgVbIc=",
    ]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_oracle_reproduces_each_vector(case: dict[str, Any]) -> None:
    """The test's own oracle agrees with the vectors, so it can judge the wrapper."""
    signature = oracle_signature(
        decode_b64_secret(case["secret"]),
        case["timestamp"],
        case["method"],
        case["path"],
        case["body"].encode(),
    )
    assert signature == case["KUEST_SIGNATURE"]


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_pure_signer_reproduces_each_vector(case: dict[str, Any]) -> None:
    """The pure function signs the method it is given (case 1's method is an arbitrary string)."""
    signature = l2_signature(
        decode_b64_secret(case["secret"]),
        case["timestamp"],
        case["method"],
        case["path"],
        case["body"].encode(),
    )
    assert signature == case["KUEST_SIGNATURE"]


@twins
def test_product_vector_through_the_public_client(twin: Twin) -> None:
    case = PRODUCT_VECTOR
    keys = _vector_keys(case)
    with respx.mock(assert_all_called=False) as router:
        route = router.route().respond(200, json={"success": True})
        twin.call(
            "cancel_order",
            "ord_abc123xyz789",
            client_kwargs={"keys": keys, "clock": lambda: int(case["timestamp"])},
        )
    assert route.call_count == 1
    request = route.calls.last.request
    assert str(request.url) == f"{BASE_URL}/order"
    _first_difference(_vector_stages(request, case))
    assert signing_problems(request, keys, int(case["timestamp"])) == []


@twins
def test_product_vector_with_the_legacy_id_field(twin: Twin) -> None:
    """id_field="orderID" sends {"orderID": ...}, signed over those bytes."""
    case = PRODUCT_VECTOR
    keys = _vector_keys(case)
    with respx.mock(assert_all_called=False) as router:
        route = router.route().respond(200, json={"success": True})
        twin.call(
            "cancel_order",
            "ord_abc123xyz789",
            client_kwargs={"keys": keys, "clock": lambda: 1709467200, "id_field": "orderID"},
        )
    request = route.calls.last.request
    assert request.content == b'{"orderID":"ord_abc123xyz789"}'
    want = oracle_signature(
        decode_b64_secret(case["secret"]), "1709467200", "DELETE", "/order", request.content
    )
    assert request.headers["KUEST_SIGNATURE"] == want
    assert want != case["KUEST_SIGNATURE"]  # the field name is signed


def _auth_request(url: str, case: dict[str, Any]) -> httpx.Request:
    return httpx.Request(
        case["method"],
        url,
        content=case["body"].encode(),
        headers={"Content-Type": "application/json"},
    )


@pytest.mark.parametrize("query", ["", "?x=1", "?orderId=other&b=%20c", "?"])
def test_product_vector_through_the_bare_auth(query: str) -> None:
    """The signer alone, no transport at all; a query string is never signed."""
    case = PRODUCT_VECTOR
    auth = KuestAuth(_vector_keys(case), lambda: int(case["timestamp"]))
    request = next(auth.sync_auth_flow(_auth_request(f"{BASE_URL}/order{query}", case)))
    _first_difference(_vector_stages(request, case))
    assert request.headers["KUEST_ADDRESS"] == KEYS.address
    assert request.headers["KUEST_API_KEY"] == KEYS.api_key
    assert request.headers["KUEST_PASSPHRASE"] == KEYS.api_passphrase
    assert request.headers.get_list("Content-Type") == ["application/json"]


def test_product_vector_through_the_bare_async_auth() -> None:
    case = PRODUCT_VECTOR
    auth = KuestAuth(_vector_keys(case), lambda: int(case["timestamp"]))

    async def sign() -> httpx.Request:
        flow = auth.async_auth_flow(_auth_request(f"{BASE_URL}/order?x=1", case))
        return await flow.__anext__()

    request = asyncio.run(sign())
    _first_difference(_vector_stages(request, case))


def test_upstream_vector_through_the_bare_auth_differs_only_by_the_method_case() -> None:
    """httpx upper-cases methods, so case 1 through httpx signs "TEST-SIGN": check the rule."""
    case = CASES[0]
    auth = KuestAuth(_vector_keys(case), lambda: int(case["timestamp"]))
    request = next(auth.sync_auth_flow(_auth_request(f"{BASE_URL}{case['path']}", case)))
    assert request.method == "TEST-SIGN"
    assert request.headers["KUEST_SIGNATURE"] == oracle_signature(
        decode_b64_secret(case["secret"]),
        case["timestamp"],
        "TEST-SIGN",
        case["path"],
        case["body"].encode(),
    )
