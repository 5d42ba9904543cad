"""`ordercancel sim` as a user tries it: seeded, faulty on request, and one line when it cannot
start (issue 18, item 1). Each test runs the command in a subprocess and drives it through the
`export` lines it prints, pasted into bash."""

from __future__ import annotations

import json
import socket
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING

import pytest
from support.cli_sim import Banner, in_shell, running_sim

if TYPE_CHECKING:
    from conftest import Cli, Spawn  # the fixtures' types; never imported at run time

KEYS = {"KUCOIN_API_KEY", "KUCOIN_API_SECRET", "KUCOIN_API_PASSPHRASE", "KUEST_ADDRESS",
        "KUEST_API_KEY", "KUEST_API_SECRET", "KUEST_API_PASSPHRASE"}  # fmt: skip


def _exits(banner: Banner, script: str) -> tuple[list[int], str, str]:
    """Run `script` (one command a line) in the pasted shell; each command's exit status."""
    wrapped = "\n".join(f'{line}; echo "exit=$?"' for line in script.strip().splitlines())
    done = in_shell(banner, wrapped)
    codes = [int(line[5:]) for line in done.stdout.splitlines() if line.startswith("exit=")]
    return codes, done.stdout, done.stderr


def test_orders_n_places_n_per_symbol_and_token_with_their_ids_and_keys(spawn: Spawn) -> None:
    with running_sim(spawn, "--orders", "3") as banner:
        exports = banner.exports
        kucoin = banner.table("KuCoin orders")
        kuest = banner.table("Kuest orders")

        assert KEYS | {"KUCOIN_URL", "KUEST_URL"} <= set(exports)
        assert Counter(row[1] for row in kucoin) == {"BTC-USDT": 3, "ETH-USDT": 3}
        assert Counter(row[4] for row in kuest) == {
            f"$KUEST_ASSET_{token}": 3 for token in ("1A", "1B", "2A", "2B")
        }
        assert len({row[0] for row in kucoin}) == 6
        assert len({row[0] for row in kuest}) == 12
        btc, eth = kucoin[0], kucoin[3]
        token_1b = [row[0] for row in kuest if row[4] == "$KUEST_ASSET_1B"]

        codes, out, err = _exits(banner, f"""
            ordercancel kucoin order {btc[0]} --symbol BTC-USDT --base-url $KUCOIN_URL
            ordercancel kucoin order {btc[0]} --symbol BTC-USDT --base-url $KUCOIN_URL
            ordercancel kucoin client-oid {eth[4]} --symbol ETH-USDT --base-url $KUCOIN_URL
            ordercancel kuest market --asset-id $KUEST_ASSET_1B --json --base-url $KUEST_URL
        """)  # fmt: skip

    assert codes == [0, 4, 0, 0], (out, err)
    report = json.loads(out.splitlines()[-2])  # the line before the last "exit="
    assert sorted(report["result"]["canceled"]) == sorted(token_1b)


@pytest.fixture
def orders_file(tmp_path: Path) -> Path:
    path = tmp_path / "orders.json"
    path.write_text(json.dumps({
        "kucoin": {
            "orders": [
                {"symbol": "BTC-USDT", "size": "0.5", "order_id": "aaaa00000000000000000001"},
                {"symbol": "BTC-USDT", "size": "1", "filled": "1",
                 "order_id": "aaaa00000000000000000002"},
                {"symbol": "ETH-USDT", "size": "2", "client_oid": "grid order 7"},
            ],
            "faults": [{"kind": "server_error", "when": "after"}],
        },
        "kuest": {
            "orders": [{"order_id": "0xfeed", "size": "5"}, {"order_id": "0xbeef", "filled": "10"}],
            "faults": [{"kind": "delay", "seconds": 0.2}],
        },
    }))  # fmt: skip
    return path


def test_orders_file_places_its_orders_and_plans_its_faults(
    spawn: Spawn, orders_file: Path
) -> None:
    with running_sim(spawn, "--orders-file", str(orders_file)) as banner:
        kucoin = {row[0]: row for row in banner.table("KuCoin orders")}
        kuest = {row[0]: row for row in banner.table("Kuest orders")}
        planned = [line for line in banner.lines if line.startswith("Planned:")]

        codes, out, err = _exits(banner, """
            KC="--base-url $KUCOIN_URL"
            ordercancel kucoin order aaaa00000000000000000001 --symbol BTC-USDT $KC
            ordercancel kucoin order aaaa00000000000000000002 --symbol BTC-USDT $KC
            ordercancel kucoin client-oid "grid order 7" --symbol ETH-USDT $KC
            ordercancel kuest orders 0xfeed 0xbeef --base-url $KUEST_URL
        """)  # fmt: skip

    assert set(kucoin) == {"aaaa00000000000000000001", "aaaa00000000000000000002"} | {
        row[0] for row in kucoin.values() if row[-3:] == ["grid", "order", "7"]
    }
    assert kucoin["aaaa00000000000000000002"][3] == "1"  # filled
    assert set(kuest) == {"0xfeed", "0xbeef"}
    assert len(planned) == 2
    assert "server_error" in planned[0]
    assert "after the venue acts" in planned[0]
    assert "delay, seconds 0.2" in planned[1]
    # The 503 came after the cancel: the retry finds the order gone (7); filled (4); ok (0);
    # Kuest answers late but answers: one cancelled, one already matched (1).
    assert codes == [0, 7, 4, 0, 1], (out, err)  # (the first line sets KC)
    assert "0xfeed: cancelled" in out
    assert "0xbeef: FAILED" in err


