"""pytest fixtures for the simulated venues; installed as the pytest plugin "ordercancel".

Fixtures (one fresh venue per test):

- `kucoin_exchange`: a `KucoinExchange` served over HTTP on 127.0.0.1; `.base_url`, `.keys`.
- `kucoin_exchange_inprocess`: a `KucoinExchange` with no socket; send through `.transport()`.
- `kuest_exchange`: a `KuestExchange` served over HTTP on 127.0.0.1; `.base_url`, `.keys`.
- `kuest_exchange_inprocess`: a `KuestExchange` with no socket; send through `.transport()`.

Only pytest is imported at start-up; the simulator loads when a fixture is first used.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

if TYPE_CHECKING:
    from ordercancel.testing import KucoinExchange, KuestExchange


@pytest.fixture
def kucoin_exchange() -> Iterator[KucoinExchange]:
    """A simulated KuCoin Spot served on 127.0.0.1 (a free port), stopped after the test.

    `kucoin_exchange.base_url` is its URL and `kucoin_exchange.keys` keys it accepts.
    """
    from ordercancel.testing import KucoinExchange

    exchange = KucoinExchange()
    with exchange.serve():
        yield exchange


@pytest.fixture
def kucoin_exchange_inprocess() -> KucoinExchange:
    """A simulated KuCoin Spot with no socket; send through its `.transport()`."""
    from ordercancel.testing import KucoinExchange

    return KucoinExchange()


@pytest.fixture
def kuest_exchange() -> Iterator[KuestExchange]:
    """A simulated Kuest CLOB served on 127.0.0.1 (a free port), stopped after the test.

    `kuest_exchange.base_url` is its URL and `kuest_exchange.keys` keys it accepts; their
    address is that of `KuestExchange.TEST_PRIVATE_KEY` (a public test key) for clients that
    sign with a private key.
    """
    from ordercancel.testing import KuestExchange

    exchange = KuestExchange()
    with exchange.serve():
        yield exchange


@pytest.fixture
def kuest_exchange_inprocess() -> KuestExchange:
    """A simulated Kuest CLOB with no socket; send through its `.transport()`."""
    from ordercancel.testing import KuestExchange

    return KuestExchange()
