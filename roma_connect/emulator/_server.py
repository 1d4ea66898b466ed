"""Building an emulator from settings; serving it with uvicorn, in the foreground or a thread."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from starlette.applications import Starlette

from ._app import Emulator, create_app
from ._auth import MODES, Credentials, make_token
from ._data import DEMO_PROJECTS, demo_instances, load_fixtures
from ._store import Store


@dataclass
class Settings:
    """What ``roma-connect emulator`` is started with."""

    host: str = "127.0.0.1"
    port: int = 8080
    db: str = ":memory:"
    seed: int = 0
    fixtures: Sequence[Path] = ()
    tokens: Sequence[tuple[str, str]] = ()  # (token, project id)
    keys: Sequence[tuple[str, str, str]] = ()  # (AK, SK, project id)
    modes: frozenset[str] = MODES  # empty: auth off
    log_level: str = "warning"


@dataclass(frozen=True)
class Started:
    """Who may call a built emulator: the project to show its user, and a token for it."""

    project_id: str
    token: str | None  # None when token auth is off


def build(settings: Settings) -> tuple[Emulator, Started]:
    """The emulator the settings describe (seeded, fixtures loaded), and who may call it."""
    store = Store(settings.db)
    if settings.seed:
        store.put(demo_instances(settings.seed))
    for path in settings.fixtures:
        store.put(load_fixtures(path))
    credentials = Credentials(modes=settings.modes)
    for access_key, secret_key, project in settings.keys:
        credentials.add_key(access_key, secret_key, project)
    tokens = list(settings.tokens)
    if not tokens and "token" in settings.modes:
        # Make up a usable token for the project a newcomer will look at first.
        projects = [p for p, _ in store.projects()]
        first = DEMO_PROJECTS[0] if not projects or DEMO_PROJECTS[0] in projects else projects[0]
        tokens = [(make_token(), first)]
    for secret, project in tokens:
        credentials.add_token(secret, project)
    token = tokens[0][0] if tokens else None
    project = tokens[0][1] if tokens else settings.keys[0][2] if settings.keys else DEMO_PROJECTS[0]
    emulator = Emulator(store=store, credentials=credentials)
    return emulator, Started(project_id=project, token=token)


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0 picks a free one); raises OSError with the reason."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
        sock.listen(2048)
    except OSError:
        sock.close()
        raise
    sock.set_inheritable(True)
    return sock


def base_url(sock: socket.socket) -> str:
    """``http://HOST:PORT`` of a bound socket."""
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


def server(app: Starlette, log_level: str = "warning") -> uvicorn.Server:
    """A uvicorn server for the app: httptools and uvloop, no access log (the journal has it)."""
    config = uvicorn.Config(
        app,
        log_level=log_level,
        access_log=False,
        loop="uvloop",
        http="httptools",
        lifespan="off",
        timeout_graceful_shutdown=5,
    )
    return uvicorn.Server(config)


@contextmanager
def running(emulator: Emulator, host: str = "127.0.0.1") -> Iterator[str]:
    """Serve ``emulator`` on a free port in a background thread; yields its base URL.

    For tests and tools that need a real server on loopback; it stops when the block ends.
    """
    sock = bind(host, 0)
    uv = server(create_app(emulator))
    thread = threading.Thread(target=uv.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not uv.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the emulator did not start")
        time.sleep(0.01)
    try:
        yield base_url(sock)
    finally:
        uv.should_exit = True
        thread.join(timeout=10)
        sock.close()
