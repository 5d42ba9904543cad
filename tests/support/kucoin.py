"""Shared pieces of the KuCoin tests: the routing oracle, a stand-in KuCoin, the twins.

Nothing here calls the wrapper's signing, input or envelope code: the routing oracle is written
from KuCoin's published rules (see the README's KuCoin section) so that it can disagree with the
wrapper. The signing oracle is `support.kucoin_oracle`; the twin driver `support.twins`.
"""

from __future__ import annotations

import json
import string
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
from hypothesis import HealthCheck, settings
from ordercancel import AsyncKucoinSpotCancelOrder, KucoinKeys, KucoinSpotCancelOrder

from support.kucoin_oracle import percent_decode, raw_target
from support.twins import Twin, twins_mark

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "spec" / "kucoin-spot-cancel.yaml"
VECTORS_PATH = ROOT / "tests" / "data" / "kucoin-signing.json"
BASE_URL = "https://api.kucoin.com"
FIXED_MS = 1_700_000_000_000

# Hypothesis budgets: properties 200 examples, the heavier twin-by-endpoint ones fewer.
PROPERTY = settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
HEAVY_PROPERTY = settings(PROPERTY, max_examples=100)


def load_vectors() -> dict[str, Any]:
    """The golden signing vectors (a copy of KuCoin-derived data; never produced by the wrapper)."""
    vectors: dict[str, Any] = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))
    return vectors


def vector_keys(vectors: Mapping[str, Any]) -> KucoinKeys:
    """The KucoinKeys of the vectors file."""
    return KucoinKeys(**vectors["credentials"])


# ---------------------------------------------------------------------------------------------
# The independent routing oracle: which route a wire target reaches; header parsing.
# ---------------------------------------------------------------------------------------------

# RFC 3986 pchar without ";" (some servers read it as a path parameter), plus "/" between segments.
_PATH_CHARS = frozenset(string.ascii_letters + string.digits + "-._~" + "!$&'()*+,=:@" + "%/")


def split_target(target: str) -> tuple[str, str | None]:
    """(raw path, raw query or None)."""
    path, sep, query = target.partition("?")
    return path, (query if sep else None)


def parse_query(query: str | None) -> list[tuple[str, str]]:
    """The decoded (name, value) pairs of a raw query, in order."""
    if query is None:
        return []
    pairs = []
    for part in query.split("&"):
        name, _, value = part.partition("=")
        pairs.append((percent_decode(name), percent_decode(value)))
    return pairs


def rate_limit_oracle(value: str | None) -> int | None:
    """gw-ratelimit-* as documented: decimal ASCII digits (around optional spaces), else None."""
    if value is None:
        return None
    text = value.strip(" \t")
    if text and text.isascii() and text.isdigit():
        return int(text)
    return None


# ---------------------------------------------------------------------------------------------
# The endpoints, written from KuCoin's documentation (the contract test checks the spec agrees).
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Endpoint:
    """One public cancel method and the KuCoin endpoint it must reach."""

    method: str  # the wrapper's method name
    operation_id: str  # the spec's operationId
    template: str  # KuCoin's path template
    path_arg: str | None = None  # the method argument that fills the one path parameter
    query: tuple[tuple[str, str], ...] = ()  # (wire name, method argument), in wire order
    args: tuple[str, ...] = field(default=())  # positional argument names of the method

    @property
    def segments(self) -> list[str]:
        """The template split on "/" (first item empty)."""
        return self.template.split("/")


ENDPOINTS: dict[str, Endpoint] = {
    e.method: e
    for e in (
        Endpoint(
            "cancel_order_by_order_id",
            "cancelOrderByOrderId",
            "/api/v1/hf/orders/{orderId}",
            "order_id",
            (("symbol", "symbol"),),
            ("order_id", "symbol"),
        ),
        Endpoint(
            "cancel_order_by_client_oid",
            "cancelOrderByClientOid",
            "/api/v1/hf/orders/client-order/{clientOid}",
            "client_oid",
            (("symbol", "symbol"),),
            ("client_oid", "symbol"),
        ),
        Endpoint(
            "cancel_partial_order",
            "cancelPartialOrder",
            "/api/v1/hf/orders/cancel/{orderId}",
            "order_id",
            (("symbol", "symbol"), ("cancelSize", "cancel_size")),
            ("order_id", "symbol", "cancel_size"),
        ),
        Endpoint(
            "cancel_all_orders_by_symbol",
            "cancelAllOrdersBySymbol",
            "/api/v1/hf/orders",
            None,
            (("symbol", "symbol"),),
            ("symbol",),
        ),
        Endpoint("cancel_all_orders", "cancelAllOrders", "/api/v1/hf/orders/cancelAll"),
    )
}

