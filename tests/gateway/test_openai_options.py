"""OpenAI's generation options (tools, response_format, stop, seed, logprobs, n,
max_completion_tokens) through the gateway, driven by the `openai` SDK: first with the gateway
in-process on emulated endpoints that honour them, routing each request only to endpoints whose
configured capabilities cover what it asks for; then end to end over HTTP (`mecrouter serve`
and the emulated tiers as processes on 127.0.0.1), so the options cross the gateway's upstream
client and the emulator's server both ways, streamed tool calls included."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import openai
import pytest

from mecrouter.config import Config, load_config
from mecrouter.gateway.app import GatewaySettings, create_app
from mecrouter.gateway.topology import LocalTopology
from mecrouter.pipeline import Router
from mecrouter.stores.memory import MemoryStore

TIME_SCALE = 0.001
WEATHER_TOOL: dict[str, Any] = {
    "type": "function",
    "function": {
        "name": "get_weather",
        "description": "The weather at a place",
        "parameters": {
            "type": "object",
            "properties": {
                "city": {"type": "string"},
                "unit": {"type": "string", "enum": ["celsius", "fahrenheit"]},
                "days": {"type": "integer", "minimum": 1},
            },
            "required": ["city", "unit"],
        },
    },
}
CITY_SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "population": {"type": "integer"},
        "coastal": {"type": "boolean"},
        "notes": {"type": "string"},
    },
    "required": ["name", "population", "coastal"],
}

CITY_FORMAT: dict[str, Any] = {"name": "city", "schema": CITY_SCHEMA}


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


@pytest.fixture
async def sdk(config: Config, tmp_path: Path) -> AsyncIterator[openai.AsyncOpenAI]:
    router = Router.from_config(config, store=MemoryStore(), time_scale=TIME_SCALE)
    app = create_app(
        GatewaySettings(auth=False, keys_db=tmp_path / "keys.sqlite3"), router=router, keys=None
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as http:
            yield openai.AsyncOpenAI(
                base_url="http://gw/v1", api_key="unused", http_client=http, max_retries=0
            )


def ask(content: str) -> list[dict[str, Any]]:
    return [{"role": "user", "content": content}]


async def test_tool_call_is_answered_with_its_arguments_and_routed_to_a_tool_model(
    sdk: openai.AsyncOpenAI, config: Config
) -> None:
    raw = await sdk.chat.completions.with_raw_response.create(
        model="auto", messages=ask("What is the weather in Leeds? Use get_weather."),
        tools=[WEATHER_TOOL],  # type: ignore[list-item]
    )  # fmt: skip
    done = raw.parse()
    choice = done.choices[0]
    assert choice.finish_reason == "tool_calls"
    assert choice.message.content is None
    calls = choice.message.tool_calls or []
    assert len(calls) == 1 and calls[0].type == "function"
    assert calls[0].function.name == "get_weather"  # type: ignore[union-attr]
    arguments = json.loads(calls[0].function.arguments)  # type: ignore[union-attr]
    assert set(arguments) == {"city", "unit"} and arguments["unit"] == "celsius"
    tool_models = {ep.id for ep in config.endpoints if "tools" in ep.supports}
    assert raw.headers["x-mecrouter-endpoint"] in tool_models


async def test_answers_shaped_by_options_are_neither_cached_nor_served_from_cache(
    sdk: openai.AsyncOpenAI,
) -> None:
    """The cache keeps text: a repeated tool request still gets its tool call, and the plain
    request with the same messages gets text, not the tool call's empty content."""
    messages = ask("Use get_weather for Selby.")
    tool_rounds = [
        await sdk.chat.completions.create(
            model="auto",
            messages=messages,
            tools=[WEATHER_TOOL],  # type: ignore[list-item]
        )
        for _ in range(2)
    ]
    plain = await sdk.chat.completions.create(model="auto", messages=messages)
    assert [r.choices[0].finish_reason for r in tool_rounds] == ["tool_calls", "tool_calls"]
    assert plain.choices[0].message.content


