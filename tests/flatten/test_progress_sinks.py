"""A progress sink that fails never stops the kill switch nor loses its report.

The library's `progress` callback raising, and the command's stderr closed (`2>&-`), a pipe
nobody reads, or full (`2>/dev/full`): flattening goes on and the report is given.
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import subprocess
import sys

import pytest
from ordercancel import (
    AsyncKucoinSpotCancelOrder,
    AsyncKuestCancelOrder,
    KucoinSpotCancelOrder,
    KuestCancelOrder,
    aflatten,
    flatten,
)
from ordercancel.testing import KucoinExchange, KuestExchange
from support.flatten import FAST
from test_panic_cli import _config, _open

_COMMAND = [sys.executable, "-m", "ordercancel.cli", "panic"]


@pytest.fixture
def venues():
    kx, qx = KucoinExchange(cancel_delay_s=0.2), KuestExchange()
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


def _broken_sink(account: str, text: str) -> None:
    raise BrokenPipeError(32, "Broken pipe")


@pytest.mark.parametrize("is_async", [False, True], ids=["sync", "async"])
def test_a_raising_progress_callback_is_turned_off_and_every_account_is_flattened(
    is_async: bool, caplog: pytest.LogCaptureFixture
) -> None:
    kx, qx = KucoinExchange(cancel_delay_s=0.2), KuestExchange()
    for _ in range(5):
        kx.add_order("BTC-USDT", "1")
        qx.add_order()
    with kx.serve(), qx.serve(), caplog.at_level(logging.WARNING, logger="ordercancel"):
        if is_async:

            async def run():
                async with (
                    AsyncKucoinSpotCancelOrder(keys=kx.keys, base_url=kx.base_url) as kc,
                    AsyncKuestCancelOrder(keys=qx.keys, base_url=qx.base_url) as kq,
                ):
                    return await aflatten({"kc": kc, "kq": kq}, 5, progress=_broken_sink)

            reports = asyncio.run(run())
        else:
            with (
                KucoinSpotCancelOrder(keys=kx.keys, base_url=kx.base_url, timeout=FAST) as kc,
                KuestCancelOrder(keys=qx.keys, base_url=qx.base_url, timeout=FAST) as kq,
            ):
                reports = flatten({"kc": kc, "kq": kq}, 5, progress=_broken_sink)
    # `error` is the last account-level error of any round (a queued KuCoin cancel can leave
    # 016 naming the symbol for a round): the point here is that the sink's failure is none.
    assert [(r.account, r.status) for r in reports] == [("kc", "flat"), ("kq", "flat")]
    assert not [r for r in reports if isinstance(r.error, BrokenPipeError)]
    assert _open(kx) == _open(qx) == []
    turned_off = [r for r in caplog.records if "progress callback raised" in r.getMessage()]
    assert len(turned_off) == 1  # once, not once per account or per step
    assert "BrokenPipeError" in turned_off[0].getMessage()


@pytest.mark.parametrize("sink", ["closed pipe", "/dev/full", "closed (2>&-)"])
@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["table", "json"])
def test_panic_with_a_broken_stderr_still_flattens_and_reports_on_stdout(
    tmp_path, venues, sink: str, json_flag: list[str]
) -> None:
    kx, qx, env = venues
    config = _config(tmp_path, kx.base_url, qx.base_url)
    args = [*_COMMAND, "--config", str(config), "--yes", "--deadline", "5", *json_flag]
    if sink == "closed pipe":
        read, write = os.pipe()
        os.close(read)
        try:
            done = subprocess.run(args, env=env, stdout=subprocess.PIPE, stderr=write, timeout=60)
        finally:
            os.close(write)
    elif sink == "/dev/full":
        with open("/dev/full", "w") as full:
            done = subprocess.run(args, env=env, stdout=subprocess.PIPE, stderr=full, timeout=60)
    else:  # the child starts with file descriptor 2 closed: its sys.stderr is None
        shell = " ".join(f"'{a}'" for a in args) + " 2>&-"
        done = subprocess.run(shell, shell=True, env=env, stdout=subprocess.PIPE, timeout=60)
    out = done.stdout.decode()
    assert done.returncode == 0, out
    assert _open(kx) == _open(qx) == []
    if json_flag:
        body = json.loads(out)
        assert body["ok"] is True
        assert [a["status"] for a in body["accounts"]] == ["flat", "flat"]
    else:
        assert "kc-main" in out
        assert "kq-main" in out
        assert out.count(" flat ") == 2, out


@pytest.mark.parametrize("json_flag", [[], ["--json"]], ids=["table", "json"])
def test_a_closed_stdout_after_the_flatten_keeps_its_exit_code_and_says_so_once(
    tmp_path, venues, json_flag: list[str]
) -> None:
    kx, qx, env = venues
    kx.suspend_symbol("ETH-USDT")  # some orders stay open: the flatten's code is 8, not 0 or 1
    config = _config(tmp_path, kx.base_url, qx.base_url)
    args = [*_COMMAND, "--config", str(config), "--yes", "--deadline", "1", *json_flag]
    read, write = os.pipe()
    os.close(read)  # `ordercancel panic ... | head -0`: nobody reads the report
    try:
        done = subprocess.run(args, env=env, stdout=write, stderr=subprocess.PIPE, timeout=60)
    finally:
        os.close(write)
    err = done.stderr.decode()
    assert done.returncode == 8, err
    assert "Traceback" not in err
    assert "Exception ignored" not in err
    assert err.count("the report could not be written to stdout") == 1, err
    assert _open(qx) == []
