"""No secret in reach (issue 12, item 6): an error's whole chain, `vars()` and log lines.

A bot logs what it catches (`logger.exception`), and error trackers walk the chain and the
attributes of every link. The chain of a connection error holds the failed request
(`exc.__cause__.request`), and on the async default transport aiohttp's own error with its
`request_info`: their headers must not carry the passphrase header or the signature. Here the
default clients (sync, and async on its default transport) meet real sockets that misbehave: a
server that reads the request and drops the connection, one that answers no HTTP at all, and a
port where nothing listens. The forbidden values are the keys, and the header values as read off
the wire (and, where nothing reached a wire, as KuCoin's rule computes them: kucoin_sign).

A base URL with user info (`https://user:password@host`) is refused, and no error quotes its
password.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ordercancel import (
    APIConnectionError,
    AsyncKucoinSpotCancelOrder,
    ConfigurationError,
    KucoinKeys,
    KucoinSpotCancelOrder,
    RetryPolicy,
)
from ordercancel._aiohttp import AiohttpTransport
from support.kucoin_oracle import kucoin_sign
from support.shown_texts import header_values, leaks, logged, misbehaving_server, shown_texts
from test_kucoin_secrets import strong_secrets

NOW_MS = 1_700_000_000_000
ORDER_ID, SYMBOL = "671124f9365ccb00073debd4", "BTC-USDT"
TARGET = f"/api/v1/hf/orders/{ORDER_ID}?symbol={SYMBOL}"
CLIENTS = {"sync": KucoinSpotCancelOrder, "async": AsyncKucoinSpotCancelOrder}
SOCKET_PROPERTY = settings(max_examples=15, deadline=None)


def _cancel(client: str, keys: KucoinKeys, base_url: str) -> BaseException:
    """One cancel by a default client (or the async one on an AiohttpTransport given as
    `transport=`, which goes through httpx); the error it raised."""
    options: dict[str, Any] = {
        "keys": keys,
        "base_url": base_url,
        "clock": lambda: NOW_MS,
        "retry": RetryPolicy(attempts=1),
    }
    if client == "async-aiohttp-transport":
        options["transport"] = AiohttpTransport()
    if client == "sync":
        with KucoinSpotCancelOrder(**options) as client:
            try:
                client.cancel_order_by_order_id(ORDER_ID, SYMBOL)
            except Exception as exc:
                return exc
        raise AssertionError("the cancel succeeded")

    async def run() -> BaseException:
        async with AsyncKucoinSpotCancelOrder(**options) as client:
            try:
                await client.cancel_order_by_order_id(ORDER_ID, SYMBOL)
            except Exception as exc:
                return exc
        raise AssertionError("the cancel succeeded")

    return asyncio.run(run())


@pytest.mark.parametrize("client", ["sync", "async", "async-aiohttp-transport"])
@pytest.mark.parametrize("mode", ["drop", "garbage", "refused"])
@SOCKET_PROPERTY
@given(secret=strong_secrets, passphrase=strong_secrets, version=st.sampled_from(["2", "3"]))
def test_a_connection_errors_whole_chain_holds_no_secret(
    client: str, mode: str, secret: str, passphrase: str, version: str
) -> None:
    keys = KucoinKeys(
        api_key="67a1b2c3d4e5f60001a2b3c4",
        api_secret=secret,
        api_passphrase=passphrase,
        key_version=version,
    )
    with misbehaving_server(mode) as (url, received):
        error = _cancel(client, keys, url)

    assert isinstance(error, APIConnectionError), repr(error)
    secrets = {
        "api secret": secret,
        "passphrase": passphrase,
        "passphrase header": kucoin_sign(secret, passphrase.encode()),
        "signature": kucoin_sign(secret, f"{NOW_MS}DELETE{TARGET}".encode()),
    }
    on_the_wire = header_values(received, ("KC-API-SIGN", "KC-API-PASSPHRASE"))
    if mode != "refused":
        assert sorted(on_the_wire) == sorted([secrets["signature"], secrets["passphrase header"]])
    assert leaks([error], secrets) == {}
    assert [name for name, value in secrets.items() if value in logged(error)] == []
    # Still there for debugging: which request failed, and why.
    request = error.__cause__.request  # type: ignore[union-attr]
    assert (request.method, request.url.path) == ("DELETE", f"/api/v1/hf/orders/{ORDER_ID}")
    assert request.headers["KC-API-KEY"] == keys.api_key


@pytest.mark.parametrize("client", ["sync", "async", "async-aiohttp-transport"])
def test_logger_exception_of_a_dropped_connection_prints_no_secret(
    client: str, caplog: pytest.LogCaptureFixture
) -> None:
    keys = KucoinKeys(api_key="k", api_secret="S3CRET-kc-0001", api_passphrase="PASS-kc-0001")
    with misbehaving_server("garbage") as (url, received):
        error = _cancel(client, keys, url)
    secrets = [keys.api_secret, keys.api_passphrase]
    secrets += header_values(received, ("KC-API-SIGN", "KC-API-PASSPHRASE"))
    assert len(secrets) == 4

    with caplog.at_level(logging.ERROR, logger="a.bot"):
        try:
            raise error
        except APIConnectionError:
            logging.getLogger("a.bot").exception("cancel failed")
    printed = caplog.text + logged(error)

    assert "cancel failed" in printed
    assert "Traceback" in printed
    assert [s for s in secrets if s in printed] == []


PASSWORDS = st.text(st.sampled_from("abcdefghijkmnpqrstuvwxyz0123456789-._~!$&'()*+,;="),
                    min_size=10, max_size=30).map(lambda s: f"pw{s}pw")  # fmt: skip
USERINFO_URLS = [
    "ftp://u:{pw}@h",
    "https://u:{pw}@h",
    "https://u:{pw}@api.kucoin.com/prefix",
    "http://u:{pw}@127.0.0.1:notaport",
    "https://{pw}@h",
    "https://u:{pw}@",
]


@pytest.mark.parametrize("client", list(CLIENTS))
@pytest.mark.parametrize("template", USERINFO_URLS)
@settings(max_examples=20, deadline=None)
@given(password=PASSWORDS)
def test_a_base_url_with_a_password_is_refused_without_quoting_it(
    client: str, template: str, password: str
) -> None:
    keys = KucoinKeys(api_key="k", api_secret="s", api_passphrase="p")
    with pytest.raises(ConfigurationError) as caught:
        CLIENTS[client](keys=keys, base_url=template.format(pw=password))
    assert [t for t in shown_texts(caught.value) if password in t] == []
    assert "credentials" in str(caught.value)
