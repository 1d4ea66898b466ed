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
from .emulator import (
    DEMO_PROJECTS,
    Credentials,
    Emulator,
    Store,
    demo_instances,
    load_fixtures,
    make_token,
    running,
)

EXAMPLES = Path(__file__).resolve().parent.parent / "docs" / "examples" / "instances.yaml"


def main(argv: Sequence[str] = ()) -> int:
    """Run the demo; extra arguments go to ``roma-connect instances list``."""
    token, project = make_token(), DEMO_PROJECTS[0]
    store = Store()
    store.put(demo_instances(60))
    if EXAMPLES.exists():
        store.put(load_fixtures(EXAMPLES))
    credentials = Credentials()
    credentials.add_token(token, project)
    with running(Emulator(store=store, credentials=credentials)) as url:
        print(
            f"demo: emulator at {url}, {store.count()} instances; listing project {project}:",
            file=sys.stderr,
        )
        args = ["instances", "list", "--all", "--endpoint", url, "--project-id", project]
        status = cli.main([*args, "--token", token, *(argv or ["--output", "table"])])
    print("demo: emulator stopped", file=sys.stderr)
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
