"""Running `ordercancel sim` in a subprocess: its banner, and the shell it sets up.

Support for the CLI tests (no tests here).
"""

from __future__ import annotations

import contextlib
import os
import queue
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass

END_OF_BANNER = "Serving until Ctrl-C."


@contextlib.contextmanager
def stdout_lines(child: subprocess.Popen[str]) -> Iterator[queue.Queue[str]]:
    """stdout's lines as they come, read by a thread so that a test can wait with a timeout.

    On leaving, the child is killed if still running and the reader thread joined.
    """
    lines: queue.Queue[str] = queue.Queue()
    out = child.stdout
    assert out is not None

    def read() -> None:
        for line in out:
            lines.put(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        yield lines
    finally:
        if child.poll() is None:
            child.kill()
        child.wait(timeout=15)
        reader.join(timeout=15)


@dataclass(frozen=True)
class Banner:
    """What the simulator printed before serving."""

    lines: list[str]

    @property
    def exports(self) -> dict[str, str]:
        """The `export NAME=value` lines, as a mapping."""
        found = {}
        for line in self.lines:
            if line.startswith("export "):
                name, _, value = line.removeprefix("export ").partition("=")
                found[name] = value
        return found

    def table(self, title: str) -> list[list[str]]:
        """The rows of the table under the line starting with `title` (header excluded)."""
        start = next(i for i, line in enumerate(self.lines) if line.startswith(title))
        rows = []
        for line in self.lines[start + 2 :]:
            if not line.strip():
                break
            rows.append(line.split())
        return rows


def read_banner(lines: queue.Queue[str], timeout: float = 20) -> Banner:
    """The simulator's banner, up to its last line."""
    printed = []
    while True:
        line = lines.get(timeout=timeout).rstrip("\n")
        printed.append(line)
        if line == END_OF_BANNER:
            return Banner(printed)


Spawn = Callable[..., "subprocess.Popen[str]"]


@contextlib.contextmanager
def running_sim(spawn: Spawn, *args: str) -> Iterator[Banner]:
    """`ordercancel sim *args` while the block runs; yields its banner."""
    child = spawn("sim", *args)
    with stdout_lines(child) as lines:
        yield read_banner(lines)


def in_shell(banner: Banner, script: str, **env_vars: str) -> subprocess.CompletedProcess[str]:
    """Run `script` in bash after the banner's export lines, pasted as a user would.

    `ordercancel` in the script is this interpreter's `python -m ordercancel.cli`; `env_vars`
    are added to the environment (which has no venue key of its own).
    """
    pasted = "\n".join(line for line in banner.lines if line.startswith("export "))
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KUCOIN_", "KUEST_"))}
    env |= env_vars
    function = f'ordercancel() {{ "{sys.executable}" -m ordercancel.cli "$@"; }}'
    return subprocess.run(
        ["bash", "-c", f"{pasted}\n{function}\n{script}"],
        env=env,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
