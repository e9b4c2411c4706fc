"""Circuit breakers, deadlines, clocks, each endpoint's backend paired with its breaker, and the
rule-only route used when the RouterAgent fails. Time always comes from an injected `Clock`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Protocol

from mecrouter.backends.base import Backend
from mecrouter.breaker import CircuitBreaker, attempt_timeout_ms, request_deadline_ms
from mecrouter.config import Config
from mecrouter.errors import NoRouteError
from mecrouter.types import (
    ComputeTier,
    ContextAnalysis,
    InferenceRequest,
    ResourceState,
    RoutingDecision,
)

__all__ = [
    "CircuitBreaker",
    "Clock",
    "GuardedBackend",
    "SystemClock",
    "attempt_timeout_ms",
    "request_deadline_ms",
    "static_decision",
]


class Clock(Protocol):
    """Wall time (epoch seconds, for records) and a monotonic time (seconds, for durations)."""

    def time(self) -> float: ...

    def monotonic(self) -> float: ...


class SystemClock:
    def time(self) -> float:
        return time.time()

    def monotonic(self) -> float:
        return time.monotonic()


@dataclass(slots=True)
class GuardedBackend:
    """An endpoint's backend and the circuit breaker its calls pass. The failover loop
    (`pipeline.failover`) admits each call through the breaker and counts its outcome; health
    probes call `inner` directly and report to the breaker themselves."""

    inner: Backend
    breaker: CircuitBreaker


def static_decision(
    config: Config, context: ContextAnalysis, state: ResourceState, req: InferenceRequest
) -> RoutingDecision:
    """Rule-only route used when the RouterAgent fails: device, then MEC, then cloud, keeping only
    the hard rules that need no prediction (privacy ceiling, connectivity, local model)."""
    dev = state.device_resources
    usable = [
        ep
        for tier in (ComputeTier.DEVICE, ComputeTier.MEC, ComputeTier.CLOUD)
        for ep in config.endpoints
        if ep.tier is tier
        and config.privacy.admits(context.privacy_level, ep.privacy_ceiling)
        and (
            ep.model in dev.local_models
            if tier is ComputeTier.DEVICE
            else state.network_conditions.connected
        )
    ]
    if not usable:
        raise NoRouteError(req.request_id, {"static": "no endpoint passes the hard rules"})
    first, rest = usable[0], usable[1 : 1 + config.resilience.max_fallbacks]
    return RoutingDecision(
        selected_tier=first.tier,
        selected_model=first.model,
        confidence_score=0.1,
        reasoning="router agent unavailable: static order device > mec > cloud",
        fallback_options=list(dict.fromkeys(ep.tier for ep in rest)),
        estimated_latency=0,
        estimated_cost=0.0,
        selected_endpoint=first.id,
        fallback_endpoints=[ep.id for ep in rest],
        policy="static",
    )
