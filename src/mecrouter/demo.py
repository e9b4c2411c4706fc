"""`mecrouter demo`: the four seed scenarios through the full pipeline on emulated tiers.

Each scenario's requests are generated once (seeded) and replayed, with the same arrival times,
through one `Router` per policy: mecrouter and the baselines cloud-only, MEC-only, device-first
and random, all running side by side in the same event loop so they see the same machine load.
Emulated tiers follow the measured profiles of the default config in real time. One scenario kills
the MEC tier half-way through to show failover. Every request leaves a record in one SQLite file.
"""

from __future__ import annotations

import asyncio
import random
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from mecrouter.agents.policies import quality_score, violates_privacy
from mecrouter.backends.emulated import EmulatedBackend
from mecrouter.config import Config
from mecrouter.errors import AllEndpointsFailed, NoRouteError
from mecrouter.pipeline import Router
from mecrouter.stores.sqlite import SQLiteStore
from mecrouter.types import (
    ComputeTier,
    DecisionRecord,
    DeviceInfo,
    InferenceRequest,
    NetworkType,
    PrivacyLevel,
)

__all__ = ["DEMO_POLICIES", "SCENARIOS", "PolicyResult", "Scenario", "run_demo", "run_scenario"]

DEMO_POLICIES = ("mecrouter", "cloud-only", "mec-only", "device-first", "random")


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    use_case: str
    prompts: tuple[str, ...]
    local_models: tuple[tuple[str, ...], ...]  # drawn per request
    networks: tuple[NetworkType, ...]
    rate_per_s: float
    kill_tier: ComputeTier | None = None


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        name="gaming NPC dialogue",
        use_case="gaming",
        prompts=(
            "Greet the player who just walked into the tavern.",
            "The blacksmith reacts to the player haggling over a sword price.",
            "Guard: warn the player that the bridge is closed tonight.",
            "Write a witty one-liner for the merchant when the player sells junk.",
            "Compose the dragon's taunt as the boss fight begins in the burning keep.",
        ),
        local_models=(("llama-3.2-1b-instruct",), ("llama-3.2-1b-instruct",), ()),
        networks=(NetworkType.FIVE_G, NetworkType.WIFI, NetworkType.LTE),
        rate_per_s=25.0,
    ),
    Scenario(
        name="automotive safety",
        use_case="automotive",
        prompts=(
            "Pedestrian detected 25 m ahead at 50 km/h on a wet road: brake or steer?",
            "Lane departure warning on the motorway: summarise the required driver action.",
            "Explain step by step how to re-plan the route around the accident on the A14, "
            "comparing the three alternatives by time and fuel.",
            "Cyclist on the right at the junction, turning left: is it safe to proceed?",
        ),
        local_models=(("llama-3.2-3b-instruct", "llama-3.2-1b-instruct"),),
        networks=(NetworkType.FIVE_G, NetworkType.LTE),
        rate_per_s=25.0,
    ),
    Scenario(
        name="healthcare monitoring",
        use_case="healthcare",
        prompts=(
            "Patient MRN 4829103: heart rate 128 bpm, SpO2 91%. Should the nurse be alerted?",
            "Summarise the overnight glucose readings for patient jane.doe@example.org.",
            "Explain why a rising respiratory rate can precede sepsis, step by step.",
            "What does a blood pressure of 150/95 mean for a 60-year-old?",
        ),
        local_models=(("llama-3.2-3b-instruct",),),  # clinic tablets carry a local model
        networks=(NetworkType.WIFI, NetworkType.FIVE_G),
        rate_per_s=10.0,
        kill_tier=ComputeTier.MEC,
    ),
    Scenario(
        name="IoT sensor processing",
        use_case="iot",
        prompts=(
            "sensor 17: temp 21.4C humidity 40% - anomaly?",
            "sensor 03: vibration 0.8g rising for 5 min - classify.",
            "Aggregate the last 60 readings of the air-quality station and flag outliers.",
            "meter 112: flow 0 l/min at 03:00 - leak or normal?",
        ),
        local_models=((), ("llama-3.2-1b-instruct",)),
        networks=(NetworkType.LTE, NetworkType.FIVE_G),
        rate_per_s=30.0,
    ),
)


@dataclass(slots=True)
class PolicyResult:
    policy: str
    sent: int = 0
    records: list[DecisionRecord] = field(default_factory=list)
    failures: int = 0

    def summary(self, config: Config) -> dict[str, float]:
        served = [r for r in self.records if r.success]
        latencies = [
            r.latency_ms if config.use_case(r.use_case).slo_metric == "total" else r.ttft_ms
            for r in served
        ]
        tiers = [r.actual_tier for r in served]
        return {
            "device_pct": _share(tiers, "device"),
            "mec_pct": _share(tiers, "mec"),
            "cloud_pct": _share(tiers, "cloud"),
            "p50_ms": _quantile(latencies, 0.50),
            "p95_ms": _quantile(latencies, 0.95),
            "slo_pct": 100.0 * sum(r.slo_met for r in self.records) / max(1, self.sent),
            "cost_per_1k_usd": 1000.0 * sum(r.cost_usd for r in served) / max(1, self.sent),
            "success_pct": 100.0 * len(served) / max(1, self.sent),
            "quality": statistics.fmean(_quality(config, r) for r in served) if served else 0.0,
            "privacy_violations": float(sum(_violates(config, r) for r in served)),
            "fallbacks": float(sum(r.fallbacks_used for r in self.records)),
        }


