"""SQLiteStore keeps the Store contract on disk and loses no record under concurrent writers."""

from __future__ import annotations

import asyncio
import dataclasses
import multiprocessing
import random
import sqlite3
from pathlib import Path
from typing import Any

import pytest
from records import decision, metric

from mecrouter.config import SQLiteStoreConfig
from mecrouter.errors import StoreError
from mecrouter.stores import (
    DEFAULT_SQLITE_PATH,
    SQLiteStore,
    Store,
    open_store,
    sqlite_url,
)
from mecrouter.stores.sqlite import SCHEMA_VERSION
from mecrouter.types import DecisionRecord, ResourceMetric

DAY_S = 86_400.0
WRITERS = 8
RECORDS_PER_WRITER = 200


def writer_records(writer: int) -> list[DecisionRecord]:
    return [
        decision(f"w{writer}-{i}", timestamp=1_000.0 + i, user_id=f"user{writer}")
        for i in range(RECORDS_PER_WRITER)
    ]


async def write_in_batches(store: Store, writer: int) -> None:
    """Write one writer's records in random batches of 1-10, one transaction per batch."""
    rng = random.Random(writer)
    records = writer_records(writer)
    start = 0
    while start < len(records):
        size = rng.randint(1, 10)
        await store.write_decisions(records[start : start + size])
        start += size
        await asyncio.sleep(0)  # let the other writers interleave


async def write_through_own_store(path: str, writer: int, busy_timeout_s: float) -> None:
    async with SQLiteStore(path, busy_timeout_s=busy_timeout_s) as store:
        await write_in_batches(store, writer)


def writer_process(path: str, writer: int, go: Any) -> None:
    """Runs in a spawned process: wait for the start signal so every writer overlaps.

    Odd writers get no busy timeout at all, so only the store's own retry stands between them
    and a lost batch.
    """
    go.wait()
    asyncio.run(write_through_own_store(path, writer, 0.0 if writer % 2 else 10.0))


async def assert_every_record_landed(store: Store) -> None:
    assert await store.count_decisions() == WRITERS * RECORDS_PER_WRITER
    stored = {r.request_id for r in await store.query_decisions(limit=10_000)}
    expected = {r.request_id for w in range(WRITERS) for r in writer_records(w)}
    assert stored == expected


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


# --------------------------------------------------------------------------- contract


async def test_open_store_sqlite_keeps_records_in_the_file_at_its_path(tmp_path: Path) -> None:
    path = tmp_path / "x.db"
    store = open_store(SQLiteStoreConfig(path=str(path)))
    await store.write_decisions([decision("kept")])
    await store.aclose()
    assert path.is_file()
    async with SQLiteStore(path) as reopened:  # another store on the same file sees the record
        assert [r.request_id for r in await reopened.query_decisions()] == ["kept"]
        assert await reopened.get_decision("d-kept") == decision("kept")


