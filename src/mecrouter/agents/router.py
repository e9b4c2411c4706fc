"""RouterAgent: which tier, model and endpoint serves a request, and what to try if it fails.

Every endpoint becomes a `Candidate` with its predicted latency (network + queue + TTFT + decode),
quality (capability against the request's complexity) and cost, plus the reasons it cannot be
used. Hard constraints come first: privacy and residency, device capability, connectivity, open
circuits, cold models, budget. A `RoutingPolicy` then orders the usable candidates; mecrouter's
own policy maximises a utility weighted by the use case. Baseline policies (cloud-only, MEC-only,
device-first, random) plug into the same interface so the demo and the simulator compare like with
like. Everything here is pure: no I/O, no clock, randomness passed in.
"""

from __future__ import annotations

import itertools
import math
import random
import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

from mecrouter.config import Config, EndpointConfig, UseCaseConfig
from mecrouter.errors import NoRouteError
from mecrouter.types import (
    CircuitState,
    ComputeTier,
    ContextAnalysis,
    EndpointStatus,
    InferenceRequest,
    PrivacyLevel,
    ResourceState,
    RoutingDecision,
)

__all__ = [
    "POLICIES",
    "Candidate",
    "RouterAgent",
    "RoutingPolicy",
    "quality_score",
]

WarmLoadProvider = Callable[[str, str], float | None]  # (node_id, model) -> seconds, None = cold


@dataclass(slots=True, eq=False)  # identity equality: candidates are compared by object
class Candidate:
    """One endpoint evaluated for one request. `blocked` = physically impossible; `excluded` =
    forbidden by policy constraints (privacy, residency, budget). Empty string = fine."""

    endpoint: EndpointConfig
    status: EndpointStatus
    latency_ms: float
    ttft_ms: float
    slo_latency_ms: float
    quality: float
    cost_usd: float
    utility: float = 0.0
    blocked: str = ""
    excluded: str = ""
    location: str = ""  # the node (MEC) or tier an outage would take out together

    @property
    def usable(self) -> bool:
        return not self.blocked and not self.excluded


@dataclass(slots=True, frozen=True)
class _Profile:
    """Per-endpoint constants the hot path needs, computed once (config objects are slower)."""

    ep: EndpointConfig
    is_device: bool
    is_mec: bool
    ttft_ms: float
    ref_tokens: int
    prefill_ms_per_token: float
    in_usd_per_token: float
    out_usd_per_token: float
    ceiling_rank: int
    location: str

    @classmethod
    def of(cls, ep: EndpointConfig) -> _Profile:
        return cls(
            ep=ep,
            is_device=ep.tier is ComputeTier.DEVICE,
            is_mec=ep.tier is ComputeTier.MEC,
            ttft_ms=ep.ttft_ms,
            ref_tokens=ep.ttft_ref_tokens,
            prefill_ms_per_token=ep.prefill_ms_per_1k_tokens / 1000.0,
            in_usd_per_token=ep.price.cost_usd(1000, 0) / 1000.0,
            out_usd_per_token=ep.price.cost_usd(0, 1000) / 1000.0,
            ceiling_rank=ep.privacy_ceiling.rank,
            location=ep.node or ep.tier.value,
        )


@dataclass(slots=True, frozen=True)
class _Rules:
    """One request's policy constraints, read once per decision instead of once per endpoint."""

    privacy: PrivacyLevel
    privacy_rank: int
    region: str
    allowed_tiers: frozenset[ComputeTier] | None
    pinned_model: str | None
    budget_usd: float | None

    @classmethod
    def of(cls, context: ContextAnalysis, request: InferenceRequest | None) -> _Rules:
        pinned = request.model if request and request.model not in (None, "auto") else None
        return cls(
            privacy=context.privacy_level,
            privacy_rank=context.privacy_level.rank,
            region=context.geographic_region,
            allowed_tiers=request.allowed_tiers if request else None,
            pinned_model=pinned,
            budget_usd=request.cost_budget if request else None,
        )


def quality_score(capability: float, complexity: float) -> float:
    """Probability-like fit of a model to a request: needed capability grows with complexity."""
    needed = 0.3 + 0.55 * complexity
    return 1.0 / (1.0 + math.exp((needed - capability) * 20.0))