def _share(tiers: Sequence[str], tier: str) -> float:
    return 100.0 * tiers.count(tier) / len(tiers) if tiers else 0.0


def _quantile(values: Sequence[float], q: float) -> float:
    if not values:
        return float("nan")
    if len(values) == 1:
        return values[0]
    return statistics.quantiles(values, n=100, method="inclusive")[round(q * 100) - 1]


def _quality(config: Config, record: DecisionRecord) -> float:
    """Predicted answer quality of the model that served (capability vs the prompt's complexity)."""
    ep = config.endpoint(record.actual_endpoint) if record.actual_endpoint else None
    return quality_score(ep.capability, record.complexity_score) if ep else 0.0


def _violates(config: Config, record: DecisionRecord) -> bool:
    """Served where its data may not go (privacy ceiling or residency)."""
    if not record.actual_endpoint:
        return False
    ep = config.endpoint(record.actual_endpoint)
    return violates_privacy(ep, PrivacyLevel(record.privacy_level), config.default_region)


def build_requests(scenario: Scenario, n: int, seed: int) -> list[tuple[float, InferenceRequest]]:
    """The scenario's requests with their arrival offsets (s), identical for every policy."""
    rng = random.Random(f"{scenario.name}/{seed}")
    t = 0.0
    out = []
    for i in range(n):
        t += rng.expovariate(scenario.rate_per_s)
        device = DeviceInfo(
            device_id=f"{scenario.use_case}-dev-{rng.randrange(500)}",
            model="demo-device",
            memory_mb=8192,
            battery_pct=round(rng.uniform(20.0, 100.0), 1),
            local_models=rng.choice(scenario.local_models),
            network_type=rng.choice(scenario.networks),
        )
        req = InferenceRequest(
            request_id=f"{scenario.use_case}-{seed}-{i:05d}",
            user_id=f"user-{rng.randrange(25)}",
            content=f"{rng.choice(scenario.prompts)} (#{rng.randrange(10_000)})",
            use_case=scenario.use_case,
            device_info=device,
        )
        out.append((t, req))
    return out


async def run_scenario(
    config: Config,
    scenario: Scenario,
    *,
    n: int,
    seed: int,
    db_path: Path,
    policies: Sequence[str] = DEMO_POLICIES,
    on_done: Callable[[], None] | None = None,
) -> list[PolicyResult]:
    """Replay one scenario through every policy concurrently; return what each achieved."""
    requests = build_requests(scenario, n, seed)
    kill_at = requests[n // 2][0] if scenario.kill_tier is not None else None
    results = [PolicyResult(p) for p in policies]
    store = SQLiteStore(db_path)
    routers = [Router.from_config(config, store=store, policy=p, seed=seed) for p in policies]
    try:
        await asyncio.gather(
            *(
                _drive(router, res, requests, scenario, kill_at, on_done)
                for router, res in zip(routers, results, strict=True)
            )
        )
    finally:
        for router in routers:
            await router.aclose()
        await store.aclose()
    return results


async def _drive(
    router: Router,
    result: PolicyResult,
    requests: list[tuple[float, InferenceRequest]],
    scenario: Scenario,
    kill_at: float | None,
    on_done: Callable[[], None] | None,
) -> None:
    loop = asyncio.get_running_loop()
    start = loop.time()

    async def one(offset: float, req: InferenceRequest) -> None:
        await asyncio.sleep(max(0.0, start + offset - loop.time()))
        if kill_at is not None and offset >= kill_at and scenario.kill_tier is not None:
            _kill(router, scenario.kill_tier)
        result.sent += 1
        try:
            completion = await router.complete(req)
            result.records.append(completion.record)
        except (NoRouteError, AllEndpointsFailed):
            result.failures += 1
        finally:
            if on_done is not None:
                on_done()

    await asyncio.gather(*(one(offset, req) for offset, req in requests))


def _kill(router: Router, tier: ComputeTier) -> None:
    for ep in router.config.endpoints:
        backend = router.backends[ep.id].inner
        if ep.tier is tier and isinstance(backend, EmulatedBackend):
            backend.set_fault(down=True)


async def run_demo(
    config: Config,
    *,
    n: int,
    seed: int,
    db_path: Path,
    on_scenario_start: Callable[[Scenario], Callable[[], None]] | None = None,
    scenarios: Sequence[Scenario] = SCENARIOS,
) -> list[tuple[Scenario, list[PolicyResult]]]:
    out = []
    for scenario in scenarios:
        tick = on_scenario_start(scenario) if on_scenario_start else None
        results = await run_scenario(
            config, scenario, n=n, seed=seed, db_path=db_path, on_done=tick
        )
        out.append((scenario, results))
    return out
