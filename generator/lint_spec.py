"""Check ``openapi.yaml``: its structure, and every example in it against its schema.

openapi-spec-validator checks the structure but does not look at examples, so this module
validates each one itself: media-type, parameter and header examples (inline or ``$ref`` to
``components/examples``) against the schema beside them, and each schema's own ``example``
against that schema, with format checking and ``$ref`` resolved against the whole spec.

Run as ``python -m generator.lint_spec [SPEC]``: one line per problem,
``FILE:LINE: JSON-POINTER: reason``, and exit status 1 when there is any.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from jsonschema import Draft4Validator
from jsonschema.exceptions import ValidationError, best_match
from openapi_schema_validator import OAS30Validator, oas30_format_checker
from openapi_spec_validator import OpenAPIV30SpecValidator
from openapi_spec_validator.schemas import schema_v30
from referencing import Registry
from referencing.jsonschema import DRAFT4

DEFAULT_SPEC = Path(__file__).resolve().parent.parent / "openapi.yaml"

# Where the spec lives inside the reference registry; "#/..." refs in it resolve against this.
_SPEC_URI = "urn:roma-connect:openapi"

# Keywords whose values are schemas (or lists / maps of schemas) in an OpenAPI 3.0 Schema Object.
_SCHEMA_KEYWORDS = ("items", "not", "additionalProperties")
_SCHEMA_LIST_KEYWORDS = ("allOf", "anyOf", "oneOf")


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the spec: where (JSON pointer, YAML line) and why."""

    line: int
    pointer: str
    reason: str

    def format(self, path: Path | str) -> str:
        """Render as one ``FILE:LINE: POINTER: reason`` line."""
        return f"{path}:{self.line}: {self.pointer}: {self.reason}"


def escape(token: str | int) -> str:
    """Escape one JSON-pointer reference token (RFC 6901)."""
    return str(token).replace("~", "~0").replace("/", "~1")


def unescape(token: str) -> str:
    """Undo :func:`escape`."""
    return token.replace("~1", "/").replace("~0", "~")


def join(pointer: str, *tokens: str | int) -> str:
    """Append reference tokens to a ``#/...`` pointer."""
    return pointer + "".join("/" + escape(t) for t in tokens)


class LineIndex:
    """Maps JSON pointers in a YAML document to 1-based line numbers."""

    def __init__(self, text: str) -> None:
        self._root = yaml.compose(text)

    def line(self, pointer: str) -> int:
        """Line of the deepest node that ``pointer`` reaches (1 if none)."""
        node = self._root
        if node is None:
            return 1
        line = node.start_mark.line + 1
        for token in (unescape(t) for t in pointer.lstrip("#").split("/")[1:]):
            if isinstance(node, yaml.MappingNode):
                found = [(k, v) for k, v in node.value if k.value == token]
                if not found:
                    break
                key, node = found[0]
                line = key.start_mark.line + 1
            elif isinstance(node, yaml.SequenceNode) and token.isdigit():
                if int(token) >= len(node.value):
                    break
                node = node.value[int(token)]
                line = node.start_mark.line + 1
            else:
                break
        return line


def resolve_pointer(spec: Mapping[str, Any], pointer: str) -> Any:
    """The value at a local ``#/...`` pointer; raises KeyError/IndexError when absent."""
    node: Any = spec
    for token in (unescape(t) for t in pointer.lstrip("#").split("/")[1:]):
        node = node[int(token)] if isinstance(node, list) else node[token]
    return node


