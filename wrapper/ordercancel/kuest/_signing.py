"""Kuest L2 request signing: a pure function and its httpx.Auth adapter.

    signature = urlsafe_base64(HMAC-SHA256(key=base64_decode(secret),
                                           msg=timestamp + METHOD + path + body))

`path` has no host and no query string; `body` is the exact bytes sent (httpx serialises the
JSON once into `request.content`; the same bytes are signed and sent).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from collections.abc import Callable, Generator

import httpx

from ._keys import KuestKeys, decode_secret


def l2_signature(key: bytes, timestamp: str, method: str, path: str, body: bytes) -> str:
    """The KUEST_SIGNATURE value: url-safe base64 with padding (`method` signed as given)."""
    message = timestamp.encode() + method.encode() + path.encode() + body
    return base64.urlsafe_b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def now_s() -> int:
    """The local clock as Unix seconds."""
    return int(time.time())


class KuestAuth(httpx.Auth):
    """Adds the KUEST_* headers to the final request; no I/O, one instance for sync and async."""

    requires_request_body = True

    def __init__(self, keys: KuestKeys, clock: Callable[[], int] = now_s) -> None:
        self._address = keys.address
        self._api_key = keys.api_key
        self._passphrase = keys.api_passphrase
        self._key = decode_secret(keys.api_secret)
        self._clock = clock

    def __repr__(self) -> str:
        return f"KuestAuth(address={self._address!r}, api_key={self._api_key!r})"

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Sign `request` as it will be sent."""
        timestamp = str(self._clock())
        path = request.url.raw_path.split(b"?", 1)[0].decode("ascii")
        request.headers.update(
            {
                "KUEST_ADDRESS": self._address,
                "KUEST_API_KEY": self._api_key,
                "KUEST_PASSPHRASE": self._passphrase,
                "KUEST_TIMESTAMP": timestamp,
                "KUEST_SIGNATURE": l2_signature(
                    self._key, timestamp, request.method, path, request.content
                ),
                "Content-Type": "application/json",
                "Accept": "application/json",
            }
        )
        yield request
