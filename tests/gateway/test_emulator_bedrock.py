"""Bedrock's Converse API on the wire, offline: an unmodified boto3 client (SigV4-signed, dummy
credentials, `endpoint_url`) against `mecrouter emulate --api bedrock` over real HTTP."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from test_emulator import free_port, wait_for_health

from mecrouter.gateway.emulator_bedrock import event_message

boto3 = pytest.importorskip("boto3")
from botocore.config import Config as BotoConfig  # noqa: E402
from botocore.eventstream import EventStreamBuffer  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402

NOVA_MICRO = "amazon.nova-micro-v1:0"
QUESTION = [{"role": "user", "content": [{"text": "Summarise the sensor readings."}]}]


@pytest.fixture(scope="module")
def emulator() -> Iterator[str]:
    port = free_port()
    script = Path(sys.executable).parent / "mecrouter"
    command = [str(script), "emulate", "--tier", "cloud", "--api", "bedrock"]
    command += ["--port", str(port), "--time-scale", "0.01"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    url = f"http://127.0.0.1:{port}"
    try:
        wait_for_health(process, f"{url}/healthz")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture
def bedrock(emulator: str) -> Any:
    return boto3.client(
        "bedrock-runtime",
        endpoint_url=emulator,
        region_name="us-east-1",
        aws_access_key_id="AKIDEXAMPLE",
        aws_secret_access_key="not-a-secret",
        config=BotoConfig(retries={"max_attempts": 1, "mode": "standard"}),
    )


def test_converse_answers_with_text_usage_and_a_stop_reason(bedrock: Any) -> None:
    answer = bedrock.converse(
        modelId=NOVA_MICRO,
        messages=QUESTION,
        system=[{"text": "You are terse."}],
        inferenceConfig={"maxTokens": 16, "temperature": 0.2},
    )
    text = answer["output"]["message"]["content"][0]["text"]
    assert answer["output"]["message"]["role"] == "assistant"
    assert len(text.split()) == 16
    assert answer["usage"]["outputTokens"] == 16
    assert answer["usage"]["totalTokens"] == answer["usage"]["inputTokens"] + 16
    assert answer["stopReason"] in ("end_turn", "max_tokens")
    assert answer["metrics"]["latencyMs"] >= 0


def test_converse_stream_is_decoded_by_botocore_in_order(bedrock: Any) -> None:
    response = bedrock.converse_stream(
        modelId=NOVA_MICRO, messages=QUESTION, inferenceConfig={"maxTokens": 12}
    )
    events = list(response["stream"])
    kinds = [next(iter(e)) for e in events]
    assert kinds[0] == "messageStart" and kinds[-3:] == [
        "contentBlockStop",
        "messageStop",
        "metadata",
    ]
    text = "".join(
        e["contentBlockDelta"]["delta"]["text"] for e in events if "contentBlockDelta" in e
    )
    assert len(text.split()) == 12
    assert events[-1]["metadata"]["usage"]["outputTokens"] == 12


def test_a_bad_field_is_a_validation_exception_naming_it(bedrock: Any) -> None:
    bad = [{"role": "system", "content": [{"text": "hi"}]}]  # botocore does not check enums
    with pytest.raises(ClientError) as caught:
        bedrock.converse(modelId=NOVA_MICRO, messages=bad)
    error = caught.value.response["Error"]
    assert error["Code"] == "ValidationException"
    assert "messages.0.role" in error["Message"]
    assert caught.value.response["ResponseMetadata"]["HTTPStatusCode"] == 400


def test_an_unknown_model_is_resource_not_found(bedrock: Any) -> None:
    with pytest.raises(ClientError) as caught:
        bedrock.converse(modelId="anthropic.claude-v9", messages=QUESTION)
    assert caught.value.response["Error"]["Code"] == "ResourceNotFoundException"


def test_a_down_endpoint_is_service_unavailable(bedrock: Any, emulator: str) -> None:
    httpx.post(f"{emulator}/admin/fault", json={"down": True}, timeout=5).raise_for_status()
    try:
        with pytest.raises(ClientError) as caught:
            bedrock.converse(modelId=NOVA_MICRO, messages=QUESTION)
        assert caught.value.response["Error"]["Code"] == "ServiceUnavailableException"
        with pytest.raises(ClientError) as streamed:
            bedrock.converse_stream(modelId=NOVA_MICRO, messages=QUESTION)
        assert streamed.value.response["Error"]["Code"] == "ServiceUnavailableException"
    finally:
        httpx.delete(f"{emulator}/admin/fault", timeout=5).raise_for_status()


def test_an_unsigned_call_is_refused(emulator: str) -> None:
    body = {"messages": QUESTION}
    response = httpx.post(f"{emulator}/model/{NOVA_MICRO}/converse", json=body, timeout=5)
    assert response.status_code == 403
    assert response.headers["x-amzn-ErrorType"].startswith("AccessDeniedException")


def test_event_messages_decode_with_botocore_and_a_flipped_byte_fails_the_crc() -> None:
    raw = event_message({"contentBlockIndex": 0, "delta": {"text": "héllo"}}, event_type="x")
    buffer = EventStreamBuffer()
    buffer.add_data(raw)
    message = next(iter(buffer))
    assert message.headers == {
        ":event-type": "x",
        ":content-type": "application/json",
        ":message-type": "event",
    }
    assert orjson.loads(message.payload)["delta"]["text"] == "héllo"
    broken = bytearray(raw)
    broken[-6] ^= 0xFF  # a payload byte: the message CRC no longer matches
    buffer = EventStreamBuffer()
    buffer.add_data(bytes(broken))
    with pytest.raises(Exception, match=r"(?i)checksum|crc"):
        next(iter(buffer))


def test_an_exception_message_ends_a_stream_as_botocore_reports_it() -> None:
    raw = event_message(
        {"message": "boom"}, event_type="modelStreamErrorException", message_type="exception"
    )
    buffer = EventStreamBuffer()
    buffer.add_data(raw)
    message = next(iter(buffer))
    assert message.headers[":exception-type"] == "modelStreamErrorException"
    assert message.headers[":message-type"] == "exception"


def test_tool_use_other_than_a_forced_tool_is_refused(bedrock: Any) -> None:
    tools = {"tools": [{"toolSpec": {"name": "f", "inputSchema": {"json": {"type": "object"}}}}]}
    with pytest.raises(ClientError) as caught:
        bedrock.converse(modelId=NOVA_MICRO, messages=QUESTION, toolConfig=tools)
    assert caught.value.response["Error"]["Code"] == "ValidationException"
    assert "forced tool" in caught.value.response["Error"]["Message"]
