"""What both venues' signers share: headers computed from a request's method, target and body."""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Generator, Mapping

import httpx


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
