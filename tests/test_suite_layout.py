"""The suite reads as one: helpers live in tests/support/ or conftest.py, annotated (issue 14).

A `test_*.py` file holds tests; a module of shared helpers is a `support` module (imported as
`support.NAME`) or a conftest.py of fixtures, and every function in those is annotated.
"""

from __future__ import annotations

import ast
from pathlib import Path

TESTS = Path(__file__).resolve().parent
# Run as scripts by `nox -s bench`, never collected: not part of the suite.
SCRIPTS = TESTS / "bench"


def python_files() -> list[Path]:
    return sorted(p for p in TESTS.rglob("*.py") if SCRIPTS not in p.parents)


def defines_a_test(tree: ast.Module) -> bool:
    return any(
        isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) and node.name.startswith("test")
        for node in ast.walk(tree)
    )


def unannotated(tree: ast.Module) -> list[str]:
    """`name(line)` of each function with a parameter or its return not annotated."""
    found = []
    for node in ast.walk(tree):
        if not isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            continue
        args = node.args
        params = [*args.posonlyargs, *args.args, *args.kwonlyargs]
        params = [a for a in params if a.arg not in ("self", "cls")]
        params += [a for a in (args.vararg, args.kwarg) if a is not None]
        if node.returns is None or any(a.annotation is None for a in params):
            found.append(f"{node.name}({node.lineno})")
    return found


def test_every_test_module_holds_tests() -> None:
    empty = [
        str(p.relative_to(TESTS))
        for p in python_files()
        if p.name.startswith("test_") and not defines_a_test(ast.parse(p.read_text("utf-8")))
    ]
    assert empty == []


def test_helpers_live_in_support_or_conftest() -> None:
    stray = [
        str(p.relative_to(TESTS))
        for p in python_files()
        if not p.name.startswith("test_")
        and p.name != "conftest.py"
        and (TESTS / "support") not in p.parents
    ]
    assert stray == []


def test_support_modules_and_fixtures_are_annotated() -> None:
    helpers = [
        p for p in python_files() if (TESTS / "support") in p.parents or p.name == "conftest.py"
    ]
    assert len(helpers) > 10
    missing = {
        str(p.relative_to(TESTS)): unannotated(ast.parse(p.read_text("utf-8"))) for p in helpers
    }
    assert {name: found for name, found in missing.items() if found} == {}
