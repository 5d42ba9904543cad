"""The public surface of ordercancel.testing, and that the plugin loads nothing heavy."""

from __future__ import annotations

import subprocess
import sys

import ordercancel.testing as testing
import pytest


def test_public_names() -> None:
    assert testing.__all__ == [
        "ExchangeTransport",
        "Fault",
        "Faults",
        "KucoinExchange",
        "KucoinOrder",
        "KucoinReceived",
        "KuestExchange",
        "KuestOrder",
        "KuestReceived",
        "ServedExchange",
        "SimulatedVenue",
        "WindowState",
        "serve",
    ]
    for name in testing.__all__:
        assert getattr(testing, name).__doc__
    with pytest.raises(AttributeError):
        _ = testing.Nope  # type: ignore[attr-defined]


def test_plugin_import_is_light() -> None:
    code = (
        "import sys, ordercancel.testing.pytest_plugin; "
        "print(sorted(m for m in ('aiohttp', 'ordercancel.testing._kucoin', "
        "'ordercancel.testing._kuest') if m in sys.modules))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
