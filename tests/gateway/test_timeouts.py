"""Bounded time through the gateway (in-process ASGI): a tier that hangs before its first chunk is
left at the first-token timeout, a stream that stalls mid-answer ends at the idle timeout, an
oversized `max_tokens` is a 400, and a client leaving mid-body is a 499 without a traceback."""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import AsyncIterator
from typing import Any

import httpx
import orjson
import pytest
from asgi_scope import post_scope

from mecrouter.backends.emulated import EmulatedBackend
from mecrouter.config import Config, load_config
from mecrouter.gateway.app import GatewaySettings, create_app
from mecrouter.pipeline import Router
from mecrouter.resilience import request_deadline_ms
from mecrouter.stores.memory import MemoryStore

TIME_SCALE = 1.0  # real time: the timeouts under test are real-time timeouts
PHONE = {"device_id": "phone-9", "memory_mb": 8192, "local_models": []}


def _config(**resilience: Any) -> Config:
    raw = load_config().model_dump(mode="json", exclude_none=True)
    raw["resilience"] = {**raw["resilience"], **resilience}
    return load_config(raw)


async def _gateway(config: Config) -> tuple[Any, Router]:
    router = Router.from_config(config, store=MemoryStore(), time_scale=TIME_SCALE)
    return create_app(GatewaySettings(auth=False), router=router), router


def _emulated(router: Router, endpoint_id: str) -> EmulatedBackend:
    backend = router.backends[endpoint_id].inner
    assert isinstance(backend, EmulatedBackend)
    return backend


def chat(**kw: Any) -> dict[str, Any]:
    content = "Greet the player at the tavern door."
    return {"model": "auto", "messages": [{"role": "user", "content": content}], **kw}


@pytest.fixture
async def gw() -> AsyncIterator[tuple[httpx.AsyncClient, Router]]:
    app, router = await _gateway(_config())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            yield client, router


async def _planned(client: httpx.AsyncClient, body: dict[str, Any]) -> str:
    """The endpoint the gateway would try first for `body`."""
    r = await client.post("/v1/route", json=body)
    endpoint: str = r.json()["selected_endpoint"]
    return endpoint


@pytest.mark.parametrize("field", ["max_tokens", "max_completion_tokens"])
async def test_max_tokens_above_every_endpoints_maximum_is_a_400_naming_the_field(
    gw: tuple[httpx.AsyncClient, Router], field: str
) -> None:
    client, router = gw
    largest = max(ep.max_output_tokens for ep in router.config.endpoints)
    body = chat(routing={"use_case": "gaming"}, **{field: largest + 1})
    started = time.monotonic()
    r = await client.post("/v1/chat/completions", json=body)
    assert time.monotonic() - started < 5.0  # refused, not attempted (it took 120 s before)
    assert r.status_code == 400
    assert r.json()["error"]["param"] == field
    ok = await client.post("/v1/route", json=chat(**{field: largest}))
    assert ok.status_code == 200


async def test_an_endpoint_is_never_asked_for_more_than_its_maximum(
    gw: tuple[httpx.AsyncClient, Router],
) -> None:
    client, router = gw
    asked: list[int] = []
    for ep_id in router.backends:
        backend = _emulated(router, ep_id)
        real = backend.generate

        async def spy(request: Any, real: Any = real) -> Any:
            asked.append(request.max_tokens)
            return await real(request)

        backend.generate = spy  # type: ignore[method-assign]
    largest = max(ep.max_output_tokens for ep in router.config.endpoints)
    smallest = min(ep.max_output_tokens for ep in router.config.endpoints)
    assert smallest < largest
    device = {**PHONE, "local_models": ["llama-3.2-1b-instruct"], "network_type": "offline"}
    r = await client.post("/v1/route", json=chat(max_tokens=largest, routing={"device": device}))
    assert r.json()["selected_tier"] == "device"
    for ep_id in router.backends:  # answer at once: only the size asked matters here
        _emulated(router, ep_id)._time_scale = 1e-6
    r = await client.post(
        "/v1/chat/completions", json=chat(max_tokens=largest, routing={"device": device})
    )
    assert r.status_code == 200 and r.headers["x-mecrouter-tier"] == "device"
    assert asked == [smallest]


