"""Routing policies: how the candidates a request may use are ordered (the first is chosen).

`UtilityPolicy` is mecrouter's own: hard constraints are already applied by the RouterAgent, and
it maximises a utility weighted by the use case. The baselines (cloud-only, MEC-only,
device-first, random) use the same interface, so the demo and the simulator compare like with
like. A policy is registered by name in `POLICIES`.
"""

from __future__ import annotations

import math
import operator
import random
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from mecrouter.config import EndpointConfig, UseCaseConfig
from mecrouter.types import ComputeTier, ContextAnalysis, EndpointStatus, PrivacyLevel

__all__ = [
    "POLICIES",
    "Candidate",
    "DeviceFirstPolicy",
    "RandomPolicy",
    "RoutingPolicy",
    "TierOnlyPolicy",
    "UtilityPolicy",
    "late_multiple",
    "latency_score",
    "latency_scores",
    "quality_score",
    "utility",
    "violates_privacy",
]

_BY_UTILITY = operator.attrgetter("utility")
_TERMS_MEMO_SIZE = 64
_LATE_SLOS, _LATE_FLOOR_MS = 5.0, 1_000.0  # ResilienceConfig's default deadline
_F64 = npt.NDArray[np.float64]
_LOG_TAIL = 0.1  # how much each e-fold of latency past the SLO still costs


# `init=False` with a written `__init__`: mypyc (`make fast`) compiles it, not the one `dataclass`
# generates, and the router builds one candidate per endpoint per request.
@dataclass(slots=True, eq=False, init=False)  # identity equality: compared by object
class Candidate:
    """One endpoint evaluated for one request. `blocked` = physically impossible; `excluded` =
    forbidden by policy constraints (privacy, residency, budget). Empty string = fine."""

    endpoint: EndpointConfig
    status: EndpointStatus
    location: str  # the node (MEC) or tier an outage would take out together
    blocked: str
    excluded: str
    latency_ms: float  # no prediction (inf) is made for what cannot be used
    ttft_ms: float
    slo_latency_ms: float
    quality: float
    cost_usd: float
    utility: float

    def __init__(
        self,
        endpoint: EndpointConfig,
        status: EndpointStatus,
        location: str,
        blocked: str = "",
        excluded: str = "",
        latency_ms: float = math.inf,
        ttft_ms: float = math.inf,
        slo_latency_ms: float = math.inf,
        quality: float = 0.0,
        cost_usd: float = 0.0,
        utility: float = 0.0,
    ) -> None:
        self.endpoint = endpoint
        self.status = status
        self.location = location
        self.blocked = blocked
        self.excluded = excluded
        self.latency_ms = latency_ms
        self.ttft_ms = ttft_ms
        self.slo_latency_ms = slo_latency_ms
        self.quality = quality
        self.cost_usd = cost_usd
        self.utility = utility

    @property
    def usable(self) -> bool:
        return not self.blocked and not self.excluded


def violates_privacy(ep: EndpointConfig, level: PrivacyLevel, region: str) -> bool:
    """Whether serving data of `level` from `region` on `ep` breaks mecrouter's privacy rules:
    above the endpoint's privacy ceiling, or regulated data off the device and out of its region
    (the rules the RouterAgent enforces as hard constraints; baselines are judged by them)."""
    if level > ep.privacy_ceiling:
        return True
    regulated = level is PrivacyLevel.REGULATED and ep.tier is not ComputeTier.DEVICE
    return regulated and ep.region != region


def late_multiple(slo_ms: float) -> float:
    """How many SLOs a request may take before it is late: the default request deadline,
    max(5 x SLO, 1 s) (see `ResilienceConfig`), in SLOs."""
    return max(_LATE_SLOS, _LATE_FLOOR_MS / slo_ms)


def latency_score(x: float, late: float) -> float:
    """Score of a latency of `x` SLOs: 1 at 0, 0.75 at the SLO, then falling steeply (an SLO miss
    is a miss) with a log tail that never goes flat, so that among options that all miss, the
    faster still scores higher; past `late` SLOs (the deadline) it falls faster still, so a late
    option never beats one in time on quality alone."""
    if x <= 1.0:
        return 1.0 - 0.25 * x
    score = 0.75 * math.exp(-2.0 * (x - 1.0)) - _LOG_TAIL * math.log(x)
    return score - math.log(x / late) if x > late else score


