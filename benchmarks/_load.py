"""Load generation for the throughput benchmark: ``wrk`` (installed on demand), or a bounded
Python fallback when wrk cannot be had.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import statistics
import subprocess
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

_UNITS = {"us": 1e-3, "ms": 1.0, "s": 1e3, "m": 60e3, "h": 3600e3}
_PERCENTILE = re.compile(r"^\s*(50|75|90|99)(?:\.0+)?%\s+([\d.]+)(us|ms|s|m|h)\s*$", re.M)
_RATE = re.compile(r"^Requests/sec:\s+([\d.]+)", re.M)
_TOTAL = re.compile(r"^\s*(\d+) requests in ([\d.]+)(us|ms|s|m|h)", re.M)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


@dataclass(frozen=True)
class LoadResult:
    """One load run: throughput and latency percentiles (ms), and what produced them."""

    requests_per_s: float
    p50_ms: float
    p90_ms: float
    p99_ms: float
    requests: int
    errors: int
    tool: str

    def to_dict(self) -> dict[str, float | int | str]:
        """JSON-ready form."""
        return {
            "requests_per_s": self.requests_per_s,
            "p50_ms": self.p50_ms,
            "p90_ms": self.p90_ms,
            "p99_ms": self.p99_ms,
            "requests": self.requests,
            "errors": self.errors,
            "tool": self.tool,
        }


def parse_wrk(output: str) -> LoadResult:
    """Read ``wrk --latency`` output: requests/s, p50/p90/p99, request and error counts."""
    rate = _RATE.search(output)
    total = _TOTAL.search(output)
    percentiles = {int(p): float(v) * _UNITS[u] for p, v, u in _PERCENTILE.findall(output)}
    if rate is None or total is None or not {50, 90, 99} <= percentiles.keys():
        raise ValueError(f"not wrk --latency output:\n{output}")
    errors = sum(int(n) for n in _NON_2XX.findall(output))
    if socket_errors := _SOCKET_ERRORS.search(output):
        errors += sum(int(n) for n in socket_errors.groups())
    return LoadResult(
        requests_per_s=float(rate.group(1)),
        p50_ms=percentiles[50],
        p90_ms=percentiles[90],
        p99_ms=percentiles[99],
        requests=int(total.group(1)),
        errors=errors,
        tool="wrk",
    )


def ensure_wrk(log: list[str]) -> str | None:
    """The path of ``wrk``, installing Debian's package when missing; None if it cannot be had.

    What was tried goes to ``log`` (it ends up in the results). apt-get runs only as root and
    only when wrk is missing, each step bounded in time.
    """
    found = shutil.which("wrk")
    if found:
        return found
    if shutil.which("apt-get") is None or os.geteuid() != 0:
        log.append("wrk is not installed and apt-get is not usable here (not root, or no apt)")
        return None
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for step in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", "wrk"]):
        try:
            result = subprocess.run(step, env=env, capture_output=True, text=True, timeout=300)
        except subprocess.TimeoutExpired:
            log.append(f"{' '.join(step)} timed out")
            return None
        if result.returncode != 0:
            tail = (result.stderr or result.stdout).strip().splitlines()[-1:]
            log.append(f"{' '.join(step)} failed: {' '.join(tail)}")
            return None
    log.append("wrk was missing: installed Debian's package with apt-get")
    return shutil.which("wrk")


# Each wrk thread walks page offsets 0, 100 · 7919 mod pages, … (the same for every run), so
# a run touches the whole listing rather than one cached page.
SWEEP_SCRIPT = """\
local counter = 0
request = function()
  counter = counter + 1
  local offset = ((counter * 7919) %% %(pages)d) * %(limit)d
  return wrk.format(nil, "%(path)s?offset=" .. offset .. "&limit=%(limit)d")
end
"""


def run_wrk(
    wrk: str,
    url: str,
    *,
    headers: dict[str, str],
    seconds: int,
    connections: int,
    threads: int,
    script: Path | None = None,
) -> LoadResult:
    """One bounded wrk run (``--latency``); its own timeout guards against a hung server."""
    command = [wrk, f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    for name, value in headers.items():
        command += ["-H", f"{name}: {value}"]
    if script is not None:
        command += ["-s", str(script)]
    result = subprocess.run(
        [*command, url], capture_output=True, text=True, timeout=seconds + 30, check=True
    )
    return parse_wrk(result.stdout)


def run_python(
    url: str,
    *,
    headers: dict[str, str],
    seconds: float,
    connections: int,
    paths: list[str] | None = None,
    max_requests: int = 200_000,
) -> LoadResult:
    """The fallback: ``connections`` threads with keep-alive connections, bounded in time and
    count. On a 2-core machine it saturates the client before the server: a lower bound."""
    parts = urlsplit(url)
    host, port = parts.hostname or "127.0.0.1", parts.port or 80
    target = parts.path + (f"?{parts.query}" if parts.query else "")
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def worker(index: int) -> None:
        connection = http.client.HTTPConnection(host, port, timeout=10)
        mine: list[float] = []
        n = index
        while time.monotonic() < deadline and len(mine) * connections < max_requests:
            path = paths[n % len(paths)] if paths else target
            n += connections
            begin = time.perf_counter()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status != 200:
                    errors[0] += 1
            except (OSError, http.client.HTTPException):
                errors[0] += 1
                connection.close()
                connection = http.client.HTTPConnection(host, port, timeout=10)
                continue
            mine.append((time.perf_counter() - begin) * 1000)
        connection.close()
        with lock:
            latencies.extend(mine)

    started = time.perf_counter()
    workers = [threading.Thread(target=worker, args=(i,)) for i in range(connections)]
    for thread in workers:
        thread.start()
    for thread in workers:
        thread.join(timeout=seconds + 30)
    elapsed = time.perf_counter() - started
    if not latencies:
        raise RuntimeError("the Python load generator got no answer")
    cuts = statistics.quantiles(latencies, n=100)
    return LoadResult(
        requests_per_s=len(latencies) / elapsed,
        p50_ms=cuts[49],
        p90_ms=cuts[89],
        p99_ms=cuts[98],
        requests=len(latencies),
        errors=errors[0],
        tool="python (http.client threads)",
    )
