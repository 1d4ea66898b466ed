"""Latency-bound listing: 50 ms added to every call, so round trips, not CPU, decide.

2,000 instances at ``limit=100`` are 20 calls. The official SDK can only walk them one after
another (20 round trips); ``AsyncRomaConnect.list_all_instances`` fetches the first page, then
the other 19 with at most ``max_concurrency`` in flight: ``1 + ceil(19 / c)`` round trips.
That bounds the speed-up at 5.0x for ``c = 8`` (the default) and 6.7x for ``c = 16``; ``c = 1``
shows what is left without concurrency. Both sides sign with AK/SK.
"""

from __future__ import annotations

import asyncio
import functools
import math
import time
from collections.abc import Callable

import httpx

from roma_connect import AsyncRomaConnect

from ._measure import Section, Series, interleave, ratio_check
from ._servers import ACCESS_KEY, PROJECT, SECRET_KEY, emulator_command, official_sdk_env, serve
from .paging import official

INSTANCES = 2_000
PAGE_SIZE = 100
LATENCY_MS = 50
CONCURRENCY = (1, 8, 16)
TARGET_CONCURRENCY = 16
OFFICIAL = "official SDK, sequential"


def name_of(concurrency: int) -> str:
    """The series name of our listing at ``concurrency``."""
    return f"ours, max_concurrency={concurrency}"


def round_trips(pages: int, concurrency: int) -> int:
    """Round trips ``list_all_instances`` needs: the first page, then waves of the rest."""
    return 1 + math.ceil((pages - 1) / concurrency) if pages > 1 else 1


async def _ours(url: str, concurrency: int) -> int:
    async with AsyncRomaConnect(
        endpoint=url, project_id=PROJECT, ak=ACCESS_KEY, sk=SECRET_KEY
    ) as roma:
        instances = await roma.list_all_instances(page_size=PAGE_SIZE, max_concurrency=concurrency)
    return len(instances)


def ours(url: str, concurrency: int) -> int:
    """How many instances our concurrent listing returns (one event loop per listing)."""
    return asyncio.run(_ours(url, concurrency))


def run(*, rounds: int = 5, budget: float = 25.0) -> Section:
    """Measure our concurrent listing at several concurrencies against the SDK's loop."""
    section = Section(
        "latency",
        f"Latency-bound listing: {INSTANCES:,} instances, limit={PAGE_SIZE}, "
        f"{LATENCY_MS} ms added per call",
    )
    started = time.monotonic()
    with serve(emulator_command("--seed", str(2 * INSTANCES))) as url, official_sdk_env():
        httpx.post(f"{url}/_emulator/latency", json={"ms": LATENCY_MS}, timeout=10)
        listings: dict[str, Callable[[], int]] = {
            name_of(c): functools.partial(ours, url, c) for c in CONCURRENCY
        }
        listings[OFFICIAL] = lambda: official(url)
        for name, listing in listings.items():
            count = listing()
            assert count == INSTANCES, f"{name} listed {count} instances, not {INSTANCES}"
        samples = interleave(listings, rounds=rounds, budget=budget, warmup=0)
        httpx.delete(f"{url}/_emulator/latency", timeout=10)
    section.series = [Series(name, "ms", values) for name, values in samples.items()]
    baseline = section.get(OFFICIAL)
    pages = INSTANCES // PAGE_SIZE
    for concurrency in CONCURRENCY:
        trips = round_trips(pages, concurrency)
        section.checks.append(
            ratio_check(
                f"latency.c{concurrency}",
                f"Latency-bound: speed-up over the SDK's loop, max_concurrency={concurrency} "
                f"({trips} round trips vs {pages}; at most {pages / trips:.1f}x)",
                section.get(name_of(concurrency)),
                baseline,
                ">=",
                5.0,
                invert=True,
                informational=concurrency != TARGET_CONCURRENCY,
            )
        )
    section.facts = {
        "instances": INSTANCES,
        "page_size": PAGE_SIZE,
        "pages": pages,
        "latency_ms": LATENCY_MS,
        "target_concurrency": TARGET_CONCURRENCY,
        "rounds": len(baseline.samples),
    }
    section.seconds = time.monotonic() - started
    return section
