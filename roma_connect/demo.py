"""The whole chain in one command (``make demo``): emulator, SDK, CLI.

Starts the embedded emulator on a free loopback port with demo data, lists its instances
through ``roma-connect instances list --all`` (the SDK's concurrent listing over the generated
client), and stops the emulator.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path

from . import cli
from .emulator import Settings, build, running

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples" / "instances.yaml"


def main(argv: Sequence[str] = ()) -> int:
    """Run the demo; extra arguments go to ``roma-connect instances list``."""
    emulator, started = build(Settings(seed=60, fixtures=[EXAMPLES] if EXAMPLES.exists() else []))
    project, token = started.project_id, started.token or ""
    with running(emulator) as url:
        count = emulator.store.count()
        print(f"demo: emulator at {url}, {count} instances; project {project}:", file=sys.stderr)
        args = ["instances", "list", "--all", "--endpoint", url, "--project-id", project]
        status = cli.main([*args, "--token", token, *(argv or ["--output", "table"])])
    print("demo: emulator stopped", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
