"""The async client's direct path: the same bytes on the wire as httpx's path, the same outcomes.

`AsyncKucoinSpotCancelOrder` without a transport sends the generated code's requests straight to
aiohttp; given `transport=AiohttpTransport()`, the same aiohttp pool is reached through
httpx.AsyncClient's own request building, auth flow and response streaming. Both talk to one
capture server (tests/conftest.py), which records each request as read off the socket: method,
raw target, every header in order, body. For any valid call and any answer, the two paths must
send identical requests and end in the same result or error.
"""

from __future__ import annotations

import asyncio
import gzip
import json
import re
from typing import Any
from urllib.parse import unquote

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ordercancel import (
    APIConnectionError,
    AsyncKucoinSpotCancelOrder,
    KucoinKeys,
    KucoinOrderNotCancellable,
    RetryPolicy,
)
from ordercancel._aiohttp import (
    _VERBATIM_PATH,
    AiohttpTransport,
    DirectAsyncClient,
    _verbatim_path,
)
from ordercancel._fast_httpx import fold_plain_params
from ordercancel.kucoin._signing import KucoinAuth
from support.kucoin import ENDPOINTS, FIXED_MS
from support.kucoin_strategies import VALID_ARGS, cancel_sizes, keys

KEYS = KucoinKeys(api_key="k", api_secret="s", api_passphrase="p")
ONE_ATTEMPT = RetryPolicy(attempts=1)


@st.composite
def calls(draw: st.DrawFn) -> tuple[str, tuple[Any, ...]]:
    """A valid call of any of the five cancels: (method name, arguments)."""
    endpoint = draw(st.sampled_from(list(ENDPOINTS.values())))
    args = []
    for name in endpoint.args:
        args.append(draw(cancel_sizes())[0] if name == "cancel_size" else draw(VALID_ARGS[name]))
    return endpoint.method, tuple(args)


def _envelope(data: Any, code: str = "200000", **extra: Any) -> bytes:
    return json.dumps({"code": code, "data": data, **extra}).encode()


@st.composite
def answers(draw: st.DrawFn) -> tuple[int, tuple[tuple[str, str], ...], bytes]:
    """An answer KuCoin or a proxy in front of it could send, sometimes gzip-encoded (or not, but
    saying so)."""
    status, body = draw(
        st.sampled_from(
            [
                (200, _envelope({"orderId": "671124f9365ccb00073debd4"})),
                (200, _envelope({"clientOid": "a b", "cancelSize": "0.1"})),
                (200, _envelope({"succeedSymbols": ["BTC-USDT"], "failedSymbols": []})),
                (200, _envelope("BTC-USDT")),
                (200, _envelope(None, "400100", msg="order_not_exist_or_not_allow_to_cancel")),
                (401, _envelope(None, "400005", msg="Invalid KC-API-SIGN")),
                (401, _envelope(None, "400002", msg="Invalid KC-API-TIMESTAMP")),  # clock sync
                (429, _envelope(None, "429000", msg="Too Many Requests")),
                (503, b"<html>busy</html>"),
                (200, b""),
                (200, b'{"code": "200000", "data": '),
            ]
        )
    )
    headers = [("Content-Type", "application/json")]
    if draw(st.booleans()):
        headers += [("gw-ratelimit-limit", "4000"), ("gw-ratelimit-remaining", "3999")]
        headers.append(("gw-ratelimit-reset", draw(st.sampled_from(["29000", "x", ""]))))
    encoding = draw(st.sampled_from(["identity", "gzip", "gzip but not compressed"]))
    if encoding != "identity":
        headers.append(("Content-Encoding", "gzip"))
    if encoding == "gzip":
        body = gzip.compress(body)
    return status, tuple(headers), body


def _outcome(result: Any) -> Any:
    if isinstance(result, BaseException):
        return type(result), str(result)
    return result


async def _run(
    server: Any,
    client_keys: KucoinKeys,
    call: tuple[str, tuple[Any, ...]],
    direct: bool,
    prefix: str = "",
) -> tuple[Any, Any, list[Any]]:
    options: dict[str, Any] = {} if direct else {"transport": AiohttpTransport()}
    async with AsyncKucoinSpotCancelOrder(
        keys=client_keys,
        base_url=server.url + prefix,
        clock=lambda: FIXED_MS,
        retry=ONE_ATTEMPT,
        **options,
    ) as client:
        try:
            outcome = _outcome(await getattr(client, call[0])(*call[1]))
        except Exception as exc:
            outcome = _outcome(exc)
        return outcome, client.rate_limit, list(server.received)


