"""The bench harness's pure parts (``benchmarks/``): parsing, ratios, tables, the README region.

No timing is asserted here: ``make bench`` measures, ``make test`` only checks the arithmetic
and the text the harness writes.
"""

from __future__ import annotations

import json
import os
import time

import pytest

from benchmarks import _load, _measure, _report, decode, latency
from benchmarks._servers import wait_for_banner

WRK_OUTPUT = """\
Running 5s test @ http://127.0.0.1:8765/v2/p/instances?offset=0&limit=100
  2 threads and 10 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency     2.98ms    0.92ms  23.45ms   89.17%
    Req/Sec     1.69k   104.40     1.92k    75.00%
  Latency Distribution
     50%  369.00us
     75%    2.81ms
     90%    5.05ms
     99%    1.20s
  16829 requests in 5.00s, 1.28GB read
  Non-2xx or 3xx responses: 3
  Socket errors: connect 0, read 1, write 0, timeout 2
Requests/sec:   3364.08
Transfer/sec:    262.02MB
"""


def test_wrk_output_is_read_with_units_and_errors() -> None:
    result = _load.parse_wrk(WRK_OUTPUT)
    assert result.requests_per_s == 3364.08
    assert result.p50_ms == pytest.approx(0.369)
    assert result.p90_ms == pytest.approx(5.05)
    assert result.p99_ms == pytest.approx(1200.0)
    assert result.requests == 16829
    assert result.errors == 3 + 1 + 2


def test_output_that_is_not_wrk_latency_output_is_refused() -> None:
    with pytest.raises(ValueError, match="not wrk --latency output"):
        _load.parse_wrk("Requests/sec: 10\n")


def test_the_sweep_script_walks_every_page_of_the_listing() -> None:
    script = _load.SWEEP_SCRIPT % {"pages": 1000, "limit": 100, "path": "/v2/p/instances"}
    assert "% 1000) * 100" in script and '"/v2/p/instances?offset="' in script
    # 7919 is prime, so the walk visits every one of the 1,000 pages before repeating.
    assert len({(n * 7919) % 1000 for n in range(1, 1001)}) == 1000


def _series(name: str, *samples: float, unit: str = "ms") -> _measure.Series:
    return _measure.Series(name, unit, list(samples))


def test_a_ratio_is_of_medians_and_a_speed_up_is_its_inverse() -> None:
    ours, base = _series("ours", 1, 2, 30), _series("base", 4, 4, 5)
    slower = _measure.ratio_check("x", "t", ours, base, "<=", 0.6)
    assert slower.value == 0.5 and slower.passed and slower.verdict == "pass"
    faster = _measure.ratio_check("x", "t", ours, base, ">=", 2.5, invert=True)
    assert faster.value == 2.0 and not faster.passed and faster.verdict == "miss"
    assert faster.goal_text == "≥ 2.50x"
    info = _measure.ratio_check("x", "t", ours, base, ">=", None, informational=True)
    assert info.passed and info.verdict == "info" and info.goal_text == "—"


def test_values_are_formatted_for_tables() -> None:
    assert _measure.format_value(3.0199, "x") == "3.02x"
    assert _measure.format_value(11_211.4, "req/s") == "11,211 req/s"
    assert _measure.format_value(0.5271, "s") == "0.527 s"
    assert _measure.format_value(4.41, "ms") == "4.41 ms"
    assert _measure.format_value(1121.0, "ms") == "1,121 ms"


def test_interleaving_rotates_the_order_and_counts_each_variant() -> None:
    order: list[str] = []
    variants = {name: (lambda name=name: order.append(name)) for name in "abc"}
    samples = _measure.interleave(variants, rounds=3, budget=60, warmup=0, pause_gc=True)
    assert {name: len(values) for name, values in samples.items()} == {"a": 3, "b": 3, "c": 3}
    assert order == list("abcbcacab")


def test_the_readme_region_is_replaced_and_nothing_else() -> None:
    text = "# Title\n\nbefore\n<!-- bench:start -->\nold\n<!-- bench:end -->\nafter\n"
    replaced = _report.replace_region(text, "| new |")
    assert (
        replaced == "# Title\n\nbefore\n<!-- bench:start -->\n| new |\n<!-- bench:end -->\nafter\n"
    )
    assert _report.replace_region(replaced, "| new |") == replaced
    for broken in (
        "no markers",
        text + "<!-- bench:end -->",
        "<!-- bench:end --><!-- bench:start -->",
    ):
        with pytest.raises(ValueError):
            _report.replace_region(broken, "x")


def test_the_targets_table_has_a_row_per_check_with_its_verdict() -> None:
    ours, base = _series("ours | a", 2), _series("base", 4)
    checks = [
        _measure.ratio_check("a", "A", ours, base, ">=", 2.0, invert=True),
        _measure.absolute_check("b", "B", _series("cli", 0.7, unit="s"), "<=", 0.6),
    ]
    table = _report.targets_table(checks).splitlines()
    assert len(table) == 2 + len(checks)
    assert "ours \\| a" in table[2] and "2.00x" in table[2] and "**pass**" in table[2]
    assert "0.700 s" in table[3] and "≤ 0.600 s" in table[3] and "**MISS**" in table[3]


def test_results_json_holds_every_sample_and_target() -> None:
    section = _measure.Section("demo", "Demo", series=[_series("ours", 1, 3), _series("base", 4)])
    ours, base = section.series
    section.checks = [_measure.ratio_check("demo.x", "X", ours, base, "<=", 1.0)]
    meta = {"date": "2026-01-01", "wall_time_s": 1.0, "python": "3.11", "output": "/tmp"}
    document = json.loads(_report.results_json(meta, [section]))
    assert document["targets"][0] == {
        "id": "demo.x",
        "title": "X",
        "value": 0.5,
        "unit": "x",
        "goal": "≤ 1.00x",
        "measured": "ours: 2.00 ms",
        "baseline": "base: 4.00 ms",
        "result": "pass",
    }
    assert document["benchmarks"]["demo"]["series"][0]["samples"] == [1, 3]
    assert "output" not in document


def test_pages_of_the_emulator_join_into_one_page() -> None:
    first = b'{"total":3,"size":2,"instances":[{"id":"a","n":[1]},{"id":"b"}]}'
    second = b'{"total":3,"size":1,"instances":[{"id":"c"}]}'
    empty = b'{"total":3,"size":0,"instances":[]}'
    joined = decode.join_pages([first, second, empty])
    assert json.loads(joined) == {
        "total": 3,
        "size": 3,
        "instances": [{"id": "a", "n": [1]}, {"id": "b"}, {"id": "c"}],
    }


def test_round_trips_of_a_concurrent_listing() -> None:
    assert latency.round_trips(20, 1) == 20
    assert latency.round_trips(20, 8) == 4  # the first page, then 8 + 8 + 3
    assert latency.round_trips(20, 16) == 3
    assert latency.round_trips(20, 100) == 2
    assert latency.round_trips(1, 8) == 1


def test_the_banner_is_found_across_reads() -> None:
    read, write = os.pipe()
    with os.fdopen(read, "rb", buffering=0) as stream:
        os.write(write, b"roma-connect emulator: serving http://127.0.0.1:1\n  base URL:   http")
        os.write(write, b"://127.0.0.1:4321\n  project id: p\n")
        os.close(write)
        deadline = time.monotonic() + 10
        assert wait_for_banner(stream, deadline) == "http://127.0.0.1:4321"
