"""The cloud tier on Bedrock-on-the-wire: `mecrouter serve` calls the emulated Converse API with
the `bedrock` backend (boto3, SigV4) while the official `openai` SDK streams through the gateway,
and the decision is read back from the store."""

from __future__ import annotations

import sqlite3
import time

import httpx
import openai
import pytest

from mecrouter.config import load_config
from mecrouter.gateway.topology import LocalTopology
from mecrouter.types import ComputeTier

pytest.importorskip("boto3")

NOVA_MICRO = "amazon.nova-micro-v1:0"


def test_the_openai_sdk_streams_through_the_gateway_from_bedrock() -> None:
    topo = LocalTopology(
        load_config(), tiers=(ComputeTier.CLOUD,), time_scale=0.01, cloud_api="bedrock"
    )
    with topo:
        client = openai.OpenAI(base_url=f"{topo.gateway_url}/v1", api_key="x", max_retries=0)
        raw = client.chat.completions.with_raw_response.create(
            model=NOVA_MICRO,  # a configured model pins it
            messages=[
                {"role": "system", "content": "Answer briefly."},
                {"role": "user", "content": "Describe the storm over the harbour."},
            ],
            max_tokens=20,
            stream=True,
            stream_options={"include_usage": True},
            extra_headers={"x-request-id": "bedrock-e2e"},
        )
        assert raw.headers["x-mecrouter-tier"] == "cloud"
        assert raw.headers["x-mecrouter-model"] == NOVA_MICRO
        chunks = list(raw.parse())
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        usage = [c.usage for c in chunks if c.usage is not None]
        assert len(text.split()) == 20
        # streamed usage is the gateway's count (a stream chunk carries no usage), as for any tier
        assert usage and usage[-1].completion_tokens > 0
        httpx.get(f"{topo.gateway_url}/v1/decisions/none")  # flushes the log
        deadline = time.monotonic() + 5
        row = None
        while row is None and time.monotonic() < deadline:
            with sqlite3.connect(topo.decisions_db) as db:
                row = db.execute(
                    "SELECT success, actual_tier, actual_model, output_tokens > 0"
                    " FROM routing_decisions WHERE request_id = 'bedrock-e2e'"
                ).fetchone()
            time.sleep(0.05)
        assert row == (1, "cloud", NOVA_MICRO, 1)
        assert "bedrock" in (topo.workdir / "gateway.yaml").read_text()
