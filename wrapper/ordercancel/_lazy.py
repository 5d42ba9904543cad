"""What `import ordercancel` defers: generated endpoint modules, and names of the packages.

Importing a generated package builds every model class. Deferring that keeps `import
ordercancel` cheap (a KuCoin-only program never loads Kuest's), and `preload` at client
construction keeps that cost off the first cancel. `lazy_names` does the same for the names a
package exports (`ordercancel`'s Kuest and flatten names, `ordercancel.testing`'s venues).
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping
from types import ModuleType
from typing import Any


def lazy_names(
    package: str, homes: Mapping[str, str], namespace: dict[str, Any]
) -> Callable[[str], Any]:
    """A module `__getattr__` (PEP 562) for `package`, importing each name on first use.

    Each name of `homes` comes from its module (relative to `package`), and is then kept in
    `namespace` (the package's globals), where later lookups find it.
    """

    def __getattr__(name: str) -> Any:
        home = homes.get(name)
        if home is None:
            raise AttributeError(f"module {package!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(home, package), name)
        namespace[name] = value
        return value

    return __getattr__


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
