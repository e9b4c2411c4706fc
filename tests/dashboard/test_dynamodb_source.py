"""The dashboard on a DynamoDB store (moto's server over HTTP): the store's own paginated
queries, aggregated in Python, give what the SQLite source gives for the same decisions; the
store is opened without an outbox and without creating tables."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
from seeded import ROWS, record, seed_store

from mecrouter.dashboard.source import DashboardError, DecisionFilter, SqliteSource, StoreSource
from mecrouter.stores import open_store


@pytest.fixture
def url(moto: object, tmp_path: Path) -> str:
    base = f"dynamodb://dash-?endpoint_url={moto.url}"  # type: ignore[attr-defined]
    now = time.time()
    records = [record(i, row, now) for i, row in enumerate(ROWS)]

    async def write() -> None:
        store = open_store(f"{base}&create_tables=true&outbox=none")
        await store.write_decisions(records)
        await store.aclose()

    asyncio.run(write())
    return base


def test_dynamodb_gives_what_sqlite_gives(url: str, tmp_path: Path) -> None:
    dynamo = StoreSource(url)
    seed_store(tmp_path / "same.sqlite3", baseline_rows=0)
    sqlite = SqliteSource(tmp_path / "same.sqlite3")
    newest, also = dynamo.newest_timestamp(), sqlite.newest_timestamp()
    assert newest is not None and also is not None
    since = newest - 3600
    for group in ("tier", "use_case", "model"):
        a = {(b["grp"], b["requests"], round(b["cost_usd"], 9)) for b in
             dynamo.buckets(since, newest + 1, 7200.0, group, "mecrouter")}  # fmt: skip
        b = {(x["grp"], x["requests"], round(x["cost_usd"], 9)) for x in
             sqlite.buckets(also - 3600, also + 1, 7200.0, group, "mecrouter")}  # fmt: skip
        assert a == b, group
    failed = DecisionFilter(outcome="failure")
    assert [r["decision_id"] for r in dynamo.page(failed, 0, 10)] == ["dec-mecrouter-20"]
    decision = dynamo.decision("dec-mecrouter-3")
    assert decision is not None and decision["reasoning"].startswith("reason 3")
    assert dynamo.facets()["tier"] == ["cloud", "device", "mec"]
    assert len(dynamo.window(since, newest + 1, ()).rows) == len(ROWS)


def test_a_missing_table_is_a_message_and_is_not_created(moto: object) -> None:
    import boto3

    endpoint = moto.url  # type: ignore[attr-defined]
    source = StoreSource(f"dynamodb://absent-?endpoint_url={endpoint}")
    with pytest.raises(DashboardError, match="the store could not answer"):
        source.newest_timestamp()
    tables = boto3.client("dynamodb", endpoint_url=endpoint).list_tables()["TableNames"]
    assert not [t for t in tables if t.startswith("absent-")]
