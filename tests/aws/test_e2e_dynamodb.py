"""The whole AWS path as a user deploys it: `mecrouter serve --store dynamodb://…` with the cloud
tier on Bedrock-on-the-wire, the official `openai` SDK streaming through the gateway, and the
decision read back from DynamoDB (moto's server) with boto3 — after the outbox has shipped it."""

from __future__ import annotations

import contextlib
import sqlite3
import time
import urllib.parse
from decimal import Decimal
from pathlib import Path
from typing import Any

import httpx
import openai

from mecrouter.aws.clients import aws_client
from mecrouter.config import load_config
from mecrouter.gateway.topology import LocalTopology
from mecrouter.types import ComputeTier
from moto_fixtures import REGION, Moto

NOVA_MICRO = "amazon.nova-micro-v1:0"
PREFIX = "e2e-"


def _decision_items(moto: Moto, request_id: str, timeout_s: float) -> list[dict[str, Any]]:
    table = aws_client("dynamodb", region=REGION, endpoint_url=moto.url)
    deadline = time.monotonic() + timeout_s
    items: list[dict[str, Any]] = []
    while not items and time.monotonic() < deadline:
        # the gateway creates the tables as it starts
        with contextlib.suppress(table.exceptions.ResourceNotFoundException):
            items = table.query(
                TableName=f"{PREFIX}RoutingDecisions",
                KeyConditionExpression="request_id = :r",
                ExpressionAttributeValues={":r": {"S": request_id}},
            )["Items"]
        time.sleep(0.1)
    return items


def test_a_streamed_bedrock_answer_is_recorded_in_dynamodb(moto: Moto, tmp_path: Path) -> None:
    outbox = tmp_path / "outbox.sqlite3"
    query = urllib.parse.urlencode(
        {"region": REGION, "endpoint_url": moto.url, "create_tables": "true", "outbox": outbox}
    )
    topo = LocalTopology(
        load_config(),
        tiers=(ComputeTier.CLOUD,),
        time_scale=0.01,
        cloud_api="bedrock",
        store_url=f"dynamodb://{PREFIX}?{query}",
        workdir=tmp_path,
    )
    with topo:
        client = openai.OpenAI(base_url=f"{topo.gateway_url}/v1", api_key="x", max_retries=0)
        raw = client.chat.completions.with_raw_response.create(
            model=NOVA_MICRO,
            messages=[{"role": "user", "content": "Describe the storm over the harbour."}],
            max_tokens=12,
            stream=True,
            extra_headers={"x-request-id": "dynamodb-e2e"},
        )
        chunks = list(raw.parse())
        text = "".join(c.choices[0].delta.content or "" for c in chunks if c.choices)
        assert raw.headers["x-mecrouter-tier"] == "cloud" and len(text.split()) == 12
        items = _decision_items(moto, "dynamodb-e2e", timeout_s=15)
        # the gateway answers /v1/decisions/{id} with the same record
        decision_id = items[0]["decision_id"]["S"] if items else ""
        served = client.get(f"/decisions/{decision_id}", cast_to=dict[str, Any])
        ready = httpx.get(f"{topo.gateway_url}/readyz").json()
        scraped = httpx.get(f"{topo.gateway_url}/metrics").text
    # an operator sees the outbox: nothing waits once the record has shipped
    assert ready["store"]["waiting"] == 0 and ready["store"]["shipped"] >= 1
    assert "mecrouter_outbox_waiting 0.0" in scraped
    assert len(items) == 1, "the record was not shipped to DynamoDB"
    item = items[0]
    assert item["success"] == {"BOOL": True}
    assert item["actual_tier"] == {"S": "cloud"} and item["actual_model"] == {"S": NOVA_MICRO}
    assert Decimal(item["output_tokens"]["N"]) > 0 and Decimal(item["expires_at"]["N"]) > 0
    assert served["request_id"] == "dynamodb-e2e"
    assert served["outcome"]["actual_model"] == NOVA_MICRO
    # the record went through the outbox, which is empty once it has shipped
    with sqlite3.connect(outbox) as db:
        assert db.execute("SELECT count(*) FROM outbox").fetchone() == (0,)
