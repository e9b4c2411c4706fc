"""An acknowledged request's record survives the gateway being killed: `mecrouter serve` (keys on,
emulated tiers over HTTP) takes concurrent plain and streamed requests, is SIGKILLed while they
flow, and every decision id the clients were given (a 200 with its whole body, or a stream that
reached ``data: [DONE]``) is in the SQLite file afterwards."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import sqlite3

import httpx

from mecrouter.config import load_config
from mecrouter.gateway.auth import KeyStore
from mecrouter.gateway.topology import LocalTopology

TIME_SCALE = 0.01  # emulated tiers 100x faster than their profiles
SENT = 200  # requests in all
CONCURRENCY = 32  # in flight at once
KILL_AFTER = 100  # acknowledged answers before the SIGKILL (not a multiple of 64)
BOUND_S = 60.0  # the whole load, however it goes


def _ask(i: int) -> dict[str, object]:
    body: dict[str, object] = {
        "model": "auto",
        "messages": [{"role": "user", "content": f"Order {i}: summarise the delivery status."}],
        "max_tokens": 12,
    }
    if i % 4 == 3:
        body["stream"] = True
    return body


async def _one(client: httpx.AsyncClient, i: int) -> str | None:
    """The decision id if the request was acknowledged in full, else None."""
    body = _ask(i)
    with contextlib.suppress(httpx.HTTPError):
        if not body.get("stream"):
            response = await client.post("/v1/chat/completions", json=body)
            return response.headers["x-mecrouter-decision-id"] if response.is_success else None
        async with client.stream("POST", "/v1/chat/completions", json=body) as response:
            if not response.is_success:
                return None
            lines = [line async for line in response.aiter_lines()]
            if "data: [DONE]" in lines:
                return response.headers["x-mecrouter-decision-id"]
    return None


async def _load_then_kill(url: str, secret: str, pid: int) -> list[str]:
    acked: list[str] = []
    gate = asyncio.Semaphore(CONCURRENCY)
    killed = False

    async def worker(client: httpx.AsyncClient, i: int) -> None:
        nonlocal killed
        async with gate:
            if killed:
                return
            decision_id = await _one(client, i)
        if decision_id is None or killed:
            return  # an answer completed after the kill cannot have been acknowledged before it
        acked.append(decision_id)
        if len(acked) >= KILL_AFTER:
            os.kill(pid, signal.SIGKILL)
            killed = True

    headers = {"authorization": f"Bearer {secret}"}
    async with httpx.AsyncClient(base_url=url, headers=headers, timeout=10.0) as client:
        async with asyncio.timeout(BOUND_S):
            await asyncio.gather(*(worker(client, i) for i in range(SENT)))
    return acked


def _stored_decision_ids(topo: LocalTopology) -> set[str]:
    """The decision ids in the gateway's file (none if it never created its table)."""
    with contextlib.closing(sqlite3.connect(topo.decisions_db)) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master")}
        if "routing_decisions" not in tables:
            return set()
        return {row[0] for row in db.execute("SELECT decision_id FROM routing_decisions")}


def test_every_acknowledged_decision_survives_a_sigkill_under_load() -> None:
    topo = LocalTopology(load_config(), time_scale=TIME_SCALE, gateway_args=())
    with KeyStore(topo.keys_db) as keys:
        secret, _ = keys.create("durability")
    with topo:
        assert topo.gateway is not None and topo.gateway.popen is not None
        popen = topo.gateway.popen
        acked = asyncio.run(_load_then_kill(topo.gateway_url, secret, popen.pid))
        assert popen.wait(10) == -signal.SIGKILL  # killed, not shut down
    assert len(acked) >= KILL_AFTER
    stored = _stored_decision_ids(topo)
    lost = sorted(set(acked) - stored)
    assert not lost, f"{len(lost)} of {len(acked)} acknowledged decisions lost: {lost[:5]}"
