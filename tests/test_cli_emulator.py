"""``roma-connect emulator`` as a user runs it: a real process, real signals, a real SQLite file."""

from __future__ import annotations

import signal
import subprocess
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import httpx
import pytest

from roma_connect.emulator import DEMO_PROJECTS

COMMAND = [sys.executable, "-m", "roma_connect.cli", "emulator"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*COMMAND, *args], capture_output=True, text=True, timeout=30, check=False
    )


@contextmanager
def _emulator(*args: str) -> Iterator[tuple[subprocess.Popen[str], dict[str, str]]]:
    """A running emulator process and the banner it printed (key -> value)."""
    process = subprocess.Popen(
        [*COMMAND, "--port", "0", *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert process.stdout is not None
    banner: dict[str, str] = {}
    try:
        for line in process.stdout:
            key, _, value = line.strip().partition(": ")
            banner[key.strip()] = value.strip()
            if key.startswith("admin API"):
                break
        yield process, banner
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(timeout=10)


def _bad_fixtures(tmp_path: Path) -> str:
    path = tmp_path / "bad.yaml"
    path.write_text("- {id: x, name: y, status: RUNNING}\n")  # no project_id
    return str(path)


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--port", "x"], "--port: not a port number"),
        (["--port", "70000"], "--port: port must be 0 to 65535"),
        (["--seed", "-1"], "--seed: must not be negative"),
        (["--token", "no-project"], "--token: expected TOKEN:PROJECT_ID"),
        (["--aksk", "ak:sk"], "--aksk: expected AK:SK:PROJECT_ID"),
        (["--auth", "magic"], "--auth: expected token, aksk, token,aksk or off"),
        (["--nope"], "unrecognized arguments: --nope"),
        (["--fixtures", "/no/such/file.yaml"], "cannot read"),
        (["--db", "/no/such/dir/x.sqlite"], "--db /no/such/dir/x.sqlite"),
        (["--fixtures", "BAD"], "instance 0: project_id is required"),
    ],
)
def test_bad_flags_are_one_line_and_exit_2(tmp_path: Path, args: list[str], expected: str) -> None:
    args = [_bad_fixtures(tmp_path) if a == "BAD" else a for a in args]
    result = _run(*args)
    assert result.returncode == 2, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert expected in lines[0] and "Traceback" not in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize("stop", [signal.SIGTERM, signal.SIGINT])
def test_starts_prints_how_to_call_it_and_stops_cleanly(stop: signal.Signals) -> None:
    with _emulator("--seed", "10") as (process, banner):
        assert banner["project id"] == DEMO_PROJECTS[0]
        url = f"{banner['base URL']}/v2/{banner['project id']}/instances"
        response = httpx.get(url, headers={"X-Auth-Token": banner["token"]})
        assert response.status_code == 200 and response.json()["total"] == 5
        process.send_signal(stop)
        assert process.wait(timeout=15) == 0
        assert process.stdout is not None
        assert "roma-connect emulator: stopped" in process.stdout.read()


def test_a_file_database_keeps_its_data_across_restarts(tmp_path: Path) -> None:
    db = str(tmp_path / "emulator.sqlite")
    token = f"tok:{DEMO_PROJECTS[1]}"
    for args in (["--seed", "30"], []):
        with _emulator("--db", db, "--token", token, *args) as (process, banner):
            assert banner["project id"] == DEMO_PROJECTS[1]
            url = f"{banner['base URL']}/v2/{DEMO_PROJECTS[1]}/instances"
            assert httpx.get(url, headers={"X-Auth-Token": "tok"}).json()["total"] == 15
            process.terminate()
            assert process.wait(timeout=15) == 0


def test_auth_off_lets_any_caller_in() -> None:
    with _emulator("--seed", "4", "--auth", "off") as (process, banner):
        assert "token" not in banner
        url = f"{banner['base URL']}/v2/{DEMO_PROJECTS[1]}/instances"
        assert httpx.get(url).json()["total"] == 2
        process.terminate()
