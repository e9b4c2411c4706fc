"""One request between its decision and its record, as the pipeline's steps hand it on."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from mecrouter.config import EndpointConfig
from mecrouter.errors import BackendError
from mecrouter.types import ContextAnalysis, InferenceRequest, NetworkMetrics, RoutingDecision

__all__ = ["Attempts", "InFlight"]


@dataclass(slots=True)
class Attempts:
    """The tries made along the fallback chain so far, and why each failed."""

    errors: list[BackendError] = field(default_factory=list)
    tried: int = 0


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
    attempts: Attempts = field(default_factory=Attempts)
    ep: EndpointConfig | None = None  # the endpoint that answered
    rtt_ms: float = 0.0
    waited_ms: float = 0.0  # from the start until the answering attempt began
