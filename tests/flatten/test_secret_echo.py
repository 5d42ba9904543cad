"""A server that echoes the request's headers in its body: no message quotes the client's secrets.

A real server on 127.0.0.1 echoes every KC-API-* / KUEST_* header it receives (as a misrouted
base URL or a debugging proxy may), in an unexpected body or in the venue's own message field;
`ordercancel panic` runs in a subprocess against it. The secrets looked for are the values the
server actually received, plus the keys given.
"""

from __future__ import annotations

import http.server
import json
import threading
import urllib.parse
from collections.abc import Iterator

import pytest
from ordercancel.testing import KucoinExchange, KuestExchange
from test_panic_cli import _config, _run

_SECRET_HEADERS = ("kc-api-key", "kc-api-sign", "kc-api-passphrase")
_SECRET_HEADERS += ("kuest_api_key", "kuest_passphrase", "kuest_signature")


def _escaped(value: str, form: str) -> str:
    return "".join(c if c.isalnum() else form.format(ord(c)) for c in value)


# The spellings servers give an echoed value: percent-encoded (a query string, a log line),
# HTML character references (Go's html/template), JSON \uXXXX escapes (.NET's default).
_ENCODINGS = {
    "plain": lambda v: v,
    "percent": lambda v: urllib.parse.quote(v, safe=""),
    "percent-lower": lambda v: _escaped(v, "%{:02x}"),
    "html-decimal": lambda v: _escaped(v, "&#{};"),
    "html-hex": lambda v: _escaped(v, "&#x{:X};"),
    "json-u": lambda v: _escaped(v, "\\u{:04x}"),
}


class _Echo(http.server.ThreadingHTTPServer):
    status = 200
    shape = "echo"  # "echo": {"echo": {...}}; "message": the venue's own error field holds it
    encoding = "plain"  # how the echo spells each value: see _ENCODINGS
    received: set[str]


class _Handler(http.server.BaseHTTPRequestHandler):
    server: _Echo

    def _answer(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.rfile.read(length)
        spell = _ENCODINGS[self.server.encoding]
        echoed = {
            k: spell(v) for k, v in self.headers.items() if k.lower().startswith(("kc-", "kuest"))
        }
        self.server.received.update(
            v for k, v in self.headers.items() if k.lower() in _SECRET_HEADERS
        )
        text = json.dumps(echoed)
        if self.server.shape == "echo":
            body = {"echo": echoed}
        elif self.path.startswith("/api/"):  # KuCoin's envelope, its msg quoting the request
            body = {"code": "400001", "msg": f"bad request headers {text}"}
        else:  # Kuest's error body
            body = {"error": f"bad request headers {text}"}
        content = json.dumps(body).encode()
        self.send_response(self.server.status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

    do_GET = do_DELETE = do_POST = _answer

    def log_message(self, *args: object) -> None:
        pass


@pytest.fixture
def echo() -> Iterator[_Echo]:
    server = _Echo(("127.0.0.1", 0), _Handler)
    server.received = set()
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield server
    server.shutdown()
    server.server_close()


@pytest.mark.parametrize(
    ("status", "shape"), [(200, "echo"), (500, "echo"), (400, "message"), (503, "message")]
)
@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["table", "json"])
def test_no_message_quotes_a_secret_the_server_echoes(
    tmp_path, echo: _Echo, status: int, shape: str, json_flag: list[str]
) -> None:
    echo.status, echo.shape = status, shape
    kx, qx = KucoinExchange(), KuestExchange()  # their keys only: nothing is served by them
    env = {
        "T_KC_KEY": kx.keys.api_key,
        "T_KC_SECRET": kx.keys.api_secret,
        "T_KC_PASS": kx.keys.api_passphrase,
        "T_KQ_ADDRESS": qx.keys.address,
        "T_KQ_KEY": qx.keys.api_key,
        "T_KQ_SECRET": qx.keys.api_secret,
        "T_KQ_PASS": qx.keys.api_passphrase,
    }
    url = f"http://127.0.0.1:{echo.server_address[1]}"
    config = _config(tmp_path, url, url)
    done = _run(["--config", str(config), "--yes", "--deadline", "1", *json_flag], env)
    assert done.returncode == 9, done.stdout + done.stderr
    shown = done.stdout + done.stderr
    if json_flag:  # the echo did reach the message, without the secrets (the table cuts it)
        assert "[redacted]" in done.stdout
    secrets = echo.received | {env["T_KC_KEY"], env["T_KQ_KEY"], env["T_KQ_PASS"]}
    assert len(echo.received) >= 6  # both venues' key, passphrase and signature were sent
    for secret in secrets:
        assert secret not in shown
        assert secret.replace("/", "\\/") not in shown


def test_a_sync_client_error_redacts_its_message_and_keeps_the_body_raw(echo: _Echo) -> None:
    from ordercancel import KucoinAPIError, KucoinSpotCancelOrder, RetryPolicy

    echo.status, echo.shape = 400, "message"
    keys = KucoinExchange().keys
    url = f"http://127.0.0.1:{echo.server_address[1]}"
    client = KucoinSpotCancelOrder(keys=keys, base_url=url, retry=RetryPolicy(attempts=1))
    with client, pytest.raises(KucoinAPIError) as caught:
        client.cancel_all_orders()
    assert len(echo.received) == 3
    for secret in echo.received:
        assert secret not in str(caught.value)
        assert secret not in (caught.value.msg or "")
    assert "[redacted]" in str(caught.value)
    assert keys.api_key.encode() in caught.value.body  # the body stays as received


@pytest.mark.parametrize("encoding", sorted(_ENCODINGS))
@pytest.mark.parametrize("venue", ["kucoin", "kuest"])
def test_a_secret_echoed_in_another_spelling_is_redacted_too(
    echo: _Echo, encoding: str, venue: str
) -> None:
    from ordercancel import (
        APIError,
        KucoinSpotCancelOrder,
        KuestCancelOrder,
        RetryPolicy,
    )

    echo.status, echo.shape, echo.encoding = 400, "echo", encoding
    url = f"http://127.0.0.1:{echo.server_address[1]}"
    once = RetryPolicy(attempts=1)
    if venue == "kucoin":
        client: KucoinSpotCancelOrder | KuestCancelOrder = KucoinSpotCancelOrder(
            keys=KucoinExchange().keys, base_url=url, retry=once
        )
    else:
        client = KuestCancelOrder(keys=KuestExchange().keys, base_url=url, retry=once)
    cancel_all = (
        client.cancel_all if isinstance(client, KuestCancelOrder) else client.cancel_all_orders
    )
    with client, pytest.raises(APIError) as caught:
        cancel_all()
    shown = str(caught.value)
    assert len(echo.received) == 3
    spell = _ENCODINGS[encoding]
    for secret in echo.received:
        assert spell(secret)[:16] not in shown  # not even the start of one, in the excerpt
