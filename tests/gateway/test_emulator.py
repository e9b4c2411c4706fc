"""The tier emulator: an OpenAI-compatible server whose answers, latency and faults are emulated."""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager, closing
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest
from asgi_scope import post_scope
from fastapi import FastAPI

from mecrouter.backends.base import GenerationRequest
from mecrouter.backends.emulated import EmulatedBackend
from mecrouter.config import Config, load_config
from mecrouter.errors import BackendStatusError, ConfigError, InvalidRequestError
from mecrouter.gateway.emulator import create_emulator_app, run_emulator
from mecrouter.types import ComputeTier, Generation

FAST = 1e-4  # time_scale for tests that do not look at timing
HEADER = "x-mecrouter-emulated-endpoint"
MISTRAL = "mistral-7b-instruct"
LON_MISTRAL = "mec-lon-mistral-7b"


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config(None)


def mec_app(config: Config, **kwargs: Any) -> FastAPI:
    kwargs.setdefault("time_scale", FAST)
    return create_emulator_app(config, ComputeTier.MEC, **kwargs)


@asynccontextmanager
async def client_for(app: FastAPI) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://emu") as client:
        yield client


def chat_body(model: str = MISTRAL, **extra: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": model,
        "messages": [
            {"role": "system", "content": "Be brief."},
            {"role": "user", "content": "Where should this request run?"},
        ],
        "max_tokens": 12,
    }
    body.update(extra)
    return body


def sse_payloads(raw: str) -> list[str]:
    """The ``data:`` payloads of an event stream, in order."""
    events = [e for e in raw.split("\n\n") if e.strip()]
    assert all(e.startswith("data: ") for e in events), raw
    return [e.removeprefix("data: ") for e in events]


def backend(app: FastAPI, endpoint_id: str) -> EmulatedBackend:
    found: EmulatedBackend = app.state.backends[endpoint_id]
    return found


# ---- completions ------------------------------------------------------------------------------


async def test_completion_is_openai_shaped_with_usage_and_endpoint_header(config: Config) -> None:
    async with client_for(mec_app(config)) as client:
        response = await client.post("/v1/chat/completions", json=chat_body())
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers[HEADER] in {"mec-lon-mistral-7b", "mec-man-mistral-7b"}
    body = response.json()
    assert body["object"] == "chat.completion" and body["id"].startswith("chatcmpl-")
    assert body["model"] == MISTRAL
    (choice,) = body["choices"]
    assert choice["message"]["role"] == "assistant"
    assert choice["finish_reason"] == "stop"
    assert len(choice["message"]["content"].split()) == 12
    assert body["usage"]["completion_tokens"] == 12
    assert body["usage"]["prompt_tokens"] > 0
    assert body["usage"]["total_tokens"] == body["usage"]["prompt_tokens"] + 12


async def test_endpoints_sharing_a_model_take_turns_and_an_id_picks_one(config: Config) -> None:
    async with client_for(mec_app(config)) as client:
        by_model = [
            (await client.post("/v1/chat/completions", json=chat_body())).headers[HEADER]
            for _ in range(4)
        ]
        by_id = (
            await client.post("/v1/chat/completions", json=chat_body("mec-man-mixtral"))
        ).json()
    assert by_model == ["mec-lon-mistral-7b", "mec-man-mistral-7b"] * 2
    assert by_id["model"] == "mixtral-8x7b-instruct"


