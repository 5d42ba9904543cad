"""Independent signers for the simulator tests, written from the venue facts (not the wrapper's)."""

from __future__ import annotations

import base64
import hashlib
import hmac
import time
from typing import Any
from urllib.parse import unquote


def kc_b64_hmac(secret: str, message: str) -> str:
    return base64.b64encode(
        hmac.new(secret.encode(), message.encode(), hashlib.sha256).digest()
    ).decode()


def kucoin_headers(
    keys: Any,
    method: str,
    raw_target: str,
    *,
    body: str = "",
    timestamp_ms: int | None = None,
    sign_target: str | None = None,
) -> dict[str, str]:
    """KC-API headers from the facts: sign timestamp + METHOD + decoded target + body."""
    ts = str(timestamp_ms if timestamp_ms is not None else time.time_ns() // 1_000_000)
    target = unquote(raw_target) if sign_target is None else sign_target
    return {
        "KC-API-KEY": keys.api_key,
        "KC-API-SIGN": kc_b64_hmac(keys.api_secret, ts + method.upper() + target + body),
        "KC-API-TIMESTAMP": ts,
        "KC-API-PASSPHRASE": kc_b64_hmac(keys.api_secret, keys.api_passphrase),
        "KC-API-KEY-VERSION": keys.key_version,
        "Content-Type": "application/json",
    }


def kuest_headers(
    keys: Any, method: str, path: str, body: bytes = b"", *, timestamp_s: int | None = None
) -> dict[str, str]:
    """L2 headers from the facts: urlsafe_b64(HMAC(b64decode(secret), ts+METHOD+path+body))."""
    ts = str(timestamp_s if timestamp_s is not None else int(time.time()))
    secret = keys.api_secret.replace("-", "+").replace("_", "/")
    key = base64.b64decode(secret + "=" * (-len(secret) % 4))
    message = ts.encode() + method.upper().encode() + path.encode() + body
    signature = base64.urlsafe_b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()
    return {
        "KUEST_ADDRESS": keys.address,
        "KUEST_API_KEY": keys.api_key,
        "KUEST_PASSPHRASE": keys.api_passphrase,
        "KUEST_TIMESTAMP": ts,
        "KUEST_SIGNATURE": signature,
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
