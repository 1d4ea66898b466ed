"""Timing, summaries and targets: the pure part of the harness (no I/O, no servers)."""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

Op = Literal["<=", ">="]


@dataclass
class Series:
    """Repeated measurements of one variant, in ``unit`` (``ms``, ``s`` or ``req/s``)."""

    name: str
    unit: str
    samples: list[float]
    note: str = ""

    @property
    def median(self) -> float:
        """The median sample (what every ratio is computed from)."""
        return statistics.median(self.samples)

    @property
    def low(self) -> float:
        """The smallest sample."""
        return min(self.samples)

    @property
    def high(self) -> float:
        """The largest sample."""
        return max(self.samples)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form, samples included."""
        return {
            "name": self.name,
            "unit": self.unit,
            "median": self.median,
            "min": self.low,
            "max": self.high,
            "n": len(self.samples),
            "samples": self.samples,
            "note": self.note,
        }


@dataclass(frozen=True)
class Check:
    """A target: ``value`` (a ratio, or an absolute figure) held against ``goal``."""

    id: str
    title: str
    value: float
    unit: str  # "x" for ratios, else the unit of an absolute figure
    op: Op
    goal: float | None  # None: a figure shown for information, with no goal
    measured: str  # what was measured, human-readable ("ours 4.41 ms")
    baseline: str  # what it was compared with ("orjson.loads 1.47 ms"), or ""
    informational: bool = False  # shown, but not a target of the issue

    @property
    def passed(self) -> bool:
        """Whether the target is met (always True for informational rows)."""
        if self.informational or self.goal is None:
            return True
        return self.value <= self.goal if self.op == "<=" else self.value >= self.goal

    @property
    def verdict(self) -> str:
        """``pass``, ``miss`` or ``info``."""
        if self.informational:
            return "info"
        return "pass" if self.passed else "miss"

    @property
    def goal_text(self) -> str:
        """``≤ 4.00x``, ``≥ 1,500 req/s``; ``—`` when there is no goal."""
        if self.goal is None:
            return "—"
        return f"{'≤' if self.op == '<=' else '≥'} {format_value(self.goal, self.unit)}"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "id": self.id,
            "title": self.title,
            "value": self.value,
            "unit": self.unit,
            "goal": self.goal_text,
            "measured": self.measured,
            "baseline": self.baseline,
            "result": self.verdict,
        }


@dataclass
class Section:
    """One benchmark's outcome: its series, the targets it decides, notes for the reader."""

    name: str
    title: str
    series: list[Series] = field(default_factory=list)
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    facts: dict[str, Any] = field(default_factory=dict)  # set-up facts: sizes, tools, versions
    seconds: float = 0.0  # wall time of the whole section, set-up included

    def get(self, name: str) -> Series:
        """The series called ``name``."""
        for series in self.series:
            if series.name == name:
                return series
        raise KeyError(name)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready form."""
        return {
            "title": self.title,
            "seconds": round(self.seconds, 1),
            "series": [s.to_dict() for s in self.series],
            "checks": [c.to_dict() for c in self.checks],
            "notes": self.notes,
            "facts": self.facts,
        }


def format_value(value: float, unit: str) -> str:
    """A figure for a table: ratios as ``3.02x``, times and rates with sensible precision."""
    if unit == "x":
        return f"{value:.2f}x"
    if unit == "req/s":
        return f"{value:,.0f} req/s"
    if value >= 100:
        return f"{value:,.0f} {unit}"
    if value >= 10:
        return f"{value:.1f} {unit}"
    return f"{value:.2f} {unit}" if value >= 1 else f"{value:.3f} {unit}"


def ratio_check(
    id: str,
    title: str,
    subject: Series,
    baseline: Series,
    op: Op,
    goal: float | None,
    *,
    invert: bool = False,
    informational: bool = False,
) -> Check:
    """A target on the ratio of two medians: ``subject / baseline``, or the inverse.

    ``invert`` turns a time ratio into a speed-up (``baseline / subject``: "2x faster").
    """
    value = baseline.median / subject.median if invert else subject.median / baseline.median
    return Check(
        id=id,
        title=title,
        value=value,
        unit="x",
        op=op,
        goal=goal,
        measured=f"{subject.name}: {format_value(subject.median, subject.unit)}",
        baseline=f"{baseline.name}: {format_value(baseline.median, baseline.unit)}",
        informational=informational,
    )


def absolute_check(
    id: str,
    title: str,
    subject: Series,
    op: Op,
    goal: float | None,
    *,
    informational: bool = False,
) -> Check:
    """A target on one median against an absolute goal in the series' unit."""
    return Check(
        id=id,
        title=title,
        value=subject.median,
        unit=subject.unit,
        op=op,
        goal=goal,
        measured=f"{subject.name}: {format_value(subject.median, subject.unit)}",
        baseline="",
        informational=informational,
    )


def interleave(
    variants: Mapping[str, Callable[[], object]],
    *,
    rounds: int,
    budget: float,
    min_rounds: int = 3,
    warmup: int = 1,
    scale: float = 1000.0,
    pause_gc: bool = False,
) -> dict[str, list[float]]:
    """Time each variant ``rounds`` times, round-robin, in ``1/scale`` seconds (ms by default).

    The variants take turns within a round, and the order rotates from round to round, so that
    a burst of noise on the shared machine, or a warm cache left by the previous variant, is
    spread over all of them. A collection runs before every sample (outside the timing) so one
    variant's garbage is not collected on another's clock; ``pause_gc`` also keeps the
    collector off during the sample (``timeit``'s protocol: what the code itself costs, not
    what the host process's heap makes collections cost). After ``min_rounds``, rounds stop
    once ``budget`` seconds are spent: the bench stays bounded on a slow machine.
    """
    names = list(variants)
    for _ in range(warmup):
        for name in names:
            variants[name]()
    samples: dict[str, list[float]] = {name: [] for name in names}
    started = time.monotonic()
    for round_ in range(rounds):
        if round_ >= min_rounds and time.monotonic() - started > budget:
            break
        shift = round_ % len(names)
        for name in names[shift:] + names[:shift]:
            gc.collect()
            if pause_gc:
                gc.disable()
            try:
                begin = time.perf_counter()
                variants[name]()
                samples[name].append((time.perf_counter() - begin) * scale)
            finally:
                gc.enable()
    return samples
