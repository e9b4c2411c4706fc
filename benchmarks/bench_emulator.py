"""The emulator's waits on the wall clock (the unit tests in `tests/backends/test_emulated.py` and
`tests/gateway/test_emulator.py` check what it reports and asks to sleep; this, what it really
takes on this machine).

Run with `make bench`. Each figure is a ratio of two runs side by side: real wait over reported
latency, a slowed call over a normal one, release after a disconnect over the full stream.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import httpx
import orjson
import pytest

from mecrouter.backends.base import GenerationRequest
from mecrouter.backends.emulated import EmulatedBackend
from mecrouter.config import load_config
from mecrouter.gateway.emulator import create_emulator_app
from mecrouter.types import ComputeTier

REPEATS = 5
ENDPOINT = "mec-lon-mistral-7b"


def _body(**extra: object) -> dict[str, object]:
    return {
        "model": ENDPOINT,
        "messages": [{"role": "user", "content": "Where should this request run?"}],
        "max_tokens": 12,
        **extra,
    }


@pytest.mark.bench
def test_the_real_wait_against_the_reported_latency() -> None:
    time_scale = 0.05
    endpoint = load_config().endpoint(ENDPOINT)
    request = GenerationRequest(
        request_id="r", prompt="x" * 4000, model=endpoint.model, max_tokens=100, network_rtt_ms=50.0
    )

    async def ratio() -> float:
        backend = EmulatedBackend(endpoint, time_scale=time_scale)
        started = time.perf_counter()
        result = await backend.generate(request)
        wall_emulated_ms = (time.perf_counter() - started) * 1000.0 / time_scale
        return wall_emulated_ms / result.latency_ms

    ratios = [asyncio.run(ratio()) for _ in range(REPEATS)]
    print(f"\nreal wait / reported latency at time_scale {time_scale}: {ratios}")
    assert min(ratios) >= 0.95  # a sleep never ends early; the excess is event-loop overhead


@pytest.mark.bench
def test_a_slowed_endpoint_against_a_normal_one() -> None:
    async def two_calls(slow_factor: float) -> float:
        app = create_emulator_app(load_config(), ComputeTier.MEC, time_scale=1e-3, seed=4)
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://emu") as client:
            await client.post("/admin/fault", json={"slow_factor": slow_factor})
            started = time.perf_counter()
            for _ in range(2):
                response = await client.post("/v1/chat/completions", json=_body())
                assert response.status_code == 200
            return time.perf_counter() - started

    normal = statistics.median(asyncio.run(two_calls(1.0)) for _ in range(REPEATS))
    slowed = statistics.median(asyncio.run(two_calls(100.0)) for _ in range(REPEATS))
    print(f"\nslow_factor 100: {slowed * 1000:.1f} ms vs {normal * 1000:.1f} ms, "
          f"{slowed / normal:.0f}x")  # fmt: skip
    assert slowed > 3 * normal


async def _call_and_leave(app: Any, body: dict[str, object]) -> None:
    """One streamed POST at the ASGI level; the client disconnects after the first chunk."""
    first_chunk, sent = asyncio.Event(), False

    async def receive() -> dict[str, Any]:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": orjson.dumps(body), "more_body": False}
        await first_chunk.wait()
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        if message["type"] == "http.response.body" and message.get("body"):
            first_chunk.set()

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": "POST",
        "scheme": "http", "path": "/v1/chat/completions", "raw_path": b"/v1/chat/completions",
        "query_string": b"", "root_path": "", "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 80), "headers": [(b"content-type", b"application/json")],
    }  # fmt: skip
    await app(scope, receive, send)


@pytest.mark.bench
def test_release_after_a_disconnect_against_the_full_stream() -> None:
    time_scale = 0.1  # 2000 tokens at ~51 tokens/s: ~4 s of streaming

    async def leave_at_once() -> float:
        app = create_emulator_app(load_config(), ComputeTier.MEC, time_scale=time_scale)
        backend = app.state.backends[ENDPOINT]
        call = asyncio.create_task(_call_and_leave(app, _body(stream=True, max_tokens=2000)))
        while backend.in_flight == 0:
            await asyncio.sleep(0.001)
        started = time.perf_counter()  # about when the first chunk went out and the client left
        await call
        while backend.in_flight:
            await asyncio.sleep(0.001)
        return time.perf_counter() - started

    endpoint = load_config().endpoint(ENDPOINT)
    full_s = 2000 / endpoint.decode_tokens_per_s * time_scale
    released = statistics.median(asyncio.run(leave_at_once()) for _ in range(REPEATS))
    print(f"\nreleased {released * 1000:.1f} ms after the call began; "
          f"the full stream takes ~{full_s * 1000:.0f} ms ({released / full_s:.1%})")  # fmt: skip
    assert released < 0.25 * full_s
