"""SQLite files shared by several processes: the decision store, the API key store.

`connect_wal` opens a file in WAL mode (readers never block the writer) and creates its schema.

`immediate` takes the write lock when the transaction starts (so it cannot deadlock half-way);
`retry_busy` runs a transaction again, with jittered exponential backoff, while SQLite answers
BUSY/LOCKED, which its busy handler does not always wait out (WAL recovery, journal-mode change, a
busy timeout that ran out under heavy contention).
"""

from __future__ import annotations

import contextlib
import random
import sqlite3
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Final, TypeVar

from mecrouter.errors import StoreError

__all__ = ["MEMORY_PATHS", "connect_wal", "immediate", "is_busy", "retry_busy"]

T = TypeVar("T")

_FIRST_BACKOFF_S: Final = 0.005
_MAX_BACKOFF_S: Final = 0.25
MEMORY_PATHS: Final = frozenset({":memory:", ""})


@contextlib.contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction that takes the write lock up front, so it cannot deadlock later."""
    conn.execute("BEGIN IMMEDIATE")
    committed = False
    try:
        yield
        conn.execute("COMMIT")
        committed = True
    finally:
        if not committed and conn.in_transaction:
            with contextlib.suppress(sqlite3.Error):
                conn.execute("ROLLBACK")


def is_busy(exc: sqlite3.OperationalError) -> bool:
    code = getattr(exc, "sqlite_errorcode", None)
    if isinstance(code, int):
        return code & 0xFF in (sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED)
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def retry_busy(work: Callable[[], T], budget_s: float) -> T:
    """Run ``work`` again while SQLite says busy/locked, with jittered exponential backoff.

    The busy handler alone is not enough: SQLite returns BUSY without waiting in some cases
    (WAL recovery, journal-mode change, a busy timeout that ran out under heavy contention).
    """
    deadline = time.monotonic() + budget_s
    delay_s = _FIRST_BACKOFF_S
    while True:
        try:
            return work()
        except sqlite3.OperationalError as exc:
            if not is_busy(exc) or time.monotonic() + delay_s > deadline:
                raise
        time.sleep(random.uniform(0.5, 1.0) * delay_s)  # jitter keeps writers from lock-stepping
        delay_s = min(delay_s * 2.0, _MAX_BACKOFF_S)


def connect_wal(
    path: str,
    *,
    label: str,
    busy_timeout_s: float,
    retry_budget_s: float,
    setup: Callable[[sqlite3.Connection], None],
) -> sqlite3.Connection:
    """Open `path` (its folder created) in WAL mode and run `setup` (the schema) on it, retried
    while another process holds the lock. Errors name the file as `label` + path."""
    if path not in MEMORY_PATHS:
        try:
            Path(path).parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"{label} {path!r}: cannot create its folder: {exc}") from exc
    # isolation_level=None: we issue BEGIN IMMEDIATE / COMMIT ourselves.
    conn = sqlite3.connect(
        path, timeout=busy_timeout_s, isolation_level=None, check_same_thread=False
    )

    def prepare() -> None:
        mode = str(conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]).lower()
        if mode not in ("wal", "memory"):
            raise StoreError(f"{label} {path!r}: cannot enable WAL (journal_mode={mode})")
        conn.execute("PRAGMA synchronous = NORMAL")
        setup(conn)

    try:
        retry_busy(prepare, retry_budget_s)
    except (sqlite3.Error, StoreError):
        conn.close()
        raise
    return conn
