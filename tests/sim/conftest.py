"""Fixtures handing the independent signers of `support.*_oracle` to the simulator tests."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from support import kucoin_oracle, kuest_oracle


@pytest.fixture
def kc_sign() -> Callable[..., dict[str, str]]:
    """KuCoin's KC-API headers for `(keys, method, raw_target, *, body, timestamp_ms, ...)`."""
    return kucoin_oracle.signed_headers


@pytest.fixture
def kq_sign() -> Callable[..., dict[str, str]]:
    """Kuest's L2 headers for `(keys, method, path, body, *, timestamp_s)`."""
    return kuest_oracle.signed_headers
