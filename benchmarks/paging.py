"""Sequential paging: 10,000 instances at ``limit=100`` from the emulator, in another process.

Each variant is one complete listing as a user's script runs it, client construction included
(what ``RomaConnect(...)`` and the official SDK's builder cost is part of what a user waits
for):

- ours with a token, and ours with AK/SK (``RomaConnect(...).iter_instances(page_size=100)``);
- the official SDK (AK/SK only: it has no token auth), ``check_roma_instance_list_v2`` in an
  offset loop;
- raw httpx: a plain ``httpx.Client`` with the token and ``json.loads``, no model, no checks
  (the floor for any client built on httpx).

Like is compared with like: ours with AK/SK against the official SDK (both sign every call,
the emulator verifies both), ours with a token against raw httpx with a token.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable

import httpx
from huaweicloudsdkroma.v2 import CheckRomaInstanceListV2Request

from roma_connect import RomaConnect

from ._measure import Section, Series, interleave, ratio_check
from ._servers import (
    ACCESS_KEY,
    PROJECT,
    SECRET_KEY,
    TOKEN,
    emulator_command,
    official_client,
    official_sdk_env,
    serve,
)

INSTANCES = 10_000
PAGE_SIZE = 100
OURS_TOKEN = "ours, token"
OURS_AKSK = "ours, AK/SK"
OFFICIAL = "official SDK, AK/SK"
RAW = "raw httpx + json.loads, token"


def ours(
    url: str, *, token: str | None = None, ak: str | None = None, sk: str | None = None
) -> int:
    """How many instances ``RomaConnect.iter_instances`` lists."""
    with RomaConnect(endpoint=url, project_id=PROJECT, token=token, ak=ak, sk=sk) as roma:
        return sum(1 for _ in roma.iter_instances(page_size=PAGE_SIZE))


def official(url: str) -> int:
    """How many instances the official SDK lists, page after page by offset."""
    client = official_client(url)
    count = offset = 0
    while True:
        page = client.check_roma_instance_list_v2(
            CheckRomaInstanceListV2Request(offset=offset, limit=PAGE_SIZE)
        )
        count += len(page.instances)
        offset += len(page.instances)
        if not page.instances or offset >= page.total:
            return count


def raw(url: str) -> int:
    """How many instances a bare httpx loop lists (no model, no error handling)."""
    count = offset = 0
    with httpx.Client(base_url=url, headers={"X-Auth-Token": TOKEN}) as client:
        while True:
            response = client.get(
                f"/v2/{PROJECT}/instances", params={"offset": offset, "limit": PAGE_SIZE}
            )
            page = json.loads(response.content)
            count += len(page["instances"])
            offset += len(page["instances"])
            if not page["instances"] or offset >= page["total"]:
                return count


def run(*, rounds: int = 9, budget: float = 25.0) -> Section:
    """Measure the four listings, interleaved, against one emulator process."""
    section = Section(
        "paging", f"Sequential paging: {INSTANCES:,} instances at limit={PAGE_SIZE} on loopback"
    )
    started = time.monotonic()
    with serve(emulator_command("--seed", str(2 * INSTANCES))) as url, official_sdk_env():
        listings: dict[str, Callable[[], int]] = {
            OURS_TOKEN: lambda: ours(url, token=TOKEN),
            OURS_AKSK: lambda: ours(url, ak=ACCESS_KEY, sk=SECRET_KEY),
            OFFICIAL: lambda: official(url),
            RAW: lambda: raw(url),
        }
        for name, listing in listings.items():
            count = listing()
            assert count == INSTANCES, f"{name} listed {count} instances, not {INSTANCES}"
        samples = interleave(listings, rounds=rounds, budget=budget, warmup=0)
    section.series = [Series(name, "ms", values) for name, values in samples.items()]
    token, aksk = section.get(OURS_TOKEN), section.get(OURS_AKSK)
    section.checks = [
        ratio_check(
            "paging.official",
            "Paging: speed-up over the official SDK (both AK/SK)",
            aksk,
            section.get(OFFICIAL),
            ">=",
            2.0,
            invert=True,
        ),
        ratio_check(
            "paging.raw",
            "Paging: ours vs raw httpx + json.loads (both token)",
            token,
            section.get(RAW),
            "<=",
            1.3,
        ),
        ratio_check(
            "paging.official_token",
            "Paging: ours with a token vs the official SDK with AK/SK (speed-up)",
            token,
            section.get(OFFICIAL),
            ">=",
            2.0,
            invert=True,
            informational=True,
        ),
    ]
    section.facts = {
        "instances": INSTANCES,
        "page_size": PAGE_SIZE,
        "pages": INSTANCES // PAGE_SIZE,
        "rounds": len(token.samples),
        "server": "emulator in its own process (SQLite in memory), loopback",
    }
    section.seconds = time.monotonic() - started
    return section
