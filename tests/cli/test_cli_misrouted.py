"""The command pointed at a wrong base URL: an answer that is not the venue's is not "not found".

Issue 12, item 2, end to end: `ordercancel` runs in a subprocess against a real HTTP server on
127.0.0.1 that answers every request with nginx's HTML 404 page (a `--base-url` with a wrong
prefix). Every cancel of both venues must exit 1 (an unexpected answer: "any other failure"),
never 4 ("not found or not cancellable"), which a script takes as "the order is gone", and
`--json` names the UnexpectedResponse with the status.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    # The fixtures' types (tests/conftest.py, tests/cli/conftest.py); never imported at run time.
    from conftest import CaptureServer, Cli

OK, FAILED, BAD_INPUT, AUTH, NOT_CANCELLABLE, RATE_LIMITED, TRANSPORT, MAYBE_CANCELLED = range(8)
NGINX_404 = (
    b"<html>\r\n<head><title>404 Not Found</title></head>\r\n<body>\r\n"
    b"<center><h1>404 Not Found</h1></center>\r\n<hr><center>nginx/1.24.0</center>\r\n"
    b"</body>\r\n</html>\r\n"
)
KEYS = {
    "KUCOIN_API_KEY": "k",
    "KUCOIN_API_SECRET": "s",
    "KUCOIN_API_PASSPHRASE": "p",
    "KUEST_ADDRESS": "0x9b1e8d5f6a8c2e4b7d3f1a0c5e9b2d4f6a8c0e1b",
    "KUEST_API_KEY": "3f2a9c1e-7b4d-4e8f-9a6c-2d1b0e5f8a7c",
    "KUEST_API_SECRET": "c2VjcmV0LXNlY3JldC1zZWNyZXQ=",
    "KUEST_API_PASSPHRASE": "passphrase",
}
ORDER_ID = "671124f9365ccb00073debd4"
# Every cancel of both venues.
COMMANDS = {
    "kucoin-order": ["kucoin", "order", ORDER_ID, "--symbol", "BTC-USDT"],
    "kucoin-client-oid": ["kucoin", "client-oid", "oid-13", "--symbol", "BTC-USDT"],
    "kucoin-partial": ["kucoin", "partial", ORDER_ID, "--symbol", "BTC-USDT", "--size", "0.5"],
    "kucoin-symbol": ["kucoin", "symbol", "BTC-USDT"],
    "kucoin-all": ["kucoin", "all", "--yes"],
    "kuest-order": ["kuest", "orders", "0xa1"],
    "kuest-orders": ["kuest", "orders", "0xa1", "0xa2"],
    "kuest-orders-batch": ["kuest", "orders", "0xa1", "0xa2", "--batch"],
    "kuest-market": ["kuest", "market", "--market", "0x5f65177b"],
    "kuest-all": ["kuest", "all", "--yes"],
}
ERROR_TYPE = {"kucoin": "KucoinUnexpectedResponse", "kuest": "KuestUnexpectedResponse"}


@pytest.mark.parametrize("command", list(COMMANDS))
def test_a_wrong_base_url_exits_1_not_4(
    cli: Cli, capture_server: CaptureServer, command: str
) -> None:
    args = COMMANDS[command]
    capture_server.reset(404, (("Content-Type", "text/html"), ("Server", "nginx")), NGINX_404)

    ran = cli(*args, "--json", "--base-url", capture_server.url + "/not-the-api", env=KEYS)

    assert ran.code == FAILED, ran
    assert capture_server.received, "the request reached the server"
    answer = ran.json()
    assert answer["ok"] is False
    errors = [o["error"] for o in answer["outcomes"]] if "outcomes" in answer else [answer["error"]]
    for error in errors:
        assert error["type"] == ERROR_TYPE[args[0]], ran
        assert error["status_code"] == 404
        assert "404 Not Found" in error["message"]


def test_a_wrong_base_url_says_so_on_stderr(cli: Cli, capture_server: CaptureServer) -> None:
    capture_server.reset(404, (("Content-Type", "text/html"),), NGINX_404)

    ran = cli("kuest", "orders", "0xa1", "--base-url", capture_server.url + "/x", env=KEYS)

    assert ran.code == FAILED, ran
    assert ran.out == ""
    assert ran.err.startswith("0xa1: FAILED: Kuest HTTP 404: unexpected body b'<html>"), ran
