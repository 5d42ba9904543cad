"""httpx clients that build the same requests as httpx with less work.

What ordercancel's own clients are made of (a client you pass in is used as it is). Each saving
keeps the bytes on the wire identical; the wire tests check them. Measured in
tests/bench/PROFILE.md: without these, a sync cancel costs 1.10-1.17x a raw httpx.Client's CPU;
with them, 0.96-0.98x. They also refuse, with ordercancel's own errors and before anything is
sent, to send once closed, and (async) from another event loop than their first.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx

from ._compat import instance_memo, jar_holds_cookies
from ._types import RawResponse
from .errors import ClientClosedError, WrongEventLoopError

if TYPE_CHECKING:
    from asyncio import AbstractEventLoop

# Characters that neither urlencode nor httpx's URL quoting ever change.
PLAIN_CHARACTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789._~-"


def fold_plain_params(url: httpx.URL | str, params: Any) -> tuple[httpx.URL | str, Any]:
    """`url?k=v&...` when that is exactly what httpx would send for `params`, else both as given.

    httpx merges `params` into a URL by encoding them and parsing the URL once more. For a
    relative text URL without a query, and a dict of text made only of characters that no
    encoding touches (every value the input checks admit), the result is this same text.
    """
    if type(url) is not str or "?" in url or "#" in url or type(params) is not dict or not params:
        return url, params
    parts = []
    for key, value in params.items():
        if type(key) is not str or type(value) is not str:
            return url, params
        if key.strip(PLAIN_CHARACTERS) or value.strip(PLAIN_CHARACTERS):  # not only those
            return url, params
        parts.append(f"{key}={value}")
    return f"{url}?{'&'.join(parts)}", None


def base_parts(client: httpx.Client | httpx.AsyncClient) -> tuple[str, str] | None:
    """The client's base URL as text: (`scheme://host[:port]`, `/path/`); None if it has more.

    httpx joins a path (one leading slash) to the base URL as `base path + path[1:]` (the base
    path always ends in a slash). Kept per base URL object, so a replaced base URL is seen.
    """
    base = client.base_url
    memo = instance_memo(client)
    known = memo.get("_ordercancel_base")
    if known is None or known[0] is not base:  # first call, or the base URL was replaced
        parts = None
        if base.is_absolute_url and not (base.userinfo or base.query or base.fragment):
            parts = (
                f"{base.scheme}://{base.netloc.decode('ascii')}",
                base.raw_path.decode("ascii"),
            )
        known = (base, parts)
        memo["_ordercancel_base"] = known
    return known[1]


def _prepared(
    client: httpx.Client | httpx.AsyncClient, url: httpx.URL | str, params: Any
) -> tuple[httpx.URL | str, Any]:
    """The `url` and `params` to build with: the same request, fewer URL parses.

    httpx parses a relative URL, then parses it again merged into `base_url`, then once more
    merged with `params`. Plain parameters go into the text (`fold_plain_params`), and a path is
    joined to the base URL's text as httpx joins them (`base_parts`) and parsed once.
    """
    if not client.params:
        url, params = fold_plain_params(url, params)
    if type(url) is not str or not url.startswith("/") or url.startswith("//"):
        return url, params
    parts = base_parts(client)
    return (url, params) if parts is None else (httpx.URL(parts[0] + parts[1] + url[1:]), params)


class Cookies(httpx.Cookies):
    """httpx's cookie store, not shown answers that set no cookie (for which it does nothing).

    For every answer, httpx.Cookies builds urllib adapters of the request and the response,
    copying every header into an `email.message.Message`, for the jar to look for Set-Cookie
    and Set-Cookie2 only. Answers with either header go through it as before.
    """

    def __bool__(self) -> bool:
        """Whether the store holds a cookie (without walking it when it was never given one)."""
        return jar_holds_cookies(self.jar) and super().__bool__()

    def extract_cookies(self, response: httpx.Response) -> None:
        """Store the cookies `response` sets, if it sets any."""
        headers = response.headers
        if "set-cookie" in headers or "set-cookie2" in headers:
            super().extract_cookies(response)


class Client(httpx.Client):
    """httpx.Client building the same requests with less work (see `_prepared`)."""

    def check_usable(self) -> None:
        """Check that the client may send now: that it is open.

        Raises:
            ClientClosedError: the client was closed.
        """
        if self.is_closed:
            raise ClientClosedError(
                "this client is closed (its `with` block ended or close() ran), so nothing was "
                "sent: make the call inside the `with` block, or create a new client"
            )

    def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        """As httpx sends it, once `check_usable` passes.

        Raises:
            ClientClosedError: the client was closed; nothing was sent.
        """
        self.check_usable()
        return super().send(request, **kwargs)

    def build_request(
        self, method: str, url: httpx.URL | str, *, params: Any = None, **kwargs: Any
    ) -> httpx.Request:
        """As httpx builds it."""
        url, params = _prepared(self, url, params)
        return super().build_request(method, url, params=params, **kwargs)


class AsyncClient(httpx.AsyncClient):
    """httpx.AsyncClient building the same requests with less work (see `_prepared`).

    It belongs to the event loop it first sends in: its connections do, and die with it.
    """

    _ordercancel_loop: AbstractEventLoop | None = None

    def check_usable(self) -> None:
        """Check that the client may send now: open, and in the event loop it first sent in.

        Raises:
            ClientClosedError: the client was closed.
            WrongEventLoopError: this is not the event loop the client first sent in.
        """
        if self.is_closed:
            raise ClientClosedError(
                "this client is closed (its `async with` block ended or aclose() ran), so "
                "nothing was sent: make the call inside the `async with` block, or create a "
                "new client"
            )
        import asyncio  # loaded already (this is a coroutine's call); sync users never load it

        loop = asyncio.get_running_loop()
        if self._ordercancel_loop is None:
            self._ordercancel_loop = loop
        elif self._ordercancel_loop is not loop:
            if self._ordercancel_loop.is_closed():
                which = "another event loop, which has closed (a second asyncio.run?)"
            else:
                which = "another event loop, still open (one per thread?)"
            raise WrongEventLoopError(
                f"this async client first sent in {which}, so nothing was sent. An async "
                "client belongs to one event loop: create it inside the coroutine that "
                "asyncio.run runs (`async with ... as client:`), a new one for each loop"
            )

    async def send(self, request: httpx.Request, **kwargs: Any) -> httpx.Response:
        """As httpx sends it, once `check_usable` passes.

        Raises:
            ClientClosedError: the client was closed; nothing was sent.
            WrongEventLoopError: not the event loop the client first sent in; nothing was sent.
        """
        self.check_usable()
        return await super().send(request, **kwargs)

    async def request_raw(self, method: str, url: str, **kwargs: Any) -> RawResponse:
        """`request(method, url, **kwargs)`'s answer as a RawResponse (the send path's form).

        Raises:
            httpx.RequestError: as `request` does.
        """
        response = await self.request(method, url, **kwargs)
        return RawResponse(response.status_code, response.content, response.headers)

    def build_request(
        self, method: str, url: httpx.URL | str, *, params: Any = None, **kwargs: Any
    ) -> httpx.Request:
        """As httpx builds it."""
        url, params = _prepared(self, url, params)
        return super().build_request(method, url, params=params, **kwargs)
