"""The breaking-change gate against planted changes to the spec (and changes that are fine)."""

from __future__ import annotations

import copy
from collections.abc import Callable
from typing import Any

import pytest

from generator import breaking
from tests.spec_tools import load_spec

SPEC = load_spec()
PATH = "/v2/{project_id}/instances"
OP = f"GET {PATH}"


def _changed(edit: Callable[[dict[str, Any]], None]) -> dict[str, Any]:
    new = copy.deepcopy(SPEC)
    edit(new)
    return new


def _schemas(spec: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = spec["components"]["schemas"]
    return schemas


def _params(spec: dict[str, Any]) -> dict[str, Any]:
    params: dict[str, Any] = spec["components"]["parameters"]
    return params


PLANTED = [
    (
        "removed response field",
        lambda s: _schemas(s)["Instance"]["properties"].pop("vpc_id"),
        f"BREAKING: {OP}: response 200 body.instances[].vpc_id: removed",
    ),
    (
        "renamed response field",
        lambda s: _schemas(s)["Instance"]["properties"].update(
            vpcId=_schemas(s)["Instance"]["properties"].pop("vpc_id")
        ),
        f"BREAKING: {OP}: response 200 body.instances[].vpc_id: removed",
    ),
    (
        "removed query parameter",
        lambda s: s["paths"][PATH]["get"]["parameters"].pop(0),
        f"BREAKING: {OP}: query parameter 'status': removed (or renamed)",
    ),
    (
        "enum value a client may send removed",
        lambda s: _schemas(s)["InstanceStatus"]["enum"].remove("SOFT_DELETED"),
        f"BREAKING: {OP}: query parameter 'status': enum value 'SOFT_DELETED' removed",
    ),
    (
        "type change",
        lambda s: _schemas(s)["ListInstancesResponse"]["properties"]["total"].update(type="string"),
        f"BREAKING: {OP}: response 200 body.total: type changed from integer to string",
    ),
    (
        "new required parameter",
        lambda s: s["paths"][PATH]["get"]["parameters"].append(
            {"name": "region", "in": "query", "required": True, "schema": {"type": "string"}}
        ),
        f"BREAKING: {OP}: query parameter 'region': new required parameter",
    ),
    (
        "optional parameter made required",
        lambda s: _params(s)["Limit"].update(required=True),
        f"BREAKING: {OP}: query parameter 'limit': newly required",
    ),
    (
        "narrowed request constraint",
        lambda s: _params(s)["Limit"]["schema"].update(maximum=100),
        f"BREAKING: {OP}: query parameter 'limit': maximum 100 added",
    ),
    (
        "raised minimum",
        lambda s: _params(s)["Offset"]["schema"].update(minimum=1),
        f"BREAKING: {OP}: query parameter 'offset': minimum raised from 0 to 1",
    ),
    (
        "response member no longer required",
        lambda s: _schemas(s)["Instance"]["required"].remove("status"),
        f"BREAKING: {OP}: response 200 body.instances[].status: no longer required",
    ),
    (
        "operation removed",
        lambda s: s["paths"].pop(PATH),
        f"BREAKING: {OP}: operation removed",
    ),
]


@pytest.mark.parametrize(("name", "edit", "line"), PLANTED, ids=[p[0] for p in PLANTED])
def test_planted_breaking_change_is_named(
    name: str, edit: Callable[[dict[str, Any]], None], line: str
) -> None:
    changes = breaking.compare(SPEC, _changed(edit))
    assert any(str(c).startswith(line) for c in changes), [str(c) for c in changes]
    assert any(c.severity == "breaking" for c in changes)


@pytest.mark.parametrize(
    "edit",
    [
        lambda s: _schemas(s)["Instance"]["properties"].update(ipv6_enable={"type": "boolean"}),
        lambda s: s["paths"][PATH]["get"]["parameters"].append(
            {"name": "name", "in": "query", "schema": {"type": "string"}}
        ),
        lambda s: _params(s)["Offset"]["schema"].pop("minimum"),  # widened
        lambda s: s["info"].update(description="reworded"),
    ],
    ids=["new response member", "new optional parameter", "widened constraint", "docs only"],
)
def test_compatible_changes_pass(edit: Callable[[dict[str, Any]], None]) -> None:
    assert [c for c in breaking.compare(SPEC, _changed(edit)) if c.severity == "breaking"] == []


def test_a_new_response_enum_value_is_a_warning() -> None:
    changes = breaking.compare(
        SPEC, _changed(lambda s: _schemas(s)["CpuArch"]["enum"].append("riscv64"))
    )
    assert [(c.severity, c.what) for c in changes] == [
        ("warning", "enum value 'riscv64' added (strict clients may reject it)")
    ]


def test_the_gate_fails_unless_the_major_version_is_bumped(
    tmp_path: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    import yaml

    old = tmp_path / "old.yaml"
    old.write_text(yaml.safe_dump(SPEC))
    broken = _changed(lambda s: _schemas(s)["Instance"]["properties"].pop("vpc_id"))
    new = tmp_path / "new.yaml"
    new.write_text(yaml.safe_dump(broken))
    assert breaking.main(["--old", str(old), "--new", str(new)]) == 1
    out, err = capsys.readouterr()
    assert "vpc_id: removed" in out and "without a major version bump" in err
    broken["info"]["version"] = "2.0.0"
    new.write_text(yaml.safe_dump(broken))
    assert breaking.main(["--old", str(old), "--new", str(new)]) == 0
    assert "allowed by the major version bump" in capsys.readouterr().out


def test_the_spec_has_no_breaking_changes_against_itself() -> None:
    assert breaking.compare(SPEC, SPEC) == []
