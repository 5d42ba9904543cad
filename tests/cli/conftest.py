"""Run the `ordercancel` command in a subprocess, as a shell or a script would.

Each test runs `python -m ordercancel.cli ...` with the interpreter running pytest (the venv's,
where the package is installed) against a simulated venue served on 127.0.0.1. The child gets a
copy of this environment with every KUCOIN_* and KUEST_* variable removed, then only the keys of
the venue under test: a developer's real keys can never reach a test, nor a test reach a real
venue. stdin is /dev/null (no terminal), so nothing ever waits for an answer.

The child runs the library's real retry policy (3 attempts with backoff): tests/conftest.py's
stamina switch only applies inside the pytest process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from ordercancel import KucoinKeys, KuestKeys
from ordercancel.testing import KucoinExchange, KuestExchange

COMMAND = (sys.executable, "-m", "ordercancel.cli")
KEY_PREFIXES = ("KUCOIN_", "KUEST_")


@dataclass(frozen=True)
class Ran:
    """What one run of the command did."""

    args: tuple[str, ...]
    code: int
    out: str
    err: str

    def json(self) -> Any:
        """stdout parsed as the one JSON object --json promises."""
        return json.loads(self.out)

    def __str__(self) -> str:
        return f"ordercancel {' '.join(self.args)} -> {self.code}\nout: {self.out}\nerr: {self.err}"


def clean_env() -> dict[str, str]:
    """This process's environment without any venue key."""
    return {k: v for k, v in os.environ.items() if not k.startswith(KEY_PREFIXES)}


def kucoin_env(keys: KucoinKeys) -> dict[str, str]:
    return {
        "KUCOIN_API_KEY": keys.api_key,
        "KUCOIN_API_SECRET": keys.api_secret,
        "KUCOIN_API_PASSPHRASE": keys.api_passphrase,
        "KUCOIN_API_KEY_VERSION": keys.key_version,
    }


def kuest_env(keys: KuestKeys) -> dict[str, str]:
    return {
        "KUEST_ADDRESS": keys.address,
        "KUEST_API_KEY": keys.api_key,
        "KUEST_API_SECRET": keys.api_secret,
        "KUEST_API_PASSPHRASE": keys.api_passphrase,
    }


def child_env(
    kucoin: KucoinExchange | None = None,
    kuest: KuestExchange | None = None,
    env: Mapping[str, str | None] | None = None,
) -> dict[str, str]:
    """The child's environment: no key but those of `kucoin` / `kuest`, then `env` applied
    (a value of None removes that variable)."""
    result = clean_env()
    if kucoin is not None:
        result |= kucoin_env(kucoin.keys)
    if kuest is not None:
        result |= kuest_env(kuest.keys)
    for name, value in (env or {}).items():
        if value is None:
            result.pop(name, None)
        else:
            result[name] = value
    return result


Cli = Callable[..., Ran]
Spawn = Callable[..., "subprocess.Popen[str]"]


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """`cli(*args, kucoin=exchange, kuest=exchange, env={...})`: run the command, return `Ran`.

    `kucoin` / `kuest` put that venue's keys in the child's environment; `env` adds or
    overrides variables (a value of None removes one). stdin is /dev/null unless given;
    `command` replaces `python -m ordercancel.cli` (e.g. with the console script).
    """

    def run(
        *args: str,
        kucoin: KucoinExchange | None = None,
        kuest: KuestExchange | None = None,
        env: Mapping[str, str | None] | None = None,
        stdin: int | None = subprocess.DEVNULL,
        timeout: float = 30,
        command: Sequence[str] = COMMAND,
    ) -> Ran:
        done = subprocess.run(
            [*command, *args],
            env=child_env(kucoin, kuest, env),
            cwd=tmp_path,
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return Ran(tuple(args), done.returncode, done.stdout, done.stderr)

    return run


@pytest.fixture(scope="session")
def spawn(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Spawn]:
    """`spawn(*args)`: start the command without waiting (stdout and stderr piped, text).

    Any child still running at the end of the session is killed.
    """
    cwd = tmp_path_factory.mktemp("cli")
    children: list[subprocess.Popen[str]] = []

    def start(*args: str) -> subprocess.Popen[str]:
        child = subprocess.Popen(
            [*COMMAND, *args],
            env=child_env(),
            cwd=cwd,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        children.append(child)
        return child

    yield start
    for child in children:
        if child.poll() is None:
            child.kill()
        child.communicate()
