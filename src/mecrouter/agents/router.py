"""RouterAgent: which tier, model and endpoint serves a request, and what to try if it fails.

Every endpoint becomes a `Candidate` with its predicted latency (network + queue + model load +
service TTFT x the endpoint's live factor + decode), quality (capability against the request's
complexity) and cost, plus the reasons it cannot be used. Hard constraints come first (see
`constraints`): privacy and residency, device capability, connectivity, open circuits, then cold
models and budget once predicted. A `RoutingPolicy` (see `policies`) then orders the usable
candidates, and the agent turns the order into a decision with confidence and a fallback chain
(its reasoning text is formatted on first read, see `decision`). Everything here is pure: no
I/O, no clock, randomness passed in (decision ids aside: they come from the OS, and decide
nothing).
"""

from __future__ import annotations

import math
import os
import random
from collections.abc import Callable, Mapping

from mecrouter.agents.constraints import EndpointProfile, RuleExclusions, blocked_reason
from mecrouter.agents.decision import DeferredReasoning, reasoning_text
from mecrouter.agents.learning import QualityBeliefs
from mecrouter.agents.policies import (
    POLICIES,
    Candidate,
    RoutingPolicy,
    UtilityPolicy,
    WorldTruth,
    make_policy,
)
from mecrouter.config import Config, UseCaseConfig
from mecrouter.errors import NoRouteError
from mecrouter.prediction import capability_fit, predicted_ms, required_capability
from mecrouter.types import (
    CircuitState,
    ComputeTier,
    ContextAnalysis,
    InferenceRequest,
    ResourceState,
    RoutingDecision,
)

__all__ = [
    "POLICIES",
    "Candidate",
    "RouterAgent",
    "RoutingPolicy",
    "new_decision_id",
]

WarmLoadProvider = Callable[[str, str], float | None]  # (node_id, model) -> seconds, None = cold
_OPEN = CircuitState.OPEN
_DEVICE = ComputeTier.DEVICE
_PRIOR_MEMO_SIZE = 1024  # distinct quality estimates kept (then forgotten at once)
_DECISION_ID_BYTES = 12  # 96 random bits: a decision id names what a caller may read


def new_decision_id() -> str:
    """24 hex characters from the OS's CSPRNG: unguessable, so an id cannot be enumerated, and
    safe across fork (no buffered randomness a forked worker could repeat)."""
    return os.urandom(_DECISION_ID_BYTES).hex()


