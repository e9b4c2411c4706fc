"""Two gateway replicas sharing state through a real Redis: one rate limit, one budget, one view
of a dead tier and of a revoked key; and what happens when Redis is slow, away, or restarted."""

from __future__ import annotations

import asyncio
import shutil
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml
from typer.testing import CliRunner

from mecrouter.cli import app as cli
from mecrouter.config import Config, SharedStateConfig, load_config
from mecrouter.gateway.app import GatewaySettings, create_app
from mecrouter.gateway.auth import KeyStore
from mecrouter.gateway.shared import SharedState
from mecrouter.pipeline import Router
from mecrouter.stores.memory import MemoryStore
from mecrouter.types import CircuitState
from redis_server import RedisServer, free_port, local_redis, spawn_redis

TIME_SCALE = 0.01


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


@pytest.fixture
def server(tmp_path: Path) -> Iterator[RedisServer]:
    with local_redis(tmp_path) as found:
        yield found


def _state(server: RedisServer, **overrides: Any) -> SharedStateConfig:
    return SharedStateConfig(url=server.url, prefix=server.prefix, **overrides)


class Replica:
    def __init__(self, client: httpx.AsyncClient, router: Router, keys: KeyStore) -> None:
        self.client, self.router, self.keys = client, router, keys

    async def post(self, path: str, body: dict[str, Any], secret: str) -> httpx.Response:
        auth = {"authorization": f"Bearer {secret}"}
        return await self.client.post(path, json=body, headers=auth)


@asynccontextmanager
async def _replica(
    config: Config, keys_db: Path, state: SharedStateConfig
) -> AsyncIterator[Replica]:
    shared = config.model_copy(update={"state": state})
    router = Router.from_config(shared, store=MemoryStore(), time_scale=TIME_SCALE)
    keys = KeyStore(keys_db)
    app = create_app(GatewaySettings(keys_db=keys_db), router=router, keys=keys)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            yield Replica(client, router, keys)


@asynccontextmanager
async def _two(
    config: Config, tmp_path: Path, state: SharedStateConfig, make_keys: Callable[[KeyStore], Any]
) -> AsyncIterator[tuple[Replica, Replica, Any]]:
    """Two replicas as on two hosts: each its own key file (a copy) and its own memory."""
    with KeyStore(tmp_path / "a.sqlite3") as store:
        made = make_keys(store)
    shutil.copy(tmp_path / "a.sqlite3", tmp_path / "b.sqlite3")
    async with AsyncExitStack() as stack:
        a = await stack.enter_async_context(_replica(config, tmp_path / "a.sqlite3", state))
        b = await stack.enter_async_context(_replica(config, tmp_path / "b.sqlite3", state))
        yield a, b, made


def chat(**kw: Any) -> dict[str, Any]:
    return {"model": "auto", "messages": [{"role": "user", "content": "Hello there"}], **kw}


async def _within(seconds: float, check: Callable[[], Awaitable[bool]]) -> float:
    """How long `check` took to come true (fails after `seconds`)."""
    start = time.monotonic()
    while not await check():
        assert time.monotonic() - start < seconds, f"not within {seconds} s"
        await asyncio.sleep(0.02)
    return time.monotonic() - start


async def test_two_replicas_share_one_rate_limit(
    config: Config, tmp_path: Path, server: RedisServer
) -> None:
    async with _two(config, tmp_path, _state(server), lambda s: s.create("k", rpm_limit=4)) as (
        a, b, (secret, _)
    ):  # fmt: skip
        codes = [(await (a, b)[i % 2].post("/v1/route", chat(), secret)).status_code
                 for i in range(6)]  # fmt: skip
    # Alone, each replica would allow 4 (8 in all).
    assert codes == [200, 200, 200, 200, 429, 429]


async def test_two_replicas_share_one_budget(
    config: Config, tmp_path: Path, server: RedisServer
) -> None:
    pinned = {**chat(), "model": "amazon.nova-pro-v1:0"}
    make = lambda s: s.create("k", budget_usd=0.00001)  # noqa: E731
    reader = SharedState.from_config(_state(server))
    assert reader is not None
    async with _two(config, tmp_path, _state(server), make) as (a, b, (secret, key)):
        assert (await a.post("/v1/chat/completions", pinned, secret)).status_code == 200

        async def shared_spend_arrived() -> bool:
            seen = await reader.admit(key.key_id, None)
            return seen is not None and (seen.spent_usd or 0.0) >= 0.00001

        await _within(1.0, shared_spend_arrived)
        # b has spent nothing itself: only the shared counter can refuse its first request.
        r = await b.post("/v1/chat/completions", pinned, secret)
        assert r.status_code == 402 and r.json()["error"]["code"] == "budget_exceeded"
        assert b.keys.spent_usd(key.key_id) == 0.0
    await reader.aclose()


