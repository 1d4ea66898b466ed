"""Emulator throughput: 100,000 instances in a SQLite file, ``limit=100``, one uvicorn worker.

Load comes from ``wrk`` (``-t2 -c10``, a few seconds a run) on loopback. The ceiling is a bare
Starlette app answering with the very bytes of the emulator's first page, served with the
emulator's uvicorn settings (``benchmarks._ceiling``): what the HTTP stack alone can do. The
emulator is loaded at offset 0 and at offset 99,900 (the last page: deep paging must cost what
the first page costs), and, for information, with offsets spread over the whole listing.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path

import httpx

from roma_connect.emulator import Store, demo_instances

from . import _load
from ._measure import Section, Series, absolute_check, ratio_check
from ._servers import PROJECT, TOKEN, ceiling_command, emulator_command, serve

INSTANCES = 100_000
LIMIT = 100
DEEP = INSTANCES - LIMIT
SECONDS = 4
CONNECTIONS = 10
THREADS = 2
CEILING = "ceiling: bare Starlette, same bytes"
SHALLOW = "emulator, offset 0"
DEEP_NAME = f"emulator, offset {DEEP:,}"
SWEEP = "emulator, offsets across the listing"


def build_db(path: Path) -> float:
    """Write INSTANCES demo instances, all in the bench's project; returns the seconds it took.

    All in one project (not ``--seed``'s two), so that offset 99,900 is a real page.
    """
    started = time.monotonic()
    store = Store(str(path))
    try:
        store.put(demo_instances(INSTANCES, projects=(PROJECT,)))
    finally:
        store.close()
    return time.monotonic() - started


def _listing(url: str, offset: int) -> str:
    return f"{url}/v2/{PROJECT}/instances?offset={offset}&limit={LIMIT}"


def run(*, rounds: int = 3) -> Section:
    """Measure the emulator and the ceiling with wrk (or the Python fallback), interleaved."""
    section = Section(
        "throughput",
        f"Emulator throughput: {INSTANCES:,} instances in SQLite (file), limit={LIMIT}, "
        f"{CONNECTIONS} connections, one worker",
    )
    started = time.monotonic()
    log: list[str] = []
    wrk = _load.ensure_wrk(log)
    section.notes += log
    if wrk is None:
        section.notes.append(
            "wrk unavailable: the load comes from the Python fallback (threads with http.client),"
            " which saturates before the servers do, and unevenly (a faster server can even come"
            " out slower through the GIL's hand-offs): the figures are shown, not judged"
        )
    headers = {"X-Auth-Token": TOKEN}
    with tempfile.TemporaryDirectory(prefix="bench-throughput-") as scratch:
        directory = Path(scratch)
        db = directory / "roma.sqlite"
        section.facts["db_build_s"] = round(build_db(db), 1)
        with serve(emulator_command("--db", str(db))) as url:
            first = httpx.get(_listing(url, 0), headers=headers, timeout=30)
            last = httpx.get(_listing(url, DEEP), headers=headers, timeout=30)
            for page in (first, last):
                page.raise_for_status()
                assert page.json()["total"] == INSTANCES and page.json()["size"] == LIMIT
            body = directory / "page.json"
            body.write_bytes(first.content)
            script = directory / "sweep.lua"
            script.write_text(
                _load.SWEEP_SCRIPT
                % {"pages": INSTANCES // LIMIT, "limit": LIMIT, "path": f"/v2/{PROJECT}/instances"}
            )
            sweep_paths = [
                f"/v2/{PROJECT}/instances?offset={((n * 7919) % (INSTANCES // LIMIT)) * LIMIT}"
                f"&limit={LIMIT}"
                for n in range(1, 1001)
            ]
            with serve(ceiling_command(body)) as ceiling:

                def load(target: str, script_path: Path | None = None) -> _load.LoadResult:
                    if wrk is not None:
                        return _load.run_wrk(
                            wrk,
                            target,
                            headers=headers,
                            seconds=SECONDS,
                            connections=CONNECTIONS,
                            threads=THREADS,
                            script=script_path,
                        )
                    return _load.run_python(
                        target,
                        headers=headers,
                        seconds=SECONDS,
                        connections=CONNECTIONS,
                        paths=sweep_paths if script_path is not None else None,
                    )

                targets = {
                    CEILING: _listing(ceiling, 0),
                    SHALLOW: _listing(url, 0),
                    DEEP_NAME: _listing(url, DEEP),
                }
                for target in targets.values():  # warm-up: connections, SQLite and OS caches
                    if wrk is not None:
                        _load.run_wrk(
                            wrk, target, headers=headers, seconds=1, connections=2, threads=1
                        )
                results: dict[str, list[_load.LoadResult]] = {name: [] for name in targets}
                names = list(targets)
                for round_ in range(rounds):
                    shift = round_ % len(names)
                    for name in names[shift:] + names[:shift]:
                        results[name].append(load(targets[name]))
                results[SWEEP] = [load(url, script)]
    for name, runs in results.items():
        section.series.append(Series(name, "req/s", [r.requests_per_s for r in runs]))
    for name, runs in results.items():
        section.series.append(Series(f"{name}: p50", "ms", [r.p50_ms for r in runs]))
    section.facts["runs"] = {name: [r.to_dict() for r in runs] for name, runs in results.items()}
    section.facts["load"] = (
        f"{results[SHALLOW][0].tool}: -t{THREADS} -c{CONNECTIONS} -d{SECONDS}s --latency, "
        f"{rounds} interleaved runs per target"
    )
    section.facts["page_bytes"] = len(first.content)
    errors = sum(r.errors for runs in results.values() for r in runs)
    if errors:
        section.notes.append(f"{errors} requests failed or answered non-2xx during the runs")
    section.facts["errors"] = errors
    shallow = section.get(SHALLOW)
    judged = wrk is not None  # the fallback measures the load generator more than the servers
    section.checks = [
        absolute_check(
            "throughput.rate",
            "Throughput: emulator, offset 0",
            shallow,
            ">=",
            1500,
            informational=not judged,
        ),
        ratio_check(
            "throughput.ceiling",
            "Throughput: emulator vs the bare-Starlette ceiling",
            shallow,
            section.get(CEILING),
            ">=",
            0.5,
            informational=not judged,
        ),
        ratio_check(
            "throughput.deep",
            f"p50 latency: offset {DEEP:,} vs offset 0",
            section.get(f"{DEEP_NAME}: p50"),
            section.get(f"{SHALLOW}: p50"),
            "<=",
            2.0,
            informational=not judged,
        ),
        ratio_check(
            "throughput.sweep",
            "Throughput: offsets across the listing vs offset 0",
            section.get(SWEEP),
            shallow,
            ">=",
            0.5,
            informational=True,
        ),
    ]
    section.seconds = time.monotonic() - started
    return section
