"""Code generation and the CLI: wall times of whole commands, as a developer or user meets them.

- full generation: ``python -m generator.generate --check`` (both generators into a temporary
  directory, then the comparison with ``generated/``; the tree is left alone);
- no-op ``make -s generate``: make's own cost when the stamp is current. The bench never
  regenerates: when the work tree's stamp is stale (``make -q generate`` fails), the no-op is
  timed in a scratch copy of the Makefile and the generator's inputs with fresh stamps;
- the CLI listing 100 instances from a running emulator (process start to exit), next to the
  interpreter's bare start-up for reference;
- optionally, ``make test`` once.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from ._measure import Check, Section, Series, absolute_check, format_value, interleave
from ._servers import PROJECT, TOKEN, emulator_command, serve

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CODEGEN = "full generation (generator.generate --check)"
NOOP = "no-op make -s generate"
CLI = "CLI: instances list --limit 100 --output json"
STARTUP = "python -c pass (interpreter start-up)"
MAKE_TEST = "make test"
# What make reads to decide `generate`: the Makefile's GENERATOR_INPUTS and its prerequisites.
_SCRATCH_FILES = ("Makefile", "openapi.yaml", "pyproject.toml", "uv.lock")
_SCRATCH_DIRS = ("generator",)


def _run(command: Sequence[str], *, cwd: Path, timeout: float) -> subprocess.CompletedProcess[str]:
    # make inherits MAKEFLAGS/MAKELEVEL from `make bench`; a clean slate makes the nested make
    # behave as a developer's own invocation would.
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MAKELEVEL", "MFLAGS")}
    return subprocess.run(
        list(command), cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def _timed(command: Sequence[str], *, cwd: Path, timeout: float) -> tuple[float, int]:
    started = time.perf_counter()
    result = _run(command, cwd=cwd, timeout=timeout)
    return time.perf_counter() - started, result.returncode


def scratch_tree(destination: Path) -> bool:
    """Copy what ``make generate`` looks at into ``destination``, with every stamp fresh.

    Returns whether make then considers ``generate`` up to date there (``make -q``).
    """
    for name in _SCRATCH_FILES:
        shutil.copy2(ROOT / name, destination / name)
    for name in _SCRATCH_DIRS:
        shutil.copytree(
            ROOT / name, destination / name, ignore=shutil.ignore_patterns("__pycache__")
        )
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    version = re.search(r"^UV_VERSION\s*:=\s*(\S+)", makefile, re.M)
    if version is None:
        return False
    # Oldest first: uv's stamp, the venv's, then generate's, each a second apart (make compares
    # modification times, and some file systems keep whole seconds).
    stamps = [f".tools/.uv-{version.group(1)}", ".venv/.synced", "build/.generate-stamp"]
    now = time.time()
    for offset, stamp in enumerate(stamps, start=1):
        path = destination / stamp
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        os.utime(path, (now + offset, now + offset))
    return _run(["make", "-q", "generate"], cwd=destination, timeout=60).returncode == 0


def _codegen(section: Section, runs: int) -> None:
    seconds: list[float] = []
    for _ in range(runs):
        elapsed, status = _timed(
            [PYTHON, "-m", "generator.generate", "--check"], cwd=ROOT, timeout=120
        )
        seconds.append(elapsed)
        if status != 0:
            section.notes.append(
                "generator.generate --check failed: generated/ differs from what the spec gives"
            )
            break
    section.series.append(Series(CODEGEN, "s", seconds))
    section.checks.append(
        absolute_check("tooling.codegen", "Full code generation", section.get(CODEGEN), "<=", 5.0)
    )


def _noop(section: Section, runs: int) -> None:
    fresh = _run(["make", "-q", "generate"], cwd=ROOT, timeout=60).returncode == 0
    with tempfile.TemporaryDirectory(prefix="bench-make-") as scratch:
        where = ROOT
        if not fresh:
            where = Path(scratch)
            if not scratch_tree(where):
                section.notes.append("no-op make generate: not measured (scratch copy not fresh)")
                return
            section.notes.append(
                "no-op make -s generate was timed in a scratch copy of the Makefile and the "
                "generator's inputs with fresh stamps: the work tree's stamp is stale, and the "
                "bench does not regenerate"
            )
        seconds = []
        for _ in range(runs):
            elapsed, status = _timed(["make", "-s", "generate"], cwd=where, timeout=60)
            if status != 0:
                section.notes.append(f"no-op make -s generate exited with status {status}")
                return
            seconds.append(elapsed)
    section.series.append(Series(NOOP, "s", seconds, note="work tree" if fresh else "scratch"))
    section.checks.append(
        absolute_check("tooling.noop", "No-op make -s generate", section.get(NOOP), "<=", 0.5)
    )


def _cli(section: Section, runs: int) -> None:
    cli = str(Path(PYTHON).parent / "roma-connect")
    with serve(emulator_command("--seed", "2000")) as url:
        command = [
            cli, "instances", "list", "--endpoint", url, "--project-id", PROJECT,
            "--token", TOKEN, "--limit", "100", "--output", "json",
        ]  # fmt: skip
        check = _run(command, cwd=ROOT, timeout=60)
        if check.returncode != 0 or json.loads(check.stdout)["total"] != 1000:
            raise RuntimeError(f"the CLI did not list the emulator's instances: {check.stderr}")

        def listing() -> None:
            subprocess.run(command, capture_output=True, check=True, timeout=60)

        def startup() -> None:
            subprocess.run([PYTHON, "-c", "pass"], capture_output=True, check=True, timeout=60)

        samples = interleave(
            {CLI: listing, STARTUP: startup},
            rounds=runs,
            budget=30,
            warmup=1,
            scale=1.0,
        )
    section.series += [Series(name, "s", values) for name, values in samples.items()]
    cli_series = section.get(CLI)
    section.checks.append(
        absolute_check("tooling.cli", "CLI listing (median)", cli_series, "<=", 0.6)
    )
    section.checks.append(
        Check(
            id="tooling.cli_best",
            title="CLI listing (best run)",
            value=cli_series.low,
            unit="s",
            op="<=",
            goal=0.6,
            measured=f"{CLI}: {format_value(cli_series.low, 's')}",
            baseline=f"{STARTUP}: {format_value(section.get(STARTUP).low, 's')}",
            informational=True,
        )
    )


def _make_test(section: Section) -> None:
    elapsed, status = _timed(["make", "test"], cwd=ROOT, timeout=900)
    section.series.append(Series(MAKE_TEST, "s", [elapsed], note=f"exit status {status}"))
    section.checks.append(
        absolute_check(
            "tooling.make_test",
            "make test (one run; no target)",
            section.get(MAKE_TEST),
            "<=",
            None,
            informational=True,
        )
    )
    if status != 0:
        section.notes.append(f"make test exited with status {status}")


def run(
    *, codegen_runs: int = 3, noop_runs: int = 5, cli_runs: int = 7, make_test: bool
) -> Section:
    """Time code generation, the no-op make, the CLI and (if asked) ``make test``."""
    section = Section("tooling", "Code generation and the CLI (wall time of whole commands)")
    started = time.monotonic()
    _codegen(section, codegen_runs)
    _noop(section, noop_runs)
    _cli(section, cli_runs)
    if make_test:
        _make_test(section)
    else:
        section.notes.append("make test: not timed in this run (--skip-make-test)")
    section.seconds = time.monotonic() - started
    return section
