"""No secret in reach (issue 12, item 6): an error's whole chain, `vars()` and log lines.

Kuest's L2 headers carry the passphrase as is (KUEST_PASSPHRASE) and the signature
(KUEST_SIGNATURE). A connection error keeps the failed request in its chain
(`exc.__cause__.request`, and on the async default transport aiohttp's `request_info`): those
headers must not be readable there. The default clients (sync, and async on its default
transport) meet real sockets that misbehave: a server that reads the request and drops the
connection, one that answers no HTTP at all, and a port where nothing listens; single and bulk
cancels. The forbidden values are the keys, the signature as Kuest's rule computes it
(`oracle_signature`), and the header values read off the wire.

A base URL with user info (`https://user:password@host`) is refused, and no error quotes its
password.
"""

from __future__ import annotations

import asyncio
import base64
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from ordercancel import (
    APIConnectionError,
    AsyncKuestCancelOrder,
    ConfigurationError,
    KuestCancelOrder,
    KuestKeys,
    OrderOutcome,
    RetryPolicy,
)
from support.kuest import (
    FIXED_S,
    KEYS,
    compact,
    encodings,
    fast_limiter,
    passphrases,
    secret_bytes,
)
from support.kuest_oracle import oracle_signature
from support.shown_texts import header_values, leaks, logged, misbehaving_server, shown_texts

ORDER = "0x38a73eed1e6d177545e9ab027abddfb7e08dbe975fa777123b1752d203d6ac88"
CLIENTS = {"sync": KuestCancelOrder, "async": AsyncKuestCancelOrder}
SOCKET_PROPERTY = settings(max_examples=15, deadline=None)
# (method, args, path, body) of a single cancel and of a bulk one in one request.
CALLS = {
    "single": ("cancel_order", (ORDER,), "/order", compact({"orderId": ORDER})),
    "batch": ("cancel_orders", ([ORDER],), "/orders", compact([ORDER])),
}


def _errors(is_async: bool, keys: KuestKeys, base_url: str, call: str) -> list[BaseException]:
    """The errors of one cancel by a default client (no transport given)."""
    method, args, _, _ = CALLS[call]
    kwargs = {"batch": True} if call == "batch" else {}
    options: dict[str, Any] = {
        "keys": keys,
        "base_url": base_url,
        "clock": lambda: FIXED_S,
        "retry": RetryPolicy(attempts=1),
        "rate_limiter": fast_limiter(),
    }

    def of(result: Any) -> list[BaseException]:
        assert isinstance(result, list), f"{method} returned {result!r}"
        assert all(isinstance(o, OrderOutcome) for o in result)
        return [o.error for o in result if o.error is not None]

    if not is_async:
        with KuestCancelOrder(**options) as client:
            try:
                return of(getattr(client, method)(*args, **kwargs))
            except Exception as exc:
                return [exc]

    async def run() -> list[BaseException]:
        async with AsyncKuestCancelOrder(**options) as client:
            try:
                return of(await getattr(client, method)(*args, **kwargs))
            except Exception as exc:
                return [exc]

    return asyncio.run(run())


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
@pytest.mark.parametrize("mode", ["drop", "garbage", "refused"])
@pytest.mark.parametrize("call", list(CALLS))
@SOCKET_PROPERTY
@given(key=secret_bytes, which=st.integers(0, 3), passphrase=passphrases)
def test_a_connection_errors_whole_chain_holds_no_secret(
    is_async: bool, mode: str, call: str, key: bytes, which: int, passphrase: str
) -> None:
    keys = KuestKeys(
        address=KEYS.address,
        api_key=KEYS.api_key,
        api_secret=encodings(key)[which],
        api_passphrase=passphrase,
    )
    _, _, path, body = CALLS[call]
    with misbehaving_server(mode) as (url, received):
        errors = _errors(is_async, keys, url, call)

    assert errors
    assert all(isinstance(e, APIConnectionError) for e in errors), errors
    signature = oracle_signature(key, str(FIXED_S), "DELETE", path, body)
    secrets = {
        **{f"api secret ({i})": form for i, form in enumerate(encodings(key))},
        "api secret (hex)": base64.b16encode(key).decode(),
        "passphrase": passphrase,
        "signature": signature,
    }
    if mode != "refused":
        sent = header_values(received, ("KUEST_PASSPHRASE", "KUEST_SIGNATURE"))
        assert sorted(sent) == sorted([passphrase, signature])
    assert leaks(list(errors), secrets) == {}
    for error in errors:
        printed = logged(error)
        assert [name for name, value in secrets.items() if value in printed] == []
        # Still there for debugging: which request failed, and why.
        request = error.__cause__.request  # type: ignore[union-attr]
        assert (request.method, request.url.path) == ("DELETE", path)
        assert request.headers["KUEST_API_KEY"] == keys.api_key


PASSWORDS = st.text(st.sampled_from("abcdefghijkmnpqrstuvwxyz0123456789-._~!$&'()*+,;="),
                    min_size=10, max_size=30).map(lambda s: f"pw{s}pw")  # fmt: skip
USERINFO_URLS = [
    "ftp://u:{pw}@h",
    "https://u:{pw}@h",
    "https://u:{pw}@clob.kuest.com/prefix",
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
    with pytest.raises(ConfigurationError) as caught:
        CLIENTS[client](keys=KEYS, base_url=template.format(pw=password))
    assert [t for t in shown_texts(caught.value) if password in t] == []
    assert "credentials" in str(caught.value)
