"""The Bedrock backend: real boto3 calls over HTTP to Bedrock-on-the-wire (the emulator process),
and the Converse <-> OpenAI mapping it does at its boundary."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from test_emulator_bedrock import NOVA_MICRO, emulator  # noqa: F401 (a fixture)

from mecrouter.backends import create_backend
from mecrouter.backends.base import GenerationOptions, GenerationRequest
from mecrouter.config import EndpointConfig, load_config
from mecrouter.errors import BackendStatusError, BackendUnavailable
from mecrouter.types import Message, StreamDelta

pytest.importorskip("boto3")
from mecrouter.backends.bedrock import (
    BedrockBackend,
    _chunk_of,
    converse_arguments,
    generation_of,
)


@pytest.fixture
def endpoint(emulator: str, monkeypatch: pytest.MonkeyPatch) -> EndpointConfig:  # noqa: F811
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-a-secret")
    nova = next(e for e in load_config().endpoints if e.model == NOVA_MICRO)
    return nova.model_copy(update={"backend": "bedrock", "base_url": emulator})


def _request(max_tokens: int = 16, **kwargs: Any) -> GenerationRequest:
    return GenerationRequest(
        request_id="r1", prompt="Summarise the readings.", model="", max_tokens=max_tokens, **kwargs
    )


async def test_generate_over_the_wire(endpoint: EndpointConfig) -> None:
    backend = create_backend(endpoint)
    assert isinstance(backend, BedrockBackend)
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0)
            ticks += 1

    task = asyncio.create_task(ticker())
    try:
        generation = await backend.generate(_request())
    finally:
        task.cancel()
        await backend.aclose()
    assert len(generation.text.split()) == 16 and generation.output_tokens == 16
    assert generation.model == NOVA_MICRO and generation.finish_reason in ("stop", "length")
    assert ticks > 0  # the event loop ran while boto3 waited in its thread


async def test_stream_over_the_wire(endpoint: EndpointConfig) -> None:
    backend = create_backend(endpoint)
    try:
        parts = [p async for p in backend.stream(_request(max_tokens=12))]
    finally:
        await backend.aclose()
    text = "".join(p if isinstance(p, str) else p.content for p in parts)
    assert len(text.split()) == 12


async def test_errors_become_backend_errors(endpoint: EndpointConfig, emulator: str) -> None:  # noqa: F811
    backend = create_backend(endpoint)
    try:
        with pytest.raises(BackendStatusError) as invalid:  # Converse allows four stop sequences
            await backend.generate(_request(options=GenerationOptions(stop=tuple("abcde"))))
        assert invalid.value.status == 400 and "stopSequences" in str(invalid.value)
        httpx.post(f"{emulator}/admin/fault", json={"down": True}, timeout=5).raise_for_status()
        try:
            with pytest.raises(BackendUnavailable, match="ServiceUnavailableException"):
                await backend.generate(_request())
        finally:
            httpx.delete(f"{emulator}/admin/fault", timeout=5).raise_for_status()
    finally:
        await backend.aclose()
    unknown = create_backend(endpoint.model_copy(update={"model": "anthropic.claude-v9"}))
    try:
        with pytest.raises(BackendStatusError, match="IAM policy") as caught:
            await unknown.generate(_request())
        assert caught.value.status == 502
    finally:
        await unknown.aclose()


def test_system_turns_and_tools_map_to_converse() -> None:
    messages = (
        Message(role="system", content="Be terse."),
        Message(role="user", content="Weather in Oslo?"),
        Message(
            role="assistant",
            content="",
            tool_calls=(
                {
                    "id": "call_1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city": "Oslo"}'},
                },
            ),
        ),
        Message(role="tool", content="-3 C", tool_call_id="call_1"),
        Message(role="user", content="And tomorrow?"),
    )
    tool = {
        "type": "function",
        "function": {"name": "get_weather", "parameters": {"type": "object"}},
    }
    options = GenerationOptions(tools=(tool,), tool_choice="required", stop=("END",))
    arguments = converse_arguments(
        _request(messages=messages, temperature=0.3, top_p=0.9, options=options), NOVA_MICRO
    )
    assert arguments["modelId"] == NOVA_MICRO
    assert arguments["system"] == [{"text": "Be terse."}]
    assert [t["role"] for t in arguments["messages"]] == ["user", "assistant", "user"]
    use = arguments["messages"][1]["content"][0]["toolUse"]
    assert use == {"toolUseId": "call_1", "name": "get_weather", "input": {"city": "Oslo"}}
    # the tool result and the next question merge into one user turn (turns must alternate)
    assert arguments["messages"][2]["content"] == [
        {"toolResult": {"toolUseId": "call_1", "content": [{"text": "-3 C"}]}},
        {"text": "And tomorrow?"},
    ]
    assert arguments["inferenceConfig"] == {
        "maxTokens": 16,
        "temperature": 0.3,
        "topP": 0.9,
        "stopSequences": ["END"],
    }
    assert arguments["toolConfig"] == {
        "tools": [
            {"toolSpec": {"name": "get_weather", "inputSchema": {"json": {"type": "object"}}}}
        ],
        "toolChoice": {"any": {}},
    }


def test_answers_with_tool_use_map_back_to_openai_tool_calls() -> None:
    response = {
        "output": {
            "message": {
                "role": "assistant",
                "content": [
                    {"text": "Checking."},
                    {
                        "toolUse": {
                            "toolUseId": "t1",
                            "name": "get_weather",
                            "input": {"city": "Oslo"},
                        }
                    },
                ],
            }
        },
        "stopReason": "tool_use",
        "usage": {"inputTokens": 20, "outputTokens": 7, "totalTokens": 27},
    }
    generation = generation_of(response, NOVA_MICRO, 12.0)
    assert generation.text == "Checking." and generation.finish_reason == "tool_calls"
    assert (generation.input_tokens, generation.output_tokens) == (20, 7)
    call = generation.tool_calls[0]
    assert call["id"] == "t1" and json.loads(call["function"]["arguments"]) == {"city": "Oslo"}


def test_stream_events_map_to_openai_tool_call_fragments() -> None:
    start = {"contentBlockStart": {"start": {"toolUse": {"toolUseId": "t1", "name": "f"}}}}
    chunk, index = _chunk_of(start, -1)
    assert index == 0 and isinstance(chunk, StreamDelta)
    assert chunk.tool_calls[0]["function"] == {"name": "f", "arguments": ""}
    piece = {"contentBlockDelta": {"delta": {"toolUse": {"input": '{"a":'}}}}
    chunk, index = _chunk_of(piece, index)
    assert (
        isinstance(chunk, StreamDelta) and chunk.tool_calls[0]["function"]["arguments"] == '{"a":'
    )
    stop, _ = _chunk_of({"messageStop": {"stopReason": "tool_use"}}, index)
    assert isinstance(stop, StreamDelta) and stop.finish_reason == "tool_calls"
    assert _chunk_of({"contentBlockDelta": {"delta": {"text": "hi"}}}, -1) == ("hi", -1)
    assert _chunk_of({"messageStop": {"stopReason": "end_turn"}}, -1) == ("", -1)


@pytest.mark.parametrize(
    "response_format",
    [
        {"type": "json_object"},
        {
            "type": "json_schema",
            "json_schema": {
                "name": "reading",
                "schema": {
                    "type": "object",
                    "properties": {"celsius": {"type": "number"}},
                    "required": ["celsius"],
                },
            },
        },
    ],
)
async def test_json_answers_go_through_a_forced_tool(
    endpoint: EndpointConfig, response_format: dict[str, Any]
) -> None:
    backend = create_backend(endpoint)
    request = _request(max_tokens=64, options=GenerationOptions(response_format=response_format))
    arguments = converse_arguments(request, NOVA_MICRO)
    name = arguments["toolConfig"]["toolChoice"]["tool"]["name"]
    assert name == ("reading" if response_format["type"] == "json_schema" else "json_answer")
    try:
        plain = await backend.generate(request)
        streamed = [p async for p in backend.stream(request)]
    finally:
        await backend.aclose()
    answers = [json.loads(plain.text), json.loads("".join(map(str, streamed)))]
    assert plain.finish_reason == "stop" and plain.tool_calls == ()
    for answer in answers:
        assert isinstance(answer, dict)
        if response_format["type"] == "json_schema":
            assert isinstance(answer["celsius"], int | float)
