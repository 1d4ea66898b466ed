"""A reader for the source document, ``docs/source/querying-instance-list.txt``.

The contract tests check ``openapi.yaml`` against what this reader finds in the page itself,
rather than against a transcription typed into the tests: a field the page documents and the
spec lacks cannot slip through a second, hand-made list.

The page is the text rendering of Huawei's API reference: each table is a ``Table N <title>``
line, its column headers (``Parameter``, ``Mandatory``, ``Type``, ``Description``), then one
cell per line. Enumerated values are bullet lines (``•`` or ``-``) in the description cell.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

SOURCE = Path(__file__).resolve().parent.parent / "docs" / "source" / "querying-instance-list.txt"

_TABLE = re.compile(r"^Table (\d+) (.+)$")
_STATUS = re.compile(r"^Status code: (\d{3})$")
_TYPE = re.compile(r"^(String|Integer|Boolean|Array of \w+|Array of \w+ objects|\w+ object)$")
_NAME = re.compile(r"^[A-Za-z][\w-]*$")
_BULLET = re.compile(r"^[•\-]\s*(.+)$")
_COLUMNS = ("Parameter", "Mandatory", "Type", "Description")
_SECTION_ENDS = ("Request Parameters", "Response Parameters", "Example Requests")


@dataclass(frozen=True)
class Row:
    """One parameter or field row of a table."""

    name: str
    type: str  # as the page writes it: "String", "Array of strings", "created_user object", ...
    description: str  # the cell's first line: the sentence before any list of values
    mandatory: bool | None = None  # None where the table has no Mandatory column
    values: tuple[str, ...] = ()  # enumerated values, as the page spells them

    @property
    def object_name(self) -> str | None:
        """The table that describes this row's object (items), if it is one."""
        match = re.fullmatch(r"(?:Array of )?(\w+?) objects?", self.type)
        return match.group(1) if match else None


@dataclass(frozen=True)
class Table:
    """A numbered table: its title, the response status it belongs to (if any), its rows."""

    number: int
    title: str
    status: int | None
    rows: tuple[Row, ...]


@dataclass(frozen=True)
class SeedDoc:
    """What the page documents."""

    method: str
    path: str
    tables: tuple[Table, ...]
    examples: dict[int, Any] = field(default_factory=dict)  # status -> parsed JSON example
    status_codes: dict[int, str] = field(default_factory=dict)  # status -> description

    def table(self, title: str) -> Table:
        """The table with this title (e.g. "Query Parameters", "instances")."""
        found = [t for t in self.tables if t.title == title]
        if len(found) != 1:
            raise LookupError(f"the page has {len(found)} tables titled {title!r}")
        return found[0]

    def body_table(self, status: int) -> Table:
        """The "Response body parameters" table of a status code."""
        found = [t for t in self.tables if t.status == status]
        if len(found) != 1:
            raise LookupError(f"the page has {len(found)} body tables for status {status}")
        return found[0]


def _parse_rows(cells: list[str]) -> tuple[Row, ...]:
    columns = [c for c in cells[: len(_COLUMNS)] if c in _COLUMNS]
    body = cells[len(columns) :]
    has_mandatory = "Mandatory" in columns
    width = 2 if has_mandatory else 1  # cells between the name and the type

    def starts_row(i: int) -> bool:
        if i + width >= len(body) or not _NAME.match(body[i]) or not _TYPE.match(body[i + width]):
            return False
        return not has_mandatory or body[i + 1] in ("Yes", "No")

    starts = [i for i in range(len(body)) if starts_row(i)]
    rows = []
    for start, end in zip(starts, [*starts[1:], len(body)], strict=True):
        description = body[start + width + 1 : end]
        values = []
        for line in description[1:]:
            bullet = _BULLET.match(line)
            if bullet:
                # "x86_64: x86." names the value before the colon; "Basic" is the value itself.
                values.append(bullet.group(1).split(":")[0].strip())
        rows.append(
            Row(
                name=body[start],
                type=body[start + width],
                description=description[0] if description else "",
                mandatory=(body[start + 1] == "Yes") if has_mandatory else None,
                values=tuple(values),
            )
        )
    return tuple(rows)


def _parse_examples(text: str) -> dict[int, Any]:
    examples: dict[int, Any] = {}
    section = text[text.index("Example Responses") : text.index("\nStatus Codes\n")]
    decoder = json.JSONDecoder()
    for match in re.finditer(r"^Status code: (\d{3})$", section, re.MULTILINE):
        start = section.index("{", match.end())
        examples[int(match.group(1))], _ = decoder.raw_decode(section, start)
    return examples


def _parse_status_codes(lines: list[str]) -> dict[int, str]:
    start = lines.index("Status Codes")
    cells = lines[start + 1 : lines.index("Error Codes", start)]
    cells = cells[2:]  # "Status Code", "Description"
    return {
        int(code): description for code, description in zip(cells[::2], cells[1::2], strict=True)
    }


@cache
def load(path: Path = SOURCE) -> SeedDoc:
    """Parse the page at ``path``."""
    text = path.read_text(encoding="utf-8")
    lines = [line.strip() for line in text.splitlines() if line.strip()]
    uri = lines[lines.index("URI") + 1]
    method, _, route = uri.partition(" ")

    tables = []
    status: int | None = None
    examples_at = lines.index("Example Requests")
    index = 0
    while index < examples_at:
        status_match = _STATUS.match(lines[index])
        if status_match:
            status = int(status_match.group(1))
        table_match = _TABLE.match(lines[index])
        if not table_match:
            index += 1
            continue
        end = index + 1
        while end < examples_at and not (
            _TABLE.match(lines[end]) or _STATUS.match(lines[end]) or lines[end] in _SECTION_ENDS
        ):
            end += 1
        title = table_match.group(2)
        body_status = status if title == "Response body parameters" else None
        rows = _parse_rows(lines[index + 1 : end])
        tables.append(Table(int(table_match.group(1)), title, body_status, rows))
        index = end

    return SeedDoc(
        method=method,
        path=route,
        tables=tuple(tables),
        examples=_parse_examples(text),
        status_codes=_parse_status_codes(lines),
    )
