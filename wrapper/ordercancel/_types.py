"""The data both venues' operations and the send path share: a call, and an answer."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from .errors import OrderCancelError

T = TypeVar("T")


# Not frozen: built once per request, read only (a frozen dataclass sets each field through
# `object.__setattr__`, which cost 1-2 us per instance here).
@dataclass(slots=True)
class RawResponse:
    """What the venue sent back, before any interpretation (read only)."""

    status_code: int
    content: bytes
    headers: Mapping[str, str]
    """Looked up by name in any case; a repeated header's values joined by ", " (as httpx)."""


@dataclass(slots=True)
class Operation(Generic[T]):
    """One call: the generated request builder, its arguments, and the answer's parser.

    Read only: a keeper sends the same one again and again.
    """

    request: Callable[..., dict[str, Any]]
    """A generated endpoint module's `request_kwargs`: method, url, params, json, headers."""
    kwargs: Mapping[str, Any]
    parse: Callable[[RawResponse], T]
    weight: int = 1
    """The call's weight in the venue's rate-limit pool."""
    idempotent: bool = True
    """False when doing it twice does more than once (a partial cancel): no retry after a 5xx."""
    after_landed: Callable[[T, OrderCancelError], T] | None = None
    """For results holding many outcomes: mark those "gone after a retry" (see RetryState)."""

    @property
    def name(self) -> str:
        """The generated endpoint's name (its module's), for messages."""
        return getattr(self.request, "__module__", "call").rsplit(".", 1)[-1]
