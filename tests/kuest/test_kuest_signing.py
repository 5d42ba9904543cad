"""Signing properties, judged by the independent oracle in support.kuest_oracle.

For any valid id the request is DELETE /order with the compact JSON body, the five L2 headers and
a signature over exactly the bytes and path sent; the secret's alphabet and padding never matter;
a query string is never signed; a secret that does not decode is refused up front.
"""

from __future__ import annotations

import asyncio
import base64
import json
import string
import time
import traceback
from typing import Any

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st
from ordercancel import ConfigurationError, InvalidRequest, KuestKeys
from ordercancel.kuest._signing import KuestAuth
from support.kuest import (
    BASE_URL,
    FIXED_S,
    KEYS,
    PROPERTY,
    Twin,
    compact,
    encodings,
    fast_limiter,
    order_ids,
    secret_bytes,
    twins,
)
from support.kuest_oracle import L2_HEADERS, oracle_signature, signing_problems, wire_path


def _keys_with_secret(secret: str) -> KuestKeys:
    return KuestKeys(
        address=KEYS.address,
        api_key=KEYS.api_key,
        api_secret=secret,
        api_passphrase=KEYS.api_passphrase,
    )


def _send_one(twin: Twin, order_id: str, **client_kwargs: Any) -> httpx.Request:
    """Cancel `order_id` against a respx Kuest that answers success; the one request sent."""
    with respx.mock(assert_all_called=False) as router:
        route = router.route().respond(200, json={"success": True})
        result = twin.call("cancel_order", order_id, client_kwargs=client_kwargs)
    assert result.order_id == order_id
    assert route.call_count == 1
    return route.calls.last.request


@twins
@PROPERTY
@given(order_id=order_ids, id_field=st.sampled_from(["orderId", "orderID"]))
def test_any_valid_id_gives_a_well_formed_signed_request(
    twin: Twin, order_id: str, id_field: str
) -> None:
    request = _send_one(twin, order_id, id_field=id_field)
    assert request.method == "DELETE"
    assert str(request.url) == f"{BASE_URL}/order"
    assert request.content == compact({id_field: order_id})
    assert json.loads(request.content) == {id_field: order_id}
    assert all(name in request.headers for name in L2_HEADERS)
    assert request.headers["KUEST_TIMESTAMP"] == str(FIXED_S)
    assert request.headers.get_list("Content-Type") == ["application/json"]
    assert signing_problems(request, KEYS, FIXED_S) == []


@twins
def test_timestamp_is_unix_seconds_by_default(twin: Twin) -> None:
    with respx.mock(assert_all_called=False) as router:
        route = router.route().respond(200, json={"success": True})
        before = time.time()
        # No clock given: the client's default clock signs.
        client = twin.cls(keys=KEYS, transport=twin.transport(), rate_limiter=fast_limiter())
        if twin.is_async:
            asyncio.run(client.cancel_order("ord_1"))
        else:
            client.cancel_order("ord_1")
        twin.close(client)
        after = time.time()
    stamp = route.calls.last.request.headers["KUEST_TIMESTAMP"]
    assert stamp.isascii()
    assert stamp.isdigit()
    assert int(before) - 1 <= int(stamp) <= int(after) + 1
    assert signing_problems(route.calls.last.request, KEYS, int(stamp)) == []


@twins
@PROPERTY
@given(key=secret_bytes, which=st.integers(0, 3), order_id=order_ids)
def test_secret_in_any_alphabet_signs_with_the_decoded_key(
    twin: Twin, key: bytes, which: int, order_id: str
) -> None:
    secret = encodings(key)[which]
    request = _send_one(twin, order_id, keys=_keys_with_secret(secret))
    want = oracle_signature(key, str(FIXED_S), "DELETE", "/order", compact({"orderId": order_id}))
    assert request.headers["KUEST_SIGNATURE"] == want


@PROPERTY
@given(key=secret_bytes, body=st.binary(max_size=200), path=st.sampled_from(["/order", "/orders"]))
def test_every_encoding_of_a_secret_gives_the_same_signature(
    key: bytes, body: bytes, path: str
) -> None:
    signatures = set()
    for secret in encodings(key):
        auth = KuestAuth(_keys_with_secret(secret), lambda: FIXED_S)
        request = next(auth.sync_auth_flow(httpx.Request("DELETE", BASE_URL + path, content=body)))
        signatures.add(request.headers["KUEST_SIGNATURE"])
    assert signatures == {oracle_signature(key, str(FIXED_S), "DELETE", path, body)}


_query_values = st.text(string.printable, max_size=20)