def _latency_score(latency_ms: float, slo_ms: float) -> float:
    x = latency_ms / slo_ms
    return 1.0 - 0.25 * x if x <= 1.0 else 0.75 * math.exp(-2.0 * (x - 1.0))


class RoutingPolicy(Protocol):
    """Orders the candidates a request may use; the first is chosen, the rest are fallbacks.

    Override `order`. It receives every candidate (usable or not); it must return only candidates
    it is willing to use, best first, and may set `utility` for the decision's scores."""

    name: str
    respects_privacy: bool

    def order(
        self,
        context: ContextAnalysis,
        candidates: list[Candidate],
        use_case: UseCaseConfig,
        rng: random.Random,
    ) -> list[Candidate]: ...


class UtilityPolicy:
    """mecrouter: hard constraints, then utility = weighted latency, quality and cost scores."""

    name = "mecrouter"
    respects_privacy = True

    def order(
        self,
        context: ContextAnalysis,
        candidates: list[Candidate],
        use_case: UseCaseConfig,
        rng: random.Random,
    ) -> list[Candidate]:
        w = use_case.weights
        total = w.latency + w.quality + w.cost
        slo = float(context.latency_requirement)
        usable = [c for c in candidates if c.usable]
        for c in usable:
            cost_ref = use_case.cost_ref_usd
            c.utility = (
                w.latency * _latency_score(c.slo_latency_ms, slo)
                + w.quality * c.quality
                + w.cost / (1.0 + c.cost_usd / cost_ref)
            ) / total
            # An endpoint that has been failing is worth less before its circuit even opens.
            c.utility *= 1.0 - c.status.error_rate
        usable.sort(key=lambda c: c.utility, reverse=True)
        return usable


_TIER_ORDER = {ComputeTier.DEVICE: 0, ComputeTier.MEC: 1, ComputeTier.CLOUD: 2}


def _ignoring_policy_rules(candidates: list[Candidate]) -> list[Candidate]:
    """What a privacy-unaware baseline may use: everything physically able to serve."""
    ok = [c for c in candidates if not c.blocked]
    for c in ok:
        c.excluded = ""
    return ok


class TierOnlyPolicy:
    """Baseline: one tier only (best endpoint of it first); ignores privacy rules."""

    respects_privacy = False

    def __init__(self, tier: ComputeTier) -> None:
        self.tier = tier
        self.name = f"{tier.value}-only"
        self._inner = UtilityPolicy()

    def order(
        self,
        context: ContextAnalysis,
        candidates: list[Candidate],
        use_case: UseCaseConfig,
        rng: random.Random,
    ) -> list[Candidate]:
        mine = [c for c in _ignoring_policy_rules(candidates) if c.endpoint.tier is self.tier]
        return self._inner.order(context, mine, use_case, rng)


class DeviceFirstPolicy:
    """Baseline: the device if it can run the request at all, else MEC, else cloud."""

    name = "device-first"
    respects_privacy = False

    def __init__(self) -> None:
        self._inner = UtilityPolicy()

    def order(
        self,
        context: ContextAnalysis,
        candidates: list[Candidate],
        use_case: UseCaseConfig,
        rng: random.Random,
    ) -> list[Candidate]:
        ranked = self._inner.order(context, _ignoring_policy_rules(candidates), use_case, rng)
        return sorted(ranked, key=lambda c: _TIER_ORDER[c.endpoint.tier])


class RandomPolicy:
    """Baseline: any endpoint that can physically serve, uniformly at random."""

    name = "random"
    respects_privacy = False

    def order(
        self,
        context: ContextAnalysis,
        candidates: list[Candidate],
        use_case: UseCaseConfig,
        rng: random.Random,
    ) -> list[Candidate]:
        ok = _ignoring_policy_rules(candidates)
        rng.shuffle(ok)
        return ok


POLICIES: Mapping[str, Callable[[], RoutingPolicy]] = {
    "mecrouter": UtilityPolicy,
    "cloud-only": lambda: TierOnlyPolicy(ComputeTier.CLOUD),
    "mec-only": lambda: TierOnlyPolicy(ComputeTier.MEC),
    "device-first": DeviceFirstPolicy,
    "random": RandomPolicy,
}


