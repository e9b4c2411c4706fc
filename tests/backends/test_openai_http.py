"""OpenAIHTTPBackend against a real OpenAI-format HTTP server on 127.0.0.1.

The server's path prefix picks its behaviour: ``/v1`` answers normally (JSON or SSE), ``/nousage``
omits usage, ``/fail500``, ``/ratelimit``, ``/badjson``, ``/errorevent`` and ``/slow`` misbehave.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import socket
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator
from dataclasses import dataclass, field
from email.utils import formatdate
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from mecrouter.backends import Backend, GenerationRequest
from mecrouter.backends.base import GenerationOptions
from mecrouter.backends.openai_http import OpenAIHTTPBackend
from mecrouter.config import EndpointConfig
from mecrouter.errors import (
    BackendStatusError,
    BackendTimeout,
    BackendUnavailable,
    ConfigError,
)
from mecrouter.types import ComputeTier, Message, ModelSize, StreamDelta

STREAM_PIECES = ("Hel", "lo", " wor", "ld")
SLOW_RESPONSE_S = 2.0  # far past every timeout below, even on a starved event loop


@dataclass
class Seen:
    """What the server observed, shared with the handler threads."""

    lock: threading.Lock = field(default_factory=threading.Lock)
    client_ports: list[int] = field(default_factory=list)
    authorization: list[str | None] = field(default_factory=list)
    bodies: list[dict[str, Any]] = field(default_factory=list)

    def record(self, port: int, authorization: str | None, body: dict[str, Any]) -> None:
        with self.lock:
            self.client_ports.append(port)
            self.authorization.append(authorization)
            self.bodies.append(body)

    def clear(self) -> None:
        with self.lock:
            self.client_ports.clear()
            self.authorization.clear()
            self.bodies.clear()


class OpenAIServer(ThreadingHTTPServer):
    daemon_threads = True
    seen: Seen

    def handle_error(self, request: Any, client_address: Any) -> None:
        """A client that timed out and left makes the slow handler's write fail: expected."""


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive, so connection reuse is observable
    server: OpenAIServer

    def log_message(self, format: str, *args: Any) -> None:
        """Quiet."""

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        self.server.seen.record(self.client_address[1], self.headers.get("Authorization"), body)
        mode = self.path.split("/")[1]
        if not self.path.endswith("/v1/chat/completions"):
            self.send_bytes(404, b'{"error": "not found"}')
        elif mode == "fail500":
            self.send_bytes(500, b'{"error": {"message": "boom"}}')
        elif mode == "ratelimit":
            self.send_bytes(429, b'{"error": "slow down"}', {"Retry-After": "7"})
        elif mode == "badjson":
            self.send_bytes(200, b"this is not {json")
        elif mode == "slow":
            time.sleep(SLOW_RESPONSE_S)
            self.send_bytes(200, json.dumps(completion(body, usage=True)).encode())
        elif body.get("stream"):
            self.send_events(body, error_event=mode == "errorevent")
        else:
            self.send_bytes(200, json.dumps(completion(body, usage=mode != "nousage")).encode())

    def send_bytes(
        self, status: int, payload: bytes, headers: dict[str, str] | None = None
    ) -> None:
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(payload)

    def send_events(self, body: dict[str, Any], *, error_event: bool) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        events = [": keep-alive comment", sse({"choices": [{"delta": {"role": "assistant"}}]})]
        events += [sse({"choices": [{"delta": {"content": p}}]}) for p in STREAM_PIECES]
        if error_event:
            events.append(sse({"error": {"message": "model crashed"}}))
        events += [sse({"choices": [{"delta": {}, "finish_reason": "stop"}]}), "data: [DONE]"]
        for event in events:
            data = (event + "\n\n").encode()
            self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
            self.wfile.flush()
        self.wfile.write(b"0\r\n\r\n")


def sse(payload: dict[str, Any]) -> str:
    return "data: " + json.dumps(payload)


def completion(body: dict[str, Any], *, usage: bool) -> dict[str, Any]:
    text = "echo: " + body["messages"][-1]["content"]
    out: dict[str, Any] = {
        "id": "cmpl-1",
        "object": "chat.completion",
        "model": body["model"],
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": text}, "finish_reason": "stop"}
        ],
    }
    if usage:
        out["usage"] = {"prompt_tokens": 11, "completion_tokens": 3, "total_tokens": 14}
    return out


@pytest.fixture(scope="module")
def server() -> Iterator[OpenAIServer]:
    httpd = OpenAIServer(("127.0.0.1", 0), Handler)
    httpd.seen = Seen()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.fixture
def seen(server: OpenAIServer) -> Seen:
    server.seen.clear()
    return server.seen


