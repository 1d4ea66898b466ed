"""The spec against the source document, row by row.

Every parameter, field, type, enumeration, error response and example that the page documents
must be in ``openapi.yaml`` as the page has it, and the spec must not add fields the page does
not have. The expected values come from the page itself (see ``seed_doc``), so each test id names
the documented row it checks: dropping ``vpc_id`` fails ``test_field[instances.vpc_id]``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from typing import Any

import pytest

from tests import seed_doc
from tests.spec_tools import ROOT, deref, load_spec, operation

DOC = seed_doc.load()
SPEC = load_spec()
OP = operation(SPEC, DOC.method, DOC.path)

# The page's type names, as OpenAPI types.
_SCALARS = {"String": "string", "Integer": "integer", "Boolean": "boolean"}
ASSUMPTION = "Assumption (not in the source doc"
_LOCATIONS = {"Path Parameters": "path", "Query Parameters": "query"}


def _parameter(name: str, location: str) -> dict[str, Any]:
    found: list[dict[str, Any]] = [
        p for p in OP["parameters"] if p["name"] == name and p["in"] == location
    ]
    assert found, f"the {location} parameter {name!r} that the page documents is not in the spec"
    return found[0]


def _assert_type(row: seed_doc.Row, schema: Mapping[str, Any], where: str) -> None:
    if row.type in _SCALARS:
        expected = _SCALARS[row.type]
        assert schema.get("type") == expected, (
            f"{where}: the page says {row.type}, so the spec's type must be {expected!r}, "
            f"not {schema.get('type')!r}"
        )
    elif row.type.startswith("Array of"):
        assert schema.get("type") == "array", f"{where}: the page says {row.type}; not an array"
        items = deref(SPEC, schema["items"])
        item_type = "object" if row.object_name else _SCALARS[row.type.split()[-1][:-1].title()]
        assert items.get("type") == item_type, f"{where}: items must be of type {item_type!r}"
    else:
        assert row.object_name, f"{where}: unknown type in the page: {row.type!r}"
        assert schema.get("type") == "object", f"{where}: the page says {row.type}; not an object"


def _assert_description(row: seed_doc.Row, *schemas: Mapping[str, Any], where: str) -> None:
    texts = " ".join(" ".join(str(s.get("description", "")).split()) for s in schemas)
    assert row.description.lower() in texts.lower(), (
        f"{where}: the description must carry the page's {row.description!r}; it reads {texts!r}"
    )


def _assert_values(row: seed_doc.Row, schema: Mapping[str, Any], where: str) -> None:
    enum = schema.get("enum")
    if not row.values:
        assert enum is None or ASSUMPTION in str(schema.get("description")), (
            f"{where}: the page enumerates no values, the spec has {enum} without saying why"
        )
        return
    assert enum is not None, f"{where}: the page enumerates {list(row.values)}; the spec has none"
    assert sorted(v.lower() for v in enum) == sorted(v.lower() for v in row.values), (
        f"{where}: the spec's values {enum} are not the page's {list(row.values)}"
    )
    if sorted(enum) != sorted(row.values):
        # The page's table and its example may disagree on spelling; the spec may resolve that,
        # but must say so where a reader of the field will see it.
        assert "lower case" in " ".join(str(schema.get("description", "")).split()), (
            f"{where}: the spec spells the values {enum}, the page's table {list(row.values)}; "
            "the description must explain the difference"
        )


def _body_schema(status: int) -> dict[str, Any]:
    response = deref(SPEC, OP["responses"][str(status)])
    schema: dict[str, Any] = deref(SPEC, response["content"]["application/json"]["schema"])
    return schema


def _walk(
    table: seed_doc.Table, prefix: tuple[str, ...] = ()
) -> Iterator[tuple[tuple[str, ...], seed_doc.Row | None, seed_doc.Table]]:
    """(property path, row, table) for a table's rows and those of the object tables they name.

    Each table is also yielded once with row ``None``, at the path of the object it describes.
    """
    yield prefix, None, table
    for row in table.rows:
        yield (*prefix, row.name), row, table
        if row.object_name:
            yield from _walk(DOC.table(row.object_name), (*prefix, row.name))


_BODIES = [
    (status, *entry)
    for status in sorted(DOC.status_codes)
    for entry in _walk(DOC.body_table(status))
]


def _schema_at(status: int, names: tuple[str, ...]) -> tuple[Mapping[str, Any], Mapping[str, Any]]:
    """(property schema as written, dereferenced) at a path of property names in a body."""
    schema: Mapping[str, Any] = _body_schema(status)
    written: Mapping[str, Any] = schema
    for name in names:
        if schema.get("type") == "array":
            schema = deref(SPEC, schema["items"])
        properties = schema.get("properties", {})
        assert name in properties, (
            f"the field {'.'.join(names)} that the page documents for status {status} "
            "is not in the spec"
        )
        written = properties[name]
        schema = deref(SPEC, written)
    return written, schema


def test_reader_sees_the_whole_page() -> None:
    """Guards the reader: if it missed rows, the checks below would pass vacuously."""
    assert [t.number for t in DOC.tables] == list(range(1, 12))
    assert len(DOC.table("instances").rows) == 25
    assert sorted(DOC.examples) == sorted(DOC.status_codes) == [200, 400, 401, 403, 500]


def test_vendored_page_is_the_shared_seed() -> None:
    shared = ROOT.parent / "shared" / "seed" / "querying-instance-list.txt"
    if not shared.exists():
        pytest.skip("no ../shared/seed beside this checkout")
    assert seed_doc.SOURCE.read_bytes() == shared.read_bytes(), (
        "docs/source/querying-instance-list.txt differs from ../shared/seed: re-copy it and "
        "review the spec against the change"
    )


def test_operation() -> None:
    assert DOC.path in SPEC["paths"], f"the spec has no path {DOC.path}"
    assert DOC.method.lower() in SPEC["paths"][DOC.path], f"{DOC.path} has no {DOC.method}"
    assert OP.get("operationId"), "the operation needs an operationId"
    assert OP.get("tags"), "the operation needs a tag"
    assert OP.get("summary") == "Querying instance list"
    assert DOC_FUNCTION in " ".join(OP.get("description", "").split())


DOC_FUNCTION = "This API is used to obtain the list of virtual instances"


@pytest.mark.parametrize(
    ("table", "row"),
    [
        pytest.param(title, row, id=f"{location}.{row.name}")
        for title, location in _LOCATIONS.items()
        for row in DOC.table(title).rows
    ],
)
def test_parameter(table: str, row: seed_doc.Row) -> None:
    where = f"{_LOCATIONS[table]} parameter {row.name}"
    parameter = _parameter(row.name, _LOCATIONS[table])
    assert parameter.get("required", False) is row.mandatory, (
        f"{where}: required must be {row.mandatory}"
    )
    schema = deref(SPEC, parameter["schema"])
    _assert_type(row, schema, where)
    _assert_values(row, schema, where)
    _assert_description(row, parameter, where=where)
    bound = re.search(r"greater than or equal to (\d+)", row.description)
    if bound:
        assert schema.get("minimum") == int(bound.group(1)), f"{where}: the page gives a minimum"


@pytest.mark.parametrize("row", DOC.table("Request header parameters").rows, ids=lambda r: r.name)
def test_header_parameter(row: seed_doc.Row) -> None:
    where = f"header {row.name}"
    parameter = _parameter(row.name, "header")
    assert parameter.get("required", False) is row.mandatory, (
        f"{where}: required must be {row.mandatory}"
    )
    _assert_type(row, deref(SPEC, parameter["schema"]), where)
    _assert_description(row, parameter, where=where)


def test_no_undocumented_parameters() -> None:
    documented = {
        (row.name, location)
        for title, location in [*_LOCATIONS.items(), ("Request header parameters", "header")]
        for row in DOC.table(title).rows
    }
    assert {(p["name"], p["in"]) for p in OP["parameters"]} == documented


@pytest.mark.parametrize(
    ("status", "names", "row"),
    [
        pytest.param(status, names, row, id=f"{status}.{'.'.join(names)}")
        for status, names, row, _ in _BODIES
        if row is not None
    ],
)
def test_field(status: int, names: tuple[str, ...], row: seed_doc.Row) -> None:
    where = f"status {status} field {'.'.join(names)}"
    written, schema = _schema_at(status, names)
    _assert_type(row, schema, where)
    _assert_values(row, schema, where)
    _assert_description(row, written, schema, where=where)


@pytest.mark.parametrize(
    ("status", "names", "table"),
    [
        pytest.param(status, names, table, id=f"{status}.{'.'.join(names) or 'body'}")
        for status, names, row, table in _BODIES
        if row is None
    ],
)
def test_no_undocumented_fields(status: int, names: tuple[str, ...], table: seed_doc.Table) -> None:
    _, schema = _schema_at(status, names)
    if schema.get("type") == "array":
        schema = deref(SPEC, schema["items"])
    assert sorted(schema.get("properties", {})) == sorted(r.name for r in table.rows)


def test_status_codes() -> None:
    documented = {str(code): text for code, text in DOC.status_codes.items()}
    in_spec = {
        code: deref(SPEC, response)["description"] for code, response in OP["responses"].items()
    }
    assert in_spec == documented


@pytest.mark.parametrize("status", sorted(DOC.examples))
def test_example_is_the_page_verbatim(status: int) -> None:
    media = deref(SPEC, OP["responses"][str(status)])["content"]["application/json"]
    values = [deref(SPEC, e)["value"] for e in media.get("examples", {}).values()]
    if "example" in media:
        values.append(media["example"])
    assert DOC.examples[status] in values, (
        f"the {status} response carries no example equal to the page's: {DOC.examples[status]}"
    )


@pytest.mark.parametrize("status", sorted(DOC.status_codes))
def test_every_response_carries_a_request_id_header(status: int) -> None:
    headers = deref(SPEC, OP["responses"][str(status)]).get("headers", {})
    assert "X-Request-Id" in headers
    assert deref(SPEC, headers["X-Request-Id"])["schema"]["type"] == "string"


def test_times_are_date_times() -> None:
    """The page's example shows RFC 3339 times for these; the spec must say so."""
    for name in ("create_time", "update_time"):
        _, schema = _schema_at(200, ("instances", name))
        assert schema.get("format") == "date-time", name


def test_regional_servers() -> None:
    regions = set(SPEC["servers"][0]["variables"]["region"]["enum"])
    assert regions == {
        "cn-north-1", "cn-north-4", "cn-east-3", "cn-east-2",
        "cn-south-1", "ap-southeast-3", "ap-southeast-1", "ru-northwest-2",
    }  # fmt: skip
    assert any(s["url"].startswith("http://127.0.0.1") for s in SPEC["servers"])


def test_assumptions_are_marked() -> None:
    """What the page leaves open and the spec decides is labelled as such where it is decided."""
    marker = ASSUMPTION
    params = {p["name"]: p for p in OP["parameters"]}
    for name in ("offset", "limit"):
        assert marker in params[name]["description"], f"{name}: default/bounds are assumptions"
    header = deref(SPEC, deref(SPEC, OP["responses"]["200"])["headers"]["X-Request-Id"])
    assert marker in header["description"]
    assert marker in SPEC["components"]["schemas"]["FlavorType"]["description"]