class RouterAgent:
    """Decides routes. Pure: same context, state and rng state → same decision."""

    def __init__(
        self,
        config: Config,
        *,
        policy: str | RoutingPolicy = "mecrouter",
        warm_load_s: WarmLoadProvider | None = None,
        seed: int = 0,
    ) -> None:
        if isinstance(policy, str):
            if policy not in POLICIES:
                raise KeyError(f"unknown policy {policy!r}; known: {sorted(POLICIES)}")
            policy = POLICIES[policy]()
        self.policy = policy
        self._config = config
        self._profiles = {ep.id: _Profile.of(ep) for ep in config.endpoints}
        self._warm_load_s = warm_load_s
        self._rng = random.Random(seed)
        # Decision ids: a random per-router prefix and a counter (uuid4 per decision costs ~4 us).
        self._id_prefix = uuid.uuid4().hex[:16]
        self._ids = itertools.count()

    # ------------------------------------------------------------------ the decision

    def make_routing_decision(
        self,
        context: ContextAnalysis,
        resources: ResourceState,
        *,
        request: InferenceRequest | None = None,
        exclude_endpoints: frozenset[str] = frozenset(),
    ) -> RoutingDecision:
        """Choose an endpoint and a fallback chain; raise `NoRouteError` if none may serve."""
        candidates = self.evaluate(context, resources, request, exclude_endpoints)
        use_case = self._config.use_case(context.use_case)
        ordered = self.policy.order(context, candidates, use_case, self._rng)
        if not ordered:
            reasons = {c.endpoint.id: c.blocked or c.excluded for c in candidates}
            raise NoRouteError(request.request_id if request else "", reasons)
        return self._decision(context, ordered, candidates, request)

    def evaluate(
        self,
        context: ContextAnalysis,
        resources: ResourceState,
        request: InferenceRequest | None = None,
        exclude_endpoints: frozenset[str] = frozenset(),
    ) -> list[Candidate]:
        """Every endpoint with its predictions and the reasons (if any) it cannot be used."""
        slo_metric_total = self._config.use_case(context.use_case).slo_metric == "total"
        net = resources.network_conditions
        rules = _Rules.of(context, request)
        skip_excluded = self.policy.respects_privacy
        # The capability a model needs for this request's complexity (see `quality_score`).
        needed = 0.3 + 0.55 * context.complexity_score
        out = []
        for status in resources.endpoints():
            prof = self._profiles.get(status.endpoint_id)
            if prof is None:
                continue
            ep = prof.ep
            blocked = self._blocked(prof, status, resources, exclude_endpoints)
            excluded = "" if blocked else _excluded_before_prediction(prof, rules)
            # No prediction for an endpoint the policy may not use (baselines that ignore privacy
            # rules still need one for endpoints those rules exclude).
            if blocked or (excluded and skip_excluded):
                inf = math.inf
                out.append(
                    Candidate(
                        ep, status, inf, inf, inf, 0.0, 0.0, 0.0, blocked, excluded, prof.location
                    )
                )
                continue
            if prof.is_device:
                rtt = 0.0
            elif prof.is_mec and ep.region == rules.region:
                rtt = net.mec_rtt_ms
            else:
                rtt = net.cloud_rtt_ms
            cand = self._predict(prof, status, context, rtt, needed, slo_metric_total)
            cand.excluded = excluded
            if math.isinf(cand.latency_ms):
                cand.blocked = "model cold on node"
            elif not excluded and rules.budget_usd is not None and cand.cost_usd > rules.budget_usd:
                cand.excluded = f"cost ${cand.cost_usd:.6f} over budget ${rules.budget_usd:.6f}"
            out.append(cand)
        return out

    def calculate_tier_scores(
        self, context: ContextAnalysis, resources: ResourceState
    ) -> dict[str, float]:
        """Best utility per tier (0 where the tier cannot serve this request)."""
        use_case = self._config.use_case(context.use_case)
        ordered = UtilityPolicy().order(
            context, self.evaluate(context, resources), use_case, self._rng
        )
        scores = {t.value: 0.0 for t in ComputeTier}
        for c in ordered:
            scores[c.endpoint.tier.value] = max(scores[c.endpoint.tier.value], c.utility)
        return scores

    def handle_failover(
        self,
        failed_tier: ComputeTier,
        context: ContextAnalysis,
        resources: ResourceState,
        request: InferenceRequest | None = None,
    ) -> RoutingDecision:
        """Re-decide with every endpoint of the failed tier excluded."""
        failed = frozenset(s.endpoint_id for s in resources.endpoints() if s.tier is failed_tier)
        return self.make_routing_decision(
            context, resources, request=request, exclude_endpoints=failed
        )

    def optimize_load_balancing(
        self, tier: ComputeTier, context: ContextAnalysis, resources: ResourceState
    ) -> list[tuple[str, float]]:
        """Usable endpoints of one tier by least expected latency (in-tier load balancing)."""
        cands = [
            c
            for c in self.evaluate(context, resources)
            if c.endpoint.tier is tier and not c.blocked
        ]
        return sorted(((c.endpoint.id, c.latency_ms) for c in cands), key=lambda x: x[1])

    # ------------------------------------------------------------------ predictions

    def _predict(
        self,
        prof: _Profile,
        status: EndpointStatus,
        context: ContextAnalysis,
        rtt: float,
        needed: float,
        slo_metric_total: bool,
    ) -> Candidate:
        ep = prof.ep
        tokens = context.estimated_tokens
        out_tokens = context.estimated_output_tokens
        extra = tokens - prof.ref_tokens
        service_ttft = prof.ttft_ms + (prof.prefill_ms_per_token * extra if extra > 0 else 0.0)
        warm_ms = self._warm_ms(ep) if prof.is_mec else 0.0
        ttft = rtt + status.queue_wait_ms + warm_ms + service_ttft * (status.ttft_ms / prof.ttft_ms)
        total = ttft + out_tokens * 1000.0 / status.decode_tokens_per_s
        return Candidate(
            endpoint=ep,
            status=status,
            latency_ms=total,
            ttft_ms=ttft,
            slo_latency_ms=total if slo_metric_total else ttft,
            quality=1.0 / (1.0 + math.exp((needed - ep.capability) * 20.0)),
            cost_usd=tokens * prof.in_usd_per_token + out_tokens * prof.out_usd_per_token,
            location=prof.location,
        )

    def _warm_ms(self, ep: EndpointConfig) -> float:
        if self._warm_load_s is None:
            return 0.0
        load_s = self._warm_load_s(ep.node, ep.model)
        return math.inf if load_s is None else load_s * 1000.0

    # ------------------------------------------------------------------ constraints

    def _blocked(
        self,
        prof: _Profile,
        status: EndpointStatus,
        resources: ResourceState,
        exclude: frozenset[str],
    ) -> str:
        """Physical reasons an endpoint cannot serve (every policy obeys these)."""
        ep = prof.ep
        if ep.id in exclude:
            return "excluded by failover"
        if status.circuit_state is CircuitState.OPEN:
            return "circuit open"
        if not status.healthy:
            return "unhealthy"
        net = resources.network_conditions
        if not prof.is_device:
            return "" if net.connected else "offline"
        dev = resources.device_resources
        if ep.model not in dev.local_models:
            return "model not on device"
        if dev.memory_mb and ep.memory_mb > dev.memory_mb:
            return f"needs {ep.memory_mb} MB, device has {dev.memory_mb}"
        if net.connected and dev.battery_pct < self._config.min_battery_pct:
            return f"battery {dev.battery_pct:.0f}% < {self._config.min_battery_pct:.0f}%"
        return ""

    # ------------------------------------------------------------------ the decision record

    def _decision(
        self,
        context: ContextAnalysis,
        ordered: list[Candidate],
        candidates: list[Candidate],
        request: InferenceRequest | None,
    ) -> RoutingDecision:
        best = ordered[0]
        chain = _fallback_chain(ordered, self._config.resilience.max_fallbacks)
        runner_up = ordered[1] if len(ordered) > 1 else None
        return RoutingDecision(
            selected_tier=best.endpoint.tier,
            selected_model=best.endpoint.model,
            confidence_score=_confidence(best, runner_up, context),
            reasoning=_reasoning(best, runner_up, candidates, context, self.policy.name),
            fallback_options=_distinct_tiers(chain),
            estimated_latency=round(best.latency_ms),
            estimated_cost=best.cost_usd,
            selected_endpoint=best.endpoint.id,
            fallback_endpoints=[c.endpoint.id for c in chain],
            scores={c.endpoint.id: c.utility for c in ordered},
            predicted_latency_ms={c.endpoint.id: c.latency_ms for c in (best, *chain)},
            request_id=request.request_id if request else "",
            decision_id=f"{self._id_prefix}{next(self._ids):08x}",
            policy=self.policy.name,
        )


