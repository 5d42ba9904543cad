"""specdiff on variations of the unchanged fixture made in each test, and on broken input."""

from __future__ import annotations

import copy
import json
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml
from ordercancel.specdiff import Difference, Spec, compare, main

FIXTURES = Path(__file__).parent / "fixtures"
OURS = FIXTURES / "ours.yaml"
BASE: dict[str, Any] = json.loads((FIXTURES / "published-unchanged.json").read_text())
BY_ORDER_ID = "DELETE /api/v1/hf/orders/{orderId}"
BY_SYMBOL = "DELETE /api/v1/hf/orders"
# What every variation shares with the unchanged fixture (see fixtures/known.yaml).
BASELINE = {
    (d.operation, d.kind, d.name)
    for d in compare(Spec(OURS), Spec(FIXTURES / "published-unchanged.json")).differences
}


def theirs_op(doc: dict[str, Any], path: str = "/api/v1/hf/orders/{order_id}") -> dict[str, Any]:
    op: dict[str, Any] = doc["paths"][path]["delete"]
    return op


def data_schema(op: dict[str, Any]) -> dict[str, Any]:
    schema: dict[str, Any] = op["responses"]["200"]["content"]["application/json"]["schema"]
    return schema["properties"]["data"]  # type: ignore[no-any-return]


