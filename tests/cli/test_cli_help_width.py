"""Every help page fits the terminal it is read on, and wraps without losing a word."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from ordercancel._panic import PANIC_EXIT
from ordercancel.cli import EXIT_CODES

PAGES = {
    (): EXIT_CODES,
    ("kucoin", "order"): EXIT_CODES,
    ("kuest", "all"): EXIT_CODES,
    ("sim",): EXIT_CODES,
    ("panic",): PANIC_EXIT,
}


def _help(args: tuple[str, ...], columns: int) -> str:
    done = subprocess.run(
        [sys.executable, "-m", "ordercancel.cli", *args, "--help"],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
        env={**os.environ, "COLUMNS": str(columns)},
    )
    assert done.returncode == 0, done.stderr
    return done.stdout


@pytest.mark.parametrize("columns", [60, 100])
@pytest.mark.parametrize("args", list(PAGES), ids=lambda a: " ".join(a) or "top")
def test_a_help_page_fits_the_terminal_and_keeps_every_exit_code(
    args: tuple[str, ...], columns: int
) -> None:
    page = _help(args, columns)
    assert [line for line in page.splitlines() if len(line) > columns] == []
    codes = page.partition("exit codes:\n")[2]
    assert codes, page
    flowing = " ".join(codes.split())
    for code, meaning in PAGES[args].items():
        assert f"{code} {' '.join(meaning.split())}" in flowing
    # a wrapped meaning continues under its own first word, not under the code
    for line in codes.splitlines():
        assert line.startswith("  "), line
