"""`pip install ordercancel` brings only what cancelling needs (issue 14, item 5).

A cancel on each venue, sync and async, runs in a fresh interpreter where pyyaml cannot be
imported; what it imported must cover every unconditional Requires-Dist of the installed
metadata, and the maintainer's spec tool (specdiff, pyyaml) sits behind an extra.
"""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import ordercancel
import pytest
from packaging.requirements import Requirement

# Runs in a child interpreter: any import of yaml fails, as where pyyaml is not installed.
CANCEL_WITHOUT_YAML = r"""
import asyncio, importlib.abc, json, sys

class NoYaml(importlib.abc.MetaPathFinder):
    def find_spec(self, name, path=None, target=None):
        if name == "yaml" or name.startswith("yaml.") or name == "_yaml":
            raise ImportError(f"{name} is not installed here")
        return None

sys.meta_path.insert(0, NoYaml())

from ordercancel import (
    AsyncKucoinSpotCancelOrder, AsyncKuestCancelOrder, KucoinSpotCancelOrder, KuestCancelOrder,
)
from ordercancel.testing import KucoinExchange, KuestExchange

kucoin, kuest = KucoinExchange(), KuestExchange()
with kucoin.serve() as kc_served, kuest.serve() as kq_served:
    first, second = kucoin.add_order("BTC-USDT", "1"), kucoin.add_order("BTC-USDT", "1")
    kucoin.faults.server_error(count=1)  # a retry: the first answer is a 500
    with KucoinSpotCancelOrder(keys=kucoin.keys, base_url=kc_served.base_url) as kc:
        kc.cancel_order_by_order_id(first.order_id, "BTC-USDT")
    third, fourth = kuest.add_order(), kuest.add_order()
    with KuestCancelOrder(keys=kuest.keys, base_url=kq_served.base_url) as kq:
        kq.cancel_order(third.order_id)

    async def main():
        async with AsyncKucoinSpotCancelOrder(keys=kucoin.keys, base_url=kc_served.base_url) as a:
            await a.cancel_order_by_order_id(second.order_id, "BTC-USDT")
        async with AsyncKuestCancelOrder(keys=kuest.keys, base_url=kq_served.base_url) as b:
            await b.cancel_order(fourth.order_id)

    asyncio.run(main())
states = [kucoin.order(o.order_id).state for o in (first, second)]
states += [kuest.order(o.order_id).state for o in (third, fourth)]
print(json.dumps({"states": states, "modules": sorted(sys.modules)}))
"""


def _requirements() -> list[Requirement]:
    return [Requirement(r) for r in metadata.requires("ordercancel") or []]


def _runtime_requirements() -> list[str]:
    """The distributions `pip install ordercancel` installs: Requires-Dist without an extra."""
    return [r.name.lower() for r in _requirements() if r.marker is None]


@pytest.fixture(scope="module")
def cancel_run() -> dict[str, list[str]]:
    done = subprocess.run(
        [sys.executable, "-c", CANCEL_WITHOUT_YAML],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    result: dict[str, list[str]] = json.loads(done.stdout)
    return result


def test_a_cancel_on_each_venue_and_stack_needs_no_yaml(cancel_run: dict[str, list[str]]) -> None:
    assert cancel_run["states"] == ["cancelled", "cancelled", "canceled", "canceled"]
    assert "yaml" not in cancel_run["modules"]
    assert "ordercancel.specdiff" not in cancel_run["modules"]


def test_every_runtime_requirement_is_used_by_a_cancel(cancel_run: dict[str, list[str]]) -> None:
    # Which installed distribution each imported top-level module comes from.
    providers = metadata.packages_distributions()
    used = {
        dist.lower()
        for module in cancel_run["modules"]
        for dist in providers.get(module.partition(".")[0], [])
    }
    required = _runtime_requirements()
    assert required, "the installed metadata lists no runtime requirement"
    assert [r for r in required if r not in used] == []


def test_requires_dist_lists_no_maintainer_tool() -> None:
    required = _runtime_requirements()
    assert "pyyaml" not in required
    extras = metadata.metadata("ordercancel").get_all("Provides-Extra") or []
    assert "specdiff" in extras
    yaml_requirements = [r for r in _requirements() if r.name.lower() == "pyyaml"]
    assert [r for r in yaml_requirements if r.marker is None] == []
    assert any(r.marker.evaluate({"extra": "specdiff"}) for r in yaml_requirements if r.marker)


def test_specdiff_without_pyyaml_says_which_extra_to_install() -> None:
    code = (
        "import sys; sys.modules['yaml'] = None\n"  # None in sys.modules: the import fails
        "import ordercancel.specdiff"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode != 0
    assert "pip install 'ordercancel[specdiff]'" in done.stderr


def test_the_specdiff_command_without_pyyaml_is_one_line_and_exit_2() -> None:
    code = (
        "import runpy, sys; sys.modules['yaml'] = None; sys.argv = ['specdiff', '--help']\n"
        "runpy.run_module('ordercancel.specdiff', run_name='__main__')"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=60, check=False
    )
    assert done.returncode == 2
    assert "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "error: ordercancel.specdiff reads YAML with pyyaml, which is not installed: "
        "pip install 'ordercancel[specdiff]' (from a checkout: pip install '.[specdiff]')"
    ]


# Third-party modules the package imports that need no runtime requirement, and why.
_NOT_RUNTIME = {
    "pytest": "ordercancel.testing's pytest plugin, loaded by pytest itself",
    "yaml": "ordercancel.specdiff, behind the specdiff extra",
}


def _third_party_imports() -> dict[str, str]:
    """Each top-level module the installed package's source imports, with a file importing it."""
    package = Path(ordercancel.__file__).parent
    found: dict[str, str] = {}
    for path in sorted(package.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.partition(".")[0]
                if top not in sys.stdlib_module_names and not top.startswith("ordercancel"):
                    found.setdefault(top, path.relative_to(package).as_posix())
    return found


def test_every_third_party_module_the_package_imports_is_a_declared_requirement() -> None:
    providers = metadata.packages_distributions()
    required = set(_runtime_requirements())
    imports = _third_party_imports()
    assert {"httpx", "aiohttp"} <= set(imports)  # the scan sees the package's imports
    undeclared = {
        module: where
        for module, where in imports.items()
        if module not in _NOT_RUNTIME
        and not {d.lower() for d in providers.get(module, [])} & required
    }
    assert undeclared == {}
