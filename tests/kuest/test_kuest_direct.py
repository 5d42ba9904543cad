"""The async client's direct path: the same bytes on the wire as httpx's path, the same outcomes.

As tests/kucoin/test_kucoin_direct.py, for Kuest: its JSON bodies (signed byte for byte), the
extra Content-Type the generated code passes, and cancel_orders' concurrent requests.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import string
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st
from ordercancel import AsyncKuestCancelOrder, RateLimiter, RetryPolicy
from ordercancel._aiohttp import AiohttpTransport
from support.kuest import FIXED_S, KEYS, order_ids

ONE_ATTEMPT = RetryPolicy(attempts=1)
_TOKEN = st.text(string.ascii_letters + string.digits + "-_.~&=%+!", min_size=1, max_size=20)


calls = st.one_of(
    st.tuples(st.just("cancel_order"), st.tuples(order_ids), st.just({})),
    st.tuples(
        st.just("cancel_orders"),
        st.tuples(st.lists(order_ids, min_size=1, max_size=4)),
        st.fixed_dictionaries({"batch": st.booleans()}),
    ),
    st.tuples(st.just("cancel_all"), st.just(()), st.just({})),
    st.tuples(
        st.just("cancel_market_orders"),
        st.just(()),
        st.fixed_dictionaries({}, optional={"market": _TOKEN, "asset_id": _TOKEN}).filter(bool),
    ),
)


@st.composite
def answers(draw: st.DrawFn) -> tuple[int, tuple[tuple[str, str], ...], bytes]:
    """An answer Kuest or a proxy in front of it could send, sometimes gzip-encoded."""
    status, payload = draw(
        st.sampled_from(
            [
                (200, {"canceled": ["0xabc"], "not_canceled": {}}),
                (200, {"canceled": [], "not_canceled": {"0xabc": "order not found"}}),
                (200, {"success": True}),
                (404, {"error": "order not found"}),
                (409, {"error": "order is already matched"}),
                (401, {"error": "Unauthenticated"}),
                (429, {"error": "rate limited"}),
                (500, None),
            ]
        )
    )
    body = b"<html>oops</html>" if payload is None else json.dumps(payload).encode()
    headers = [("Content-Type", "application/json")]
    if status == 429:
        headers.append(("Retry-After", draw(st.sampled_from(["1", "60", "soon"]))))
    if draw(st.booleans()):
        body = gzip.compress(body)
        headers.append(("Content-Encoding", "gzip"))
    return status, tuple(headers), body


def _outcome(result: Any) -> Any:
    """`result` comparable across runs: errors (alone or in outcomes) as their type and text."""
    if isinstance(result, BaseException):
        return type(result), str(result)
    if isinstance(result, list):
        return [(item.order_id, _outcome(item.error)) for item in result]
    return result


async def _run(server: Any, call: Any, id_field: str, direct: bool) -> tuple[Any, list[Any]]:
    options: dict[str, Any] = {} if direct else {"transport": AiohttpTransport()}
    async with AsyncKuestCancelOrder(
        keys=KEYS,
        base_url=server.url,
        clock=lambda: FIXED_S,
        retry=ONE_ATTEMPT,
        rate_limiter=RateLimiter(10_000, 1.0),
        id_field=id_field,  # type: ignore[arg-type]
        **options,
    ) as client:
        name, args, kwargs = call
        try:
            outcome = _outcome(await getattr(client, name)(*args, **kwargs))
        except Exception as exc:
            outcome = _outcome(exc)
    # cancel_orders sends side by side: compare what arrived, not in which order.
    return outcome, sorted(server.received, key=repr)


@settings(max_examples=150, deadline=None)
@given(call=calls, answer=answers(), id_field=st.sampled_from(["orderId", "orderID"]))
def test_direct_and_httpx_paths_send_the_same_requests_and_agree(
    capture_server: Any, call: Any, answer: Any, id_field: str
) -> None:
    results = []
    for direct in (True, False):
        capture_server.reset(*answer)
        results.append(asyncio.run(_run(capture_server, call, id_field, direct)))
    (outcome, sent), (httpx_outcome, httpx_sent) = results
    assert sent, "nothing reached the server"
    assert sent == httpx_sent
    assert outcome == httpx_outcome
