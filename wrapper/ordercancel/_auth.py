"""What both venues' signers share: headers computed from a request's method, target and body."""

from __future__ import annotations

import hashlib
from abc import ABC, abstractmethod
from collections.abc import Generator, Mapping

import httpx

_BLOCK = 64  # SHA-256's block size in bytes
_INNER_PAD = bytes(x ^ 0x36 for x in range(256))  # RFC 2104's ipad and opad, as translate tables
_OUTER_PAD = bytes(x ^ 0x5C for x in range(256))


class HmacSha256:
    """HMAC-SHA256 under one key, its two padded key blocks hashed once (RFC 2104).

    The same bytes as `hmac.digest(key, message, "sha256")`, for a fraction of its cost per
    message: that call looks the digest up by name and hashes both key blocks every time.
    """

    __slots__ = ("_inner", "_outer")

    def __init__(self, key: bytes) -> None:
        if len(key) > _BLOCK:
            key = hashlib.sha256(key).digest()
        key = key.ljust(_BLOCK, b"\0")
        self._inner = hashlib.sha256(key.translate(_INNER_PAD))
        self._outer = hashlib.sha256(key.translate(_OUTER_PAD))

    def __repr__(self) -> str:
        return "HmacSha256(...)"  # the hash states are derived from the secret

    def digest(self, message: bytes) -> bytes:
        """The HMAC-SHA256 of `message` (32 bytes)."""
        inner = self._inner.copy()
        inner.update(message)
        outer = self._outer.copy()
        outer.update(inner.digest())
        return outer.digest()


class SigningAuth(httpx.Auth, ABC):
    """An httpx.Auth that only adds headers, computed from what is sent; no I/O.

    `signing_headers` is the one signing step: httpx's auth flow calls it with the final
    request, and the async clients' direct path (see `_aiohttp.DirectAsyncClient`) with the
    same method, target and body, so both sign the same way.
    """

    requires_request_body = True

    @abstractmethod
    def signing_headers(self, method: str, target: str, body: bytes) -> Mapping[str, str]:
        """The headers to add to a request.

        Args:
            method: The HTTP method, upper case.
            target: The path and query as sent (percent-encoded), e.g. `/a/b?c=d`.
            body: The exact body bytes (empty when there is none).
        """

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        """Sign `request` as it will be sent."""
        target = request.url.raw_path.decode("ascii")
        request.headers.update(self.signing_headers(request.method, target, request.content))
        yield request
