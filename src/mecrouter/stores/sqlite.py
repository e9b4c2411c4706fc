"""SQLite record store: the embedded default, safe under many writer processes.

One connection per store, used from worker threads under a lock so the event loop never blocks;
a small write that need not wait runs on the loop's own thread, on a second connection that
never waits (`sqlite_inline`). WAL lets readers run beside the single writer. Writers queue on
SQLite's busy handler and, past it, on our own retry with backoff: the Store contract forbids
dropping a record, so a write either lands or raises ``StoreError`` once the retry budget is
spent.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import json
import logging
import os
import sqlite3
import threading
import typing
from collections.abc import Callable, Sequence
from types import TracebackType
from typing import Any, Final, Generic, TypeVar

from mecrouter.errors import StoreError
from mecrouter.stores.sqlite_inline import LoopWriter
from mecrouter.stores.sqlite_outbox import (
    OUTBOX_TABLE_SQL,
    OutboxEntry,
    depth,
    enqueue,
    enqueue_feedback,
    outbox_entries,
    peek,
    remove,
)
from mecrouter.stores.sqlite_tx import connect_wal, immediate, retry_busy
from mecrouter.types import DecisionRecord, ResourceMetric

__all__ = ["SCHEMA_VERSION", "SQLiteStore"]

logger = logging.getLogger(__name__)

T = TypeVar("T")
R = TypeVar("R", DecisionRecord, ResourceMetric)

SCHEMA_VERSION: Final = 2
"""The ``PRAGMA user_version`` this code writes; a newer file is refused, an older one migrated."""

_SECONDS_PER_DAY: Final = 86_400.0

# Column types per field type; lists and dicts are stored as JSON text, bools as 0/1.
_SQL_TYPES: Final[dict[object, str]] = {str: "TEXT", float: "REAL", int: "INTEGER", bool: "INTEGER"}


@dataclasses.dataclass(frozen=True)
class _Column:
    name: str
    kind: str  # "bool" | "json" | "plain": how values are encoded
    ddl: str  # the column definition, as in CREATE TABLE / ALTER TABLE ADD COLUMN
    required: bool  # no default, so it cannot be added to an existing table


def _column(field: dataclasses.Field[Any], hint: Any) -> _Column:
    args = typing.get_args(hint)
    nullable = type(None) in args
    if nullable and len(args) == 2:
        hint = next(a for a in args if a is not type(None))
    origin = typing.get_origin(hint)
    kind = "bool" if hint is bool else "json" if origin in (list, dict) else "plain"
    sql_type = "TEXT" if kind == "json" else _SQL_TYPES.get(hint, "")
    ddl = f"{field.name} {sql_type}{'' if nullable else ' NOT NULL'}"
    if field.default is not dataclasses.MISSING:
        default: object = field.default
    elif field.default_factory is not dataclasses.MISSING:
        default = field.default_factory()
    else:
        return _Column(field.name, kind, ddl, required=True)
    return _Column(field.name, kind, f"{ddl} DEFAULT {_sql_literal(_encode(kind, default))}", False)


def _sql_literal(value: object) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, int | float):
        return repr(value)
    return "'" + str(value).replace("'", "''") + "'"


def _encode(kind: str, value: object) -> object:
    if value is None or kind == "plain":
        return value
    return int(bool(value)) if kind == "bool" else json.dumps(value)


def _decode(kind: str, value: object) -> Any:
    if value is None or kind == "plain":
        return value
    return bool(value) if kind == "bool" else json.loads(str(value))


@dataclasses.dataclass(frozen=True)
class _Codec(Generic[R]):
    """A record dataclass as a table: its fields are the columns, in declaration order."""

    record_type: type[R]
    table: str
    key: tuple[str, str]
    columns: tuple[_Column, ...]
    on_conflict: str  # IGNORE: a record is never overwritten; REPLACE: the newer one stays

    @classmethod
    def of(
        cls, record_type: type[R], table: str, key: tuple[str, str], on_conflict: str
    ) -> _Codec[R]:
        hints = typing.get_type_hints(record_type)
        fields = dataclasses.fields(record_type)
        columns = tuple(_column(f, hints[f.name]) for f in fields)
        return cls(record_type, table, key, columns, on_conflict)

    @property
    def names(self) -> str:
        return ", ".join(c.name for c in self.columns)

    @property
    def create_sql(self) -> str:
        body = ",\n    ".join(
            [*(c.ddl for c in self.columns), f"PRIMARY KEY ({', '.join(self.key)})"]
        )
        return f"CREATE TABLE IF NOT EXISTS {self.table} (\n    {body}\n)"

    @property
    def insert_sql(self) -> str:
        marks = ", ".join("?" for _ in self.columns)
        return f"INSERT OR {self.on_conflict} INTO {self.table} ({self.names}) VALUES ({marks})"

    def encode(self, record: R) -> tuple[object, ...]:
        return tuple(_encode(c.kind, getattr(record, c.name)) for c in self.columns)

    def decode(self, row: Sequence[Any]) -> R:
        pairs = zip(self.columns, row, strict=True)
        return self.record_type(**{c.name: _decode(c.kind, value) for c, value in pairs})


_DECISIONS: Final = _Codec.of(
    DecisionRecord, "routing_decisions", ("request_id", "timestamp"), "IGNORE"
)
_METRICS: Final = _Codec.of(ResourceMetric, "resource_metrics", ("tier_id", "timestamp"), "REPLACE")

# _MIGRATIONS[v] takes a database from user_version v to v + 1; append, never edit. Columns follow
# the record dataclasses: a field added there is added to existing files on open (with its
# default, see _add_new_columns); a rename, removal or type change needs a migration here.
_MIGRATIONS: Final[tuple[tuple[str, ...], ...]] = (
    (
        _DECISIONS.create_sql,
        "CREATE INDEX IF NOT EXISTS routing_decisions_user_time"
        " ON routing_decisions (user_id, timestamp)",
        "CREATE INDEX IF NOT EXISTS routing_decisions_decision_id"
        " ON routing_decisions (decision_id)",
        # Serves the unfiltered newest-first listing and the retention purge.
        "CREATE INDEX IF NOT EXISTS routing_decisions_time ON routing_decisions (timestamp)",
        _METRICS.create_sql,
        "CREATE INDEX IF NOT EXISTS resource_metrics_ttl ON resource_metrics (ttl)",
    ),
    (OUTBOX_TABLE_SQL,),
)


class SQLiteStore:
    """The ``Store`` on one SQLite file (or ``":memory:"``), shared safely by many processes.

    Construction does no I/O; the file is opened on first use, or at once with ``await
    SQLiteStore.open(path)``. If the awaiting task is cancelled, a write already handed to the
    worker thread still completes.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        retention_days: float = 30.0,
        busy_timeout_s: float = 10.0,
        retry_budget_s: float = 60.0,
        outbox: bool = False,
    ) -> None:
        self.path = os.fspath(path)
        self.outbox = outbox
        self.retention_s = retention_days * _SECONDS_PER_DAY
        self._busy_timeout_s = busy_timeout_s
        self._retry_budget_s = retry_budget_s
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None
        self._closed = False
        self._loop_writer = LoopWriter(self.path)
        self._checkpoint: asyncio.Task[None] | None = None

    @classmethod
    async def open(
        cls, path: str | os.PathLike[str], *, retention_days: float = 30.0
    ) -> SQLiteStore:
        """Open now, so a bad path or a too-new schema fails here rather than at the first write."""
        store = cls(path, retention_days=retention_days)
        await store._run(lambda _conn: None)
        return store

    async def __aenter__(self) -> SQLiteStore:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def write_decisions(self, records: Sequence[DecisionRecord]) -> None:
        """Insert the records; one whose key is taken is ignored (the stored one stays)."""
        rows = [_DECISIONS.encode(r) for r in records]  # snapshot before leaving the loop
        queued = outbox_entries("decision", records) if self.outbox else []
        if rows:
            await self._write(
                lambda conn: _write_rows(conn, _DECISIONS.insert_sql, rows, queued), len(rows)
            )

    async def write_metrics(self, metrics: Sequence[ResourceMetric]) -> None:
        """Insert the metrics; one with the key of a stored one replaces it."""
        rows = [_METRICS.encode(m) for m in metrics]
        queued = outbox_entries("metric", metrics) if self.outbox else []
        if rows:
            await self._write(
                lambda conn: _write_rows(conn, _METRICS.insert_sql, rows, queued), len(rows)
            )

    async def get_decision(self, decision_id: str) -> DecisionRecord | None:
        sql = (
            f"SELECT {_DECISIONS.names} FROM routing_decisions WHERE decision_id = ?"
            " ORDER BY timestamp DESC, request_id DESC LIMIT 1"
        )
        rows = await self._run(lambda conn: conn.execute(sql, (decision_id,)).fetchall())
        return _DECISIONS.decode(rows[0]) if rows else None

    async def set_feedback(self, decision_id: str, score: float) -> bool:
        sql = (
            "UPDATE routing_decisions SET feedback_score = ? WHERE rowid = ("
            " SELECT rowid FROM routing_decisions WHERE decision_id = ?"
            " ORDER BY timestamp DESC, request_id DESC LIMIT 1) AND feedback_score < 0"
        )

        def work(conn: sqlite3.Connection) -> bool:
            with immediate(conn):
                landed = conn.execute(sql, (score, decision_id)).rowcount == 1
                if landed and self.outbox:
                    enqueue_feedback(conn, decision_id, score)
                return landed

        return await self._run(work)

    async def outbox_peek(self, limit: int) -> list[OutboxEntry]:
        """The oldest ``limit`` entries still to ship (the outbox store's shipper reads them)."""
        return await self._run(lambda conn: peek(conn, limit))

    async def outbox_remove(self, seqs: Sequence[int]) -> None:
        """Forget entries that have been shipped."""
        await self._run(lambda conn: remove(conn, seqs))

    async def outbox_depth(self, kind: str | None = None) -> int:
        """How many entries wait to be shipped (of one ``kind``: decision, metric, feedback)."""
        return await self._run(lambda conn: depth(conn, kind))

    async def query_decisions(
        self,
        *,
        user_id: str | None = None,
        since: float | None = None,
        until: float | None = None,
        limit: int = 1000,
    ) -> list[DecisionRecord]:
        """Newest first (ties by request_id, descending); a limit <= 0 returns nothing."""
        where, params = _decision_filter(user_id, since, until)
        sql = (
            f"SELECT {_DECISIONS.names} FROM routing_decisions{where}"
            " ORDER BY timestamp DESC, request_id DESC LIMIT ?"
        )
        rows = await self._run(lambda conn: conn.execute(sql, (*params, max(limit, 0))).fetchall())
        return [_DECISIONS.decode(row) for row in rows]

    async def count_decisions(self) -> int:
        sql = "SELECT COUNT(*) FROM routing_decisions"
        row = await self._run(lambda conn: conn.execute(sql).fetchone())
        return int(row[0])

    async def query_metrics(
        self, tier_id: str, *, since: float | None = None, limit: int = 1000
    ) -> list[ResourceMetric]:
        """Newest first; a limit <= 0 returns nothing."""
        sql = f"SELECT {_METRICS.names} FROM resource_metrics WHERE tier_id = ?"
        params: list[object] = [tier_id]
        if since is not None:
            sql += " AND timestamp >= ?"
            params.append(since)
        sql += " ORDER BY timestamp DESC LIMIT ?"
        params.append(max(limit, 0))
        rows = await self._run(lambda conn: conn.execute(sql, params).fetchall())
        return [_METRICS.decode(row) for row in rows]

    async def purge_expired(self, now: float) -> int:
        """Delete metrics with ttl < now and decisions past the retention; return the count."""
        statements = (
            ("DELETE FROM resource_metrics WHERE ttl < ?", now),
            ("DELETE FROM routing_decisions WHERE timestamp < ?", now - self.retention_s),
        )
        return await self._run(lambda conn: _delete(conn, statements))

    async def aclose(self) -> None:
        """Close the connection (waiting for work in flight); later calls do nothing."""
        if self._checkpoint is not None:
            await asyncio.gather(self._checkpoint, return_exceptions=True)
        await asyncio.to_thread(self._close)

    @property
    def loop_writes(self) -> int:
        """Write transactions committed on the event loop's thread (`sqlite_inline`)."""
        return self._loop_writer.writes

    async def _write(self, work: Callable[[sqlite3.Connection], None], rows: int) -> None:
        """A write of `rows` rows: at once on this thread when nothing need wait (the store's lock
        free, the file opened, SQLite's write lock free), else through the worker thread, which
        waits."""
        if not self._lock.acquire(blocking=False):
            await self._run(work)
            return
        try:
            done = (
                self._conn is not None
                and not self._closed
                and self._loop_writer.try_write(work, rows)
            )
        finally:
            self._lock.release()
        if not done:
            await self._run(work)
        elif self._loop_writer.checkpoint_due() and (
            self._checkpoint is None or self._checkpoint.done()
        ):
            self._checkpoint = asyncio.create_task(self._run(_checkpoint), name="sqlite-checkpoint")
            self._checkpoint.add_done_callback(_log_checkpoint_failure)

    async def _run(self, work: Callable[[sqlite3.Connection], T]) -> T:
        return await asyncio.to_thread(self._run_locked, work)

    def _run_locked(self, work: Callable[[sqlite3.Connection], T]) -> T:
        with self._lock:
            try:
                conn = self._connection()
                return retry_busy(lambda: work(conn), self._retry_budget_s)
            except sqlite3.Error as exc:
                raise StoreError(f"sqlite store {self.path!r}: {exc}") from exc

    def _connection(self) -> sqlite3.Connection:
        if self._closed:
            raise StoreError(f"sqlite store {self.path!r} is closed")
        if self._conn is None:
            self._conn = connect_wal(
                self.path,
                label="sqlite store",
                busy_timeout_s=self._busy_timeout_s,
                retry_budget_s=self._retry_budget_s,
                setup=lambda conn: _prepare(conn, self.path),
            )
        return self._conn

    def _close(self) -> None:
        with self._lock:
            self._closed = True
            with contextlib.suppress(sqlite3.Error):
                self._loop_writer.close()
            conn, self._conn = self._conn, None
            if conn is None:
                return
            try:
                conn.close()
            except sqlite3.Error as exc:
                raise StoreError(f"sqlite store {self.path!r}: {exc}") from exc