async def test_open_store_sqlite_without_a_path_uses_the_default_file_in_the_working_dir(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    store = open_store(SQLiteStoreConfig())
    await store.write_decisions([decision("kept")])
    await store.aclose()
    assert [p.name for p in tmp_path.glob("*.sqlite3")] == [DEFAULT_SQLITE_PATH]


async def test_round_trip_keeps_every_field_with_lists_and_bools(tmp_path: Path) -> None:
    records = [decision("a"), decision("b", success=True, cache_hit=False, fallback_options=[])]
    async with SQLiteStore(tmp_path / "d.db") as store:
        await store.write_decisions(records)
        back = await store.query_decisions()
        await store.write_metrics([metric()])
        [metric_back] = await store.query_metrics("mec:mec-1/llama")
    assert sorted(back, key=lambda r: r.request_id) == records
    for got in back:
        assert type(got.success) is bool and type(got.cache_hit) is bool
        assert isinstance(got.fallback_options, list)
        assert type(got.input_tokens) is int
    assert metric_back == metric()
    assert type(metric_back.healthy) is bool


def test_sample_record_sets_every_defaulted_field() -> None:
    """Keeps the round-trip tests honest when DecisionRecord gains a field."""
    sample = decision()
    defaulted = [
        f for f in dataclasses.fields(DecisionRecord) if f.default is not dataclasses.MISSING
    ]
    assert len(defaulted) >= 10  # the optional outcome fields: actual_*, ttft_ms, tokens, ...
    assert [f.name for f in defaulted if getattr(sample, f.name) == f.default] == []


async def test_reopening_the_file_reads_back_what_was_written(tmp_path: Path) -> None:
    path = tmp_path / "nested" / "dirs" / "d.db"  # parent folders are created
    async with await SQLiteStore.open(path) as store:
        await store.write_decisions([decision("a"), decision("b")])
        await store.write_metrics([metric()])
    async with await SQLiteStore.open(path) as store:
        assert await store.count_decisions() == 2
        assert await store.get_decision("d-a") == decision("a")
        assert await store.query_metrics("mec:mec-1/llama") == [metric()]


async def test_in_memory_path_works(tmp_path: Path) -> None:
    async with await SQLiteStore.open(":memory:") as store:
        await store.write_decisions([decision()])
        assert await store.get_decision("d-r1") == decision()
    assert list(tmp_path.iterdir()) == []


async def test_file_is_in_wal_mode_with_versioned_schema(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    async with await SQLiteStore.open(path):
        conn = raw(path)
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
        conn.close()


def table_columns(conn: sqlite3.Connection, table: str) -> list[str]:
    return [row[1] for row in conn.execute(f"PRAGMA table_info({table})")]


def indexed_columns(conn: sqlite3.Connection, table: str) -> set[tuple[str, ...]]:
    names = [row[1] for row in conn.execute(f"PRAGMA index_list({table})")]
    return {tuple(r[2] for r in conn.execute(f"PRAGMA index_info({name})")) for name in names}


async def test_schema_has_every_record_field_keys_and_indexes(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    async with await SQLiteStore.open(path):
        conn = raw(path)
        decisions = table_columns(conn, "routing_decisions")
        metrics = table_columns(conn, "resource_metrics")
        decision_indexes = indexed_columns(conn, "routing_decisions")
        metric_indexes = indexed_columns(conn, "resource_metrics")
        conn.close()
    assert decisions == [f.name for f in dataclasses.fields(DecisionRecord)]
    assert metrics == [f.name for f in dataclasses.fields(ResourceMetric)]
    assert {("request_id", "timestamp"), ("user_id", "timestamp"), ("decision_id",)} <= (
        decision_indexes
    )
    assert {("tier_id", "timestamp"), ("ttl",)} <= metric_indexes


async def test_opening_an_older_file_adds_columns_for_new_fields(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    async with await SQLiteStore.open(path) as store:
        await store.write_decisions([decision("old")])
    conn = raw(path)  # as if written before `network_rtt_ms` and `error` existed
    conn.execute("ALTER TABLE routing_decisions DROP COLUMN network_rtt_ms")
    conn.execute("ALTER TABLE routing_decisions DROP COLUMN error")
    conn.close()
    async with await SQLiteStore.open(path) as store:
        old = await store.get_decision("d-old")
        await store.write_decisions([decision("new")])
        new = await store.get_decision("d-new")
    assert old == decision("old", network_rtt_ms=0.0, error="")
    assert new == decision("new")


async def test_a_file_from_before_owners_opens_with_unowned_records(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    async with await SQLiteStore.open(path) as store:
        await store.write_decisions([decision("old")])
    conn = raw(path)  # as if written before records had an owning API key
    conn.execute("ALTER TABLE routing_decisions DROP COLUMN owner_id")
    conn.close()
    async with await SQLiteStore.open(path) as store:
        old = await store.get_decision("d-old")
        await store.write_decisions([decision("new", owner_id="mk_0badcafe")])
        new = await store.get_decision("d-new")
    assert old is not None and old.owner_id == "" and old.user_id == decision().user_id
    assert new is not None and new.owner_id == "mk_0badcafe"


async def test_file_lacking_a_required_column_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    async with await SQLiteStore.open(path):
        pass
    conn = raw(path)
    conn.execute("ALTER TABLE resource_metrics DROP COLUMN circuit_state")
    conn.close()
    with pytest.raises(StoreError, match="circuit_state"):
        await SQLiteStore.open(path)


async def test_directory_as_database_path_raises_store_error(tmp_path: Path) -> None:
    with pytest.raises(StoreError):
        await SQLiteStore.open(tmp_path)


async def test_path_under_a_regular_file_raises_store_error(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    store = SQLiteStore(blocker / "d.db")
    with pytest.raises(StoreError):
        await store.write_decisions([decision()])


async def test_newer_schema_version_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    conn = raw(path)
    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION + 1}")
    conn.close()
    with pytest.raises(StoreError, match="schema version"):
        await SQLiteStore.open(path)


async def test_closed_store_refuses_work_and_closing_twice_is_fine(tmp_path: Path) -> None:
    store = await SQLiteStore.open(tmp_path / "d.db")
    await store.aclose()
    await store.aclose()
    with pytest.raises(StoreError, match="closed"):
        await store.count_decisions()


# --------------------------------------------------------------------------- concurrency


async def test_write_outlasts_a_lock_held_past_the_busy_timeout(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    async with SQLiteStore(path, busy_timeout_s=0.02) as store:
        await store.write_decisions([decision("first")])
        blocker = raw(path)
        blocker.execute("BEGIN IMMEDIATE")
        committed: list[bool] = []

        def commit() -> None:
            blocker.execute("COMMIT")
            committed.append(True)

        asyncio.get_running_loop().call_later(0.3, commit)  # 15 busy timeouts later
        await store.write_decisions([decision("second")])
        assert committed == [True]  # the write landed only once the lock was gone
        blocker.close()
        assert await store.count_decisions() == 2


async def test_write_raises_store_error_when_the_retry_budget_runs_out(tmp_path: Path) -> None:
    path = tmp_path / "d.db"
    async with SQLiteStore(path, busy_timeout_s=0.01, retry_budget_s=0.1) as store:
        await store.write_decisions([decision("first")])
        blocker = raw(path)
        blocker.execute("BEGIN IMMEDIATE")
        with pytest.raises(StoreError, match="locked"):
            await store.write_decisions([decision("lost")])
        blocker.execute("COMMIT")
        blocker.close()
        await store.write_decisions([decision("after")])  # the store recovered
        assert {r.request_id for r in await store.query_decisions()} == {"first", "after"}


async def test_tasks_sharing_one_store_lose_no_record(tmp_path: Path) -> None:
    async with SQLiteStore(tmp_path / "d.db") as store:
        await asyncio.gather(*(write_in_batches(store, w) for w in range(WRITERS)))
        await assert_every_record_landed(store)


@pytest.mark.parametrize("busy_timeout_s", [10.0, 0.0], ids=["busy-handler", "retry-only"])
async def test_tasks_with_their_own_stores_lose_no_record(
    tmp_path: Path, busy_timeout_s: float
) -> None:
    path = str(tmp_path / "d.db")
    writes = (write_through_own_store(path, w, busy_timeout_s) for w in range(WRITERS))
    await asyncio.gather(*writes)
    async with SQLiteStore(path) as store:
        await assert_every_record_landed(store)


def test_eight_writer_processes_lose_no_record(tmp_path: Path) -> None:
    path = str(tmp_path / "fresh" / "d.db")  # a fresh file: schema creation races too
    ctx = multiprocessing.get_context("spawn")
    go = ctx.Event()
    processes = [ctx.Process(target=writer_process, args=(path, w, go)) for w in range(WRITERS)]
    try:
        for process in processes:
            process.start()
        go.set()
        for process in processes:
            process.join(timeout=60)
    finally:
        for process in processes:
            if process.is_alive():
                process.kill()
    assert [p.exitcode for p in processes] == [0] * WRITERS

    async def check() -> None:
        async with SQLiteStore(path) as store:
            await assert_every_record_landed(store)

    asyncio.run(check())


@pytest.mark.parametrize("kind", ["sqlite", "memory"])
async def test_feedback_lands_once_on_the_newest_row_and_survives_reopening(
    tmp_path: Path, kind: str
) -> None:
    url = sqlite_url(tmp_path / "fb.db") if kind == "sqlite" else "memory://"
    store = open_store(url)
    await store.write_decisions(
        [
            decision("a", timestamp=1.0, decision_id="d1", feedback_score=-1.0),
            decision("b", timestamp=2.0, decision_id="d1", feedback_score=-1.0),
        ]
    )
    assert await store.set_feedback("d1", 0.25) is True
    assert await store.set_feedback("d1", 1.0) is False  # first feedback wins
    assert await store.set_feedback("nope", 1.0) is False
    got = await store.get_decision("d1")
    assert got is not None and got.request_id == "b" and got.feedback_score == 0.25
    older = [r for r in await store.query_decisions() if r.request_id == "a"]
    assert older[0].feedback_score == -1.0
    await store.aclose()
    if kind == "sqlite":
        again = open_store(url)
        reread = await again.get_decision("d1")
        assert reread is not None and reread.feedback_score == 0.25
        await again.aclose()
