"""Chaos under steady load through two replicas sharing Redis (bounded, loopback only).

While 600 requests flow (a quarter streamed, 16 at a time, through a round-robin balancer that
sends a request whose connection failed to the other replica): the MEC tier is killed and
restarted, the cloud slows down 4x, then fails 30% of its calls, one replica is SIGKILLed, and
Redis is restarted. Every request must end answered or with a clean OpenAI-style error: none
lost. The one exception is physical: a stream the killed replica was sending when it died is
cut (no process is left to send an error event, and no balancer can resend half an answer);
those are counted apart and may only happen on that replica. Every answer the killed replica
gave must be in the decision store.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from mecrouter.config import load_config
from mecrouter.gateway.auth import KeyStore
from mecrouter.gateway.chaos import Balancer, Fault, run_load
from mecrouter.gateway.topology import LocalTopology, RedisProcess
from mecrouter.types import ComputeTier
from redis_server import redis_process as make_redis

TIME_SCALE = 0.02
SENT = 600
CONCURRENCY = 16
BOUND_S = 90.0


@pytest.fixture
def redis_process(tmp_path: Path) -> Iterator[RedisProcess]:
    process = make_redis(tmp_path)
    process.start()
    try:
        yield process
    finally:
        process.stop()


def _body(i: int) -> dict[str, Any]:
    use_case = ("gaming", "default", "iot", "automotive")[i % 4]
    body: dict[str, Any] = {
        "model": "auto",
        "messages": [{"role": "user", "content": f"Request {i}: summarise the shift report."}],
        "max_tokens": 16,
        "routing": {"use_case": use_case},
    }
    if i % 4 == 1:
        body["stream"] = True
    return body


def _stored(db_path: Path) -> set[str]:
    with contextlib.closing(sqlite3.connect(db_path)) as db:
        return {row[0] for row in db.execute("SELECT decision_id FROM routing_decisions")}


def test_no_request_is_lost_through_tier_kills_errors_a_replica_kill_and_a_redis_restart(
    redis_process: RedisProcess,
) -> None:
    topo = LocalTopology(
        load_config(),
        time_scale=TIME_SCALE,
        replicas=2,
        gateway_args=("--state", redis_process.url),
    )
    with KeyStore(topo.keys_db) as keys:
        secret, _ = keys.create("chaos")
    with topo:
        mec, cloud = topo.emulators[ComputeTier.MEC], topo.emulator_url(ComputeTier.CLOUD)
        victim = topo.gateways[1].popen
        assert victim is not None

        async def cloud_fault(**spec: Any) -> None:
            async with httpx.AsyncClient() as client:
                r = await client.post(f"{cloud}/admin/fault", json=spec)
                r.raise_for_status()

        async def cloud_clear() -> None:
            async with httpx.AsyncClient() as client:
                (await client.delete(f"{cloud}/admin/fault")).raise_for_status()

        async def restart_mec() -> None:
            await asyncio.to_thread(mec.start)
            await asyncio.to_thread(mec.wait_ready)

        async def kill_victim() -> None:
            os.kill(victim.pid, signal.SIGKILL)

        faults = [
            Fault(60, "MEC tier killed", lambda: asyncio.to_thread(mec.stop)),
            Fault(120, "MEC tier restarted", restart_mec),
            Fault(180, "cloud 4x slower", lambda: cloud_fault(slow_factor=4.0)),
            Fault(240, "cloud fails 30%", lambda: cloud_fault(error_rate=0.3)),
            Fault(300, "cloud healed", cloud_clear),
            Fault(360, "replica 2 SIGKILLed", kill_victim),
            Fault(420, "Redis stopped", lambda: asyncio.to_thread(redis_process.stop)),
            Fault(480, "Redis restarted", lambda: asyncio.to_thread(redis_process.start)),
        ]
        balancer = Balancer(topo.gateway_urls, {"authorization": f"Bearer {secret}"})
        tally = asyncio.run(
            run_load(
                balancer, _body, total=SENT, concurrency=CONCURRENCY, bound_s=BOUND_S, faults=faults
            )
        )
        assert victim.wait(10) == -signal.SIGKILL
        # Back on shared state within retry_after_s (1 s) and a sync of Redis's return.
        deadline = time.monotonic() + 3.0
        while True:
            ready = httpx.get(f"{topo.gateway_urls[0]}/readyz", timeout=5).json()
            if ready["state"]["connected"] or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    summary = tally.summary()
    assert tally.sent == SENT, summary
    assert tally.lost == 0, (summary, tally.lost_examples)
    assert set(tally.cut) <= {1} and sum(tally.cut.values()) <= CONCURRENCY, summary
    assert tally.answered + tally.failed + sum(tally.cut.values()) == SENT
    assert tally.answered >= 0.8 * SENT, summary  # failover keeps most requests answered
    assert tally.retried >= 1  # the kill did send requests elsewhere
    stored = _stored(topo.decisions_db)
    for replica, acked in tally.acked.items():
        missing = set(acked) - stored
        assert not missing, f"replica {replica}: {len(missing)} acknowledged records lost"
    assert ready["state"]["connected"] is True, ready  # back on shared state after the restart
