"""The one DecisionRecord every request leaves, served or not.

`Recorder` builds the record from the request, its decision and how it was served, and writes it
through the MonitorAgent, whose listeners (the ResourceAgent's estimates, the gateway's metrics)
learn from it before it reaches the store.
"""

from __future__ import annotations

from dataclasses import dataclass

from mecrouter.agents.monitor import MonitorAgent
from mecrouter.agents.response_cache import CachedResponse
from mecrouter.agents.router import RouterAgent
from mecrouter.config import Config
from mecrouter.pipeline.inflight import InFlight
from mecrouter.resilience import Clock
from mecrouter.types import (
    ContextAnalysis,
    DecisionRecord,
    Generation,
    InferenceRequest,
    RoutingDecision,
)

__all__ = ["Completion", "Recorder"]


@dataclass(slots=True)
class Completion:
    """A served request: the answer, the decision behind it and the record that was logged."""

    text: str
    decision: RoutingDecision
    record: DecisionRecord
    generation: Generation | None = None


class Recorder:
    """Builds and writes the records; `router_agent` names the policy and its expected quality."""

    def __init__(
        self, config: Config, clock: Clock, router_agent: RouterAgent, monitor: MonitorAgent
    ) -> None:
        self.config = config
        self.clock = clock
        self.router_agent = router_agent
        self.monitor = monitor

    async def write(self, record: DecisionRecord) -> None:
        await self.monitor.track_performance(record)

    def served(self, s: InFlight, gen: Generation) -> DecisionRecord:
        """The record of an answer from `s.ep` (not written yet: the caller caches it first)."""
        req, context, decision, started, ep = s.req, s.context, s.decision, s.started, s.ep
        assert ep is not None  # set by the dispatcher before anything is served
        latency_ms = (self.clock.monotonic() - started) * 1000.0
        ttft_ms = min(s.waited_ms + gen.ttft_ms, latency_ms)
        record = self._record(req, context, decision, success=True, error="")
        record.actual_tier, record.actual_model, record.actual_endpoint = (
            ep.tier.value,
            ep.model,
            ep.id,
        )
        record.latency_ms, record.ttft_ms, record.network_rtt_ms = latency_ms, ttft_ms, s.rtt_ms
        record.input_tokens, record.output_tokens = gen.input_tokens, gen.output_tokens
        record.cost_usd = ep.price.cost_usd(gen.input_tokens, gen.output_tokens)
        record.fallbacks_used = s.fallbacks
        record.slo_met = self._slo_met(context, ttft_ms, latency_ms)
        record.predicted_quality = self.router_agent.prior_quality_of(context, ep.id)
        if s.redacted and s.redaction is not None:
            record.redacted, record.redacted_identifiers = True, s.redaction.count
        return record

    async def cache_hit(
        self,
        req: InferenceRequest,
        context: ContextAnalysis,
        hit: CachedResponse,
        started: float,
        why: str = "cache hit",
    ) -> Completion:
        """Serve (and record) an answer replayed from a cache."""
        latency_ms = (self.clock.monotonic() - started) * 1000.0
        decision = RoutingDecision(
            selected_tier=hit.tier,
            selected_model=hit.model,
            confidence_score=1.0,
            reasoning=f"{why}: answer from {hit.endpoint} replayed",
            fallback_options=[],
            estimated_latency=0,
            estimated_cost=0.0,
            selected_endpoint=hit.endpoint,
            request_id=req.request_id,
            policy="cache",
        )
        record = self._record(req, context, decision, success=True, error="")
        record.actual_tier, record.actual_model, record.actual_endpoint = (
            hit.tier.value,
            hit.model,
            hit.endpoint,
        )
        record.latency_ms = record.ttft_ms = latency_ms
        record.output_tokens = hit.output_tokens
        record.cache_hit = True
        record.slo_met = True
        record.predicted_quality = self.router_agent.prior_quality_of(context, hit.endpoint)
        await self.write(record)
        return Completion(hit.text, decision, record, None)

    async def unserved(self, s: InFlight, error: str) -> None:
        """Record a request that was decided but not answered."""
        await self._unserved(s.req, s.context, s.decision, s.started, error, s.fallbacks)

    async def no_route(
        self, req: InferenceRequest, context: ContextAnalysis, started: float, error: str
    ) -> None:
        """Record a request for which no endpoint could be chosen."""
        await self._unserved(req, context, None, started, error, 0)

    async def _unserved(
        self,
        req: InferenceRequest,
        context: ContextAnalysis,
        decision: RoutingDecision | None,
        started: float,
        error: str,
        fallbacks: int,
    ) -> None:
        record = self._record(req, context, decision, success=False, error=error)
        record.latency_ms = (self.clock.monotonic() - started) * 1000.0
        record.fallbacks_used = fallbacks
        await self.write(record)

    def _record(
        self,
        req: InferenceRequest,
        context: ContextAnalysis,
        decision: RoutingDecision | None,
        *,
        success: bool,
        error: str,
    ) -> DecisionRecord:
        d = decision
        return DecisionRecord(
            request_id=req.request_id,
            timestamp=self.clock.time(),
            user_id=req.user_id,
            owner_id=req.owner_id or "",
            decision_id=d.decision_id if d else "",
            use_case=context.use_case,
            policy=d.policy if d else self.router_agent.policy.name,
            selected_tier=d.selected_tier.value if d else "",
            selected_model=d.selected_model if d else "",
            selected_endpoint=d.selected_endpoint if d else "",
            confidence_score=d.confidence_score if d else 0.0,
            reasoning=d.reasoning if d else "",
            fallback_options=[t.value for t in d.fallback_options] if d else [],
            estimated_latency_ms=float(d.estimated_latency) if d else 0.0,
            estimated_cost_usd=d.estimated_cost if d else 0.0,
            slo_ms=float(context.latency_requirement),
            privacy_level=context.privacy_level.value,
            complexity_score=context.complexity_score,
            success=success,
            error=error,
            task_type=context.task_type,
            advisor_verdict=d.advisor_verdict if d else "",
            advisor_reasoning=d.advisor_reasoning if d else "",
            advisor_cost_usd=d.advisor_cost_usd if d else 0.0,
        )

    def _slo_met(self, context: ContextAnalysis, ttft_ms: float, latency_ms: float) -> bool:
        metric_total = self.config.use_case(context.use_case).slo_metric == "total"
        return (latency_ms if metric_total else ttft_ms) <= context.latency_requirement
