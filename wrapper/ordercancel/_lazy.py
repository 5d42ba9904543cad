"""Generated endpoint modules, imported when a client is built rather than with `ordercancel`.

Importing a generated package builds every model class. Deferring that keeps `import
ordercancel` cheap (a KuCoin-only program never loads Kuest's), and `preload` at client
construction keeps that cost off the first cancel.
"""

from __future__ import annotations

import importlib
from types import ModuleType


class Endpoints:
    """The modules of one generated `api.default` package, each imported on first access."""

    def __init__(self, package: str, names: tuple[str, ...]) -> None:
        self._package = package
        self._names = names

    def __getattr__(self, name: str) -> ModuleType:
        module = importlib.import_module(f"{self._package}.{name}")
        setattr(self, name, module)  # found as a plain attribute from now on
        return module

    def preload(self) -> None:
        """Import every endpoint module now (done when a client is built)."""
        for name in self._names:
            getattr(self, name)
