"""Fixtures handing the independent signers of `sim_signing` to the simulator tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from sim_signing import kucoin_headers, kuest_headers


@pytest.fixture
def kc_sign() -> Callable[..., dict[str, str]]:
    return kucoin_headers


@pytest.fixture
def kq_sign() -> Callable[..., dict[str, str]]:
    return kuest_headers
