"""``make publish``: what other teams get is complete, consistent, offline and deterministic."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
import yaml

from generator import publish
from tests.spec_tools import SPEC_PATH, load_spec


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    into = tmp_path_factory.mktemp("dist")
    publish.build(into)
    return into


def test_every_artefact_is_there(dist: Path) -> None:
    names = sorted(str(p.relative_to(dist)) for p in dist.rglob("*") if p.is_file())
    assert names == [
        "CHANGELOG.md",
        "SHA256SUMS",
        "examples/instances.json",
        "examples/instances.yaml",
        "openapi.dereferenced.json",
        "openapi.json",
        "openapi.yaml",
        "reference.html",
    ]


def test_bundles_carry_the_spec(dist: Path) -> None:
    bundled = yaml.safe_load((dist / "openapi.yaml").read_text())
    assert bundled == json.loads((dist / "openapi.json").read_text())
    assert bundled == load_spec(SPEC_PATH)  # a single-file spec bundles to itself
    dereferenced = (dist / "openapi.dereferenced.json").read_text()
    assert "$ref" not in dereferenced
    instance = json.loads(dereferenced)["components"]["schemas"]["ListInstancesResponse"]
    assert instance["properties"]["instances"]["items"]["properties"]["status"]["enum"]


def test_the_html_reference_works_offline(dist: Path) -> None:
    html = (dist / "reference.html").read_text()
    loads = re.findall(r'<(?:script|link|img)[^>]+(?:src|href)="(https?://[^"]+)"', html)
    assert loads == [], loads  # nothing fetched from a CDN
    assert "listInstances" in html or "Querying instance list" in html


def test_examples_and_changelog(dist: Path) -> None:
    assert json.loads((dist / "examples/instances.json").read_text()) == yaml.safe_load(
        (dist / "examples/instances.yaml").read_text()
    )
    version = load_spec(SPEC_PATH)["info"]["version"]
    assert (dist / "CHANGELOG.md").read_text().startswith(f"## [{version}]")


def test_checksums(dist: Path) -> None:
    for line in (dist / "SHA256SUMS").read_text().splitlines():
        digest, name = line.split("  ")
        assert hashlib.sha256((dist / name).read_bytes()).hexdigest() == digest


def test_output_is_deterministic(dist: Path, tmp_path: Path) -> None:
    publish.build(tmp_path)
    assert (tmp_path / "SHA256SUMS").read_text() == (dist / "SHA256SUMS").read_text()


def test_a_version_without_a_changelog_entry_is_refused() -> None:
    with pytest.raises(publish.PublishError, match=r"no entry for 9\.9\.9"):
        publish.changelog_entry("9.9.9", "## [1.0.0] - 2026-11-27\n- first\n")
    entry = publish.changelog_entry(
        "1.0.0", "# x\n## [Unreleased]\n## [1.0.0] - d\n- a\n## [0.9.0]\n"
    )
    assert entry == "## [1.0.0] - d\n- a\n"
