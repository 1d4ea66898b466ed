"""``make breaking``: does ``openapi.yaml`` break clients generated from an earlier version?

A focused checker for what this description can change. The established tools were tried
first and do not do the job here (see README, "Breaking-change gate"): Atlassian's openapi-diff
misses narrowed request constraints, removed enum values and newly required parameters; Optic
crashes on this machine's Node.js 20; oasdiff is a Go module and openapi-changes downloads a
binary at install time, neither reachable from here.

Both versions are dereferenced, then compared operation by operation. A change breaks clients
when a client that worked against the old version can fail against the new one:

- requests: an operation, parameter or media type removed; a parameter newly required; a
  type or format changed; a constraint narrowed (enum value removed, minimum raised, maximum
  lowered or added, length or pattern tightened, nullable dropped);
- responses: a success status or media type removed; a member removed or no longer required;
  a type or format changed; nullable added.

Adding an enum value to a response is reported as a warning: the clients generated here keep
unknown values (open enums), strict clients in other languages may not.

Unless the new ``info.version`` has a higher major version than the old one, any breaking
change fails the check (exit status 1), one line per change.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = "openapi.yaml"
METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")
Direction = Literal["request", "response"]


@dataclass(frozen=True, order=True)
class Change:
    """One difference that matters to clients."""

    severity: Literal["breaking", "warning"]
    where: str
    what: str

    def __str__(self) -> str:
        return f"{self.severity.upper()}: {self.where}: {self.what}"


def deref(spec: Mapping[str, Any]) -> Any:
    """The spec with every local ``$ref`` replaced by its target (cycles are left as refs)."""

    def resolve(ref: str) -> Any:
        node: Any = spec
        for token in ref.removeprefix("#/").split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
        return node

    def walk(node: Any, seen: tuple[str, ...]) -> Any:
        if isinstance(node, Mapping):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/"):
                return node if ref in seen else walk(resolve(ref), (*seen, ref))
            return {key: walk(value, seen) for key, value in node.items()}
        if isinstance(node, list):
            return [walk(item, seen) for item in node]
        return node

    return walk(spec, ())


def _major(spec: Mapping[str, Any]) -> int:
    version = str(spec.get("info", {}).get("version", "0"))
    try:
        return int(version.split(".")[0])
    except ValueError:
        return 0


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else None


def compare_schemas(old: Any, new: Any, where: str, direction: Direction) -> Iterator[Change]:
    """Changes between two (dereferenced) schemas, judged for one direction of travel."""
    if not isinstance(old, Mapping) or not isinstance(new, Mapping):
        return
    request = direction == "request"

    def breaking(what: str) -> Change:
        return Change("breaking", where, what)

    if old.get("type") != new.get("type") and old.get("type") is not None:
        yield breaking(f"type changed from {old.get('type')} to {new.get('type')}")
        return
    if old.get("format") != new.get("format") and (old.get("format") or request):
        yield breaking(f"format changed from {old.get('format')} to {new.get('format')}")

    old_enum, new_enum = old.get("enum"), new.get("enum")
    if request:
        if old_enum is None and new_enum is not None:
            yield breaking(f"values restricted to {new_enum}")
        elif old_enum is not None and new_enum is not None:
            for value in old_enum:
                if value not in new_enum:
                    yield breaking(f"enum value {value!r} removed")
    elif new_enum is not None:
        for value in new_enum:
            if old_enum is not None and value not in old_enum:
                yield Change(
                    "warning", where, f"enum value {value!r} added (strict clients may reject it)"
                )

    if request:
        yield from _narrowed(old, new, breaking)
        if old.get("nullable") and not new.get("nullable"):
            yield breaking("no longer nullable")
    elif new.get("nullable") and not old.get("nullable"):
        yield breaking("may now be null")

    old_props, new_props = old.get("properties") or {}, new.get("properties") or {}
    old_required, new_required = set(old.get("required") or []), set(new.get("required") or [])
    for name, old_prop in old_props.items():
        member = f"{where}.{name}"
        if name not in new_props:
            yield Change("breaking", member, "removed")
            continue
        if not request and name in old_required and name not in new_required:
            yield Change("breaking", member, "no longer required (clients may rely on it)")
        yield from compare_schemas(old_prop, new_props[name], member, direction)
    if request:
        for name in sorted(new_required - old_required):
            yield Change("breaking", f"{where}.{name}", "newly required")
        if (
            new.get("additionalProperties") is False
            and old.get("additionalProperties") is not False
        ):
            yield breaking("additional members no longer allowed")
    if "items" in old and "items" in new:
        yield from compare_schemas(old["items"], new["items"], f"{where}[]", direction)
    for keyword in ("allOf", "anyOf", "oneOf"):
        for index, (a, b) in enumerate(
            zip(old.get(keyword) or [], new.get(keyword) or [], strict=False)
        ):
            yield from compare_schemas(a, b, f"{where}({keyword}[{index}])", direction)


def _narrowed(old: Mapping[str, Any], new: Mapping[str, Any], breaking: Any) -> Iterator[Change]:
    """Request-side constraints that accept less than before."""
    for keyword in ("minimum", "minLength", "minItems", "minProperties"):
        before, after = _number(old.get(keyword)), _number(new.get(keyword))
        if after is not None and before is None:
            yield breaking(f"{keyword} {new[keyword]} added")
        elif after is not None and before is not None and after > before:
            yield breaking(f"{keyword} raised from {old[keyword]} to {new[keyword]}")
    for keyword in ("maximum", "maxLength", "maxItems", "maxProperties"):
        before, after = _number(old.get(keyword)), _number(new.get(keyword))
        if after is not None and before is None:
            yield breaking(f"{keyword} {new[keyword]} added")
        elif after is not None and before is not None and after < before:
            yield breaking(f"{keyword} lowered from {old[keyword]} to {new[keyword]}")
    for keyword in ("exclusiveMinimum", "exclusiveMaximum", "uniqueItems"):
        if new.get(keyword) and not old.get(keyword):
            yield breaking(f"{keyword} added")
    if new.get("pattern") and new.get("pattern") != old.get("pattern"):
        yield breaking(f"pattern changed to {new.get('pattern')!r}")


def _parameters(
    path_item: Mapping[str, Any], operation: Mapping[str, Any]
) -> dict[tuple[str, str], Any]:
    merged = {(p["in"], p["name"]): p for p in path_item.get("parameters") or []}
    merged.update({(p["in"], p["name"]): p for p in operation.get("parameters") or []})
    return merged


def _content_schemas(holder: Mapping[str, Any]) -> dict[str, Any]:
    return {media: body.get("schema") for media, body in (holder.get("content") or {}).items()}


def compare(old_spec: Mapping[str, Any], new_spec: Mapping[str, Any]) -> list[Change]:
    """Every client-relevant change from ``old_spec`` to ``new_spec``."""
    old, new = deref(old_spec), deref(new_spec)
    changes: list[Change] = []
    for path, old_item in (old.get("paths") or {}).items():
        new_item = (new.get("paths") or {}).get(path)
        for method in METHODS:
            if method not in old_item:
                continue
            operation = f"{method.upper()} {path}"
            if new_item is None or method not in new_item:
                changes.append(Change("breaking", operation, "operation removed"))
                continue
            old_op, new_op = old_item[method], new_item[method]
            changes += _compare_parameters(operation, old_item, old_op, new_item, new_op)
            changes += _compare_bodies(operation, old_op, new_op)
            changes += _compare_responses(operation, old_op, new_op)
    return sorted(set(changes))


def _compare_parameters(
    operation: str,
    old_item: Mapping[str, Any],
    old_op: Mapping[str, Any],
    new_item: Mapping[str, Any],
    new_op: Mapping[str, Any],
) -> Iterator[Change]:
    old_params = _parameters(old_item, old_op)
    new_params = _parameters(new_item, new_op)
    for key, old_param in old_params.items():
        where = f"{operation}: {key[0]} parameter {key[1]!r}"
        if key not in new_params:
            yield Change("breaking", where, "removed (or renamed)")
            continue
        new_param = new_params[key]
        if new_param.get("required") and not old_param.get("required"):
            yield Change("breaking", where, "newly required")
        yield from compare_schemas(
            old_param.get("schema"), new_param.get("schema"), where, "request"
        )
    for key, new_param in new_params.items():
        if key not in old_params and new_param.get("required"):
            where = f"{operation}: {key[0]} parameter {key[1]!r}"
            yield Change("breaking", where, "new required parameter")


def _compare_bodies(
    operation: str, old_op: Mapping[str, Any], new_op: Mapping[str, Any]
) -> Iterator[Change]:
    old_body, new_body = old_op.get("requestBody"), new_op.get("requestBody")
    if new_body and new_body.get("required") and not (old_body and old_body.get("required")):
        yield Change("breaking", f"{operation}: request body", "newly required")
    if not old_body:
        return
    new_schemas = _content_schemas(new_body or {})
    for media, schema in _content_schemas(old_body).items():
        where = f"{operation}: request body {media}"
        if media not in new_schemas:
            yield Change("breaking", where, "media type removed")
        else:
            yield from compare_schemas(schema, new_schemas[media], where, "request")


def _compare_responses(
    operation: str, old_op: Mapping[str, Any], new_op: Mapping[str, Any]
) -> Iterator[Change]:
    new_responses = new_op.get("responses") or {}
    for status, old_response in (old_op.get("responses") or {}).items():
        where = f"{operation}: response {status}"
        if status not in new_responses:
            if str(status).startswith("2"):
                yield Change("breaking", where, "removed")
            continue
        new_schemas = _content_schemas(new_responses[status])
        for media, schema in _content_schemas(old_response).items():
            if media not in new_schemas:
                yield Change("breaking", f"{where} {media}", "media type removed")
            else:
                yield from compare_schemas(schema, new_schemas[media], f"{where} body", "response")


def _git(*args: str) -> str | None:
    result = subprocess.run(["git", *args], cwd=ROOT, capture_output=True, text=True, check=False)
    return result.stdout if result.returncode == 0 else None


def default_base() -> tuple[str, str]:
    """(git revision, why): the latest release tag, else the previous commit."""
    tags = _git("tag", "--list", "v[0-9]*", "--sort=-version:refname")
    if tags and tags.split():
        return tags.split()[0], "the latest release tag"
    return "HEAD~1", "the previous commit; there is no release tag yet"


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", help="git revision to compare with (default: see README)")
    parser.add_argument("--old", type=Path, help="compare with this file instead of a revision")
    parser.add_argument("--new", type=Path, default=ROOT / SPEC)
    args = parser.parse_args(argv)

    if args.old is not None:
        old_text, label = args.old.read_text(encoding="utf-8"), str(args.old)
    else:
        base, why = (args.base, "BASE") if args.base else default_base()
        shown = _git("show", f"{base}:{SPEC}")
        if shown is None:
            print(f"breaking: no {SPEC} at {base} ({why}); nothing to compare with")
            return 0
        old_text, label = shown, f"{base}, {why}"
    old_spec = yaml.safe_load(old_text)
    new_spec = yaml.safe_load(args.new.read_text(encoding="utf-8"))
    changes = compare(old_spec, new_spec)
    for change in changes:
        print(change)
    broken = [c for c in changes if c.severity == "breaking"]
    old_version, new_version = old_spec["info"]["version"], new_spec["info"]["version"]
    versions = f"{old_version} -> {new_version}, compared with {label}"
    if broken and _major(new_spec) <= _major(old_spec):
        print(
            f"breaking: {len(broken)} breaking change(s) without a major version bump ({versions})",
            file=sys.stderr,
        )
        return 1
    verdict = "allowed by the major version bump" if broken else "no breaking changes"
    print(f"breaking: {verdict} ({versions})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
