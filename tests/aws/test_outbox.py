"""The outbox store never loses an acknowledged record: DynamoDB (moto's server over HTTP) made
unreachable mid-load, the process restarted with entries still waiting, feedback given before
its record has shipped."""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "stores"))
from records import decision, metric

from mecrouter.stores import GroupCommit, OutboxStore, SQLiteStore, open_store
from mecrouter.stores.dynamodb import DynamoDBStore

pytest.importorskip("boto3")


def _outbox(moto_url: str, path: Path, **options: float) -> OutboxStore:
    local = SQLiteStore(path, outbox=True)
    remote = DynamoDBStore(endpoint_url=moto_url, create_tables=True, max_concurrency=8)
    return OutboxStore(local, remote, **({"min_backoff_s": 0.05, "max_backoff_s": 0.2} | options))


async def _remote_keys(moto_url: str) -> set[str]:
    remote = DynamoDBStore(endpoint_url=moto_url)
    try:
        return {r.request_id for r in await remote.query_decisions(limit=100_000)}
    finally:
        await remote.aclose()


async def test_dynamodb_down_mid_load_loses_no_acknowledged_record(moto, tmp_path: Path) -> None:
    store = _outbox(moto.url, tmp_path / "outbox.db")
    commits = GroupCommit(store)
    acknowledged: list[str] = []

    async def client(worker: int, count: int) -> None:
        for i in range(count):
            request_id = f"w{worker}-{len(acknowledged)}-{i}"
            await commits.write(decision(request_id, timestamp=float(i)))
            acknowledged.append(request_id)  # the gateway answers only now

    await asyncio.gather(*(client(w, 20) for w in range(4)))
    with moto.down():  # DynamoDB unreachable: writes still land locally
        await asyncio.gather(*(client(w, 30) for w in range(4)))
        assert await store.pending() > 0
        for _ in range(200):  # the shipper notices (after botocore's own retries)
            if store.failed_rounds:
                break
            await asyncio.sleep(0.05)
        assert "EndpointConnectionError" in store.last_error
    await asyncio.gather(*(client(w, 10) for w in range(4)))
    assert await store.drain(30.0), "the outbox did not empty once DynamoDB returned"
    await commits.aclose()
    await store.aclose()
    assert len(acknowledged) == 240
    assert await _remote_keys(moto.url) == set(acknowledged)


