"""Contract: requests generated from each venue's spec, answered by the simulator, conform.

For every operation of every spec in `CONTRACTS`, hypothesis draws parameter and body values
from the spec's own schemas (mixed with ids the simulated venue knows, so that successes happen
too), signs the request with the venue's keys (or deliberately wrong ones), sends it in-process
and checks the answer against the spec with jsonschema. Adding a venue is one `CONTRACTS` entry.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import quote, unquote

import attrs
import httpx
import jsonschema
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from ordercancel import KucoinKeys, KuestKeys
from ordercancel.testing import KucoinExchange, KuestExchange
from support.kucoin_oracle import signed_headers as kucoin_headers
from support.kuest_oracle import signed_headers as kuest_headers

SPEC_DIR = Path(__file__).resolve().parents[2] / "spec"
TEXT = st.text(st.characters(exclude_categories=("Cs",)), max_size=30)


@attrs.frozen
class Contract:
    """How to run one venue's spec against its simulator."""

    spec: str
    make: Callable[[bool], Any]  # exhausted rate limit? -> venue
    sign: Callable[[Any, httpx.Request], dict[str, str]]
    wrong_keys: Callable[[Any], Any]
    hints: dict[str, list[str]]
    check_undocumented: Callable[[httpx.Response], None]


# -- KuCoin ------------------------------------------------------------------------------------

KC_IDS = ["671124f9365ccb00073debd4", "6711f73c1ef16c000717bb31"]
KC_OIDS = ["client order id 13", "5c52e11203aa677f33e493fb"]


def make_kucoin(exhausted: bool) -> KucoinExchange:
    ex = KucoinExchange(spot_quota=1 if exhausted else 4000)
    for symbol, order_id, client_oid in zip(["BTC-USDT", "ETH-USDT"], KC_IDS, KC_OIDS, strict=True):
        ex.add_order(symbol, "1", order_id=order_id, client_oid=client_oid)
    return ex


def sign_kucoin(keys: KucoinKeys, request: httpx.Request) -> dict[str, str]:
    target = request.url.raw_path.decode()
    return kucoin_headers(keys, request.method, target, body=request.content.decode())


def check_kucoin_envelope(response: httpx.Response) -> None:
    """Not documented by the spec (it documents 200 only): a KuCoin error envelope."""
    body = response.json()
    assert set(body) == {"code", "msg"}, body
    assert isinstance(body["code"], str)
    assert body["code"] != "200000"
    assert isinstance(body["msg"], str)


# -- Kuest -------------------------------------------------------------------------------------

KQ_IDS = ["0x" + "ab" * 32, "0x" + "cd" * 32]
KQ_MARKET = "0x" + "5f" * 32


def make_kuest(exhausted: bool) -> KuestExchange:
    ex = KuestExchange(rate_limit=1 if exhausted else 100)
    for order_id in KQ_IDS:
        ex.add_order(KQ_MARKET, "123", order_id=order_id)
    if exhausted:
        ex.rate_limit()  # no-op read; the first request below spends the only unit
    return ex


def sign_kuest(keys: KuestKeys, request: httpx.Request) -> dict[str, str]:
    return kuest_headers(
        keys, request.method, request.url.raw_path.decode().partition("?")[0], request.content
    )


def check_undocumented_kuest(response: httpx.Response) -> None:
    raise AssertionError(f"status {response.status_code} is not documented: {response.content!r}")


CONTRACTS = {
    "kucoin": Contract(
        "kucoin-spot-cancel.yaml",
        make_kucoin,
        sign_kucoin,
        lambda k: KucoinKeys(api_key=k.api_key, api_secret="wrong", api_passphrase="wrong"),
        {"orderId": KC_IDS, "clientOid": KC_OIDS, "symbol": ["BTC-USDT", "ETH-USDT"]},
        check_kucoin_envelope,
    ),
    "kuest": Contract(
        "kuest-clob-cancel.yaml",
        make_kuest,
        sign_kuest,
        lambda k: KuestKeys(k.address, k.api_key, "d3Jvbmc=", k.api_passphrase),
        {
            "orderId": KQ_IDS,
            "orderID": KQ_IDS,
            "*": KQ_IDS,
            "market": [KQ_MARKET],
            "assetId": ["123"],
            "asset_id": ["123"],
        },
        check_undocumented_kuest,
    ),
}


# -- the spec, generically ---------------------------------------------------------------------


def load(name: str) -> dict[str, Any]:
    return yaml.safe_load((SPEC_DIR / name).read_text())


