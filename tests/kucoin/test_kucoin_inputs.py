"""Property and table: any input is either refused before sending or reaches exactly its endpoint.

"Reaches" is judged as a server would: percent-decode the path, split it on "/", route it with
concrete paths before templated ones; the id segment must decode to the id given.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation
from typing import Any

import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st
from ordercancel import InvalidRequest, KucoinKeys, OrderCancelError
from support.kucoin import (
    BASE_URL,
    ENDPOINTS,
    PROPERTY,
    Endpoint,
    Twin,
    fake_kucoin,
    parse_query,
    route_problems,
    split_target,
    twins,
)
from support.kucoin_oracle import raw_target
from support.kucoin_strategies import NASTY_TEXT, VALID_ARGS, anything, cancel_sizes

KEYS = KucoinKeys(api_key="k", api_secret="s", api_passphrase="p")
PLAIN_DECIMAL = re.compile(r"(0|[1-9][0-9]*)(\.[0-9]+)?")
VALID = {"order_id": "671124f9365ccb00073debd4", "client_oid": "c1", "symbol": "BTC-USDT"}
VALID_SIZE = "0.5"


def _valid(name: str) -> Any:
    return VALID_SIZE if name == "cancel_size" else VALID[name]


def _attempt(
    twin: Twin, endpoint: Endpoint, args: dict[str, Any], router: respx.MockRouter | None = None
) -> tuple[Any, list[Any]]:
    """Call; return (result or the OrderCancelError raised, the requests that went out)."""
    if router is None:
        with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
            router.route().mock(side_effect=fake_kucoin)
            return _attempt(twin, endpoint, args, router)
    router.calls.clear()
    try:
        outcome = twin.call(endpoint.method, *args.values(), client_kwargs={"keys": KEYS})
    except OrderCancelError as exc:
        outcome = exc
    return outcome, [call.request for call in router.calls]


def _problems(endpoint: Endpoint, args: dict[str, Any], outcome: Any, sent: list[Any]) -> list[str]:
    """Why (args -> outcome, sent) breaks "refused with nothing sent, or sent exactly right"."""
    if isinstance(outcome, InvalidRequest):
        problems = [] if isinstance(outcome, ValueError) else ["InvalidRequest is no ValueError"]
        return problems + ([f"refused but sent {len(sent)} request(s)"] if sent else [])
    # Inputs are ASCII: text with any other character (a Unicode digit too) is refused.
    foreign = {name: v for name, v in args.items() if isinstance(v, str) and not v.isascii()}
    if foreign:
        return [f"non-ASCII {name}={value!r} was not refused" for name, value in foreign.items()]
    if len(sent) != 1:
        return [f"{len(sent)} requests sent"]
    request = sent[0]
    path_value = args.get(endpoint.path_arg) if endpoint.path_arg else None
    if endpoint.path_arg and not isinstance(path_value, str):
        return [f"sent a {type(path_value).__name__} as the path id"]
    problems = route_problems(request, endpoint, path_value)
    _, query = split_target(raw_target(request))
    try:
        pairs = parse_query(query)
    except ValueError as exc:
        return [*problems, f"query does not decode: {exc}"]
    if [name for name, _ in pairs] != [wire for wire, _ in endpoint.query]:
        problems.append(f"query names {[name for name, _ in pairs]}")
        return problems
    for (_, arg), (wire, value) in zip(endpoint.query, pairs, strict=True):
        given_value = args[arg]
        if arg != "cancel_size":
            if value != given_value:
                problems.append(f"{wire}={value!r} but {given_value!r} was given")
            continue
        if isinstance(given_value, bool | float) or not isinstance(
            given_value, str | int | Decimal
        ):
            problems.append(f"a {type(given_value).__name__} cancel size was sent as {value!r}")
            continue
        try:
            exact = Decimal(given_value)
        except InvalidOperation:
            problems.append(f"cancel size {given_value!r} is no number but was sent as {value!r}")
            continue
        if not (PLAIN_DECIMAL.fullmatch(value) and Decimal(value) == exact and exact > 0):
            problems.append(f"cancel size {given_value!r} was sent as {value!r}")
    if isinstance(outcome, OrderCancelError):
        problems.append(f"the echoing server's answer was refused: {outcome!r}")
    return problems


@st.composite
def hostile_calls(draw: st.DrawFn) -> tuple[Endpoint, dict[str, Any]]:
    """An endpoint and arguments, each valid or anything at all."""
    endpoint = draw(st.sampled_from([e for e in ENDPOINTS.values() if e.args]))
    args = {}
    for name in endpoint.args:
        valid = (
            cancel_sizes().map(lambda pair: pair[0]) if name == "cancel_size" else VALID_ARGS[name]
        )
        args[name] = draw(st.one_of(valid, anything), label=name)
    return endpoint, args


@twins
@PROPERTY
@given(call=hostile_calls())
def test_any_input_is_refused_unsent_or_reaches_its_endpoint(
    twin: Twin, call: tuple[Endpoint, dict[str, Any]]
) -> None:
    endpoint, args = call
    outcome, sent = _attempt(twin, endpoint, args)
    assert _problems(endpoint, args, outcome, sent) == []


POSITIONS = [(e, name) for e in ENDPOINTS.values() for name in e.args]
NASTY_VALUES = [
    *NASTY_TEXT,
    None,
    True,
    False,
    0,
    -1,
    10**41,
    0.1,
    float("nan"),
    float("inf"),
    Decimal("NaN"),
    Decimal("sNaN"),
    Decimal("-Infinity"),
    Decimal("-0"),
    Decimal("1E-41"),
    b"BTC-USDT",
    ["BTC-USDT"],
    {"symbol": "BTC-USDT"},
]


@twins
@pytest.mark.parametrize(
    ("endpoint", "name"), POSITIONS, ids=[f"{e.method}-{n}" for e, n in POSITIONS]
)
def test_nasty_values_are_refused_unsent_or_reach_the_endpoint(
    twin: Twin, endpoint: Endpoint, name: str
) -> None:
    """Every nasty value in every argument position, the others valid; all offenders listed."""
    offenders = {}
    with respx.mock(base_url=BASE_URL, assert_all_called=False) as router:
        router.route().mock(side_effect=fake_kucoin)
        for value in NASTY_VALUES:
            args = {arg: (value if arg == name else _valid(arg)) for arg in endpoint.args}
            outcome, sent = _attempt(twin, endpoint, args, router)
            problems = _problems(endpoint, args, outcome, sent)
            if problems:
                offenders[repr(value)[:40]] = problems
    assert offenders == {}


# Documented outcomes (KuCoin's rules, the wrapper's documented rules): None means refused.
EXPECTED = [
    ("cancel_order_by_client_oid", "client_oid", "client order id 13", "client order id 13"),
    ("cancel_order_by_client_oid", "client_oid", "a" * 40, "a" * 40),
    ("cancel_order_by_client_oid", "client_oid", "a" * 41, None),  # documented maximum is 40
    ("cancel_order_by_client_oid", "client_oid", "a/b", None),
    ("cancel_order_by_client_oid", "client_oid", "..", None),
    ("cancel_order_by_client_oid", "client_oid", ".", None),
    ("cancel_order_by_client_oid", "client_oid", "a?symbol=ETH-USDT", None),
    ("cancel_order_by_client_oid", "client_oid", "a#b", None),
    ("cancel_order_by_client_oid", "client_oid", "%2F", None),
    ("cancel_order_by_client_oid", "client_oid", "", None),
    (
        "cancel_order_by_order_id",
        "order_id",
        "671124f9365ccb00073debd4",
        "671124f9365ccb00073debd4",
    ),
    ("cancel_order_by_order_id", "order_id", "../cancelAll", None),
    ("cancel_order_by_order_id", "order_id", "cancelAll", None),  # would reach cancel-ALL
    ("cancel_partial_order", "cancel_size", 0.1, None),  # documented: a float is refused
    ("cancel_partial_order", "cancel_size", True, None),
    ("cancel_partial_order", "cancel_size", "0", None),
    ("cancel_partial_order", "cancel_size", "-1", None),
    ("cancel_partial_order", "cancel_size", "NaN", None),
    ("cancel_partial_order", "cancel_size", Decimal("Infinity"), None),
    ("cancel_partial_order", "cancel_size", "1e5", "100000"),
    ("cancel_partial_order", "cancel_size", Decimal("1E-8"), "0.00000001"),
    ("cancel_partial_order", "cancel_size", 3, "3"),
    # Unicode digits are refused like any non-ASCII text (issue 12, item 7) ...
    ("cancel_partial_order", "cancel_size", "\uff11.\uff15", None),  # fullwidth "1.5"
    ("cancel_partial_order", "cancel_size", "\u0663", None),  # Arabic-Indic three
    ("cancel_partial_order", "cancel_size", "\U0001d7cf", None),  # mathematical bold one
    ("cancel_partial_order", "cancel_size", "0.\uff15", None),
    ("cancel_partial_order", "cancel_size", "1e\u0663", None),
    ("cancel_partial_order", "order_id", "\uff16\uff17\uff11\uff11", None),
    ("cancel_order_by_order_id", "order_id", "671124f9365ccb00073debd\u0664", None),
    ("cancel_order_by_client_oid", "client_oid", "oid-\u0663", None),
    ("cancel_all_orders_by_symbol", "symbol", "BTC-USD\u0663", None),
    ("cancel_all_orders_by_symbol", "symbol", "\U0001d7cf-USDT", None),
    # ... but a Decimal or int made from them is that number (it keeps no trace of the text),
    # and goes out in ASCII digits.
    ("cancel_partial_order", "cancel_size", Decimal("\uff11.\uff15"), "1.5"),
    ("cancel_partial_order", "cancel_size", int("\u0663"), "3"),
    ("cancel_all_orders_by_symbol", "symbol", "BTC-USDT&symbol=ETH-USDT", None),
    ("cancel_all_orders_by_symbol", "symbol", "", None),
]


@twins
@pytest.mark.parametrize(
    ("method", "name", "value", "sent_as"),
    EXPECTED,
    ids=[f"{m}-{n}-{v!r:.30}" for m, n, v, _ in EXPECTED],
)
def test_documented_input_outcomes(
    twin: Twin, method: str, name: str, value: Any, sent_as: str | None
) -> None:
    endpoint = ENDPOINTS[method]
    args = {arg: (value if arg == name else _valid(arg)) for arg in endpoint.args}
    outcome, sent = _attempt(twin, endpoint, args)
    if sent_as is None:
        assert isinstance(outcome, InvalidRequest)
        assert isinstance(outcome, ValueError)
        assert sent == []
        return
    assert _problems(endpoint, args, outcome, sent) == []
    _, query = split_target(raw_target(sent[0]))
    if name == endpoint.path_arg:
        assert route_problems(sent[0], endpoint, sent_as) == []
    else:
        assert dict(parse_query(query))[dict((a, w) for w, a in endpoint.query)[name]] == sent_as