def latency_scores(latency_ms: _F64, slo_ms: _F64) -> _F64:
    """`latency_score(latency / slo, late_multiple(slo))` over arrays (the simulator scores every
    request of a run at once; a test keeps it equal to the scalar form)."""
    x = latency_ms / slo_ms
    late = np.maximum(_LATE_SLOS, _LATE_FLOOR_MS / slo_ms)
    with np.errstate(divide="ignore", invalid="ignore"):
        past = 0.75 * np.exp(-2.0 * (x - 1.0)) - _LOG_TAIL * np.log(x)
        past = np.where(x > late, past - np.log(x / late), past)
    return np.where(x <= 1.0, 1.0 - 0.25 * x, past)


def utility(
    weights: tuple[float, float, float],
    cost_ref_usd: float,
    slo_ms: float,
    latency_ms: float,
    quality: float,
    cost_usd: float,
    error_rate: float = 0.0,
) -> float:
    """mecrouter's utility of serving a request: weighted (latency, quality, cost) scores, the
    weights normalised to sum to 1 (`latency_score`; the cost score halves at `cost_ref_usd`),
    discounted by the endpoint's recent error rate. (`UtilityPolicy.order` inlines the same
    formula on its hot path; a test keeps the two equal.)"""
    w_lat, w_q, w_cost = weights
    total = w_lat + w_q + w_cost
    lat = latency_score(latency_ms / slo_ms, late_multiple(slo_ms))
    u = (w_lat * lat + w_q * quality + w_cost / (1.0 + cost_usd / cost_ref_usd)) / total
    return u * (1.0 - error_rate) if u >= 0.0 else u - error_rate


def quality_score(capability: float, complexity: float) -> float:
    """Probability-like fit of a model to a request: needed capability grows with complexity."""
    needed = 0.3 + 0.55 * complexity
    return 1.0 / (1.0 + math.exp((needed - capability) * 20.0))


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

    def __init__(self) -> None:
        # Normalised weights per use case, keyed by the config object (held, so ids stay unique).
        self._terms: dict[int, tuple[UseCaseConfig, float, float, float, float]] = {}

    def order(
        self,
        context: ContextAnalysis,
        candidates: list[Candidate],
        use_case: UseCaseConfig,
        rng: random.Random,
    ) -> list[Candidate]:
        terms = self._terms.get(id(use_case)) or self._weigh(use_case)
        _, w_lat, w_q, w_cost, cost_ref = terms
        slo = float(context.latency_requirement)
        late = max(_LATE_SLOS, _LATE_FLOOR_MS / slo)  # `late_multiple`, inlined
        log, exp = math.log, math.exp
        usable = [c for c in candidates if not c.blocked and not c.excluded]
        for c in usable:
            # `latency_score`, inlined: 1 at 0 ms, 0.75 at the SLO, steep then a log tail.
            x = c.slo_latency_ms / slo
            if x <= 1.0:
                lat = 1.0 - 0.25 * x
            else:
                lat = 0.75 * exp(-2.0 * (x - 1.0)) - _LOG_TAIL * log(x)
                if x > late:
                    lat -= log(x / late)
            u = w_lat * lat + w_q * c.quality + w_cost / (1.0 + c.cost_usd / cost_ref)
            # An endpoint that has been failing is worth less before its circuit even opens.
            e = c.status.error_rate
            c.utility = u * (1.0 - e) if u >= 0.0 else u - e
        usable.sort(key=_BY_UTILITY, reverse=True)
        return usable

    def _weigh(self, use_case: UseCaseConfig) -> tuple[UseCaseConfig, float, float, float, float]:
        w = use_case.weights
        total = w.latency + w.quality + w.cost
        terms = (
            use_case,
            w.latency / total,
            w.quality / total,
            w.cost / total,
            use_case.cost_ref_usd,
        )
        if len(self._terms) >= _TERMS_MEMO_SIZE:  # configs reloaded many times over
            self._terms.clear()
        self._terms[id(use_case)] = terms
        return terms


_TIER_ORDER = {ComputeTier.DEVICE: 0, ComputeTier.MEC: 1, ComputeTier.CLOUD: 2}


def _tier_rank(c: Candidate) -> int:
    return _TIER_ORDER[c.status.tier]


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
        return sorted(ranked, key=_tier_rank)


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
