"""KuCoin request signing: the KC-API headers of a request, as an httpx.Auth.

KuCoin signs `timestamp + METHOD + target + body` with HMAC-SHA256 keyed by the API secret, where
`target` is the *decoded* path plus `?query` when there is a query. The wire form stays
percent-encoded; only the signed text is decoded.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import time
from collections.abc import Callable
from urllib.parse import unquote

from .._auth import SigningAuth
from .._redact import remember_sent_secrets
from ._keys import KucoinKeys


def _hmac_b64(key: bytes, message: bytes) -> str:
    # hmac.digest: OpenSSL's one-shot HMAC, the same bytes as hmac.new(...).digest(), faster.
    return base64.b64encode(hmac.digest(key, message, "sha256")).decode()


def hmac_b64(secret: str, message: str | bytes) -> str:
    """base64(HMAC-SHA256(key=secret, msg=message)), as KuCoin uses for both headers."""
    return _hmac_b64(secret.encode(), message.encode() if isinstance(message, str) else message)


def signed_target(target: str) -> str:
    """The text KuCoin signs for a wire `target` (path and query): the same, percent-decoded."""
    return unquote(target) if "%" in target else target  # `unquote` is a call more for nothing


PUBLIC_PATHS = frozenset({"/api/v1/timestamp"})
"""Paths the spec marks public (`security: []`): sent without KC-API headers."""


def now_ms() -> int:
    """The local clock as Unix milliseconds."""
    return time.time_ns() // 1_000_000


class KucoinAuth(SigningAuth):
    """Adds the KC-API headers to the final request; no I/O, one instance for sync and async.

    `clock` returns Unix milliseconds; `offset_ms` is added to it (see `sync_time`).
    """

    def __init__(self, keys: KucoinKeys, clock: Callable[[], int] = now_ms) -> None:
        self._api_key = keys.api_key
        # The key's two padded blocks hashed once; each request signs on a copy.
        self._mac = hmac.new(keys.api_secret.encode(), digestmod=hashlib.sha256)
        self._key_version = keys.key_version
        self._passphrase = hmac_b64(keys.api_secret, keys.api_passphrase)
        self._clock = clock
        self.offset_ms = 0

    def __repr__(self) -> str:
        return f"KucoinAuth(api_key={self._api_key!r}, offset_ms={self.offset_ms})"

    def signing_headers(self, method: str, target: str, body: bytes) -> dict[str, str]:
        """The KC-API headers for a request (none for the public endpoints).

        KuCoin signs `timestamp + METHOD + signed_target(target) + body`.
        """
        if target.partition("?")[0] in PUBLIC_PATHS:
            return {}
        timestamp = str(self._clock() + self.offset_ms)
        mac = self._mac.copy()
        mac.update(
            timestamp.encode() + method.upper().encode() + signed_target(target).encode() + body
        )
        signature = binascii.b2a_base64(mac.digest(), newline=False).decode()
        remember_sent_secrets(self._api_key, signature, self._passphrase)
        return {
            "KC-API-KEY": self._api_key,
            "KC-API-SIGN": signature,
            "KC-API-TIMESTAMP": timestamp,
            "KC-API-PASSPHRASE": self._passphrase,
            "KC-API-KEY-VERSION": self._key_version,
            "Content-Type": "application/json",
        }
