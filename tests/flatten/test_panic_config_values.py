"""No config value is echoed in an error; a base_url holding credentials is refused (exit 2);
a connection error names the base URL it tried, in the table and in --json."""

from __future__ import annotations

import json
import re
import socket

import pytest
from test_panic_cli import _config, _run, venues  # noqa: F401  (venues: the fixture)

_SECRETISH = "hunter2pass"


def _wrong_venue(text: str) -> str:
    return text.replace('venue = "kuest"', f'venue = "{_SECRETISH}"')


def _wrong_key_version(text: str) -> str:
    return text.replace('venue = "kucoin"', f'venue = "kucoin"\nkey_version = "{_SECRETISH}"')


def _name_used_twice(text: str) -> str:
    return text.replace('"kc-main"', f'"{_SECRETISH}"').replace('"kq-main"', f'"{_SECRETISH}"')


@pytest.mark.parametrize(
    ("spoil", "field", "allowed"),
    [
        (_wrong_venue, "venue", "kucoin"),
        (_wrong_key_version, "key_version", "(a string)"),
        (_name_used_twice, "name", "a name of its own"),
    ],
)
def test_a_wrong_config_value_is_never_echoed(
    tmp_path,
    venues,  # noqa: F811
    spoil,
    field: str,
    allowed: str,
) -> None:
    kx, qx, env = venues
    config = _config(tmp_path, kx.base_url, qx.base_url)
    config.write_text(spoil(config.read_text()))
    for args in (["--yes"], ["--yes", "--json"]):
        done = _run(["--config", str(config), *args], env)
        assert done.returncode == 2, done.stdout + done.stderr
        shown = done.stdout + done.stderr
        assert _SECRETISH not in shown
        assert f"field '{field}'" in shown
        assert allowed in shown  # what is allowed instead
    assert kx.received == []
    assert qx.received == []


def test_a_base_url_with_credentials_is_refused_unechoed_and_nothing_is_sent(
    tmp_path,
    venues,  # noqa: F811
) -> None:
    kx, qx, env = venues
    with_password = kx.base_url.replace("http://", f"http://apikey:{_SECRETISH}@")
    config = _config(tmp_path, with_password, qx.base_url)
    done = _run(["--config", str(config), "--yes", "--json"], env)
    assert done.returncode == 2, done.stdout + done.stderr
    body = json.loads(done.stdout)
    assert body["error"]["type"] == "ConfigError"
    assert "field 'base_url'" in body["error"]["message"]
    assert "credentials" in body["error"]["message"]
    assert _SECRETISH not in done.stdout + done.stderr
    assert kx.received == []
    assert qx.received == []  # the other account is not flattened either: the config is bad


def test_a_connection_error_names_the_base_url_it_tried(tmp_path, venues) -> None:  # noqa: F811
    _, qx, env = venues
    with socket.create_server(("127.0.0.1", 0)) as closed:
        port = closed.getsockname()[1]
    nobody = f"http://127.0.0.1:{port}"  # nothing listens there now: connection refused
    config = _config(tmp_path, nobody, qx.base_url)
    done = _run(["--config", str(config), "--yes", "--deadline", "1", "--json"], env)
    assert done.returncode == 9, done.stdout + done.stderr
    accounts = {a["account"]: a for a in json.loads(done.stdout)["accounts"]}
    error = accounts["kc-main"]["error"]
    assert error["type"] in ("APIConnectionError", "APITimeoutError"), error
    assert error["base_url"] == nobody
    assert f"(base URL {nobody})" in error["message"]
    assert accounts["kq-main"]["status"] == "flat"
    done = _run(["--config", str(config), "--yes", "--deadline", "1"], env)
    row = re.search(r"^kc-main\s+kucoin\s+unverified\s.*$", done.stdout, re.M)
    assert row is not None, done.stdout
    assert f"base URL {nobody}" in row.group(0)


@pytest.mark.parametrize("value", ["13", "-1", '"3"', "true", "2.0"])
def test_a_vip_level_that_is_not_0_to_12_is_exit_2(
    tmp_path,
    venues,  # noqa: F811
    value: str,
) -> None:
    kx, qx, env = venues
    config = _config(tmp_path, kx.base_url, qx.base_url)
    text = config.read_text().replace('venue = "kucoin"', f'venue = "kucoin"\nvip_level = {value}')
    config.write_text(text)
    done = _run(["--config", str(config), "--yes"], env)
    assert done.returncode == 2, done.stderr
    assert "line 5: field 'vip_level'" in done.stderr
    assert "0 to 12" in done.stderr
    assert kx.received == []
    assert qx.received == []


@pytest.mark.parametrize(("line", "level"), [("", 0), ("vip_level = 5\n", 5)])
def test_panic_paces_kucoin_by_the_vip_levels_quota_and_kuest_by_its_default(
    tmp_path, line: str, level: int
) -> None:
    import asyncio

    from ordercancel import _panic
    from ordercancel.kucoin._client import SPOT_QUOTA_BY_VIP
    from ordercancel.kuest._client import DEFAULT_CANCELS_PER_MINUTE
    from ordercancel.testing import KucoinExchange, KuestExchange

    kx, qx = KucoinExchange(), KuestExchange()
    config = _config(tmp_path, "http://127.0.0.1:1", "http://127.0.0.1:1")
    config.write_text(config.read_text().replace('venue = "kucoin"\n', f'venue = "kucoin"\n{line}'))
    kucoin, kuest = _panic.load_config(config)
    kc_keys = {"api_key": "k", "api_secret": "s", "api_passphrase": kx.keys.api_passphrase}
    kq_keys = {
        "address": qx.keys.address,
        "api_key": qx.keys.api_key,
        "api_secret": qx.keys.api_secret,
        "api_passphrase": qx.keys.api_passphrase,
    }

    async def build():
        clients = [_panic._client(kucoin, kc_keys), _panic._client(kuest, kq_keys)]
        limiters = [(c.rate_limiter.capacity, c.rate_limiter.period) for c in clients]
        for client in clients:
            await client.aclose()
        return limiters

    assert asyncio.run(build()) == [
        (SPOT_QUOTA_BY_VIP[level], 30.0),
        (DEFAULT_CANCELS_PER_MINUTE, 60.0),
    ]
