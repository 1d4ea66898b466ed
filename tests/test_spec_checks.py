"""The spec checks (``make lint-spec``) pass on the spec and catch planted defects.

Each planted defect is a text edit of ``openapi.yaml``; the test asserts that the edit applies
(so it cannot silently turn into a no-op when the spec changes) and that the checker names the
place and the reason.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from generator import lint_spec
from tests.spec_tools import ROOT, SPEC_PATH

REDOCLY = ROOT / "node_modules" / ".bin" / "redocly"


def plant(tmp_path: Path, old: str, new: str, *, count: int = 1) -> Path:
    """A copy of the spec with ``old`` replaced by ``new`` (which must occur ``count`` times)."""
    text = SPEC_PATH.read_text(encoding="utf-8")
    assert text.count(old) == count, f"the planted edit no longer applies: {old!r}"
    path = tmp_path / "openapi.yaml"
    path.write_text(text.replace(old, new), encoding="utf-8")
    return path


def test_spec_is_clean() -> None:
    assert [p.format(SPEC_PATH.name) for p in lint_spec.check(SPEC_PATH)] == []


@pytest.mark.parametrize(
    ("old", "new", "pointer", "reason"),
    [
        pytest.param(
            '"maintain_begin" : "22:00:00"',
            '"maintain_begin" : 22:00:00',
            "#/components/examples/ListInstancesOk/value/instances/0/maintain_begin",
            "79200 is not of type 'string'",
            id="unquoted-time-in-media-example",
        ),
        pytest.param(
            'example: "22:00:00"',
            "example: 22:00:00",
            "#/components/schemas/Instance/properties/maintain_begin/example",
            "79200 is not of type 'string'",
            id="unquoted-time-in-schema-example",
        ),
        pytest.param(
            '"flavor_type" : "basic"',
            '"flavor_type" : "Basic"',
            "#/components/examples/ListInstancesOk/value/instances/0/flavor_type",
            "'Basic' is not one of",
            id="example-outside-enum",
        ),
        pytest.param(
            '"create_time" : "2019-12-06T06:49:04Z"',
            '"create_time" : "2019-12-06 06:49"',
            "#/components/examples/ListInstancesOk/value/instances/0/create_time",
            "is not a 'date-time'",
            id="example-bad-date-time",
        ),
        pytest.param(
            '"error_code" : "ROMA.00011000",\n',
            "",
            "#/components/examples/InternalServerError/value",
            "'error_code' is a required property",
            id="example-missing-required",
        ),
        pytest.param(
            "      example: 20\n",
            "      example: 0\n",
            "#/components/parameters/Limit/example",
            "0 is less than the minimum of 1",
            id="parameter-example-below-minimum",
        ),
        pytest.param(
            '          example: "0"\n',
            "          example: 0\n",
            "#/components/schemas/Instance/properties/enterprise_project_id/example",
            "0 is not of type 'string'",
            id="unquoted-number-in-schema-example",
        ),
        pytest.param(
            '$ref: "#/components/schemas/CpuArch"',
            '$ref: "#/components/schemas/CpuArchitecture"',
            "#/components/schemas/Instance/properties/cpu_arch/$ref",
            "points nowhere",
            id="dangling-ref",
        ),
        pytest.param(
            "      name: offset\n      in: query\n",
            "      name: offset\n      in: querystring\n",
            "#/components/parameters/Offset/in",
            "'querystring' is not one of ['query']",
            id="structural",
        ),
        pytest.param(
            "  /v2/{project_id}/instances:",
            "  /v2/{projectId}/instances:",
            "#",  # openapi-spec-validator's semantic errors carry no location; the reason does
            "Path parameter 'projectId'",
            id="semantic-undeclared-path-parameter",
        ),
    ],
)
def test_planted_defect_is_reported(
    tmp_path: Path, old: str, new: str, pointer: str, reason: str
) -> None:
    problems = lint_spec.check(plant(tmp_path, old, new))
    assert any(p.pointer == pointer and reason in p.reason for p in problems), [
        p.format("openapi.yaml") for p in problems
    ]


def test_command_prints_one_line_per_problem(tmp_path: Path) -> None:
    broken = plant(tmp_path, '"flavor_type" : "basic"', '"flavor_type" : "Basic"')
    broken.write_text(broken.read_text().replace("example: RUNNING", "example: running"))
    result = subprocess.run(
        [sys.executable, "-m", "generator.lint_spec", str(broken)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=False,
    )
    assert result.returncode == 1
    lines = result.stdout.splitlines()
    assert len(lines) == 2, result.stdout
    for line in lines:
        assert re.fullmatch(rf"{re.escape(str(broken))}:\d+: #\S*: .+", line), line
    assert "Traceback" not in result.stderr


def _redocly(spec: Path) -> subprocess.CompletedProcess[str]:
    if not REDOCLY.exists():
        pytest.fail("Redocly CLI is not installed: run `make setup` (npm ci) first")
    env = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
    config = ROOT / "generator" / "redocly.yaml"
    return subprocess.run(
        [str(REDOCLY), "lint", str(spec), "--config", str(config), "--format=stylish"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )


def test_redocly_recommended_is_clean() -> None:
    result = _redocly(SPEC_PATH)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "warning" not in result.stdout, result.stdout


def test_redocly_catches_a_planted_defect(tmp_path: Path) -> None:
    broken = plant(tmp_path, "      summary: Querying instance list\n", "")
    result = _redocly(broken)
    assert result.returncode != 0
    assert "operation-summary" in result.stdout, result.stdout
