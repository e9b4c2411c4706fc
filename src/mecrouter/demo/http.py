"""`mecrouter demo --http`: the seed scenarios through real processes talking over loopback.

Three `mecrouter emulate` servers (device, MEC, cloud) and one `mecrouter serve` gateway with API
keys on are started; the scenarios' requests (the same ones `mecrouter demo` replays in-process)
are sent by the official `openai` SDK with their routing hints in `extra_body`, at their arrival
times. Half-way through the healthcare scenario the MEC server is told to refuse every call
(`POST /admin/fault`), and the gateway must fail over without losing a request. What the client
saw (tier header, latency, fallbacks) is tallied per scenario, and the gateway's decision log is
counted at the end to show that every request left a record.
"""

from __future__ import annotations

import asyncio
import importlib.util
import sqlite3
import statistics
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import httpx
import openai

from mecrouter.config import Config
from mecrouter.gateway.auth import KeyStore
from mecrouter.gateway.topology import LocalTopology
from mecrouter.scenarios import SCENARIOS, Scenario, build_requests
from mecrouter.types import ComputeTier, InferenceRequest

__all__ = ["ChildProcess", "HttpResult", "HttpRun", "run_http_demo"]

_CLIENT_TIMEOUT_S = 60.0


@dataclass(slots=True)
class HttpResult:
    """What the client saw for one scenario."""

    scenario: Scenario
    sent: int = 0
    tiers: list[str] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    fallbacks: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> dict[str, float]:
        n = max(1, len(self.tiers))
        lat = sorted(self.latencies_ms)
        return {
            "device_pct": 100.0 * self.tiers.count("device") / n,
            "mec_pct": 100.0 * self.tiers.count("mec") / n,
            "cloud_pct": 100.0 * self.tiers.count("cloud") / n,
            "p50_ms": statistics.median(lat) if lat else float("nan"),
            "p95_ms": lat[min(len(lat) - 1, int(0.95 * len(lat)))] if lat else float("nan"),
            "success_pct": 100.0 * len(self.tiers) / max(1, self.sent),
            "fallbacks": float(self.fallbacks),
        }


@dataclass(frozen=True, slots=True)
class ChildProcess:
    """One process the demo started: its name, PID and base URL on 127.0.0.1."""

    name: str
    pid: int
    url: str


@dataclass(frozen=True, slots=True)
class HttpRun:
    """The whole run: per scenario what the client saw, the records the gateway logged, the
    processes that ran (all stopped by now), and the topology whose `workdir` holds their logs."""

    results: list[HttpResult]
    recorded: int
    processes: list[ChildProcess]
    topo: LocalTopology


async def run_http_demo(
    config: Config,
    *,
    n: int,
    seed: int,
    on_scenario_start: Callable[[Scenario], Callable[[], None]] | None = None,
    scenarios: Sequence[Scenario] = SCENARIOS,
    time_scale: float = 1.0,
) -> HttpRun:
    """Run every scenario over HTTP; every process started is stopped when this returns. The
    cloud tier is Bedrock-on-the-wire, called with the `bedrock` backend, when boto3 is
    installed (the `aws` extra), and an OpenAI-compatible emulator otherwise."""
    cloud_api = "bedrock" if importlib.util.find_spec("boto3") is not None else "openai"
    topo = LocalTopology(
        config, time_scale=time_scale, gateway_args=(), seed=seed, cloud_api=cloud_api
    )
    with KeyStore(topo.keys_db) as keys:
        secret, _ = keys.create("demo --http")
    results: list[HttpResult] = []
    with topo:
        processes = _children(topo)
        client = openai.AsyncOpenAI(
            base_url=f"{topo.gateway_url}/v1",
            api_key=secret,
            max_retries=0,
            timeout=_CLIENT_TIMEOUT_S,
        )
        try:
            for scenario in scenarios:
                tick = on_scenario_start(scenario) if on_scenario_start else None
                results.append(await _scenario(client, topo, scenario, n, seed, tick))
        finally:
            await client.close()
    return HttpRun(results, _count_records(topo), processes, topo)


def _children(topo: LocalTopology) -> list[ChildProcess]:
    procs = [*topo.emulators.values(), *([topo.gateway] if topo.gateway else [])]
    return [
        ChildProcess(p.name, p.popen.pid, p.health_url.removesuffix("/healthz"))
        for p in procs
        if p.popen is not None
    ]


async def _scenario(
    client: openai.AsyncOpenAI,
    topo: LocalTopology,
    scenario: Scenario,
    n: int,
    seed: int,
    tick: Callable[[], None] | None,
) -> HttpResult:
    requests = build_requests(scenario, n, seed)
    result = HttpResult(scenario)
    kill_at = requests[n // 2][0] if scenario.kill_tier is not None else None
    loop = asyncio.get_running_loop()
    start = loop.time()
    killed = asyncio.Event()

    async def one(offset: float, req: InferenceRequest) -> None:
        await asyncio.sleep(max(0.0, start + offset - loop.time()))
        if kill_at is not None and offset >= kill_at and not killed.is_set():
            killed.set()
            await _take_down(topo, scenario.kill_tier)
        result.sent += 1
        try:
            await _send(client, req, result)
        finally:
            if tick is not None:
                tick()

    await asyncio.gather(*(one(offset, req) for offset, req in requests))
    if scenario.kill_tier is not None:
        await _restore(topo, scenario.kill_tier)
    return result


async def _send(client: openai.AsyncOpenAI, req: InferenceRequest, result: HttpResult) -> None:
    routing = {
        "use_case": req.use_case,
        "device": req.device_info.model_dump(mode="json"),
    }
    started = time.perf_counter()
    try:
        raw = await client.chat.completions.with_raw_response.create(
            model="auto",
            messages=[{"role": "user", "content": req.content}],
            user=req.user_id,
            extra_body={"routing": routing},
            extra_headers={"x-request-id": req.request_id},
        )
        raw.parse()
    except openai.APIError as exc:
        result.errors.append(f"{type(exc).__name__}: {exc}")
        return
    result.latencies_ms.append((time.perf_counter() - started) * 1000.0)
    result.tiers.append(raw.headers.get("x-mecrouter-tier", "?"))
    result.fallbacks += int(raw.headers.get("x-mecrouter-fallbacks", "0"))


async def _take_down(topo: LocalTopology, tier: ComputeTier | None) -> None:
    if tier is None or tier not in topo.emulators:
        return
    async with httpx.AsyncClient() as admin:
        r = await admin.post(f"{topo.emulator_url(tier)}/admin/fault", json={"down": True})
        r.raise_for_status()


async def _restore(topo: LocalTopology, tier: ComputeTier) -> None:
    if tier in topo.emulators:
        async with httpx.AsyncClient() as admin:
            (await admin.delete(f"{topo.emulator_url(tier)}/admin/fault")).raise_for_status()


def _count_records(topo: LocalTopology) -> int:
    with sqlite3.connect(topo.decisions_db) as db:
        return int(db.execute("SELECT count(*) FROM routing_decisions").fetchone()[0])
