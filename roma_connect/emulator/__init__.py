"""A local emulator of ROMA Connect's instance-list API: a real HTTP server backed by SQLite.

``roma-connect emulator`` runs it from the command line; tests and tools use :func:`running`.
See the README's "Emulator" section for the admin API under ``/_emulator/``.
"""

from ._app import DEFAULT_LIMIT, MAX_LIMIT, Emulator, create_app
from ._auth import Caller, Credentials, make_token
from ._data import DEMO_PROJECTS, FixtureError, demo_instances, load_fixtures, parse_instances
from ._faults import Fault, Faults, Journal, JournalEntry, Latency
from ._server import Settings, Started, base_url, bind, build, running, server
from ._store import Page, Store

__all__ = [
    "DEFAULT_LIMIT",
    "DEMO_PROJECTS",
    "MAX_LIMIT",
    "Caller",
    "Credentials",
    "Emulator",
    "Fault",
    "Faults",
    "FixtureError",
    "Journal",
    "JournalEntry",
    "Latency",
    "Page",
    "Settings",
    "Started",
    "Store",
    "base_url",
    "bind",
    "build",
    "create_app",
    "demo_instances",
    "load_fixtures",
    "make_token",
    "parse_instances",
    "running",
    "server",
]
