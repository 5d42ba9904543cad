"""Input checks: any argument raises InvalidRequest with nothing sent, or is sent well-formed.

The must-refuse rules below are the test's own: an id that is not a string, is empty or blank,
or holds control characters can never name a Kuest order; and inputs are ASCII, so any other
character is refused, Unicode digits (Arabic-Indic, fullwidth, ...) included (issue 12, item 7).
Anything else may be refused or sent, but when sent it must be exactly the documented request,
correctly signed.
"""

from __future__ import annotations

import json
import unicodedata
from typing import Any

import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st
from ordercancel import InvalidRequest, KuestCancelReport, KuestOrderCanceled, OrderOutcome
from support.kuest import (
    BASE_URL,
    FIXED_S,
    HEAVY_PROPERTY,
    KEYS,
    PROPERTY,
    Twin,
    compact,
    order_ids,
    twins,
)
from support.kuest_oracle import signing_problems

_nasty_text = st.one_of(
    st.text(),
    st.text(st.characters(categories=["Cc", "Cf", "Zs", "Zl", "Zp"]), min_size=1),
    st.sampled_from(["", " ", "\t", "\n", "\x00", "ord 1", " ord", "ord\r\n", "ördér", "\u200b"]),
    # Unicode digits, alone and in ids that are otherwise well-formed.
    st.sampled_from(["\uff11", "\u0663", "\U0001d7cf", "0x\uff11\uff12", "ord_\u0663", "7\u0967"]),
    st.text(st.characters(categories=["Nd"]) | st.sampled_from("0x_ord"), min_size=1, max_size=12),
    st.text(min_size=200, max_size=2000),
    order_ids,
)
anything = st.one_of(
    _nasty_text,
    st.none(),
    st.booleans(),
    st.integers(),
    st.floats(),
    st.binary(max_size=20),
    st.lists(st.text(max_size=5), max_size=3),
    st.dictionaries(st.text(max_size=3), st.text(max_size=3), max_size=2),
)


def must_refuse(value: object) -> bool:
    """Ids no venue could mean: not a str, empty or blank, with control characters; not ASCII."""
    if not isinstance(value, str) or not value.strip() or not value.isascii():
        return True
    return any(unicodedata.category(c) == "Cc" for c in value)


def _attempt(twin: Twin, method: str, *args: Any, **kwargs: Any) -> tuple[Any, list[Any]]:
    """Call `method` against a respx Kuest answering success; (result or error, requests)."""
    with respx.mock(assert_all_called=False) as router:
        route = router.route().respond(200, json={"success": True})
        result = twin.outcome(method, *args, **kwargs)
    return result, [call.request for call in route.calls]


def _check_refused(result: Any, requests: list[Any]) -> None:
    assert isinstance(result, InvalidRequest), result
    assert isinstance(result, ValueError)
    assert requests == []


@twins
@PROPERTY
@given(value=anything)
def test_cancel_order_refuses_or_sends_well_formed(twin: Twin, value: Any) -> None:
    result, requests = _attempt(twin, "cancel_order", value)
    if must_refuse(value) or isinstance(result, InvalidRequest):
        _check_refused(result, requests)
        return
    assert result == KuestOrderCanceled(value)
    (request,) = requests
    assert (request.method, str(request.url)) == ("DELETE", f"{BASE_URL}/order")
    assert request.content == compact({"orderId": value})
    assert signing_problems(request, KEYS, FIXED_S) == []


@twins
@pytest.mark.parametrize(
    "value",
    [None, 123, b"ord_1", "", " ", "\t\n", "ord\x00", "ord\n1", "\x7f", ["ord_1"],
     "\uff11", "\u0663", "\U0001d7cf", "0x\uff11\uff12", "ord_\u0663"],
    ids=repr,
)  # fmt: skip
def test_cancel_order_refuses_the_obviously_bad(twin: Twin, value: Any) -> None:
    _check_refused(*_attempt(twin, "cancel_order", value))


@st.composite
def id_collections(draw: st.DrawFn) -> Any:
    """Bare strings, empty collections, and lists of good ids with maybe one bad one."""
    kind = draw(st.sampled_from(["bare", "empty", "good", "one-bad", "anything"]))
    if kind == "bare":
        return draw(st.one_of(order_ids, st.binary(min_size=1, max_size=10)))
    if kind == "empty":
        return draw(st.sampled_from([[], (), set(), iter(())]))
    ids = draw(st.lists(order_ids, min_size=1, max_size=6))
    if kind == "one-bad":
        ids.insert(draw(st.integers(0, len(ids))), draw(anything.filter(must_refuse)))
    elif kind == "anything":
        ids = draw(st.lists(anything, min_size=1, max_size=4))
    return draw(st.sampled_from([list, tuple])).__call__(ids)


