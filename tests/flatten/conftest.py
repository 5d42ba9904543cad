"""Served simulators and both twins of `flatten`, for the kill-switch tests."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from support.flatten import Twin


@pytest.fixture(params=[False, True], ids=["sync", "async"])
def twin(request: pytest.FixtureRequest) -> Twin:
    return Twin(request.param)


@pytest.fixture
def served() -> Iterator[Callable[[Any], str]]:
    """Serve a venue for the test: `served(venue)` returns its base URL."""
    stops: list[Any] = []

    def serve(venue: Any) -> str:
        server = venue.serve()
        server.__enter__()
        stops.append(server)
        return str(venue.base_url)

    yield serve
    for server in stops:
        server.__exit__(None, None, None)
