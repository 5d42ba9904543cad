"""Notice when a venue changes its API: compare our hand-written spec with the venue's.

    python -m ordercancel.specdiff OURS PUBLISHED [PUBLISHED ...]
                                   [--known spec/known-differences.yaml]
                                   [--venue NAME] [--all-extras] [--show-listed]

OURS is one of our OpenAPI files, or a folder of them (then, for each PUBLISHED file, the file
sharing the most operations with it is used: that is how the venue is inferred). PUBLISHED is a
venue's OpenAPI file, JSON or YAML. Operations are matched by HTTP method and path, with
path-parameter names ignored (`{orderId}` matches `{order_id}`). For every matched operation the
tool compares, after resolving every local `$ref`:

- the operation id and the `deprecated` flag;
- parameters (location, name, required, type, constraints such as pattern or maxLength); a
  header the venue lists as a parameter counts as present in ours when our security sends it;
- the fields of a JSON request body and of the 200 answer, walked into objects (`data.orderId`),
  array items (`data.failedSymbols[].symbol`) and maps (`not_canceled{}`); `(body)` is the root.

Kinds: `operation-missing` (ours, not theirs), `operation-extra` (theirs only; by default only
when it has the method of one of ours and lies under its path, `--all-extras` for every one),
`operation-id`, `operation-deprecated`, `response-missing`, `response-extra`, and
`{parameter,request-field,response-field}-{missing,extra,required,type,constraint}`; "missing"
means present in ours only, "extra" in theirs only.

A known-differences file lists deliberate differences; each entry names one difference exactly
(`venue`, `operation`, `kind`, `name`) and what the venue's file says today (`theirs`), with a
`reason`. Listed differences are counted, not shown (`--show-listed` shows them). An entry that
no longer matches anything is stale and reported. The venue is the part of our spec's file name
before the first "-" (`kucoin-spot-cancel.yaml` is `kucoin`) unless `--venue` says otherwise.

Exit status: 0 when only listed differences remain, 1 when any other difference or a stale entry
is found, 2 for usage errors and unreadable or malformed files (the worst over all PUBLISHED).

A maintainer tool: it needs pyyaml, which `pip install 'ordercancel[specdiff]'` brings (the
`nox -s upstream` session installs it); importing it without pyyaml raises ImportError.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

try:
    import yaml  # type: ignore[import-untyped,unused-ignore]
except ImportError as exc:  # a maintainer tool: its YAML reader is an extra, not a runtime need
    _NO_YAML = (
        "ordercancel.specdiff reads YAML with pyyaml, which is not installed: "
        "pip install 'ordercancel[specdiff]' (from a checkout: pip install '.[specdiff]')"
    )
    if __name__ == "__main__":  # the command: one line and exit 2, not a traceback
        print(f"error: {_NO_YAML}", file=sys.stderr)
        sys.exit(2)
    raise ImportError(_NO_YAML) from exc

METHODS = ("get", "put", "post", "delete", "patch", "head", "options", "trace")
CONSTRAINTS = (
    "format",
    "pattern",
    "minLength",
    "maxLength",
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "multipleOf",
    "enum",
    "minItems",
    "maxItems",
    "uniqueItems",
    "minProperties",
    "maxProperties",
)
PARTS = ("parameter", "request-field", "response-field")
CHANGES = ("missing", "extra", "required", "type", "constraint")
KINDS = frozenset(
    {
        "operation-missing",
        "operation-extra",
        "operation-id",
        "operation-deprecated",
        "response-missing",
        "response-extra",
    }
    | {f"{part}-{change}" for part in PARTS for change in CHANGES}
)
ROOT = "(body)"
ABSENT = "absent"
_KNOWN_KEYS = ("venue", "operation", "kind", "name", "theirs", "reason")
_MAX_DEPTH = 12


class SpecError(Exception):
    """A file that cannot be read, parsed or resolved (exit status 2)."""


@dataclass(frozen=True)
class Field:
    """One parameter or body field, flattened: its type, whether it is required, its constraints."""

    type: str
    required: bool | None  # None for array items and map values
    constraints: str

    def describe(self) -> str:
        """Say the field in a few words, e.g. "required string"."""
        if self.required is None:
            return self.type
        return f"{'required' if self.required else 'optional'} {self.type}"


@dataclass
class Operation:
    """One operation of a spec, reduced to what the comparison looks at."""

    method: str
    path: str
    operation_id: str
    deprecated: bool
    path_params: list[str]
    parameters: dict[str, Field]
    security_headers: set[str]
    request: dict[str, Field]
    response: dict[str, Field] | None  # None when there is no 200 answer

    @property
    def label(self) -> str:
        """`METHOD /path`, the operation's name in reports and in the known-differences file."""
        return f"{self.method.upper()} {self.path}"

    @property
    def key(self) -> tuple[str, str]:
        """Method and path with parameter names blanked: what matches operations across files."""
        return self.method, _normalise(self.path)


