"""The whole system as processes on 127.0.0.1, driven by the official `openai` SDK: three
emulated tiers behind `mecrouter serve`, with API keys on."""

from __future__ import annotations

import asyncio
import sqlite3
import time
from collections.abc import Iterator

import httpx
import openai
import pytest

from mecrouter.config import load_config
from mecrouter.gateway.auth import KeyStore
from mecrouter.gateway.topology import LocalTopology
from mecrouter.types import ComputeTier

TIME_SCALE = 0.01  # emulated tiers 100x faster than their profiles
PHONE = {"device_id": "phone-e2e", "memory_mb": 8192, "local_models": ["llama-3.2-1b-instruct"]}


def _topology_with_key(name: str) -> tuple[LocalTopology, str]:
    topo = LocalTopology(load_config(), time_scale=TIME_SCALE, gateway_args=())
    with KeyStore(topo.keys_db) as keys:
        secret, _ = keys.create(name)
    return topo, secret


@pytest.fixture(scope="module")
def system() -> Iterator[tuple[LocalTopology, str]]:
    topo, secret = _topology_with_key("e2e")
    with topo:
        yield topo, secret


def test_sync_sdk_gets_an_answer_and_the_routing_headers(
    system: tuple[LocalTopology, str],
) -> None:
    topo, secret = system
    client = openai.OpenAI(base_url=f"{topo.gateway_url}/v1", api_key=secret, max_retries=0)
    raw = client.chat.completions.with_raw_response.create(
        model="auto",
        messages=[{"role": "user", "content": "Greet the player who just arrived."}],
        extra_body={"routing": {"use_case": "gaming", "device": PHONE}},
    )
    completion = raw.parse()
    assert completion.choices[0].message.content
    assert completion.usage is not None and completion.usage.completion_tokens > 0
    assert raw.headers["x-mecrouter-tier"] in {"device", "mec", "cloud"}
    assert raw.headers["x-mecrouter-model"] == completion.model
    models = [m.id for m in client.models.list()]
    assert models[0] == "auto" and "mixtral-8x7b-instruct" in models


def test_async_sdk_and_streaming(system: tuple[LocalTopology, str]) -> None:
    topo, secret = system

    async def run() -> tuple[str, str]:
        client = openai.AsyncOpenAI(
            base_url=f"{topo.gateway_url}/v1", api_key=secret, max_retries=0
        )
        done = await client.chat.completions.create(
            model="auto",
            messages=[{"role": "user", "content": "Pedestrian ahead at 30 m: brake?"}],
            extra_body={"routing": {"use_case": "automotive", "device": PHONE}},
        )
        stream = await client.chat.completions.create(
            model="auto",
            messages=[{"role": "user", "content": "Describe the storm over the harbour."}],
            max_tokens=30,
            stream=True,
            stream_options={"include_usage": True},
        )
        parts = [c.choices[0].delta.content or "" async for c in stream if c.choices]
        await client.close()
        return done.choices[0].message.content or "", "".join(parts)

    text, streamed = asyncio.run(run())
    assert text
    assert len(streamed.split()) == 30


def test_wrong_key_is_refused_like_openai(system: tuple[LocalTopology, str]) -> None:
    topo, _ = system
    client = openai.OpenAI(base_url=f"{topo.gateway_url}/v1", api_key="mk-0-wrong", max_retries=0)
    with pytest.raises(openai.AuthenticationError):
        client.chat.completions.create(model="auto", messages=[{"role": "user", "content": "hi"}])


def test_no_request_is_lost_when_a_tier_goes_down_mid_stream_of_requests() -> None:
    topo, secret = _topology_with_key("fault")
    sent = 40
    with topo:
        mec_admin = f"{topo.emulator_url(ComputeTier.MEC)}/admin/fault"

        async def run() -> list[str]:
            client = openai.AsyncOpenAI(
                base_url=f"{topo.gateway_url}/v1", api_key=secret, max_retries=0
            )
            # Requests flow staggered; the MEC tier goes down once the first half is sent, and
            # the second half is sent only after the fault is in force (no race on the clock).
            first_half_sent, mec_down = asyncio.Event(), asyncio.Event()
            started = 0

            async def fault() -> None:
                await first_half_sent.wait()
                async with httpx.AsyncClient() as admin:
                    (await admin.post(mec_admin, json={"down": True})).raise_for_status()
                mec_down.set()

            async def one(i: int) -> str:
                nonlocal started
                await asyncio.sleep(i * 0.02)
                if i >= sent // 2:
                    await mec_down.wait()
                started += 1
                if started == sent // 2:
                    first_half_sent.set()
                raw = await client.chat.completions.with_raw_response.create(
                    model="auto",
                    messages=[{"role": "user", "content": f"Patient note {i}: summarise vitals."}],
                    extra_body={"routing": {"use_case": "healthcare", "device": PHONE}},
                )
                assert raw.parse().choices[0].message.content
                return raw.headers["x-mecrouter-tier"]

            injector = asyncio.create_task(fault())
            tiers = await asyncio.gather(*(one(i) for i in range(sent)))
            await injector
            await client.close()
            return tiers

        tiers = asyncio.run(run())
        assert len(tiers) == sent  # every request answered (an exception would have failed it)
        assert "mec" in tiers[: sent // 2] and "mec" not in tiers[sent // 2 :]
    deadline = time.monotonic() + 5
    with sqlite3.connect(topo.decisions_db) as db:  # the gateway flushed on shutdown
        while True:
            served = db.execute("SELECT count(*) FROM routing_decisions WHERE success").fetchone()
            if served[0] == sent or time.monotonic() > deadline:
                break
            time.sleep(0.1)
    assert served[0] == sent


def test_a_client_that_disconnects_cancels_the_upstream_call(
    system: tuple[LocalTopology, str],
) -> None:
    topo, secret = system
    admins = [f"{topo.emulator_url(tier)}/admin/fault" for tier in topo.emulators]
    for admin in admins:
        httpx.post(admin, json={"slow_factor": 2000}).raise_for_status()  # seconds per call
    try:
        with pytest.raises(httpx.ReadTimeout):
            httpx.post(
                f"{topo.gateway_url}/v1/chat/completions",
                json={"model": "auto", "messages": [{"role": "user", "content": "Slow one."}]},
                headers={"authorization": f"Bearer {secret}", "x-request-id": "walked-away"},
                timeout=0.5,
            )
        deadline = time.monotonic() + 5
        busy = -1
        while time.monotonic() < deadline:
            busy = sum(
                ep["in_flight"]
                for tier in topo.emulators
                for ep in httpx.get(f"{topo.emulator_url(tier)}/healthz").json()["endpoints"]
            )
            if busy == 0:
                break
            time.sleep(0.05)
        assert busy == 0  # the gateway closed its upstream call when the client left
    finally:
        for admin in admins:
            httpx.delete(admin).raise_for_status()
    auth = {"authorization": f"Bearer {secret}"}
    httpx.get(f"{topo.gateway_url}/v1/decisions/none", headers=auth)  # flushes the log
    with sqlite3.connect(topo.decisions_db) as db:
        row = db.execute(
            "SELECT success, error FROM routing_decisions WHERE request_id = 'walked-away'"
        ).fetchone()
    assert row == (0, "cancelled by the client")
