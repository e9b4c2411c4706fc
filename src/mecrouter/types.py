"""The data model shared by every part of mecrouter (names follow DESIGN.md).

Input types (`InferenceRequest`, `DeviceInfo`) are pydantic models: they are the trust boundary and
validate every field, raising `InvalidRequestError` naming the field. Types the agents compute
(`ContextAnalysis`, `ResourceState`, `RoutingDecision`, ...) are slotted dataclasses: they are built
on the hot path and trusted. The enumerations live in `enums` and the request analysis and resource
snapshot types in `state` (which `make fast` compiles); this module re-exports them all.
"""

from __future__ import annotations

import dataclasses
import enum
import time
import uuid
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from typing import Annotated, Any, Final, TypeVar

import pydantic
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StringConstraints
from pydantic_core import PydanticCustomError

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
    "CAPABILITIES",
    "CAPABILITY_FIELDS",
    "Choice",
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
    "StreamDelta",
    "enum_member",
    "parse_request",
    "required_capabilities",
    "use_case_name",
]


# --------------------------------------------------------------------------- input (validated)

# What an endpoint may support beyond plain chat (`EndpointConfig.supports`), and the request
# field a capability honours (the `param` of the 400 when no endpoint has it).
CAPABILITY_FIELDS: Final = {
    "tools": "tools",
    "json_mode": "response_format",
    "json_schema": "response_format",
    "stop": "stop",
    "seed": "seed",
    "logprobs": "logprobs",
    "n": "n",
}
CAPABILITIES: Final = frozenset(CAPABILITY_FIELDS)
_NOTHING: Final[frozenset[str]] = frozenset()

_STRICT = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)
_E = TypeVar("_E", bound=enum.Enum)


def enum_member(kind: type[_E], value: Any) -> _E:
    """`value` as a member of `kind`, its value matched in any case and around spaces (every
    enumerated value is lower case, so this is unambiguous); otherwise a `ValueError` listing
    the allowed values, which pydantic reports as it is."""
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        try:
            return kind(value.strip().lower())
        except ValueError:
            pass
    allowed = ", ".join(str(m.value) for m in kind)
    raise PydanticCustomError(
        "enum",
        "must be one of {allowed} (any case); got {got}",
        {"allowed": allowed, "got": _shown(value)},
    )


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else f"{text[:37]}..."


def _member_of(kind: type[_E]) -> BeforeValidator:
    return BeforeValidator(lambda v: v if v is None else enum_member(kind, v))


def _tiers(value: Any) -> Any:
    """A non-empty collection of tier names (any case); a single string is one name."""
    if value is None or isinstance(value, frozenset):
        return value
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list | tuple | set):
        return value  # pydantic reports the type
    if not names:
        allowed = ", ".join(t.value for t in ComputeTier)
        raise PydanticCustomError(
            "too_short", "must name at least one of {allowed}", {"allowed": allowed}
        )
    return frozenset(enum_member(ComputeTier, name) for name in names)


class Message(BaseModel):
    """One chat message (OpenAI shape): an assistant's may carry the tool calls it made, a
    ``tool`` message answers one of them (``tool_call_id``)."""

    model_config = _STRICT
    role: str = Field(pattern=r"^(system|user|assistant|tool|developer)$")
    content: str
    tool_calls: tuple[dict[str, Any], ...] = ()
    tool_call_id: str | None = None
    name: str | None = None


class DeviceInfo(BaseModel):
    """What the requesting device has: memory, battery, local models, connectivity."""

    model_config = _STRICT
    device_id: str = "unknown"
    model: str = "generic"
    memory_mb: int = Field(default=0, ge=0)
    battery_pct: float = Field(default=100.0, ge=0.0, le=100.0)
    local_models: tuple[str, ...] = ()
    network_type: Annotated[NetworkType, _member_of(NetworkType)] = NetworkType.FIVE_G
    connected: bool = True

    @property
    def online(self) -> bool:
        return self.connected and self.network_type is not NetworkType.OFFLINE