@dataclass(frozen=True, order=True)
class Difference:
    """One difference between our spec and theirs, for one operation."""

    operation: str
    kind: str
    name: str
    ours: str
    theirs: str


@dataclass(frozen=True)
class Known:
    """One entry of the known-differences file."""

    venue: str
    operation: str
    kind: str
    name: str
    theirs: str
    reason: str

    def matches(self, venue: str, diff: Difference) -> bool:
        """Whether this entry lists exactly `diff` (every field equal, no patterns)."""
        return (self.venue, self.operation, self.kind, self.name, self.theirs) == (
            venue,
            diff.operation,
            diff.kind,
            diff.name,
            diff.theirs,
        )


@dataclass
class Comparison:
    """What `compare` found: operation counts and every difference, in report order."""

    ours_count: int
    matched: int
    extras: int
    differences: list[Difference] = field(default_factory=list)


def _normalise(path: str) -> str:
    parts = path.rstrip("/").split("/")
    return "/".join("{}" if p.startswith("{") and p.endswith("}") else p for p in parts) or "/"


def _join(parent: str, child: str) -> str:
    return child if parent == ROOT else f"{parent}.{child}"


def _below(name: str, parent: str) -> bool:
    if parent == ROOT:
        return name != ROOT
    return name.startswith((f"{parent}.", f"{parent}[", f"{parent}{{"))


def _load_document(path: Path) -> dict[str, Any]:
    try:
        text = path.read_text(encoding="utf-8")
        doc = json.loads(text) if path.suffix == ".json" else yaml.safe_load(text)
    except (OSError, UnicodeDecodeError, ValueError, yaml.YAMLError) as exc:
        raise SpecError(f"cannot read {path}: {exc}") from exc
    if not isinstance(doc, dict):
        raise SpecError(f"{path}: not a mapping")
    return doc


