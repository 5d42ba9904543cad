"""KuCoin's signing rules, written from KuCoin's documentation (tests/data/kucoin-signing.json
holds its vectors; the README's KuCoin section and the venue's API page state the rules).

Independent of the wrapper: nothing here calls the wrapper's signing, input or envelope code, so
the oracle can disagree with it. Every test that checks or makes a KuCoin signature uses this.

    KC-API-SIGN       = base64(HMAC-SHA256(key=api_secret, msg=timestamp + METHOD + target + body))
    KC-API-PASSPHRASE = base64(HMAC-SHA256(key=api_secret, msg=api_passphrase))

where `target` is the path plus `?query` as sent, percent-DEcoded (KuCoin signs the un-encoded
form of what is sent), and the timestamp is Unix milliseconds.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import string
import time

import httpx
from ordercancel import KucoinKeys

SIGNED_HEADERS = (
    "KC-API-KEY",
    "KC-API-SIGN",
    "KC-API-TIMESTAMP",
    "KC-API-PASSPHRASE",
    "KC-API-KEY-VERSION",
)
_HEX = frozenset(string.hexdigits)


def percent_decode(text: str) -> str:
    """Decode %XX escapes as UTF-8, strictly (a server that cannot decode answers 400)."""
    out = bytearray()
    i = 0
    while i < len(text):
        if text[i] == "%":
            pair = text[i + 1 : i + 3]
            if len(pair) != 2 or not set(pair) <= _HEX:
                raise ValueError(f"bad percent escape at {i} in {text!r}")
            out.append(int(pair, 16))
            i += 3
        else:
            out += text[i].encode("utf-8")
            i += 1
    return out.decode("utf-8")


def raw_target(request: httpx.Request) -> str:
    """Path plus ?query exactly as it went on the wire (no host)."""
    return request.url.raw_path.decode("ascii")


def kucoin_sign(secret: str, message: bytes) -> str:
    """base64(HMAC-SHA256(key=secret, msg=message)), KuCoin's rule, written here independently."""
    digest = hmac.new(secret.encode("utf-8"), message, hashlib.sha256).digest()
    return base64.b64encode(digest).decode("ascii")


def passphrase_header(keys: KucoinKeys) -> str:
    """KC-API-PASSPHRASE for v2/v3 keys: base64(HMAC-SHA256(secret, passphrase))."""
    return kucoin_sign(keys.api_secret, keys.api_passphrase.encode("utf-8"))


def expected_prehash(request: httpx.Request) -> bytes:
    """timestamp + METHOD + decoded target + body, from what was actually sent."""
    timestamp = request.headers["KC-API-TIMESTAMP"]
    return (
        timestamp.encode("ascii")
        + request.method.upper().encode("ascii")
        + percent_decode(raw_target(request)).encode("utf-8")
        + request.content
    )


def verify_signed(request: httpx.Request, keys: KucoinKeys) -> list[str]:
    """Every way `request` breaks KuCoin's signing rules (empty when it would be accepted)."""
    headers = request.headers
    problems = [f"missing {name}" for name in SIGNED_HEADERS if name not in headers]
    if problems:
        return problems
    if headers["KC-API-KEY"] != keys.api_key:
        problems.append("KC-API-KEY is not the api key")
    if headers["KC-API-KEY-VERSION"] != keys.key_version:
        problems.append("KC-API-KEY-VERSION is not the key's version")
    if not headers["KC-API-TIMESTAMP"].isascii() or not headers["KC-API-TIMESTAMP"].isdigit():
        problems.append("KC-API-TIMESTAMP is not decimal milliseconds")
    if headers.get("Content-Type") != "application/json":
        problems.append("Content-Type is not application/json")
    if not hmac.compare_digest(headers["KC-API-PASSPHRASE"], passphrase_header(keys)):
        problems.append("KC-API-PASSPHRASE is not base64(HMAC(secret, passphrase))")
    if not problems:
        sign = kucoin_sign(keys.api_secret, expected_prehash(request))
        if not hmac.compare_digest(headers["KC-API-SIGN"], sign):
            problems.append("KC-API-SIGN does not verify against the decoded wire target")
    partner = [h for h in headers if h.lower().startswith("kc-api-partner")]
    if partner:
        problems.append(f"broker headers sent: {partner}")
    return problems


def signed_headers(
    keys: KucoinKeys,
    method: str,
    raw_target: str,
    *,
    body: str = "",
    timestamp_ms: int | None = None,
    sign_target: str | None = None,
) -> dict[str, str]:
    """The KC-API headers a client following the rules sends for `method raw_target`.

    The signed target is `raw_target` decoded unless `sign_target` names another (to make a
    request whose signature covers the wrong text); the timestamp is now unless given.
    """
    ts = str(timestamp_ms if timestamp_ms is not None else time.time_ns() // 1_000_000)
    target = percent_decode(raw_target) if sign_target is None else sign_target
    prehash = (ts + method.upper() + target + body).encode("utf-8")
    return {
        "KC-API-KEY": keys.api_key,
        "KC-API-SIGN": kucoin_sign(keys.api_secret, prehash),
        "KC-API-TIMESTAMP": ts,
        "KC-API-PASSPHRASE": passphrase_header(keys),
        "KC-API-KEY-VERSION": keys.key_version,
        "Content-Type": "application/json",
    }