async def test_request_fields_and_headers_reach_the_backend(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = mec_app(config, rtt_ms=27.5)
    target = backend(app, LON_MISTRAL)
    seen: list[GenerationRequest] = []
    original = target.generate

    async def spy(request: GenerationRequest) -> Generation:
        seen.append(request)
        return await original(request)

    monkeypatch.setattr(target, "generate", spy)
    body = chat_body(LON_MISTRAL, temperature=0.5)
    del body["max_tokens"]
    headers = {"x-mecrouter-device-id": "phone-7", "x-request-id": "req-42"}
    async with client_for(app) as client:
        await client.post("/v1/chat/completions", json=body, headers=headers)
        await client.post("/v1/chat/completions", json=chat_body(LON_MISTRAL))
    first, second = seen
    assert first.prompt == "Be brief.\nWhere should this request run?"
    assert (first.request_id, first.device_id) == ("req-42", "phone-7")
    assert (first.max_tokens, first.network_rtt_ms, first.temperature) == (128, 27.5, 0.5)
    assert second.device_id == "" and second.request_id and second.request_id != "req-42"


async def test_same_seed_gives_the_same_text_and_another_seed_does_not(config: Config) -> None:
    texts = []
    for seed in (7, 7, 8):
        async with client_for(mec_app(config, seed=seed)) as client:
            response = await client.post("/v1/chat/completions", json=chat_body(LON_MISTRAL))
        texts.append(response.json()["choices"][0]["message"]["content"])
    assert texts[0] == texts[1]
    assert texts[0] != texts[2]


# ---- streaming --------------------------------------------------------------------------------


async def test_stream_sends_role_content_finish_usage_then_done(config: Config) -> None:
    """Streamed chunks join to the very text a plain completion gets from an equal-seed app."""
    async with client_for(mec_app(config, seed=3)) as client:
        plain = (await client.post("/v1/chat/completions", json=chat_body(max_tokens=30))).json()
    streamed_body = chat_body(max_tokens=30, stream=True, stream_options={"include_usage": True})
    async with client_for(mec_app(config, seed=3)) as client:
        response = await client.post("/v1/chat/completions", json=streamed_body)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    assert response.headers[HEADER] == "mec-lon-mistral-7b"
    *events, done = sse_payloads(response.text)
    assert done == "[DONE]"
    chunks = [orjson.loads(e) for e in events]
    assert {c["id"] for c in chunks} == {chunks[0]["id"]}
    assert all(c["object"] == "chat.completion.chunk" for c in chunks)
    role, *contents, finish, usage_chunk = chunks
    assert role["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    assert len(contents) > 2
    text = "".join(c["choices"][0]["delta"]["content"] for c in contents)
    assert text == plain["choices"][0]["message"]["content"]
    assert all(c["choices"][0]["finish_reason"] is None for c in contents)
    assert finish["choices"][0]["finish_reason"] == "stop"
    assert usage_chunk["choices"] == [] and usage_chunk["usage"] == plain["usage"]


async def test_stream_without_include_usage_has_no_usage_chunk(config: Config) -> None:
    async with client_for(mec_app(config)) as client:
        response = await client.post("/v1/chat/completions", json=chat_body(stream=True))
    *events, done = sse_payloads(response.text)
    assert done == "[DONE]"
    last = orjson.loads(events[-1])
    assert last["choices"][0]["finish_reason"] == "stop"
    assert all("usage" not in orjson.loads(e) for e in events)


async def test_failure_after_the_stream_started_ends_it_with_one_error_event(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = mec_app(config)
    target = backend(app, LON_MISTRAL)

    async def breaks_midway(request: GenerationRequest) -> AsyncIterator[str]:
        yield "Hello"
        raise BackendStatusError("HTTP 500 (test)", endpoint=LON_MISTRAL, status=500)

    monkeypatch.setattr(target, "stream", breaks_midway)
    async with client_for(app) as client:
        response = await client.post(
            "/v1/chat/completions", json=chat_body(LON_MISTRAL, stream=True)
        )
    assert response.status_code == 200
    payloads = sse_payloads(response.text)
    assert "[DONE]" not in payloads
    *chunks, error_event = [orjson.loads(p) for p in payloads]
    assert [c["choices"][0]["delta"].get("content") for c in chunks] == ["", "Hello"]
    assert error_event["error"]["type"] == "server_error"
    assert "HTTP 500" in error_event["error"]["message"]


# ---- client disconnects -----------------------------------------------------------------------


class RawCall:
    """One POST driven at the ASGI level, so the test decides when the client disconnects."""

    def __init__(self, app: FastAPI, body: dict[str, Any], *, stall_at_body: int = 0) -> None:
        self.app, self.body = app, orjson.dumps(body)
        self.stall_at_body = stall_at_body  # block in send() on this body message (1-based)
        self.messages: list[dict[str, Any]] = []
        self.first_body = asyncio.Event()
        self.gone = asyncio.Event()
        self._body_sent = False

    async def receive(self) -> dict[str, Any]:
        if not self._body_sent:
            self._body_sent = True
            return {"type": "http.request", "body": self.body, "more_body": False}
        await self.gone.wait()
        return {"type": "http.disconnect"}

    async def send(self, message: dict[str, Any]) -> None:
        self.messages.append(message)
        if message["type"] == "http.response.body":
            self.first_body.set()
            bodies = sum(m["type"] == "http.response.body" for m in self.messages)
            if bodies == self.stall_at_body:
                await asyncio.Event().wait()  # a stalled socket: only cancellation ends it

    async def run(self) -> None:
        scope = post_scope("/v1/chat/completions", b"emu")
        await self.app(scope, self.receive, self.send)  # type: ignore[arg-type]


async def wait_until(condition: Callable[[], bool], timeout_s: float = 2.0) -> None:
    deadline = time.monotonic() + timeout_s
    while not condition():
        assert time.monotonic() < deadline, "condition not reached in time"
        await asyncio.sleep(0.001)


async def finish(call: Awaitable[None], guard_s: float = 30.0) -> None:
    """Await the call; the guard only keeps a broken build from hanging the run."""
    await asyncio.wait_for(call, guard_s)


@pytest.mark.parametrize("stall_at_body", [0, 2], ids=["waiting-for-a-chunk", "stuck-in-send"])
async def test_client_leaving_mid_stream_cancels_the_backend_call(
    config: Config, stall_at_body: int
) -> None:
    # 2000 tokens at 51 tokens/s take ~40 s at time_scale 1; the client leaves at once.
    # How soon the call is released after the client leaves: benchmarks/bench_emulator.py.
    app = mec_app(config, time_scale=1.0)
    target = backend(app, LON_MISTRAL)
    body = chat_body(LON_MISTRAL, stream=True, max_tokens=2000)
    call = RawCall(app, body, stall_at_body=stall_at_body)
    task = asyncio.create_task(call.run())
    await asyncio.wait_for(call.first_body.wait(), 30.0)
    assert target.in_flight == 1
    call.gone.set()
    await finish(task)  # the 30 s guard is well inside the 40 s the stream would take
    assert target.in_flight == 0
    bodies = [m.get("body", b"") for m in call.messages if m["type"] == "http.response.body"]
    assert 1 <= len(bodies) < 10  # cut off near the start, far from 2000 tokens
    assert b"data: [DONE]\n\n" not in bodies


@pytest.mark.parametrize("stream", [False, True])
async def test_client_leaving_a_hung_endpoint_releases_the_call(
    config: Config, stream: bool
) -> None:
    app = mec_app(config)
    async with client_for(app) as client:
        await client.post("/admin/fault", json={"hang": True, "endpoint": LON_MISTRAL})
    target = backend(app, LON_MISTRAL)
    call = RawCall(app, chat_body(LON_MISTRAL, stream=stream))
    task = asyncio.create_task(call.run())
    await wait_until(lambda: target.in_flight == 1)
    await asyncio.sleep(0.01)
    assert not task.done()  # hung, as injected
    call.gone.set()
    await finish(task)
    assert target.in_flight == 0


# ---- errors -----------------------------------------------------------------------------------


async def test_unknown_model_is_404_model_not_found(config: Config) -> None:
    async with client_for(mec_app(config)) as client:
        response = await client.post("/v1/chat/completions", json=chat_body("gpt-9"))
    assert response.status_code == 404
    error = response.json()["error"]
    assert (error["type"], error["code"], error["param"]) == (
        "invalid_request_error",
        "model_not_found",
        "model",
    )
    assert MISTRAL in error["message"]


@pytest.mark.parametrize(
    ("change", "param"),
    [
        ({"messages": [{"role": "wizard", "content": "hi"}]}, "messages.0.role"),
        ({"max_tokens": 0}, "max_tokens"),
        ({"messages": []}, "messages"),
        ({"temperature": 3.5}, "temperature"),
        ({"model": ""}, "model"),
    ],
)
async def test_invalid_body_is_400_naming_the_field(
    config: Config, change: dict[str, Any], param: str
) -> None:
    async with client_for(mec_app(config)) as client:
        response = await client.post("/v1/chat/completions", json=chat_body(**change))
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["type"], error["param"]) == ("invalid_request_error", param)


@pytest.mark.parametrize("raw", [b"{not json", b"", b"[1, 2]"])
async def test_malformed_body_is_400_json_without_a_traceback(config: Config, raw: bytes) -> None:
    async with client_for(mec_app(config)) as client:
        response = await client.post(
            "/v1/chat/completions", content=raw, headers={"content-type": "application/json"}
        )
    assert response.status_code == 400
    assert response.json()["error"]["type"] == "invalid_request_error"
    assert "Traceback" not in response.text


async def test_down_endpoints_give_503_and_unhealthy_healthz_until_cleared(config: Config) -> None:
    async with client_for(mec_app(config)) as client:
        assert (await client.get("/healthz")).status_code == 200
        await client.post("/admin/fault", json={"down": True})
        refused = await client.post("/v1/chat/completions", json=chat_body())
        refused_stream = await client.post("/v1/chat/completions", json=chat_body(stream=True))
        health_down = await client.get("/healthz")
        await client.delete("/admin/fault")
        health_up = await client.get("/healthz")
        answered = await client.post("/v1/chat/completions", json=chat_body())
    for response in (refused, refused_stream):
        assert response.status_code == 503
        assert response.headers["retry-after"] == "1"
        assert response.json()["error"]["type"] == "service_unavailable"
    assert health_down.status_code == 503 and health_down.json()["status"] == "down"
    assert health_up.status_code == 200 and health_up.json()["tier"] == "mec"
    assert {e["id"] for e in health_up.json()["endpoints"]} == {
        "mec-lon-mistral-7b",
        "mec-lon-mixtral",
        "mec-man-mistral-7b",
        "mec-man-mixtral",
    }
    assert answered.status_code == 200


async def test_error_rate_one_gives_500_server_error(config: Config) -> None:
    async with client_for(mec_app(config)) as client:
        await client.post("/admin/fault", json={"error_rate": 1.0})
        plain = await client.post("/v1/chat/completions", json=chat_body())
        streamed = await client.post("/v1/chat/completions", json=chat_body(stream=True))
    for response in (plain, streamed):
        assert response.status_code == 500
        assert response.json()["error"]["type"] == "server_error"
        assert "retry-after" not in response.headers


async def test_a_fault_can_target_one_endpoint_and_be_cleared_alone(config: Config) -> None:
    async with client_for(mec_app(config)) as client:
        state = (
            await client.post("/admin/fault", json={"down": True, "endpoint": "mec-lon-mixtral"})
        ).json()
        mixtral = await client.post("/v1/chat/completions", json=chat_body("mec-lon-mixtral"))
        mistral = await client.post("/v1/chat/completions", json=chat_body(LON_MISTRAL))
        healthy = await client.get("/healthz")
        cleared = await client.delete("/admin/fault", params={"endpoint": "mec-lon-mixtral"})
        shown = (await client.get("/admin/fault")).json()
    assert state["faults"]["mec-lon-mixtral"]["down"] is True
    assert state["faults"][LON_MISTRAL]["down"] is False
    assert (mixtral.status_code, mistral.status_code, healthy.status_code) == (503, 200, 200)
    assert cleared.status_code == 200
    assert not any(f["down"] for f in shown["faults"].values())


@pytest.mark.parametrize(
    ("body", "status", "param"),
    [
        ({"slow_factor": 0}, 400, "slow_factor"),
        ({"error_rate": 1.5}, 400, "error_rate"),
        ({"down": "perhaps"}, 400, "down"),
        ({"donw": True}, 400, "donw"),
        ({"endpoint": "mec-nowhere"}, 404, "endpoint"),
    ],
)
async def test_bad_fault_is_rejected_naming_the_field(
    config: Config, body: dict[str, Any], status: int, param: str
) -> None:
    async with client_for(mec_app(config)) as client:
        response = await client.post("/admin/fault", json=body)
        faults = (await client.get("/admin/fault")).json()["faults"]
    assert response.status_code == status
    assert response.json()["error"]["param"] == param
    assert all(
        f
        == {
            "down": False,
            "slow_factor": 1.0,
            "error_rate": None,
            "hang": False,
            "stall_after_first_chunk": False,
        }
        for f in faults.values()
    )


def reported_latencies(monkeypatch: pytest.MonkeyPatch, target: EmulatedBackend) -> list[float]:
    """The latency_ms of every Generation ``target`` returns from now on."""
    seen: list[float] = []
    original = target.generate

    async def spy(request: GenerationRequest) -> Generation:
        result = await original(request)
        seen.append(result.latency_ms)
        return result

    monkeypatch.setattr(target, "generate", spy)
    return seen


async def test_slow_factor_multiplies_the_latency_of_every_call(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Twin apps with one seed draw the same jitter; one of them is slowed through the admin API.
    # The real slowdown on the wall clock: benchmarks/bench_emulator.py.
    latencies: dict[float, list[float]] = {}
    for slow_factor in (1.0, 100.0):
        app = mec_app(config, seed=4)
        latencies[slow_factor] = reported_latencies(monkeypatch, backend(app, LON_MISTRAL))
        async with client_for(app) as client:
            fault = await client.post("/admin/fault", json={"slow_factor": slow_factor})
            assert fault.status_code == 200
            for _ in range(2):
                response = await client.post("/v1/chat/completions", json=chat_body(LON_MISTRAL))
                assert response.status_code == 200
    assert len(latencies[1.0]) == len(latencies[100.0]) == 2
    assert latencies[100.0] == pytest.approx([100 * ms for ms in latencies[1.0]])


async def test_a_bug_answers_500_openai_json_without_a_traceback(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = mec_app(config)

    async def broken(request: GenerationRequest) -> Generation:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(backend(app, LON_MISTRAL), "generate", broken)
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
    async with httpx.AsyncClient(transport=transport, base_url="http://emu") as client:
        response = await client.post("/v1/chat/completions", json=chat_body(LON_MISTRAL))
    assert response.status_code == 500
    assert response.json()["error"]["type"] == "server_error"
    assert "secret internals" not in response.text and "Traceback" not in response.text


# ---- models, configuration --------------------------------------------------------------------


async def test_models_lists_each_served_model_once(config: Config) -> None:
    async with client_for(mec_app(config)) as client:
        body = (await client.get("/v1/models")).json()
    assert body["object"] == "list"
    assert [m["id"] for m in body["data"]] == [MISTRAL, "mixtral-8x7b-instruct"]
    assert all(m["owned_by"] == "mecrouter-emulator" for m in body["data"])


async def test_node_option_serves_only_that_nodes_endpoints(config: Config) -> None:
    async with client_for(mec_app(config, node="mec-man-1")) as client:
        headers = {
            (await client.post("/v1/chat/completions", json=chat_body())).headers[HEADER]
            for _ in range(3)
        }
        lon = await client.post("/v1/chat/completions", json=chat_body(LON_MISTRAL))
    assert headers == {"mec-man-mistral-7b"}
    assert lon.status_code == 404


def test_a_node_without_endpoints_of_the_tier_is_a_config_error(config: Config) -> None:
    with pytest.raises(ConfigError):
        create_emulator_app(config, ComputeTier.MEC, node="mec-nowhere")
    with pytest.raises(ConfigError):
        create_emulator_app(config, ComputeTier.CLOUD, node="mec-lon-1")


def test_unknown_tier_is_an_invalid_request_naming_tier(config: Config) -> None:
    with pytest.raises(InvalidRequestError) as caught:
        run_emulator(config, tier="fog", host="127.0.0.1", port=1)
    assert caught.value.field == "tier"


# ---- end to end -------------------------------------------------------------------------------


def free_port() -> int:
    with closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def wait_for_health(process: subprocess.Popen[bytes], url: str, timeout_s: float = 15.0) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        assert process.poll() is None, "the emulator exited early"
        try:
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.05)
    raise AssertionError(f"{url} not healthy within {timeout_s} s")


def test_the_cli_emulator_answers_the_official_openai_client() -> None:
    openai = pytest.importorskip("openai")
    port = free_port()
    script = Path(sys.executable).parent / "mecrouter"
    command = [str(script), "emulate", "--tier", "mec", "--port", str(port), "--time-scale", "0.01"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_health(process, f"http://127.0.0.1:{port}/healthz")
        client = openai.OpenAI(base_url=f"http://127.0.0.1:{port}/v1", api_key="x", max_retries=0)
        messages = [{"role": "user", "content": "Summarise the sensor readings."}]
        plain = client.chat.completions.create(model=MISTRAL, messages=messages, max_tokens=16)
        assert len(plain.choices[0].message.content.split()) == 16
        assert plain.usage is not None and plain.usage.completion_tokens == 16
        stream = client.chat.completions.create(
            model=MISTRAL,
            messages=messages,
            max_tokens=16,
            stream=True,
            stream_options={"include_usage": True},
        )
        pieces: list[str] = []
        usages: list[int] = []
        for event in stream:
            pieces.extend(c.delta.content or "" for c in event.choices)
            if event.usage is not None:
                usages.append(event.usage.completion_tokens)
        assert len("".join(pieces).split()) == 16
        assert usages == [16]
    finally:
        process.terminate()
        try:
            _, stderr = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            _, stderr = process.communicate()
    assert f"http://127.0.0.1:{port}/v1" in stderr.decode()
