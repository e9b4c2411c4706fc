"""One request between its decision and its record, as the pipeline's steps hand it on."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from mecrouter.config import EndpointConfig
from mecrouter.pipeline.failover import Failover
from mecrouter.pipeline.redaction import Redaction
from mecrouter.types import ContextAnalysis, InferenceRequest, NetworkMetrics, RoutingDecision

__all__ = ["InFlight"]


@dataclass(slots=True)
class InFlight:
    """One request in flight: what it is, where it is going and how it went so far."""

    req: InferenceRequest
    context: ContextAnalysis
    network: NetworkMetrics
    decision: RoutingDecision
    started: float  # monotonic seconds
    key: str | None  # response-cache key; None: the request may not use a cache (sampled)
    vector: Any = None  # the prompt's embedding, when one was computed (for the semantic cache)
    failover: Failover | None = None  # its way down the fallback chain, once dispatched
    ep: EndpointConfig | None = None  # the endpoint that answered
    rtt_ms: float = 0.0
    waited_ms: float = 0.0  # from the start until the answering attempt began
    redaction: Redaction | None = None  # its redacted form, once an endpoint needed it
    redacted: bool = False  # the endpoint that answered got the redacted form

    @property
    def fallbacks(self) -> int:
        """How far down its chain the request went (0: never dispatched, or the first)."""
        return 0 if self.failover is None else self.failover.fallbacks
