"""The hard constraints of routing: what rules an endpoint out before any prediction.

Two kinds, both plain strings saying why ("" when the endpoint may serve):

* **policy** reasons (`excluded_by_rules`): privacy ceiling (which a SENSITIVE request passes
  when it will be redacted, `PrivacyConfig.admits`), data residency for regulated data, the
  request's tier and model choices, the OpenAI options it needs (tools, JSON schema,
  logprobs...) that the endpoint does not support. They depend only on the endpoint and the
  request's rules, so `RuleExclusions` memoises them per rule combination; the budget is
  checked by the router once the cost is predicted.
* **physical** reasons (`blocked_reason`): failover exclusion, open circuit, health,
  connectivity, and for the device its models, memory and battery. Every policy obeys these.

`EndpointProfile` holds the per-endpoint constants the router's hot loop reads. This module is
compiled with the router (`make fast`): keep it plain typed classes and functions.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from mecrouter.config import EndpointConfig, PrivacyConfig
from mecrouter.types import (
    CircuitState,
    ComputeTier,
    ContextAnalysis,
    EndpointStatus,
    InferenceRequest,
    PrivacyLevel,
    ResourceState,
    required_capabilities,
)

__all__ = [
    "EndpointProfile",
    "RequestRules",
    "RuleExclusions",
    "blocked_reason",
    "excluded_by_rules",
]

_NONE: frozenset[str] = frozenset()
_EXCLUSION_MEMO_SIZE = 256  # distinct (privacy, region, tiers, pinned model) combinations kept


@dataclass(slots=True, frozen=True)
class EndpointProfile:
    """Per-endpoint constants the hot path needs, computed once (config objects are slower)."""

    ep: EndpointConfig
    id: str
    model: str
    region: str
    tier: ComputeTier
    is_device: bool
    is_mec: bool
    node: str
    memory_mb: int
    capability: float
    ttft_ms: float
    ref_tokens: int
    prefill_ms_per_token: float
    in_usd_per_token: float
    out_usd_per_token: float
    ceiling_rank: int
    location: str
    quality_model: str | None
    quality_scale: float
    supports: frozenset[str]

    @classmethod
    def of(cls, ep: EndpointConfig) -> EndpointProfile:
        return cls(
            ep=ep,
            id=ep.id,
            model=ep.model,
            region=ep.region,
            tier=ep.tier,
            is_device=ep.tier is ComputeTier.DEVICE,
            is_mec=ep.tier is ComputeTier.MEC,
            node=ep.node,
            memory_mb=ep.memory_mb,
            capability=ep.capability,
            ttft_ms=ep.ttft_ms,
            ref_tokens=ep.ttft_ref_tokens,
            prefill_ms_per_token=ep.prefill_ms_per_1k_tokens / 1000.0,
            in_usd_per_token=ep.price.cost_usd(1000, 0) / 1000.0,
            out_usd_per_token=ep.price.cost_usd(0, 1000) / 1000.0,
            ceiling_rank=ep.privacy_ceiling.rank,
            location=ep.node or ep.tier.value,
            quality_model=ep.quality_model,
            quality_scale=ep.quality_scale,
            supports=ep.supports,
        )


class RequestRules(NamedTuple):
    """One request's policy constraints, read once per decision instead of once per endpoint.
    A tuple so that everything but the budget (`rules[:-1]`) keys the exclusion memo."""

    privacy: PrivacyLevel
    privacy_rank: int
    region: str
    allowed_tiers: frozenset[ComputeTier] | None
    pinned_model: str | None
    needs: frozenset[str]  # capabilities the request's options need (`required_capabilities`)
    budget_usd: float | None

    @classmethod
    def of(cls, context: ContextAnalysis, request: InferenceRequest | None) -> RequestRules:
        pinned = request.model if request and request.model not in (None, "auto") else None
        privacy = context.privacy_level
        if request is None:
            return cls(privacy, privacy.rank, context.geographic_region, None, None, _NONE, None)
        return cls(
            privacy,
            privacy.rank,
            context.geographic_region,
            request.allowed_tiers,
            pinned,
            required_capabilities(request),
            request.cost_budget,
        )


class RuleExclusions:
    """Per endpoint, the policy reason (or "") that needs no prediction. Requests share few rule
    combinations, so the reasons are memoised per combination (bounded), and per (privacy,
    region) when the request adds no rules of its own."""

    def __init__(
        self, profiles: dict[str, EndpointProfile], privacy: PrivacyConfig | None = None
    ) -> None:
        self._profiles = profiles
        self._privacy = privacy or PrivacyConfig()
        self._memo: dict[tuple[object, ...], dict[str, str]] = {}
        self._plain: dict[tuple[PrivacyLevel, str], dict[str, str]] = {}

    def of(self, context: ContextAnalysis, request: InferenceRequest | None) -> dict[str, str]:
        """Endpoint id -> reason for this request (the memo's own dict: do not modify it)."""
        if request is not None:
            return self.of_rules(RequestRules.of(context, request))
        key = (context.privacy_level, context.geographic_region)
        return self._plain.get(key) or self._plain_miss(key, context)

    def of_rules(self, rules: RequestRules) -> dict[str, str]:
        key = rules[:-1]
        memo = self._memo.get(key)
        if memo is None:
            privacy = self._privacy
            memo = {pid: excluded_by_rules(p, rules, privacy) for pid, p in self._profiles.items()}
            if len(self._memo) >= _EXCLUSION_MEMO_SIZE:
                self._memo.clear()
            self._memo[key] = memo
        return memo

    def _plain_miss(
        self, key: tuple[PrivacyLevel, str], context: ContextAnalysis
    ) -> dict[str, str]:
        memo = self.of_rules(RequestRules.of(context, None))
        if len(self._plain) >= _EXCLUSION_MEMO_SIZE:
            self._plain.clear()
        self._plain[key] = memo
        return memo


def excluded_by_rules(
    prof: EndpointProfile, rules: RequestRules, privacy: PrivacyConfig | None = None
) -> str:
    """Policy reasons that need no prediction: privacy, residency, the request's tier and model
    choices. (The budget is checked once the cost is predicted.)"""
    if rules.privacy_rank > prof.ceiling_rank and not (
        privacy is not None and privacy.admits(rules.privacy, prof.ep.privacy_ceiling)
    ):
        return f"privacy {rules.privacy.value} not allowed"
    regulated = rules.privacy is PrivacyLevel.REGULATED
    if regulated and not prof.is_device and prof.region != rules.region:
        return f"regulated data must stay in {rules.region}"
    if rules.allowed_tiers is not None and prof.tier not in rules.allowed_tiers:
        return "tier not allowed by request"
    if rules.pinned_model is not None and rules.pinned_model not in (prof.model, prof.id):
        return f"request pins model {rules.pinned_model}"
    if rules.needs and not rules.needs <= prof.supports:
        return f"does not support {', '.join(sorted(rules.needs - prof.supports))}"
    return ""


def blocked_reason(
    prof: EndpointProfile,
    status: EndpointStatus,
    resources: ResourceState,
    exclude: frozenset[str],
    min_battery_pct: float,
) -> str:
    """Physical reasons an endpoint cannot serve (every policy obeys these)."""
    if prof.id in exclude:
        return "excluded by failover"
    if status.circuit_state is CircuitState.OPEN:
        return "circuit open"
    if not status.healthy:
        return "unhealthy"
    net = resources.network_conditions
    if not prof.is_device:
        return "" if net.connected else "offline"
    dev = resources.device_resources
    if prof.model not in dev.local_models:
        return "model not on device"
    if dev.memory_mb and prof.memory_mb > dev.memory_mb:
        return f"needs {prof.memory_mb} MB, device has {dev.memory_mb}"
    if net.connected and dev.battery_pct < min_battery_pct:
        return f"battery {dev.battery_pct:.0f}% < {min_battery_pct:.0f}%"
    return ""
