"""The tree `ordercancel.errors` draws in its docstring is the tree a reader finds there."""

from __future__ import annotations

import builtins
import inspect
import re

import ordercancel
import ordercancel.errors as errors

_NODE = re.compile(r"^(?P<indent>[ │]*)(?:[├└]── )?(?P<name>[A-Z][A-Za-z]+)(?P<rest>.*)$")


def _drawn() -> dict[str, tuple[str | None, list[str]]]:
    """Each class the docstring draws: (its parent in the drawing, the "also" classes)."""
    doc = inspect.getdoc(errors) or ""
    lines = [line.removeprefix("    ") for line in doc.split("\n")]
    start = lines.index("OrderCancelError")
    drawn: dict[str, tuple[str | None, list[str]]] = {}
    stack: list[str] = []
    for line in lines[start:]:
        if not line.strip():
            break
        match = _NODE.match(line)
        assert match, line
        depth = 0 if line == "OrderCancelError" else len(match["indent"]) // 4 + 1
        del stack[depth:]
        also = re.findall(r"also ([A-Z][A-Za-z]+)", match["rest"])
        drawn[match["name"]] = (stack[-1] if stack else None, also)
        stack.append(match["name"])
    return drawn


def test_every_drawn_class_lives_in_errors_under_its_drawn_parent() -> None:
    drawn = _drawn()
    assert len(drawn) > 30
    for name, (parent, also) in drawn.items():
        cls = getattr(errors, name)
        assert cls.__module__ == "ordercancel.errors", name
        assert name in errors.__all__, name
        if parent is not None:  # drawn under its first base
            assert cls.__bases__[0] is getattr(errors, parent), (name, parent)
        for other in also:
            kind = getattr(errors, other, None) or getattr(builtins, other)
            assert issubclass(cls, kind), (name, other)


def test_every_error_class_of_the_package_is_drawn() -> None:
    drawn = set(_drawn())
    defined = {
        name
        for name, obj in vars(errors).items()
        if inspect.isclass(obj) and issubclass(obj, BaseException)
    }
    assert defined == drawn
    public = {
        name
        for name in ordercancel.__all__
        if inspect.isclass(getattr(ordercancel, name))
        and issubclass(getattr(ordercancel, name), BaseException)
    }
    assert public <= drawn
    for name in public:  # one class, whichever path imports it
        assert getattr(ordercancel, name) is getattr(errors, name)


def test_errors_imports_no_envelope() -> None:
    """The venue errors read their headers with readers that live next to `RateLimitInfo`."""
    import ast

    tree = ast.parse(inspect.getsource(errors))
    imported = [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ] + [
        alias.name
        for node in ast.walk(tree)
        if isinstance(node, ast.Import)
        for alias in node.names
    ]
    assert not [name for name in imported if "_envelope" in name]
    assert errors.rate_limit_info({"gw-ratelimit-remaining": "7"}).remaining == 7
    assert errors.retry_after_seconds({"retry-after": "3"}) == 3.0