def _excluded_before_prediction(prof: _Profile, rules: _Rules) -> str:
    """Policy reasons that need no prediction: privacy, residency, the request's tier and model
    choices. (The budget is checked once the cost is predicted.)"""
    ep = prof.ep
    if rules.privacy_rank > prof.ceiling_rank:
        return f"privacy {rules.privacy.value} not allowed"
    if rules.privacy is PrivacyLevel.REGULATED and not prof.is_device and ep.region != rules.region:
        return f"regulated data must stay in {rules.region}"
    if rules.allowed_tiers is not None and ep.tier not in rules.allowed_tiers:
        return "tier not allowed by request"
    if rules.pinned_model is not None and rules.pinned_model not in (ep.model, ep.id):
        return f"request pins model {rules.pinned_model}"
    return ""


def _fallback_chain(ordered: list[Candidate], limit: int) -> list[Candidate]:
    """Next-best candidates, other locations first (a node or tier outage takes out all of its
    endpoints), and the device kept as the last resort whenever it is usable."""
    if limit <= 0:
        return []
    seen = {ordered[0].location}
    spread: list[Candidate] = []
    same_place: list[Candidate] = []
    device: Candidate | None = None
    for c in ordered[1:]:
        if c.location in seen:
            same_place.append(c)
        else:
            seen.add(c.location)
            spread.append(c)
        if device is None and c.endpoint.tier is ComputeTier.DEVICE:
            device = c
    chain = (spread + same_place)[:limit]
    if device is not None and device not in chain:
        chain[-1] = device
    return chain


