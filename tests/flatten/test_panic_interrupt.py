"""`ordercancel panic` interrupted, on a terminal, and its --json failures: as a user meets them.

Each test runs the command in a subprocess against served simulators: Ctrl-C is a real SIGINT,
the terminal a real pseudo-terminal (pty).
"""

from __future__ import annotations

import fcntl
import json
import os
import pty
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time

import pytest
from ordercancel.testing import KucoinExchange, KuestExchange
from test_panic_cli import _config, _open

_COMMAND = [sys.executable, "-m", "ordercancel.cli", "panic"]


@pytest.fixture
def venues():
    kx, qx = KucoinExchange(), KuestExchange()
    for i in range(6):
        kx.add_order(("BTC-USDT", "ETH-USDT")[i % 2], "1")
        qx.add_order()
    with kx.serve(), qx.serve():
        env = {
            "T_KC_KEY": kx.keys.api_key,
            "T_KC_SECRET": kx.keys.api_secret,
            "T_KC_PASS": kx.keys.api_passphrase,
            "T_KQ_ADDRESS": qx.keys.address,
            "T_KQ_KEY": qx.keys.api_key,
            "T_KQ_SECRET": qx.keys.api_secret,
            "T_KQ_PASS": qx.keys.api_passphrase,
        }
        yield kx, qx, {**os.environ, **env}


def _read_until(fd: int, seen: bytearray, wanted: bytes, timeout: float = 30) -> None:
    """Read `fd` into `seen` until `wanted` is in it."""
    end = time.monotonic() + timeout
    while wanted not in seen:
        ready, _, _ = select.select([fd], [], [], max(end - time.monotonic(), 0))
        assert ready, f"{wanted!r} never came; got {bytes(seen)!r}"
        chunk = os.read(fd, 65536)
        assert chunk, f"{wanted!r} never came; got {bytes(seen)!r}"
        seen += chunk


def _read_to_end(fd: int, seen: bytearray) -> None:
    while True:
        try:
            chunk = os.read(fd, 65536)
        except OSError:  # a pty's reader gets EIO once the other end is closed
            return
        if not chunk:
            return
        seen += chunk


