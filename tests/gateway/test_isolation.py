"""Tenant isolation through the HTTP gateway: a decision, its record and its feedback belong to the
key that made the request; ids cannot be guessed; the response cache is per key and serves only
deterministic requests; /metrics and /openapi.json can require a key."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest
from test_gateway import _client, chat, error_of

from mecrouter.config import Config, load_config
from mecrouter.gateway.auth import KeyStore
from mecrouter.pipeline import Router


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


def bearer(keys: KeyStore, name: str, *, admin: bool = False) -> tuple[dict[str, str], str]:
    secret, key = keys.create(name, admin=admin)
    return {"authorization": f"Bearer {secret}"}, key.key_id


async def ask(client: httpx.AsyncClient, headers: dict[str, str], **kw: Any) -> str:
    r = await client.post("/v1/chat/completions", json=chat(**kw), headers=headers)
    assert r.status_code == 200, r.text
    return r.headers["x-mecrouter-decision-id"]


async def cache_hit(router: Router, decision_id: str) -> bool:
    await router.monitor.flush()
    record = await router.store.get_decision(decision_id)
    assert record is not None
    return record.cache_hit


async def test_another_keys_decision_is_404_with_the_unknown_id_body(
    config: Config, tmp_path: Path
) -> None:
    async with _client(config, tmp_path, auth=True) as (client, _, keys):
        assert keys is not None
        alice, _ = bearer(keys, "alice")
        bob, _ = bearer(keys, "bob")
        decision_id = await ask(client, alice, content="privacy regulated patient notes")
        own = await client.get(f"/v1/decisions/{decision_id}", headers=alice)
        assert own.status_code == 200 and own.json()["reasoning"]
        foreign = await client.get(f"/v1/decisions/{decision_id}", headers=bob)
        unknown = await client.get(f"/v1/decisions/{'0' * len(decision_id)}", headers=bob)
        assert foreign.status_code == unknown.status_code == 404
        assert error_of(foreign)["code"] == error_of(unknown)["code"] == "decision_not_found"
        assert foreign.json()["error"]["message"].replace(decision_id, "?") == (
            unknown.json()["error"]["message"].replace("0" * len(decision_id), "?")
        )


async def test_a_route_only_decision_is_its_keys_alone(config: Config, tmp_path: Path) -> None:
    async with _client(config, tmp_path, auth=True) as (client, _, keys):
        assert keys is not None
        alice, _ = bearer(keys, "alice")
        bob, _ = bearer(keys, "bob")
        r = await client.post("/v1/route", json=chat(), headers=alice)
        decision_id = r.json()["decision_id"]
        assert (await client.get(f"/v1/decisions/{decision_id}", headers=alice)).status_code == 200
        assert (await client.get(f"/v1/decisions/{decision_id}", headers=bob)).status_code == 404


async def test_decision_ids_carry_at_least_96_random_bits(config: Config, tmp_path: Path) -> None:
    async with _client(config, tmp_path, auth=False) as (client, _, _):
        ids = [await ask(client, {}, content=f"Question number {i}?") for i in range(40)]
    assert len(set(ids)) == len(ids)
    assert all(len(i) >= 24 and int(i, 16) >= 0 for i in ids)
    # A counter (or a fixed prefix) leaves most positions constant across consecutive ids; 96
    # random bits make a position constant across 40 ids with probability 16**-39.
    constant = [p for p in range(24) if len({i[p] for i in ids}) == 1]
    assert constant == []


async def test_the_user_field_names_the_end_user_never_the_owner(
    config: Config, tmp_path: Path
) -> None:
    async with _client(config, tmp_path, auth=True) as (client, router, keys):
        assert keys is not None
        alice, alice_id = bearer(keys, "alice")
        bob, bob_id = bearer(keys, "bob")
        decision_id = await ask(client, alice, user=bob_id)
        await router.monitor.flush()
        record = await router.store.get_decision(decision_id)
        assert record is not None and (record.owner_id, record.user_id) == (alice_id, bob_id)
        payload = {"decision_id": decision_id, "score": 1}
        assert (await client.get(f"/v1/decisions/{decision_id}", headers=bob)).status_code == 404
        assert (await client.post("/v1/feedback", json=payload, headers=bob)).status_code == 404
        assert (await client.get(f"/v1/decisions/{decision_id}", headers=alice)).status_code == 200
        sent = await client.post("/v1/feedback", json=payload, headers=alice)
        assert sent.status_code == 200, sent.text


async def test_an_admin_key_reads_every_decision_but_judges_none(
    config: Config, tmp_path: Path
) -> None:
    async with _client(config, tmp_path, auth=True) as (client, _, keys):
        assert keys is not None
        alice, _ = bearer(keys, "alice")
        admin, _ = bearer(keys, "ops", admin=True)
        decision_id = await ask(client, alice)
        read = await client.get(f"/v1/decisions/{decision_id}", headers=admin)
        assert read.status_code == 200 and read.json()["decision_id"] == decision_id
        payload = {"decision_id": decision_id, "score": 1}
        assert (await client.post("/v1/feedback", json=payload, headers=admin)).status_code == 404


async def test_the_response_cache_is_not_shared_across_keys(config: Config, tmp_path: Path) -> None:
    async with _client(config, tmp_path, auth=True) as (client, router, keys):
        assert keys is not None
        alice, _ = bearer(keys, "alice")
        bob, _ = bearer(keys, "bob")
        await ask(client, alice, temperature=0)
        assert not await cache_hit(router, await ask(client, bob, temperature=0))
        assert await cache_hit(router, await ask(client, alice, temperature=0))


async def test_a_shared_partition_serves_every_key(config: Config, tmp_path: Path) -> None:
    shared = config.model_copy(update={"cache_partition": "shared"})
    async with _client(shared, tmp_path, auth=True) as (client, router, keys):
        assert keys is not None
        alice, _ = bearer(keys, "alice")
        bob, _ = bearer(keys, "bob")
        await ask(client, alice, temperature=0)
        assert await cache_hit(router, await ask(client, bob, temperature=0))


async def test_a_tenant_partition_serves_the_keys_of_one_tenant(
    config: Config, tmp_path: Path
) -> None:
    by_tenant = config.model_copy(update={"cache_partition": "tenant"})
    async with _client(by_tenant, tmp_path, auth=True) as (client, router, keys):
        assert keys is not None
        ann = {"authorization": f"Bearer {keys.create('ann', tenant='acme')[0]}"}
        al = {"authorization": f"Bearer {keys.create('al', tenant='acme')[0]}"}
        eve = {"authorization": f"Bearer {keys.create('eve', tenant='evil')[0]}"}
        await ask(client, ann, temperature=0)
        assert await cache_hit(router, await ask(client, al, temperature=0))
        assert not await cache_hit(router, await ask(client, eve, temperature=0))


@pytest.mark.parametrize("sampling", [{"temperature": 0.7}, {}])
async def test_sampled_answers_are_never_served_from_the_cache(
    config: Config, tmp_path: Path, sampling: dict[str, float]
) -> None:
    async with _client(config, tmp_path, auth=True) as (client, router, keys):
        assert keys is not None
        alice, _ = bearer(keys, "alice")
        await ask(client, alice, **sampling)
        assert not await cache_hit(router, await ask(client, alice, **sampling))


async def test_metrics_and_openapi_are_open_by_default(config: Config, tmp_path: Path) -> None:
    async with _client(config, tmp_path, auth=True) as (client, _, _):
        assert (await client.get("/metrics")).status_code == 200
        assert (await client.get("/openapi.json")).status_code == 200


async def test_metrics_and_openapi_can_require_a_key(config: Config, tmp_path: Path) -> None:
    async with _client(config, tmp_path, auth=True, metrics_auth=True) as (client, _, keys):
        assert keys is not None
        alice, _ = bearer(keys, "alice")
        for path in ("/metrics", "/openapi.json"):
            anonymous = await client.get(path)
            assert anonymous.status_code == 401 and error_of(anonymous)["code"] == "missing_api_key"
            assert (await client.get(path, headers=alice)).status_code == 200
        spec = (await client.get("/openapi.json", headers=alice)).json()
        assert "/v1/chat/completions" in spec["paths"]
