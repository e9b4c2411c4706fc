"""Circuit breakers, deadlines and a breaker-guarded backend wrapper.

Resilience is composition: `GuardedBackend` wraps any backend with its endpoint's circuit breaker
and exposes the same interface, so the pipeline's failover loop stays a plain loop over backends.
Time always comes from an injected `Clock`.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Protocol

from mecrouter.backends.base import Backend, Chunk, GenerationRequest
from mecrouter.breaker import CircuitBreaker, attempt_timeout_ms, request_deadline_ms
from mecrouter.config import Config
from mecrouter.errors import BackendError, CircuitOpenError, NoRouteError
from mecrouter.types import (
    ComputeTier,
    ContextAnalysis,
    Generation,
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


class GuardedBackend:
    """A backend behind its endpoint's circuit breaker: same interface, fails fast when open."""

    def __init__(
        self, inner: Backend, breaker: CircuitBreaker, clock: Clock, *, tier: str, endpoint: str
    ) -> None:
        self.inner = inner
        self.breaker = breaker
        self._clock = clock
        self._tier = tier
        self._endpoint = endpoint

    def _admit(self) -> None:
        now = self._clock.monotonic()
        if not self.breaker.allow(now):
            raise CircuitOpenError(
                "circuit open",
                tier=self._tier,
                endpoint=self._endpoint,
                retry_after_s=self.breaker.retry_after_s(now),
            )

    async def generate(self, request: GenerationRequest) -> Generation:
        self._admit()
        try:
            result = await self.inner.generate(request)
        except (BackendError, TimeoutError):
            self.breaker.record_failure(self._clock.monotonic())
            raise
        self.breaker.record_success(self._clock.monotonic())
        return result

    async def stream(self, request: GenerationRequest) -> AsyncIterator[Chunk]:
        self._admit()
        try:
            async for chunk in self.inner.stream(request):
                yield chunk
        except (BackendError, TimeoutError):
            self.breaker.record_failure(self._clock.monotonic())
            raise
        self.breaker.record_success(self._clock.monotonic())

    async def aclose(self) -> None:
        await self.inner.aclose()


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
        and context.privacy_level <= ep.privacy_ceiling
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
