"""Fuzz an endpoint of the instance-list API with schemathesis (``make fuzz``).

Without ``--base-url`` it starts the embedded emulator on a free loopback port, seeded with demo
data and a token it makes up, fuzzes it, and stops it. With ``--base-url`` (a real region, or
anything else) it needs ``--token`` and ``--project-id`` for the project the token belongs to.
Exit status: schemathesis' own (0 only when every check passed), 2 for a usage error.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CONFIG = Path(__file__).resolve().parent / "schemathesis.toml"


@contextmanager
def _target(args: argparse.Namespace) -> Iterator[tuple[str, str, str]]:
    """(base URL, token, project id): the given endpoint, or a fresh embedded emulator."""
    if args.base_url:
        yield args.base_url.rstrip("/"), args.token, args.project_id
        return
    from roma_connect.emulator import Settings, build, running

    emulator, started = build(Settings(seed=args.demo_instances))
    with running(emulator) as url:
        print(
            f"fuzz: embedded emulator at {url} ({args.demo_instances} demo instances)", flush=True
        )
        yield url, started.token or "", started.project_id


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point; returns the exit status."""
    parser = argparse.ArgumentParser(prog="make fuzz", description=__doc__.splitlines()[0])
    # Defaults from the environment, so that `make fuzz TOKEN=...` never echoes the token.
    env = os.environ.get
    parser.add_argument("--base-url", default=env("BASE_URL", ""), help="default: embedded")
    parser.add_argument("--token", default=env("TOKEN", ""), help="X-Auth-Token for --base-url")
    parser.add_argument("--project-id", default=env("PROJECT_ID", ""), help="its project")
    parser.add_argument("--examples", type=int, default=1000, help="max examples per phase")
    parser.add_argument("--seed", default="", help="schemathesis seed (default: random)")
    parser.add_argument("--workers", default="1", help="schemathesis workers")
    parser.add_argument("--report-dir", type=Path, default=ROOT / "reports" / "fuzz")
    parser.add_argument("--demo-instances", type=int, default=500, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.base_url and not (args.token and args.project_id):
        print("make fuzz: BASE_URL needs TOKEN and PROJECT_ID too", file=sys.stderr)
        return 2

    with _target(args) as (url, token, project):
        command = [
            str(Path(sys.executable).parent / "schemathesis"),
            "--config-file", str(CONFIG),
            "run", str(ROOT / "openapi.yaml"),
            "--url", url,
            "--checks", "all",
            "--max-examples", str(args.examples),
            "--workers", args.workers,
            "--report", "junit,har",
            "--report-dir", str(args.report_dir),
        ]  # fmt: skip
        if args.seed:
            command += ["--seed", args.seed]
        variables = {**os.environ, "ROMA_AUTH_TOKEN": token, "ROMA_PROJECT_ID": project}
        status = subprocess.run(command, env=variables, check=False).returncode
    print(f"fuzz: reports in {args.report_dir} (JUnit XML, HAR)", flush=True)
    return status


if __name__ == "__main__":
    sys.exit(main())