# A string kept as sent (a stop sequence may be a newline): the model strips the others.
_Verbatim = Annotated[str, StringConstraints(strip_whitespace=False, min_length=1)]


def _new_id() -> str:
    return uuid.uuid4().hex


class InferenceRequest(BaseModel):
    """One inference request. Build it with `parse_request` to get `InvalidRequestError`s."""

    model_config = _STRICT
    request_id: str = Field(default_factory=_new_id, min_length=1, max_length=128)
    user_id: str = Field(default="anonymous", min_length=1, max_length=256)  # the end user
    # Who made the request and owns its decision and record: the gateway's API key id (None
    # without keys). A caller-chosen `user_id` never stands in for it.
    owner_id: str | None = Field(default=None, min_length=1, max_length=128)
    tenant: str | None = Field(default=None, min_length=1, max_length=128)  # the owner's tenant
    content: str = Field(min_length=1)
    messages: tuple[Message, ...] = ()
    complexity_hint: float | None = Field(default=None, ge=0.0, le=1.0)
    latency_requirement: Annotated[LatencyTier, _member_of(LatencyTier)] = LatencyTier.STANDARD
    latency_slo_ms: int | None = Field(default=None, gt=0, le=3_600_000)
    cost_budget: float | None = Field(default=None, ge=0.0)
    device_info: DeviceInfo = Field(default_factory=DeviceInfo)
    timestamp: float = Field(default_factory=time.time, ge=0.0)
    max_tokens: int | None = Field(default=None, gt=0, le=1_000_000)
    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    top_p: float | None = Field(default=None, ge=0.0, le=1.0)  # nucleus sampling, passed on
    region: str | None = None
    use_case: str = "default"
    privacy: Annotated[PrivacyLevel | None, _member_of(PrivacyLevel)] = None
    allowed_tiers: Annotated[frozenset[ComputeTier] | None, BeforeValidator(_tiers)] = None
    model: str | None = None
    # OpenAI generation options, passed to the endpoint (see `required_capabilities`)
    tools: tuple[dict[str, Any], ...] = ()
    tool_choice: str | dict[str, Any] | None = None
    response_format: dict[str, Any] | None = None
    stop: tuple[_Verbatim, ...] = Field(default=(), max_length=4)
    seed: int | None = None
    logprobs: bool = False
    top_logprobs: int | None = Field(default=None, ge=0, le=20)
    n: int = Field(default=1, ge=1, le=8)
    end_user: str | None = Field(default=None, max_length=256)  # OpenAI's `user`, passed on

    @property
    def latency_requirement_explicit(self) -> bool:
        return "latency_requirement" in self.model_fields_set


def required_capabilities(req: InferenceRequest) -> frozenset[str]:
    """What an endpoint must support to honour `req` (names of `CAPABILITIES`); a request with
    no generation options costs one test."""
    if not (req.tools or req.response_format or req.stop or req.logprobs or req.n > 1) and (
        req.seed is None
    ):
        return _NOTHING
    needs: set[str] = set()
    if req.tools or any(m.tool_calls or m.role == "tool" for m in req.messages):
        needs.add("tools")
    kind = (req.response_format or {}).get("type")
    if kind in ("json_object", "json_schema"):
        needs.add("json_mode" if kind == "json_object" else "json_schema")
    needs.update(
        name
        for name, wanted in (
            ("stop", bool(req.stop)),
            ("seed", req.seed is not None),
            ("logprobs", req.logprobs),
            ("n", req.n > 1),
        )
        if wanted
    )
    return frozenset(needs)


