"""Decode a 1,000-instance page: our client's path against the official SDK's and two floors.

The bytes are what the emulator serves (fetched once over loopback): it caps a page at 500, so
two pages of 500 are joined into one page of 1,000, byte for byte as the emulator renders a
page. Each variant turns those bytes into what its caller gets:

- ours: ``RomaConnect``'s response handling (``_Base._page``: the status check, then the
  generated pydantic model's ``model_validate_json``);
- the official SDK: its ``ApiClient.sync_response_handler`` on a ``requests.Response`` holding
  the same bytes and headers, which is what ``check_roma_instance_list_v2`` runs after the
  HTTP call (``json.loads`` with ``parse_float=Decimal``, then ``_deserialize`` into
  ``CheckRomaInstanceListV2Response`` model by model);
- ``json.loads`` (the standard library) and ``orjson.loads`` (the floor: no model at all).

Two protocols, both interleaved in one process: the collector paused during each sample
(``timeit``'s: the decoder's own cost; the target is read on it), and the collector on (what
a process of this size adds: a model-building decoder allocates more objects, so collections
cost it more). The official SDK is imported in the same process, which makes every variant
slower than in a small process (a bigger heap); the ratios hold.
"""

from __future__ import annotations

import json
import time
from typing import Any

import httpx
import orjson
import requests
from requests.structures import CaseInsensitiveDict
from requests.utils import get_encoding_from_headers

from roma_connect._client import RomaConnect

from ._measure import Section, Series, interleave, ratio_check
from ._servers import PROJECT, TOKEN, emulator_command, official_client, official_sdk_env, serve

PAGE = 1000
OURS = "ours (model_validate_json)"
OFFICIAL = "official SDK (sync_response_handler)"
JSON = "json.loads"
ORJSON = "orjson.loads (floor)"


_INSTANCES = b'"instances":['


def join_pages(bodies: list[bytes]) -> bytes:
    """One page holding the instances of ``bodies`` (the emulator's pages), in order.

    The emulator renders ``{"total":T,"size":S,"instances":[...]}`` compactly; the result has
    the same shape, ``size`` the number of instances joined.
    """
    inner = [body[body.index(_INSTANCES) + len(_INSTANCES) : body.rindex(b"]}")] for body in bodies]
    total = json.loads(bodies[0])["total"]
    size = sum(len(json.loads(body)["instances"]) for body in bodies)
    joined = b",".join(part for part in inner if part)
    return b'{"total":%d,"size":%d,"instances":[%s]}' % (total, size, joined)


def fetch_page(url: str, count: int, page_size: int = 500) -> httpx.Response:
    """``count`` instances from the emulator as one page (bytes and headers of a real answer)."""
    bodies = []
    with httpx.Client(base_url=url, headers={"X-Auth-Token": TOKEN}, timeout=30) as client:
        for offset in range(0, count, page_size):
            response = client.get(
                f"/v2/{PROJECT}/instances",
                params={"offset": offset, "limit": min(page_size, count - offset)},
            )
            response.raise_for_status()
            bodies.append(response.content)
    headers = {k: v for k, v in response.headers.items() if k.lower() != "content-length"}
    return httpx.Response(200, headers=headers, content=join_pages(bodies))


def as_requests_response(response: httpx.Response) -> requests.Response:
    """The same answer as the official SDK's ``requests`` transport would hand it over."""
    converted = requests.Response()
    converted.status_code = response.status_code
    converted.headers = CaseInsensitiveDict(response.headers)
    converted._content = response.content
    # requests reads the charset from the headers (utf-8 for application/json); without it,
    # .text would run charset detection, which the SDK never pays on a real response.
    converted.encoding = get_encoding_from_headers(converted.headers)
    return converted


def run(*, rounds: int = 25, budget: float = 20.0) -> Section:
    """Measure the four decoders on the same bytes, interleaved."""
    section = Section("decode", f"Decode a {PAGE:,}-instance page (bytes as the emulator serves)")
    started = time.monotonic()
    # 2 x PAGE demo instances: round-robin over two projects puts PAGE in the bench's project.
    with serve(emulator_command("--seed", str(2 * PAGE))) as url:
        response = fetch_page(url, PAGE)
    body = response.content
    with official_sdk_env():
        client = official_client("http://127.0.0.1:9")  # never called: only its deserialiser
        official_response = as_requests_response(response)

        def official() -> Any:
            return client.sync_response_handler(
                official_response, "CheckRomaInstanceListV2Response", [], None
            )

        variants = {
            OURS: lambda: RomaConnect._page(response),
            OFFICIAL: official,
            JSON: lambda: json.loads(body),
            ORJSON: lambda: orjson.loads(body),
        }
        # Every variant must really decode the page, or the comparison is void.
        assert len(RomaConnect._page(response).instances) == PAGE
        assert len(official().instances) == PAGE
        assert len(json.loads(body)["instances"]) == len(orjson.loads(body)["instances"]) == PAGE
        paused = interleave(variants, rounds=rounds, budget=budget, pause_gc=True)
        collected = interleave(variants, rounds=rounds, budget=budget, warmup=0)
    section.series = [Series(name, "ms", values) for name, values in paused.items()]
    section.series += [Series(f"{name}, GC on", "ms", values) for name, values in collected.items()]
    ours, floor = section.get(OURS), section.get(ORJSON)
    section.checks = [
        ratio_check("decode.orjson", "Decode: ours vs orjson.loads", ours, floor, "<=", 4.0),
        ratio_check(
            "decode.orjson_gc",
            "Decode: ours vs orjson.loads, collector on",
            section.get(f"{OURS}, GC on"),
            section.get(f"{ORJSON}, GC on"),
            "<=",
            4.0,
            informational=True,
        ),
        ratio_check(
            "decode.official",
            "Decode: speed-up over the official SDK",
            ours,
            section.get(OFFICIAL),
            ">=",
            None,
            invert=True,
            informational=True,
        ),
        ratio_check(
            "decode.json",
            "Decode: ours vs json.loads",
            ours,
            section.get(JSON),
            "<=",
            None,
            informational=True,
        ),
    ]
    section.facts = {"instances": PAGE, "bytes": len(body), "rounds": len(ours.samples)}
    section.seconds = time.monotonic() - started
    return section
