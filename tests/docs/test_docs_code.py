"""Every code block in docs/ runs, or is checked against what the code does (issue 18, item 4).

- ```python blocks run: a block with `def test_...` functions runs under pytest in a fresh
  interpreter, with the plugin's fixtures, as a user's test file would; any other block runs as
  a script. Each talks to a simulated venue (in-process or served on 127.0.0.1), never a real
  one.
- ```console blocks are shell sessions: each `$ ordercancel ...` line must be a command line
  the command accepts.
- ```json blocks are files for `ordercancel sim --orders-file`: each is served, and every
  order it lists must be there.
- ```text blocks are output the tools print: each is compared with what they print.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shlex
import socket
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import stamina
from ordercancel import KucoinSpotCancelOrder
from ordercancel.cli import UsageError, _parser
from ordercancel.testing import KucoinExchange
from support.docs import Block, blocks, pages

LANGUAGES = {"python", "console", "json", "text"}
ALL_BLOCKS = [block for page in pages() for block in blocks(page)]


def _of(language: str) -> list[Block]:
    return [block for block in ALL_BLOCKS if block.language == language]


def test_every_block_says_what_it_is() -> None:
    unmarked = [f"{b.where}: {b.language or '(none)'}" for b in ALL_BLOCKS
                if b.language not in LANGUAGES]  # fmt: skip
    assert unmarked == [], f"mark each block as one of {sorted(LANGUAGES)}"
    assert {block.language for block in ALL_BLOCKS} == LANGUAGES  # each kind is checked below


# -- python ---------------------------------------------------------------------------------


def _child_env() -> dict[str, str]:
    """This environment without any venue key: a block can only reach a simulator."""
    return {k: v for k, v in os.environ.items() if not k.startswith(("KUCOIN_", "KUEST_"))}


def _module_name(block: Block) -> str:
    return re.sub(r"\W", "_", f"test_{block.path.stem}_line_{block.line}")


PYTHON_PAGES = sorted({block.path for block in _of("python")})


@pytest.mark.parametrize("page", PYTHON_PAGES, ids=lambda page: page.name)
def test_python_blocks_run(page: Path, tmp_path: Path) -> None:
    page_blocks = [block for block in _of("python") if block.path == page]
    tests = [block for block in page_blocks if re.search(r"^def test_", block.code, re.MULTILINE)]
    scripts = [block for block in page_blocks if block not in tests]
    (tmp_path / "pytest.ini").write_text("[pytest]\n")  # none of this project's settings
    # Only pytest and the ordercancel plugin: the pages promise no other plugin is needed.

    for block in scripts:
        script = tmp_path / f"{_module_name(block)}.py"
        script.write_text(block.code)
        ran = subprocess.run([sys.executable, str(script)], cwd=tmp_path, env=_child_env(),
                             capture_output=True, text=True, timeout=120, check=False)  # fmt: skip
        assert ran.returncode == 0, f"{block.where} failed:\n{ran.stdout}\n{ran.stderr}"

    if not tests:
        return
    for block in tests:
        (tmp_path / f"{_module_name(block)}.py").write_text(block.code)
    expected = sum(len(re.findall(r"^def test_", b.code, re.MULTILINE)) for b in tests)
    ran = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "-p", "no:asyncio",
         "-W", "error", "--strict-markers", "-rA", str(tmp_path)],
        cwd=tmp_path, env=_child_env(), capture_output=True, text=True, timeout=300, check=False,
    )  # fmt: skip
    report = f"{ran.stdout}\n{ran.stderr}"
    assert ran.returncode == 0, report
    summary = ran.stdout.strip().splitlines()[-1]
    assert re.match(rf"^{expected} passed in ", summary), report


# -- console ---------------------------------------------------------------------------------


def _commands(block: Block) -> list[list[str]]:
    return [shlex.split(line[2:], comments=True) for line in block.code.splitlines()
            if line.startswith("$ ordercancel ")]  # fmt: skip


COMMANDS = [(block, words[1:]) for block in _of("console") for words in _commands(block)]


@pytest.mark.parametrize(
    ("block", "args"), COMMANDS, ids=[f"{b.where} {' '.join(a)[:40]}" for b, a in COMMANDS]
)
def test_documented_command_lines_are_accepted(block: Block, args: list[str]) -> None:
    try:
        _parser().parse_args(args)
    except UsageError as refused:
        pytest.fail(f"{block.where}: `ordercancel {shlex.join(args)}`: {refused.message}")


def test_console_blocks_show_commands() -> None:
    # A console block is a session: each one shows at least one command.
    assert all(re.search(r"^\$ ", block.code, re.MULTILINE) for block in _of("console"))


# -- json: files for ordercancel sim --orders-file ---------------------------------------------


def _served_banner(orders_file: Path) -> list[str]:
    """What `ordercancel sim --orders-file` prints, run in this process and stopped."""
    from ordercancel._sim import serve_forever

    printed: list[str] = []
    stop = threading.Event()

    def out(line: str) -> None:
        printed.append(line)
        if line == "Serving until Ctrl-C.":
            stop.set()

    serve_forever(orders_file=str(orders_file), out=out, until=stop)
    return printed


@pytest.mark.parametrize("block", _of("json"), ids=lambda block: block.where)
def test_json_blocks_are_orders_files_that_the_simulator_serves(
    block: Block, tmp_path: Path
) -> None:
    document = json.loads(block.code)
    path = tmp_path / "orders.json"
    path.write_text(block.code)

    banner = "\n".join(_served_banner(path))

    for venue in ("kucoin", "kuest"):
        orders = document.get(venue, {}).get("orders", [])
        listed = banner.count(" " + ("$KUCOIN_URL" if venue == "kucoin" else "$KUEST_URL"))
        assert listed == 1 if orders else listed == 0
        for order in orders:
            if "order_id" in order:
                assert order["order_id"] in banner
            if "client_oid" in order:
                assert order["client_oid"] in banner
        for fault in document.get(venue, {}).get("faults", []):
            assert f": {fault['kind']}" in banner


# -- text: output, compared with what the tools print -----------------------------------------


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


def _printed_for_a_taken_port(port: int) -> str:
    from ordercancel._sim import SimSetupError, serve_forever

    with pytest.raises(SimSetupError) as refused:
        serve_forever(kucoin_port=port, out=lambda line: None)
    return f"ordercancel sim: error: {refused.value}"


def _printed_for_a_503(caplog: pytest.LogCaptureFixture) -> str:
    venue = KucoinExchange()
    order = venue.add_order()
    venue.faults.server_error()
    with (
        stamina.set_testing(True, attempts=2),
        caplog.at_level(logging.WARNING, logger="ordercancel"),
        KucoinSpotCancelOrder(keys=venue.keys, transport=venue.transport()) as kc,
    ):
        kc.cancel_order_by_order_id(order.order_id, "BTC-USDT")
    [line] = [r.getMessage() for r in caplog.records if r.getMessage().startswith("retrying")]
    return line.replace(order.order_id, "ORDER_ID")


TEXT_BLOCKS = _of("text")


@pytest.mark.parametrize("block", TEXT_BLOCKS, ids=lambda block: block.where)
def test_text_blocks_are_what_the_tools_print(
    block: Block, taken_port: int, caplog: pytest.LogCaptureFixture
) -> None:
    shown = block.code.strip()
    if shown.startswith("ordercancel sim: error:"):
        documented_port = re.search(r"--kucoin-port (\d+)", shown)
        assert documented_port, shown
        assert _printed_for_a_taken_port(taken_port) == shown.replace(
            documented_port.group(1), str(taken_port)
        )
    elif shown.startswith("retrying "):
        assert _printed_for_a_503(caplog) == shown
    else:
        pytest.fail(f"{block.where}: no check for this output; add one here")
