"""The ``roma-connect`` command.

``roma-connect instances list`` lists instances through the SDK; ``roma-connect emulator``
serves the local emulator. Every error is one readable line on stderr: exit status 2 for a
usage error (bad flag, missing configuration, unreadable fixtures), 1 for a failed call (with
the error code and request id).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import os
import signal
import sqlite3
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from ._client import REGIONS

EXIT_USAGE = 2


class UsageError(Exception):
    """A command line that cannot be carried out as written (exit status 2)."""


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line (no usage dump) and exit status 2."""

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{self.prog}: {message} (see --help)")


def _split(value: str, parts: int, spelling: str) -> tuple[str, ...]:
    pieces = tuple(value.split(":", parts - 1))
    if len(pieces) != parts or not all(pieces):
        raise argparse.ArgumentTypeError(f"expected {spelling}, got {value!r}")
    return pieces


def _token(value: str) -> tuple[str, ...]:
    # A token may itself contain ":"; the project id is what follows the last one.
    token, sep, project = value.rpartition(":")
    if not sep or not token or not project:
        raise argparse.ArgumentTypeError(f"expected TOKEN:PROJECT_ID, got {value!r}")
    return token, project


def _aksk(value: str) -> tuple[str, ...]:
    return _split(value, 3, "AK:SK:PROJECT_ID")


def _auth(value: str) -> frozenset[str]:
    from .emulator import _auth

    modes = frozenset(m.strip() for m in value.split(",") if m.strip())
    if modes == {"off"}:
        return frozenset()
    unknown = modes - _auth.MODES
    if not modes or unknown:
        raise argparse.ArgumentTypeError(f"expected token, aksk, token,aksk or off, got {value!r}")
    return modes


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port must be 0 to 65535, got {port}")
    return port


def _count(value: str) -> int:
    try:
        count = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if count < 0:
        raise argparse.ArgumentTypeError(f"must not be negative, got {count}")
    return count


def _version() -> str:
    from . import __version__

    return __version__


def build_parser() -> argparse.ArgumentParser:
    """The full command-line grammar."""
    parser = _Parser(prog="roma-connect", description="ROMA Connect instance-list toolkit.")
    parser.add_argument("--version", action="version", version=f"%(prog)s {_version()}")
    commands = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)

    emulator = commands.add_parser(
        "emulator",
        help="serve the local emulator of GET /v2/{project_id}/instances",
        description="Serve a local emulator of ROMA Connect's instance-list API, backed by SQLite.",
    )
    emulator.add_argument(
        "--host", default="127.0.0.1", help="address to bind (default %(default)s)"
    )
    emulator.add_argument(
        "--port", type=_port, default=8080, help="0 picks a free port (default %(default)s)"
    )
    emulator.add_argument("--db", default=":memory:", help="SQLite file (default: in memory)")
    emulator.add_argument(
        "--seed", type=_count, default=0, metavar="N", help="add N deterministic demo instances"
    )
    emulator.add_argument(
        "--fixtures",
        type=Path,
        action="append",
        default=[],
        metavar="FILE",
        help="load instances from a JSON/YAML file (repeatable)",
    )
    emulator.add_argument(
        "--token",
        type=_token,
        action="append",
        default=[],
        metavar="TOKEN:PROJECT_ID",
        help="accept this X-Auth-Token for the project (repeatable; one is made up if none)",
    )
    emulator.add_argument(
        "--aksk",
        type=_aksk,
        action="append",
        default=[],
        metavar="AK:SK:PROJECT_ID",
        help="accept SDK-HMAC-SHA256 signatures by this key pair for the project (repeatable)",
    )
    emulator.add_argument(
        "--auth",
        type=_auth,
        default=None,
        metavar="token,aksk|off",
        help="authentication methods to accept (default: token,aksk)",
    )
    emulator.add_argument(
        "--log-level",
        default="warning",
        choices=["critical", "error", "warning", "info", "debug"],
    )
    emulator.set_defaults(run=_run_emulator)

    instances = commands.add_parser(
        "instances", help="list instances", description="ROMA Connect instances of a project."
    )
    verbs = instances.add_subparsers(dest="verb", required=True, parser_class=_Parser)
    listing = verbs.add_parser(
        "list",
        help="list the instances of a project",
        description=(
            "List instances. Credentials: --token or ROMA_AUTH_TOKEN, or --ak/--sk or "
            "HUAWEICLOUD_SDK_AK/HUAWEICLOUD_SDK_SK. Project: --project-id or ROMA_PROJECT_ID. "
            "Endpoint: --endpoint/--region or ROMA_ENDPOINT/ROMA_REGION."
        ),
    )
    where = listing.add_mutually_exclusive_group()
    where.add_argument("--endpoint", help="base URL, e.g. http://127.0.0.1:8080")
    where.add_argument("--region", choices=REGIONS, help="a Huawei Cloud region")
    listing.add_argument("--project-id", help="the project (default: $ROMA_PROJECT_ID)")
    listing.add_argument("--token", help="X-Auth-Token (default: $ROMA_AUTH_TOKEN)")
    listing.add_argument("--ak", help="access key, to sign with AK/SK instead of a token")
    listing.add_argument("--sk", help="secret key (prefer $HUAWEICLOUD_SDK_SK)")
    listing.add_argument("--status", help="only instances in this status (e.g. RUNNING)")
    listing.add_argument("--offset", type=_count, help="first instance to list (default 0)")
    listing.add_argument("--limit", type=_positive, help="instances per page (service default 20)")
    listing.add_argument("--all", action="store_true", help="every instance, all pages")
    listing.add_argument(
        "--page-size",
        type=_positive,
        default=100,
        help="page size with --all (default %(default)s)",
    )
    listing.add_argument(
        "--max-concurrency",
        type=_positive,
        default=8,
        help="pages in flight at once with --all (default %(default)s)",
    )
    listing.add_argument(
        "--output",
        choices=["table", "json", "csv"],
        help="default: table on a terminal, json otherwise",
    )
    listing.add_argument(
        "--retries", type=_count, default=2, help="retries of a failed call (default %(default)s)"
    )
    listing.add_argument(
        "--timeout", type=float, default=30.0, help="seconds per call (default %(default)s)"
    )
    listing.set_defaults(run=_run_list)
    return parser