def test_fault_flags_fire_on_the_next_answers(spawn: Spawn) -> None:
    with running_sim(
        spawn, "--orders", "1", "--fault", "kuest:drop:3", "--fault", "kucoin:server_error:3"
    ) as banner:
        kucoin_id = banner.table("KuCoin orders")[0][0]
        kuest_id = banner.table("Kuest orders")[0][0]

        codes, out, err = _exits(banner, f"""
            ordercancel kuest orders {kuest_id} --base-url $KUEST_URL
            ordercancel kuest orders {kuest_id} --base-url $KUEST_URL
            ordercancel kucoin order {kucoin_id} --symbol BTC-USDT --base-url $KUCOIN_URL
            ordercancel kucoin order {kucoin_id} --symbol BTC-USDT --base-url $KUCOIN_URL
        """)  # fmt: skip

    # Three drops before the venue acted: every attempt of the first cancel is dropped (a full
    # cancel is retried), the order stays live and the next cancel succeeds. Three 503s: three
    # attempts fail, then it succeeds.
    assert codes == [6, 0, 1, 0], (out, err)
    assert err.count("retrying cancel_order after") == 2
    assert err.count("retrying cancel_order_by_order_id") == 2


# -- one line and exit 2 when the simulator cannot start as asked -------------------------------


@pytest.fixture
def taken_port() -> Iterator[int]:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        sock.listen()
        yield sock.getsockname()[1]


@pytest.mark.parametrize("option", ["--kucoin-port", "--kuest-port"])
def test_a_taken_port_is_one_line_and_exit_2(cli: Cli, taken_port: int, option: str) -> None:
    ran = cli("sim", option, str(taken_port))

    assert ran.code == 2, ran
    assert ran.out == ""
    assert ran.err.count("\n") == 1, ran.err
    assert ran.err.startswith(f"ordercancel sim: error: {option} {taken_port}: ")
    assert "Address already in use" in ran.err


BAD_SETUPS = [
    (["--kucoin-port", "70000"], "--kucoin-port"),
    (["--kuest-port", "-1"], "--kuest-port"),
    (["--kucoin-port", "http"], "--kucoin-port"),
    (["--kuest-port", ""], "--kuest-port"),
    (["--orders", "-1"], "--orders"),
    (["--orders", "100000"], "--orders"),
    (["--fault", "kucoin"], "--fault"),
    (["--fault", "binance:drop"], "--fault"),
    (["--fault", "kucoin:drop:twice"], "--fault"),
    (["--fault", "kucoin:explode"], "kind must be one of"),
    (["--fault", "kuest:drop:0"], "count must be at least 1"),
    (["--fault", "kucoin:delay"], "seconds"),
]
BAD_FILES = [
    ("missing", None, "No such file"),
    ("not JSON", "{orders: 3}", "not JSON"),
    ("a list", "[]", '"kucoin" and/or "kuest"'),
    ("unknown venue", '{"binance": {}}', '"kucoin" and/or "kuest"'),
    ("unknown section", '{"kucoin": {"trades": []}}', '"orders"/"faults"'),
    ("orders not a list", '{"kuest": {"orders": {}}}', "list of objects"),
    ("unknown field", '{"kucoin": {"orders": [{"sise": "1"}]}}', "sise"),
    ("bad size", '{"kucoin": {"orders": [{"size": "-1"}]}}', "size"),
    ("bad symbol", '{"kucoin": {"orders": [{"symbol": "btc"}]}}', "symbol"),
    ("same id twice", '{"kuest": {"orders": [{"order_id": "a"}, {"order_id": "a"}]}}', "exists"),
    ("an account", '{"kuest": {"orders": [{"account": "x"}]}}', "one account"),
    ("bad fault", '{"kuest": {"faults": [{"kind": "server_error", "status": 200}]}}', "5xx"),
    ("fault field", '{"kuest": {"faults": [{"kind": "drop", "seconds": 1}]}}', "seconds"),
]


@pytest.mark.parametrize(
    ("args", "says"), BAD_SETUPS, ids=[" ".join(args) for args, _ in BAD_SETUPS]
)
def test_a_bad_option_is_one_line_and_exit_2(cli: Cli, args: list[str], says: str) -> None:
    ran = cli("sim", *args)

    assert ran.code == 2, ran
    assert ran.out == ""
    assert ran.err.count("\n") == 1, ran.err
    assert ran.err.startswith("ordercancel sim: error: ")
    assert says in ran.err


@pytest.mark.parametrize(("name", "text", "says"), BAD_FILES, ids=[n for n, _, _ in BAD_FILES])
def test_a_bad_orders_file_is_one_line_and_exit_2(
    cli: Cli, tmp_path: Path, name: str, text: str | None, says: str
) -> None:
    path = tmp_path / "orders.json"
    if text is not None:
        path.write_text(text)

    ran = cli("sim", "--orders-file", str(path))

    assert ran.code == 2, ran
    assert ran.out == ""
    assert ran.err.count("\n") == 1, ran.err
    assert ran.err.startswith("ordercancel sim: error: ")
    assert says in ran.err
