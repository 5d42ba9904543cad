"""The README: CI runs its test command, its links reach the docs, its bot test runs.

Issue 18, items 4 and 5.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from support.docs import README, ROOT, blocks, section

CI_RUN = ROOT / ".ci" / "run"


def _indented_command_after(text: str, lead: str) -> str:
    """The indented (code) line that follows the paragraph ending with `lead`."""
    match = re.search(rf"{re.escape(lead)}\n\n    (\S[^\n]*)\n", text)
    assert match, f"no command after {lead!r}"
    return match.group(1)


def test_ci_runs_exactly_the_readme_test_command() -> None:
    readme_command = _indented_command_after(README.read_text(), "check, as CI runs it:")
    script = [line for line in CI_RUN.read_text().splitlines()
              if line.strip() and not line.startswith("#")]  # fmt: skip

    assert readme_command == "python3 -m venv .venv && .venv/bin/pip install nox && .venv/bin/nox"
    # Only the shell's strict mode and the move to the checkout come before it.
    assert script == ["set -euo pipefail", 'cd "$(dirname "$0")/.."', readme_command]


def test_the_try_it_command_is_intact() -> None:
    command = _indented_command_after(
        README.read_text(), "With Python 3.11+ and pip, from a checkout:"
    )

    assert command == (
        "python3 -m venv .venv && .venv/bin/pip install . && .venv/bin/ordercancel demo"
    )


def _anchors(page: Path) -> set[str]:
    """The ids mkdocs' toc gives the page's headings."""
    headings = re.findall(r"^#+ (.+)$", page.read_text(), re.MULTILINE)
    slugs = set()
    for heading in headings:
        text = re.sub(r"[`*]", "", heading).lower()
        slugs.add(re.sub(r"[\s]+", "-", re.sub(r"[^\w\s-]", "", text)).strip("-"))
    return slugs


def test_every_docs_link_of_the_readme_reaches_a_page_and_heading() -> None:
    links = re.findall(r"\]\((docs/[^)#]+)(?:#([^)]+))?\)", README.read_text())
    linked_pages = {page for page, _ in links}

    assert {"docs/cli.md", "docs/testing.md", "docs/index.md"} <= linked_pages
    for page, anchor in links:
        path = ROOT / page
        assert path.is_file(), page
        assert not anchor or anchor in _anchors(path), f"{page}#{anchor}"


def _readme_testing_blocks() -> list[str]:
    return [b.code for b in blocks(README) if b.language == "python"
            and b.code in section(README, "Testing your bot")]  # fmt: skip


def test_the_readme_testing_section_has_its_examples() -> None:
    codes = _readme_testing_blocks()

    assert any("kucoin_exchange" in code for code in codes)  # the simulator's fixture
    assert any('using="httpx"' in code for code in codes)  # respx, the way that sees async


@pytest.mark.parametrize("index", range(len(_readme_testing_blocks())))
def test_each_readme_bot_test_runs_under_pytest(tmp_path: Path, index: int) -> None:
    code = _readme_testing_blocks()[index]
    (tmp_path / "test_readme_bot.py").write_text(code)
    (tmp_path / "pytest.ini").write_text(
        "[pytest]\nasyncio_default_fixture_loop_scope = function\n"
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KUCOIN_", "KUEST_"))}

    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-W", "error",
         str(tmp_path)],
        cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120, check=False,
    )  # fmt: skip

    assert ran.returncode == 0, ran.stdout + ran.stderr
    assert re.search(r"^1 passed in ", ran.stdout, re.MULTILINE), ran.stdout
