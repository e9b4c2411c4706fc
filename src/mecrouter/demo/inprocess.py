"""The in-process demo: the four seed scenarios through the full pipeline on emulated tiers.

Each scenario's requests are generated once (seeded) and replayed, with the same arrival times,
through one `Router` per policy: mecrouter and the baselines cloud-only, MEC-only, device-first
and random, all running side by side in the same event loop so they see the same machine load.
Emulated tiers follow the measured profiles of the default config in real time. One scenario kills
the MEC tier half-way through to show failover. Every request leaves a record in the one store
the caller opened.
"""

from __future__ import annotations

import asyncio
import statistics
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from mecrouter.agents.policies import violates_privacy
from mecrouter.backends.emulated import EmulatedBackend
from mecrouter.config import Config
from mecrouter.errors import AllEndpointsFailed, NoRouteError
from mecrouter.pipeline import Router
from mecrouter.prediction import capability_fit, required_capability
from mecrouter.scenarios import SCENARIOS, Scenario, build_requests
from mecrouter.stores import Store
from mecrouter.types import ComputeTier, DecisionRecord, InferenceRequest, PrivacyLevel

__all__ = ["DEMO_POLICIES", "PolicyResult", "run_demo", "run_scenario"]

DEMO_POLICIES = ("mecrouter", "cloud-only", "mec-only", "device-first", "random")


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
    if ep is None:
        return 0.0
    return capability_fit(ep.capability, required_capability(record.complexity_score))


def _violates(config: Config, record: DecisionRecord) -> bool:
    """Served where its data may not go (privacy ceiling or residency)."""
    if not record.actual_endpoint:
        return False
    ep = config.endpoint(record.actual_endpoint)
    level = PrivacyLevel(record.privacy_level)
    return violates_privacy(ep, level, config.default_region, redacted=record.redacted)


async def run_scenario(
    config: Config,
    scenario: Scenario,
    *,
    n: int,
    seed: int,
    store: Store,
    policies: Sequence[str] = DEMO_POLICIES,
    on_done: Callable[[], None] | None = None,
) -> list[PolicyResult]:
    """Replay one scenario through every policy concurrently, recording into ``store`` (which
    stays open: it is the caller's); return what each achieved."""
    requests = build_requests(scenario, n, seed)
    kill_at = requests[n // 2][0] if scenario.kill_tier is not None else None
    results = [PolicyResult(p) for p in policies]
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
    store: Store,
    on_scenario_start: Callable[[Scenario], Callable[[], None]] | None = None,
    scenarios: Sequence[Scenario] = SCENARIOS,
) -> list[tuple[Scenario, list[PolicyResult]]]:
    out = []
    for scenario in scenarios:
        tick = on_scenario_start(scenario) if on_scenario_start else None
        results = await run_scenario(config, scenario, n=n, seed=seed, store=store, on_done=tick)
        out.append((scenario, results))
    return out
