"""What the Bedrock path adds to a call: the same emulated cloud endpoint served once as an
OpenAI-compatible server and once as Bedrock's Converse API, each called through its backend
(`openai_http`, `bedrock`) in turns, so both share the machine's noise. Bedrock's share is boto3's
request building and SigV4 signing, botocore's parsing and the hop to its thread pool.

Run with `make bench`; it prints both p50s and the difference.
"""

from __future__ import annotations

import asyncio
import socket
import subprocess
import sys
import time
from contextlib import closing
from pathlib import Path

import httpx
import pytest

from mecrouter.backends import create_backend
from mecrouter.backends.base import GenerationRequest
from mecrouter.config import EndpointConfig, load_config

CALLS = 500
WARM_UP = 30
NOVA_MICRO = "amazon.nova-micro-v1:0"


def _free_port() -> int:
    with closing(socket.socket()) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def _start(api: str) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    command = [str(Path(sys.executable).parent / "mecrouter"), "emulate", "--tier", "cloud"]
    command += ["--api", api, "--port", str(port), "--time-scale", "0.0001"]
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline:
        try:
            if httpx.get(f"{url}/healthz", timeout=1).status_code == 200:
                return process, url
        except httpx.TransportError:
            time.sleep(0.05)
    process.terminate()
    raise AssertionError(f"the {api} emulator did not start")


@pytest.mark.bench
def test_what_the_bedrock_path_adds(monkeypatch: pytest.MonkeyPatch) -> None:
    pytest.importorskip("boto3")
    monkeypatch.setenv("AWS_ACCESS_KEY_ID", "AKIDEXAMPLE")
    monkeypatch.setenv("AWS_SECRET_ACCESS_KEY", "not-a-secret")
    nova = next(e for e in load_config().endpoints if e.model == NOVA_MICRO)
    servers = {api: _start(api) for api in ("openai", "bedrock")}
    try:
        endpoints = {
            "openai": nova.model_copy(
                update={"backend": "openai_http", "base_url": servers["openai"][1] + "/v1"}
            ),
            "bedrock": nova.model_copy(
                update={"backend": "bedrock", "base_url": servers["bedrock"][1]}
            ),
        }
        p50 = asyncio.run(_p50s(endpoints))
    finally:
        for process, _ in servers.values():
            process.terminate()
            process.wait(timeout=10)
    added = p50["bedrock"] - p50["openai"]
    print(
        f"\ncloud call p50: openai_http {p50['openai']:.2f} ms, bedrock {p50['bedrock']:.2f} ms;"
        f" the Bedrock path adds {added:.2f} ms ({CALLS} calls each, interleaved)"
    )
    assert p50["bedrock"] > 0 and p50["openai"] > 0


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