async def test_tool_result_in_a_follow_up_message_gets_a_text_answer(
    sdk: openai.AsyncOpenAI,
) -> None:
    first = await sdk.chat.completions.create(
        model="auto", messages=ask("Call get_weather for Hull, please."),
        tools=[WEATHER_TOOL],  # type: ignore[list-item]
    )  # fmt: skip
    call = (first.choices[0].message.tool_calls or [])[0]
    follow_up: list[Any] = [
        *ask("Call get_weather for Hull, please."),
        {"role": "assistant", "content": None, "tool_calls": [call.model_dump()]},
        {"role": "tool", "tool_call_id": call.id, "content": "Hull: 14 C, light rain"},
    ]
    done = await sdk.chat.completions.create(
        model="auto",
        messages=follow_up,
        tools=[WEATHER_TOOL],  # type: ignore[list-item]
    )
    assert done.choices[0].finish_reason == "stop"
    assert "14 C, light rain" in (done.choices[0].message.content or "")
    assert not done.choices[0].message.tool_calls


async def test_streamed_tool_call_arrives_as_deltas_that_join_into_the_call(
    sdk: openai.AsyncOpenAI,
) -> None:
    stream = await sdk.chat.completions.create(
        model="auto", messages=ask("Use get_weather for York."), stream=True,
        tools=[WEATHER_TOOL],  # type: ignore[list-item]
        tool_choice={"type": "function", "function": {"name": "get_weather"}},
    )  # fmt: skip
    deltas, finish = [], None
    async for part in stream:
        if part.choices:
            deltas += part.choices[0].delta.tool_calls or []
            finish = part.choices[0].finish_reason or finish
    assert finish == "tool_calls"
    assert len(deltas) > 2  # the head, then the arguments in pieces
    assert deltas[0].id and deltas[0].function and deltas[0].function.name == "get_weather"
    arguments = "".join(d.function.arguments or "" for d in deltas if d.function)
    assert json.loads(arguments) == {"city": "example", "unit": "celsius"}


async def test_json_mode_answers_a_json_object(sdk: openai.AsyncOpenAI) -> None:
    done = await sdk.chat.completions.create(
        model="auto", messages=ask("Describe the harbour as JSON."),
        response_format={"type": "json_object"},
    )  # fmt: skip
    body = json.loads(done.choices[0].message.content or "")
    assert isinstance(body, dict) and body["answer"]


async def test_json_schema_answer_has_the_required_keys_with_their_types(
    sdk: openai.AsyncOpenAI,
) -> None:
    done = await sdk.chat.completions.create(
        model="auto", messages=ask("Give me a city record."),
        response_format={"type": "json_schema", "json_schema": CITY_FORMAT},
    )  # fmt: skip
    body = json.loads(done.choices[0].message.content or "")
    assert set(body) == {"name", "population", "coastal"}
    assert isinstance(body["population"], int) and isinstance(body["coastal"], bool)


async def test_stop_sequence_cuts_the_answer_before_it(sdk: openai.AsyncOpenAI) -> None:
    free = await sdk.chat.completions.create(
        model="auto", messages=ask("Tell a story about a lighthouse."), max_tokens=60
    )
    stopped = await sdk.chat.completions.create(
        model="auto", messages=ask("Tell a story about a lighthouse keeper."), max_tokens=60,
        stop=["."],
    )  # fmt: skip
    assert "." in (free.choices[0].message.content or "")
    text = stopped.choices[0].message.content or ""
    assert text and "." not in text


async def test_same_seed_gives_the_same_answer(sdk: openai.AsyncOpenAI) -> None:
    answers = [
        (
            await sdk.chat.completions.create(
                model="auto", messages=ask(f"Name a colour ({i})."), seed=seed, max_tokens=20
            )
        )
        .choices[0]
        .message.content
        for i, seed in enumerate((7, 7, 8))
    ]
    assert answers[0] == answers[1]
    assert answers[0] != answers[2]