async def test_a_circuit_one_replica_opens_opens_on_the_other_within_a_second(
    config: Config, tmp_path: Path, server: RedisServer
) -> None:
    async with _two(config, tmp_path, _state(server), lambda s: s.create("k")) as (a, b, _):
        breaker = a.router.breakers["cloud-nova-pro"]
        now = a.router.clock.monotonic()
        for _ in range(breaker.failure_threshold):
            breaker.record_failure(now)
        assert breaker.state(now) is CircuitState.OPEN

        async def b_open() -> bool:
            other = b.router.breakers["cloud-nova-pro"]
            return other.state(b.router.clock.monotonic()) is CircuitState.OPEN

        took = await _within(1.0, b_open)
        assert took < 1.0
        ready = (await b.client.get("/readyz")).json()
        assert "cloud-nova-pro" in ready["open_circuits"]
        assert ready["state"]["connected"] is True
        other = b.router.breakers["cloud-nova-pro"]
        # Open for what remains of a's window, not a fresh one.
        assert other.retry_after_s(b.router.clock.monotonic()) <= breaker.open_seconds


async def test_a_key_revoked_anywhere_is_refused_everywhere_within_a_second(
    config: Config, tmp_path: Path, server: RedisServer
) -> None:
    make = lambda s: (s.create("one"), s.create("two"))  # noqa: E731
    async with _two(config, tmp_path, _state(server), make) as (a, b, made):
        (one, one_key), (two, two_key) = made
        for secret in (one, two):
            assert (await b.post("/v1/route", chat(), secret)).status_code == 200
        # In a's key file only: a's replica shares it, b refuses it.
        a.keys.revoke(one_key.key_id)

        async def b_refuses(secret: str) -> Callable[[], Awaitable[bool]]:
            async def check() -> bool:
                return (await b.post("/v1/route", chat(), secret)).status_code == 401

            return check

        assert await _within(1.5, await b_refuses(one)) < 1.5
        # By the command line, on a third key file, with --state.
        shutil.copy(tmp_path / "a.sqlite3", tmp_path / "c.sqlite3")
        args = ["keys", "revoke", two_key.key_id, "--keys-db", str(tmp_path / "c.sqlite3"),
                "--state", server.url]  # fmt: skip
        raw = config.model_dump(mode="json") | {"state": {"prefix": server.prefix}}
        cfg = tmp_path / "prefix.yaml"
        cfg.write_text(yaml.safe_dump(raw), encoding="utf-8")
        result = await asyncio.to_thread(CliRunner().invoke, cli, [*args, "--config", str(cfg)])
        assert result.exit_code == 0, result.output
        assert await _within(1.0, await b_refuses(two)) < 1.0


async def test_redis_away_the_gateway_serves_on_local_state_and_says_so(
    config: Config, tmp_path: Path
) -> None:
    nowhere = SharedStateConfig(url=f"redis://127.0.0.1:{free_port()}/0", timeout_ms=200)
    with KeyStore(tmp_path / "a.sqlite3") as store:
        secret, _ = store.create("k", rpm_limit=3)
    async with _replica(config, tmp_path / "a.sqlite3", nowhere) as a:
        start = time.monotonic()
        codes = [(await a.post("/v1/route", chat(), secret)).status_code for _ in range(4)]
        assert codes == [200, 200, 200, 429]  # this process's own bucket
        assert time.monotonic() - start < 2.0  # not one timeout per request
        ready = await a.client.get("/readyz")
        assert ready.status_code == 200
        state = ready.json()["state"]
        assert state["connected"] is False and state["mode"] == "degraded: local state"
        assert state["errors"] >= 1 and state["last_error"]
        metrics = (await a.client.get("/metrics")).text
        assert "mecrouter_shared_state_up 0.0" in metrics


