"""The reference pages cover what the code has, and say what it does (issue 18, items 2 and 4).

The API pages name every public name; "Testing your bot" names every fixture, every fault and
every public method of both simulators, and its order-state table is the simulators' own.
"""

from __future__ import annotations

import inspect
import re
import typing

import ordercancel
import ordercancel.testing
import pytest
import yaml
from ordercancel import KucoinSpotCancelOrder, KuestCancelOrder
from ordercancel.testing import Faults, KucoinExchange, KuestExchange, SimulatedVenue
from ordercancel.testing import pytest_plugin as plugin
from ordercancel.testing._kucoin import KucoinOrderState
from ordercancel.testing._kuest import KuestOrderState
from support.docs import DOCS, ROOT, pages, section, table

TESTING = DOCS / "testing.md"
# Plumbing between a venue and its transports: public so that they can be swapped, not
# something a test calls.
PLUMBING = {"handle", "server_error_body"}


def _directives() -> set[str]:
    found = set()
    for page in (DOCS / "reference").glob("*.md"):
        found |= set(re.findall(r"^::: (\S+)$", page.read_text(), re.MULTILINE))
    return found


def test_the_api_reference_names_every_public_name() -> None:
    public = {f"ordercancel.{name}" for name in ordercancel.__all__}
    public |= {f"ordercancel.testing.{name}" for name in ordercancel.testing.__all__}
    public |= {"ordercancel.testing.pytest_plugin", "ordercancel.errors"}

    assert _directives() == public


def test_the_site_lists_every_page() -> None:
    config = yaml.safe_load((ROOT / "mkdocs.yml").read_text())

    def listed(nav: object) -> set[str]:
        if isinstance(nav, str):
            return {nav}
        items = nav.values() if isinstance(nav, dict) else nav
        assert isinstance(items, typing.Iterable)
        return set().union(*(listed(item) for item in items))

    assert listed(config["nav"]) == {str(p.relative_to(DOCS)) for p in pages()}


def test_every_fixture_is_documented() -> None:
    fixtures = set(re.findall(r"^@pytest\.fixture\ndef (\w+)", inspect.getsource(plugin), re.M))
    rows = table(section(TESTING, "Fixtures"))

    assert fixtures == {"kucoin_exchange", "kucoin_exchange_inprocess", "kuest_exchange",
                        "kuest_exchange_inprocess"}  # fmt: skip
    assert {row[0].strip("`") for row in rows[1:]} == fixtures


def _public_methods(cls: type) -> set[str]:
    return {name for name in dir(cls) if not name.startswith("_")}


def test_every_fault_is_documented() -> None:
    rows = table(section(TESTING, "Faults: make the venue fail"))
    documented = set(re.findall(r"faults\.(\w+)", " ".join(row[0] for row in rows)))

    assert documented == _public_methods(Faults) - {"take"}  # take: the venue's side


@pytest.mark.parametrize("venue", [KucoinExchange, KuestExchange], ids=lambda v: v.__name__)
def test_every_public_method_of_the_simulators_is_documented(venue: type[SimulatedVenue]) -> None:
    text = TESTING.read_text()
    names = _public_methods(venue) | set(vars(venue()).keys())
    names = {name for name in names if not name.startswith("_")} - PLUMBING

    missing = sorted(name for name in names if not re.search(rf"\b{name}\b", text))

    assert missing == [], f"docs/testing.md does not mention {venue.__name__}.{missing}"


# -- order states: the table is the simulators' own, spelling included --------------------------


def _states() -> dict[str, dict[str, str]]:
    rows = table(section(TESTING, "Order states"))
    assert rows[0] == ["state", "KuCoin", "Kuest"]
    return {
        "kucoin": {row[0]: row[1].strip("`") for row in rows[1:]},
        "kuest": {row[0]: row[2].strip("`") for row in rows[1:]},
    }


def test_the_state_table_lists_each_simulators_states() -> None:
    states = _states()

    assert set(states["kucoin"].values()) == set(typing.get_args(KucoinOrderState))
    assert set(states["kuest"].values()) == set(typing.get_args(KuestOrderState))


def test_the_state_table_says_what_each_simulator_does() -> None:
    states = _states()
    kucoin, kuest = KucoinExchange(), KuestExchange()
    k_cancel, k_part, k_full = (kucoin.add_order(size="2") for _ in range(3))
    q_cancel, q_part, q_full = (kuest.add_order(size="2") for _ in range(3))
    for venue, part, full in ((kucoin, k_part, k_full), (kuest, q_part, q_full)):
        venue.fill(part.order_id, "1")
        venue.fill(full.order_id)
    with KucoinSpotCancelOrder(keys=kucoin.keys, transport=kucoin.transport()) as kc:
        kc.cancel_order_by_order_id(k_cancel.order_id, "BTC-USDT")
    with KuestCancelOrder(keys=kuest.keys, transport=kuest.transport()) as kq:
        kq.cancel_order(q_cancel.order_id)

    for venue, orders in (
        ("kucoin", (kucoin.add_order(), k_part, k_full, k_cancel)),
        ("kuest", (kuest.add_order(), q_part, q_full, q_cancel)),
    ):
        exchange = kucoin if venue == "kucoin" else kuest
        seen = [exchange.order(o.order_id).state for o in orders]
        assert seen == [
            states[venue]["open, nothing filled"],
            states[venue]["open, partly filled"],
            states[venue]["fully filled"],
            states[venue]["cancelled"],
        ]
