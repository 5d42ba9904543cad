"""Every client ordercancel builds its HTTP client for shares one TLS context, and it verifies.

The context is built once (_tls.py: loading the CA bundle costs 25 to 50 ms a client, a second
for the twenty accounts of a `panic`). Sharing it must not loosen it: a venue whose certificate
no CA signed is refused, sync and async, before any request is sent.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import subprocess
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
from ordercancel import (
    APIConnectionError,
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
    RetryPolicy,
)
from ordercancel.testing import KucoinExchange, KuestExchange

_ONCE = RetryPolicy(attempts=1)


@pytest.fixture(scope="module")
def self_signed_venue(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """https://127.0.0.1:PORT served with a certificate no CA signed (made by openssl)."""
    folder: Path = tmp_path_factory.mktemp("tls")
    cert, key = folder / "cert.pem", folder / "key.pem"
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    server_tls = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_tls.load_cert_chain(cert, key)
    listener = socket.create_server(("127.0.0.1", 0))
    listener.settimeout(0.2)
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _ = listener.accept()
            except TimeoutError:
                continue
            # The client refuses the certificate: the handshake fails here too.
            with conn, contextlib.suppress(ssl.SSLError, OSError):
                server_tls.wrap_socket(conn, server_side=True).close()

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{listener.getsockname()[1]}"
    finally:
        stop.set()
        thread.join()
        listener.close()


def _certificate_refused(exc: BaseException) -> bool:
    """Whether the chain of `exc` says the certificate did not verify."""
    seen: BaseException | None = exc
    while seen is not None:
        if "CERTIFICATE_VERIFY_FAILED" in str(seen):
            return True
        seen = seen.__cause__ or seen.__context__
    return False


def test_sync_clients_refuse_an_unsigned_certificate(self_signed_venue: str) -> None:
    kucoin_keys, kuest_keys = KucoinExchange().add_account(), KuestExchange().add_account()
    kc = KucoinSpotCancelOrder(keys=kucoin_keys, base_url=self_signed_venue, retry=_ONCE)
    with kc, pytest.raises(APIConnectionError) as raised:
        kc.cancel_all_orders()
    assert _certificate_refused(raised.value)
    kq = KuestCancelOrder(keys=kuest_keys, base_url=self_signed_venue, retry=_ONCE)
    with kq, pytest.raises(APIConnectionError) as raised:
        kq.cancel_all()
    assert _certificate_refused(raised.value)


def test_async_clients_refuse_an_unsigned_certificate(self_signed_venue: str) -> None:
    kucoin_keys, kuest_keys = KucoinExchange().add_account(), KuestExchange().add_account()

    async def run() -> None:
        async with AsyncKucoinSpotCancelOrder(
            keys=kucoin_keys, base_url=self_signed_venue, retry=_ONCE
        ) as kc:
            with pytest.raises(APIConnectionError) as raised:
                await kc.cancel_all_orders()
            assert _certificate_refused(raised.value)
        async with AsyncKuestCancelOrder(
            keys=kuest_keys, base_url=self_signed_venue, retry=_ONCE
        ) as kq:
            with pytest.raises(APIConnectionError) as raised:
                await kq.cancel_all()
            assert _certificate_refused(raised.value)

    asyncio.run(run())
