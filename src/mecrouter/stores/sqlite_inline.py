"""Small writes on the event loop's own thread, when they need not wait (the SQLite store).

Writing a decision record appends a few pages to the WAL: tens of microseconds, less than the two
hand-offs to the store's worker thread and back that `asyncio.to_thread` costs, which were about
15% of the gateway's CPU per request (docs/benchmarks.md). So the store first offers a write
to its `LoopWriter`, which has a connection of its own that never waits:

- SQLite's busy timeout is 0 on it: when another connection or process holds the write lock,
  ``BEGIN IMMEDIATE`` fails at once and the write goes through the worker thread, which waits;
- it never checkpoints (``wal_autocheckpoint = 0``), since a checkpoint syncs the files: after
  every `CHECKPOINT_ROWS` rows written here the store runs a passive checkpoint in its thread;
- any SQLite error rolls the transaction back and hands the write to the thread, which retries
  it and reports what stays wrong, as before.

The store calls it only while holding its own lock, so no other work of the store is in flight.
An in-memory database is private to its connection: there the writer stays off.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from typing import Final

from mecrouter.stores.sqlite_tx import MEMORY_PATHS

__all__ = ["CHECKPOINT_ROWS", "LoopWriter"]

CHECKPOINT_ROWS: Final = 1000


class LoopWriter:
    """A store's never-waiting connection; `try_write` says whether it wrote."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.enabled = path not in MEMORY_PATHS
        self.writes = 0  # transactions committed here
        self._rows = 0  # rows written here since the last checkpoint was asked for
        self._conn: sqlite3.Connection | None = None

    def try_write(self, work: Callable[[sqlite3.Connection], None], rows: int) -> bool:
        """Run `work` (one ``BEGIN IMMEDIATE`` transaction) now, or return False at once."""
        if not self.enabled:
            return False
        try:
            conn = self._connection()
            work(conn)
        except sqlite3.Error:
            return False
        self.writes += 1
        self._rows += rows
        return True

    def checkpoint_due(self) -> bool:
        """True once per `CHECKPOINT_ROWS` rows written here (the caller then checkpoints)."""
        if self._rows < CHECKPOINT_ROWS:
            return False
        self._rows = 0
        return True

    def close(self) -> None:
        conn, self._conn = self._conn, None
        self.enabled = False
        if conn is not None:
            conn.close()

    def _connection(self) -> sqlite3.Connection:
        if self._conn is None:
            conn: sqlite3.Connection | None = None
            try:
                conn = sqlite3.connect(
                    self.path, timeout=0.0, isolation_level=None, check_same_thread=False
                )
                conn.execute("PRAGMA synchronous = NORMAL")
                conn.execute("PRAGMA wal_autocheckpoint = 0")
            except sqlite3.Error:
                self.enabled = False  # it cannot be opened: the worker thread's stays the way in
                if conn is not None:
                    conn.close()
                raise
            self._conn = conn
        return self._conn
