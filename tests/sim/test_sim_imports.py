"""The fault plan and the wire types import each other no more (issue 14, item 6).

Every import counts, also those under `TYPE_CHECKING` and inside functions: a circle hidden by a
lazy import is still a circle to a reader.
"""

from __future__ import annotations

import ast
from pathlib import Path

import ordercancel.testing
import ordercancel.testing._faults as faults

TESTING = Path(ordercancel.testing.__file__).parent


def imports_of(path: Path) -> set[str]:
    """The sibling modules (`_wire`, `_faults`, ...) that `path` imports anywhere."""
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom) and node.level == 1:
            if node.module:
                found.add(node.module.partition(".")[0])
            else:
                found.update(alias.name for alias in node.names)
    return found


def graph() -> dict[str, set[str]]:
    return {p.stem: imports_of(p) for p in sorted(TESTING.glob("*.py"))}


def test_faults_is_the_plan_only_and_wire_applies_it() -> None:
    edges = graph()
    assert edges["_faults"] == set()  # the plan imports no other simulator module
    assert "_faults" in edges["_wire"]
    assert not hasattr(faults, "answer")
