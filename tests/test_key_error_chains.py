"""A key refused at construction carries no trace of the secret in its exception chain.

`raise ... from None` only hides the context when printed: `__context__` would still hold the
codec's error, whose `.object` is the whole secret (issue 12, item 6).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from ordercancel import ConfigurationError, KucoinKeys, KuestKeys

SECRET = "MY-REAL-SECRET"


def _chain(exc: BaseException) -> list[BaseException]:
    seen: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in seen:
        seen.append(current)
        current = current.__cause__ or current.__context__
    return seen


MAKERS: dict[str, Callable[[], Any]] = {
    # A non-UTF-8 byte from the environment arrives as a lone surrogate.
    "kucoin-secret": lambda: KucoinKeys(
        api_key="k", api_secret=SECRET + "\udce9", api_passphrase="p"
    ),
    "kucoin-passphrase": lambda: KucoinKeys(
        api_key="k", api_secret="s", api_passphrase=SECRET + "\udce9"
    ),
    "kuest-secret": lambda: KuestKeys(
        address="0x" + "a" * 40, api_key="k", api_secret=SECRET + "\u200b", api_passphrase="p"
    ),
}


@pytest.mark.parametrize("make", list(MAKERS.values()), ids=list(MAKERS))
def test_no_secret_anywhere_in_the_chain_of_a_refused_key(make: Callable[[], Any]) -> None:
    with pytest.raises(ConfigurationError) as caught:
        make()
    for exc in _chain(caught.value):
        shown = " ".join([str(exc), repr(exc), repr(exc.args), repr(vars(exc))])
        shown += repr(getattr(exc, "object", ""))
        assert SECRET not in shown, (type(exc).__name__, shown)
