"""Closing and context management, the same for every venue's sync and async client."""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self


class SyncLifecycle:
    """`close()` and `with`: closes the HTTP connections ordercancel opened."""

    _api: Any
    _owns_http_client: bool

    def close(self) -> None:
        """Close the HTTP connections (not those of an http_client you passed in)."""
        if self._owns_http_client:
            self._api.get_httpx_client().close()

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
    """`aclose()` and `async with`: closes the HTTP connections ordercancel opened."""

    _api: Any
    _owns_http_client: bool

    async def aclose(self) -> None:
        """Close the HTTP connections (not those of an http_client you passed in)."""
        if self._owns_http_client:
            await self._api.get_async_httpx_client().aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
