"""Shared pieces of the Kuest tests (a module without tests): test keys, twins, strategies.

The signing oracle is `support.kuest_oracle`; the twin driver `support.twins`.
"""

from __future__ import annotations

import base64
import json
import string
from pathlib import Path
from typing import Any

from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from ordercancel import (
    AsyncKuestCancelOrder,
    KuestCancelOrder,
    KuestKeys,
    RateLimiter,
    RetryPolicy,
)

from support.twins import Twin, twins_mark

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "spec" / "kuest-clob-cancel.yaml"
VECTORS_PATH = ROOT / "tests" / "data" / "kuest-signing.json"
BASE_URL = "https://clob.kuest.com"
FIXED_S = 1_709_467_200  # the timestamp of the product vector (case 2)

# Hypothesis budgets: 150 examples for cheap properties, 100 for those that send many requests.
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEAVY_PROPERTY = settings(PROPERTY, max_examples=100)


def load_vectors() -> list[dict[str, Any]]:
    """The golden signing vectors (a copy of upstream data; never produced by the wrapper)."""
    cases: list[dict[str, Any]] = json.loads(VECTORS_PATH.read_text(encoding="utf-8"))["cases"]
    return cases


PRODUCT_VECTOR = load_vectors()[1]
assert PRODUCT_VECTOR["method"] == "DELETE"

KEYS = KuestKeys(
    address="0x9b1e8d5f6a8c2e4b7d3f1a0c5e9b2d4f6a8c0e1b",
    api_key="3f2a9c1e-7b4d-4e8f-9a6c-2d1b0e5f8a7c",
    api_secret=PRODUCT_VECTOR["secret"],
    api_passphrase="kuest-test-passphrase-5e1c",
)


def compact(payload: Any) -> bytes:
    """JSON as Kuest documents it on the wire: no spaces."""
    return json.dumps(payload, separators=(",", ":")).encode()


# ---------------------------------------------------------------------------------------------
# Strategies.
# ---------------------------------------------------------------------------------------------

_VISIBLE_ASCII = "".join(chr(c) for c in range(0x21, 0x7F))

# Order ids as Kuest issues them (0x + 64 hex), the product's form, and any visible ASCII token.
order_ids = st.one_of(
    st.text("0123456789abcdef", min_size=64, max_size=64).map(lambda h: "0x" + h),
    st.text(string.ascii_lowercase + string.digits, min_size=1, max_size=24).map(
        lambda s: "ord_" + s
    ),
    st.text(_VISIBLE_ASCII, min_size=1, max_size=64),
)

secret_bytes = st.binary(min_size=16, max_size=64)

# Strings that cannot occur in a message unless leaked: long, and fenced with "~~" (which no
# message of the library contains), so that hypothesis cannot shrink one to "KuestCancelOrder".
passphrases = st.text(string.ascii_letters + string.digits + "-_.!*", min_size=12, max_size=40).map(
    lambda s: f"~~{s}~~"
)


def encodings(key: bytes) -> list[str]:
    """The same secret in both alphabets, padded and not."""
    std = base64.b64encode(key).decode()
    url = base64.urlsafe_b64encode(key).decode()
    return [std, std.rstrip("="), url, url.rstrip("=")]


# ---------------------------------------------------------------------------------------------
# Twins: the same test drives KuestCancelOrder and AsyncKuestCancelOrder.
# ---------------------------------------------------------------------------------------------


# One attempt per call: each request gets exactly one answer, and nothing backs off. Retries are
# the retry policy's business; these tests are about what one answer means.
NO_RETRY = RetryPolicy(attempts=1)


def fast_limiter() -> RateLimiter:
    """A limiter that never makes a test sleep."""
    return RateLimiter(10_000, 1.0)


def _defaults() -> dict[str, Any]:
    """The test defaults: fixed clock, fast limiter, no retry."""
    return {
        "keys": KEYS,
        "clock": lambda: FIXED_S,
        "rate_limiter": fast_limiter(),
        "retry": NO_RETRY,
    }


SYNC = Twin("sync", "kuest", KuestCancelOrder, _defaults, cheap_transport=True)
ASYNC = Twin("async", "kuest", AsyncKuestCancelOrder, _defaults, cheap_transport=True)
TWINS = (SYNC, ASYNC)
twins = twins_mark(TWINS)
