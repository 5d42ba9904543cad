"""`ordercancel panic` as a user runs it: a subprocess, a config file, served simulators."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from ordercancel.testing import KucoinExchange, KuestExchange


def _run(args: list[str], env: dict[str, str], stdin: str | None = None):
    return subprocess.run(
        [sys.executable, "-m", "ordercancel.cli", "panic", *args],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        input=stdin,
        timeout=60,
    )


def _config(tmp_path: Path, kucoin_url: str, kuest_url: str, extra: str = "") -> Path:
    path = tmp_path / "accounts.toml"
    path.write_text(
        f"""
[[account]]
name = "kc-main"
venue = "kucoin"
base_url = "{kucoin_url}"
api_key_env = "T_KC_KEY"
api_secret_env = "T_KC_SECRET"
api_passphrase_env = "T_KC_PASS"

[[account]]
name = "kq-main"
venue = "kuest"
base_url = "{kuest_url}"
address_env = "T_KQ_ADDRESS"
api_key_env = "T_KQ_KEY"
api_secret_env = "T_KQ_SECRET"
api_passphrase_env = "T_KQ_PASS"
{extra}""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def venues():
    kx, qx = KucoinExchange(cancel_delay_s=0.2), KuestExchange(open_orders_page_size=5)
    for i in range(12):
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
        yield kx, qx, env


def _open(venue) -> list[str]:
    return [o.order_id for o in venue.orders() if o.state in ("live", "partially_filled")]


def test_panic_flattens_both_venues_and_exits_0_with_json(tmp_path, venues) -> None:
    kx, qx, env = venues
    config = _config(tmp_path, kx.base_url, qx.base_url)
    done = _run(["--config", str(config), "--yes", "--json"], env)
    assert done.returncode == 0, done.stderr
    body = json.loads(done.stdout)
    assert body["ok"] is True
    assert [(a["account"], a["status"], a["left"]) for a in body["accounts"]] == [
        ("kc-main", "flat", []),
        ("kq-main", "flat", []),
    ]
    assert "[kc-main] verified flat" in done.stderr
    assert "[kq-main] verified flat" in done.stderr
    assert _open(kx) == _open(qx) == []
    for secret in (env["T_KC_SECRET"], env["T_KQ_SECRET"], env["T_KC_PASS"], env["T_KQ_PASS"]):
        assert secret not in done.stdout + done.stderr


def test_panic_exits_8_and_lists_exactly_what_is_left(tmp_path, venues) -> None:
    kx, qx, env = venues
    kx.suspend_symbol("ETH-USDT")
    config = _config(tmp_path, kx.base_url, qx.base_url)
    done = _run(["--config", str(config), "--yes", "--deadline", "1"], env)
    assert done.returncode == 8, done.stderr
    left = {line.split()[3] for line in done.stdout.splitlines() if "still open" in line}
    assert left == set(_open(kx))
    assert len(left) == 6
    assert re.search(r"^kq-main\s+kuest\s+flat\s+0\s", done.stdout, re.MULTILINE)


def test_panic_exits_9_when_an_account_cannot_be_verified(tmp_path, venues) -> None:
    kx, qx, env = venues
    config = _config(tmp_path, kx.base_url, qx.base_url)
    done = _run(["--config", str(config), "--yes", "--json"], {**env, "T_KQ_KEY": "wrong"})
    assert done.returncode == 9
    body = json.loads(done.stdout)
    statuses = {a["account"]: a["status"] for a in body["accounts"]}
    assert statuses == {"kc-main": "flat", "kq-main": "unverified"}
    assert body["accounts"][1]["error"]["type"] == "KuestAuthenticationError"
    assert _open(kx) == []
    assert len(_open(qx)) == 12


def test_without_yes_and_without_a_terminal_nothing_is_sent(tmp_path, venues) -> None:
    kx, qx, env = venues
    config = _config(tmp_path, kx.base_url, qx.base_url)
    done = _run(["--config", str(config)], env, stdin="y\n")
    assert done.returncode == 2
    assert "--yes" in done.stderr
    assert kx.received == []
    assert qx.received == []


@pytest.mark.parametrize(
    ("extra", "expected"),
    [
        ('api_secret = "c2VjcmV0c2VjcmV0"', ["line 18", "api_secret", "secret"]),
        ("", []),  # replaced below: a secret value where a variable name belongs
        ('venue2 = "x"', ["line 18", "venue2", "unknown field"]),
    ],
)
def test_a_malformed_config_is_exit_2_naming_file_line_and_field(
    tmp_path, venues, extra: str, expected: list[str]
) -> None:
    kx, qx, env = venues
    config = _config(tmp_path, kx.base_url, qx.base_url, extra)
    if not extra:
        text = config.read_text().replace('"T_KQ_SECRET"', '"c2VjcmV0/c2VjcmV0+=="')
        config.write_text(text)
        expected = ["line 16", "api_secret_env", "secret"]
    done = _run(["--config", str(config), "--yes"], env)
    assert done.returncode == 2
    assert str(config) in done.stderr
    for text in expected:
        assert text in done.stderr, done.stderr
    assert "c2VjcmV0" not in done.stderr  # the refused value is not echoed
    assert kx.received == []
    assert qx.received == []


