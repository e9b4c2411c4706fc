"""What the Bedrock path adds to a call: the same emulated cloud endpoint served once as an
OpenAI-compatible server and once as Bedrock's Converse API, each called through its backend
(`openai_http`, `bedrock`) in turns, so both share the machine's noise. Bedrock's share is boto3's
request building and SigV4 signing, botocore's parsing and the hop to its thread pool.

Run with `make bench`; it prints both p50s and the difference.
"""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest

from mecrouter.backends import create_backend
from mecrouter.backends.base import GenerationRequest
from mecrouter.config import EndpointConfig, load_config
from mecrouter.gateway.topology import Process, free_port, mecrouter_command

CALLS = 500
WARM_UP = 30
NOVA_MICRO = "amazon.nova-micro-v1:0"
MAX_ADDED_MS = 5.0


def _start(api: str, workdir: Path) -> Process:
    port = free_port()
    argv = [*mecrouter_command(), "emulate", "--tier", "cloud", "--api", api]
    argv += ["--port", str(port), "--time-scale", "0.0001"]
    process = Process(api, argv, f"http://127.0.0.1:{port}/healthz", workdir / f"{api}.log")
    process.start()
    process.wait_ready()
    return process


@pytest.mark.bench
def test_what_the_bedrock_path_adds(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pytest.importorskip("boto3")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-a-secret")
    nova = next(e for e in load_config().endpoints if e.model == NOVA_MICRO)
    servers: dict[str, Process] = {}
    try:
        for api in ("openai", "bedrock"):
            servers[api] = _start(api, tmp_path)
        url = {api: p.health_url.removesuffix("/healthz") for api, p in servers.items()}
        endpoints = {
            "openai": nova.model_copy(
                update={"backend": "openai_http", "base_url": url["openai"] + "/v1"}
            ),
            "bedrock": nova.model_copy(update={"backend": "bedrock", "base_url": url["bedrock"]}),
        }
        p50 = asyncio.run(_p50s(endpoints))
    finally:
        for process in servers.values():
            process.stop()
    added = p50["bedrock"] - p50["openai"]
    print(
        f"\ncloud call p50: openai_http {p50['openai']:.2f} ms, bedrock {p50['bedrock']:.2f} ms;"
        f" the Bedrock path adds {added:.2f} ms ({CALLS} calls each, interleaved)"
    )
    # A cloud call's TTFT is 200-400 ms; the path's own cost must stay a small share of it.
    assert added < MAX_ADDED_MS


async def _p50s(endpoints: dict[str, EndpointConfig]) -> dict[str, float]:
    backends = {api: create_backend(ep) for api, ep in endpoints.items()}
    request = GenerationRequest(
        request_id="b", prompt="Where should this run?", model="", max_tokens=16
    )
    times: dict[str, list[float]] = {api: [] for api in backends}
    try:
        for backend in backends.values():
            for _ in range(WARM_UP):
                await backend.generate(request)
        for _ in range(CALLS):
            for api, backend in backends.items():
                started = time.perf_counter()
                await backend.generate(request)
                times[api].append((time.perf_counter() - started) * 1000)
    finally:
        for backend in backends.values():
            await backend.aclose()
    return {api: sorted(t)[len(t) // 2] for api, t in times.items()}
