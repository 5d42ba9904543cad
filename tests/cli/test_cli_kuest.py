"""`ordercancel kuest ...` end to end: each action's success against the served simulator."""

from __future__ import annotations

from typing import TYPE_CHECKING

from ordercancel.testing import KuestExchange

if TYPE_CHECKING:
    from conftest import Cli  # the fixture's type; never imported at run time

OTHER_MARKET = "0x" + "ab" * 32


def test_one_id_cancels_it(cli: Cli, kuest_exchange: KuestExchange) -> None:
    order, other = kuest_exchange.add_order(), kuest_exchange.add_order()

    ran = cli(
        "kuest", "orders", order.order_id, "--json",
        "--base-url", kuest_exchange.base_url, kuest=kuest_exchange,
    )  # fmt: skip

    assert ran.code == 0, ran
    assert ran.json() == {"ok": True, "outcomes": [{"order_id": order.order_id, "error": None}]}
    assert kuest_exchange.order(order.order_id).state == "canceled"
    assert kuest_exchange.order(other.order_id).state == "live"


def test_many_ids_one_request_each_one_line_each(cli: Cli, kuest_exchange: KuestExchange) -> None:
    orders = [kuest_exchange.add_order() for _ in range(3)]

    ran = cli(
        "kuest", "orders", *(o.order_id for o in orders),
        "--base-url", kuest_exchange.base_url, kuest=kuest_exchange,
    )  # fmt: skip

    assert ran.code == 0, ran
    assert ran.out.splitlines() == [f"{o.order_id}: cancelled" for o in orders]
    assert [kuest_exchange.order(o.order_id).state for o in orders] == ["canceled"] * 3
    assert [(r.method, r.raw_target) for r in kuest_exchange.received] == [("DELETE", "/order")] * 3


def test_batch_sends_one_request(cli: Cli, kuest_exchange: KuestExchange) -> None:
    orders = [kuest_exchange.add_order() for _ in range(3)]

    ran = cli(
        "kuest", "orders", *(o.order_id for o in orders), "--batch", "--json",
        "--base-url", kuest_exchange.base_url, kuest=kuest_exchange,
    )  # fmt: skip

    assert ran.code == 0, ran
    answer = ran.json()
    assert answer["ok"] is True
    assert answer["outcomes"] == [{"order_id": o.order_id, "error": None} for o in orders]
    assert [kuest_exchange.order(o.order_id).state for o in orders] == ["canceled"] * 3
    assert [(r.method, r.raw_target) for r in kuest_exchange.received] == [("DELETE", "/orders")]


def test_market_cancels_that_market_only(cli: Cli, kuest_exchange: KuestExchange) -> None:
    targets = [kuest_exchange.add_order(market=OTHER_MARKET) for _ in range(2)]
    elsewhere = kuest_exchange.add_order()

    ran = cli(
        "kuest", "market", "--market", OTHER_MARKET, "--json",
        "--base-url", kuest_exchange.base_url, kuest=kuest_exchange,
    )  # fmt: skip

    assert ran.code == 0, ran
    answer = ran.json()
    assert answer["ok"] is True
    assert sorted(answer["result"]["canceled"]) == sorted(o.order_id for o in targets)
    assert answer["result"]["not_canceled"] == {}
    assert [kuest_exchange.order(o.order_id).state for o in targets] == ["canceled"] * 2
    assert kuest_exchange.order(elsewhere.order_id).state == "live"


def test_all_with_yes_cancels_everything(cli: Cli, kuest_exchange: KuestExchange) -> None:
    orders = [kuest_exchange.add_order(), kuest_exchange.add_order(market=OTHER_MARKET)]

    ran = cli(
        "kuest", "all", "--yes",
        "--base-url", kuest_exchange.base_url, kuest=kuest_exchange,
    )  # fmt: skip

    assert ran.code == 0, ran
    assert ran.out.startswith("ok: ")
    assert all(o.order_id in ran.out for o in orders)
    assert kuest_exchange.orders(state="live") == []
    assert [(r.method, r.raw_target) for r in kuest_exchange.received] == [
        ("DELETE", "/cancel-all")
    ]
