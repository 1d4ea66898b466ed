"""Servers under test, each in its own process, and the official SDK's environment.

The emulator runs as ``python -m roma_connect.cli emulator`` in a child process, never in a
thread of the bench: a server thread would compete for the GIL with the client being timed.
"""

from __future__ import annotations

import os
import re
import selectors
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from roma_connect.emulator import DEMO_PROJECTS

PROJECT = DEMO_PROJECTS[0]
TOKEN = "bench-token-0123456789"
# Made-up credentials for the loopback emulator only.
ACCESS_KEY = "BENCHAK0000000000001"
SECRET_KEY = "bench-secret-key-0123456789abcdef"

_BANNER = re.compile(r"base URL:\s+(\S+)\s")


def wait_for_banner(stream: IO[bytes], deadline: float) -> str:
    """The base URL from a server's ``base URL:`` banner line; TimeoutError if none by then.

    Reads the pipe's descriptor directly: a buffered reader would swallow the banner's later
    lines into its buffer, where ``select`` cannot see them.
    """
    selector = selectors.DefaultSelector()
    selector.register(stream, selectors.EVENT_READ)
    seen = b""
    try:
        while (left := deadline - time.monotonic()) > 0:
            if not selector.select(timeout=left):
                continue
            chunk = os.read(stream.fileno(), 65536)
            if not chunk:
                raise RuntimeError("the server exited before printing its base URL")
            seen += chunk
            if match := _BANNER.search(seen.decode("utf-8", "replace")):
                return match.group(1)
    finally:
        selector.close()
    raise TimeoutError("no base URL from the server in time")


@contextmanager
def serve(command: Sequence[str], *, start_timeout: float = 120.0) -> Iterator[str]:
    """Run a server that prints ``base URL: …``; yield that URL; stop it (SIGTERM) afterwards."""
    with tempfile.TemporaryFile("w+") as errors:
        process = subprocess.Popen(
            list(command),
            stdout=subprocess.PIPE,
            stderr=errors,
            stdin=subprocess.DEVNULL,
        )
        assert process.stdout is not None
        try:
            try:
                url = wait_for_banner(process.stdout, time.monotonic() + start_timeout)
            except (RuntimeError, TimeoutError) as error:
                errors.seek(0)
                raise RuntimeError(f"{' '.join(command[:5])}…: {error}\n{errors.read()}") from None
            yield url
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=15)
            process.stdout.close()


def emulator_command(*args: str) -> list[str]:
    """``roma-connect emulator`` on a free loopback port, with the bench's credentials."""
    return [
        sys.executable,
        "-m",
        "roma_connect.cli",
        "emulator",
        "--port",
        "0",
        "--token",
        f"{TOKEN}:{PROJECT}",
        "--aksk",
        f"{ACCESS_KEY}:{SECRET_KEY}:{PROJECT}",
        *args,
    ]


def ceiling_command(body: Path) -> list[str]:
    """The bare Starlette app serving ``body`` for every listing (``benchmarks._ceiling``)."""
    return [sys.executable, "-m", "benchmarks._ceiling", str(body)]


@contextmanager
def official_sdk_env() -> Iterator[None]:
    """HOME in a temporary directory (the SDK writes ``$HOME/.huaweicloud``), no proxy."""
    saved = {name: os.environ.get(name) for name in ("HOME", "NO_PROXY", "no_proxy")}
    with tempfile.TemporaryDirectory(prefix="bench-sdk-home-") as home:
        os.environ["HOME"] = home
        os.environ["NO_PROXY"] = os.environ["no_proxy"] = "127.0.0.1,localhost"
        try:
            yield
        finally:
            for name, value in saved.items():
                if value is None:
                    os.environ.pop(name, None)
                else:
                    os.environ[name] = value


def official_client(url: str) -> Any:
    """The official SDK's ``RomaClient``, signing with the bench's AK/SK, pointed at ``url``."""
    from huaweicloudsdkcore.auth.credentials import BasicCredentials
    from huaweicloudsdkroma.v2 import RomaClient

    return (
        RomaClient.new_builder()
        .with_credentials(BasicCredentials(ACCESS_KEY, SECRET_KEY, PROJECT))
        .with_endpoints([url])
        .build()
    )
