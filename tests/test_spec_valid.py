"""Every OpenAPI document in spec/ is valid OpenAPI, and nothing in spec/ is silently skipped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml
from openapi_spec_validator import validate
from openapi_spec_validator.validation.exceptions import OpenAPIValidationError

SPEC_DIR = Path(__file__).resolve().parents[1] / "spec"
YAML_FILES = sorted(SPEC_DIR.glob("*.yaml"))
# Files in spec/ that are not OpenAPI documents, and what they are instead.
NOT_OPENAPI = {
    "kucoin-config.yaml": "openapi-python-client config",
    "kuest-config.yaml": "openapi-python-client config",
    "known-differences.yaml": "specdiff's list of deliberate differences",
}


def _load(path: Path) -> Any:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


SPECS = [p for p in YAML_FILES if isinstance(_load(p), dict) and "openapi" in _load(p)]


def test_every_yaml_in_spec_is_openapi_or_a_known_config() -> None:
    assert {p.name for p in YAML_FILES} - {p.name for p in SPECS} == set(NOT_OPENAPI)
    assert "kucoin-spot-cancel.yaml" in {p.name for p in SPECS}


@pytest.mark.parametrize("path", SPECS, ids=[p.name for p in SPECS])
def test_spec_is_valid_openapi(path: Path) -> None:
    spec = _load(path)
    validate(spec)
    operation_ids = [
        op["operationId"]
        for item in spec["paths"].values()
        for method, op in item.items()
        if method in ("get", "put", "post", "delete", "patch", "head", "options")
    ]
    assert all(operation_ids)
    assert len(operation_ids) == len(set(operation_ids))


def test_the_validator_rejects_a_broken_spec() -> None:
    """Guard: the check above can fail (a path parameter that is not declared)."""
    spec = _load(SPEC_DIR / "kucoin-spot-cancel.yaml")
    spec["paths"]["/api/v1/hf/orders/{undeclared}"] = spec["paths"]["/api/v1/hf/orders"]
    with pytest.raises(OpenAPIValidationError):
        validate(spec)