def _decision_filter(
    user_id: str | None, since: float | None, until: float | None
) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    for clause, value in (("user_id = ?", user_id), ("timestamp >= ?", since)):
        if value is not None:
            clauses.append(clause)
            params.append(value)
    if until is not None:
        clauses.append("timestamp < ?")
        params.append(until)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), params


def _prepare(conn: sqlite3.Connection, path: str) -> None:
    if _user_version(conn) == SCHEMA_VERSION and not _missing_columns(conn):
        return  # the common case needs no write lock
    with immediate(conn):  # both steps look again: another process may have done them
        _migrate(conn, path)
        _add_new_columns(conn, path)


def _migrate(conn: sqlite3.Connection, path: str) -> None:
    version = _user_version(conn)
    if version > SCHEMA_VERSION:
        raise StoreError(
            f"sqlite store {path!r} has schema version {version};"
            f" this mecrouter reads up to {SCHEMA_VERSION}"
        )
    for statements in _MIGRATIONS[version:]:
        for sql in statements:
            conn.execute(sql)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")


def _missing_columns(conn: sqlite3.Connection) -> list[tuple[str, _Column]]:
    missing: list[tuple[str, _Column]] = []
    for codec in (_DECISIONS, _METRICS):
        present = {row[1] for row in conn.execute(f"PRAGMA table_info({codec.table})")}
        missing.extend((codec.table, c) for c in codec.columns if c.name not in present)
    return missing


