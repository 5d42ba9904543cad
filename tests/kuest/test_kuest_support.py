"""Shared pieces of the Kuest tests (a module without tests): test keys, twins, strategies.

The signing oracle is `support.kuest_oracle`. The other test modules import this one by name
(pytest's default "prepend" import mode puts this directory on sys.path).
"""

from __future__ import annotations

import asyncio
import base64
import json
import string
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from ordercancel import (
    AsyncKuestCancelOrder,
    KuestCancelOrder,
    KuestKeys,
    RateLimiter,
    RetryPolicy,
)

ROOT = Path(__file__).resolve().parents[2]
SPEC_PATH = ROOT / "spec" / "kuest-clob-cancel.yaml"
VECTORS_PATH = ROOT / "tests" / "data" / "kuest-signing.json"
BASE_URL = "https://clob.kuest.com"
FIXED_S = 1_709_467_200  # the timestamp of the product vector (case 2)

# Hypothesis budgets: 150 examples for cheap properties, 100 for those that send many requests.
PROPERTY = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
HEAVY_PROPERTY = settings(PROPERTY, max_examples=100)


# One TLS context for every test client: building one per client costs ~30 ms, which hypothesis
# would pay thousands of times. respx intercepts these transports like the default ones.
_TLS = httpx.create_ssl_context()


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


@dataclass(frozen=True)
class Twin:
    """How to build and call one of the two clients from a synchronous test."""

    name: str
    cls: type[KuestCancelOrder] | type[AsyncKuestCancelOrder]

    @property
    def is_async(self) -> bool:
        """True for the asyncio client."""
        return self.cls is AsyncKuestCancelOrder

    def transport(self) -> httpx.BaseTransport | httpx.AsyncBaseTransport:
        """A real httpx transport (which respx intercepts) sharing one TLS context."""
        if self.is_async:
            return httpx.AsyncHTTPTransport(verify=_TLS)
        return httpx.HTTPTransport(verify=_TLS)

    def make(self, **kwargs: Any) -> Any:
        """A client with the test defaults: fixed clock, fast limiter, no retry, cheap transport."""
        kwargs.setdefault("keys", KEYS)
        kwargs.setdefault("clock", lambda: FIXED_S)
        kwargs.setdefault("rate_limiter", fast_limiter())
        kwargs.setdefault("retry", NO_RETRY)
        if "http_client" not in kwargs:
            kwargs.setdefault("transport", self.transport())
        return self.cls(**kwargs)

    def close(self, client: Any) -> None:
        """Close a client made by `make`."""
        if self.is_async:
            asyncio.run(client.aclose())
        else:
            client.close()

    def run(self, action: Callable[[Any], Any], **client_kwargs: Any) -> Any:
        """Run `action(client)` (awaiting it for the async twin) on a fresh client."""
        if not self.is_async:
            with self.make(**client_kwargs) as client:
                return action(client)

        async def run() -> Any:
            async with self.make(**client_kwargs) as client:
                return await action(client)

        return asyncio.run(run())

    def call(
        self, method: str, *args: Any, client_kwargs: Mapping[str, Any] = {}, **kw: Any
    ) -> Any:
        """Build a client, call `method(*args, **kw)` once, close it, return the result."""
        return self.run(lambda client: getattr(client, method)(*args, **kw), **client_kwargs)

    def outcome(self, method: str, *args: Any, **kw: Any) -> Any:
        """Like `call`, but an exception is returned instead of raised."""
        try:
            return self.call(method, *args, **kw)
        except Exception as exc:
            return exc


SYNC = Twin("sync", KuestCancelOrder)
ASYNC = Twin("async", AsyncKuestCancelOrder)
TWINS = (SYNC, ASYNC)
twins = pytest.mark.parametrize("twin", TWINS, ids=[t.name for t in TWINS])
