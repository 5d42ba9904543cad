"""Secrets: no api secret, passphrase or signature in any repr, str, error or log line.

The values are drawn by hypothesis with enough entropy that they cannot appear by chance.
"""

from __future__ import annotations

import asyncio
import base64
import json
import logging
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx
import pytest
import respx
from hypothesis import given
from hypothesis import strategies as st
from ordercancel import ConfigurationError, KuestKeys, OrderCancelError, RetryPolicy
from ordercancel.kuest._signing import KuestAuth
from support.kuest import (
    ASYNC,
    HEAVY_PROPERTY,
    KEYS,
    PROPERTY,
    SYNC,
    Twin,
    encodings,
    fast_limiter,
    passphrases,
    secret_bytes,
    twins,
)
from support.shown_texts import shown_texts

ENV_NAMES = ("KUEST_ADDRESS", "KUEST_API_KEY", "KUEST_API_SECRET", "KUEST_API_PASSPHRASE")

# Each id gets one kind of trouble; every error the library builds is then inspected.
TROUBLE: dict[str, Any] = {
    "0xa401": (401, b'{"error": "Unauthenticated"}'),
    "0xa403": (403, b'{"error": "not your order"}'),
    "0xa404": (404, b'{"error": "Order not found"}'),
    "0xa409": (409, b'{"error": "Order is already filled or cancelled."}'),
    "0xa429": (429, b'{"error": "Too Many Requests"}'),
    "0xa500": (500, b'{"error": "Unable to cancel this order right now"}'),
    "0xahtml": (200, b"<html>oops</html>"),
    "0xanot": (200, b'{"canceled": [], "not_canceled": {"0xanot": "market closed"}}'),
    "0xatimeout": httpx.ReadTimeout,
    "0xadropped": httpx.RemoteProtocolError,
    "0xarefused": httpx.ConnectError,
}


