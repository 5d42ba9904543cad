"""A wrong option type is a `ConfigurationError` naming the option, raised before anything is sent.

Met as a user meets it: a client built (or copied with `with_options`) with a value of the wrong
type (`retry=3`, `rate_limiter=100`, `timeout="5"`, `timeout=None`, the other venue's keys...)
against a capture server on 127.0.0.1. Before, each of these was accepted and failed
later, mid-call, as an AttributeError or TypeError; now the constructor (or `with_options`)
refuses it, and the venue receives nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

import httpx
import pytest
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    ConfigurationError,
    KucoinKeys,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
    KuestKeys,
)

if TYPE_CHECKING:
    from conftest import CaptureServer  # tests/conftest.py's fixture type

KUCOIN_KEYS = KucoinKeys(api_key="k", api_secret="s", api_passphrase="p")
KUEST_KEYS = KuestKeys(
    address="0x" + "ab" * 20, api_key="kuest-key", api_secret="c2VjcmV0", api_passphrase="pp"
)

BAD_COMMON: list[tuple[str, Any]] = [
    ("retry", None),
    ("retry", 3),
    ("rate_limiter", 100),
    ("clock", None),
    ("timeout", "5"),
    ("timeout", 5.0),
    ("timeout", None),
    ("timeout", httpx.Timeout(None)),  # no bound at all
    ("timeout", httpx.Timeout(5.0, read=None)),  # a read that may never end
]
CLIENTS = {
    "kucoin": (KucoinSpotCancelOrder, KUCOIN_KEYS, KUEST_KEYS),
    "kucoin-async": (AsyncKucoinSpotCancelOrder, KUCOIN_KEYS, KUEST_KEYS),
    "kuest": (KuestCancelOrder, KUEST_KEYS, KUCOIN_KEYS),
    "kuest-async": (AsyncKuestCancelOrder, KUEST_KEYS, KUCOIN_KEYS),
}
CASES = [
    (name, option, value)
    for name, (_, _, other_keys) in CLIENTS.items()
    for option, value in [*BAD_COMMON, ("keys", other_keys)]
] + [
    (name, "max_in_flight", value)
    for name in ("kuest", "kuest-async")
    for value in ("3", 2.0, True)
]


def _make(name: str, url: str, **options: Any) -> Any:
    cls, keys, _ = CLIENTS[name]
    options.setdefault("keys", keys)
    return cls(base_url=url, **options)


@pytest.mark.parametrize(("name", "option", "value"), CASES)
def test_the_constructor_refuses_a_wrong_type(
    capture_server: CaptureServer, name: str, option: str, value: Any
) -> None:
    capture_server.reset()
    with pytest.raises(ConfigurationError, match=option):
        _make(name, capture_server.url, **{option: value})
    assert capture_server.received == []


@pytest.mark.parametrize(("name", "option", "value"), CASES)
def test_with_options_refuses_a_wrong_type(
    capture_server: CaptureServer, name: str, option: str, value: Any
) -> None:
    client = _make(name, capture_server.url)
    capture_server.reset()
    with pytest.raises(ConfigurationError, match=option):
        client.with_options(**{option: value})
    assert capture_server.received == []
