"""Every maintainer task. `nox` alone runs every check; `nox -s NAME` runs one."""

from __future__ import annotations

import filecmp
import shutil
import tempfile
from pathlib import Path

import nox

nox.options.default_venv_backend = "venv"
nox.options.reuse_existing_virtualenvs = True
nox.options.sessions = [
    "check_generated",
    "lint",
    "typecheck",
    "tests",
    "peers",
    "docs",
    "upstream",
]

ROOT = Path(__file__).parent
# The generator and the formatter its hooks run shape the generated code: both are pinned.
GENERATOR = ["openapi-python-client==0.29.1", "ruff==0.17.5"]
LINTER = "ruff==0.17.5"
# (spec, generator config, package name) for each venue.
VENUES = [
    ("spec/kucoin-spot-cancel.yaml", "spec/kucoin-config.yaml", "ordercancel_kucoin_api"),
    ("spec/kuest-clob-cancel.yaml", "spec/kuest-config.yaml", "ordercancel_kuest_api"),
]


def _generate_into(session: nox.Session, out_dir: Path) -> None:
    # The generator's ruff hooks must leave nothing but code behind (no .ruff_cache).
    session.env["RUFF_NO_CACHE"] = "true"
    for spec, config, package in VENUES:
        target = out_dir / package
        shutil.rmtree(target, ignore_errors=True)
        session.run(
            "openapi-python-client",
            "generate",
            "--path",
            str(ROOT / spec),
            "--config",
            str(ROOT / config),
            "--meta",
            "none",
            "--custom-template-path",
            str(ROOT / "spec" / "templates"),
            "--output-path",
            str(target),
            "--fail-on-warning",
        )


@nox.session
def generate(session: nox.Session) -> None:
    """Regenerate generated/ from spec/ (run after every spec change)."""
    session.install(*GENERATOR)
    _generate_into(session, ROOT / "generated")


def _differences(left: Path, right: Path) -> list[str]:
    cmp = filecmp.dircmp(left, right, ignore=["__pycache__"])
    found = [f"only in {left}: {n}" for n in cmp.left_only]
    found += [f"only in {right}: {n}" for n in cmp.right_only]
    # dircmp compares shallowly; compare contents explicitly.
    found += [
        f"differs: {left / n}"
        for n in cmp.common_files
        if (left / n).read_bytes() != (right / n).read_bytes()
    ]
    for sub in cmp.common_dirs:
        found += _differences(left / sub, right / sub)
    return found


@nox.session
def check_generated(session: nox.Session) -> None:
    """Fail when generated/ differs in any way from what spec/ generates."""
    session.install(*GENERATOR)
    with tempfile.TemporaryDirectory() as tmp:
        fresh = Path(tmp)
        _generate_into(session, fresh)
        problems = []
        for _, _, package in VENUES:
            problems += _differences(ROOT / "generated" / package, fresh / package)
        expected = {package for _, _, package in VENUES}
        extra = {p.name for p in (ROOT / "generated").iterdir()} - expected
        problems += [f"unexpected entry in generated/: {name}" for name in sorted(extra)]
    if problems:
        session.error(
            "generated/ is not what spec/ generates (run `nox -s generate`):\n  "
            + "\n  ".join(problems)
        )


@nox.session
def lint(session: nox.Session) -> None:
    """Ruff lint and format check of hand-written code."""
    session.install(LINTER)
    session.run("ruff", "check", ".")
    session.run("ruff", "format", "--check", ".")


@nox.session
def typecheck(session: nox.Session) -> None:
    """Mypy strict on wrapper/ (with the specdiff extra: the tool's YAML reader is checked too)."""
    session.install("mypy==2.4.1", "pytest", ".[specdiff]")
    session.run("mypy")


@nox.session
def tests(session: nox.Session) -> None:
    """The whole test suite against the installed package, with a coverage floor on wrapper/.

    Code run in child processes (`python -m ordercancel.cli` in the CLI tests) counts too.
    """
    session.install(".[test]")
    session.run("coverage", "erase")
    session.run("coverage", "run", "-m", "pytest", *session.posargs)
    # Child processes (the CLI tests) wrote data files of their own: join them, then judge.
    session.run("coverage", "combine", "--quiet")
    session.run("coverage", "report")


