"""MemoryStore keeps the Store contract: keys, ordering, filters, purge, isolation, closing."""

from __future__ import annotations

import dataclasses

import pytest
from records import decision, metric

from mecrouter.config import MemoryStoreConfig
from mecrouter.errors import ConfigError, StoreError
from mecrouter.stores import MemoryStore, open_store

DAY_S = 86_400.0


async def test_open_store_memory_gives_a_fresh_store_that_keeps_what_is_written() -> None:
    first, second = open_store("memory://"), open_store(MemoryStoreConfig())
    await first.write_decisions([decision("kept")])
    await first.write_metrics([metric()])
    assert await first.count_decisions() == 1
    assert await first.get_decision("d-kept") == decision("kept")
    assert await first.query_metrics(metric().tier_id) == [metric()]
    assert await second.count_decisions() == 0  # each call is its own store, nothing shared
    await first.aclose()
    await second.aclose()


def test_open_store_rejects_an_unknown_backend_naming_the_accepted_forms() -> None:
    with pytest.raises(ConfigError) as info:
        open_store("postgres://db/records")
    assert info.value.field == "store URL"
    assert "'postgres'" in info.value.message
    assert "memory://" in info.value.message and "sqlite:///" in info.value.message


async def test_round_trip_keeps_every_field() -> None:
    store = MemoryStore()
    record = decision()
    await store.write_decisions([record])
    [back] = await store.query_decisions()
    assert back == record
    assert dataclasses.asdict(back) == dataclasses.asdict(record)


async def test_caller_mutation_cannot_change_stored_records() -> None:
    store = MemoryStore()
    record = decision()
    await store.write_decisions([record])
    record.fallback_options.append("nowhere")
    record.reasoning = "changed"
    read = await store.get_decision("d-r1")
    assert read is not None
    read.fallback_options.clear()
    again = await store.get_decision("d-r1")
    assert again is not None
    assert again.fallback_options == ["cloud", "device"]
    assert again.reasoning == "meets the 200 ms SLO at the lowest cost"


async def test_same_request_and_timestamp_replaces_the_record() -> None:
    store = MemoryStore()
    await store.write_decisions([decision(success=False)])
    await store.write_decisions([decision(success=True, decision_id="d-new")])
    assert await store.count_decisions() == 1
    assert await store.get_decision("d-r1") is None  # its row now holds another decision
    replaced = await store.get_decision("d-new")
    assert replaced is not None and replaced.success is True


async def test_get_decision_finds_by_decision_id_and_misses_cleanly() -> None:
    store = MemoryStore()
    await store.write_decisions([decision("a"), decision("b", timestamp=2_000.0)])
    found = await store.get_decision("d-b")
    assert found is not None and found.request_id == "b" and found.timestamp == 2_000.0
    assert await store.get_decision("d-missing") is None


async def test_query_filters_by_user_and_half_open_window_newest_first() -> None:
    store = MemoryStore()
    await store.write_decisions(
        [decision(f"a{t}", timestamp=float(t), user_id="alice") for t in range(10)]
        + [decision(f"b{t}", timestamp=float(t), user_id="bob") for t in range(10)]
    )
    window = await store.query_decisions(user_id="alice", since=3.0, until=7.0)
    assert [r.request_id for r in window] == ["a6", "a5", "a4", "a3"]
    newest = await store.query_decisions(limit=3)
    assert [(r.timestamp, r.request_id) for r in newest] == [(9.0, "b9"), (9.0, "a9"), (8.0, "b8")]
    assert await store.query_decisions(limit=0) == []
    assert await store.query_decisions(user_id="carol") == []


async def test_count_decisions_counts_distinct_keys() -> None:
    store = MemoryStore()
    await store.write_decisions([decision("x", timestamp=1.0), decision("x", timestamp=2.0)])
    await store.write_decisions([decision("x", timestamp=2.0)])
    assert await store.count_decisions() == 2


async def test_query_metrics_by_tier_newest_first_with_since_and_limit() -> None:
    store = MemoryStore()
    await store.write_metrics([metric(timestamp=float(t)) for t in range(5)])
    await store.write_metrics([metric(10.0, tier_id="cloud:gpt")])
    got = await store.query_metrics("mec:mec-1/llama", since=1.0, limit=3)
    assert [m.timestamp for m in got] == [4.0, 3.0, 2.0]
    assert got[0] == metric(timestamp=4.0)
    assert [m.tier_id for m in await store.query_metrics("cloud:gpt")] == ["cloud:gpt"]


async def test_purge_drops_expired_metrics_and_decisions_past_retention() -> None:
    store = MemoryStore(retention_days=1.0)
    now = 10 * DAY_S
    await store.write_metrics([metric(timestamp=0.0, ttl=now - 1), metric(timestamp=1.0, ttl=now)])
    await store.write_decisions(
        [decision("old", timestamp=now - DAY_S - 1), decision("kept", timestamp=now - DAY_S)]
    )
    assert await store.purge_expired(now) == 2
    assert [m.timestamp for m in await store.query_metrics("mec:mec-1/llama")] == [1.0]
    assert [r.request_id for r in await store.query_decisions()] == ["kept"]
    assert await store.get_decision("d-old") is None
    assert await store.purge_expired(now) == 0


async def test_closed_store_refuses_work_and_closing_twice_is_fine() -> None:
    store = MemoryStore()
    await store.write_decisions([decision()])
    await store.aclose()
    await store.aclose()
    with pytest.raises(StoreError):
        await store.count_decisions()
    with pytest.raises(StoreError):
        await store.write_decisions([decision()])