def make_endpoint(base_url: str | None, **overrides: Any) -> EndpointConfig:
    fields: dict[str, Any] = {
        "id": "mec-vllm",
        "tier": ComputeTier.MEC,
        "model": "served-7b",
        "model_size": ModelSize.SMALL,
        "capability": 0.5,
        "backend": "openai_http",
        "base_url": base_url,
        "ttft_ms": 100.0,
        "decode_tokens_per_s": 50.0,
    }
    fields.update(overrides)
    return EndpointConfig(**fields)


def url(server: OpenAIServer, prefix: str = "") -> str:
    return f"http://127.0.0.1:{server.server_address[1]}{prefix}/v1"


def make_request(prompt: str = "hello", **overrides: Any) -> GenerationRequest:
    fields: dict[str, Any] = {
        "request_id": "r1",
        "prompt": prompt,
        "model": "served-7b",
        "max_tokens": 16,
    }
    fields.update(overrides)
    return GenerationRequest(**fields)


@contextlib.asynccontextmanager
async def backend_at(base_url: str, **kwargs: Any) -> AsyncIterator[OpenAIHTTPBackend]:
    backend = OpenAIHTTPBackend(make_endpoint(base_url, **kwargs.pop("endpoint", {})), **kwargs)
    try:
        yield backend
    finally:
        await backend.aclose()


Answer = Callable[[str, dict[str, Any]], web.Response]


@contextlib.asynccontextmanager
async def canned(answer: Answer) -> AsyncIterator[str]:
    """A server on 127.0.0.1 whose every POST is answered by ``answer(path, body)``; its URL."""

    async def handle(request: web.Request) -> web.Response:
        return answer(request.path, await request.json())

    app = web.Application()
    app.router.add_post("/{tail:.*}", handle)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


async def test_generate_parses_text_usage_and_finish_reason(
    server: OpenAIServer, seen: Seen
) -> None:
    async with backend_at(url(server)) as backend:
        assert isinstance(backend, Backend)
        result = await backend.generate(make_request("what is MEC?", temperature=0.2, top_p=0.5))
    assert result.text == "echo: what is MEC?"
    assert (result.input_tokens, result.output_tokens) == (11, 3)
    assert result.model == "served-7b"
    assert result.finish_reason == "stop"
    assert result.latency_ms > 0.0
    assert result.ttft_ms == result.latency_ms
    sent = seen.bodies[0]
    assert sent["messages"] == [{"role": "user", "content": "what is MEC?"}]
    assert (sent["model"], sent["max_tokens"], sent["temperature"]) == ("served-7b", 16, 0.2)
    assert sent["top_p"] == 0.5
    assert sent["stream"] is False


async def test_request_messages_are_sent_as_given(server: OpenAIServer, seen: Seen) -> None:
    messages = (Message(role="system", content="be brief"), Message(role="user", content="hi"))
    async with backend_at(url(server)) as backend:
        result = await backend.generate(make_request("ignored", messages=messages))
    assert seen.bodies[0]["messages"] == [
        {"role": "system", "content": "be brief"},
        {"role": "user", "content": "hi"},
    ]
    assert "temperature" not in seen.bodies[0]
    assert result.text == "echo: hi"


async def test_token_counts_are_estimated_when_usage_is_absent(server: OpenAIServer) -> None:
    async with backend_at(url(server, "/nousage")) as backend:
        result = await backend.generate(make_request("x" * 400))
    assert result.input_tokens == 100
    assert result.output_tokens == len("echo: " + "x" * 400) // 4


