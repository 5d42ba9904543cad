"""KuCoin's "not found" in all its spellings (issue 12, item 3).

Code 400100 is both KuCoin's "order does not exist / cannot be cancelled" and its generic
parameter error; only the message tells them apart, and KuCoin spells the first several ways.
Any case, spaces or underscores between the words and a final full stop make no difference:
`KucoinOrderNotCancellable`. Any other 400100 message stays a plain `KucoinAPIError` (a bot must
not take "Parameter error" for "the order is gone"). The oracle is `says_not_cancellable`
(support/kucoin_strategies.py), written from the list of spellings, not from the wrapper.
"""

from __future__ import annotations

from typing import Any

import httpx
import pytest
import respx
from hypothesis import example, given
from hypothesis import strategies as st
from ordercancel import (
    KucoinAPIError,
    KucoinKeys,
    KucoinOrderNotCancellable,
    OrderCancelError,
    OrderNotCancellable,
    RetryPolicy,
)
from support.kucoin import BASE_URL, PROPERTY, Twin, envelope, twins
from support.kucoin_strategies import (
    NOT_CANCELLABLE_MSGS,
    NOT_CANCELLABLE_WORDS,
    says_not_cancellable,
)

KEYS = KucoinKeys(api_key="k", api_secret="s", api_passphrase="p")
ORDER_ID = "671124f9365ccb00073debd4"
# Each operation that names an order, with its arguments.
CALLS: dict[str, tuple[Any, ...]] = {
    "cancel_order_by_order_id": (ORDER_ID, "BTC-USDT"),
    "cancel_order_by_client_oid": ("client order id 13", "BTC-USDT"),
    "cancel_partial_order": (ORDER_ID, "BTC-USDT", "0.5"),
}


def _answered(twin: Twin, method: str, status: int, msg: str) -> Any:
    """The error `method` raises when KuCoin answers code 400100 with `msg`."""
    body = envelope(None, code="400100", msg=msg)
    with respx.mock(base_url=BASE_URL) as router:
        router.route().mock(return_value=httpx.Response(status, content=body))
        try:
            result = twin.call(
                method,
                *CALLS[method],
                client_kwargs={"keys": KEYS, "retry": RetryPolicy(attempts=1)},
            )
        except OrderCancelError as exc:
            return exc
    raise AssertionError(f"a 400100 answer returned {result!r}")


@st.composite
def spellings(draw: st.DrawFn) -> str:
    """One of KuCoin's spellings with random case, separators, edge spaces and full stop."""
    words = draw(st.sampled_from(sorted(NOT_CANCELLABLE_WORDS)))
    separators = st.text(alphabet=" _", min_size=1, max_size=3)
    text = words[0]
    for word in words[1:]:
        text += draw(separators) + word
    text = "".join(c.upper() if draw(st.booleans()) else c for c in text)
    if draw(st.booleans()):
        text += "."
    edges = st.text(alphabet=" ", max_size=2)
    return draw(edges) + text + draw(edges)


# Real 400100 messages that are not "not found", and near misses that merely contain "order".
OTHER_MESSAGES = [
    "Parameter error",
    "Parameter [symbol] is invalid",
    "Parameter [cancelSize] is invalid",
    "symbol invalid",
    "cancelSize exceeds the remaining size of the order",
    "order size too small",
    "order not exists",
    "orders not exist",
    "order exist",
    "not exist",
    "order not exist..",
    "order not exist!",
    "order.not.exist",
    "order not exist or not allow to",
    "order_not_exist_or_not_allow_to_cancel_partially",
    "the order not exist",
    "",
]


def test_the_oracle_knows_the_documented_spellings() -> None:
    # The spellings of shared/api/kucoin.md and the issue, each as written.
    for msg in [*NOT_CANCELLABLE_MSGS, "ORDER_NOT_EXIST.", "Order Not Exist", " order not exist "]:
        assert says_not_cancellable(msg), msg
    for msg in OTHER_MESSAGES:
        assert not says_not_cancellable(msg), msg


@twins
@pytest.mark.parametrize("method", list(CALLS))
@PROPERTY
@given(msg=spellings(), status=st.sampled_from([200, 400, 404]))
@example(msg="Order not exist.", status=200)
@example(msg="order not exist", status=200)
@example(msg="ORDER_NOT_EXIST_OR_NOT_ALLOW_TO_CANCEL", status=400)
@example(msg="order  not_exist or NOT allow to be cancelled .", status=200)
def test_every_spelling_is_not_cancellable(twin: Twin, method: str, msg: str, status: int) -> None:
    assert says_not_cancellable(msg)
    error = _answered(twin, method, status, msg)
    assert type(error) is KucoinOrderNotCancellable
    assert isinstance(error, OrderNotCancellable)
    assert (error.status_code, error.code, error.msg) == (status, "400100", msg)


@twins
@PROPERTY
@given(
    msg=st.one_of(
        st.sampled_from(OTHER_MESSAGES),
        st.text(max_size=40),
        st.text(alphabet="ORDERNOTEXISTorder notexist_.", max_size=30),
        spellings().map(lambda s: s + " please retry"),
        spellings().map(lambda s: "not " + s),
    ).filter(lambda msg: not says_not_cancellable(msg)),
    status=st.sampled_from([200, 400]),
)
def test_any_other_400100_message_is_a_plain_kucoin_error(
    twin: Twin, msg: str, status: int
) -> None:
    error = _answered(twin, "cancel_order_by_order_id", status, msg)
    assert type(error) is KucoinAPIError
    assert not isinstance(error, OrderNotCancellable)
    assert (error.code, error.msg) == ("400100", msg)
