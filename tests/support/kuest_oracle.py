"""Kuest's L2 signing rule, written from Kuest's documentation (the spec's security schemes;
tests/data/kuest-signing.json holds the upstream vectors).

Independent of the wrapper: nothing here calls the wrapper's signing, input or envelope code, so
the oracle can disagree with it. Every test that checks or makes a Kuest signature uses this.

    KUEST_SIGNATURE = urlsafe_base64(HMAC-SHA256(key=base64_decode(secret),
                                                 msg=timestamp + METHOD + path + body))

with '=' padding kept, `path` without host or query, `body` the exact bytes sent, the timestamp
in Unix seconds, and the secret accepted in either base64 alphabet, padded or not.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import time

import httpx
from ordercancel import KuestKeys

L2_HEADERS = (
    "KUEST_ADDRESS",
    "KUEST_API_KEY",
    "KUEST_PASSPHRASE",
    "KUEST_TIMESTAMP",
    "KUEST_SIGNATURE",
)


def decode_b64_secret(secret: str) -> bytes:
    """base64 in either alphabet, padding optional (written from the rule, not the wrapper)."""
    text = secret.replace("+", "-").replace("/", "_")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def oracle_signature(key: bytes, timestamp: str, method: str, path: str, body: bytes) -> str:
    """urlsafe_b64(HMAC-SHA256(key, timestamp + method + path + body)), '=' padding kept."""
    message = timestamp.encode() + method.encode() + path.encode() + body
    return base64.urlsafe_b64encode(hmac.new(key, message, hashlib.sha256).digest()).decode()


def wire_path(request: httpx.Request) -> str:
    """The URL path as sent, without the query."""
    return request.url.raw_path.decode("ascii").partition("?")[0]


def signing_problems(
    request: httpx.Request, keys: KuestKeys, timestamp: int | None = None
) -> list[str]:
    """Every way `request` breaks Kuest's L2 rules (empty when Kuest would accept it).

    `timestamp` is the Unix second the request must carry; None accepts any decimal seconds.
    """
    headers = request.headers
    missing = [name for name in L2_HEADERS if name not in headers]
    if missing:
        return [f"missing {missing}"]
    problems = []
    expected = [
        ("KUEST_ADDRESS", keys.address),
        ("KUEST_API_KEY", keys.api_key),
        ("KUEST_PASSPHRASE", keys.api_passphrase),
    ]
    if timestamp is not None:
        expected.append(("KUEST_TIMESTAMP", str(timestamp)))
    elif not (headers["KUEST_TIMESTAMP"].isascii() and headers["KUEST_TIMESTAMP"].isdigit()):
        problems.append(f"KUEST_TIMESTAMP {headers['KUEST_TIMESTAMP']!r} is not Unix seconds")
    for name, want in expected:
        if headers[name] != want:
            problems.append(f"{name} is {headers[name]!r}, not {want!r}")
    if headers.get_list("content-type") != ["application/json"]:
        problems.append(f"Content-Type is {headers.get_list('content-type')}")
    want_sig = oracle_signature(
        decode_b64_secret(keys.api_secret),
        headers["KUEST_TIMESTAMP"],
        request.method,
        wire_path(request),
        request.content,
    )
    if not hmac.compare_digest(headers["KUEST_SIGNATURE"], want_sig):
        problems.append("KUEST_SIGNATURE does not verify against the bytes and path sent")
    return problems


def signed_headers(
    keys: KuestKeys, method: str, path: str, body: bytes = b"", *, timestamp_s: int | None = None
) -> dict[str, str]:
    """The L2 headers a client following the rule sends (the timestamp is now unless given)."""
    ts = str(timestamp_s if timestamp_s is not None else int(time.time()))
    key = decode_b64_secret(keys.api_secret)
    return {
        "KUEST_ADDRESS": keys.address,
        "KUEST_API_KEY": keys.api_key,
        "KUEST_PASSPHRASE": keys.api_passphrase,
        "KUEST_TIMESTAMP": ts,
        "KUEST_SIGNATURE": oracle_signature(key, ts, method.upper(), path, body),
        "Content-Type": "application/json",
        "Accept": "application/json",
    }
