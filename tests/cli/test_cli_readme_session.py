"""The README's session against `ordercancel sim`, replayed (issue 18, item 1).

The README shows a simulator started with seeded orders and planned faults, then one command of
each kind and what it printed. This test starts the simulator with the README's own command
line, checks its banner against the README's, pastes its `export` lines into bash and runs each
README command there, checking the output and the `# exit N` each line promises. In the
README, "..." stands for any text (ports, keys, a message's middle).
"""

from __future__ import annotations

import re
import shlex
from pathlib import Path
from typing import TYPE_CHECKING

from support.cli_sim import in_shell, running_sim

if TYPE_CHECKING:
    from conftest import Spawn  # the fixture's type; never imported at run time

README = Path(__file__).resolve().parents[2] / "README.md"


def _console_blocks() -> list[str]:
    text = README.read_text(encoding="utf-8")
    start = text.index("### A session against the simulator\n")
    end = text.index("\n## ", start)
    return re.findall(r"^```console\n(.*?)^```$", text[start:end], re.DOTALL | re.MULTILINE)


def _matches(expected: list[str], printed: list[str]) -> bool:
    if len(expected) != len(printed):
        return False
    return all(
        re.fullmatch(".*".join(re.escape(part) for part in want.split("...")), got)
        for want, got in zip(expected, printed, strict=True)
    )


def _steps(block: str) -> list[tuple[str, int, list[str]]]:
    """(command, promised exit status, expected output lines) for each `$` line."""
    steps: list[tuple[str, int, list[str]]] = []
    for line in block.splitlines():
        if line.startswith("$ "):
            command, _, promise = line[2:].partition("  # exit ")
            steps.append((command, int(promise), []))
        else:
            steps[-1][2].append(line)
    return steps


def test_the_readme_session_is_what_the_simulator_and_the_commands_print(spawn: Spawn) -> None:
    started, session = _console_blocks()
    first, *banner_expected = started.splitlines()
    sim_args = shlex.split(first.removeprefix("$ ordercancel sim "))
    steps = _steps(session)
    assert {" ".join(shlex.split(c)[1:3]) for c, _, _ in steps} == {
        "kucoin order", "kucoin client-oid", "kucoin partial", "kucoin symbol", "kucoin all",
        "kuest orders", "kuest market", "kuest all",
    }  # every cancel command  # fmt: skip

    with running_sim(spawn, *sim_args) as banner:
        assert _matches(banner_expected, banner.lines), "\n".join(banner.lines)
        script = "\n".join(f'{command} 2>&1; echo "::exit=$?"' for command, _, _ in steps)
        done = in_shell(banner, script, PYTHONUNBUFFERED="1")  # stdout and stderr in order

    printed = done.stdout.split("::exit=")
    outputs = [printed[0]] + [part.partition("\n")[2] for part in printed[1:-1]]
    codes = [int(part.partition("\n")[0]) for part in printed[1:]]
    assert len(codes) == len(steps), done.stdout + done.stderr
    for (command, promised, expected), code, output in zip(steps, codes, outputs, strict=True):
        assert code == promised, f"{command}: exit {code}\n{output}"
        assert _matches(expected, output.splitlines()), f"{command} printed:\n{output}"
