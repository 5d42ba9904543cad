"""Ctrl-C that no command handles itself: one line (or one JSON object), exit 130, no traceback.

The command runs in a subprocess against a server that takes the request and never answers; a
real SIGINT arrives while the command waits for the answer.
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys

import pytest
from ordercancel.testing import KucoinExchange


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["text", "json"])
def test_ctrl_c_while_a_cancel_waits_for_its_answer_exits_130_in_one_line(
    json_flag: list[str],
) -> None:
    keys = KucoinExchange().keys
    env = {
        **os.environ,
        "KUCOIN_API_KEY": keys.api_key,
        "KUCOIN_API_SECRET": keys.api_secret,
        "KUCOIN_API_PASSPHRASE": keys.api_passphrase,
    }
    with socket.create_server(("127.0.0.1", 0)) as silent:
        url = f"http://127.0.0.1:{silent.getsockname()[1]}"
        order = ["671124f9365ccb00073debd4", "--symbol", "BTC-USDT", "--base-url", url]
        child = subprocess.Popen(
            [sys.executable, "-m", "ordercancel.cli", "kucoin", "order", *order, *json_flag],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            silent.settimeout(30)
            connection, _ = silent.accept()
            with connection:
                connection.settimeout(30)
                assert connection.recv(65536)  # the request came: the command now waits
                child.send_signal(signal.SIGINT)
                out, err = child.communicate(timeout=30)
        finally:
            child.kill()
    assert child.returncode == 130, out + err
    assert "Traceback" not in out + err
    if json_flag:
        body = json.loads(out)
        assert body["exit_code"] == 130
        assert body["error"]["type"] == "KeyboardInterrupt"
    else:
        assert err.count("\n") == 1
        assert "interrupted (Ctrl-C)" in err
