"""`GET /v1/insights`: the agents' placement, anomalies, recommendations, learning and circuits."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from mecrouter.config import Config, load_config
from mecrouter.gateway.app import GatewaySettings, create_app
from mecrouter.gateway.auth import KeyStore
from mecrouter.pipeline import Router
from mecrouter.stores.memory import MemoryStore


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


async def _gateway(
    config: Config, tmp_path: Path, *, metrics_auth: bool
) -> AsyncIterator[httpx.AsyncClient]:
    router = Router.from_config(config, store=MemoryStore(), time_scale=0.01)
    keys = KeyStore(tmp_path / "keys.sqlite3") if metrics_auth else None
    settings = GatewaySettings(
        auth=metrics_auth, keys_db=tmp_path / "keys.sqlite3", metrics_auth=metrics_auth
    )
    app = create_app(settings, router=router, keys=keys)
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            yield client


@pytest.fixture
async def gw(config: Config, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for client in _gateway(config, tmp_path, metrics_auth=False):
        yield client


async def test_insights_show_every_mec_nodes_models_and_every_circuit(
    gw: httpx.AsyncClient, config: Config
) -> None:
    r = await gw.get("/v1/insights")
    assert r.status_code == 200
    body = r.json()
    assert set(body) == {
        "generated_at", "placement", "anomalies", "recommendations", "patterns", "learning",
        "circuits",
    }  # fmt: skip
    assert set(body["placement"]) == {node.id for node in config.mec_nodes}
    states = {m["state"] for models in body["placement"].values() for m in models}
    assert states <= {"hot", "warm"} and "hot" in states
    assert set(body["circuits"]) == {ep.id for ep in config.endpoints}
    assert set(body["circuits"].values()) == {"CLOSED"}


async def test_traffic_shows_up_as_patterns_and_use_counts(gw: httpx.AsyncClient) -> None:
    chat = {"model": "auto", "messages": [{"role": "user", "content": "Summarise MEC in a line."}]}
    for _ in range(3):
        assert (await gw.post("/v1/chat/completions", json=chat)).status_code == 200
    body = (await gw.get("/v1/insights")).json()
    shares = [p for p in body["patterns"] if p["kind"] == "tier_share"]
    assert shares and sum(p["count"] for p in shares) == 3


async def test_insights_need_a_key_when_metrics_do(config: Config, tmp_path: Path) -> None:
    async for client in _gateway(config, tmp_path, metrics_auth=True):
        r = await client.get("/v1/insights")
        assert r.status_code == 401
        assert r.json()["error"]["type"]