def _add_new_columns(conn: sqlite3.Connection, path: str) -> None:
    """Give a file written by an older mecrouter the columns of fields added since."""
    for table, column in _missing_columns(conn):
        if column.required:
            raise StoreError(
                f"sqlite store {path!r}: {table} lacks column {column.name}, which has no"
                " default; the file needs a migration"
            )
        conn.execute(f"ALTER TABLE {table} ADD COLUMN {column.ddl}")


def _user_version(conn: sqlite3.Connection) -> int:
    return int(conn.execute("PRAGMA user_version").fetchone()[0])


def _write_rows(
    conn: sqlite3.Connection,
    sql: str,
    rows: Sequence[tuple[object, ...]],
    queued: Sequence[tuple[str, str]],
) -> None:
    with immediate(conn):
        conn.executemany(sql, rows)
        enqueue(conn, queued)


def _checkpoint(conn: sqlite3.Connection) -> None:
    """Copy what the WAL holds into the file, as far as no reader needs it (never waits for one)."""
    conn.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchall()


def _log_checkpoint_failure(task: asyncio.Task[None]) -> None:
    if not task.cancelled() and task.exception() is not None:
        logger.warning("sqlite checkpoint failed (the next one retries): %s", task.exception())


def _delete(conn: sqlite3.Connection, statements: Sequence[tuple[str, float]]) -> int:
    deleted = 0
    with immediate(conn):
        for sql, bound in statements:
            deleted += conn.execute(sql, (bound,)).rowcount
    return deleted
