"""The emulator's state: instances in SQLite (a file, or ``:memory:``).

Each instance is stored as the JSON the generated ``Instance`` model serialises it to (it is
validated by the model on the way in), next to the few columns a query needs. A page is then a
concatenation of stored JSON: no model is built per request.

Paging order is insertion order. Deep offsets stay as cheap as the first page because every
row carries its dense rank within its project (``pos``) and within its project and status
(``status_pos``): a page is an index range, never a scan of the skipped rows, and ``total`` is
the last rank plus one. Writes keep the ranks dense; they are admin operations, rare next to
reads.

Reads go through a cache of blocks of consecutive rows (the stored JSON of ``_BLOCK`` ranks of
one project, or one project and status, joined with commas in one ``bytes``) and of totals:
fetching a row by rank costs a B-tree lookup by primary key, about a microsecond each, which
made SQLite most of a request's cost. A page is then one slice of a block (two, when it
straddles blocks), ready to be copied into the response.

Any write through this store drops the cache; so does a write by another connection to the
same file (``PRAGMA data_version`` is checked on every read), so a shared file is never
served stale. The cache holds at most ``_MAX_BLOCKS`` blocks, the oldest dropped first.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from roma_connect_models import Instance

# SQLite integers are 64-bit; the spec puts no upper bound on offset, so larger ones are clamped
# (any offset past the end gives the same empty page).
_MAX_SQL_INT = 2**62
# Rows per cached block: one block serves ten pages of 100, and loading one costs ~1 ms.
_BLOCK = 1000
# At most this many blocks are cached (200,000 rows, some 160 MB of demo instances' JSON).
_MAX_BLOCKS = 200
# Totals are kept for at most this many (project, status) pairs: with auth off, every project
# id a caller makes up gets one.
_MAX_TOTALS = 10_000

_TOTAL = "SELECT MAX(pos) FROM instances WHERE project_id = ?"
_TOTAL_OF_STATUS = "SELECT MAX(status_pos) FROM instances WHERE project_id = ? AND status = ?"
# As bytes (the UTF-8 of the stored text): what goes on the wire, with no decoding on the way.
_ROWS = (
    "SELECT CAST(body AS BLOB) FROM instances WHERE project_id = ? AND pos >= ? AND pos < ?"
    " ORDER BY pos"
)
_ROWS_OF_STATUS = (
    "SELECT CAST(body AS BLOB) FROM instances WHERE project_id = ? AND status = ?"
    " AND status_pos >= ? AND status_pos < ? ORDER BY status_pos"
)

_SCHEMA = """
CREATE TABLE IF NOT EXISTS instances (
    project_id TEXT NOT NULL,
    id TEXT NOT NULL,
    status TEXT NOT NULL,
    seq INTEGER NOT NULL,
    pos INTEGER NOT NULL,
    status_pos INTEGER NOT NULL,
    body TEXT NOT NULL,
    PRIMARY KEY (project_id, id)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS instances_by_pos ON instances (project_id, pos);
CREATE INDEX IF NOT EXISTS instances_by_status ON instances (project_id, status, status_pos);
CREATE INDEX IF NOT EXISTS instances_by_seq ON instances (project_id, seq);
"""

_RENUMBER = """
UPDATE instances SET pos = ranked.pos, status_pos = ranked.status_pos
FROM (
    SELECT project_id, id,
        ROW_NUMBER() OVER (PARTITION BY project_id ORDER BY seq) - 1 AS pos,
        ROW_NUMBER() OVER (PARTITION BY project_id, status ORDER BY seq) - 1 AS status_pos
    FROM instances WHERE project_id IN (SELECT value FROM json_each(?))
) AS ranked
WHERE instances.project_id = ranked.project_id AND instances.id = ranked.id
"""


@dataclass(frozen=True, slots=True)
class Page:
    """One page: the total of matching instances and the JSON of those on the page."""

    total: int
    bodies: list[str]


@dataclass(frozen=True, slots=True)
class RawPage:
    """One page as the wire wants it: the total, how many instances the page holds, and their
    JSON as UTF-8, comma-separated, in one or more runs (join the runs with commas)."""

    total: int
    size: int
    runs: list[memoryview]


@dataclass(frozen=True, slots=True)
class _Block:
    """Up to ``_BLOCK`` consecutive rows: their JSON joined by commas, and where each starts.

    Row ``i`` is ``data[starts[i] : starts[i + 1] - 1]``; ``starts`` ends with ``len(data) + 1``
    (where a next row would start after its comma), so rows ``a`` to ``b - 1`` are the single
    slice ``data[starts[a] : starts[b] - 1]``.
    """

    data: bytes
    starts: list[int]

    @classmethod
    def of(cls, rows: list[bytes]) -> _Block:
        starts = [0]
        for row in rows:
            starts.append(starts[-1] + len(row) + 1)
        return cls(b",".join(rows), starts)

    @property
    def count(self) -> int:
        return len(self.starts) - 1

    def run(self, first: int, end: int) -> memoryview:
        """Rows ``first`` to ``end - 1``, as one slice (no copy)."""
        return memoryview(self.data)[self.starts[first] : self.starts[end] - 1]


class Store:
    """Instances by project, in SQLite. Safe to share between threads (one lock)."""

    def __init__(self, path: str = ":memory:") -> None:
        self.path = path
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        if path != ":memory:":
            self._db.execute("PRAGMA journal_mode=WAL")
            self._db.execute("PRAGMA synchronous=NORMAL")
        self._db.executescript(_SCHEMA)
        # (project, status or None) -> total; (project, status or None, block) -> row JSON.
        self._totals: dict[tuple[str, str | None], int] = {}
        self._blocks: dict[tuple[str, str | None, int], _Block] = {}
        # Only a file can be written by another connection: a :memory: database is ours alone.
        self._shared = path != ":memory:"
        self._data_version = self._read_data_version()

    def close(self) -> None:
        """Close the database (a file keeps its data for the next start)."""
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            # Dropped before the write, so not even a failed write can leave a stale cache.
            self._forget()
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def page(self, project_id: str, status: str | None, offset: int, limit: int) -> Page:
        """Instances of a project (optionally of one status) from ``offset``, at most ``limit``."""
        with self._lock:
            total, spans = self._spans(project_id, status, offset, limit)
            bodies = [
                block.data[block.starts[i] : block.starts[i + 1] - 1].decode()
                for block, first, end in spans
                for i in range(first, end)
            ]
        return Page(total=total, bodies=bodies)

    def raw_page(self, project_id: str, status: str | None, offset: int, limit: int) -> RawPage:
        """:meth:`page` as the API's hot path sends it: slices of the stored JSON, no copies."""
        with self._lock:
            total, spans = self._spans(project_id, status, offset, limit)
        return RawPage(
            total=total,
            size=sum(end - first for _, first, end in spans),
            runs=[block.run(first, end) for block, first, end in spans if end > first],
        )

    def _spans(
        self, project_id: str, status: str | None, offset: int, limit: int
    ) -> tuple[int, list[tuple[_Block, int, int]]]:
        """(total, the cached blocks holding the page, each with its first and end row)."""
        if self._shared:
            self._drop_if_changed_elsewhere()
        key = (project_id, status)
        total = self._totals.get(key)
        if total is None:
            if len(self._totals) >= _MAX_TOTALS:
                self._totals.clear()
            total = self._totals[key] = self._count(project_id, status)
        start = min(offset, total)
        end = min(offset + limit, total)
        spans = []
        number = start // _BLOCK
        while number * _BLOCK < end:
            block = self._blocks.get((project_id, status, number))
            if block is None:
                block = self._load(project_id, status, number)
            base = number * _BLOCK
            first = max(start - base, 0)
            spans.append((block, first, max(min(end - base, block.count), first)))
            number += 1
        return total, spans

    def _count(self, project_id: str, status: str | None) -> int:
        if status is None:
            (last,) = self._db.execute(_TOTAL, (project_id,)).fetchone()
        else:
            (last,) = self._db.execute(_TOTAL_OF_STATUS, (project_id, status)).fetchone()
        return 0 if last is None else int(last) + 1

    def _load(self, project_id: str, status: str | None, number: int) -> _Block:
        start = min(number * _BLOCK, _MAX_SQL_INT)
        end = min(start + _BLOCK, _MAX_SQL_INT)
        if status is None:
            cursor = self._db.execute(_ROWS, (project_id, start, end))
        else:
            cursor = self._db.execute(_ROWS_OF_STATUS, (project_id, status, start, end))
        block = _Block.of([body for (body,) in cursor.fetchall()])
        if len(self._blocks) >= _MAX_BLOCKS:
            del self._blocks[next(iter(self._blocks))]  # the oldest block
        self._blocks[(project_id, status, number)] = block
        return block

    def _read_data_version(self) -> int:
        (version,) = self._db.execute("PRAGMA data_version").fetchone()
        return int(version)

    def _drop_if_changed_elsewhere(self) -> None:
        """Forget cached rows when another connection committed to the file since last read."""
        version = self._read_data_version()
        if version != self._data_version:
            self._data_version = version
            self._forget()

    def _forget(self) -> None:
        self._totals.clear()
        self._blocks.clear()

    def put(self, instances: Iterable[Instance]) -> int:
        """Insert or replace instances (each in the project its ``project_id`` names).

        A replaced instance keeps its place in the paging order. Returns how many were written.
        """
        rows = []
        for instance in instances:
            if not instance.project_id:
                raise ValueError(f"instance {instance.id!r} has no project_id")
            rows.append(
                (
                    instance.project_id,
                    instance.id,
                    str(instance.status),  # a StrEnum member's str() is its value
                    instance.model_dump_json(exclude_none=True),
                )
            )
        if not rows:
            return 0
        with self._transaction() as db:
            (next_seq,) = db.execute("SELECT COALESCE(MAX(seq), -1) + 1 FROM instances").fetchone()
            db.executemany(
                "INSERT INTO instances (project_id, id, status, seq, pos, status_pos, body)"
                " VALUES (?, ?, ?, ?, -1, -1, ?)"
                " ON CONFLICT (project_id, id) DO UPDATE SET"
                " status = excluded.status, body = excluded.body",
                [(p, i, s, next_seq + n, body) for n, (p, i, s, body) in enumerate(rows)],
            )
            self._renumber(db, {project for project, *_ in rows})
        return len(rows)

    def delete(self, project_id: str, instance_id: str) -> bool:
        """Remove one instance; False when there was none."""
        with self._transaction() as db:
            cursor = db.execute(
                "DELETE FROM instances WHERE project_id = ? AND id = ?", (project_id, instance_id)
            )
            if cursor.rowcount:
                self._renumber(db, {project_id})
        return bool(cursor.rowcount)

    def clear(self) -> None:
        """Remove every instance."""
        with self._transaction() as db:
            db.execute("DELETE FROM instances")

    def count(self) -> int:
        """How many instances there are, in all projects."""
        with self._lock:
            (count,) = self._db.execute("SELECT COUNT(*) FROM instances").fetchone()
        return int(count)

    def projects(self) -> list[tuple[str, int]]:
        """(project id, instance count) for every project with instances."""
        with self._lock:
            rows = self._db.execute(
                "SELECT project_id, COUNT(*) FROM instances GROUP BY project_id ORDER BY project_id"
            ).fetchall()
        return [(project, int(count)) for project, count in rows]

    @staticmethod
    def _renumber(db: sqlite3.Connection, projects: set[str]) -> None:
        db.execute(_RENUMBER, (json.dumps(sorted(projects)),))