# Every DELETE route KuCoin serves under /api/v1/hf/orders that we know of: the five above and the
# two "sync" cancels (docs). A request "reaches the intended endpoint" only when its decoded path
# matches the intended template and no other route.
DELETE_ROUTES: dict[str, str] = {e.template: e.operation_id for e in ENDPOINTS.values()} | {
    "/api/v1/hf/orders/sync/{orderId}": "cancelOrderByOrderIdSync",
    "/api/v1/hf/orders/sync/client-order/{clientOid}": "cancelOrderByClientOidSync",
}


def matching_routes(decoded_path: str) -> dict[str, dict[str, str]]:
    """{operation: captured path parameters} for every DELETE route `decoded_path` matches."""
    segments = decoded_path.split("/")
    found = {}
    for template, operation in DELETE_ROUTES.items():
        wanted = template.split("/")
        if len(wanted) != len(segments):
            continue
        params = {}
        for want, got in zip(wanted, segments, strict=True):
            if want.startswith("{"):
                params[want.strip("{}")] = got
            elif want != got:
                break
        else:
            found[operation] = params
    return found


def resolve_route(decoded_path: str) -> tuple[str, dict[str, str]] | None:
    """The route a server picks: concrete paths before templated ones (as OpenAPI says)."""
    routes = matching_routes(decoded_path)
    if not routes:
        return None
    fewest = min(len(params) for params in routes.values())
    best = [(op, params) for op, params in routes.items() if len(params) == fewest]
    return best[0] if len(best) == 1 else None


def route_problems(request: httpx.Request, endpoint: Endpoint, path_value: str | None) -> list[str]:
    """Every way `request` fails to reach exactly `endpoint` with `path_value` as its id."""
    problems = []
    target = raw_target(request)
    path, _ = split_target(target)
    if request.method != "DELETE":
        problems.append(f"method {request.method}, not DELETE")
    if not set(path) <= _PATH_CHARS:
        problems.append(f"raw path has characters a server may reinterpret: {path!r}")
    if "#" in target:
        problems.append("a fragment was sent")
    try:
        decoded = percent_decode(path)
    except (ValueError, UnicodeDecodeError) as exc:
        return [*problems, f"path does not percent-decode: {exc}"]
    segments = decoded.split("/")
    if segments[0] != "" or any(s in ("", ".", "..") for s in segments[1:]):
        problems.append(f"empty or dot segment in decoded path {decoded!r}")
    if len(segments) != len(endpoint.segments):
        problems.append(f"decoded path {decoded!r} has {len(segments)} segments")
    resolved = resolve_route(decoded)
    if resolved is None or resolved[0] != endpoint.operation_id:
        routes = sorted(matching_routes(decoded))
        problems.append(f"decoded path {decoded!r} reaches {resolved} (it matches {routes})")
    elif path_value is not None:
        (captured,) = resolved[1].values()
        if captured != path_value:
            problems.append(f"path id decodes to {captured!r}, not {path_value!r}")
        # The raw segment alone must decode to the id too (servers that split before decoding).
        raw_segment = path.split("/")[len(endpoint.segments) - 1 :]
        if [percent_decode(s) for s in raw_segment] != [path_value]:
            problems.append(f"raw id segment(s) {raw_segment!r} do not decode to {path_value!r}")
    return problems


def envelope(data: Any, code: str = "200000", **extra: Any) -> bytes:
    """A KuCoin envelope as bytes."""
    return json.dumps({"code": code, "data": data, **extra}).encode()


def fake_kucoin(request: httpx.Request) -> httpx.Response:
    """A stand-in KuCoin: routes with the oracle and echoes what it received, as KuCoin does."""
    path, query = split_target(raw_target(request))
    decoded = percent_decode(path)
    resolved = resolve_route(decoded)
    if resolved is None:
        return httpx.Response(404, content=b"<html>404 Not Found</html>")
    operation, params = resolved
    values = dict(parse_query(query))
    data: Any
    if operation == "cancelOrderByOrderId":
        data = {"orderId": params["orderId"]}
    elif operation == "cancelOrderByClientOid":
        data = {"clientOid": params["clientOid"]}
    elif operation == "cancelPartialOrder":
        data = {"orderId": params["orderId"], "cancelSize": values.get("cancelSize", "")}
    elif operation == "cancelAllOrdersBySymbol":
        data = "success"
    elif operation == "cancelAllOrders":
        data = {"succeedSymbols": ["BTC-USDT"], "failedSymbols": []}
    else:
        return httpx.Response(404, content=b"<html>404 Not Found</html>")
    return httpx.Response(200, content=envelope(data))


# ---------------------------------------------------------------------------------------------
# Twins: the same test drives KucoinSpotCancelOrder and AsyncKucoinSpotCancelOrder.
# ---------------------------------------------------------------------------------------------


def _defaults() -> dict[str, Any]:
    return {"base_url": BASE_URL}


SYNC = Twin("sync", "kucoin", KucoinSpotCancelOrder, _defaults, cheap_transport=True)
ASYNC = Twin("async", "kucoin", AsyncKucoinSpotCancelOrder, _defaults, cheap_transport=True)
TWINS = (SYNC, ASYNC)
twins = twins_mark(TWINS)