def _positive(value: str) -> int:
    count = _count(value)
    if count < 1:
        raise argparse.ArgumentTypeError(f"must be at least 1, got {count}")
    return count


def _run_list(args: argparse.Namespace) -> int:
    from ._client import AsyncRomaConnect, RomaConnect
    from ._exceptions import RomaConnectError
    from ._output import write_csv, write_json, write_table
    from ._retry import RetryPolicy

    if args.all and (args.offset is not None or args.limit is not None):
        raise UsageError(
            "roma-connect instances list: --all pages by itself; drop --offset/--limit"
        )
    options = {
        "endpoint": args.endpoint,
        "region": args.region,
        "project_id": args.project_id,
        "token": args.token,
        "ak": args.ak,
        "sk": args.sk,
        "timeout": args.timeout,
        "retry": RetryPolicy(attempts=args.retries + 1),
    }
    output = args.output or ("table" if sys.stdout.isatty() else "json")
    try:
        if args.all:
            client = AsyncRomaConnect(**options)
            instances = asyncio.run(_list_all(client, args))
            total = len(instances)
        else:
            with RomaConnect(**options) as sync_client:
                page = sync_client.list_instances(
                    status=args.status, offset=args.offset, limit=args.limit
                )
            instances, total = page.instances, page.total
    except ValueError as error:  # configuration: no endpoint, project or credentials
        raise UsageError(f"roma-connect instances list: {error}") from None
    except RomaConnectError as error:
        print(f"roma-connect: {error}", file=sys.stderr)
        return 1
    if output == "json":
        write_json(instances, total, sys.stdout)
    elif output == "csv":
        write_csv(instances, sys.stdout)
    else:
        write_table(instances, total, sys.stdout)
    return 0


async def _list_all(client: Any, args: argparse.Namespace) -> list[Any]:
    show = sys.stderr.isatty()

    def progress(done: int, total: int) -> None:
        if show:
            print(f"\rfetched {done}/{total} instances", end="", file=sys.stderr, flush=True)

    async with client:
        try:
            return list(
                await client.list_all_instances(
                    status=args.status,
                    page_size=args.page_size,
                    max_concurrency=args.max_concurrency,
                    progress=progress,
                )
            )
        finally:
            if show:
                print("\r\033[K", end="", file=sys.stderr, flush=True)


def _run_emulator(args: argparse.Namespace) -> int:
    from .emulator import FixtureError, Settings, _auth, base_url, bind, build, create_app, server

    settings = Settings(
        host=args.host,
        port=args.port,
        db=args.db,
        seed=args.seed,
        fixtures=args.fixtures,
        tokens=args.token,
        keys=args.aksk,
        modes=_auth.MODES if args.auth is None else args.auth,
        log_level=args.log_level,
    )
    try:
        emulator, started = build(settings)
    except FixtureError as error:
        raise UsageError(f"roma-connect emulator: {error}") from None
    except (OSError, sqlite3.Error) as error:
        raise UsageError(f"roma-connect emulator: --db {args.db}: {error}") from None
    try:
        sock = bind(settings.host, settings.port)
    except OSError as error:
        emulator.store.close()
        where = f"{settings.host}:{settings.port}"
        print(f"roma-connect emulator: cannot listen on {where}: {error.strerror}", file=sys.stderr)
        return 1
    url = base_url(sock)
    projects = emulator.store.projects()
    auth = ",".join(sorted(settings.modes, reverse=True)) or "off"
    print(
        f"roma-connect emulator: serving {url} (SQLite {settings.db}, "
        f"{sum(n for _, n in projects)} instances in {len(projects)} projects, auth {auth})",
        flush=True,
    )
    print(f"  base URL:   {url}", flush=True)
    print(f"  project id: {started.project_id}", flush=True)
    if started.token is not None:
        print(f"  token:      {started.token}", flush=True)
        example = f"{url}/v2/{started.project_id}/instances"
        print(f"  try:        curl -H 'X-Auth-Token: {started.token}' {example}", flush=True)
    print(f"  admin API:  {url}/_emulator/state  (Ctrl-C stops)", flush=True)
    # uvicorn shuts down gracefully on SIGINT/SIGTERM, then re-raises the signal. A stop asked
    # for is a clean stop here (exit status 0), so the re-raised signal must not kill us.
    signal.signal(signal.SIGTERM, lambda *_: None)
    try:
        server(create_app(emulator), settings.log_level).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
        emulator.store.close()
    print("roma-connect emulator: stopped", flush=True)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the ``roma-connect`` console script; returns the exit status."""
    # Retry notices and the like go to stderr, one line each; stdout stays machine-readable.
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("roma-connect: %(message)s"))
    logger = logging.getLogger("roma_connect")
    logger.addHandler(handler)
    logger.setLevel(logging.WARNING)
    try:
        args = build_parser().parse_args(argv)
        status: int = args.run(args)
    except UsageError as error:
        print(error, file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (e.g. `| head`): not an error worth a traceback. Point stdout at
        # /dev/null so the interpreter's final flush does not fail again.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 141
    finally:
        logger.removeHandler(handler)
    return status


if __name__ == "__main__":
    sys.exit(main())
