"""The outbox table of a SQLite store: what is still to be shipped to another store.

With ``SQLiteStore(..., outbox=True)`` every write also appends an entry here in the same
transaction, so an entry exists exactly when its record was committed. Entries are numbered in
commit order and carry the record itself (JSON), so shipping never depends on the record still
being in the local tables. The kinds: ``decision``, ``metric`` (a record to put) and ``feedback``
(a score to set on the decision with a key).
"""

from __future__ import annotations

import dataclasses
import sqlite3
from collections.abc import Sequence
from typing import Any, Final, Literal

import orjson

from mecrouter.stores.sqlite_tx import immediate

__all__ = [
    "OUTBOX_TABLE_SQL",
    "OutboxEntry",
    "depth",
    "enqueue",
    "enqueue_feedback",
    "outbox_entries",
    "peek",
    "remove",
]

Kind = Literal["decision", "metric", "feedback"]

OUTBOX_TABLE_SQL: Final = (
    "CREATE TABLE IF NOT EXISTS outbox (\n"
    "    seq INTEGER PRIMARY KEY AUTOINCREMENT,\n"
    "    kind TEXT NOT NULL,\n"
    "    payload TEXT NOT NULL\n"
    ")"
)


@dataclasses.dataclass(frozen=True, slots=True)
class OutboxEntry:
    seq: int
    kind: str
    payload: dict[str, Any]


def outbox_entries(kind: Kind, records: Sequence[Any]) -> list[tuple[str, str]]:
    """(kind, JSON) rows for records (dataclasses), encoded before leaving the event loop."""
    return [(kind, orjson.dumps(dataclasses.asdict(r)).decode()) for r in records]


def enqueue(conn: sqlite3.Connection, rows: Sequence[tuple[str, str]]) -> None:
    if rows:
        conn.executemany("INSERT INTO outbox (kind, payload) VALUES (?, ?)", rows)


def enqueue_feedback(conn: sqlite3.Connection, decision_id: str, score: float) -> None:
    """Queue the score just set on the decision's newest row, by that row's key."""
    row = conn.execute(
        "SELECT request_id, timestamp FROM routing_decisions WHERE decision_id = ?"
        " ORDER BY timestamp DESC, request_id DESC LIMIT 1",
        (decision_id,),
    ).fetchone()
    payload = {"request_id": row[0], "timestamp": row[1], "score": score}
    enqueue(conn, [("feedback", orjson.dumps(payload).decode())])


def peek(conn: sqlite3.Connection, limit: int) -> list[OutboxEntry]:
    rows = conn.execute(
        "SELECT seq, kind, payload FROM outbox ORDER BY seq LIMIT ?", (limit,)
    ).fetchall()
    return [OutboxEntry(int(seq), str(kind), orjson.loads(payload)) for seq, kind, payload in rows]


def remove(conn: sqlite3.Connection, seqs: Sequence[int]) -> None:
    with immediate(conn):
        conn.executemany("DELETE FROM outbox WHERE seq = ?", [(s,) for s in seqs])


def depth(conn: sqlite3.Connection, kind: str | None = None) -> int:
    if kind is None:
        return int(conn.execute("SELECT COUNT(*) FROM outbox").fetchone()[0])
    sql = "SELECT COUNT(*) FROM outbox WHERE kind = ?"
    return int(conn.execute(sql, (kind,)).fetchone()[0])
