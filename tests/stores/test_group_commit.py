"""GroupCommit on a real SQLite file: a record is visible to another connection when its writer
returns, and concurrent writers share one transaction."""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
from pathlib import Path

import pytest
from records import decision

from mecrouter.stores import GroupCommit, SQLiteStore


def _stored_ids(path: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(path)) as db:
        return {row[0] for row in db.execute("SELECT request_id FROM routing_decisions")}


async def test_a_record_is_in_the_file_when_its_write_returns(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    async with await SQLiteStore.open(path) as store:
        log = GroupCommit(store)
        for i in range(3):
            record = decision(request_id=f"r{i}")
            await log.write(record)
            assert record.request_id in _stored_ids(path)  # seen by another connection
        await log.aclose()
    assert log.commits == 3


async def test_concurrent_writers_share_one_transaction(tmp_path: Path) -> None:
    path = tmp_path / "d.sqlite3"
    records = [decision(request_id=f"r{i}") for i in range(50)]
    async with await SQLiteStore.open(path) as store:
        log = GroupCommit(store, batch_size=64)
        await asyncio.gather(*(log.write(r) for r in records))
        await log.aclose()
    assert log.commits == 1 and log.written == 50
    assert _stored_ids(path) == {r.request_id for r in records}


@pytest.mark.parametrize(
    ("delay_s", "batch_size", "close_attempts"), [(-0.001, 64, 3), (0.0, 0, 3), (0.0, 64, 0)]
)
def test_bad_settings_are_refused(
    tmp_path: Path, delay_s: float, batch_size: int, close_attempts: int
) -> None:
    store = SQLiteStore(tmp_path / "d.sqlite3")
    with pytest.raises(ValueError):
        GroupCommit(store, delay_s=delay_s, batch_size=batch_size, close_attempts=close_attempts)