# The documentation toolchain, pinned: each of these shapes the pages or what counts as a warning.
DOCS = [
    "mkdocs==1.6.1",
    "mkdocstrings==1.0.8",
    "mkdocstrings-python==2.0.11",
    "griffelib==2.4.1",
    "mkdocs-autorefs==1.4.5",
    "markdown==3.11.3",
]


@nox.session
def docs(session: nox.Session) -> None:
    """Build the documentation site (docs/ and the docstrings) into site/, warnings as errors.

    The API reference is read from the source in wrapper/; the code blocks are run by the
    tests (tests/docs/). `nox -s docs -- serve` serves the pages while you edit them instead.
    """
    session.install(*DOCS, LINTER)  # ruff lays out the signatures
    if session.posargs == ["serve"]:
        session.run("mkdocs", "serve", "--strict")
        return
    session.run("mkdocs", "build", "--strict", "--site-dir", str(ROOT / "site"))


@nox.session
def upstream(session: nox.Session) -> None:
    """Compare spec/ with the venues' published OpenAPI files; fail on an unlisted difference.

    `nox -s upstream -- FILE [FILE ...]` compares each published FILE (JSON or YAML) with the spec
    in spec/ that shares the most operations with it (so the venue is inferred from its paths),
    minus the differences listed in spec/known-differences.yaml. With no FILE it compares every
    .json/.yaml file in ../shared/upstream/ (beside the repository), and skips when that folder
    is absent. The tool itself: `python -m ordercancel.specdiff --help`.
    """
    published = [str(Path(session.invoked_from) / p) for p in session.posargs]
    if not published:
        folder = ROOT.resolve().parent / "shared" / "upstream"
        if not folder.is_dir():
            session.skip("../shared/upstream not found: skipping upstream comparison")
        published = [
            str(p) for p in sorted(folder.iterdir()) if p.suffix in (".json", ".yaml", ".yml")
        ]
    session.install(".[specdiff]")
    session.run(
        "python",
        "-m",
        "ordercancel.specdiff",
        str(ROOT / "spec"),
        *published,
        "--known",
        str(ROOT / "spec" / "known-differences.yaml"),
    )


# Peers the benchmark compares against; none is a dependency of ordercancel.
BENCH_PEERS = ["ccxt==4.5.90", "kucoin-universal-sdk==1.3.2", "python-kucoin==2.2.0"]
# The real clients the simulator must serve as the venues do (nox -s peers).
PEERS = [*BENCH_PEERS, "kuest-py-clob-client==2.0.15"]


@nox.session
def peers(session: nox.Session) -> None:
    """The contract suite with the real clients: the proof that the simulator is faithful.

    kucoin-universal-sdk, ccxt, python-kucoin and kuest-py-clob-client (pinned) run their own
    cancel calls against the served simulator (tests/peers/). ORDERCANCEL_PEERS=1 makes a
    missing client an error there, never a skip.
    """
    session.install(".[test]", *PEERS)
    session.run("pytest", "tests/peers", *session.posargs, env={"ORDERCANCEL_PEERS": "1"})


@nox.session
def bench(session: nox.Session) -> None:
    """Benchmark against raw httpx/aiohttp and the peers (not in the default run).

    `nox -s bench -- --help` lists the options (rounds, output path, ...).
    """
    session.install(".", *BENCH_PEERS)
    session.run("python", "tests/bench/bench_cancel.py", *session.posargs)


@nox.session
def bench_bulk(session: nox.Session) -> None:
    """The cost of `cancel_orders` as the ids grow (100, 1,000, 10,000): CPU and memory per id.

    `nox -s bench_bulk -- --help` lists the options.
    """
    session.install(".")
    session.run("python", "tests/bench/bench_bulk.py", *session.posargs)
