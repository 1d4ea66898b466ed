"""``roma-connect instances list`` against the real emulator: outputs parse, exit codes hold."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from collections.abc import Iterator

import pytest
from roma_connect_models import Instance

from roma_connect import cli
from roma_connect._output import csv_columns
from roma_connect.emulator import (
    DEMO_PROJECTS,
    Emulator,
    Fault,
    Settings,
    build,
    demo_instances,
    running,
)

PROJECT = DEMO_PROJECTS[0]
TOKEN = "cli-test-token-0123456789"


@pytest.fixture(scope="module")
def emulator() -> Emulator:
    return build(Settings(seed=300, tokens=[(TOKEN, PROJECT)]))[0]


@pytest.fixture(scope="module")
def url(emulator: Emulator) -> Iterator[str]:
    with running(emulator) as base:
        yield base


@pytest.fixture
def env(url: str, monkeypatch: pytest.MonkeyPatch, emulator: Emulator) -> None:
    monkeypatch.setenv("ROMA_ENDPOINT", url)
    monkeypatch.setenv("ROMA_PROJECT_ID", PROJECT)
    monkeypatch.setenv("ROMA_AUTH_TOKEN", TOKEN)
    emulator.faults.clear()


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    status = cli.main(["instances", "list", *args])
    out, err = capsys.readouterr()
    return status, out, err


EXPECTED = [i for i in demo_instances(300) if i.project_id == PROJECT]


@pytest.mark.usefixtures("env")
def test_json_output_is_the_api_page(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "--limit", "5", "--offset", "2", "--output", "json")
    assert (status, err) == (0, "")
    page = json.loads(out)
    assert (page["total"], page["size"]) == (150, 5)
    assert [i["id"] for i in page["instances"]] == [i.id for i in EXPECTED[2:7]]


@pytest.mark.usefixtures("env")
def test_all_pages_as_csv(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _run(capsys, "--all", "--page-size", "40", "--output", "csv")
    assert (status, err) == (0, "")  # no progress indicator when stderr is not a terminal
    rows = list(csv.DictReader(io.StringIO(out)))
    assert [r["id"] for r in rows] == [i.id for i in EXPECTED]
    assert list(rows[0]) == csv_columns()
    assert "created_user.user_name" in rows[0] and "available_zone_ids" in rows[0]
    first = Instance.model_validate(EXPECTED[0].model_dump())
    assert json.loads(rows[0]["available_zone_ids"]) == first.available_zone_ids


@pytest.mark.usefixtures("env")
def test_csv_columns_are_every_field_of_the_model() -> None:
    flat = {c.split(".")[0] for c in csv_columns()}
    assert flat == set(Instance.model_fields)


@pytest.mark.usefixtures("env")
def test_table_output(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "--status", "RUNNING", "--limit", "3", "--output", "table")
    lines = out.splitlines()
    assert status == 0 and lines[0].split()[:3] == ["ID", "NAME", "STATUS"]
    assert len(lines) == 5 and lines[-1].startswith("3 of ")
    assert all(" RUNNING " in line for line in lines[1:4])


@pytest.mark.usefixtures("env")
def test_default_output_off_a_terminal_is_json(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _run(capsys, "--limit", "1")
    assert status == 0 and json.loads(out)["size"] == 1


@pytest.mark.usefixtures("env")
def test_retries_are_logged_on_stderr_only(
    capsys: pytest.CaptureFixture[str], emulator: Emulator
) -> None:
    emulator.faults.add(Fault(status=503, remaining=1, retry_after=0))
    status, out, err = _run(capsys, "--limit", "2", "--output", "json")
    assert status == 0 and json.loads(out)["size"] == 2
    assert "retry 1 of 2" in err


@pytest.mark.usefixtures("env")
@pytest.mark.parametrize(
    ("args", "code"),
    [
        (["--token", "wrong"], "401 ROMA.00012000"),
        (["--status", "BOGUS"], "400 ROMA.00013000"),
        (["--project-id", DEMO_PROJECTS[1]], "403 ROMA.00012000"),
    ],
)
def test_call_errors_are_one_line_with_code_and_request_id(
    capsys: pytest.CaptureFixture[str], emulator: Emulator, args: list[str], code: str
) -> None:
    status, out, err = _run(capsys, *args)
    assert (status, out) == (1, "")
    assert err.count("\n") == 1 and code in err
    assert f"(request id {emulator.journal.entries()[-1].request_id})" in err


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--all", "--offset", "3"], "--all pages by itself"),
        (["--limit", "0"], "--limit: must be at least 1"),
        (["--output", "xml"], "--output: invalid choice"),
        (["--region", "mars-1"], "--region: invalid choice"),
        (["--endpoint", "http://x", "--region", "cn-north-4"], "not allowed with argument"),
    ],
)
def test_usage_errors_exit_2(
    capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    status, out, err = _run(capsys, *args)
    assert (status, out) == (2, "")
    assert err.count("\n") == 1 and message in err


def test_missing_configuration_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("ROMA_ENDPOINT", "ROMA_REGION", "ROMA_PROJECT_ID", "ROMA_AUTH_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    status, _, err = _run(capsys, "--endpoint", "http://127.0.0.1:9", "--token", "t")
    assert status == 2 and "project id is required" in err


def test_the_demo_runs_the_whole_chain() -> None:
    result = subprocess.run(
        [sys.executable, "-m", "roma_connect.demo", "--output", "json"],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    page = json.loads(result.stdout)
    assert page["total"] == page["size"] == 32  # 30 demo instances + 2 documented examples
    assert "emulator stopped" in result.stderr
