"""One contract, every store: memory, SQLite, DynamoDB (over HTTP, moto's server) and the
outbox store (SQLite shipped to DynamoDB), held to the same answers on the same calls."""

from __future__ import annotations

import dataclasses
import random
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest
from records import decision, metric

from mecrouter.errors import StoreError
from mecrouter.stores import MemoryStore, SQLiteStore, Store, open_store
from mecrouter.stores.outbox import OutboxStore

DAY_S = 86_400.0
STORES = ["memory", "sqlite", "dynamodb", "outbox"]


def _dynamodb_url(request: pytest.FixtureRequest, outbox: Path | None) -> str:
    moto = request.getfixturevalue("moto")
    where = f"endpoint_url={moto.url}&create_tables=true"
    return f"dynamodb://contract-?{where}&outbox={outbox if outbox else 'none'}"


@pytest.fixture(params=STORES)
async def store(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Store]:
    kind = request.param
    opened: Store
    if kind == "memory":
        opened = MemoryStore()
    elif kind == "sqlite":
        opened = SQLiteStore(tmp_path / "contract.db")
    elif kind == "dynamodb":
        opened = open_store(_dynamodb_url(request, None))
    else:
        opened = open_store(_dynamodb_url(request, tmp_path / "outbox.db"))
    yield opened
    await opened.aclose()


async def test_round_trip_keeps_every_field(store: Store) -> None:
    record = decision(user_id="", fallback_options=[], reasoning="")  # empty values survive too
    full = decision("r2")
    await store.write_decisions([record, full])
    assert await store.get_decision(record.decision_id) == record
    back = await store.get_decision(full.decision_id)
    assert back is not None
    assert dataclasses.asdict(back) == dataclasses.asdict(full)


async def test_a_record_is_never_overwritten(store: Store) -> None:
    await store.write_decisions([decision("x", timestamp=1.0), decision("x", timestamp=2.0)])
    await store.write_decisions([decision("x", timestamp=2.0, reasoning="second")])
    assert await store.count_decisions() == 2
    [newest] = await store.query_decisions(limit=1)
    assert newest.timestamp == 2.0
    assert newest.reasoning == decision().reasoning  # the first write stays


async def test_get_decision_gives_the_newest_row_of_a_decision(store: Store) -> None:
    await store.write_decisions(
        [
            decision("a", timestamp=5.0, decision_id="d"),
            decision("b", timestamp=9.0, decision_id="d"),
        ]
    )
    found = await store.get_decision("d")
    assert found is not None and found.request_id == "b"
    assert await store.get_decision("unknown") is None


async def test_query_by_user_and_window_is_newest_first_with_ties_by_request_id(
    store: Store,
) -> None:
    rows = [decision(f"a{i}", timestamp=float(i), user_id="ann") for i in range(6)]
    rows += [decision(f"b{i}", timestamp=float(i), user_id="bob") for i in range(6)]
    rows += [decision("tie", timestamp=5.0, user_id="ann")]
    await store.write_decisions(rows)
    ann = await store.query_decisions(user_id="ann", limit=3)
    assert [r.request_id for r in ann] == ["tie", "a5", "a4"]
    window = await store.query_decisions(user_id="bob", since=1.0, until=4.0)
    assert [r.request_id for r in window] == ["b3", "b2", "b1"]  # until is exclusive
    everyone = await store.query_decisions(since=4.0, limit=4)
    assert [r.request_id for r in everyone] == ["tie", "b5", "a5", "b4"]
    assert [r.request_id for r in await store.query_decisions(until=1.0)] == ["b0", "a0"]
    assert await store.query_decisions(limit=0) == []


async def test_recent_window_of_all_users_spans_days(store: Store) -> None:
    now = 1_800_000_000.0  # a window of a few days, which DynamoDB answers day by day
    rows = [decision(f"r{i}", timestamp=now - i * DAY_S / 2, user_id=f"u{i}") for i in range(8)]
    await store.write_decisions(rows)
    got = await store.query_decisions(since=now - 2 * DAY_S, until=now + 1, limit=10)
    assert [r.request_id for r in got] == ["r0", "r1", "r2", "r3", "r4"]
    assert [r.request_id for r in await store.query_decisions(since=now - DAY_S, limit=2)] == [
        "r0",
        "r1",
    ]


async def test_feedback_lands_once_on_the_newest_row(store: Store) -> None:
    unscored = {"decision_id": "d", "feedback_score": -1.0}
    await store.write_decisions(
        [decision("old", timestamp=1.0, **unscored), decision("new", timestamp=2.0, **unscored)]
    )
    assert await store.set_feedback("d", 0.8) is True
    assert await store.set_feedback("d", 0.1) is False  # the first score wins
    assert await store.set_feedback("nobody", 0.5) is False
    newest = await store.get_decision("d")
    assert newest is not None and newest.feedback_score == 0.8
    rows = {r.request_id: r.feedback_score for r in await store.query_decisions()}
    assert rows == {"new": 0.8, "old": -1.0}


async def test_metrics_newest_first_with_since_and_limit(store: Store) -> None:
    await store.write_metrics([metric(float(t)) for t in range(5)])
    tier = metric().tier_id
    assert [m.timestamp for m in await store.query_metrics(tier)] == [4.0, 3.0, 2.0, 1.0, 0.0]
    assert [m.timestamp for m in await store.query_metrics(tier, since=2.0, limit=2)] == [4.0, 3.0]
    assert await store.query_metrics("nowhere:none") == []
    assert await store.query_metrics(tier) == sorted(
        [metric(float(t)) for t in range(5)], key=lambda m: -m.timestamp
    )


async def test_purge_drops_expired_metrics_and_decisions_past_retention(store: Store) -> None:
    now = 100 * DAY_S
    await store.write_decisions(
        [decision("old", timestamp=now - 31 * DAY_S), decision("kept", timestamp=now - 29 * DAY_S)]
    )
    await store.write_metrics([metric(1.0, ttl=now - 1), metric(2.0, ttl=now + 1)])
    assert await store.purge_expired(now) == 2
    assert [r.request_id for r in await store.query_decisions()] == ["kept"]
    assert [m.timestamp for m in await store.query_metrics(metric().tier_id)] == [2.0]


async def test_same_answers_as_the_memory_store_on_random_data(store: Store) -> None:
    rng = random.Random(7)
    rows = [
        decision(
            f"r{i}",
            timestamp=float(rng.randrange(50)),
            user_id=rng.choice(["ann", "bob", "cy"]),
            decision_id=f"d{rng.randrange(30)}",
            latency_ms=rng.uniform(0, 900),
        )
        for i in range(60)
    ]
    reference = MemoryStore()
    for target in (store, reference):
        await target.write_decisions(rows)
    queries: list[dict[str, Any]] = [
        {},
        {"user_id": "bob"},
        {"since": 10.0, "until": 30.0, "limit": 7},
        {"user_id": "cy", "since": 20.0},
        {"until": 5.0},
    ]
    for query in queries:
        assert await store.query_decisions(**query) == await reference.query_decisions(**query)
    for i in range(30):
        assert await store.get_decision(f"d{i}") == await reference.get_decision(f"d{i}")
    if isinstance(store, OutboxStore):  # its count is an upper bound while shipping lags (a
        assert await store.drain(30.0)  # loaded machine once gave 118): compare once shipped
    assert await store.count_decisions() == 60


async def test_a_closed_store_refuses_work(store: Store) -> None:
    await store.aclose()
    with pytest.raises(StoreError):
        await store.write_decisions([decision()])
    await store.aclose()  # closing twice is fine
