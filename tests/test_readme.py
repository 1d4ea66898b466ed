"""The README's SDK and CLI examples run as written against the emulator.

The only change made to them: the emulator's real address replaces ``127.0.0.1:8080`` (CI may
have that port taken).
"""

from __future__ import annotations

import os
import re
import shlex
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from roma_connect.emulator import DEMO_PROJECTS, Settings, build, running
from tests.spec_tools import ROOT

README = (ROOT / "README.md").read_text(encoding="utf-8")
DOCUMENTED = "http://127.0.0.1:8080"


def _section(title: str) -> str:
    start = README.index(f"\n## {title}")
    end = README.find("\n## ", start + 1)
    return README[start:end]


def _blocks(section: str, language: str) -> list[str]:
    return re.findall(rf"```{language}\n(.*?)```", section, re.DOTALL)


@pytest.fixture(scope="module")
def url() -> Iterator[str]:
    emulator, _ = build(Settings(seed=1000, tokens=[("demo-token", DEMO_PROJECTS[0])]))
    with running(emulator) as base:
        yield base


def test_sdk_example(url: str, capsys: pytest.CaptureFixture[str]) -> None:
    (code,) = _blocks(_section("The SDK"), "python")
    exec(compile(code.replace(DOCUMENTED, url), "README.md", "exec"), {})
    out = capsys.readouterr().out.splitlines()
    assert int(out[0].split()[0]) > 0  # the RUNNING page's total, then its names
    assert len(out) == 1 + 500 + 1  # then every instance of the project, then the count
    assert out[-1] == "500"


def test_cli_examples(url: str, tmp_path: Path) -> None:
    (script,) = _blocks(_section("The CLI"), "sh")
    env = {**os.environ}
    bin_dir = Path(sys.executable).parent
    for line in script.splitlines():
        line = line.split("  #")[0].strip().replace(DOCUMENTED, url)
        if not line or "--region" in line:  # the regional example needs the real cloud
            continue
        if line.startswith("export "):
            for assignment in shlex.split(line)[1:]:
                name, _, value = assignment.partition("=")
                env[name] = value
            continue
        command = line.replace(".venv/bin/", f"{bin_dir}/")
        result = subprocess.run(
            command, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60
        )
        assert result.returncode == 0, (line, result.stderr)
    assert (tmp_path / "instances.csv").read_text().count("\n") == 501  # header + 500 rows
