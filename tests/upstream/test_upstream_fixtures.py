"""specdiff against small hand-made published files: each change is reported with the right kind.

The fixtures are tiny KuCoin-shaped subsets written for these tests (tests/upstream/fixtures/);
nothing here reads the venues' real files.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from ordercancel.specdiff import Difference, Spec, compare, load_known, main

FIXTURES = Path(__file__).parent / "fixtures"
OURS = FIXTURES / "ours.yaml"
KNOWN = FIXTURES / "known.yaml"
BY_ORDER_ID = "DELETE /api/v1/hf/orders/{orderId}"
CANCEL_ALL = "DELETE /api/v1/hf/orders/cancelAll"


def run(capsys: pytest.CaptureFixture[str], published: str, *extra: str) -> tuple[int, str]:
    status = main(
        [str(OURS), str(FIXTURES / published), "--known", str(KNOWN), "--venue", "fixture", *extra]
    )
    return status, capsys.readouterr().out


def unlisted(published: str) -> list[Difference]:
    """The differences the fixture known-differences file does not list."""
    known = load_known(KNOWN)
    found = compare(Spec(OURS), Spec(FIXTURES / published)).differences
    return [d for d in found if not any(k.matches("fixture", d) for k in known)]


def test_unchanged_file_exits_0_and_counts_the_listed(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(capsys, "published-unchanged.json")
    assert status == 0
    assert "3 ours, 3 matched, 0 only in ours, 0 only in theirs" in out
    assert "0 difference(s) to review, 11 listed and ignored, 0 stale listed: exit 0" in out
    # listed differences are counted, not shown
    assert "operation-id" not in out


def test_unchanged_file_differs_only_as_listed() -> None:
    # {order_id} in theirs matches our {orderId}; their KC-API-KEY header parameter is our
    # security scheme; GET on our path and an unrelated DELETE are not "near" ours.
    assert unlisted("published-unchanged.json") == []


def test_show_listed_prints_the_listed_differences(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(capsys, "published-unchanged.json", "--show-listed")
    assert status == 0
    assert "operationId: ours cancelOrderByOrderId | theirs 006  (listed)" in out


def test_renamed_parameter_is_one_missing_and_one_extra(capsys: pytest.CaptureFixture[str]) -> None:
    assert unlisted("published-renamed-param.json") == [
        Difference(BY_ORDER_ID, "parameter-missing", "query.symbol", "required string", "absent"),
        Difference(
            BY_ORDER_ID, "parameter-extra", "query.tradingPair", "absent", "required string"
        ),
    ]
    status, out = run(capsys, "published-renamed-param.json")
    assert status == 1
    assert "parameter-missing  query.symbol: ours required string | theirs absent" in out
    # the listed constraint on the old name no longer matches anything: stale
    assert "stale known differences" in out
    assert f"{BY_ORDER_ID}  parameter-constraint  query.symbol: theirs none" in out


def test_new_required_response_field(capsys: pytest.CaptureFixture[str]) -> None:
    assert unlisted("published-new-required-field.json") == [
        Difference(BY_ORDER_ID, "response-field-extra", "data.status", "absent", "required string"),
    ]
    status, out = run(capsys, "published-new-required-field.json")
    assert status == 1
    assert "1 difference(s) to review, 11 listed and ignored, 0 stale listed: exit 1" in out


def test_removed_endpoint_is_missing_and_its_entries_stale(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert unlisted("published-removed-endpoint.json") == [
        Difference(CANCEL_ALL, "operation-missing", "cancelAllOrders", "documented", "absent"),
    ]
    status, out = run(capsys, "published-removed-endpoint.json")
    assert status == 1
    assert "3 ours, 2 matched, 1 only in ours" in out
    assert "1 difference(s) to review, 8 listed and ignored, 3 stale listed: exit 1" in out


def test_type_change_in_yaml_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert unlisted("published-type-change.yaml") == [
        Difference(BY_ORDER_ID, "response-field-type", "data.orderId", "string", "integer"),
        Difference(
            BY_ORDER_ID, "response-field-constraint", "data.orderId", "none", 'format="int64"'
        ),
    ]
    status, out = run(capsys, "published-type-change.yaml")
    assert status == 1
    lines = out.splitlines()
    # grouped under the operation's heading
    heading = lines.index(BY_ORDER_ID)
    assert "response-field-type" in lines[heading + 1]


def test_without_known_file_everything_is_reported(capsys: pytest.CaptureFixture[str]) -> None:
    status = main([str(OURS), str(FIXTURES / "published-unchanged.json")])
    out = capsys.readouterr().out
    assert status == 1
    assert "(venue ours)" in out  # the venue defaults to our file name up to the first "-"
    assert "11 difference(s) to review, 0 listed and ignored" in out


def test_all_extras_reports_unrelated_operations(capsys: pytest.CaptureFixture[str]) -> None:
    status, out = run(capsys, "published-unchanged.json", "--all-extras")
    assert status == 1
    assert "GET /api/v1/hf/orders/{order_id}" in out
    assert "operation-extra  025: ours absent | theirs 025" in out


def test_runs_as_a_module() -> None:
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "ordercancel.specdiff",
            str(OURS),
            str(FIXTURES / "published-unchanged.json"),
            "--known",
            str(KNOWN),
            "--venue",
            "fixture",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "exit 0" in done.stdout


def test_several_published_files_exit_with_the_worst(capsys: pytest.CaptureFixture[str]) -> None:
    files = [str(FIXTURES / "published-unchanged.json"), str(FIXTURES / "absent.json")]
    status = main([str(OURS), *files, "--known", str(KNOWN), "--venue", "fixture"])
    captured = capsys.readouterr()
    assert status == 2
    assert "exit 0" in captured.out  # the first file was still compared
    assert "cannot read" in captured.err