class _Captured(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


def _server(request: httpx.Request, signatures: list[str]) -> httpx.Response:
    signatures.append(request.headers["KUEST_SIGNATURE"])
    if request.url.path == "/cancel-all":
        body = {"canceled": ["0xb"], "not_canceled": {"0xc": "matched"}}
        return httpx.Response(200, json=body)
    trouble = TROUBLE[json.loads(request.content)["orderId"]]
    if isinstance(trouble, type):
        raise trouble("injected", request=request)
    status, body = trouble
    return httpx.Response(status, content=body, headers={"Retry-After": "0"})


def _exercise(twin: Twin, keys: KuestKeys) -> list[str]:
    """Everything a user could print after a bad day: reprs, errors, outcomes, log lines."""
    signatures: list[str] = []
    texts: list[str] = []
    captured = _Captured()
    logger = logging.getLogger("ordercancel")
    old_level = logger.level
    logger.addHandler(captured)
    logger.setLevel(logging.DEBUG)
    # Two attempts with no waiting, so the retry layer logs too.
    retry = RetryPolicy(attempts=2, backoff_initial=0.0, backoff_max=0.0, backoff_jitter=0.0)

    def action(client: Any) -> Any:
        texts.extend([repr(client), str(client)])
        return client.cancel_orders(list(TROUBLE))

    try:
        with respx.mock(assert_all_called=False) as router:
            router.route().mock(side_effect=lambda r: _server(r, signatures))
            outcomes = twin.run(action, keys=keys, retry=retry)
            errors: list[BaseException] = [o.error for o in outcomes if o.error is not None]
            errors.append(twin.outcome("cancel_all", client_kwargs={"keys": keys}))
            errors.append(twin.outcome("cancel_order", " bad id ", client_kwargs={"keys": keys}))
    finally:
        logger.removeHandler(captured)
        logger.setLevel(old_level)
    assert len(errors) == len(TROUBLE) + 2
    assert all(isinstance(e, OrderCancelError) for e in errors)
    texts.append(repr(outcomes))
    for error in errors:  # and all they hold: causes, contexts, vars(), the logged traceback
        texts.extend(shown_texts(error))
    texts.extend(captured.lines)
    return [*texts, *(f"SIGNATURE:{s}" for s in signatures)]


def _leaks(texts: list[str], forbidden: list[str]) -> list[str]:
    # One text to search (NUL never occurs in a secret, so no match spans two texts); each text
    # holding a leak is then named.
    shown = [t for t in texts if not t.startswith("SIGNATURE:")]
    everything = "\0".join(shown)
    return [f"{f!r} in {t!r}" for f in forbidden if f in everything for t in shown if f in t]


@twins
@HEAVY_PROPERTY
@given(key=secret_bytes, which=st.integers(0, 3), passphrase=passphrases)
def test_no_secret_in_any_repr_error_or_log(
    twin: Twin, key: bytes, which: int, passphrase: str
) -> None:
    keys = KuestKeys(
        address=KEYS.address,
        api_key=KEYS.api_key,
        api_secret=encodings(key)[which],
        api_passphrase=passphrase,
    )
    texts = _exercise(twin, keys)
    signatures = [t.removeprefix("SIGNATURE:") for t in texts if t.startswith("SIGNATURE:")]
    assert signatures  # requests really went out signed
    texts += [repr(keys), str(keys), repr(KuestAuth(keys)), str(KuestAuth(keys))]
    forbidden = [*encodings(key), base64.b16encode(key).decode(), passphrase, *signatures]
    assert _leaks(texts, forbidden) == []


@PROPERTY
@given(
    key=secret_bytes,
    passphrase=passphrases,
    missing=st.sets(st.sampled_from(ENV_NAMES), min_size=1),
    empty=st.booleans(),
)
def test_from_env_names_what_is_missing_and_shows_no_value(
    key: bytes, passphrase: str, missing: set[str], empty: bool
) -> None:
    secret = base64.b64encode(key).decode()
    values = dict(zip(ENV_NAMES, [KEYS.address, KEYS.api_key, secret, passphrase], strict=True))
    with pytest.MonkeyPatch.context() as mp:
        for name, value in values.items():
            if name not in missing:
                mp.setenv(name, value)
            elif empty:
                mp.setenv(name, "")
            else:
                mp.delenv(name, raising=False)
        with pytest.raises(ConfigurationError) as caught:
            KuestKeys.from_env()
    message = str(caught.value)
    assert all(name in message for name in missing)
    assert not [name for name in set(ENV_NAMES) - missing if name in message]
    assert secret not in message
    assert passphrase not in message


@PROPERTY
@given(key=secret_bytes, which=st.integers(0, 3), passphrase=passphrases)
def test_from_env_reads_the_four_variables(key: bytes, which: int, passphrase: str) -> None:
    secret = encodings(key)[which]
    with pytest.MonkeyPatch.context() as mp:
        for name, value in zip(
            ENV_NAMES, [KEYS.address, KEYS.api_key, secret, passphrase], strict=True
        ):
            mp.setenv(name, value)
        keys = KuestKeys.from_env()
    assert keys == KuestKeys(KEYS.address, KEYS.api_key, secret, passphrase)
    assert secret not in repr(keys)
    assert passphrase not in repr(keys)


@twins
def test_clients_read_keys_from_the_environment(
    twin: Twin, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ENV_NAMES:
        monkeypatch.delenv(name, raising=False)
    with pytest.raises(ConfigurationError) as caught:
        twin.cls(rate_limiter=fast_limiter())
    assert all(name in str(caught.value) for name in ENV_NAMES)
    for name, value in zip(
        ENV_NAMES, [KEYS.address, KEYS.api_key, KEYS.api_secret, KEYS.api_passphrase], strict=True
    ):
        monkeypatch.setenv(name, value)
    client = twin.cls(rate_limiter=fast_limiter())
    try:
        assert client.keys == KEYS
    finally:
        twin.close(client)


@pytest.mark.parametrize("field", ["address", "api_key", "api_secret", "api_passphrase"])
@pytest.mark.parametrize("value", ["", "   ", None])
def test_blank_key_fields_are_configuration_errors(field: str, value: Any) -> None:
    fields = {
        "address": KEYS.address,
        "api_key": KEYS.api_key,
        "api_secret": KEYS.api_secret,
        "api_passphrase": KEYS.api_passphrase,
        field: value,
    }
    with pytest.raises(ConfigurationError):
        KuestKeys(**fields)


# --- a passphrase that cannot go in a header ------------------------------------------------


class _Success(BaseHTTPRequestHandler):
    def do_DELETE(self) -> None:
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        body = b'{"success": true}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture(scope="module")
def local_kuest() -> Iterator[str]:
    """A real HTTP server on 127.0.0.1 that accepts every cancel (real header validation)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Success)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


UNSENDABLE = [
    " kuest-pass-7f3a9c",
    "kuest-pass-7f3a9c ",
    "kuest-pass\n7f3a9c",
    "kuest-pass\t7f3a9c",
    "kuest-päss-7f3a9c",
    "kuest-密码-7f3a9c",
]


@pytest.mark.parametrize("twin", [SYNC, ASYNC], ids=["sync", "async"])
@pytest.mark.parametrize("passphrase", UNSENDABLE, ids=repr)
def test_a_passphrase_that_cannot_be_a_header_never_leaks(
    twin: Twin, passphrase: str, local_kuest: str
) -> None:
    """Refused at construction (ConfigurationError) or sent; either way never shown.

    Uses each client's own default transport against a real server, since header validation
    happens in the HTTP stack that respx replaces.
    """
    core = passphrase.strip()
    try:
        keys = KuestKeys(
            address=KEYS.address,
            api_key=KEYS.api_key,
            api_secret=KEYS.api_secret,
            api_passphrase=passphrase,
        )
    except ConfigurationError as exc:
        refused: ConfigurationError | None = exc
    else:
        refused = None
    if refused is not None:
        assert core not in f"{refused} {refused!r}"  # refused up front, without showing it
        return
    client = twin.cls(
        keys=keys, base_url=local_kuest, rate_limiter=fast_limiter(), retry=RetryPolicy(attempts=1)
    )

    async def cancel_and_close() -> Any:
        async with client:
            return await client.cancel_order("ord_1")

    try:
        if twin.is_async:
            result: Any = asyncio.run(cancel_and_close())
        else:
            with client:
                result = client.cancel_order("ord_1")
    except Exception as exc:
        result = exc
    # The passphrase as it is, and as a repr of the str or of its bytes would escape it.
    forms = {core, repr(core)[1:-1], repr(core.encode("utf-8"))[2:-1]}
    shown = f"{result} {result!r}"
    assert not [form for form in forms if form in shown]
    assert isinstance(result, OrderCancelError) or result.order_id == "ord_1"
