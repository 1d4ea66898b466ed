"""The emulator's state: instances in SQLite (a file, or ``:memory:``).

Each instance is stored as the JSON the generated ``Instance`` model serialises it to (it is
validated by the model on the way in), next to the few columns a query needs. A page is then a
concatenation of stored JSON: no model is built per request.

Paging order is insertion order. Deep offsets stay as cheap as the first page because every
row carries its dense rank within its project (``pos``) and within its project and status
(``status_pos``): a page is an index range, never a scan of the skipped rows, and ``total`` is
the last rank plus one. Writes keep the ranks dense; they are admin operations, rare next to
reads.
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

    def close(self) -> None:
        """Close the database (a file keeps its data for the next start)."""
        with self._lock:
            self._db.close()

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                yield self._db
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("COMMIT")

    def page(self, project_id: str, status: str | None, offset: int, limit: int) -> Page:
        """Instances of a project (optionally of one status) from ``offset``, at most ``limit``."""
        start = min(offset, _MAX_SQL_INT)
        end = min(offset + limit, _MAX_SQL_INT)
        with self._lock:
            if status is None:
                (last,) = self._db.execute(
                    "SELECT MAX(pos) FROM instances WHERE project_id = ?", (project_id,)
                ).fetchone()
                rows = self._db.execute(
                    "SELECT body FROM instances WHERE project_id = ? AND pos >= ? AND pos < ?"
                    " ORDER BY pos",
                    (project_id, start, end),
                ).fetchall()
            else:
                (last,) = self._db.execute(
                    "SELECT MAX(status_pos) FROM instances WHERE project_id = ? AND status = ?",
                    (project_id, status),
                ).fetchone()
                rows = self._db.execute(
                    "SELECT body FROM instances WHERE project_id = ? AND status = ?"
                    " AND status_pos >= ? AND status_pos < ? ORDER BY status_pos",
                    (project_id, status, start, end),
                ).fetchall()
        return Page(total=0 if last is None else last + 1, bodies=[body for (body,) in rows])

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
