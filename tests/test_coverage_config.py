"""The coverage floor counts the CLI run as users run it: in a child process (issue 14, item 6).

`nox -s tests` measures with the project's coverage settings; this runs a script that starts
`python -m ordercancel.cli --help` in a subprocess under those settings and reads which lines of
cli.py the combined data holds.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import coverage

ROOT = Path(__file__).resolve().parents[1]
SPAWN = """
import subprocess, sys
subprocess.run([sys.executable, "-m", "ordercancel.cli", "--help"], check=True, capture_output=True)
"""


def test_a_cli_run_in_a_child_process_is_measured(tmp_path: Path) -> None:
    (tmp_path / "spawn.py").write_text(SPAWN, encoding="utf-8")
    # Not the measurement this test may itself run under: a fresh one, in tmp_path.
    env = {k: v for k, v in os.environ.items() if not k.startswith("COVERAGE_")}
    env["COVERAGE_FILE"] = str(tmp_path / ".coverage")
    rcfile = f"--rcfile={ROOT / 'pyproject.toml'}"
    for args in (["run", rcfile, "spawn.py"], ["combine", rcfile]):
        subprocess.run(
            [sys.executable, "-m", "coverage", *args],
            cwd=tmp_path,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
    data = coverage.CoverageData(basename=str(tmp_path / ".coverage"))
    data.read()
    cli = [f for f in data.measured_files() if f.endswith(os.path.join("ordercancel", "cli.py"))]
    assert len(cli) == 1, sorted(data.measured_files())
    assert data.lines(cli[0])  # measured in the child: the parent never imports the CLI