def _terminal(rows: int = 24, columns: int = 100) -> tuple[int, int]:
    """A pseudo-terminal of that size: (the terminal's end, the command's end)."""
    ours, theirs = pty.openpty()
    fcntl.ioctl(theirs, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
    return ours, theirs


def test_ctrl_c_mid_run_stops_and_reports_what_is_known(tmp_path, venues) -> None:
    kx, qx, env = venues
    kx.faults.delay(60)  # KuCoin hangs on the cancel-all: the venue does nothing meanwhile
    config = _config(tmp_path, kx.base_url, qx.base_url)
    process = subprocess.Popen(
        [*_COMMAND, "--config", str(config), "--yes", "--json", "--deadline", "60"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    assert process.stderr is not None
    seen = bytearray()
    _read_until(process.stderr.fileno(), seen, b"[kq-main] verified flat")
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    err = bytes(seen).decode() + err.decode()
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert "Ctrl-C" in err
    body = json.loads(out)
    assert body["ok"] is False
    assert body["exit_code"] == 130
    assert body["interrupted"] is True
    accounts = {a["account"]: a for a in body["accounts"]}
    assert accounts["kq-main"]["status"] == "flat"
    assert accounts["kc-main"]["status"] == "unverified"
    assert accounts["kc-main"]["error"]["type"] == "FlattenInterrupted"
    assert "NOT flat" in accounts["kc-main"]["error"]["message"]
    assert _open(qx) == []
    assert len(_open(kx)) == 6  # what it did not call flat is indeed not flat


def test_ctrl_c_mid_run_without_json_prints_the_table(tmp_path, venues) -> None:
    kx, qx, env = venues
    kx.faults.delay(60)
    config = _config(tmp_path, kx.base_url, qx.base_url)
    process = subprocess.Popen(
        [*_COMMAND, "--config", str(config), "--yes", "--deadline", "60"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, text=True,
    )  # fmt: skip
    assert process.stderr is not None
    seen = bytearray()
    _read_until(process.stderr.fileno(), seen, b"[kq-main] verified flat")
    process.send_signal(signal.SIGINT)
    out, err = process.communicate(timeout=30)
    assert process.returncode == 130, err
    assert "Traceback" not in err
    assert re.search(r"^kc-main\s+kucoin\s+unverified\s.*FlattenInterrupted", out, re.M)
    assert re.search(r"^kc-main\s.*NOT flat", out, re.M), out  # the table's cut keeps it
    assert re.search(r"^kq-main\s+kuest\s+flat\s+0\s", out, re.M)


def test_a_second_ctrl_c_exits_at_once(tmp_path, venues) -> None:
    kx, qx, env = venues
    kx.faults.delay(60)
    config = _config(tmp_path, kx.base_url, qx.base_url)
    process = subprocess.Popen(
        [*_COMMAND, "--config", str(config), "--yes", "--json", "--deadline", "60"],
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    assert process.stderr is not None
    seen = bytearray()
    _read_until(process.stderr.fileno(), seen, b"[kq-main] verified flat")
    process.send_signal(signal.SIGINT)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130
    assert b"Traceback" not in bytes(seen) + err
    assert len(_open(kx)) == 6


@pytest.mark.parametrize("answer", ["ctrl-c", "end of input"])
def test_ctrl_c_or_eof_at_the_prompt_sends_nothing_and_exits_2(
    tmp_path, venues, answer: str
) -> None:
    kx, qx, env = venues
    config = _config(tmp_path, kx.base_url, qx.base_url)
    ours, theirs = _terminal()
    process = subprocess.Popen(
        [*_COMMAND, "--config", str(config)], stdin=theirs, stdout=subprocess.PIPE,
        stderr=subprocess.PIPE, env=env,
    )  # fmt: skip
    os.close(theirs)
    try:
        assert process.stderr is not None
        seen = bytearray()
        _read_until(process.stderr.fileno(), seen, b"[y/N] ")
        if answer == "ctrl-c":
            process.send_signal(signal.SIGINT)
        else:
            os.write(ours, b"\x04")  # Ctrl-D at the start of a line: the end of input
        out, err = process.communicate(timeout=30)
    finally:
        os.close(ours)
    text = (bytes(seen) + err).decode()
    assert process.returncode == 2, text
    assert "Traceback" not in text
    after_prompt = text.split("[y/N] ", 1)[1].strip().splitlines()
    assert len(after_prompt) == 1, text  # one line
    assert "nothing was sent" in after_prompt[0]
    assert out == b""
    assert kx.received == []
    assert qx.received == []


def _screen(raw: str, columns: int = 100) -> list[str]:
    """What a terminal `columns` wide shows after `raw`: lines (wrapped at the last column), CR,
    erase-line, erase-below and cursor-up-N-lines."""
    rows: list[str] = [""]
    row = col = 0
    for token in re.findall(r"\x1b\[\d*[A-Za-z]|\r|\n|[^\x1b\r\n]", raw):
        if token == "\r":
            col = 0
        elif token == "\n":
            row, col = row + 1, 0
            rows += [""] * (row + 1 - len(rows))
        elif token.startswith("\x1b["):
            n = int(token[2:-1] or 1)
            if token.endswith("F"):
                row, col = max(row - n, 0), 0
            elif token.endswith("K"):
                rows[row] = "" if token[2:-1] == "2" else rows[row][:col]
            elif token == "\x1b[J":  # erase from the cursor to the end of the screen
                rows = [*rows[:row], rows[row][:col]]
            else:
                raise AssertionError(f"unexpected escape {token!r}")
        else:
            if col == columns:  # the terminal wraps onto the next row
                row, col = row + 1, 0
                rows += [""] * (row + 1 - len(rows))
            line = rows[row].ljust(col)
            rows[row] = line[:col] + token + line[col + 1 :]
            col += 1
    return [r for r in rows if r.strip()]


def test_progress_on_a_terminal_is_one_line_per_account_redrawn(tmp_path, venues) -> None:
    kx, qx, env = venues
    kx.faults.delay(0.5)  # an update or two while the screen is live
    config = _config(tmp_path, kx.base_url, qx.base_url)
    ours, theirs = _terminal()
    process = subprocess.Popen(
        [*_COMMAND, "--config", str(config), "--yes", "--json"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=theirs, env=env,
    )  # fmt: skip
    os.close(theirs)
    seen = bytearray()
    try:
        _read_to_end(ours, seen)
        out, _ = process.communicate(timeout=30)
    finally:
        os.close(ours)
    assert process.returncode == 0, seen
    raw = seen.decode()
    assert re.search(r"\x1b\[\d+F", raw), raw  # redrawn in place
    screen = _screen(raw)
    assert screen == ["[kc-main] verified flat", "[kq-main] verified flat"], screen
    assert json.loads(out)["ok"] is True


def test_progress_to_a_pipe_is_one_line_per_change(tmp_path, venues) -> None:
    kx, qx, env = venues
    config = _config(tmp_path, kx.base_url, qx.base_url)
    done = subprocess.run(
        [*_COMMAND, "--config", str(config), "--yes"], capture_output=True, text=True, env=env,
        timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "\x1b" not in done.stderr
    lines = done.stderr.splitlines()
    assert lines == [line for line in lines if re.fullmatch(r"\[(kc|kq)-main\] .+", line)]
    assert "[kc-main] cancel-all accepted" in lines
    assert lines.index("[kc-main] cancel-all accepted") < lines.index("[kc-main] verified flat")


@pytest.mark.parametrize(
    ("args", "code", "kind"),
    [
        (["--deadline", "abc"], 2, "UsageError"),  # argparse refuses it
        (["--deadline", "nan"], 2, "ConfigError"),
        (["--config", "/nonexistent/accounts.toml"], 2, "ConfigError"),
        (["--unknown-option"], 2, "UsageError"),
    ],
)
def test_json_failures_of_the_command_have_one_shape(
    tmp_path, venues, args: list[str], code: int, kind: str
) -> None:
    kx, qx, env = venues
    config = _config(tmp_path, kx.base_url, qx.base_url)
    done = subprocess.run(
        [*_COMMAND, "--config", str(config), "--yes", "--json", *args],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == code, done.stderr
    body = json.loads(done.stdout)
    assert body["ok"] is False
    assert body["exit_code"] == code
    assert body["error"]["type"] == kind
    assert isinstance(body["error"]["message"], str)
    assert body["error"]["message"]
    assert kx.received == []


def test_json_failures_of_config_variables_and_accounts_have_one_shape(tmp_path, venues) -> None:
    kx, qx, env = venues
    config = _config(tmp_path, kx.base_url, qx.base_url)
    missing = subprocess.run(
        [*_COMMAND, "--config", str(config), "--yes", "--json"],
        capture_output=True, text=True, env={**env, "T_KC_SECRET": ""}, timeout=60,
    )  # fmt: skip
    assert missing.returncode == 2
    body = json.loads(missing.stdout)
    assert (body["ok"], body["exit_code"], body["error"]["type"]) == (False, 2, "ConfigError")
    assert "api_secret_env" in body["error"]["message"]
    bad = subprocess.run(
        [*_COMMAND, "--config", str(config), "--yes", "--json"],
        capture_output=True, text=True, env={**env, "T_KQ_KEY": "wrong"}, timeout=60,
    )  # fmt: skip
    assert bad.returncode == 9
    body = json.loads(bad.stdout)
    assert (body["ok"], body["exit_code"]) == (False, 9)
    error = {a["account"]: a["error"] for a in body["accounts"]}["kq-main"]
    assert error["type"] == "KuestAuthenticationError"
    assert isinstance(error["message"], str)
    assert error["message"]


def test_retries_on_a_terminal_are_lines_above_the_accounts_lines(tmp_path, venues) -> None:
    kx, qx, env = venues
    kx.faults.drop(count=1, when="after")  # KuCoin cancels all, the answer is lost: a retry
    config = _config(tmp_path, kx.base_url, qx.base_url)
    ours, theirs = _terminal()
    process = subprocess.Popen(
        [*_COMMAND, "--config", str(config), "--yes", "--json"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=theirs, env=env,
    )  # fmt: skip
    os.close(theirs)
    seen = bytearray()
    try:
        _read_to_end(ours, seen)
        out, _ = process.communicate(timeout=30)
    finally:
        os.close(ours)
    assert process.returncode == 0, seen
    screen = _screen(seen.decode())
    assert screen[-2:] == ["[kc-main] verified flat", "[kq-main] verified flat"], screen
    note = "".join(screen[:-2])  # one note, wrapped over as many rows as it needs
    assert note.startswith("retrying cancel_all_orders after attempt 1 of 3 failed"), screen
    assert note.endswith("waiting with backoff"), screen
    assert "stamina.retry_scheduled" not in seen.decode()
    assert json.loads(out)["ok"] is True
    assert _open(kx) == _open(qx) == []


def test_a_retry_line_wider_than_the_terminal_does_not_garble_the_accounts_lines(
    tmp_path, venues
) -> None:
    """The note wraps onto the row an account's line was drawn on; nothing of that line stays.

    176 columns: the note (177 characters today) takes a full row and one character of the
    next, where "[kq-main] starting" was drawn.
    """
    kx, qx, env = venues
    kx.faults.drop(count=1, when="after")  # KuCoin cancels all, the answer is lost: a retry
    config = _config(tmp_path, kx.base_url, qx.base_url)
    ours, theirs = _terminal(columns=176)
    process = subprocess.Popen(
        [*_COMMAND, "--config", str(config), "--yes", "--json"],
        stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=theirs, env=env,
    )  # fmt: skip
    os.close(theirs)
    seen = bytearray()
    try:
        _read_to_end(ours, seen)
        out, _ = process.communicate(timeout=30)
    finally:
        os.close(ours)
    assert process.returncode == 0, seen
    raw = seen.decode()
    written = re.search(r"retrying [^\x1b\r\n]*", raw)  # the note as it was written
    assert written is not None, raw
    screen = _screen(raw, columns=176)
    assert screen[-2:] == ["[kc-main] verified flat", "[kq-main] verified flat"], screen
    assert "".join(screen[:-2]) == written.group(0), screen  # the note and nothing else
    assert json.loads(out)["ok"] is True


def test_a_hung_venue_is_unverified_saying_what_timed_out(tmp_path, venues) -> None:
    kx, qx, env = venues
    kx.faults.delay(60, count=100)
    config = _config(tmp_path, kx.base_url, qx.base_url)
    done = subprocess.run(
        [*_COMMAND, "--config", str(config), "--yes", "--json", "--deadline", "1"],
        capture_output=True, text=True, env=env, timeout=60,
    )  # fmt: skip
    assert done.returncode == 9, done.stderr
    accounts = {a["account"]: a for a in json.loads(done.stdout)["accounts"]}
    assert accounts["kq-main"]["status"] == "flat"
    assert accounts["kc-main"]["status"] == "unverified"
    # Each call is bounded by what is left of the deadline: its own timeout gives up on it,
    # and the error names the request that timed out.
    assert accounts["kc-main"]["error"]["type"] == "APITimeoutError"
    assert re.search(
        r"Timeout on (GET|DELETE) /api/v1/hf/", accounts["kc-main"]["error"]["message"]
    )
    assert len(_open(kx)) == 6


def test_panic_run_from_another_thread_still_flattens(tmp_path, venues, monkeypatch) -> None:
    """Signal handlers can only be set in the main thread: elsewhere Ctrl-C is not caught."""
    import threading

    from ordercancel.cli import main

    kx, qx, env = venues
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    config = _config(tmp_path, kx.base_url, qx.base_url)
    codes: list[int] = []
    thread = threading.Thread(
        target=lambda: codes.append(main(["panic", "--config", str(config), "--yes"]))
    )
    thread.start()
    thread.join(60)
    assert codes == [0]
    assert _open(kx) == _open(qx) == []