class Spec:
    """An OpenAPI document (JSON or YAML) whose local `$ref`s can be resolved."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.doc = _load_document(path)
        if not isinstance(self.doc.get("paths"), dict):
            raise SpecError(f"{path}: no `paths` mapping; is this an OpenAPI file?")

    def resolve(self, node: Any) -> Any:
        """Follow `$ref` until a node that is not a reference; raise SpecError if impossible."""
        seen: set[str] = set()
        while isinstance(node, dict) and "$ref" in node:
            ref = node["$ref"]
            if not isinstance(ref, str) or not ref.startswith("#/") or ref in seen:
                raise SpecError(f"{self.path}: cannot resolve $ref {ref!r}")
            seen.add(ref)
            node = self.doc
            for token in ref[2:].split("/"):
                token = token.replace("~1", "/").replace("~0", "~")
                if not isinstance(node, dict) or token not in node:
                    raise SpecError(f"{self.path}: $ref {ref!r} points nowhere")
                node = node[token]
        return node

    def operations(self) -> list[Operation]:
        """Every operation of the file, in file order."""
        found = []
        for path, raw_item in self.doc["paths"].items():
            item = self.resolve(raw_item)
            for method in METHODS:
                if isinstance(item.get(method), dict):
                    found.append(self._operation(str(path), method, item, item[method]))
        return found

    def _operation(self, path: str, method: str, item: Any, op: Any) -> Operation:
        responses = {str(k): v for k, v in (op.get("responses") or {}).items()}
        response = None
        if "200" in responses:
            response = self._body_fields(self.resolve(responses["200"]))
        request = {}
        if "requestBody" in op:
            request = self._body_fields(self.resolve(op["requestBody"]))
        return Operation(
            method=method,
            path=path,
            operation_id=str(op.get("operationId", "")),
            deprecated=bool(op.get("deprecated", False)),
            path_params=[p[1:-1] for p in path.split("/") if p.startswith("{")],
            parameters=self._parameters([*item.get("parameters", []), *op.get("parameters", [])]),
            security_headers=self._security_headers(op),
            request=request,
            response=response,
        )

    def _parameters(self, raw: Iterable[Any]) -> dict[str, Field]:
        params = {}
        for entry in raw:
            param = self.resolve(entry)
            location, name = str(param.get("in")), str(param.get("name"))
            if location == "header":
                name = name.lower()  # header names are case-insensitive
            schema = param.get("schema")
            if schema is None:  # a parameter described with `content`
                media: dict[str, Any] = next(iter((param.get("content") or {}).values()), {})
                schema = media.get("schema", {})
            flat: dict[str, Field] = {}
            self._walk(schema, ROOT, None, flat, 0)
            top = flat[ROOT]
            required = bool(param.get("required", False)) or location == "path"
            params[f"{location}.{name}"] = Field(top.type, required, top.constraints)
        return params

    def _security_headers(self, op: Any) -> set[str]:
        schemes = self.doc.get("components", {}).get("securitySchemes", {})
        headers = set()
        for requirement in op.get("security", self.doc.get("security", [])):
            for scheme_name in requirement:
                scheme = self.resolve(schemes.get(scheme_name, {}))
                if scheme.get("type") == "apiKey" and scheme.get("in") == "header":
                    headers.add(str(scheme.get("name", "")).lower())
        return headers

    def _body_fields(self, body: Any) -> dict[str, Field]:
        content = body.get("content") or {}
        media = next((m for m in content if "json" in m), None)
        fields: dict[str, Field] = {}
        if media is not None and "schema" in content[media]:
            self._walk(content[media]["schema"], ROOT, None, fields, 0)
        return fields

    def _merge(self, node: Any, depth: int) -> dict[str, Any]:
        """One schema with allOf/anyOf/oneOf folded in: types, properties, required, constraints."""
        node = self.resolve(node)
        if not isinstance(node, dict):  # `true`, `{}`-like schemas: anything goes
            node = {}
        raw_type = node.get("type")
        types = set(raw_type if isinstance(raw_type, list) else [raw_type] if raw_type else [])
        if not types and "properties" in node:
            types.add("object")
        if not types and "items" in node:
            types.add("array")
        if types and node.get("nullable") is True:
            types.add("null")
        merged: dict[str, Any] = {
            "types": types,
            "properties": dict(node.get("properties") or {}),
            "required": set(node.get("required") or []),
            "constraints": {k: node[k] for k in CONSTRAINTS if k in node},
            "items": node.get("items"),
            "additional": node.get("additionalProperties"),
        }
        if depth > _MAX_DEPTH:
            return merged
        for part in node.get("allOf") or []:
            sub = self._merge(part, depth + 1)
            merged["types"] |= sub["types"]
            merged["properties"].update(sub["properties"])
            merged["required"] |= sub["required"]
            merged["constraints"].update(sub["constraints"])
            merged["items"] = merged["items"] or sub["items"]
        alternatives = [
            self._merge(p, depth + 1) for key in ("anyOf", "oneOf") for p in node.get(key) or []
        ]
        if alternatives:
            for sub in alternatives:
                merged["types"] |= sub["types"]
                for name, schema in sub["properties"].items():
                    merged["properties"].setdefault(name, schema)
            # A field is required only when every alternative requires it.
            merged["required"] |= set.intersection(*(sub["required"] for sub in alternatives))
        return merged

    def _walk(
        self, node: Any, name: str, required: bool | None, out: dict[str, Field], depth: int
    ) -> None:
        schema = self._merge(node, depth)
        constraints = "; ".join(
            f"{k}={json.dumps(v, sort_keys=True)}" for k, v in sorted(schema["constraints"].items())
        )
        out[name] = Field("|".join(sorted(schema["types"])) or "any", required, constraints)
        if depth >= _MAX_DEPTH:  # deep or recursive schemas: stop here
            return
        for prop, sub in schema["properties"].items():
            self._walk(sub, _join(name, prop), prop in schema["required"], out, depth + 1)
        prefix = "" if name == ROOT else name
        if isinstance(schema["items"], dict):
            self._walk(schema["items"], f"{prefix}[]", None, out, depth + 1)
        if isinstance(schema["additional"], dict):
            self._walk(schema["additional"], f"{prefix}{{}}", None, out, depth + 1)


def _compare_fields(
    label: str, part: str, ours: Mapping[str, Field], theirs: Mapping[str, Field]
) -> list[Difference]:
    diffs: list[Difference] = []
    only: dict[str, list[str]] = {"missing": [], "extra": []}
    for name in sorted(ours.keys() | theirs.keys()):
        mine, other = ours.get(name), theirs.get(name)
        if mine is None or other is None:
            change = "missing" if other is None else "extra"
            if not any(_below(name, parent) for parent in only[change]):  # else: parent said it
                only[change].append(name)
                mine_text = mine.describe() if mine else ABSENT
                other_text = other.describe() if other else ABSENT
                diffs.append(Difference(label, f"{part}-{change}", name, mine_text, other_text))
            continue
        if None not in (mine.required, other.required) and mine.required != other.required:
            mine_req, other_req = (
                "required" if flag else "optional" for flag in (mine.required, other.required)
            )
            diffs.append(Difference(label, f"{part}-required", name, mine_req, other_req))
        if mine.type != other.type:
            diffs.append(Difference(label, f"{part}-type", name, mine.type, other.type))
        if mine.constraints != other.constraints:
            diffs.append(
                Difference(
                    label,
                    f"{part}-constraint",
                    name,
                    mine.constraints or "none",
                    other.constraints or "none",
                )
            )
    return diffs


def _compare_operation(mine: Operation, other: Operation) -> list[Difference]:
    label = mine.label
    diffs = []
    if mine.operation_id != other.operation_id:
        diffs.append(
            Difference(
                label,
                "operation-id",
                "operationId",
                mine.operation_id,
                other.operation_id or ABSENT,
            )
        )
    if mine.deprecated != other.deprecated:
        state = {True: "deprecated", False: "current"}
        diffs.append(
            Difference(
                label,
                "operation-deprecated",
                "deprecated",
                state[mine.deprecated],
                state[other.deprecated],
            )
        )
    # Path parameters are matched by position, whatever each file calls them.
    rename = {
        f"path.{t}": f"path.{o}" for t, o in zip(other.path_params, mine.path_params, strict=True)
    }
    theirs_params = {rename.get(k, k): v for k, v in other.parameters.items()}
    for header in mine.security_headers:  # sent by our signer: present on our side
        if f"header.{header}" in theirs_params:
            theirs_params.pop(f"header.{header}")
    diffs += _compare_fields(label, "parameter", mine.parameters, theirs_params)
    diffs += _compare_fields(label, "request-field", mine.request, other.request)
    if mine.response is None and other.response is not None:
        diffs.append(Difference(label, "response-extra", "200", ABSENT, "documented"))
    elif mine.response is not None and other.response is None:
        diffs.append(Difference(label, "response-missing", "200", "documented", ABSENT))
    elif mine.response is not None and other.response is not None:
        diffs += _compare_fields(label, "response-field", mine.response, other.response)
    return diffs


def _near(op: Operation, ours: Iterable[Operation]) -> bool:
    method, path = op.key
    return any(
        method == m and path.startswith(p.rstrip("/") + "/") for m, p in (o.key for o in ours)
    )


def compare(ours: Spec, theirs: Spec, *, all_extras: bool = False) -> Comparison:
    """Compare each operation of `ours` with the one of `theirs` with the same method and path.

    Operations only in `theirs` are reported when they are near one of ours (same method, under
    its path), or all of them with `all_extras`. Raises SpecError when a `$ref` cannot be resolved.
    """
    mine = ours.operations()
    others = {op.key: op for op in theirs.operations()}
    result = Comparison(ours_count=len(mine), matched=0, extras=0)
    for op in mine:
        other = others.pop(op.key, None)
        if other is None:
            result.differences.append(
                Difference(op.label, "operation-missing", op.operation_id, "documented", ABSENT)
            )
            continue
        result.matched += 1
        result.differences += _compare_operation(op, other)
    for other in others.values():
        if all_extras or _near(other, mine):
            result.extras += 1
            result.differences.append(
                Difference(
                    other.label,
                    "operation-extra",
                    other.operation_id,
                    ABSENT,
                    other.operation_id or "documented",
                )
            )
    return result


def load_known(path: Path) -> list[Known]:
    """Read a known-differences file; raise SpecError on any malformed or duplicate entry."""
    doc = _load_document(path)
    entries = doc.get("differences")
    if set(doc) != {"differences"} or not isinstance(entries, list):
        raise SpecError(f"{path}: expected exactly one key, `differences`, holding a list")
    known: list[Known] = []
    for index, entry in enumerate(entries, start=1):
        where = f"{path}: entry {index}"
        if not isinstance(entry, dict) or set(entry) != set(_KNOWN_KEYS):
            got = ", ".join(map(str, entry)) if isinstance(entry, dict) else type(entry).__name__
            raise SpecError(f"{where}: needs exactly the keys {', '.join(_KNOWN_KEYS)}; has {got}")
        if not all(isinstance(entry[k], str) and entry[k].strip() for k in _KNOWN_KEYS):
            raise SpecError(f"{where}: every value must be a non-empty string (quote numbers)")
        if entry["kind"] not in KINDS:
            raise SpecError(
                f"{where}: unknown kind {entry['kind']!r}; one of {', '.join(sorted(KINDS))}"
            )
        item = Known(**{k: entry[k] for k in _KNOWN_KEYS})
        if any(
            item.matches(k.venue, Difference(k.operation, k.kind, k.name, "", k.theirs))
            for k in known
        ):
            raise SpecError(f"{where}: duplicate of an earlier entry")
        known.append(item)
    return known


def _pick_spec(folder: Path, theirs: Spec) -> Spec:
    keys = {op.key for op in theirs.operations()}
    scored: list[tuple[int, Spec]] = []
    for path in sorted(folder.iterdir()):
        if path.suffix not in (".yaml", ".yml", ".json"):
            continue
        try:
            spec = Spec(path)
        except SpecError:
            continue  # not an OpenAPI file (a generator config, the known-differences file, ...)
        scored.append((sum(op.key in keys for op in spec.operations()), spec))
    scored.sort(key=lambda pair: -pair[0])
    if not scored or scored[0][0] == 0:
        raise SpecError(f"no spec in {folder} shares an operation with {theirs.path}")
    if len(scored) > 1 and scored[1][0] == scored[0][0]:
        raise SpecError(f"{scored[0][1].path} and {scored[1][1].path} match {theirs.path} equally")
    return scored[0][1]


def _render(
    ours: Spec, theirs: Spec, venue: str, result: Comparison, known: list[Known], show_listed: bool
) -> tuple[str, int]:
    mine = [k for k in known if k.venue == venue]
    listed = [d for d in result.differences if any(k.matches(venue, d) for k in mine)]
    fresh = [d for d in result.differences if d not in listed]
    stale = [k for k in mine if not any(k.matches(venue, d) for d in result.differences)]
    missing = sum(d.kind == "operation-missing" for d in result.differences)
    lines = [
        f"ours:      {ours.path} (venue {venue})",
        f"published: {theirs.path}",
        f"operations: {result.ours_count} ours, {result.matched} matched, {missing} only in ours, "
        f"{result.extras} only in theirs (near ours)",
    ]
    shown = fresh + (listed if show_listed else [])
    for label in dict.fromkeys(d.operation for d in result.differences):
        group = [d for d in shown if d.operation == label]
        if group:
            lines += ["", label]
            width = max(len(d.kind) for d in group)
            for d in group:
                tag = "  (listed)" if d in listed else ""
                lines.append(
                    f"  {d.kind:<{width}}  {d.name}: ours {d.ours} | theirs {d.theirs}{tag}"
                )
    if stale:
        lines += ["", "stale known differences (no longer in the files; remove them):"]
        lines += [f"  {k.operation}  {k.kind}  {k.name}: theirs {k.theirs}" for k in stale]
    status = 1 if fresh or stale else 0
    lines += [
        "",
        f"{len(fresh)} difference(s) to review, {len(listed)} listed and ignored, "
        f"{len(stale)} stale listed: exit {status}",
    ]
    return "\n".join(lines), status


def main(argv: Sequence[str] | None = None) -> int:
    """Run the comparison from the command line; return the exit status (0, 1 or 2)."""
    parser = argparse.ArgumentParser(
        prog="python -m ordercancel.specdiff",
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "ours", type=Path, help="our spec, or a folder of specs (the best match is used)"
    )
    parser.add_argument(
        "published",
        type=Path,
        nargs="+",
        help="the venue's published OpenAPI file(s), JSON or YAML",
    )
    parser.add_argument(
        "--known", type=Path, help="known-differences file (e.g. spec/known-differences.yaml)"
    )
    parser.add_argument(
        "--venue", help="venue name in the known-differences file (default: from OURS)"
    )
    parser.add_argument(
        "--all-extras", action="store_true", help="report every operation only in theirs"
    )
    parser.add_argument("--show-listed", action="store_true", help="show listed differences too")
    args = parser.parse_args(argv)
    try:
        known = load_known(args.known) if args.known else []
    except SpecError as exc:
        print(f"specdiff: {exc}", file=sys.stderr)
        return 2
    worst = 0
    for index, published in enumerate(args.published):
        if index:
            print()
        worst = max(worst, _run_one(args, published, known))
    return worst


def _run_one(args: argparse.Namespace, published: Path, known: list[Known]) -> int:
    try:
        theirs = Spec(published)
        ours = _pick_spec(args.ours, theirs) if args.ours.is_dir() else Spec(args.ours)
        venue = args.venue or ours.path.name.split("-")[0].split(".")[0]
        result = compare(ours, theirs, all_extras=args.all_extras)
    except SpecError as exc:
        print(f"specdiff: {exc}", file=sys.stderr)
        return 2
    except (AttributeError, TypeError, KeyError) as exc:  # a node of the wrong shape
        print(f"specdiff: {published}: malformed OpenAPI document: {exc!r}", file=sys.stderr)
        return 2
    report, status = _render(ours, theirs, venue, result, known, args.show_listed)
    print(report)
    return status


if __name__ == "__main__":
    sys.exit(main())