async def test_logprobs_come_per_token_with_the_top_alternatives(
    sdk: openai.AsyncOpenAI,
) -> None:
    done = await sdk.chat.completions.create(
        model="auto", messages=ask("Say something short."), max_tokens=12,
        logprobs=True, top_logprobs=3,
    )  # fmt: skip
    choice = done.choices[0]
    assert choice.logprobs is not None and choice.logprobs.content
    tokens = choice.logprobs.content
    assert "".join(t.token for t in tokens) == (choice.message.content or "").rstrip()
    assert all(t.logprob <= 0.0 and len(t.top_logprobs) == 3 for t in tokens)
    assert all(t.top_logprobs[0].token == t.token for t in tokens)


async def test_n_gives_n_choices(sdk: openai.AsyncOpenAI) -> None:
    done = await sdk.chat.completions.create(
        model="auto", messages=ask("Suggest a name for a boat."), n=3, max_tokens=10
    )
    assert [c.index for c in done.choices] == [0, 1, 2]
    assert len({c.message.content for c in done.choices}) == 3


async def test_the_legacy_completions_route_gives_n_choices_too(sdk: openai.AsyncOpenAI) -> None:
    done = await sdk.completions.create(
        model="auto", prompt="Suggest a name for a boat.", n=3, max_tokens=10
    )
    assert [c.index for c in done.choices] == [0, 1, 2]
    assert len({c.text for c in done.choices}) == 3


async def test_max_completion_tokens_bounds_the_answer(sdk: openai.AsyncOpenAI) -> None:
    done = await sdk.chat.completions.create(
        model="auto", messages=ask("Write at length about tides."), max_completion_tokens=7
    )
    assert done.usage is not None and done.usage.completion_tokens == 7


async def test_max_tokens_and_a_different_max_completion_tokens_is_a_400(
    sdk: openai.AsyncOpenAI,
) -> None:
    with pytest.raises(openai.BadRequestError) as err:
        await sdk.chat.completions.create(
            model="auto", messages=ask("hi"), max_tokens=5, max_completion_tokens=6
        )
    assert err.value.param == "max_completion_tokens"  # type: ignore[attr-defined]


async def test_tools_on_a_model_without_tool_support_is_a_400_naming_tools(
    sdk: openai.AsyncOpenAI, config: Config
) -> None:
    without = next(ep.model for ep in config.endpoints if "tools" not in ep.supports)
    with pytest.raises(openai.BadRequestError) as err:
        await sdk.chat.completions.create(
            model=without, messages=ask("Use get_weather for Bath."),
            tools=[WEATHER_TOOL],  # type: ignore[list-item]
        )  # fmt: skip
    assert err.value.status_code == 400
    assert err.value.param == "tools"  # type: ignore[attr-defined]
    assert err.value.code == "unsupported_parameter"  # type: ignore[attr-defined]


async def test_options_no_allowed_endpoint_supports_are_a_400_naming_the_field(
    sdk: openai.AsyncOpenAI,
) -> None:
    with pytest.raises(openai.BadRequestError) as err:
        await sdk.chat.completions.create(
            model="auto", messages=ask("Say hi."), logprobs=True,
            extra_body={"routing": {"allowed_tiers": ["cloud"]}},
        )  # fmt: skip
    assert err.value.param == "logprobs"  # type: ignore[attr-defined]