def _must_refuse_collection(value: Any) -> bool:
    if isinstance(value, str | bytes):
        return True  # a bare str would cancel one order per character
    items = list(value)
    return not items or any(must_refuse(i) for i in items)


@twins
@HEAVY_PROPERTY
@given(value=id_collections(), batch=st.booleans())
def test_cancel_orders_refuses_or_sends_well_formed(twin: Twin, value: Any, batch: bool) -> None:
    items = None if isinstance(value, str | bytes) else list(value)
    if items is not None and not isinstance(value, list | tuple):
        value = iter(items)  # one-shot iterators are read once
    result, requests = _attempt(twin, "cancel_orders", value, batch=batch)
    if _must_refuse_collection(items if items is not None else value) or isinstance(
        result, InvalidRequest
    ):
        _check_refused(result, requests)
        return
    assert items is not None
    distinct = list(dict.fromkeys(items))
    assert result == [OrderOutcome(i) for i in distinct]
    if batch:
        (request,) = requests
        assert (request.method, str(request.url)) == ("DELETE", f"{BASE_URL}/orders")
        assert request.content == compact(distinct)
    else:
        assert sorted(json.loads(r.content)["orderId"] for r in requests) == sorted(distinct)
        for request in requests:
            assert (request.method, str(request.url)) == ("DELETE", f"{BASE_URL}/order")
    assert all(signing_problems(r, KEYS, FIXED_S) == [] for r in requests)


@twins
@pytest.mark.parametrize(
    "value",
    ["ord_1", "0xabc", b"ord_1", [], (), ["ord_1", ""], ["ord_1", None], ["ord_1", "a b\n"],
     ["ord_1", "ord_\u0663"], ["\uff11"]],
    ids=repr,
)  # fmt: skip
@pytest.mark.parametrize("batch", [False, True], ids=["each", "batch"])
def test_cancel_orders_refuses_the_obviously_bad(twin: Twin, value: Any, batch: bool) -> None:
    _check_refused(*_attempt(twin, "cancel_orders", value, batch=batch))


_filter_value = st.one_of(st.none(), anything)


@twins
@PROPERTY
@given(market=_filter_value, asset_id=_filter_value)
def test_cancel_market_orders_refuses_or_sends_well_formed(
    twin: Twin, market: Any, asset_id: Any
) -> None:
    result, requests = _attempt(twin, "cancel_market_orders", market=market, asset_id=asset_id)
    given_values = {
        k: v
        for k, v in (("market", market), ("assetId", asset_id), ("asset_id", asset_id))
        if v is not None
    }
    if not given_values or any(must_refuse(v) for v in given_values.values()):
        _check_refused(result, requests)
        return
    if isinstance(result, InvalidRequest):
        _check_refused(result, requests)
        return
    assert result == KuestCancelReport()
    (request,) = requests
    assert (request.method, str(request.url)) == ("DELETE", f"{BASE_URL}/cancel-market-orders")
    assert json.loads(request.content) == given_values
    assert request.content == compact(json.loads(request.content))
    assert signing_problems(request, KEYS, FIXED_S) == []


@twins
@pytest.mark.parametrize(
    "kwargs",
    [
        {"market": "0x\uff15f65"},
        {"asset_id": "\u0667132"},
        {"market": "0x5f65", "asset_id": "7\U0001d7cf"},
    ],
    ids=repr,
)
def test_cancel_market_orders_refuses_unicode_digits(twin: Twin, kwargs: dict[str, str]) -> None:
    _check_refused(*_attempt(twin, "cancel_market_orders", **kwargs))


@twins
def test_cancel_market_orders_needs_market_or_asset(twin: Twin) -> None:
    _check_refused(*_attempt(twin, "cancel_market_orders"))
    _check_refused(*_attempt(twin, "cancel_market_orders", None, None))


@twins
@pytest.mark.parametrize(
    ("kwargs", "body"),
    [
        ({"market": "0x5f65"}, {"market": "0x5f65"}),
        ({"asset_id": "7132"}, {"assetId": "7132", "asset_id": "7132"}),
        (
            {"market": "0x5f65", "asset_id": "7132"},
            {"market": "0x5f65", "assetId": "7132", "asset_id": "7132"},
        ),
    ],
)
def test_cancel_market_orders_body_names(
    twin: Twin, kwargs: dict[str, str], body: dict[str, str]
) -> None:
    result, (request,) = _attempt(twin, "cancel_market_orders", **kwargs)
    assert result == KuestCancelReport()
    assert json.loads(request.content) == body
