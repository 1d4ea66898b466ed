"""Small helpers the tests share for reading ``openapi.yaml``."""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi.yaml"


@cache
def _load(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as handle:
        spec: dict[str, Any] = yaml.safe_load(handle)
    return spec


def load_spec(path: Path = SPEC_PATH) -> dict[str, Any]:
    """The spec as PyYAML reads it (YAML 1.1, like most Python tools). Do not mutate it."""
    return _load(path)


def deref(spec: Mapping[str, Any], node: Any) -> Any:
    """Follow local ``$ref``s until ``node`` is not a reference."""
    while isinstance(node, Mapping) and "$ref" in node:
        ref: str = node["$ref"]
        node = spec
        for token in ref.removeprefix("#/").split("/"):
            node = node[token.replace("~1", "/").replace("~0", "~")]
    return node


def operation(spec: Mapping[str, Any], method: str, path: str) -> dict[str, Any]:
    """The Operation Object, with path-level parameters merged in (dereferenced)."""
    item = spec["paths"][path]
    op: dict[str, Any] = dict(item[method.lower()])
    params = [deref(spec, p) for p in item.get("parameters", []) + op.get("parameters", [])]
    op["parameters"] = params
    return op