class RouterAgent:
    """Decides routes. Pure: same context, state and rng state → same decision."""

    def __init__(
        self,
        config: Config,
        *,
        policy: str | RoutingPolicy = "mecrouter",
        world: WorldTruth | None = None,
        warm_load_s: WarmLoadProvider | None = None,
        seed: int = 0,
        beliefs: QualityBeliefs | None = None,
        reuses_analyses: bool = False,
    ) -> None:
        """`policy`: a name of `POLICIES` (bound to `world` if it needs one: the oracle) or a
        policy object. `reuses_analyses`: the caller passes the same `ContextAnalysis.quality`
        object for requests with the same prompt (the simulator does); the prior quality per
        endpoint is then memoised per such object. Off, it is computed per decision (a
        gateway's analyses are new objects each time, and the memo would only cost)."""
        self.policy = make_policy(policy, world) if isinstance(policy, str) else policy
        self._config = config
        self._profiles = {ep.id: EndpointProfile.of(ep) for ep in config.endpoints}
        tiers = self.policy.tiers  # a policy that uses some tiers only is evaluated on those
        self._evaluated = {
            pid: prof
            for pid, prof in self._profiles.items()
            if tiers is None or prof.ep.tier in tiers
        }
        self._warm_load_s = warm_load_s
        self._max_fallbacks = config.resilience.max_fallbacks
        self._min_battery_pct = config.min_battery_pct
        self._use_cases = dict(config.use_cases)
        self._default_use_case = config.use_case("default")
        self._privacy = config.privacy
        self._exclusions = RuleExclusions(self._profiles, config.privacy)
        self._prior_memo: dict[tuple[int, float], tuple[object, dict[str, float]]] = {}
        self._reuses_analyses = reuses_analyses
        self.beliefs = beliefs  # online quality evidence (None: route on the predictor alone)
        self._rng = random.Random(seed)

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
        use_case = self._use_cases.get(context.use_case) or self._default_use_case
        candidates = self._evaluate(context, resources, request, exclude_endpoints, use_case)
        ordered = self.policy.order(context, candidates, use_case, self._rng)
        if not ordered:
            reasons = {c.endpoint.id: c.blocked or c.excluded for c in candidates}
            raise NoRouteError(request.request_id if request else "", reasons)
        return self._decision(context, ordered, candidates, request)

    def plan(
        self, context: ContextAnalysis, resources: ResourceState
    ) -> tuple[list[str], list[float]]:
        """The endpoints `make_routing_decision` would have a request try, in order, with their
        predicted latencies, without building the decision record (for the simulator, which
        decides hundreds of thousands of times and reads nothing else)."""
        use_case = self._use_cases.get(context.use_case) or self._default_use_case
        candidates = self._evaluate(context, resources, None, frozenset(), use_case)
        ordered = self.policy.order(context, candidates, use_case, self._rng)
        if not ordered:
            raise NoRouteError("", {c.endpoint.id: c.blocked or c.excluded for c in candidates})
        best = ordered[0]
        ids, predicted = [best.status.endpoint_id], [best.latency_ms]
        for c in _fallback_chain(ordered, self._max_fallbacks):
            ids.append(c.status.endpoint_id)
            predicted.append(c.latency_ms)
        return ids, predicted

    def evaluate(
        self,
        context: ContextAnalysis,
        resources: ResourceState,
        request: InferenceRequest | None = None,
        exclude_endpoints: frozenset[str] = frozenset(),
    ) -> list[Candidate]:
        """Every endpoint with its predictions and the reasons (if any) it cannot be used."""
        use_case = self._use_cases.get(context.use_case) or self._default_use_case
        return self._evaluate(context, resources, request, exclude_endpoints, use_case)

    def _evaluate(
        self,
        context: ContextAnalysis,
        resources: ResourceState,
        request: InferenceRequest | None,
        exclude: frozenset[str],
        use_case: UseCaseConfig,
    ) -> list[Candidate]:
        """The hot path: one loop over the endpoint profiles, per-request constants hoisted."""
        excluded_by_rules = self._exclusions.of(context, request)  # memoised per rule combination
        budget = None if request is None else request.cost_budget
        region, skip_excluded = context.geographic_region, self.policy.respects_privacy
        tokens, out_tokens = context.estimated_tokens, context.estimated_output_tokens
        net, slo_total = resources.network_conditions, use_case.slo_metric == "total"
        mec_rtt, cloud_rtt = net.mec_rtt_ms, net.cloud_rtt_ms
        check_all, min_battery = not net.connected or bool(exclude), self._min_battery_pct
        profiles, warm, inf, out = self._evaluated, self._warm_load_s, math.inf, []
        priors = self._priors(context) if self._reuses_analyses else None
        predicted, support = context.quality, context.quality_support
        need = required_capability(context.complexity_score) if priors is None else 0.0
        beliefs, task_type = self.beliefs or None, context.task_type  # None: no evidence yet
        for st in resources.endpoints():
            prof = profiles.get(st.endpoint_id)
            if prof is None:
                continue
            slow = check_all or prof.is_device or st.circuit_state is _OPEN or not st.healthy
            blocked = blocked_reason(prof, st, resources, exclude, min_battery) if slow else ""
            excluded = "" if blocked else excluded_by_rules[prof.id]
            if blocked or (excluded and skip_excluded):  # no prediction the policy may not use
                out.append(Candidate(prof.ep, st, prof.location, blocked, excluded))
                continue
            local_mec = prof.is_mec and prof.region == region
            rtt = 0.0 if prof.is_device else mec_rtt if local_mec else cloud_rtt
            before = rtt + st.queue_wait_ms
            if warm is not None and prof.is_mec:  # seconds to load on its node, None: cold
                load_s = warm(prof.node, prof.model)
                before += inf if load_s is None else load_s * 1000.0
            ttft, total = predicted_ms(
                prof.ttft_ms, prof.ref_tokens, prof.prefill_ms_per_token, st.decode_tokens_per_s,
                tokens, out_tokens, before, st.ttft_ms / prof.ttft_ms,  # x live factor
            )  # fmt: skip
            usd = tokens * prof.in_usd_per_token + out_tokens * prof.out_usd_per_token
            if total == inf:
                blocked = "model cold on node"
            elif not excluded and budget is not None and usd > budget:
                excluded = f"cost ${usd:.6f} over budget ${budget:.6f}"
            q = priors[prof.id] if priors is not None else _prior(prof, predicted, support, need)
            if beliefs is not None:
                q = beliefs.estimate(task_type, prof.model, q)
            slo = total if slo_total else ttft
            out.append(
                Candidate(prof.ep, st, prof.location, blocked, excluded, total, ttft, slo, q, usd)
            )
        return out

    def prior_quality(self, context: ContextAnalysis) -> dict[str, float]:
        """Per endpoint, the quality the router expects before any feedback: the predictor's
        estimate for its proxy model (scaled), else capability against complexity."""
        return dict(self._priors(context))

    def _priors(self, context: ContextAnalysis) -> dict[str, float]:
        """`prior_quality`, memoised per (estimates object, complexity): a request whose
        analysis reuses an earlier one's estimates skips the per-endpoint work. The memo holds
        the estimates, so an id is never reused while kept."""
        predicted, support = context.quality, context.quality_support
        key = (id(predicted), context.complexity_score)
        hit = self._prior_memo.get(key)
        if hit is not None and hit[0] is predicted:
            return hit[1]
        required = required_capability(context.complexity_score)
        priors = {
            pid: _prior(prof, predicted, support, required) for pid, prof in self._profiles.items()
        }
        if len(self._prior_memo) >= _PRIOR_MEMO_SIZE:
            self._prior_memo.clear()
        self._prior_memo[key] = (predicted, priors)
        return priors

    def prior_quality_of(self, context: ContextAnalysis, endpoint_id: str) -> float:
        prof = self._profiles.get(endpoint_id)
        if prof is None:
            return 0.0
        required = required_capability(context.complexity_score)
        return _prior(prof, context.quality, context.quality_support, required)

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

    # ------------------------------------------------------------------ the decision record

    def _decision(
        self,
        context: ContextAnalysis,
        ordered: list[Candidate],
        candidates: list[Candidate],
        request: InferenceRequest | None,
    ) -> RoutingDecision:
        best = ordered[0]
        st = best.status
        chain = _fallback_chain(ordered, self._max_fallbacks)
        runner_up = ordered[1] if len(ordered) > 1 else None
        fallback_tiers: list[ComputeTier] = []
        predicted = {st.endpoint_id: best.latency_ms}
        for c in chain:
            predicted[c.status.endpoint_id] = c.latency_ms
            if c.status.tier not in fallback_tiers:
                fallback_tiers.append(c.status.tier)
        policy = self.policy.name
        redacted = self._privacy.redacts(context.privacy_level, best.endpoint.privacy_ceiling)
        decision = DeferredReasoning(
            selected_tier=st.tier,
            selected_model=st.model,
            confidence_score=_confidence(best, runner_up, context),
            reasoning="",
            fallback_options=fallback_tiers,
            estimated_latency=round(best.latency_ms),
            estimated_cost=best.cost_usd,
            selected_endpoint=st.endpoint_id,
            fallback_endpoints=[c.status.endpoint_id for c in chain],
            scores={c.status.endpoint_id: c.utility for c in ordered},
            predicted_latency_ms=predicted,
            request_id=request.request_id if request else "",
            decision_id=new_decision_id(),
            policy=policy,
        )
        decision._render = lambda: reasoning_text(
            best, runner_up, candidates, context, policy, redacted=redacted
        )
        return decision


