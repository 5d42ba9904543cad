"""spec/known-differences.yaml is well-formed and each entry points at something real in our specs.

Reads only spec/ (never the venues' files): whether each entry still matches the venue's file is
what `nox -s upstream` checks.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from ordercancel.specdiff import Known, Spec, SpecError, load_known

SPEC = Path(__file__).resolve().parents[2] / "spec"
KNOWN = load_known(SPEC / "known-differences.yaml")


def our_spec(venue: str) -> Spec:
    specs = []
    for path in sorted(SPEC.glob(f"{venue}-*.yaml")):
        try:
            specs.append(Spec(path))
        except SpecError:
            continue  # the generator's config, not an OpenAPI file
    assert len(specs) == 1, f"venue {venue!r}: expected one OpenAPI file spec/{venue}-*.yaml"
    return specs[0]


@pytest.mark.parametrize("entry", KNOWN, ids=lambda k: f"{k.venue}:{k.operation}:{k.kind}:{k.name}")
def test_entry_names_one_of_our_operations(entry: Known) -> None:
    labels = {op.label: op for op in our_spec(entry.venue).operations()}
    if entry.kind == "operation-extra":  # theirs only, by definition
        assert entry.operation not in labels
        return
    assert entry.operation in labels, f"{entry.operation} is not an operation of ours"
    op = labels[entry.operation]
    if entry.kind.startswith("parameter-") and not entry.kind.endswith("-extra"):
        assert entry.name in op.parameters
    if entry.kind.startswith("response-field-") and not entry.kind.endswith("-extra"):
        assert op.response is not None
        assert entry.name in op.response
    if entry.kind.startswith("request-field-") and not entry.kind.endswith("-extra"):
        assert entry.name in op.request


def test_every_reason_is_a_sentence() -> None:
    assert all(len(k.reason.split()) >= 4 for k in KNOWN)