async def test_entries_left_at_close_ship_after_a_restart(moto, tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    first = _outbox(moto.url, path, drain_timeout_s=0.3)
    await first.remote.ensure_tables()  # type: ignore[attr-defined]
    with moto.down():
        await first.write_decisions([decision(f"r{i}") for i in range(25)])
        await first.write_metrics([metric(float(t)) for t in range(5)])
        await first.aclose()  # gives up after 0.3 s: the entries stay in the file
    assert await _remote_keys(moto.url) == set()
    second = _outbox(moto.url, path)
    assert await second.pending() == 30
    await second.start()  # what the gateway does when it starts
    assert await second.drain(30.0)
    assert await _remote_keys(moto.url) == {f"r{i}" for i in range(25)}
    remote = DynamoDBStore(endpoint_url=moto.url)
    assert len(await remote.query_metrics(metric().tier_id)) == 5
    await remote.aclose()
    await second.aclose()


async def test_feedback_before_shipping_reaches_dynamodb_after_its_record(
    moto, tmp_path: Path
) -> None:
    store = _outbox(moto.url, tmp_path / "outbox.db")
    await store.remote.ensure_tables()  # type: ignore[attr-defined]
    with moto.down():
        await store.write_decisions([decision("r1", feedback_score=-1.0)])
        assert await store.set_feedback("d-r1", 0.9) is True
        assert await store.set_feedback("d-r1", 0.2) is False
        local = await store.get_decision("d-r1")  # answered from the local file meanwhile
        assert local is not None and local.feedback_score == 0.9
    assert await store.drain(30.0)
    await store.aclose()
    remote = DynamoDBStore(endpoint_url=moto.url)
    shipped = await remote.get_decision("d-r1")
    await remote.aclose()
    assert shipped is not None and shipped.feedback_score == 0.9


async def test_a_record_shipped_twice_after_a_crash_is_stored_once(moto, tmp_path: Path) -> None:
    path = tmp_path / "outbox.db"
    store = _outbox(moto.url, path)
    record = decision("once", feedback_score=-1.0)
    await store.write_decisions([record])
    assert await store.drain(30.0)
    # As if the process died after DynamoDB took the record but before the entry was removed.
    local = SQLiteStore(path, outbox=True)
    await local.write_decisions([decision("once", reasoning="resent", feedback_score=-1.0)])
    await local.aclose()
    assert await store.drain(30.0)
    [stored] = await store.remote.query_decisions()
    assert stored == record  # the first write stays
    await store.aclose()


async def test_the_config_default_puts_an_outbox_before_dynamodb(moto, tmp_path: Path) -> None:
    store = open_store(
        f"dynamodb://cfg-?endpoint_url={moto.url}&create_tables=true&outbox={tmp_path / 'o.db'}"
    )
    assert isinstance(store, OutboxStore)
    await store.write_decisions([decision("via-config")])
    assert await store.drain(30.0)
    await store.aclose()
    remote = DynamoDBStore(table_prefix="cfg-", endpoint_url=moto.url)
    assert [r.request_id for r in await remote.query_decisions()] == ["via-config"]
    await remote.aclose()


async def test_the_backlog_shows_on_metrics_while_dynamodb_is_away(moto, tmp_path: Path) -> None:
    from prometheus_client import CollectorRegistry, generate_latest

    from mecrouter.gateway.outbox_metrics import OutboxCollector, store_status

    store = _outbox(moto.url, tmp_path / "outbox.db")
    registry = CollectorRegistry()
    registry.register(OutboxCollector(lambda: store_status(store)))
    await store.start()
    with moto.down():
        await store.write_decisions([decision(f"away-{i}") for i in range(5)])
        for _ in range(100):  # the shipper notices (after botocore's own retries)
            if store.failed_rounds:
                break
            await asyncio.sleep(0.1)
        status = store_status(store)
        assert status is not None and status["waiting"] == 5 and status["last_error"]
        scraped = generate_latest(registry).decode()
        assert "mecrouter_outbox_waiting 5.0" in scraped
        assert "mecrouter_outbox_failed_rounds_total" in scraped
    assert await store.drain(30.0)
    assert store_status(store) == {**store.status(), "waiting": 0, "shipped": 5, "last_error": ""}
    assert "mecrouter_outbox_shipped_total 5.0" in generate_latest(registry).decode()
    await store.aclose()
    assert store_status(SQLiteStore(tmp_path / "plain.db")) is None


async def test_local_copies_past_a_day_are_dropped_once_shipped(moto, tmp_path: Path) -> None:
    import time

    local = SQLiteStore(tmp_path / "outbox.db", retention_days=1.0, outbox=True)
    remote = DynamoDBStore(endpoint_url=moto.url, create_tables=True, max_concurrency=8)
    store = OutboxStore(local, remote, min_backoff_s=0.05, local_purge_s=0.0)
    now = time.time()
    await store.write_decisions(
        [decision("old", timestamp=now - 3 * 86_400), decision("new", timestamp=now)]
    )
    assert await store.drain(30.0)
    for _ in range(100):
        if await local.get_decision("d-old") is None:
            break
        await asyncio.sleep(0.05)
    assert await local.get_decision("d-old") is None  # the file holds a day's copies
    assert await local.get_decision("d-new") is not None
    assert (await store.get_decision("d-old")) == decision("old", timestamp=now - 3 * 86_400)
    await store.aclose()


async def test_a_purge_ships_what_waits_first_so_no_expired_record_outlives_it(
    moto, tmp_path: Path
) -> None:
    """An expired record still in the outbox when the purge runs would ship after it and live
    on in DynamoDB; the purge ships first (DynamoDB away at the write, back at the purge)."""
    # After a failed round the shipper sleeps 1 s: the purge comes while it still sleeps.
    store = _outbox(moto.url, tmp_path / "outbox.db", min_backoff_s=1.0, max_backoff_s=1.0)
    now = 100 * 86_400.0
    with moto.down():
        await store.write_decisions([decision("expired", timestamp=now - 31 * 86_400.0)])
        for _ in range(200):  # a round failed: the shipper is in its back-off
            if store.failed_rounds:
                break
            await asyncio.sleep(0.05)
        assert store.failed_rounds and await store.pending() == 1
    assert await store.purge_expired(now) == 1  # shipped first, then purged
    assert await store.drain(10.0)
    await store.aclose()
    assert await _remote_keys(moto.url) == set()