async def test_spend_counted_while_redis_was_away_is_sent_when_it_returns(
    tmp_path: Path,
) -> None:
    port = free_port()
    cfg = SharedStateConfig(url=f"redis://127.0.0.1:{port}/0", timeout_ms=200, retry_after_s=0.1)
    shared = SharedState.from_config(cfg)
    assert shared is not None
    try:
        with spawn_redis(tmp_path, port):
            await shared.start()
            assert shared.health.connected
            shared.add_spend("mk_1", 0.25, seed_usd=1.0)
            await asyncio.sleep(0.1)
        # Redis is down: the spend waits in memory.
        shared.add_spend("mk_1", 0.5, seed_usd=1.25)
        await asyncio.sleep(0.3)
        assert not shared.health.connected and shared.status()["unsent_spend_keys"] == 1
        with spawn_redis(tmp_path, port):  # back, empty (no persistence)
            await asyncio.sleep(0.15)
            admitted = await shared.admit("mk_1", None)
            assert admitted is not None  # the first answer resends what waited
            await asyncio.sleep(0.2)
            admitted = await shared.admit("mk_1", None)
            assert admitted is not None and admitted.spent_usd == pytest.approx(0.5)
            assert shared.health.connected and "unsent_spend_keys" not in shared.status()
    finally:
        await shared.aclose()


async def test_the_shared_bucket_refills_at_its_rate(server: RedisServer) -> None:
    shared = SharedState.from_config(_state(server))
    assert shared is not None
    try:
        taken = [await shared.admit("mk_rate", 120) for _ in range(121)]
        assert all(t is not None and t.retry_after_s is None for t in taken[:120])
        last = taken[120]
        assert last is not None and last.retry_after_s is not None
        assert 0.0 < last.retry_after_s <= 0.5  # 2 tokens a second
        await asyncio.sleep(last.retry_after_s + 0.05)
        again = await shared.admit("mk_rate", 120)
        assert again is not None and again.retry_after_s is None
    finally:
        await shared.aclose()


def test_a_bad_state_url_is_a_usage_error() -> None:
    result = CliRunner().invoke(cli, ["serve", "--state", "http://cache:6379"])
    assert result.exit_code == 2
    assert "not a Redis URL" in result.output


async def test_a_public_answer_one_replica_gave_is_served_from_the_shared_cache_by_the_other(
    config: Config, tmp_path: Path, server: RedisServer
) -> None:
    public = {**chat(temperature=0), "messages": [{"role": "user", "content": "Name a colour."}]}
    private = {
        **chat(temperature=0),
        "messages": [{"role": "user", "content": "My sister has epilepsy; what should I say?"}],
    }
    async with _two(config, tmp_path, _state(server), lambda s: s.create("k")) as (a, b, made):
        secret, _ = made
        for body in (public, private):
            assert (await a.post("/v1/chat/completions", body, secret)).status_code == 200
        await asyncio.sleep(0.2)  # the answers are shared in the background

        async def served_from_cache(body: dict[str, Any]) -> bool:
            r = await b.post("/v1/chat/completions", body, secret)
            assert r.status_code == 200
            decision = r.headers["x-mecrouter-decision-id"]
            await b.router.monitor.flush()
            record = await b.router.store.get_decision(decision)
            assert record is not None
            return record.cache_hit

        assert await served_from_cache(public)
        assert not await served_from_cache(private)  # a private answer never leaves a replica


async def test_what_one_replica_observes_the_other_learns(
    config: Config, tmp_path: Path, server: RedisServer
) -> None:
    """Latency and errors of an endpoint and users' judgements, seen by a, move b's estimates."""
    async with _two(config, tmp_path, _state(server), lambda s: s.create("k")) as (a, b, _):
        ep = "cloud-nova-pro"
        before = b.router.resource_agent.estimate(ep)
        assert b.router.beliefs is not None and a.router.beliefs is not None
        for _ in range(20):
            a.router.resource_agent.observe_success(ep, 3_000.0, 1_000.0)  # 3x slower
            a.router.beliefs.observe("chat", "amazon.nova-pro-v1:0", 0.0, 0.9)  # judged bad

        async def b_learnt() -> bool:
            now = b.router.resource_agent.estimate(ep)
            assert b.router.beliefs is not None
            slower = now.ttft_ms > 1.5 * before.ttft_ms
            return slower and b.router.beliefs.factor("chat", "amazon.nova-pro-v1:0") < 1.0

        assert not await b_learnt()
        await _within(1.5, b_learnt)
