"""No secret in reach (issue 12, item 6), from a shell: what the command prints on failure.

A `--base-url` with a password is refused (exit 2) without printing the password; a dropped
connection (a server on 127.0.0.1 that reads the request and hangs up) exits 6 and prints
neither the keys nor the passphrase and signature headers the request carried.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from conftest import Cli  # the fixture's type; never imported at run time

BAD_INPUT, TRANSPORT = 2, 6
PASSWORD = "pw-Zq8x-41c7-password"
KEYS = {
    "KUCOIN_API_KEY": "kc-key-0001",
    "KUCOIN_API_SECRET": "kc-secret-7f3a9c0e",
    "KUCOIN_API_PASSPHRASE": "kc-passphrase-5e1c",
    "KUEST_ADDRESS": "0x9b1e8d5f6a8c2e4b7d3f1a0c5e9b2d4f6a8c0e1b",
    "KUEST_API_KEY": "3f2a9c1e-7b4d-4e8f-9a6c-2d1b0e5f8a7c",
    "KUEST_API_SECRET": "c2VjcmV0LXNlY3JldC1zZWNyZXQtMDAwMQ==",
    "KUEST_API_PASSPHRASE": "kuest-passphrase-9d2b",
}
SECRET_HEADERS = (b"kc-api-sign", b"kc-api-passphrase", b"kuest_signature", b"kuest_passphrase")
COMMANDS = {
    "kucoin": ["kucoin", "order", "671124f9365ccb00073debd4", "--symbol", "BTC-USDT"],
    "kuest": ["kuest", "orders", "0xa1"],
}


@pytest.mark.parametrize("venue", list(COMMANDS))
@pytest.mark.parametrize(
    "base_url", [f"https://u:{PASSWORD}@h", f"ftp://u:{PASSWORD}@h", f"http://{PASSWORD}@h:x"]
)
@pytest.mark.parametrize("json_output", [False, True], ids=["text", "json"])
def test_a_base_url_with_a_password_is_2_and_never_printed(
    cli: Cli, venue: str, base_url: str, json_output: bool
) -> None:
    flags = ["--json"] if json_output else []
    ran = cli(*COMMANDS[venue], *flags, "--base-url", base_url, env=KEYS)

    assert ran.code == BAD_INPUT, ran
    assert "credentials" in ran.out + ran.err
    assert PASSWORD not in ran.out + ran.err


@pytest.fixture
def hanging_up() -> Iterator[tuple[str, list[bytes]]]:
    """A server on 127.0.0.1 that reads each request's head and closes without answering."""
    listener = socket.create_server(("127.0.0.1", 0))
    received: list[bytes] = []
    done = threading.Event()

    def serve() -> None:
        while not done.is_set():
            connection, _ = listener.accept()
            with connection:
                data = b""
                while b"\r\n\r\n" not in data:
                    chunk = connection.recv(65536)
                    if not chunk:
                        break
                    data += chunk
                received.append(data)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{listener.getsockname()[1]}", received
    done.set()
    socket.create_connection(listener.getsockname()).close()  # wakes `accept` up
    thread.join(5)
    listener.close()


@pytest.mark.parametrize("venue", list(COMMANDS))
def test_a_dropped_connection_is_6_and_prints_no_secret(
    cli: Cli, venue: str, hanging_up: tuple[str, list[bytes]]
) -> None:
    url, received = hanging_up
    ran = cli(*COMMANDS[venue], "--json", "--base-url", url, env=KEYS)

    assert ran.code == TRANSPORT, ran
    sent = [
        line.partition(b":")[2].strip().decode()
        for request in received
        for line in request.split(b"\r\n")
        if line.partition(b":")[0].strip().lower() in SECRET_HEADERS
    ]
    assert len(sent) == 2 * len(received) > 0  # the requests went out signed
    secrets = [v for name, v in KEYS.items() if name.endswith(("SECRET", "PASSPHRASE"))] + sent
    assert [s for s in secrets if s in ran.out + ran.err] == []
