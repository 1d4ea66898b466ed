"""``make publish``: the artefacts other language teams consume, written to ``dist/``.

- ``openapi.yaml`` / ``openapi.json``: the bundled spec (Redocly CLI ``bundle``), one content in
  two syntaxes (checked: both parse to the same document);
- ``openapi.dereferenced.json``: no ``$ref`` at all, for tools with weak reference support;
- ``reference.html``: the HTML reference (Redocly ``build-docs``, scripts inlined: no CDN, it
  opens offline);
- ``examples/instances.yaml`` and ``.json``: the example instances (also the emulator's fixtures);
- ``CHANGELOG.md``: the changelog entry of this ``info.version`` (publishing without one fails);
- ``SHA256SUMS``: a checksum per file.

Everything is built in a temporary directory and then replaces ``dist/``; the output is
byte-identical from run to run.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "openapi.yaml"
DIST = ROOT / "dist"
REDOCLY = ROOT / "node_modules" / ".bin" / "redocly"
CONFIG = ROOT / "generator" / "redocly.yaml"
EXAMPLES = ROOT / "docs" / "examples" / "instances.yaml"
CHANGELOG = ROOT / "CHANGELOG.md"


class PublishError(Exception):
    """Something that stops a release; the message says what."""


def _redocly(*args: str) -> None:
    env = {**os.environ, "REDOCLY_TELEMETRY": "off", "REDOCLY_SUPPRESS_UPDATE_NOTICE": "true"}
    result = subprocess.run(
        [str(REDOCLY), *args, "--config", str(CONFIG)],
        cwd=ROOT, env=env, capture_output=True, text=True, check=False,
    )  # fmt: skip
    if result.returncode != 0:
        raise PublishError(f"redocly {args[0]} failed:\n{result.stdout}{result.stderr}")


def changelog_entry(version: str, changelog: str) -> str:
    """The ``## [version]`` section of a Keep-a-Changelog file."""
    match = re.search(
        rf"^## \[{re.escape(version)}\][^\n]*\n.*?(?=^## \[|\Z)",
        changelog,
        re.MULTILINE | re.DOTALL,
    )
    if match is None:
        raise PublishError(f"CHANGELOG.md has no entry for {version}: add one before publishing")
    return match.group(0).rstrip() + "\n"


def build(into: Path) -> None:
    """Write every artefact into ``into`` (an empty directory)."""
    spec: dict[str, Any] = yaml.safe_load(SPEC.read_text(encoding="utf-8"))
    version = spec["info"]["version"]

    _redocly("bundle", str(SPEC), "--output", str(into / "openapi.yaml"))
    _redocly("bundle", str(SPEC), "--ext", "json", "--output", str(into / "openapi.json"))
    dereferenced = into / "openapi.dereferenced.json"
    _redocly("bundle", str(SPEC), "--dereferenced", "--ext", "json", "--output", str(dereferenced))
    title = f"{spec['info']['title']} {version}"
    _redocly(
        "build-docs", str(SPEC), "--inlineBundle", "--title", title,
        "--output", str(into / "reference.html"),
    )  # fmt: skip

    bundled_yaml = yaml.safe_load((into / "openapi.yaml").read_text(encoding="utf-8"))
    bundled_json = json.loads((into / "openapi.json").read_text(encoding="utf-8"))
    if bundled_yaml != bundled_json:
        raise PublishError("the YAML and JSON bundles differ in content")
    if '"$ref"' in dereferenced.read_text(encoding="utf-8"):
        raise PublishError("the dereferenced bundle still holds a $ref")

    examples = into / "examples"
    examples.mkdir()
    shutil.copyfile(EXAMPLES, examples / "instances.yaml")
    instances = yaml.safe_load(EXAMPLES.read_text(encoding="utf-8"))
    text = json.dumps(instances, indent=2, ensure_ascii=False) + "\n"
    (examples / "instances.json").write_text(text, encoding="utf-8")

    entry = changelog_entry(version, CHANGELOG.read_text(encoding="utf-8"))
    (into / "CHANGELOG.md").write_text(entry, encoding="utf-8")

    files = sorted(p for p in into.rglob("*") if p.is_file())
    sums = "".join(
        f"{hashlib.sha256(p.read_bytes()).hexdigest()}  {p.relative_to(into)}\n" for p in files
    )
    (into / "SHA256SUMS").write_text(sums, encoding="utf-8")


def main() -> int:
    """Command-line entry point; returns the exit status."""
    try:
        with tempfile.TemporaryDirectory(prefix="roma-publish-") as scratch:
            fresh = Path(scratch) / "dist"
            fresh.mkdir()
            build(fresh)
            shutil.rmtree(DIST, ignore_errors=True)
            shutil.copytree(fresh, DIST)
    except PublishError as error:
        print(f"publish: {error}", file=sys.stderr)
        return 1
    for path in sorted(p for p in DIST.rglob("*") if p.is_file()):
        print(f"  dist/{path.relative_to(DIST)}  ({path.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
