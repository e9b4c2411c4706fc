"""The gateway in-process (ASGI): OpenAI wire format, hints, errors, auth, limits, metrics."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import orjson
import pytest

from mecrouter.config import Config, load_config
from mecrouter.gateway.app import GatewaySettings, create_app
from mecrouter.gateway.auth import KeyStore
from mecrouter.pipeline import Router
from mecrouter.stores.memory import MemoryStore

TIME_SCALE = 0.01
PHONE = {"device_id": "phone-7", "memory_mb": 8192, "local_models": ["llama-3.2-1b-instruct"]}


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


@asynccontextmanager
async def _client(
    config: Config, tmp_path: Path, *, auth: bool, **settings: Any
) -> AsyncIterator[tuple[httpx.AsyncClient, Router, KeyStore | None]]:
    router = Router.from_config(config, store=MemoryStore(), time_scale=TIME_SCALE)
    keys = KeyStore(tmp_path / "keys.sqlite3") if auth else None
    app = create_app(
        GatewaySettings(auth=auth, keys_db=tmp_path / "keys.sqlite3", **settings),
        router=router,
        keys=keys,
    )
    async with app.router.lifespan_context(app):
        # Like uvicorn, answer with the error handler's response rather than re-raising here.
        transport = httpx.ASGITransport(app=app, raise_app_exceptions=False)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            yield client, router, keys


@pytest.fixture
async def gw(config: Config, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async with _client(config, tmp_path, auth=False) as (client, _, _):
        yield client


def chat(content: str = "Greet the player at the tavern door.", **kw: Any) -> dict[str, Any]:
    return {"model": "auto", "messages": [{"role": "user", "content": content}], **kw}


def error_of(response: httpx.Response) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"}, body
    err: dict[str, Any] = body["error"]
    assert set(err) == {"message", "type", "param", "code"}
    return err


async def test_chat_completion_has_the_openai_shape_and_routing_headers(
    gw: httpx.AsyncClient,
) -> None:
    r = await gw.post("/v1/chat/completions", json=chat(routing={"device": PHONE}))
    assert r.status_code == 200
    body = r.json()
    assert body["object"] == "chat.completion" and body["id"].startswith("chatcmpl-")
    [choice] = body["choices"]
    assert choice["message"]["role"] == "assistant" and choice["message"]["content"]
    assert choice["finish_reason"] == "stop"
    usage = body["usage"]
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"] > 0
    assert body["model"] == r.headers["x-mecrouter-model"]
    assert r.headers["x-mecrouter-tier"] in {"device", "mec", "cloud"}
    assert r.headers["x-mecrouter-fallbacks"] == "0"
    decision = (await gw.get(f"/v1/decisions/{r.headers['x-mecrouter-decision-id']}")).json()
    assert decision["selected_endpoint"] == r.headers["x-mecrouter-endpoint"]
    assert decision["reasoning"] and decision["scores"]
    assert decision["outcome"]["success"] is True
    assert decision["outcome"]["actual_endpoint"] == r.headers["x-mecrouter-endpoint"]


async def test_streaming_sends_role_content_finish_usage_then_done(gw: httpx.AsyncClient) -> None:
    body = chat(stream=True, max_tokens=20, stream_options={"include_usage": True})
    async with gw.stream("POST", "/v1/chat/completions", json=body) as r:
        assert r.status_code == 200 and r.headers["content-type"].startswith("text/event-stream")
        assert r.headers["x-mecrouter-endpoint"]
        events = [line[6:] async for line in r.aiter_lines() if line.startswith("data: ")]
    assert events[-1] == "[DONE]"
    chunks = [orjson.loads(e) for e in events[:-1]]
    assert chunks[0]["choices"][0]["delta"] == {"role": "assistant", "content": ""}
    text = "".join(c["choices"][0]["delta"].get("content", "") for c in chunks if c["choices"])
    assert len(text.split()) == 20
    assert chunks[-2]["choices"][0]["finish_reason"] == "stop"
    assert chunks[-1]["choices"] == [] and chunks[-1]["usage"]["completion_tokens"] > 0


async def test_phi_with_hints_in_headers_never_goes_to_the_cloud(gw: httpx.AsyncClient) -> None:
    phi = "Patient MRN 4829103, glucose 310 mg/dL: should insulin be adjusted?"
    headers = {"x-mecrouter-use-case": "healthcare", "x-mecrouter-device": orjson.dumps(PHONE)}
    for _ in range(3):
        r = await gw.post("/v1/chat/completions", json=chat(phi), headers=headers)
        assert r.status_code == 200 and r.headers["x-mecrouter-tier"] != "cloud"


async def test_body_hints_win_over_headers(gw: httpx.AsyncClient) -> None:
    r = await gw.post(
        "/v1/route",
        json=chat(routing={"latency_slo_ms": 50, "device": PHONE}),
        headers={"x-mecrouter-latency-slo-ms": "5000"},
    )
    assert r.status_code == 200
    assert "50 ms SLO" in r.json()["reasoning"]


async def test_naming_a_model_pins_the_request_and_unknown_models_are_404(
    gw: httpx.AsyncClient,
) -> None:
    r = await gw.post("/v1/chat/completions", json={**chat(), "model": "amazon.nova-pro-v1:0"})
    assert r.status_code == 200 and r.headers["x-mecrouter-endpoint"] == "cloud-nova-pro"
    r = await gw.post("/v1/chat/completions", json={**chat(), "model": "gpt-17"})
    assert r.status_code == 404
    err = error_of(r)
    assert err["code"] == "model_not_found" and err["param"] == "model"


@pytest.mark.parametrize(
    ("body", "headers", "param"),
    [
        (chat() | {"messages": [{"role": "robot", "content": "hi"}]}, {}, "messages.0.role"),
        (chat() | {"messages": []}, {}, "messages"),
        (chat(n=9), {}, "n"),
        (chat(temperature=7), {}, "temperature"),
        (chat(top_p=1.5), {}, "top_p"),
        (chat(routing={"device": {"battery_pct": 140}}), {}, "routing.device.battery_pct"),
        (chat(routing={"speed": "fast"}), {}, "routing.speed"),
        (chat(routing={"privacy": "secret"}), {}, "routing.privacy"),
        (chat(), {"x-mecrouter-latency-slo-ms": "soon"}, "x-mecrouter-latency-slo-ms"),
        (chat(), {"x-mecrouter-device": "{not json"}, "x-mecrouter-device"),
    ],
)
async def test_bad_input_is_a_400_naming_the_field(
    gw: httpx.AsyncClient, body: dict[str, Any], headers: dict[str, str], param: str
) -> None:
    r = await gw.post("/v1/chat/completions", json=body, headers=headers)
    assert r.status_code == 400, r.text
    assert error_of(r)["param"] == param


async def test_malformed_json_is_a_400(gw: httpx.AsyncClient) -> None:
    r = await gw.post(
        "/v1/chat/completions", content=b"{bad", headers={"content-type": "application/json"}
    )
    assert r.status_code == 400 and error_of(r)["code"] == "invalid_json"


async def test_oversized_bodies_are_413_declared_or_streamed(
    config: Config, tmp_path: Path
) -> None:
    async with _client(config, tmp_path, auth=False, max_body_bytes=2048) as (client, _, _):
        big = chat("x" * 5000)
        r = await client.post("/v1/chat/completions", json=big)
        assert r.status_code == 413 and error_of(r)["code"] == "request_too_large"

        async def chunks() -> AsyncIterator[bytes]:
            for _ in range(10):
                yield b" " * 1000  # no content-length: the limit is counted as it arrives

        r = await client.post("/v1/chat/completions", content=chunks())
        assert r.status_code == 413


async def test_internal_errors_are_500_json_without_internals(
    config: Config, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    async with _client(config, tmp_path, auth=False) as (client, router, _):

        async def explode(*args: object, **kwargs: object) -> None:
            raise RuntimeError("secret internal detail")

        monkeypatch.setattr(router, "complete", explode)
        r = await client.post("/v1/chat/completions", json=chat())
        assert r.status_code == 500
        assert error_of(r)["code"] == "internal_error"
        assert "secret" not in r.text and "Traceback" not in r.text


async def test_every_endpoint_down_is_a_503_with_retry_after(
    config: Config, tmp_path: Path
) -> None:
    async with _client(config, tmp_path, auth=False) as (client, router, _):
        for backend in router.backends.values():
            backend.inner.set_fault(down=True)  # type: ignore[attr-defined]
        r = await client.post("/v1/chat/completions", json=chat(routing={"device": PHONE}))
        assert r.status_code == 503 and r.headers["retry-after"]
        assert error_of(r)["code"] == "all_endpoints_failed"
        assert "x-should-retry" not in r.headers  # failed fast: a retry may find a tier back


async def test_api_keys_are_required_checked_and_revocable(
    config: Config, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    async with _client(config, tmp_path, auth=True) as (client, _, keys):
        assert keys is not None
        secret, key = keys.create("tests")
        r = await client.post("/v1/chat/completions", json=chat())
        assert r.status_code == 401 and error_of(r)["code"] == "missing_api_key"
        bad = {"authorization": "Bearer mk-00000000-nope"}
        r = await client.post("/v1/chat/completions", json=chat(), headers=bad)
        assert r.status_code == 401 and error_of(r)["code"] == "invalid_api_key"
        good = {"authorization": f"Bearer {secret}"}
        assert (await client.post("/v1/chat/completions", json=chat(), headers=good)).is_success
        keys.revoke(key.key_id)
        r = await client.post("/v1/chat/completions", json=chat(), headers=good)
        assert r.status_code == 401
    assert secret not in caplog.text


async def test_rate_limit_is_429_with_retry_after(config: Config, tmp_path: Path) -> None:
    async with _client(config, tmp_path, auth=True) as (client, _, keys):
        assert keys is not None
        secret, _ = keys.create("slow client", rpm_limit=2)
        auth = {"authorization": f"Bearer {secret}"}
        codes = [
            (await client.post("/v1/route", json=chat(), headers=auth)).status_code
            for _ in range(3)
        ]
        assert codes == [200, 200, 429]
        r = await client.post("/v1/route", json=chat(), headers=auth)
        assert int(r.headers["retry-after"]) >= 1
        assert error_of(r)["code"] == "rate_limit_exceeded"


async def test_spend_budget_is_enforced_with_402(config: Config, tmp_path: Path) -> None:
    async with _client(config, tmp_path, auth=True) as (client, _, keys):
        assert keys is not None
        secret, key = keys.create("tight budget", budget_usd=0.00001)
        auth = {"authorization": f"Bearer {secret}"}
        pinned = {**chat("Summarise the quarterly report."), "model": "amazon.nova-pro-v1:0"}
        statuses = []
        for _ in range(5):
            statuses.append(
                (await client.post("/v1/chat/completions", json=pinned, headers=auth)).status_code
            )
        assert statuses[0] == 200 and statuses[-1] == 402
        assert keys.spent_usd(key.key_id) >= 0.00001


async def test_metrics_count_requests_per_tier_and_circuit_states(gw: httpx.AsyncClient) -> None:
    r = await gw.post("/v1/chat/completions", json=chat(routing={"device": PHONE}))
    tier, endpoint = r.headers["x-mecrouter-tier"], r.headers["x-mecrouter-endpoint"]
    text = (await gw.get("/metrics")).text
    assert f'endpoint="{endpoint}",model=' in text or f'endpoint="{endpoint}"' in text
    assert f'mecrouter_requests_total{{endpoint="{endpoint}"' in text or f'tier="{tier}"' in text
    assert "mecrouter_request_latency_seconds_bucket" in text
    assert 'mecrouter_circuit_state{endpoint="cloud-nova-pro"} 0.0' in text


async def test_models_health_and_readiness(gw: httpx.AsyncClient) -> None:
    models = (await gw.get("/v1/models")).json()
    ids = [m["id"] for m in models["data"]]
    assert ids[0] == "auto" and "amazon.nova-micro-v1:0" in ids
    assert (await gw.get("/healthz")).json() == {"status": "ok"}
    ready = (await gw.get("/readyz")).json()
    assert ready["status"] == "ready" and ready["open_circuits"] == []


async def test_unknown_routes_and_decisions_are_404_json(gw: httpx.AsyncClient) -> None:
    r = await gw.get("/v1/nothing-here")
    assert r.status_code == 404 and error_of(r)["code"] == "not_found"
    r = await gw.get("/v1/decisions/feedfacefeedface")
    assert r.status_code == 404 and error_of(r)["code"] == "decision_not_found"