def _distinct_tiers(chain: list[Candidate]) -> list[ComputeTier]:
    out: list[ComputeTier] = []
    for c in chain:
        if c.endpoint.tier not in out:
            out.append(c.endpoint.tier)
    return out


def _confidence(best: Candidate, runner_up: Candidate | None, context: ContextAnalysis) -> float:
    margin = best.utility - runner_up.utility if runner_up else 0.5
    meets = best.slo_latency_ms <= context.latency_requirement
    raw = (0.5 + 1.5 * margin) * (0.6 + 0.4 * best.quality) * (1.0 if meets else 0.6)
    return round(min(0.99, max(0.01, raw)), 3)


def _reasoning(
    best: Candidate,
    runner_up: Candidate | None,
    candidates: list[Candidate],
    context: ContextAnalysis,
    policy: str,
) -> str:
    slo = context.latency_requirement
    verdict = "meets" if best.slo_latency_ms <= slo else "misses"
    parts = [
        f"{policy}: {best.endpoint.tier.value}/{best.endpoint.model} on {best.endpoint.id}",
        f"{verdict} {slo} ms SLO (est {best.slo_latency_ms:.0f} ms)",
        f"quality {best.quality:.2f} for complexity {context.complexity_score:.2f}",
        f"cost ${best.cost_usd:.6f}",
    ]
    if runner_up is not None:
        parts.append(
            f"beat {runner_up.endpoint.id} ({best.utility:.3f} vs {runner_up.utility:.3f})"
        )
    excluded = _exclusions_by_tier(candidates)
    if excluded:
        parts.append("ruled out: " + ", ".join(excluded))
    return "; ".join(parts)


def _exclusions_by_tier(candidates: list[Candidate]) -> list[str]:
    """One reason per tier whose endpoints were all ruled out (the deciding hard constraints)."""
    reasons: dict[ComputeTier, str] = {}
    usable_tiers = {c.endpoint.tier for c in candidates if not (c.blocked or c.excluded)}
    for c in candidates:
        tier = c.endpoint.tier
        if tier not in usable_tiers and tier not in reasons:
            reasons[tier] = c.blocked or c.excluded
    return [f"{t.value} ({why})" for t, why in reasons.items()]