def test_not_toml_and_a_missing_variable_are_exit_2(tmp_path, venues) -> None:
    kx, qx, env = venues
    bad = tmp_path / "bad.toml"
    bad.write_text("[[account]\nname = 1\n")
    done = _run(["--config", str(bad), "--yes"], env)
    assert done.returncode == 2
    assert str(bad) in done.stderr
    assert "line 1" in done.stderr
    config = _config(tmp_path, kx.base_url, qx.base_url)
    done = _run(["--config", str(config), "--yes"], {**env, "T_KC_SECRET": ""})
    assert done.returncode == 2
    assert "'kc-main'" in done.stderr
    assert "api_secret_env" in done.stderr
    assert "not set" in done.stderr
    assert kx.received == []
    assert qx.received == []


@pytest.mark.parametrize(
    "value",
    [
        "MySuperSecretPass2024",  # a passphrase: mixed case is not a variable name here
        "e3a1b2c4d5f60718293a4b5c",  # a 24-hex KuCoin key
        "E3A1B2C4D5F60718293A4B5C",  # the same, upper case
        "KC_0123456789ABCDEF01",  # a run of 16+ hex characters inside a name
    ],
)
def test_a_secret_where_a_variable_name_belongs_is_refused_unechoed(
    tmp_path, venues, value: str
) -> None:
    kx, qx, env = venues
    config = _config(tmp_path, kx.base_url, qx.base_url)
    config.write_text(config.read_text().replace('"T_KC_PASS"', f'"{value}"'))
    done = _run(["--config", str(config), "--yes"], {**env, value: "x"})
    assert done.returncode == 2
    assert "line 8" in done.stderr
    assert "api_passphrase_env" in done.stderr
    assert "secret" in done.stderr
    assert value not in done.stdout + done.stderr
    assert kx.received == []
    assert qx.received == []


def test_a_missing_variable_is_named_by_its_field_never_echoed(tmp_path, venues) -> None:
    kx, qx, env = venues
    value = "MYSUPERSECRETPASS2024"  # looks like a name, may be a mistyped secret
    config = _config(tmp_path, kx.base_url, qx.base_url)
    config.write_text(config.read_text().replace('"T_KC_PASS"', f'"{value}"'))
    for args in (["--yes"], ["--yes", "--json"]):
        done = _run(["--config", str(config), *args], env)
        assert done.returncode == 2
        assert "kc-main" in done.stdout + done.stderr
        assert "api_passphrase_env" in done.stdout + done.stderr
        assert value not in done.stdout + done.stderr
    assert kx.received == []
    assert qx.received == []


@pytest.mark.parametrize("deadline", ["inf", "nan", "1e10", "0"])
def test_a_non_finite_or_absurd_deadline_is_exit_2_and_nothing_is_sent(
    tmp_path, venues, deadline: str
) -> None:
    kx, qx, env = venues
    config = _config(tmp_path, kx.base_url, qx.base_url)
    done = _run(["--config", str(config), "--yes", "--deadline", deadline], env)
    assert done.returncode == 2, done.stderr
    assert "--deadline" in done.stderr
    assert "Traceback" not in done.stderr
    assert kx.received == []
    assert qx.received == []


def test_a_bad_kuest_secret_leaves_that_account_unverified_and_the_other_flat(
    tmp_path, venues
) -> None:
    kx, qx, env = venues
    config = _config(tmp_path, kx.base_url, qx.base_url)
    bad = "not*base64*at*all"
    done = _run(["--config", str(config), "--yes", "--json"], {**env, "T_KQ_SECRET": bad})
    assert done.returncode == 9, done.stderr
    body = json.loads(done.stdout)
    accounts = {a["account"]: a for a in body["accounts"]}
    assert accounts["kc-main"]["status"] == "flat"
    assert accounts["kq-main"]["status"] == "unverified"
    assert "api_secret" in accounts["kq-main"]["error"]["message"]
    assert "[kq-main] not started" in done.stderr
    assert bad not in done.stdout + done.stderr
    assert _open(kx) == []
    assert len(_open(qx)) == 12
    assert qx.received == []


def test_a_malformed_base_url_leaves_that_account_unverified_and_the_other_flat(
    tmp_path, venues
) -> None:
    kx, qx, env = venues
    config = _config(tmp_path, "not a url", qx.base_url)
    done = _run(["--config", str(config), "--yes"], env)
    assert done.returncode == 9, done.stderr
    assert re.search(r"^kc-main\s+kucoin\s+unverified\s.*base_url", done.stdout, re.MULTILINE)
    assert re.search(r"^kq-main\s+kuest\s+flat\s+0\s", done.stdout, re.MULTILINE)
    assert "Traceback" not in done.stderr
    assert _open(qx) == []
    assert kx.received == []


def test_panic_outlasts_a_first_cancel_all_that_hangs_past_the_deadline(tmp_path, venues) -> None:
    """Both venues take the first cancel-all and never answer it in time (a stalled proxy): the
    command abandons it, tries again, and still verifies both accounts flat within 5 s."""
    kx, qx, env = venues
    kx.faults.delay(30.0)  # the first answer of each venue: its cancel-all's
    qx.faults.delay(30.0)
    config = _config(tmp_path, kx.base_url, qx.base_url)
    done = _run(["--config", str(config), "--yes", "--json", "--deadline", "5"], env)
    assert done.returncode == 0, done.stdout + done.stderr
    body = json.loads(done.stdout)
    assert [(a["account"], a["status"], a["left"]) for a in body["accounts"]] == [
        ("kc-main", "flat", []),
        ("kq-main", "flat", []),
    ]
    assert "ReadTimeout" in done.stderr  # the retry notes say why the first try was dropped
    assert _open(kx) == _open(qx) == []