@PROPERTY
@given(
    params=st.lists(st.tuples(_query_values.filter(bool), _query_values), min_size=1, max_size=4),
    body=st.binary(max_size=100),
)
def test_a_query_string_never_changes_the_auth_signature(
    params: list[tuple[str, str]], body: bytes
) -> None:
    auth = KuestAuth(KEYS, lambda: FIXED_S)
    plain = next(auth.sync_auth_flow(httpx.Request("DELETE", f"{BASE_URL}/order", content=body)))
    queried = httpx.Request("DELETE", f"{BASE_URL}/order", params=params, content=body)
    assert queried.url.query  # the query is really there
    signed = next(auth.sync_auth_flow(queried))
    assert signed.headers["KUEST_SIGNATURE"] == plain.headers["KUEST_SIGNATURE"]
    assert signing_problems(signed, KEYS, FIXED_S) == []


@twins
def test_a_query_from_the_callers_http_client_is_not_signed(twin: Twin) -> None:
    """A caller's httpx client with default params: the query goes out, the signature ignores it."""
    http_cls = httpx.AsyncClient if twin.is_async else httpx.Client
    http_client = http_cls(params={"x": "1"}, transport=twin.transport())
    try:
        request = _send_one(twin, "ord_abc123xyz789", http_client=http_client)
    finally:
        if isinstance(http_client, httpx.AsyncClient):
            asyncio.run(http_client.aclose())
        else:
            http_client.close()
    assert request.url.query == b"x=1"
    assert wire_path(request) == "/order"
    assert signing_problems(request, KEYS, FIXED_S) == []
    plain = _send_one(twin, "ord_abc123xyz789")
    assert request.headers["KUEST_SIGNATURE"] == plain.headers["KUEST_SIGNATURE"]


_segment = st.text(string.ascii_lowercase + string.digits + "-._~", min_size=1, max_size=8).filter(
    lambda s: s not in (".", "..")
)


@twins
@PROPERTY
@given(prefix=st.lists(_segment, min_size=1, max_size=3), slash=st.booleans())
def test_a_base_url_with_a_path_prefix_signs_the_full_path(
    twin: Twin, prefix: list[str], slash: bool
) -> None:
    base = "https://kuest.example/" + "/".join(prefix) + ("/" if slash else "")
    request = _send_one(twin, "ord_1", base_url=base)
    assert str(request.url) == "https://kuest.example/" + "/".join(prefix) + "/order"
    assert signing_problems(request, KEYS, FIXED_S) == []


@twins
@pytest.mark.parametrize("query", ["?x=1", "?orderId=ord_other"])
def test_a_base_url_with_a_query_is_refused_or_never_signed(twin: Twin, query: str) -> None:
    """A query on the base URL must not move the request off /order nor change its signature.

    Either the client refuses such a base URL (ConfigurationError) or the request still goes to
    <prefix>/order and is signed exactly as without the query.
    """
    try:
        twin.close(twin.make(base_url=f"https://kuest.example/api{query}"))
    except ConfigurationError:
        return
    request = _send_one(twin, "ord_1", base_url=f"https://kuest.example/api{query}")
    plain = _send_one(twin, "ord_1", base_url="https://kuest.example/api")
    assert wire_path(request) == "/api/order"
    assert request.headers["KUEST_SIGNATURE"] == plain.headers["KUEST_SIGNATURE"]


# --- secrets that do not decode ------------------------------------------------------------

_NOT_BASE64 = "!\"#$%&'()*,.:;<>?@[\\]^`{|}"


@st.composite
def undecodable_secrets(draw: st.DrawFn) -> str:
    """A secret that is not base64 in either alphabet: a stray character, or a bad length."""
    text = base64.b64encode(draw(st.binary(min_size=12, max_size=48))).decode().rstrip("=")
    kind = draw(st.sampled_from(["stray", "length", "space", "padding-inside"]))
    at = draw(st.integers(1, len(text) - 1))
    if kind == "stray":
        return text[:at] + draw(st.sampled_from(_NOT_BASE64)) + text[at:]
    if kind == "space":
        return text[:at] + draw(st.sampled_from([" ", "\t", "\n"])) + text[at:]
    if kind == "padding-inside":
        return text[:at] + "==" + text[at:]
    return text + "A" * ((1 - len(text)) % 4)  # 4k+1 characters: no byte string encodes so


@PROPERTY
@given(secret=undecodable_secrets())
def test_an_undecodable_secret_is_a_configuration_error(secret: str) -> None:
    with pytest.raises(ConfigurationError) as caught:
        _keys_with_secret(secret)
    error = caught.value
    assert isinstance(error, InvalidRequest)
    shown = " ".join(
        [str(error), repr(error), repr(error.args), *traceback.format_exception(error)]
    )
    stripped = secret.strip()
    pieces = {stripped[i : i + 8] for i in range(max(1, len(stripped) - 7))}
    assert not [p for p in pieces if p in shown]


@pytest.mark.parametrize("secret", ["", "   ", "====", "=", "\t"])
def test_an_empty_secret_is_a_configuration_error(secret: str) -> None:
    with pytest.raises(ConfigurationError):
        _keys_with_secret(secret)
