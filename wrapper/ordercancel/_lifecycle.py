"""Closing and context management, the same for every venue's sync and async client.

Close a client when you are done with it (or use it as a context manager): that closes the
connections ordercancel opened. A call after that raises `ClientClosedError`; an async client
called from another event loop than its first raises `WrongEventLoopError`; neither sends
anything.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self


class SyncLifecycle:
    """`close()` and `with`: closes the HTTP connections ordercancel opened."""

    _api: Any
    _owns_http_client: bool

    def close(self) -> None:
        """Close the HTTP connections (not those of an http_client you passed in).

        Calls made after this raise `ClientClosedError` and send nothing.
        """
        if self._owns_http_client:
            self._api.get_httpx_client().close()

    def _check_usable(self) -> None:
        """Raise `ClientClosedError` when the connections ordercancel opened are closed."""
        if self._owns_http_client:
            self._api.get_httpx_client().check_usable()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncLifecycle:
    """`aclose()` and `async with`: closes the HTTP connections ordercancel opened.

    The client belongs to the event loop it first sends in (its connections do).
    """

    _api: Any
    _owns_http_client: bool

    async def aclose(self) -> None:
        """Close the HTTP connections (not those of an http_client you passed in).

        Calls made after this raise `ClientClosedError` and send nothing.
        """
        if self._owns_http_client:
            await self._api.get_async_httpx_client().aclose()

    def _check_usable(self) -> None:
        """Raise when ordercancel's client cannot send from here.

        Raises:
            ClientClosedError: it is closed.
            WrongEventLoopError: it first sent in another event loop.
        """
        if self._owns_http_client:
            self._api.get_async_httpx_client().check_usable()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
