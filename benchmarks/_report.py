"""What a run leaves behind: ``results.json``, ``results.md``, PNG plots, the README's table."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from ._measure import Check, Section, Series, format_value

START = "<!-- bench:start -->"
END = "<!-- bench:end -->"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def targets_table(checks: Sequence[Check]) -> str:
    """The targets as a Markdown table: what, measured, baseline, value, goal, result."""
    lines = [
        "| Target | Measured | Baseline | Value | Goal | Result |",
        "| --- | --- | --- | ---: | --- | --- |",
    ]
    for check in checks:
        result = {"pass": "**pass**", "miss": "**MISS**", "info": "info"}[check.verdict]
        lines.append(
            f"| {_cell(check.title)} | {_cell(check.measured)} | {_cell(check.baseline) or '—'} "
            f"| {format_value(check.value, check.unit)} | {check.goal_text} | {result} |"
        )
    return "\n".join(lines)


def series_table(series: Sequence[Series]) -> str:
    """Every series of a section: median, min, max, number of runs."""
    lines = ["| Variant | Median | Min | Max | Runs |", "| --- | ---: | ---: | ---: | ---: |"]
    for s in series:
        lines.append(
            f"| {_cell(s.name)} | {format_value(s.median, s.unit)} | "
            f"{format_value(s.low, s.unit)} | {format_value(s.high, s.unit)} | {len(s.samples)} |"
        )
    return "\n".join(lines)


def summary_line(meta: dict[str, Any]) -> str:
    """One line on when and where: date, CPUs, Python, wall time of the run."""
    machine = meta["machine"]
    minutes, seconds = divmod(round(meta["wall_time_s"]), 60)
    return (
        f"Measured {meta['date']} on {machine['cpus']} CPUs ({machine['cpu_model']}), "
        f"Python {meta['python']}, {machine['platform']}; the whole `make bench` took "
        f"{minutes} min {seconds:02d} s."
    )


def readme_block(meta: dict[str, Any], checks: Sequence[Check]) -> str:
    """What goes between the README's markers."""
    return "\n\n".join(
        [
            summary_line(meta) + " Every value is a ratio of medians measured in the same run "
            "(or a wall time); details, plots and the method: "
            "[docs/bench/results.md](docs/bench/results.md).",
            targets_table(checks),
        ]
    )


def replace_region(text: str, block: str) -> str:
    """``text`` with what lies between the bench markers replaced by ``block``.

    Everything outside the markers is kept byte for byte; ValueError when they are missing,
    repeated or out of order.
    """
    if text.count(START) != 1 or text.count(END) != 1:
        raise ValueError(f"expected exactly one {START} and one {END}")
    head, rest = text.split(START)
    _, tail = rest.split(END)
    if END in head:
        raise ValueError(f"{END} comes before {START}")
    return f"{head}{START}\n{block}\n{END}{tail}"


def results_markdown(meta: dict[str, Any], sections: Sequence[Section]) -> str:
    """``docs/bench/results.md``: the targets, then each benchmark with its plot and figures."""
    checks = [c for s in sections for c in s.checks]
    parts = [
        "# Benchmark results",
        "Written by `make bench` (`python -m benchmarks`); do not edit. "
        + summary_line(meta)
        + " How each figure is measured and how to read it: [README.md](README.md).",
        "## Targets",
        targets_table(checks),
    ]
    for section in sections:
        parts.append(f"## {section.title}")
        if (Path(meta["output"]) / f"{section.name}.png").exists():
            parts.append(f"![{section.name}]({section.name}.png)")
        parts.append(series_table(section.series))
        facts = {k: v for k, v in section.facts.items() if k != "runs"}
        if facts:
            parts.append(
                "Set-up: " + "; ".join(f"{key}: {value}" for key, value in facts.items()) + "."
            )
        parts += [f"Note: {note}" for note in section.notes]
        parts.append(f"Section wall time: {section.seconds:.0f} s.")
    return "\n\n".join(parts) + "\n"


def results_json(meta: dict[str, Any], sections: Sequence[Section]) -> str:
    """``docs/bench/results.json``: run metadata, every sample, every target."""
    document = {
        **{k: v for k, v in meta.items() if k != "output"},
        "targets": [c.to_dict() for s in sections for c in s.checks],
        "benchmarks": {s.name: s.to_dict() for s in sections},
    }
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def plot(section: Section, path: Path) -> None:
    """A bar chart per unit of the section's series: medians, with min-max whiskers."""
    import matplotlib

    matplotlib.use("Agg")  # files only: no display on a build machine
    import matplotlib.pyplot as plt

    units = list(dict.fromkeys(s.unit for s in section.series))
    figure, axes = plt.subplots(
        len(units), 1, figsize=(9, 1.2 + 0.55 * len(section.series)), squeeze=False
    )
    for axis, unit in zip(axes[:, 0], units, strict=True):
        chosen = [s for s in section.series if s.unit == unit]
        medians = [s.median for s in chosen]
        whiskers = [
            [s.median - s.low for s in chosen],
            [s.high - s.median for s in chosen],
        ]
        colours = [
            "tab:blue" if s.name.startswith(("ours", "emulator")) else "tab:gray" for s in chosen
        ]
        positions = range(len(chosen))
        axis.barh(positions, medians, xerr=whiskers, color=colours, capsize=3)
        axis.set_yticks(list(positions), [s.name for s in chosen], fontsize=8)
        axis.invert_yaxis()
        axis.set_xlabel(f"{unit} (median; whiskers: min-max)", fontsize=8)
        for position, s in zip(positions, chosen, strict=True):
            axis.annotate(
                format_value(s.median, unit),
                (s.high, position),  # past the whisker, so the label never covers it
                xytext=(4, 0),
                textcoords="offset points",
                va="center",
                fontsize=7,
            )
        axis.margins(x=0.2)
    axes[0, 0].set_title(section.title, fontsize=9)
    figure.tight_layout()
    # No date or version in the file's metadata: only the figures change between runs.
    figure.savefig(path, dpi=110, metadata={"Software": None})
    plt.close(figure)


def write(
    output: Path, readme: Path | None, meta: dict[str, Any], sections: Sequence[Section]
) -> list[Path]:
    """Write every artefact; returns the paths written."""
    output.mkdir(parents=True, exist_ok=True)
    meta = {**meta, "output": str(output)}
    written = []
    for section in sections:
        if section.series:
            path = output / f"{section.name}.png"
            plot(section, path)
            written.append(path)
    (output / "results.json").write_text(results_json(meta, sections), encoding="utf-8")
    (output / "results.md").write_text(results_markdown(meta, sections), encoding="utf-8")
    written += [output / "results.json", output / "results.md"]
    if readme is not None:
        checks = [c for s in sections for c in s.checks]
        text = readme.read_text(encoding="utf-8")
        readme.write_text(replace_region(text, readme_block(meta, checks)), encoding="utf-8")
        written.append(readme)
    return written