async def test_bearer_key_is_read_from_the_named_env_var(
    server: OpenAIServer, seen: Seen, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MECROUTER_TEST_KEY", "sk-local-123")
    async with backend_at(url(server), endpoint={"api_key_env": "MECROUTER_TEST_KEY"}) as backend:
        await backend.generate(make_request())
    assert seen.authorization == ["Bearer sk-local-123"]


async def test_no_authorization_header_without_api_key_env(
    server: OpenAIServer, seen: Seen
) -> None:
    async with backend_at(url(server)) as backend:
        await backend.generate(make_request())
    assert seen.authorization == [None]


def test_missing_api_key_env_var_is_a_config_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("MECROUTER_ABSENT_KEY", raising=False)
    endpoint = make_endpoint("http://127.0.0.1:1/v1", api_key_env="MECROUTER_ABSENT_KEY")
    with pytest.raises(ConfigError) as info:
        OpenAIHTTPBackend(endpoint)
    assert info.value.field == "endpoints.mec-vllm.api_key_env"


def test_missing_base_url_is_a_config_error() -> None:
    with pytest.raises(ConfigError) as info:
        OpenAIHTTPBackend(make_endpoint(None))
    assert info.value.field == "endpoints.mec-vllm.base_url"


async def test_stream_chunks_reassemble_to_the_full_text(server: OpenAIServer, seen: Seen) -> None:
    async with backend_at(url(server)) as backend:
        chunks = [c async for c in backend.stream(make_request())]
    assert chunks == list(STREAM_PIECES)
    assert "".join(chunks) == "Hello world"
    assert seen.bodies[0]["stream"] is True


async def test_error_event_inside_a_stream_raises_status_error(server: OpenAIServer) -> None:
    chunks: list[str] = []
    async with backend_at(url(server, "/errorevent")) as backend:
        with pytest.raises(BackendStatusError, match="model crashed"):
            async for chunk in backend.stream(make_request()):
                chunks.append(chunk)
    assert chunks == list(STREAM_PIECES)


async def test_http_500_raises_status_error_with_status(server: OpenAIServer) -> None:
    async with backend_at(url(server, "/fail500")) as backend:
        with pytest.raises(BackendStatusError) as info:
            await backend.generate(make_request())
        with pytest.raises(BackendStatusError) as stream_info:
            await anext(backend.stream(make_request()))
    assert info.value.status == 500
    assert info.value.retry_after_s is None
    assert (info.value.endpoint, info.value.tier) == ("mec-vllm", "mec")
    assert "boom" in str(info.value)
    assert stream_info.value.status == 500


async def test_http_429_carries_retry_after_seconds(server: OpenAIServer) -> None:
    async with backend_at(url(server, "/ratelimit")) as backend:
        with pytest.raises(BackendStatusError) as info:
            await backend.generate(make_request())
        with pytest.raises(BackendStatusError) as stream_info:
            await anext(backend.stream(make_request()))
    assert (info.value.status, info.value.retry_after_s) == (429, 7.0)
    assert (stream_info.value.status, stream_info.value.retry_after_s) == (429, 7.0)


async def test_malformed_json_raises_status_error(server: OpenAIServer) -> None:
    async with backend_at(url(server, "/badjson")) as backend:
        with pytest.raises(BackendStatusError) as info:
            await backend.generate(make_request())
    assert info.value.status == 502
    assert isinstance(info.value.__cause__, ValueError)


async def test_slow_server_raises_backend_timeout(server: OpenAIServer) -> None:
    async with backend_at(url(server, "/slow"), timeout_s=0.1) as backend:
        with pytest.raises(BackendTimeout) as info:  # the answer would come, but after 2 s
            await backend.generate(make_request())
    assert isinstance(info.value.__cause__, TimeoutError)


async def test_caller_deadline_cancels_the_call_and_the_pool_stays_usable(
    server: OpenAIServer,
) -> None:
    async with aiohttp.ClientSession() as session:
        slow = OpenAIHTTPBackend(make_endpoint(url(server, "/slow")), session=session)
        fast = OpenAIHTTPBackend(make_endpoint(url(server)), session=session)
        with pytest.raises(TimeoutError):  # CancelledError went through, not a BackendError
            async with asyncio.timeout(0.1):
                await slow.generate(make_request())
        assert (await fast.generate(make_request("again"))).text == "echo: again"


async def test_connection_refused_raises_backend_unavailable() -> None:
    async with backend_at(f"http://127.0.0.1:{closed_port()}/v1") as backend:
        with pytest.raises(BackendUnavailable) as info:
            await backend.generate(make_request())
        with pytest.raises(BackendUnavailable):
            await anext(backend.stream(make_request()))
    assert isinstance(info.value.__cause__, aiohttp.ClientConnectorError)


async def test_connections_are_reused_across_requests(server: OpenAIServer, seen: Seen) -> None:
    async with backend_at(url(server)) as backend:
        for n in range(6):
            await backend.generate(make_request(f"call {n}"))
        async for _ in backend.stream(make_request()):
            pass
    assert len(seen.client_ports) == 7
    assert len(set(seen.client_ports)) == 1


async def test_aclose_is_idempotent_and_spares_a_session_passed_in(server: OpenAIServer) -> None:
    async with aiohttp.ClientSession() as session:
        backend = OpenAIHTTPBackend(make_endpoint(url(server)), session=session)
        assert (await backend.generate(make_request())).text == "echo: hello"
        await backend.aclose()
        await backend.aclose()
        assert not session.closed
        with pytest.raises(BackendUnavailable, match="closed"):
            await backend.generate(make_request())
    owned = OpenAIHTTPBackend(make_endpoint(url(server)))
    assert (await owned.generate(make_request())).text == "echo: hello"
    session = owned._session
    await owned.aclose()
    await owned.aclose()
    assert session is not None and session.closed


async def test_retry_after_http_date_and_odd_shapes() -> None:
    """An HTTP-date Retry-After and a completion without choices."""
    retry_at = formatdate(time.time() + 30, usegmt=True)

    def answer(path: str, _: dict[str, Any]) -> web.Response:
        if path.startswith("/busy"):
            return web.Response(status=503, headers={"Retry-After": retry_at}, text="busy")
        return web.json_response({"object": "chat.completion", "choices": []})

    async with canned(answer) as base:
        async with backend_at(f"{base}/busy/v1") as busy:
            with pytest.raises(BackendStatusError) as info:
                await busy.generate(make_request())
        async with backend_at(f"{base}/v1") as empty:
            with pytest.raises(BackendStatusError, match="unexpected completion shape"):
                await empty.generate(make_request())
    assert info.value.status == 503
    assert info.value.retry_after_s is not None
    assert 25.0 <= info.value.retry_after_s <= 30.0


CALL = {"id": "call_1", "type": "function", "function": {"name": "f", "arguments": "{}"}}


async def test_openai_options_are_sent_and_tool_calls_logprobs_and_choices_parsed() -> None:
    sent: list[dict[str, Any]] = []
    logprobs = {"content": [{"token": "ok", "logprob": -0.1, "bytes": [111, 107]}]}

    def answer(_: str, body: dict[str, Any]) -> web.Response:
        sent.append(body)
        return web.json_response({"choices": [
            {"message": {"content": None, "tool_calls": [CALL]}, "finish_reason": "tool_calls"},
            {"message": {"content": "ok"}, "finish_reason": "stop", "logprobs": logprobs},
        ]})  # fmt: skip

    options = GenerationOptions(
        tools=({"type": "function", "function": {"name": "f"}},),
        tool_choice="auto",
        response_format={"type": "json_object"},
        stop=("\n",),
        seed=5,
        logprobs=True,
        top_logprobs=2,
        n=2,
        end_user="u-9",
    )
    history = (
        Message(role="assistant", content="", tool_calls=(CALL,)),
        Message(role="tool", content="42", tool_call_id="call_1"),
    )
    async with canned(answer) as base, backend_at(f"{base}/v1") as backend:
        gen = await backend.generate(make_request(options=options, messages=history))
    body = sent[0]
    assert body["tools"] == [{"type": "function", "function": {"name": "f"}}]
    assert (body["tool_choice"], body["stop"], body["seed"], body["n"]) == ("auto", ["\n"], 5, 2)
    assert (body["logprobs"], body["top_logprobs"], body["user"]) == (True, 2, "u-9")
    assert body["response_format"] == {"type": "json_object"}
    assert body["messages"] == [
        {"role": "assistant", "content": None, "tool_calls": [CALL]},
        {"role": "tool", "content": "42", "tool_call_id": "call_1"},
    ]
    assert (gen.text, gen.finish_reason, gen.tool_calls) == ("", "tool_calls", (CALL,))
    assert [(c.text, c.logprobs) for c in gen.more_choices] == [("ok", logprobs)]


async def test_plain_request_sends_no_openai_options() -> None:
    sent: list[dict[str, Any]] = []

    def answer(_: str, body: dict[str, Any]) -> web.Response:
        sent.append(body)
        return web.json_response({"choices": [{"message": {"content": "hi"}}]})

    async with canned(answer) as base, backend_at(f"{base}/v1") as backend:
        await backend.generate(make_request())
    assert set(sent[0]) == {"model", "messages", "max_tokens", "stream"}


async def test_streamed_tool_call_fragments_come_as_stream_deltas() -> None:
    events = [
        {"choices": [{"delta": {"role": "assistant", "content": ""}}]},
        {"choices": [{"delta": {"tool_calls": [{"index": 0, **CALL}]}}]},
        {"choices": [{"delta": {"content": "x"}}]},
        {"choices": [{"delta": {}, "finish_reason": "tool_calls"}]},
    ]
    sse = "".join(f"data: {json.dumps(e)}\n\n" for e in events) + "data: [DONE]\n\n"

    def answer(_: str, __: dict[str, Any]) -> web.Response:
        return web.Response(text=sse, content_type="text/event-stream")

    async with canned(answer) as base, backend_at(f"{base}/v1") as backend:
        parts = [p async for p in backend.stream(make_request())]
    assert parts == [
        StreamDelta(tool_calls=({"index": 0, **CALL},)),
        "x",
        StreamDelta(finish_reason="tool_calls"),
    ]


async def test_stream_lines_of_any_length_and_crlf_endings() -> None:
    """A 300 KB delta (past aiohttp's 128 KiB line reader) and CRLF line ends still parse."""
    big = "y" * 300_000
    events = [
        {"choices": [{"delta": {"content": big}}]},
        {"choices": [{"delta": {"content": "!"}}]},
    ]
    sse = "".join(f"data: {json.dumps(e)}\r\n\r\n" for e in events) + "data: [DONE]\r\n\r\n"

    def answer(_: str, __: dict[str, Any]) -> web.Response:
        return web.Response(text=sse, content_type="text/event-stream")

    async with canned(answer) as base, backend_at(f"{base}/v1") as backend:
        parts = [p async for p in backend.stream(make_request())]
    assert parts == [big, "!"]