@settings(max_examples=150, deadline=None)
@given(
    client_keys=keys(),
    call=calls(),
    answer=answers(),
    prefix=st.sampled_from(["", "/", "/kucoin", "/a/b/"]),  # a base URL with a path
)
def test_direct_and_httpx_paths_send_the_same_request_and_agree(
    capture_server: Any, client_keys: KucoinKeys, call: Any, answer: Any, prefix: str
) -> None:
    results = []
    for direct in (True, False):
        capture_server.reset(*answer)
        results.append(asyncio.run(_run(capture_server, client_keys, call, direct, prefix)))
    direct, through_httpx = results
    outcome, limits, sent = direct
    assert sent, "nothing reached the server"
    assert sent == through_httpx[2]
    assert outcome == through_httpx[0]
    assert limits == through_httpx[1]


def test_the_default_client_does_not_go_through_httpx_send(
    capture_server: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    capture_server.reset(body=_envelope({"orderId": "671124f9365ccb00073debd4"}))

    async def refuse(*args: Any, **kwargs: Any) -> Any:
        raise AssertionError("httpx.AsyncClient.send was used")

    monkeypatch.setattr(httpx.AsyncClient, "send", refuse)
    call = ("cancel_order_by_order_id", ("671124f9365ccb00073debd4", "BTC-USDT"))
    direct = asyncio.run(_run(capture_server, KEYS, call, direct=True))
    assert direct[0].order_id == "671124f9365ccb00073debd4"
    through_httpx = asyncio.run(_run(capture_server, KEYS, call, direct=False))
    assert through_httpx[0] == (AssertionError, "httpx.AsyncClient.send was used")


def test_cookies_the_venue_sets_are_sent_back(capture_server: Any) -> None:
    capture_server.reset(
        headers=(("Set-Cookie", "__cf_bm=abc; Path=/"),),
        body=_envelope({"orderId": "671124f9365ccb00073debd4"}),
    )

    async def twice() -> None:
        async with AsyncKucoinSpotCancelOrder(keys=KEYS, base_url=capture_server.url) as client:
            for _ in range(2):
                await client.cancel_order_by_order_id("671124f9365ccb00073debd4", "BTC-USDT")

    asyncio.run(twice())
    first, second = (dict((k.lower(), v) for k, v in r.headers) for r in capture_server.received)
    assert "cookie" not in first
    assert second["cookie"] == "__cf_bm=abc"


@pytest.mark.parametrize("direct", [True, False], ids=["direct", "httpx"])
def test_a_refused_connection_is_not_sent(direct: bool, unused_tcp_port: int) -> None:
    async def cancel() -> None:
        options: dict[str, Any] = {} if direct else {"transport": AiohttpTransport()}
        async with AsyncKucoinSpotCancelOrder(
            keys=KEYS, base_url=f"http://127.0.0.1:{unused_tcp_port}", **options
        ) as client:
            await client.cancel_order_by_order_id("671124f9365ccb00073debd4", "BTC-USDT")

    with pytest.raises(APIConnectionError) as caught:
        asyncio.run(cancel())
    assert caught.value.request_sent is False
    assert caught.value.path == "/api/v1/hf/orders/671124f9365ccb00073debd4"


def test_not_cancellable_reads_the_same_on_both_paths(capture_server: Any) -> None:
    body = _envelope(None, "400100", msg="order_not_exist_or_not_allow_to_cancel")
    call = ("cancel_order_by_order_id", ("671124f9365ccb00073debd4", "BTC-USDT"))
    for direct in (True, False):
        capture_server.reset(body=gzip.compress(body), headers=(("Content-Encoding", "gzip"),))
        outcome, _, _ = asyncio.run(_run(capture_server, KEYS, call, direct))
        assert outcome[0] is KucoinOrderNotCancellable


@pytest.mark.parametrize(
    ("method", "url", "options"),
    [
        ("DELETE", "/api/v1/hf/orders?symbol=BTC-USDT", {}),  # a query already in the URL
        ("DELETE", "/api/v1/hf/orders", {"params": {"symbol": "BTC USDT"}}),  # not plain
        ("DELETE", "/api/v1/hf/orders/./x", {}),  # a dot segment httpx resolves
        ("DELETE", "/api/v1/hf/orders/%7e", {}),  # a lower-case escape
        ("POST", "/api/v1/hf/orders", {}),  # httpx adds Content-Length: 0 first
        ("DELETE", "/api/v1/hf/orders", {"headers": [("X-A", "1")]}),  # not a dict
        ("DELETE", "/api/v1/hf/orders", {"timeout": 3.0}),  # any other argument
    ],
)
def test_requests_of_other_shapes_go_through_httpx(
    capture_server: Any, monkeypatch: pytest.MonkeyPatch, method: str, url: str, options: Any
) -> None:
    capture_server.reset()
    sent_by_httpx = []
    send = httpx.AsyncClient.send

    async def spy(self: httpx.AsyncClient, request: httpx.Request, **kwargs: Any) -> Any:
        sent_by_httpx.append(request)
        return await send(self, request, **kwargs)

    monkeypatch.setattr(httpx.AsyncClient, "send", spy)

    async def one_request() -> None:
        async with DirectAsyncClient(base_url=capture_server.url, auth=KucoinAuth(KEYS)) as client:
            await client.request(method, url, **options)

    asyncio.run(one_request())
    assert len(sent_by_httpx) == 1
    (received,) = capture_server.received
    # aiohttp may re-escape the target (%7e as ~); it stays the same target decoded.
    assert unquote(received.target) == unquote(sent_by_httpx[0].url.raw_path.decode())


def _change_headers(http: httpx.AsyncClient, step: int) -> None:
    """The client's headers changed as a user might between two cancels."""
    if step == 1:
        http.headers["User-Agent"] = "my-bot/2"  # in place, a header it had: same length
    elif step == 2:
        http.headers["X-Desk"] = "eu"  # in place, a new one
    elif step == 3:
        del http.headers["X-Desk"]
    elif step == 4:
        http.headers = {"X-Replaced": "1"}  # a new Headers object


def test_headers_changed_between_requests_are_sent_as_httpx_sends_them(
    capture_server: Any,
) -> None:
    """The direct path builds the client's headers once per change: each change is seen."""
    capture_server.reset(body=_envelope({"orderId": "671124f9365ccb00073debd4"}))

    async def five_cancels(direct: bool) -> list[Any]:
        options: dict[str, Any] = {} if direct else {"transport": AiohttpTransport()}
        async with AsyncKucoinSpotCancelOrder(
            keys=KEYS, base_url=capture_server.url, clock=lambda: FIXED_MS, **options
        ) as client:
            for step in range(5):
                _change_headers(client._http, step)
                await client.cancel_order_by_order_id("671124f9365ccb00073debd4", "BTC-USDT")
        sent = list(capture_server.received)
        capture_server.reset(body=_envelope({"orderId": "671124f9365ccb00073debd4"}))
        return sent

    direct = asyncio.run(five_cancels(direct=True))
    through_httpx = asyncio.run(five_cancels(direct=False))
    assert len(direct) == 5
    assert direct == through_httpx
    assert ("user-agent", "my-bot/2") in direct[1].headers
    assert ("x-desk", "eu") in direct[2].headers
    assert all(name != "x-desk" for name, _ in direct[3].headers)
    assert ("x-replaced", "1") in direct[4].headers


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="/.%-_~aZ09Fg?# é", max_size=12))
def test_the_verbatim_path_check_in_c_agrees_with_its_pattern(url: str) -> None:
    """`_verbatim_path` answers as the pattern it stands for (its oracle) for any text."""
    assert _verbatim_path(url) == (_VERBATIM_PATH.fullmatch(url) is not None)


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet="aZ09.-_~%+ =&/é", max_size=8), st.text(alphabet="aZ09.-_~%+ =&/é"))
def test_plain_params_fold_only_when_the_text_is_unchanged_by_encoding(
    key: str, value: str
) -> None:
    """Folded params are exactly httpx's encoding of them (httpx is the oracle)."""
    target, rest = fold_plain_params("/p", {key: value})
    if rest is None:
        assert target == f"/p?{httpx.QueryParams({key: value})}"
        assert re.fullmatch(r"[A-Za-z0-9._~-]*", key + value)
    else:
        assert not re.fullmatch(r"[A-Za-z0-9._~-]*", key + value)
