"""The data model shared by every part of mecrouter (names follow DESIGN.md).

Input types (`InferenceRequest`, `DeviceInfo`) are pydantic models: they are the trust boundary and
validate every field, raising `InvalidRequestError` naming the field. Types the agents compute
(`ContextAnalysis`, `ResourceState`, `RoutingDecision`, ...) are slotted dataclasses: they are built
on the hot path and trusted. The enumerations live in `enums` and the request analysis and resource
snapshot types in `state` (which `make fast` compiles); this module re-exports them all.
"""

from __future__ import annotations

import dataclasses
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import pydantic
from pydantic import BaseModel, ConfigDict, Field

from mecrouter.enums import (
    CircuitState,
    ComputeTier,
    LatencyTier,
    ModelSize,
    NetworkType,
    PrivacyLevel,
)
from mecrouter.errors import InvalidRequestError
from mecrouter.state import (
    CloudServiceStatus,
    ContextAnalysis,
    DeviceResources,
    EndpointStatus,
    MECNodeStatus,
    NetworkMetrics,
    ResourceState,
)

__all__ = [
    "CircuitState",
    "CloudServiceStatus",
    "ComputeTier",
    "ContextAnalysis",
    "DecisionRecord",
    "DeviceInfo",
    "DeviceResources",
    "EndpointStatus",
    "Generation",
    "InferenceRequest",
    "LatencyTier",
    "MECNodeStatus",
    "Message",
    "ModelSize",
    "NetworkMetrics",
    "NetworkType",
    "PrivacyLevel",
    "ResourceMetric",
    "ResourceState",
    "RoutingDecision",
    "parse_request",
]


# --------------------------------------------------------------------------- input (validated)

_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Message(BaseModel):
    """One chat message (OpenAI shape)."""

    model_config = _STRICT
    role: str = Field(pattern=r"^(system|user|assistant|tool|developer)$")
    content: str


class DeviceInfo(BaseModel):
    """What the requesting device has: memory, battery, local models, connectivity."""

    model_config = _STRICT
    device_id: str = "unknown"
    model: str = "generic"
    memory_mb: int = Field(default=0, ge=0)
    battery_pct: float = Field(default=100.0, ge=0.0, le=100.0)
    local_models: tuple[str, ...] = ()
    network_type: NetworkType = NetworkType.FIVE_G
    connected: bool = True

    @property
    def online(self) -> bool:
        return self.connected and self.network_type is not NetworkType.OFFLINE


def _new_id() -> str:
    return uuid.uuid4().hex


class InferenceRequest(BaseModel):
    """One inference request. Build it with `parse_request` to get `InvalidRequestError`s."""

    model_config = _STRICT
    request_id: str = Field(default_factory=_new_id, min_length=1, max_length=128)
    user_id: str = Field(default="anonymous", min_length=1, max_length=256)
    content: str = Field(min_length=1)
    messages: tuple[Message, ...] = ()
    complexity_hint: float | None = Field(default=None, ge=0.0, le=1.0)
    latency_requirement: LatencyTier = LatencyTier.STANDARD
    latency_slo_ms: int | None = Field(default=None, gt=0, le=3_600_000)
    cost_budget: float | None = Field(default=None, ge=0.0)
    device_info: DeviceInfo = Field(default_factory=DeviceInfo)
    timestamp: float = Field(default_factory=time.time, ge=0.0)
    max_tokens: int | None = Field(default=None, gt=0, le=1_000_000)
    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    region: str | None = None
    use_case: str = "default"
    privacy: PrivacyLevel | None = None
    allowed_tiers: frozenset[ComputeTier] | None = None
    model: str | None = None

    @property
    def latency_requirement_explicit(self) -> bool:
        return "latency_requirement" in self.model_fields_set


def parse_request(data: Mapping[str, Any] | InferenceRequest) -> InferenceRequest:
    """Validate `data` into an `InferenceRequest`; any problem raises `InvalidRequestError`."""
    if isinstance(data, InferenceRequest):
        return data
    if isinstance(data, Mapping) and "content" not in data and data.get("messages"):
        data = {**data, "content": _content_from_messages(data["messages"])}
    try:
        return InferenceRequest.model_validate(data)
    except pydantic.ValidationError as exc:
        raise _translate(exc) from exc


def _content_from_messages(messages: Any) -> str:
    try:
        return "\n".join(str(m["content"]) for m in messages if m.get("content"))
    except (TypeError, KeyError, AttributeError):
        return ""  # the messages field itself will be reported by validation


def _translate(exc: pydantic.ValidationError) -> InvalidRequestError:
    first = exc.errors()[0]
    where = ".".join(str(p) for p in first["loc"]) or "request"
    return InvalidRequestError(where, first["msg"])


# --------------------------------------------------------------------------- computed (trusted)


@dataclass(slots=True)
class RoutingDecision:
    """Where one request goes, why, and what to try if that fails."""

    selected_tier: ComputeTier
    selected_model: str
    confidence_score: float
    reasoning: str
    fallback_options: list[ComputeTier]
    estimated_latency: int  # milliseconds
    estimated_cost: float  # USD
    selected_endpoint: str = ""
    fallback_endpoints: list[str] = field(default_factory=list)
    scores: dict[str, float] = field(default_factory=dict)
    predicted_latency_ms: dict[str, float] = field(default_factory=dict)
    request_id: str = ""
    decision_id: str = field(default_factory=_new_id)
    policy: str = "mecrouter"

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the field names of DESIGN.md."""
        out = dataclasses.asdict(self)
        out["selected_tier"] = self.selected_tier.value
        out["fallback_options"] = [t.value for t in self.fallback_options]
        return out


@dataclass(slots=True)
class Generation:
    """What a backend returns for one call."""

    text: str
    model: str
    input_tokens: int
    output_tokens: int
    latency_ms: float
    ttft_ms: float
    finish_reason: str = "stop"


@dataclass(slots=True)
class DecisionRecord:
    """One row of the RoutingDecisions table: a decision and what happened."""

    request_id: str
    timestamp: float
    user_id: str
    decision_id: str
    use_case: str
    policy: str
    selected_tier: str
    selected_model: str
    selected_endpoint: str
    confidence_score: float
    reasoning: str
    fallback_options: list[str]
    estimated_latency_ms: float
    estimated_cost_usd: float
    slo_ms: float
    privacy_level: str
    complexity_score: float
    success: bool
    slo_met: bool = False
    actual_tier: str = ""
    actual_model: str = ""
    actual_endpoint: str = ""
    latency_ms: float = 0.0
    ttft_ms: float = 0.0
    input_tokens: int = 0
    output_tokens: int = 0
    cost_usd: float = 0.0
    fallbacks_used: int = 0
    cache_hit: bool = False
    network_rtt_ms: float = 0.0
    error: str = ""
    task_type: str = ""  # the ContextAgent's task type (what quality feedback is learned per)
    predicted_quality: float = -1.0  # the predictor's P(good answer) for the answering model
    feedback_score: float = -1.0  # the user's judgement of the answer in [0, 1]; -1 = none yet

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)


@dataclass(slots=True)
class ResourceMetric:
    """One row of the ResourceMetrics table: an endpoint's state at a time (expires at `ttl`)."""

    tier_id: str  # "<tier>:<endpoint_id>"
    timestamp: float
    ttl: float
    healthy: bool
    in_flight: int
    queue_wait_ms: float
    ttft_ms: float
    decode_tokens_per_s: float
    error_rate: float
    circuit_state: str

    def to_dict(self) -> dict[str, Any]:
        return dataclasses.asdict(self)
