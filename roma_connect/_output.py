"""How ``roma-connect instances list`` prints instances: a table, JSON or CSV.

JSON keeps the API's page shape; CSV has one column per field of the generated ``Instance``
model (nested objects flattened as ``created_user.user_id``, lists as JSON), so every field
the spec defines has its column, in the spec's order.
"""

from __future__ import annotations

import csv
import json
import typing
from collections.abc import Sequence
from typing import Any, TextIO

from pydantic import BaseModel
from roma_connect_models import Instance

# The table is for people: the fields that tell instances apart, in a terminal's width.
TABLE_COLUMNS = (
    ("ID", "id"),
    ("NAME", "name"),
    ("STATUS", "status"),
    ("FLAVOR", "flavor_type"),
    ("ARCH", "cpu_arch"),
    ("PUBLIC IP", "publicip_address"),
    ("CREATED", "create_time"),
)


def _dump(instance: Instance) -> dict[str, Any]:
    return instance.model_dump(mode="json", exclude_none=True)


def write_json(instances: Sequence[Instance], total: int, out: TextIO) -> None:
    """The page shape of the API: ``{"total", "size", "instances"}``."""
    page = {"total": total, "size": len(instances), "instances": [_dump(i) for i in instances]}
    json.dump(page, out, ensure_ascii=False, indent=2)
    out.write("\n")


def _nested_model(annotation: Any) -> type[BaseModel] | None:
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, BaseModel):
            return candidate
    return None


def csv_columns() -> list[str]:
    """Every field of the generated Instance model, nested ones flattened."""
    columns = []
    for name, field in Instance.model_fields.items():
        nested = _nested_model(field.annotation)
        if nested is None:
            columns.append(name)
        else:
            columns += [f"{name}.{sub}" for sub in nested.model_fields]
    return columns


def write_csv(instances: Sequence[Instance], out: TextIO) -> None:
    """One row per instance, one column per field (see :func:`csv_columns`)."""
    columns = csv_columns()
    writer = csv.DictWriter(out, columns, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for instance in instances:
        row: dict[str, Any] = {}
        for key, value in _dump(instance).items():
            if isinstance(value, dict):
                row.update({f"{key}.{sub}": v for sub, v in value.items()})
            elif isinstance(value, list):
                row[key] = json.dumps(value)
            else:
                row[key] = value
        writer.writerow(row)


def write_table(instances: Sequence[Instance], total: int, out: TextIO) -> None:
    """Aligned columns, then a line saying how many of how many were shown."""
    rows = [[title for title, _ in TABLE_COLUMNS]]
    for instance in instances:
        data = _dump(instance)
        rows.append([str(data.get(key, "")) for _, key in TABLE_COLUMNS])
    widths = [max(len(row[n]) for row in rows) for n in range(len(TABLE_COLUMNS))]
    for row in rows:
        out.write(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
        out.write("\n")
    out.write(f"{len(instances)} of {total} instance(s)\n")
