"""A malformed config names the right line, however the TOML is spelled, or says it cannot.

Each case runs `ordercancel panic` in a subprocess; the expected line is found by searching the
file for the one line that holds the mistake.
"""

from __future__ import annotations

import pytest
from test_panic_cli import _run

_ENV = {"T_KC_KEY": "k", "T_KC_SECRET": "s", "T_KC_PASS": "p"}


def _kucoin(name: str, extra: str = "") -> str:
    return f"""name = "{name}"
venue = "kucoin"
base_url = "http://127.0.0.1:9"
api_key_env = "T_KC_KEY"
api_secret_env = "T_KC_SECRET"
api_passphrase_env = "T_KC_PASS"
{extra}"""


_CASES = {
    "a header with a comment": (
        "[[account]] # main desk\n"
        + _kucoin("a")
        + "\n[[account]]\n"
        + _kucoin("b", 'key_version = "7"\n'),
        'key_version = "7"',
        "key_version",
    ),
    "a header with spaces": (
        "[[ account ]]\n" + _kucoin("a") + "\n[[account]]\n" + _kucoin("b", 'key_version = "7"\n'),
        'key_version = "7"',
        "key_version",
    ),
    "a quoted header": (
        "[[account]]\n"
        + _kucoin("a")
        + '\n[[ "account" ]]\t# b\n'
        + _kucoin("b", "'key_version' = \"9\"\n"),
        "'key_version' = \"9\"",
        "key_version",
    ),
    "a quoted secret field": (
        "[[account]]\n" + _kucoin("a") + '"api_secret" = "S3CRETVALUE123"\n',
        '"api_secret" = "S3CRETVALUE123"',
        "api_secret",
    ),
    "a dotted key": (
        "[[account]]\n" + _kucoin("a") + 'extra.api_secret = "S3CRETVALUE123"\n',
        'extra.api_secret = "S3CRETVALUE123"',
        "extra",
    ),
    "a missing field names its table's header": (
        "[[account]]\n"
        + _kucoin("a")
        + "\n[[account]]  # second\n"
        + _kucoin("b").replace('api_key_env = "T_KC_KEY"\n', ""),
        "[[account]]  # second",
        "api_key_env",
    ),
    "a sub-table of the account": (
        "[[account]]\n" + _kucoin("a") + '[ account . opts ]\nsecret = "S3CRETVALUE123"\n',
        "[ account . opts ]",
        "opts",
    ),
    "a header-like line inside a multi-line string": (
        "[[account]]\n" + _kucoin("a", 'key_version = """\n[[account]]\nname = "x"\n"""\n'),
        'key_version = """',
        "key_version",
    ),
}


@pytest.mark.parametrize("case", list(_CASES))
def test_a_config_error_names_the_line_that_holds_it(tmp_path, case: str) -> None:
    text, wrong_line, field = _CASES[case]
    config = tmp_path / "accounts.toml"
    config.write_text(text, encoding="utf-8")
    expected = text.splitlines().index(wrong_line) + 1
    done = _run(["--config", str(config), "--yes"], _ENV)
    assert done.returncode == 2, done.stderr
    assert f"{config}, line {expected}: field '{field}'" in done.stderr, done.stderr
    assert "S3CRET" not in done.stdout + done.stderr


def test_an_inline_array_of_tables_says_the_line_was_not_found(tmp_path) -> None:
    config = tmp_path / "accounts.toml"
    config.write_text(
        '# accounts\naccount = [{name = "a", venue = "kucoin", base_url = "http://x", '
        'api_key_env = "K"}]\n',
        encoding="utf-8",
    )
    done = _run(["--config", str(config), "--yes"], _ENV)
    assert done.returncode == 2, done.stderr
    assert f"{config}, account #1 (line not found): field 'api_secret_env'" in done.stderr
    assert "line 1" not in done.stderr
    assert "line 2" not in done.stderr
