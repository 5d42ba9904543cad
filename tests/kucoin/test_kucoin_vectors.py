"""Golden signing vectors, reproduced through the public clients and through the bare signer.

Stages are compared in order (botocore style) and a failure names the first one that differs:
wire target, signed target, prehash, signature.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx
from ordercancel.kucoin._signing import KucoinAuth, signed_target
from support.kucoin import BASE_URL, FIXED_MS, Twin, fake_kucoin, load_vectors, twins, vector_keys
from support.kucoin_oracle import kucoin_sign, percent_decode, raw_target

VECTORS = load_vectors()
CASES = VECTORS["cases"]
CASE_IDS = [f"{i}-{c['call']}" for i, c in enumerate(CASES)]


def _first_difference(stages: list[tuple[str, Any, Any]]) -> None:
    for name, got, want in stages:
        if got != want:
            pytest.fail(f"first stage that differs: {name}\n  got:  {got!r}\n  want: {want!r}")


def _diagnose_signature(request: httpx.Request, secret: str) -> str:
    """Name what the wrapper signed when the signature matches no golden stage."""
    timestamp = request.headers["KC-API-TIMESTAMP"].encode()
    method = request.method.encode()
    candidates = {
        "the percent-encoded wire target": timestamp + method + raw_target(request).encode(),
        "the path without the query": timestamp
        + method
        + percent_decode(request.url.raw_path.decode().partition("?")[0]).encode(),
        "a lower-case method": timestamp
        + method.lower()
        + percent_decode(raw_target(request)).encode(),
    }
    for what, prehash in candidates.items():
        if kucoin_sign(secret, prehash) == request.headers["KC-API-SIGN"]:
            return f" (the signature is that of {what})"
    return ""


def _check_signed_request(request: httpx.Request, case: dict[str, Any]) -> None:
    credentials = VECTORS["credentials"]
    wire = raw_target(request)
    target = signed_target(wire)
    prehash = (
        request.headers.get("KC-API-TIMESTAMP", "")
        + request.method
        + target
        + request.content.decode("utf-8")
    )
    stages = [
        ("wire target", wire, case["wire_target"]),
        ("signed target", target, case["signed_target"]),
        ("prehash", prehash, case["prehash"]),
    ]
    _first_difference(stages)
    sign = request.headers.get("KC-API-SIGN")
    if sign != case["KC-API-SIGN"]:
        pytest.fail(
            "first stage that differs: signature"
            + _diagnose_signature(request, credentials["api_secret"])
            + f"\n  got:  {sign!r}\n  want: {case['KC-API-SIGN']!r}"
        )
    assert request.method == VECTORS["method"]
    assert request.content == VECTORS["body"].encode()
    assert request.headers["KC-API-TIMESTAMP"] == VECTORS["timestamp_ms"]
    assert request.headers["KC-API-PASSPHRASE"] == VECTORS["passphrase_header"]
    assert request.headers["KC-API-KEY"] == credentials["api_key"]
    assert request.headers["KC-API-KEY-VERSION"] == credentials["key_version"]
    assert request.headers["Content-Type"] == "application/json"


def test_vectors_are_self_consistent() -> None:
    """The oracle and the vectors agree, so a failure below is the wrapper's, not the data's."""
    credentials = VECTORS["credentials"]
    assert VECTORS["passphrase_header"] == kucoin_sign(
        credentials["api_secret"], credentials["api_passphrase"].encode()
    )
    for case in CASES:
        assert percent_decode(case["wire_target"]) == case["signed_target"]
        expected = VECTORS["timestamp_ms"] + VECTORS["method"] + case["signed_target"]
        assert case["prehash"] == expected + VECTORS["body"]
        assert (
            kucoin_sign(credentials["api_secret"], case["prehash"].encode()) == case["KC-API-SIGN"]
        )


@twins
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_vector_through_public_client(twin: Twin, case: dict[str, Any]) -> None:
    assert int(VECTORS["timestamp_ms"]) == FIXED_MS
    with respx.mock(base_url=BASE_URL) as router:
        route = router.route().mock(side_effect=fake_kucoin)
        twin.call(
            case["call"],
            *case["args"].values(),
            client_kwargs={"keys": vector_keys(VECTORS), "clock": lambda: FIXED_MS},
        )
        assert route.call_count == 1
        _check_signed_request(route.calls.last.request, case)


@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
def test_vector_through_sync_auth_flow_alone(case: dict[str, Any]) -> None:
    auth = KucoinAuth(vector_keys(VECTORS), lambda: FIXED_MS)
    request = httpx.Request(VECTORS["method"], BASE_URL + case["wire_target"])
    flow = auth.sync_auth_flow(request)
    signed = next(flow)
    with pytest.raises(StopIteration):
        flow.send(httpx.Response(200))
    _check_signed_request(signed, case)


@pytest.mark.asyncio
@pytest.mark.parametrize("case", CASES, ids=CASE_IDS)
async def test_vector_through_async_auth_flow_alone(case: dict[str, Any]) -> None:
    auth = KucoinAuth(vector_keys(VECTORS), lambda: FIXED_MS)
    request = httpx.Request(VECTORS["method"], BASE_URL + case["wire_target"])
    flow = auth.async_auth_flow(request)
    signed = await anext(flow)
    with pytest.raises(StopAsyncIteration):
        await flow.asend(httpx.Response(200))
    _check_signed_request(signed, case)


def test_auth_is_pure_and_reads_the_clock_per_request() -> None:
    """The signer does no I/O, needs the body, and signs with the clock at signing time."""
    ticks = iter([FIXED_MS, FIXED_MS + 1234])
    auth = KucoinAuth(vector_keys(VECTORS), lambda: next(ticks))
    assert auth.requires_request_body is True
    case = CASES[0]
    first = next(auth.sync_auth_flow(httpx.Request("DELETE", BASE_URL + case["wire_target"])))
    second = next(auth.sync_auth_flow(httpx.Request("DELETE", BASE_URL + case["wire_target"])))
    assert first.headers["KC-API-SIGN"] == case["KC-API-SIGN"]
    assert second.headers["KC-API-TIMESTAMP"] == str(FIXED_MS + 1234)
    prehash = f"{FIXED_MS + 1234}DELETE{case['signed_target']}".encode()
    secret = VECTORS["credentials"]["api_secret"]
    assert second.headers["KC-API-SIGN"] == kucoin_sign(secret, prehash)


def test_auth_signs_a_body_when_there_is_one() -> None:
    """KuCoin's rule includes the body; the cancels send none, but the signer must not drop it."""
    auth = KucoinAuth(vector_keys(VECTORS), lambda: FIXED_MS)
    body = b'{"symbol":"BTC-USDT"}'
    signed = next(auth.sync_auth_flow(httpx.Request("POST", BASE_URL + "/api/v1/x", content=body)))
    prehash = f"{FIXED_MS}POST/api/v1/x".encode() + body
    assert signed.headers["KC-API-SIGN"] == kucoin_sign(
        VECTORS["credentials"]["api_secret"], prehash
    )