def new_differences(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> list[Difference]:
    doc = copy.deepcopy(BASE)
    change(doc)
    published = tmp_path / "published.json"
    published.write_text(json.dumps(doc))
    found = compare(Spec(OURS), Spec(published)).differences
    return [d for d in found if (d.operation, d.kind, d.name) not in BASELINE]


def test_parameter_became_optional(tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        theirs_op(doc)["parameters"][1] = {**theirs_op(doc)["parameters"][1], "required": False}

    assert new_differences(tmp_path, change) == [
        Difference(BY_ORDER_ID, "parameter-required", "query.symbol", "required", "optional")
    ]


def test_field_of_array_items_became_required(tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["components"]["schemas"]["CancelAllData"]["properties"]["failedSymbols"]["items"][
            "required"
        ] = ["symbol", "error"]

    assert new_differences(tmp_path, change) == [
        Difference(
            "DELETE /api/v1/hf/orders/cancelAll",
            "response-field-required",
            "data.failedSymbols[].error",
            "optional",
            "required",
        )
    ]


def test_new_header_parameter_is_extra_but_security_headers_match(tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        theirs_op(doc)["parameters"].append(
            {"name": "KC-API-NONCE", "in": "header", "required": True, "schema": {"type": "string"}}
        )

    # KC-API-KEY (our security scheme) is not reported; the new header is, lower-cased.
    assert new_differences(tmp_path, change) == [
        Difference(
            BY_ORDER_ID, "parameter-extra", "header.kc-api-nonce", "absent", "required string"
        )
    ]


def test_deprecated_and_renumbered_operation(tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        theirs_op(doc)["deprecated"] = True
        theirs_op(doc)["operationId"] = "006b"

    assert new_differences(tmp_path, change) == [
        Difference(BY_ORDER_ID, "operation-deprecated", "deprecated", "current", "deprecated")
    ]
    # the operation-id difference is still there, but with a new value: no longer the listed one
    doc = copy.deepcopy(BASE)
    change(doc)
    (tmp_path / "p.json").write_text(json.dumps(doc))
    ids = [
        d
        for d in compare(Spec(OURS), Spec(tmp_path / "p.json")).differences
        if d.kind == "operation-id"
    ]
    assert (
        Difference(BY_ORDER_ID, "operation-id", "operationId", "cancelOrderByOrderId", "006b")
        in ids
    )


def test_no_200_answer(tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        op = theirs_op(doc, "/api/v1/hf/orders")
        op["responses"] = {"201": op["responses"]["200"]}

    found = new_differences(tmp_path, change)
    assert found == [Difference(BY_SYMBOL, "response-missing", "200", "documented", "absent")]


def test_request_body_only_in_theirs_is_reported_once(tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        theirs_op(doc)["requestBody"] = {
            "content": {
                "application/json": {
                    "schema": {"type": "object", "properties": {"reason": {"type": "string"}}}
                }
            }
        }

    assert new_differences(tmp_path, change) == [
        Difference(BY_ORDER_ID, "request-field-extra", "(body)", "absent", "object")
    ]


def test_near_extra_and_far_extra(tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["paths"]["/api/v1/hf/orders/sync/{orderId}"] = {
            "delete": {"operationId": "007", "responses": {}}
        }

    assert new_differences(tmp_path, change) == [
        Difference(
            "DELETE /api/v1/hf/orders/sync/{orderId}", "operation-extra", "007", "absent", "007"
        )
    ]


def test_composition_nullable_and_maps(tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["components"]["schemas"]["CancelAllData"] = {
            "allOf": [
                {
                    "type": "object",
                    "properties": {
                        "succeedSymbols": {"type": "array", "items": {"type": "string"}}
                    },
                    "required": ["succeedSymbols"],
                },
                {
                    "anyOf": [
                        {"required": ["failedSymbols"]},
                        {"required": ["failedSymbols", "reasons"]},
                    ],
                    "properties": {
                        "failedSymbols": {
                            "type": "array",
                            "nullable": True,
                            "items": {"$ref": "#/components/schemas/Failed"},
                        },
                        "reasons": {"type": "object", "additionalProperties": {"type": "string"}},
                    },
                },
            ]
        }
        doc["components"]["schemas"]["Failed"] = {
            "properties": {"symbol": {"type": "string"}, "error": {"type": "string"}},
            "required": ["symbol"],
        }

    assert new_differences(tmp_path, change) == [
        Difference(
            "DELETE /api/v1/hf/orders/cancelAll",
            "response-field-type",
            "data.failedSymbols",
            "array",
            "array|null",
        ),
        Difference(
            "DELETE /api/v1/hf/orders/cancelAll",
            "response-field-extra",
            "data.reasons",
            "absent",
            "optional object",
        ),
    ]


def test_folder_of_ours_picks_the_best_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(OURS, tmp_path / "fixture-spot.yaml")
    (tmp_path / "fixture-config.yaml").write_text("project_name_override: x\n")
    (tmp_path / "notes.txt").write_text("not a spec\n")
    other = {"openapi": "3.0.3", "paths": {"/order": {"delete": {"responses": {}}}}}
    (tmp_path / "other-clob.yaml").write_text(yaml.safe_dump(other))
    status = main([str(tmp_path), str(FIXTURES / "published-unchanged.json")])
    out = capsys.readouterr().out
    assert status == 1  # no known-differences file
    assert "fixture-spot.yaml (venue fixture)" in out


def test_folder_without_a_match_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    other = {"openapi": "3.0.3", "paths": {"/order": {"delete": {"responses": {}}}}}
    (tmp_path / "other-clob.yaml").write_text(yaml.safe_dump(other))
    assert main([str(tmp_path), str(FIXTURES / "published-unchanged.json")]) == 2
    assert "no spec in" in capsys.readouterr().err


def test_folder_with_a_tie_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    shutil.copy(OURS, tmp_path / "a-spot.yaml")
    shutil.copy(OURS, tmp_path / "b-spot.yaml")
    assert main([str(tmp_path), str(FIXTURES / "published-unchanged.json")]) == 2
    assert "equally" in capsys.readouterr().err


KNOWN_ENTRY = {
    "venue": "fixture",
    "operation": BY_ORDER_ID,
    "kind": "operation-id",
    "name": "operationId",
    "theirs": "006",
    "reason": "readable names",
}


@pytest.mark.parametrize(
    ("known", "message"),
    [
        ({"differences": [{**KNOWN_ENTRY, "theirs": 6}]}, "non-empty string"),
        ({"differences": [{**KNOWN_ENTRY, "reason": " "}]}, "non-empty string"),
        (
            {"differences": [{k: v for k, v in KNOWN_ENTRY.items() if k != "reason"}]},
            "exactly the keys",
        ),
        ({"differences": [{**KNOWN_ENTRY, "note": "x"}]}, "exactly the keys"),
        ({"differences": ["DELETE /x"]}, "has str"),
        ({"differences": [{**KNOWN_ENTRY, "kind": "operation-*"}]}, "unknown kind"),
        ({"differences": [KNOWN_ENTRY, KNOWN_ENTRY]}, "duplicate"),
        ({"differences": [], "extra": 1}, "exactly one key"),
        ({"entries": []}, "exactly one key"),
    ],
)
def test_malformed_known_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], known: dict[str, Any], message: str
) -> None:
    path = tmp_path / "known.yaml"
    path.write_text(yaml.safe_dump(known))
    argv = [str(OURS), str(FIXTURES / "published-unchanged.json"), "--known", str(path)]
    assert main(argv) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{not json", "cannot read"),
        ("[1, 2]", "not a mapping"),
        ('{"openapi": "3.0.0"}', "no `paths`"),
        (
            '{"paths": {"/a": {"delete": {"parameters": [{"$ref": "#/nowhere"}]}}}}',
            "points nowhere",
        ),
        (
            '{"paths": {"/a": {"delete": {"parameters": [{"$ref": "other.json#/x"}]}}}}',
            "cannot resolve",
        ),
        ('{"paths": {"/a": {"$ref": "#/paths/~1a"}}}', "cannot resolve"),
        ('{"paths": {"/a": {"delete": {"parameters": 3}}}}', "malformed"),
    ],
)
def test_broken_published_file_is_a_usage_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, message: str
) -> None:
    path = tmp_path / "published.json"
    path.write_text(text)
    assert main([str(OURS), str(path)]) == 2
    assert message in capsys.readouterr().err


def test_missing_file_and_bad_arguments(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([str(OURS), str(tmp_path / "absent.json")]) == 2
    assert "cannot read" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main([str(OURS)])
    assert exc.value.code == 2


def test_parameter_described_with_content(tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        param = theirs_op(doc)["parameters"][1]
        schema = param.pop("schema")
        param["content"] = {"text/plain": {"schema": {**schema, "type": "integer"}}}

    assert new_differences(tmp_path, change) == [
        Difference(BY_ORDER_ID, "parameter-type", "query.symbol", "string", "integer")
    ]


def test_recursive_schema_terminates(tmp_path: Path) -> None:
    def change(doc: dict[str, Any]) -> None:
        doc["components"]["schemas"]["Node"] = {
            "type": "object",
            "properties": {"child": {"$ref": "#/components/schemas/Node"}},
        }
        data_schema(theirs_op(doc))["properties"]["tree"] = {"$ref": "#/components/schemas/Node"}

    found = new_differences(tmp_path, change)
    assert found == [
        Difference(BY_ORDER_ID, "response-field-extra", "data.tree", "absent", "optional object")
    ]


def test_answer_only_in_theirs(tmp_path: Path) -> None:
    ours = yaml.safe_load(OURS.read_text())
    answers = ours["paths"]["/api/v1/hf/orders"]["delete"]["responses"]
    answers["204"] = answers.pop("200")
    (tmp_path / "ours.yaml").write_text(yaml.safe_dump(ours))
    found = compare(Spec(tmp_path / "ours.yaml"), Spec(FIXTURES / "published-unchanged.json"))
    assert (
        Difference(BY_SYMBOL, "response-extra", "200", "absent", "documented") in found.differences
    )
