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
from collections.abc import Callable, Mapping
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


Cli = Callable[..., Ran]


@pytest.fixture
def cli(tmp_path: Path) -> Cli:
    """`cli(*args, kucoin=exchange, kuest=exchange, env={...})`: run the command, return `Ran`.

    `kucoin` / `kuest` put that venue's keys in the child's environment; `env` adds or
    overrides variables (a value of None removes one).
    """

    def run(
        *args: str,
        kucoin: KucoinExchange | None = None,
        kuest: KuestExchange | None = None,
        env: Mapping[str, str | None] | None = None,
        stdin: int | None = subprocess.DEVNULL,
        timeout: float = 30,
    ) -> Ran:
        child_env = clean_env()
        if kucoin is not None:
            child_env |= kucoin_env(kucoin.keys)
        if kuest is not None:
            child_env |= kuest_env(kuest.keys)
        for name, value in (env or {}).items():
            if value is None:
                child_env.pop(name, None)
            else:
                child_env[name] = value
        done = subprocess.run(
            [*COMMAND, *args],
            env=child_env,
            cwd=tmp_path,
            stdin=stdin,
            capture_output=True,
            text=True,
            timeout=timeout,
            check=False,
        )
        return Ran(tuple(args), done.returncode, done.stdout, done.stderr)

    return run