def _prior(
    prof: EndpointProfile, predicted: Mapping[str, float] | None, support: float, required: float
) -> float:
    """The quality the router expects of one endpoint before any feedback: the predictor's
    P(good answer) for its proxy model (scaled, at most 1), shrunk toward the capability prior
    (its capability against the request's `required_capability`) by 1 - `support`; the prior
    alone without an estimate."""
    p = predicted.get(prof.quality_model) if predicted and prof.quality_model else None
    if p is None:
        return capability_fit(prof.capability, required)
    q = p * prof.quality_scale
    if q > 1.0:
        q = 1.0
    if support >= 1.0:
        return q
    return support * q + (1.0 - support) * capability_fit(prof.capability, required)


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
            if len(same_place) < limit:  # no more can reach the chain
                same_place.append(c)
        else:
            seen.add(c.location)
            spread.append(c)
        if device is None and c.status.tier is _DEVICE:
            device = c
        if device is not None and len(spread) >= limit:
            break  # the chain is spread[:limit], the device's place settled
    chain = (spread + same_place)[:limit]
    if device is not None and device not in chain:
        chain[-1] = device
    return chain


def _confidence(best: Candidate, runner_up: Candidate | None, context: ContextAnalysis) -> float:
    margin = best.utility - runner_up.utility if runner_up else 0.5
    meets = best.slo_latency_ms <= context.latency_requirement
    raw = (0.5 + 1.5 * margin) * (0.6 + 0.4 * best.quality) * (1.0 if meets else 0.6)
    return 0.99 if raw > 0.99 else 0.01 if raw < 0.01 else round(raw, 3)
