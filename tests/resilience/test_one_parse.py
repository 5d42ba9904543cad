"""Each answer is decoded once, on every stack, and only by the venue's envelope parser.

The generated code builds each request (its `request_kwargs`, from a template under
spec/templates/) and never sees the answer: no second parse, and no generator exception that a
wrapper would have to catch. A user-visible consequence checked here: a wrong-shaped 200 body is
still the venue's typed error carrying that body, on every stack.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

import httpx
import pytest
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    KucoinKeys,
    KucoinSpotCancelOrder,
    KucoinUnexpectedResponse,
    RetryPolicy,
)

KEYS = KucoinKeys(api_key="k", api_secret="s", api_passphrase="p")
ORDER_ID = "671124f9365ccb00073debd4"
ANSWER = json.dumps({"code": "200000", "data": {"orderId": ORDER_ID}}).encode()
ONE_ATTEMPT = RetryPolicy(attempts=1)
STACKS = ["sync httpx", "async httpx transport", "async default"]


def _answer(request: httpx.Request) -> httpx.Response:
    return httpx.Response(200, content=ANSWER, headers={"Content-Type": "application/json"})


def _cancel(stack: str, base_url: str) -> Any:
    """One cancel by order id on `stack`; its result (or the error it raised)."""
    try:
        if stack == "sync httpx":
            transport = httpx.MockTransport(_answer)
            with KucoinSpotCancelOrder(
                keys=KEYS, base_url=base_url, transport=transport, retry=ONE_ATTEMPT
            ) as client:
                return client.cancel_order_by_order_id(ORDER_ID, "BTC-USDT")

        async def run() -> Any:
            options: dict[str, Any] = {}
            if stack == "async httpx transport":
                options["transport"] = httpx.MockTransport(_answer)
            async with AsyncKucoinSpotCancelOrder(
                keys=KEYS, base_url=base_url, retry=ONE_ATTEMPT, **options
            ) as client:
                return await client.cancel_order_by_order_id(ORDER_ID, "BTC-USDT")

        return asyncio.run(run())
    except Exception as exc:
        return exc


def _counting_loads(monkeypatch: pytest.MonkeyPatch) -> list[bytes | str]:
    decoded: list[bytes | str] = []
    loads: Callable[..., Any] = json.loads

    def counting(text: bytes | str, *args: Any, **kwargs: Any) -> Any:
        decoded.append(text)
        return loads(text, *args, **kwargs)

    monkeypatch.setattr(json, "loads", counting)
    return decoded


@pytest.mark.parametrize("stack", STACKS)
def test_each_answer_is_decoded_once(
    stack: str, capture_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    capture_server.reset(200, (("Content-Type", "application/json"),), ANSWER)
    decoded = _counting_loads(monkeypatch)
    result = _cancel(stack, capture_server.url)
    assert not isinstance(result, Exception), result
    assert result.order_id == ORDER_ID
    # Once, as the bytes or as their text (`_json.answer_json` decodes a UTF-8 body itself).
    assert len([text for text in decoded if text in (ANSWER, ANSWER.decode())]) == 1


@pytest.mark.parametrize("stack", STACKS)
@pytest.mark.parametrize(
    "body",
    [
        b'{"code": "200000", "data": null}',  # the generated model would have raised TypeError
        b'{"code": "200000", "data": {"orderId": 5}}',
        b"<html>maintenance</html>",
        b'{"code": "200000", "data": ',
    ],
)
def test_a_wrong_shape_is_the_typed_error_with_its_body(
    stack: str, body: bytes, capture_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    def wrong(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=body)

    monkeypatch.setitem(globals(), "_answer", wrong)
    capture_server.reset(200, (), body)
    error = _cancel(stack, capture_server.url)
    assert isinstance(error, KucoinUnexpectedResponse)
    assert error.body == body


@pytest.mark.parametrize(
    "value",
    ["671124f9365ccb00073debd4", "a.b_c~d-e", "", "a/b", "a b", "50%", "..", "é", "a?b#c", 5],
)
def test_the_generated_path_segment_is_quote(value: object) -> None:
    """The generated code writes a path parameter as `quote(str(value), safe="")` does."""
    from urllib.parse import quote

    from ordercancel_kucoin_api.api.default import cancel_order_by_client_oid

    url = cancel_order_by_client_oid.request_kwargs(value, symbol="BTC-USDT")["url"]  # type: ignore[arg-type]
    assert url == "/api/v1/hf/orders/client-order/" + quote(str(value), safe="")


def _json_loads_or_none(content: bytes) -> Any:
    try:
        return json.loads(content)
    except (ValueError, RecursionError):
        return None


@pytest.mark.parametrize(
    "content",
    [
        ANSWER,
        b'{"a": "\xc3\xa9"}',  # UTF-8
        b'{"a": "\xed\xa0\x80"}',  # an encoded lone surrogate: json.loads' surrogatepass keeps it
        b'{"a": "\xff"}',  # not UTF-8
        '{"a": 1}'.encode("utf-16-le"),  # "{" then a zero byte: json.loads guesses UTF-16
        '{"a": 1}'.encode("utf-8-sig"),  # a BOM
        b"{",
        b"{}",
        b'{"a": NaN}',
        b"[1]",
        b"",
        b"{" * 100_000,
    ],
)
def test_the_answer_decoder_is_json_loads(content: bytes) -> None:
    """`answer_json` skips json.loads' encoding guess only where that guess is UTF-8."""
    from ordercancel._json import answer_json

    assert repr(answer_json(content)) == repr(_json_loads_or_none(content))