async def test_tool_requests_never_go_to_an_endpoint_without_tool_support(
    sdk: openai.AsyncOpenAI, config: Config
) -> None:
    """A phone with a local model gets realtime answers on the device, which has no tool
    support: the same requests with tools go elsewhere."""
    phone = {
        "device_id": "phone-tools",
        "memory_mb": 8192,
        "local_models": ["llama-3.2-1b-instruct"],
    }
    routing = {"routing": {"latency_requirement": "realtime", "device": phone}}
    tool_endpoints = {ep.id for ep in config.endpoints if "tools" in ep.supports}

    async def endpoint(i: int, **options: Any) -> str:
        raw = await sdk.chat.completions.with_raw_response.create(
            model="auto", messages=ask(f"Quick question {i}: get_weather for Ely?"),
            max_tokens=8, extra_body=routing, **options,
        )  # fmt: skip
        return raw.headers["x-mecrouter-endpoint"]

    plain = {await endpoint(i) for i in range(6)}
    with_tools = {await endpoint(100 + i, tools=[WEATHER_TOOL]) for i in range(6)}
    assert plain - tool_endpoints  # the control: without tools, a tool-less endpoint serves
    assert with_tools and with_tools <= tool_endpoints


# --------------------------------------------------------------------------- over HTTP


@pytest.fixture(scope="module")
def client() -> Iterator[openai.OpenAI]:
    with LocalTopology(load_config(), time_scale=0.01) as topo:
        sdk = openai.OpenAI(base_url=f"{topo.gateway_url}/v1", api_key="unused", max_retries=0)
        yield sdk
        sdk.close()


def test_tool_call_and_its_result_round_trip_through_an_upstream(client: openai.OpenAI) -> None:
    question: list[Any] = [{"role": "user", "content": "Use get_weather for Wells."}]
    first = client.chat.completions.create(
        model="auto",
        messages=question,
        tools=[WEATHER_TOOL],  # type: ignore[list-item]
    )
    call = (first.choices[0].message.tool_calls or [])[0]
    assert first.choices[0].finish_reason == "tool_calls"
    assert json.loads(call.function.arguments)["city"] == "example"  # type: ignore[union-attr]
    follow_up = [
        *question,
        {"role": "assistant", "content": None, "tool_calls": [call.model_dump()]},
        {"role": "tool", "tool_call_id": call.id, "content": "Wells: 11 C, fog"},
    ]
    done = client.chat.completions.create(
        model="auto",
        messages=follow_up,
        tools=[WEATHER_TOOL],  # type: ignore[list-item]
    )
    assert "11 C, fog" in (done.choices[0].message.content or "")


def test_streamed_tool_call_deltas_cross_the_upstream(client: openai.OpenAI) -> None:
    stream = client.chat.completions.create(
        model="auto", messages=[{"role": "user", "content": "Weather in Ripon?"}], stream=True,
        tools=[WEATHER_TOOL], tool_choice="required",  # type: ignore[list-item]
    )  # fmt: skip
    deltas, finish = [], None
    for part in stream:
        if part.choices:
            deltas += part.choices[0].delta.tool_calls or []
            finish = part.choices[0].finish_reason or finish
    assert finish == "tool_calls"
    assert deltas[0].function is not None and deltas[0].function.name == "get_weather"
    arguments = "".join(d.function.arguments or "" for d in deltas if d.function)
    assert json.loads(arguments) == {"city": "example", "unit": "celsius"}


def test_schema_logprobs_and_n_cross_the_upstream(client: openai.OpenAI) -> None:
    shaped = client.chat.completions.create(
        model="auto", messages=[{"role": "user", "content": "A city record, please."}],
        response_format={"type": "json_schema", "json_schema": CITY_FORMAT},
    )  # fmt: skip
    assert set(json.loads(shaped.choices[0].message.content or "")) == {
        "name", "population", "coastal",
    }  # fmt: skip
    several = client.chat.completions.create(
        model="auto", messages=[{"role": "user", "content": "Name a ship."}], n=2,
        logprobs=True, top_logprobs=2, max_tokens=6, stop=["zzz"], seed=3,
    )  # fmt: skip
    assert len(several.choices) == 2
    first = several.choices[0]
    assert first.logprobs is not None and first.logprobs.content
    assert all(len(t.top_logprobs) == 2 for t in first.logprobs.content)