def resolve(spec: dict[str, Any], node: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in node:
        found: Any = spec
        for part in node["$ref"].removeprefix("#/").split("/"):
            found = found[part]
        node = found
    return node


def strategy(
    spec: dict[str, Any], schema: dict[str, Any], hints: dict[str, list[str]], name: str = "*"
) -> st.SearchStrategy[Any]:
    schema = resolve(spec, schema)
    if "oneOf" in schema:
        return st.one_of([strategy(spec, s, hints, name) for s in schema["oneOf"]])
    kind = schema.get("type")
    if kind == "string":
        if "pattern" in schema:
            base = st.from_regex(schema["pattern"], fullmatch=True)
        else:
            base = st.text(
                st.characters(exclude_categories=("Cs",)),
                min_size=schema.get("minLength", 0),
                max_size=schema.get("maxLength", 30),
            )
        return st.one_of(base, st.sampled_from(hints[name])) if name in hints else base
    if kind == "array":
        items = strategy(spec, schema.get("items", {}), hints)
        return st.lists(items, max_size=min(schema.get("maxItems", 5), 5))
    if kind == "object":
        props = schema.get("properties", {})
        required = set(schema.get("required", []))
        fields = {
            key: strategy(spec, sub, hints, key)
            if key in required
            else st.one_of(st.none(), strategy(spec, sub, hints, key))
            for key, sub in props.items()
        }
        drawn = st.fixed_dictionaries(fields).map(
            lambda d: {k: v for k, v in d.items() if v is not None}
        )
        return drawn.filter(lambda d: len(d) >= schema.get("minProperties", 0))
    if kind == "integer":
        return st.integers()
    if kind == "boolean":
        return st.booleans()
    return TEXT


def operations(contract: Contract) -> list[tuple[str, str]]:
    spec = load(contract.spec)
    return [(path, method) for path, item in spec["paths"].items() for method in item]


def operation_ids() -> list[Any]:
    cases = []
    for venue, contract in CONTRACTS.items():
        if not (SPEC_DIR / contract.spec).exists():
            continue
        for path, method in operations(contract):
            cases.append(pytest.param(venue, path, method, id=f"{venue}-{method}-{path}"))
    return cases


def request_strategy(
    spec: dict[str, Any], path: str, method: str, hints: dict[str, list[str]]
) -> st.SearchStrategy[tuple[str, bytes]]:
    op = spec["paths"][path][method]
    params = [resolve(spec, p) for p in op.get("parameters", [])]
    values = st.fixed_dictionaries(
        {p["name"]: strategy(spec, p["schema"], hints, p["name"]) for p in params}
    )
    body_schema = (
        op.get("requestBody", {}).get("content", {}).get("application/json", {}).get("schema")
    )
    body = st.none() if body_schema is None else strategy(spec, body_schema, hints)

    def build(drawn: dict[str, str], payload: Any) -> tuple[str, bytes]:
        target = path
        query = []
        for p in params:
            if p["in"] == "path":
                target = target.replace("{" + p["name"] + "}", quote(drawn[p["name"]], safe=""))
            elif p["in"] == "query":
                query.append(f"{p['name']}={quote(drawn[p['name']], safe='')}")
        if query:
            target += "?" + "&".join(query)
        content = b"" if payload is None else json.dumps(payload, separators=(",", ":")).encode()
        return target, content

    return st.builds(build, values, body)


def validator(spec: dict[str, Any], schema: dict[str, Any]) -> jsonschema.Validator:
    return jsonschema.Draft4Validator({"allOf": [schema], "components": spec["components"]})


@pytest.mark.parametrize(("venue", "path", "method"), operation_ids())
def test_simulator_answers_conform_to_the_spec(venue: str, path: str, method: str) -> None:
    contract = CONTRACTS[venue]
    spec = load(contract.spec)
    responses = spec["paths"][path][method]["responses"]

    @settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(request_strategy(spec, path, method, contract.hints), st.booleans(), st.booleans())
    def run(request: tuple[str, bytes], exhausted: bool, wrong_keys: bool) -> None:
        target, content = request
        exchange = contract.make(exhausted)
        keys = contract.wrong_keys(exchange.keys) if wrong_keys else exchange.keys
        with httpx.Client(base_url=exchange.base_url, transport=exchange.transport()) as client:
            if exhausted:  # spend what the tiny quota allows first
                warm = client.build_request(method.upper(), target, content=content)
                warm.headers.update(contract.sign(exchange.keys, warm))
                client.send(warm)
            outgoing = client.build_request(method.upper(), target, content=content)
            assert unquote(outgoing.url.raw_path.decode()) == unquote(target)
            outgoing.headers.update(contract.sign(keys, outgoing))
            response = client.send(outgoing)
        documented = responses.get(str(response.status_code))
        if documented is None:
            contract.check_undocumented(response)
            return
        documented = resolve(spec, documented)
        if not response.content and 200 <= response.status_code < 300:
            return  # an empty 2xx body is a documented success for Kuest
        schema = documented["content"]["application/json"]["schema"]
        validator(spec, schema).validate(response.json())
        if venue == "kucoin":
            body = response.json()
            assert set(body) == ({"code", "data"} if body["code"] == "200000" else {"code", "msg"})
            assert {
                "gw-ratelimit-limit",
                "gw-ratelimit-remaining",
                "gw-ratelimit-reset",
            } <= response.headers.keys()

    run()


def test_every_contract_spec_is_present() -> None:
    missing = [c.spec for c in CONTRACTS.values() if not (SPEC_DIR / c.spec).exists()]
    assert missing == []
