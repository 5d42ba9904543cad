"""Kuest L2 request signing: a pure function, and the KUEST_* headers as an httpx.Auth.

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
from collections.abc import Callable

from .._auth import SigningAuth
from .._redact import remember_sent_secrets
from ._keys import KuestKeys, decode_secret


def l2_signature(key: bytes, timestamp: str, method: str, path: str, body: bytes) -> str:
    """The KUEST_SIGNATURE value: url-safe base64 with padding (`method` signed as given)."""
    message = timestamp.encode() + method.encode() + path.encode() + body
    return base64.urlsafe_b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def now_s() -> int:
    """The local clock as Unix seconds."""
    return int(time.time())


class KuestAuth(SigningAuth):
    """Adds the KUEST_* headers to the final request; no I/O, one instance for sync and async."""

    def __init__(self, keys: KuestKeys, clock: Callable[[], int] = now_s) -> None:
        self._address = keys.address
        self._api_key = keys.api_key
        self._passphrase = keys.api_passphrase
        self._key = decode_secret(keys.api_secret)
        self._clock = clock

    def __repr__(self) -> str:
        return f"KuestAuth(address={self._address!r}, api_key={self._api_key!r})"

    def signing_headers(self, method: str, target: str, body: bytes) -> dict[str, str]:
        """The KUEST_* headers for a request (the query is not signed)."""
        timestamp = str(self._clock())
        path = target.partition("?")[0]
        signature = l2_signature(self._key, timestamp, method, path, body)
        remember_sent_secrets(self._api_key, self._passphrase, signature)
        return {
            "KUEST_ADDRESS": self._address,
            "KUEST_API_KEY": self._api_key,
            "KUEST_PASSPHRASE": self._passphrase,
            "KUEST_TIMESTAMP": timestamp,
            "KUEST_SIGNATURE": signature,
            "Content-Type": "application/json",
            "Accept": "application/json",
        }