def parse_request(
    data: Mapping[str, Any] | InferenceRequest, use_cases: Collection[str] | None = None
) -> InferenceRequest:
    """Validate `data` into an `InferenceRequest`; any problem raises `InvalidRequestError`.

    Enumerated fields (privacy, tiers, latency class, network type) match in any case. With
    `use_cases` (a config's names) the use case must be one of them, matched as `use_case_name`
    does: an unknown one would silently take the default use case and its (lower) privacy floor.
    """
    if isinstance(data, InferenceRequest):
        req = data
    else:
        if isinstance(data, Mapping) and "content" not in data and data.get("messages"):
            data = {**data, "content": _content_from_messages(data["messages"])}
        try:
            req = InferenceRequest.model_validate(data)
        except pydantic.ValidationError as exc:
            raise _translate(exc) from exc
    if use_cases is not None and req.use_case not in use_cases:
        req = req.model_copy(update={"use_case": use_case_name(req.use_case, use_cases)})
    return req


def use_case_name(name: str, use_cases: Collection[str]) -> str:
    """The one of `use_cases` that `name` means: itself, or the only one equal to it ignoring
    case and surrounding spaces; otherwise `InvalidRequestError` listing the names."""
    if name in use_cases:
        return name
    folded = name.strip().casefold()
    matches = [known for known in use_cases if known.casefold() == folded]
    if len(matches) == 1:
        return matches[0]
    if matches:
        raise InvalidRequestError(
            "use_case",
            f"{name!r} matches several use cases ({', '.join(matches)}); use one exactly",
        )
    raise InvalidRequestError(
        "use_case", f"unknown use case {_shown(name)}; known: {', '.join(use_cases)}"
    )


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
    # The advisor's (`routing.reasoner`) verdict on this decision ("" = off): agreed, overruled,
    # skipped_margin, skipped_budget, circuit_open, timeout, error or unparsable; its reasoning.
    advisor_verdict: str = ""
    advisor_reasoning: str = ""
    advisor_cost_usd: float = 0.0  # what asking the advisor cost (its answer's tokens, priced)

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the field names of DESIGN.md."""
        out = dataclasses.asdict(self)
        out["selected_tier"] = self.selected_tier.value
        out["fallback_options"] = [t.value for t in self.fallback_options]
        return out


@dataclass(slots=True, frozen=True)
class Choice:
    """One more answer of a call asked for several (OpenAI's ``n``)."""

    text: str
    finish_reason: str = "stop"
    tool_calls: tuple[dict[str, Any], ...] = ()
    logprobs: dict[str, Any] | None = None


@dataclass(slots=True)
class Generation:
    """What a backend returns for one call: the first answer, and with ``n`` the others."""

    text: str
    model: str
    input_tokens: int
    output_tokens: int
    latency_ms: float
    ttft_ms: float
    finish_reason: str = "stop"
    tool_calls: tuple[dict[str, Any], ...] = ()  # OpenAI's message.tool_calls
    logprobs: dict[str, Any] | None = None  # OpenAI's choice.logprobs ({"content": [...]})
    more_choices: tuple[Choice, ...] = ()


@dataclass(slots=True, frozen=True)
class StreamDelta:
    """A streamed chunk that carries more than text (plain text chunks are ``str``): tool-call
    fragments as OpenAI streams them, logprobs, or the finish reason."""

    content: str = ""
    tool_calls: tuple[dict[str, Any], ...] = ()
    logprobs: dict[str, Any] | None = None
    finish_reason: str | None = None


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
    owner_id: str = ""  # the API key that made the request ("" = none); user_id is the end user
    # The answering endpoint got the request with its identifiers replaced by placeholders
    # (`privacy.redact_for_cloud`), and how many distinct values were replaced; never the values.
    redacted: bool = False
    redacted_identifiers: int = 0
    # The advisor's verdict on the decision, its reasoning and what asking it cost
    # (`RoutingDecision.advisor_*`); `cost_usd` is the inference's alone.
    advisor_verdict: str = ""
    advisor_reasoning: str = ""
    advisor_cost_usd: float = 0.0

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
