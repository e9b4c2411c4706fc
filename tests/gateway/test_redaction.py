"""Redaction for the cloud through the gateway, driven by the `openai` SDK against the real app:
the device and MEC tiers emulated, the cloud an endpoint that echoes what it received, so the
test sees that the cloud got placeholders while the client gets its own values back, whole and
streamed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import openai
import pytest

from echo_backend import Echo
from mecrouter.backends import create_backend
from mecrouter.backends.base import GenerationRequest
from mecrouter.config import load_config
from mecrouter.gateway.app import GatewaySettings, create_app
from mecrouter.pipeline import Router
from mecrouter.stores.memory import MemoryStore
from mecrouter.types import ComputeTier

EMAIL = "jane.doe@example.com"
PHONE = "+44 20 7946 0958"
ASK = f"Repeat exactly: write to {EMAIL} or call {PHONE} before noon."


@pytest.fixture
async def gateway(
    tmp_path: Path,
) -> AsyncIterator[tuple[openai.AsyncOpenAI, list[GenerationRequest], MemoryStore]]:
    config = load_config()
    config = config.model_copy(
        update={"privacy": config.privacy.model_copy(update={"redact_for_cloud": True})}
    )
    seen: list[GenerationRequest] = []
    backends = {
        ep.id: Echo(seen, chunk=4)
        if ep.tier is ComputeTier.CLOUD
        else create_backend(ep, seed=0, time_scale=0.001)
        for ep in config.endpoints
    }
    store = MemoryStore()
    router = Router(config, backends=backends, store=store)
    app = create_app(
        GatewaySettings(auth=False, keys_db=tmp_path / "keys.sqlite3"), router=router, keys=None
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as http:
            client = openai.AsyncOpenAI(
                base_url="http://gw/v1", api_key="unused", http_client=http, max_retries=0
            )
            yield client, seen, store


ROUTING = {"routing": {"allowed_tiers": ["cloud"]}}


async def test_the_cloud_sees_placeholders_and_the_client_its_values(
    gateway: tuple[openai.AsyncOpenAI, list[GenerationRequest], MemoryStore],
) -> None:
    client, seen, store = gateway
    raw = await client.chat.completions.with_raw_response.create(
        model="auto",
        messages=[
            {"role": "system", "content": f"You work for {EMAIL}."},
            {"role": "user", "content": ASK},
        ],
        extra_body=ROUTING,
    )
    answer = raw.parse().choices[0].message.content
    assert raw.headers["x-mecrouter-tier"] == "cloud"
    [sent] = seen
    assert sent.messages[0].content == "You work for [EMAIL_1]."
    assert sent.messages[1].content == (
        "Repeat exactly: write to [EMAIL_1] or call [PHONE_1] before noon."
    )
    assert EMAIL not in sent.prompt and PHONE not in sent.prompt
    assert answer == ASK
    [record] = await store.query_decisions()
    assert record.privacy_level == "sensitive" and record.actual_tier == "cloud"
    assert record.redacted and record.redacted_identifiers == 2
    assert "redacted for cloud" in record.reasoning
    assert EMAIL not in str(record.to_dict())


async def test_a_streamed_answer_is_restored_across_split_placeholders(
    gateway: tuple[openai.AsyncOpenAI, list[GenerationRequest], MemoryStore],
) -> None:
    client, seen, _ = gateway
    stream = await client.chat.completions.create(
        model="auto",
        messages=[{"role": "user", "content": ASK}],
        stream=True,
        extra_body=ROUTING,
    )
    parts = [c.choices[0].delta.content or "" async for c in stream if c.choices]
    assert "[EMAIL_1]" in seen[0].messages[0].content
    assert "".join(parts) == ASK
    assert not any("[" in p for p in parts)  # no placeholder, whole or in part, reached us


async def test_regulated_data_is_refused_the_cloud_even_with_redaction(
    gateway: tuple[openai.AsyncOpenAI, list[GenerationRequest], MemoryStore],
) -> None:
    client, seen, _ = gateway
    with pytest.raises(openai.APIStatusError) as refused:
        await client.chat.completions.create(
            model="auto",
            messages=[{"role": "user", "content": f"Patient MRN 4829103, email {EMAIL}"}],
            extra_body=ROUTING,
        )
    assert refused.value.status_code == 503 and not seen