async def test_a_tier_hanging_before_its_first_chunk_is_left_at_the_first_token_timeout(
    gw: tuple[httpx.AsyncClient, Router],
) -> None:
    client, router = gw
    body = chat(stream=True, max_tokens=400, routing={"use_case": "default", "device": PHONE})
    first = await _planned(client, body)
    _emulated(router, first).set_fault(hang=True)
    started = time.monotonic()
    r = await client.post("/v1/chat/completions", json=body)
    waited_s = time.monotonic() - started
    assert r.status_code == 200
    assert r.headers["x-mecrouter-endpoint"] != first
    assert r.headers["x-mecrouter-fallbacks"] == "1"
    whole_answer_s = 400 / router.config.endpoint(first).decode_tokens_per_s
    # The first attempt gave up at its first-token timeout, well before a whole answer's time.
    assert waited_s < whole_answer_s


async def test_a_stream_stalling_after_its_first_chunk_ends_at_the_idle_timeout(
    gw: tuple[httpx.AsyncClient, Router],
) -> None:
    client, router = gw
    idle_s = router.config.resilience.stream_idle_timeout_ms / 1000.0
    body = chat(stream=True, max_tokens=4000, routing={"use_case": "default", "device": PHONE})
    first = await _planned(client, body)
    _emulated(router, first).set_fault(stall_after_first_chunk=True)
    started = time.monotonic()
    async with asyncio.timeout(idle_s * 4):
        r = await client.post("/v1/chat/completions", json=body)
    waited_s = time.monotonic() - started
    events = [line[6:] for line in r.text.splitlines() if line.startswith("data: ")]
    error = orjson.loads(events[-1])["error"]
    assert error["code"] == "upstream_failed_mid_stream"
    assert "no chunk for" in error["message"]
    assert idle_s <= waited_s < idle_s * 3
    assert router.breakers[first].failure_count == 1


async def test_a_whole_request_ends_within_its_deadline_when_every_tier_hangs() -> None:
    app, router = await _gateway(_config())
    for ep_id in router.backends:
        _emulated(router, ep_id).set_fault(hang=True)
    body = chat(routing={"use_case": "gaming", "device": PHONE})
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            decision = (await client.post("/v1/route", json=body)).json()
            slowest_ms = max(decision["predicted_latency_ms"].values())
            slo_ms = router.config.use_case("gaming").latency_slo_ms
            deadline_s = request_deadline_ms(slo_ms, slowest_ms, router.config.resilience) / 1000
            started = time.monotonic()
            r = await client.post("/v1/chat/completions", json=body)
            waited_s = time.monotonic() - started
    assert r.status_code == 503
    assert waited_s < deadline_s + 0.5


async def test_a_client_leaving_mid_body_is_a_499_logged_in_one_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    app, _ = await _gateway(_config())
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        if not sent:
            sent.append({})
            return {"type": "http.request", "body": b'{"model": "auto", "mess', "more_body": True}
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = post_scope("/v1/chat/completions", b"gw")
    caplog.set_level(logging.INFO)
    async with app.router.lifespan_context(app):
        scope["state"] = {}
        await app(scope, receive, send)
        metrics = app.state.gw.metrics.render().decode()
    start = next(m for m in sent if m.get("type") == "http.response.start")
    assert start["status"] == 499
    assert 'mecrouter_http_errors_total{code="client_closed_request",status="499"} 1.0' in metrics
    assert 'status="500"' not in metrics
    assert not [r for r in caplog.records if r.exc_info]
    assert any("client closed the request" in r.getMessage() for r in caplog.records)
