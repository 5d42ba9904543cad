"""The one door to other libraries' private parts: each touch is one function here.

ordercancel relies on a few attributes that httpx and aiohttp do not document. Each use goes
through one function of this module, and tests/test_compat.py checks, for each, that the
attribute is there and behaves as relied upon: a library upgrade that changes one fails there,
loudly, not in a cancel.
"""

from __future__ import annotations

from http.cookiejar import CookieJar
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    import aiohttp


def instance_memo(client: httpx.Client | httpx.AsyncClient) -> dict[str, Any]:
    """The client's instance `__dict__`: where ordercancel keeps a value next to it.

    httpx's clients are plain classes (no `__slots__`), so a key of ours there neither clashes
    with httpx's attributes (they are set in `__init__`, none named `_ordercancel_*`) nor
    needs a subclass.
    """
    return client.__dict__


def set_cookie_store(client: httpx.Client | httpx.AsyncClient, cookies: httpx.Cookies) -> None:
    """Make `cookies` the client's cookie store (httpx keeps it in `_cookies`).

    httpx reads `client._cookies` to add cookies to each request and calls its
    `extract_cookies(response)` for each answer; `client.cookies` returns it. There is no
    public way to give a client a subclass of httpx.Cookies (the setter copies into a new one).
    """
    client._cookies = cookies


def transport_for_url(
    client: httpx.Client | httpx.AsyncClient, url: httpx.URL
) -> httpx.BaseTransport | httpx.AsyncBaseTransport:
    """The transport `client` would send a request to `url` through (its own, or a mount's).

    httpx's private `_transport_for_url`: the same choice `client.send` makes (mounts such as
    proxies first, then the client's transport).
    """
    return client._transport_for_url(url)


def disable_aiohttp_retry(session: aiohttp.ClientSession) -> None:
    """Stop aiohttp from sending a request again when a kept-alive connection drops.

    aiohttp resends an "idempotent" request (DELETE included) once on a new connection when
    the old one was closed under it (`ClientSession._retry_connection`, True by default; its
    own test utilities set it to False): a cancel that landed before the drop would be sent
    twice, unseen by the retry policy.
    """
    session._retry_connection = False


def disable_aiohttp_cookies(session: aiohttp.ClientSession) -> None:
    """Give the session a cookie jar that keeps nothing (aiohttp's `_cookie_jar`).

    httpx's jar is the client's one cookie store; aiohttp's own would be a second one. The
    session takes a jar only in its constructor, and `cookie_jar` has no setter.
    """
    import aiohttp

    session._cookie_jar = aiohttp.DummyCookieJar()


def header_items(headers: httpx.Headers) -> list[tuple[bytes, bytes, bytes]]:
    """The list behind `headers` (httpx's `Headers._list`): raw name, lower name, value.

    Every public method of httpx.Headers reads and replaces items of this list, so comparing it
    (by identity of its items, in C) tells whether the headers changed since the last request.
    """
    items: list[tuple[bytes, bytes, bytes]] = headers._list
    return items


def jar_holds_cookies(jar: CookieJar) -> bool:
    """Whether `jar` holds any cookie, without walking it (http.cookiejar's `_cookies`).

    The standard library's store is a dict: domain -> path -> name -> cookie; its domains are
    removed when they empty (`clear`), so an empty dict means no cookie.
    """
    return bool(jar._cookies)  # type: ignore[attr-defined]
