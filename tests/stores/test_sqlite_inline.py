"""The SQLite store's writes on the event loop's thread: only when nothing need wait."""

from __future__ import annotations

import asyncio
import sqlite3
import threading
import time
from pathlib import Path

import pytest
from records import decision

import mecrouter.stores.sqlite as sqlite_module
from mecrouter.stores import SQLiteStore
from mecrouter.stores.sqlite_inline import CHECKPOINT_ROWS, LoopWriter


async def test_a_write_that_need_not_wait_commits_on_the_loop(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    async with await SQLiteStore.open(path) as store:
        for k in range(3):
            await store.write_decisions([decision(f"r{k}"), decision(f"s{k}")])
        assert store.loop_writes == 3
        other = sqlite3.connect(path)  # committed: another connection reads them
        assert other.execute("SELECT count(*) FROM routing_decisions").fetchone()[0] == 6
        other.close()


async def test_a_write_that_would_wait_goes_through_the_thread_and_the_loop_runs_on(
    tmp_path: Path,
) -> None:
    path = tmp_path / "d.db"
    async with await SQLiteStore.open(path) as store:
        await store.write_decisions([decision("first")])
        blocker = sqlite3.connect(path, isolation_level=None)
        blocker.execute("BEGIN IMMEDIATE")  # another writer holds the file's write lock
        write = asyncio.create_task(store.write_decisions([decision("second")]))
        gaps: list[float] = []
        last = time.perf_counter()
        for _ in range(30):  # 0.3 s of a ticker: the loop must keep turning meanwhile
            await asyncio.sleep(0.01)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now
        assert not write.done()  # it waits for the lock, in the worker thread
        blocker.execute("COMMIT")
        blocker.close()
        await asyncio.wait_for(write, 10)
        assert max(gaps) < 0.2
        assert store.loop_writes == 1  # only the first write ran on the loop
        assert await store.count_decisions() == 2


async def test_rows_written_on_the_loop_are_checkpointed_in_the_worker_thread(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    threads: list[str] = []
    real = sqlite_module._checkpoint

    def spy(conn: sqlite3.Connection) -> None:
        threads.append(threading.current_thread().name)
        real(conn)

    monkeypatch.setattr(sqlite_module, "_checkpoint", spy)
    path = tmp_path / "d.db"
    batch = 100
    async with await SQLiteStore.open(path) as store:
        for k in range(0, 3 * CHECKPOINT_ROWS, batch):
            await store.write_decisions([decision(f"r{k + i}") for i in range(batch)])
            await asyncio.sleep(0)  # let a checkpoint task run
        # A write arriving while a checkpoint holds the store goes through the thread instead.
        on_loop = store.loop_writes
        assert on_loop >= 3 * CHECKPOINT_ROWS // batch - 5
    # One per CHECKPOINT_ROWS rows written on the loop (the last one waited for by aclose),
    # never on the loop's own thread: a checkpoint syncs the files.
    assert len(threads) == on_loop * batch // CHECKPOINT_ROWS >= 2
    assert threading.current_thread().name not in threads
    reopened = sqlite3.connect(path)
    assert reopened.execute("SELECT count(*) FROM routing_decisions").fetchone()[0] == 3000
    reopened.close()


async def test_an_in_memory_store_writes_only_through_its_thread() -> None:
    async with await SQLiteStore.open(":memory:") as store:
        await store.write_decisions([decision("a"), decision("b")])
        assert store.loop_writes == 0
        assert await store.count_decisions() == 2


async def test_a_write_refused_on_the_loop_for_an_error_is_reported_by_the_thread(
    tmp_path: Path,
) -> None:
    path = tmp_path / "d.db"
    async with await SQLiteStore.open(path) as store:
        await store.write_decisions([decision("a")])
        conn = sqlite3.connect(path, isolation_level=None)
        conn.execute("DROP TABLE routing_decisions")  # every write now fails, wherever it runs
        conn.close()
        with pytest.raises(sqlite_module.StoreError, match="no such table"):
            await store.write_decisions([decision("b")])
        assert store.loop_writes == 1


def test_a_loop_connection_that_cannot_be_opened_is_not_tried_again(tmp_path: Path) -> None:
    writer = LoopWriter(str(tmp_path / "no-such-folder" / "d.db"))
    calls: list[sqlite3.Connection] = []
    assert not writer.try_write(calls.append, 1)
    assert not writer.enabled and calls == [] and writer.writes == 0