def dangling_refs(
    node: Any, spec: Mapping[str, Any], pointer: str = "#"
) -> Iterator[tuple[str, str]]:
    """(pointer, reason) for each local ``$ref`` that points nowhere, and each non-local one."""
    if isinstance(node, Mapping):
        ref = node.get("$ref")
        if isinstance(ref, str):
            if not ref.startswith("#/"):
                yield join(pointer, "$ref"), f"only local references are allowed, not {ref!r}"
            else:
                if not _resolves(spec, ref):
                    yield join(pointer, "$ref"), f"reference {ref!r} points nowhere"
        for key, value in node.items():
            yield from dangling_refs(value, spec, join(pointer, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from dangling_refs(value, spec, join(pointer, index))


def _resolves(spec: Mapping[str, Any], pointer: str) -> bool:
    try:
        resolve_pointer(spec, pointer)
    except (KeyError, IndexError, ValueError, TypeError):
        return False
    return True


def structural_problems(spec: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(pointer, reason) for each violation of the OpenAPI 3.0 schema, then of its semantics.

    The schema check runs first, with jsonschema itself, because its errors keep their oneOf
    branches (see :func:`_closest_branch`); openapi-spec-validator's semantic checks (path
    parameters declared, defaults valid, ...) run only on a schema-valid document.
    """
    schema_errors = list(Draft4Validator(schema_v30).iter_errors(spec))
    for error in schema_errors:
        detail = _closest_branch(error)
        yield join("#", *detail.absolute_path), _shorten(detail.message)
    if schema_errors:
        return
    for error in OpenAPIV30SpecValidator(spec).iter_errors():
        yield join("#", *error.absolute_path), _shorten(error.message)


def _closest_branch(error: ValidationError) -> ValidationError:
    """For "not valid under any of the given schemas": the failure in the branch that came closest.

    A oneOf/anyOf error alone says nothing useful; the branch with the fewest failures (never the
    Reference Object branch, when the object is no reference) is the one the author most likely
    meant, and its first failure is what to fix.
    """
    while error.context:
        branches: dict[str | int, list[ValidationError]] = {}
        for sub in error.context:
            branches.setdefault(sub.schema_path[0], []).append(sub)
        candidates = [errs for errs in branches.values() if not _is_ref_branch(errs)]
        closest: list[ValidationError] = min(candidates or list(branches.values()), key=len)
        error = best_match(closest)
    return error


def _is_ref_branch(errors: list[ValidationError]) -> bool:
    """True for the branch of a Reference Object that the instance is not."""
    return any(e.validator == "required" and "'$ref'" in e.message for e in errors)


def _shorten(message: str, limit: int = 200) -> str:
    """One line, at most ``limit`` characters (messages may embed a whole object's repr)."""
    message = " ".join(message.split())
    return message if len(message) <= limit else message[: limit - 1] + "…"


def _iter_schemas(node: Any, pointer: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Every Schema Object at and below ``node`` (not following ``$ref``)."""
    if not isinstance(node, Mapping) or "$ref" in node:
        return
    yield pointer, node
    for name, sub in (node.get("properties") or {}).items():
        yield from _iter_schemas(sub, join(pointer, "properties", name))
    for keyword in _SCHEMA_KEYWORDS:
        yield from _iter_schemas(node.get(keyword), join(pointer, keyword))
    for keyword in _SCHEMA_LIST_KEYWORDS:
        for index, sub in enumerate(node.get(keyword) or []):
            yield from _iter_schemas(sub, join(pointer, keyword, index))


def _iter_schema_holders(node: Any, pointer: str) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """Media Type, Parameter and Header Objects: every object with a ``schema`` member.

    Schema Objects are not searched (a property may well be called ``schema`` or ``example``);
    :func:`_iter_schemas` walks them.
    """
    if isinstance(node, Mapping):
        if isinstance(node.get("schema"), Mapping):
            yield pointer, node
        for key, value in node.items():
            if key == "schema" or (pointer == "#/components" and key == "schemas"):
                continue
            yield from _iter_schema_holders(value, join(pointer, key))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from _iter_schema_holders(value, join(pointer, index))


def _named_examples(
    spec: Mapping[str, Any], holder: Mapping[str, Any], pointer: str
) -> Iterator[tuple[str, Any]]:
    """(pointer of the example's value, value) for each example of a holder.

    ``$ref``s into ``components/examples`` are followed, so a problem is reported where the
    example's value is written.
    """
    if "example" in holder:
        yield join(pointer, "example"), holder["example"]
    for name, example in (holder.get("examples") or {}).items():
        where = join(pointer, "examples", name)
        if isinstance(example, Mapping) and "$ref" in example:
            where = example["$ref"]
            example = resolve_pointer(spec, where)
        if isinstance(example, Mapping) and "value" in example:
            yield join(where, "value"), example["value"]


def validator_for(spec: Mapping[str, Any], schema_pointer: str) -> OAS30Validator:
    """A validator (formats checked, refs resolved in ``spec``) of the schema at a pointer."""
    registry: Registry[Any] = Registry().with_resource(_SPEC_URI, DRAFT4.create_resource(spec))
    return OAS30Validator(
        {"$ref": _SPEC_URI + schema_pointer},
        format_checker=oas30_format_checker,
        registry=registry,
    )


def example_problems(spec: Mapping[str, Any]) -> Iterator[tuple[str, str]]:
    """(pointer, reason) for each example that its schema rejects."""
    checks: list[tuple[str, Any, str]] = []  # (example value pointer, value, schema pointer)
    schema_roots = [
        (join("#/components/schemas", name), schema)
        for name, schema in ((spec.get("components") or {}).get("schemas") or {}).items()
    ]
    for pointer, holder in _iter_schema_holders(spec, "#"):
        schema = holder["schema"]
        if "$ref" in schema:
            schema_pointer = schema["$ref"]
        else:
            schema_pointer = join(pointer, "schema")
            schema_roots.append((schema_pointer, schema))
        for value_pointer, value in _named_examples(spec, holder, pointer):
            checks.append((value_pointer, value, schema_pointer))
    for root_pointer, root in schema_roots:
        for pointer, schema in _iter_schemas(root, root_pointer):
            if "example" in schema:
                checks.append((join(pointer, "example"), schema["example"], pointer))
    for value_pointer, value, schema_pointer in checks:
        for error in validator_for(spec, schema_pointer).iter_errors(value):
            yield (
                join(value_pointer, *error.absolute_path),
                f"example does not match {schema_pointer}: {_shorten(error.message)}",
            )


def check(path: Path) -> list[Problem]:
    """Every problem found in the spec at ``path``, sorted by line."""
    text = path.read_text(encoding="utf-8")
    try:
        spec = yaml.safe_load(text)
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = mark.line + 1 if mark is not None else 1
        reason = " ".join(str(error).split())
        return [Problem(line, "#", f"not valid YAML: {reason}")]
    if not isinstance(spec, dict):
        return [Problem(1, "#", "the document is not a YAML mapping")]
    lines = LineIndex(text)
    # Each stage needs the previous one clean: the validators cannot follow a dangling $ref,
    # and examples of a structurally broken spec cannot be located reliably.
    found = list(dangling_refs(spec, spec))
    if not found:
        found = list(structural_problems(spec))
        # openapi-spec-validator also checks each schema on its own and then reports paths
        # relative to that schema; such a duplicate of a located problem only confuses.
        located = [(p, r) for p, r in found if _resolves(spec, p)]
        found = located or found
    if not found:
        found = list(example_problems(spec))
    return sorted({Problem(lines.line(p), p, r) for p, r in found})


def main(argv: Sequence[str] | None = None) -> int:
    """Command-line entry point; returns the exit status."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("spec", nargs="?", type=Path, default=DEFAULT_SPEC)
    args = parser.parse_args(argv)
    try:
        problems = check(args.spec)
    except OSError as error:
        print(f"{args.spec}: cannot read: {error.strerror}", file=sys.stderr)
        return 1
    shown = args.spec.relative_to(Path.cwd()) if args.spec.is_relative_to(Path.cwd()) else args.spec
    for problem in problems:
        print(problem.format(shown))
    if problems:
        print(f"{shown}: {len(problems)} problem(s)", file=sys.stderr)
        return 1
    print(f"{shown}: structure and examples valid")
    return 0


if __name__ == "__main__":
    sys.exit(main())
