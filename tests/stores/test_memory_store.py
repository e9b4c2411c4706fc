"""MemoryStore keeps the Store contract: keys, ordering, filters, purge, isolation, closing."""

from __future__ import annotations

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


async def test_closed_store_refuses_work_and_closing_twice_is_fine() -> None:
    store = MemoryStore()
    await store.write_decisions([decision()])
    await store.aclose()
    await store.aclose()
    with pytest.raises(StoreError):
        await store.count_decisions()
    with pytest.raises(StoreError):
        await store.write_decisions([decision()])
