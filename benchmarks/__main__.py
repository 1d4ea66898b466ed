"""``python -m benchmarks`` (what ``make bench`` runs): measure, then write ``docs/bench/``."""

from __future__ import annotations

import argparse
import datetime as dt
import importlib.metadata
import os
import platform
import shutil
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from . import _report, decode, latency, paging, throughput, tooling
from ._measure import Section, format_value

ROOT = Path(__file__).resolve().parent.parent
SECTIONS = ("decode", "paging", "latency", "throughput", "tooling")
_PACKAGES = (
    "roma-connect",
    "huaweicloudsdkroma",
    "huaweicloudsdkcore",
    "httpx",
    "pydantic",
    "pydantic-core",
    "requests",
    "orjson",
    "starlette",
    "uvicorn",
)


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def _wrk_version() -> str | None:
    wrk = shutil.which("wrk")
    if wrk is None:
        return None
    # wrk -v prints its version and exits 1; only the first line is wanted.
    result = subprocess.run([wrk, "-v"], capture_output=True, text=True, timeout=10)
    return (
        (result.stdout or result.stderr).splitlines()[0] if result.stdout or result.stderr else None
    )


def metadata(wall_time: float) -> dict[str, Any]:
    """When and where the run happened, and the versions that matter to the figures."""
    versions: dict[str, str | None] = {}
    for name in _PACKAGES:
        try:
            versions[name] = importlib.metadata.version(name)
        except importlib.metadata.PackageNotFoundError:
            versions[name] = None
    return {
        "date": dt.date.today().isoformat(),
        "wall_time_s": round(wall_time, 1),
        "python": platform.python_version(),
        "machine": {
            "cpus": os.cpu_count(),
            "cpu_model": _cpu_model(),
            "platform": platform.platform(terse=True),
            "load_average": [round(x, 2) for x in os.getloadavg()],
        },
        "packages": versions,
        "wrk": _wrk_version(),
    }


def parse_args(argv: Sequence[str]) -> argparse.Namespace:
    """The command line of ``python -m benchmarks``."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks",
        description="Measure the SDK, the emulator and the tooling against their baselines.",
    )
    parser.add_argument(
        "--only",
        action="append",
        choices=SECTIONS,
        help="run only this benchmark (repeatable); prints the targets, writes nothing",
    )
    parser.add_argument(
        "--skip-make-test", action="store_true", help="do not time `make test` (about 40 s)"
    )
    parser.add_argument(
        "--output", type=Path, default=ROOT / "docs" / "bench", help="where results go"
    )
    parser.add_argument("--no-readme", action="store_true", help="leave README.md's table as it is")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the chosen benchmarks; write the results when the whole set ran."""
    args = parse_args(sys.argv[1:] if argv is None else argv)
    runners: dict[str, Callable[[], Section]] = {
        "decode": decode.run,
        "paging": paging.run,
        "latency": latency.run,
        "throughput": throughput.run,
        "tooling": lambda: tooling.run(make_test=not args.skip_make_test),
    }
    chosen = args.only or list(SECTIONS)
    started = time.monotonic()
    sections = []
    for name in SECTIONS:
        if name not in chosen:
            continue
        print(f"bench: {name} …", file=sys.stderr, flush=True)
        section = runners[name]()
        sections.append(section)
        for check in section.checks:
            print(
                f"  {check.verdict:4}  {check.title}: "
                f"{format_value(check.value, check.unit)} (goal {check.goal_text})",
                file=sys.stderr,
                flush=True,
            )
        print(f"  ({section.seconds:.0f} s)", file=sys.stderr, flush=True)
    meta = metadata(time.monotonic() - started)
    if args.only:
        print(_report.targets_table([c for s in sections for c in s.checks]))
        return 0
    readme = None if args.no_readme else ROOT / "README.md"
    for path in _report.write(args.output, readme, meta, sections):
        print(f"bench: wrote {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
