"""Property: for any valid input, what goes on the wire is what KuCoin verifies and routes.

The verifier is written here from KuCoin's rule (timestamp + METHOD + decoded target + body,
HMAC-SHA256 keyed by the secret, base64), never with the wrapper's signing code.
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st
from ordercancel import (
    CancelAllResult,
    ClientOrderCancelAccepted,
    KucoinKeys,
    OrderCancelAccepted,
    PartialCancelAccepted,
    SymbolCancelAccepted,
)
from support.kucoin import (
    BASE_URL,
    ENDPOINTS,
    HEAVY_PROPERTY,
    Endpoint,
    Twin,
    fake_kucoin,
    parse_query,
    route_problems,
    split_target,
    twins,
)
from support.kucoin_oracle import percent_decode, raw_target, verify_signed
from support.kucoin_strategies import (
    cancel_sizes,
    client_oids,
    keys,
    order_ids,
    symbols,
    timestamps,
)

# The spec's cancelSize pattern: a plain decimal, no sign, no exponent.
PLAIN_DECIMAL = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?")


@st.composite
def calls(draw: st.DrawFn, endpoint: Endpoint) -> tuple[dict[str, Any], Decimal | None]:
    """Valid arguments for `endpoint`, and the exact cancel size when there is one."""
    args: dict[str, Any] = {}
    size = None
    for name in endpoint.args:
        if name == "order_id":
            args[name] = draw(order_ids)
        elif name == "client_oid":
            args[name] = draw(client_oids)
        elif name == "symbol":
            args[name] = draw(symbols)
        else:
            args[name], size = draw(cancel_sizes())
    return args, size


def _check_request(
    request: Any, endpoint: Endpoint, args: dict[str, Any], size: Decimal | None
) -> None:
    assert request.method == "DELETE"
    assert request.content == b""
    path, query = split_target(raw_target(request))
    path_value = args.get(endpoint.path_arg) if endpoint.path_arg else None
    expected_path = re.sub(r"\{[^}]+\}", lambda _: str(path_value), endpoint.template)
    assert percent_decode(path) == expected_path
    assert route_problems(request, endpoint, path_value) == []
    sent = parse_query(query)
    assert [name for name, _ in sent] == [wire for wire, _ in endpoint.query]
    for (wire, arg), (_, value) in zip(endpoint.query, sent, strict=True):
        if arg == "cancel_size":
            assert PLAIN_DECIMAL.fullmatch(value), f"cancelSize {value!r} is not a plain decimal"
            assert Decimal(value) == size
        else:
            assert value == args[arg], wire


def _check_result(
    result: Any, endpoint: Endpoint, args: dict[str, Any], size: Decimal | None
) -> None:
    expected: dict[str, tuple[type, dict[str, Any]]] = {
        "cancel_order_by_order_id": (OrderCancelAccepted, {"order_id": args.get("order_id")}),
        "cancel_order_by_client_oid": (
            ClientOrderCancelAccepted,
            {"client_oid": args.get("client_oid")},
        ),
        "cancel_partial_order": (
            PartialCancelAccepted,
            {"order_id": args.get("order_id"), "cancel_size": size},
        ),
        "cancel_all_orders_by_symbol": (SymbolCancelAccepted, {"symbol": args.get("symbol")}),
        "cancel_all_orders": (
            CancelAllResult,
            {"succeeded_symbols": ("BTC-USDT",), "failed_symbols": ()},
        ),
    }
    kind, fields = expected[endpoint.method]
    assert type(result) is kind
    for name, value in fields.items():
        assert getattr(result, name) == value


@twins
@pytest.mark.parametrize("endpoint", ENDPOINTS.values(), ids=ENDPOINTS.keys())
@HEAVY_PROPERTY
@given(data=st.data(), key=keys(), now=timestamps)
def test_valid_call_is_sent_signed_to_its_endpoint(
    twin: Twin, endpoint: Endpoint, data: st.DataObject, key: KucoinKeys, now: int
) -> None:
    args, size = data.draw(calls(endpoint), label="args")
    with respx.mock(base_url=BASE_URL) as router:
        route = router.route().mock(side_effect=fake_kucoin)
        result = twin.call(
            endpoint.method, *args.values(), client_kwargs={"keys": key, "clock": lambda: now}
        )
    assert route.call_count == 1
    request = route.calls.last.request
    _check_request(request, endpoint, args, size)
    assert verify_signed(request, key) == []
    assert request.headers["KC-API-TIMESTAMP"] == str(now)
    _check_result(result, endpoint, args, size)


@twins
def test_each_call_is_signed_afresh(twin: Twin) -> None:
    """Two calls on one client: two timestamps, two signatures, each verifying."""
    ticks = iter(range(1_700_000_000_000, 1_700_000_000_010))
    key = KucoinKeys(api_key="k", api_secret="s", api_passphrase="p")
    with respx.mock(base_url=BASE_URL) as router:
        route = router.route().mock(side_effect=fake_kucoin)
        twin.calls(
            [("cancel_all_orders", ()), ("cancel_all_orders_by_symbol", ("BTC-USDT",))],
            keys=key,
            clock=lambda: next(ticks),
        )
    first, second = (call.request for call in route.calls)
    assert first.headers["KC-API-TIMESTAMP"] != second.headers["KC-API-TIMESTAMP"]
    assert first.headers["KC-API-SIGN"] != second.headers["KC-API-SIGN"]
    assert verify_signed(first, key) == verify_signed(second, key) == []
