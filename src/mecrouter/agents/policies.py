"""Routing policies: how the candidates a request may use are ordered (the first is chosen).

Every policy implements `RoutingPolicy` and is registered once, by name, in `POLICIES`; the
gateway (`routing.policy`), the demo and the simulator all take theirs from it (through
`make_policy`, or a `RouterAgent` given the name). `UtilityPolicy` is mecrouter's own: hard
constraints are already applied by the RouterAgent, and it maximises the use case's `utility`.
The baselines (cloud-only, MEC-only, device-first, random, round-robin, greedy-latency) use the
same interface, so comparisons are like with like. The oracle is the upper bound: it ranks by
the same utility on the world's true latencies, so it runs only where a `WorldTruth` is bound
(the simulator).
"""

from __future__ import annotations

import itertools
import math
import operator
import random
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

from mecrouter.config import EndpointConfig, UseCaseConfig, redaction_suffices
from mecrouter.errors import ConfigError
from mecrouter.types import ComputeTier, ContextAnalysis, EndpointStatus, PrivacyLevel
from mecrouter.utility import UtilityWeights, utility

__all__ = [
    "POLICIES",
    "Candidate",
    "DeviceFirstPolicy",
    "GreedyLatencyPolicy",
    "OraclePolicy",
    "RandomPolicy",
    "RoundRobinPolicy",
    "RoutingPolicy",
    "TierOnlyPolicy",
    "UtilityPolicy",
    "WorldTruth",
    "make_policy",
    "violates_privacy",
]

_BY_UTILITY = operator.attrgetter("utility")
_BY_LATENCY = operator.attrgetter("latency_ms")
_WEIGHTS_MEMO_SIZE = 64


@dataclass(slots=True, eq=False)  # identity equality: compared by object
class Candidate:
    """One endpoint evaluated for one request. `blocked` = physically impossible; `excluded` =
    forbidden by policy constraints (privacy, residency, budget). Empty string = fine. Times in
    ms, cost in USD; no prediction (inf) is made for what cannot be used."""

    endpoint: EndpointConfig
    status: EndpointStatus
    location: str  # the node (MEC) or tier an outage would take out together
    blocked: str = ""
    excluded: str = ""
    latency_ms: float = math.inf
    ttft_ms: float = math.inf
    slo_latency_ms: float = math.inf  # the latency the use case's SLO is on (TTFT or total)
    quality: float = 0.0
    cost_usd: float = 0.0
    utility: float = 0.0

    @property
    def usable(self) -> bool:
        return not self.blocked and not self.excluded


def violates_privacy(
    ep: EndpointConfig, level: PrivacyLevel, region: str, *, redacted: bool = False
) -> bool:
    """Whether serving data of `level` from `region` on `ep` breaks mecrouter's privacy rules:
    above the endpoint's privacy ceiling (unless it was `redacted` and redaction suffices for
    that level there, see `config.redaction_suffices`), or regulated data off the device and
    out of its region (the rules the RouterAgent enforces as hard constraints; baselines are
    judged by them). Whether a request was redacted: its record's `redacted`, or for a request
    routed on its detected level, `config.privacy.redacts(detected, ep.privacy_ceiling)`."""
    ceiling = ep.privacy_ceiling
    if level > ceiling and not (redacted and redaction_suffices(level, ceiling)):
        return True
    regulated = level is PrivacyLevel.REGULATED and ep.tier is not ComputeTier.DEVICE
    return regulated and ep.region != region


class WorldTruth(Protocol):
    """What only the oracle may ask, and only a simulated world can answer: how the current
    request would truly fare on each endpoint if it were sent now."""

    def true_latencies_ms(self, endpoint_ids: Sequence[str]) -> list[tuple[float, float, float]]:
        """Per endpoint: (time to first token, total) in ms, inf where the call would fail, and
        the true chance of a good answer there (quality drops included)."""
        ...


class RoutingPolicy(Protocol):
    """Orders the candidates a request may use; the first is chosen, the rest are fallbacks.

    Override `order`. It receives every candidate (usable or not); it must return only candidates
    it is willing to use, best first, and may set `utility` for the decision's scores.
    `respects_privacy`: False makes the RouterAgent predict for privacy-excluded candidates too
    (a privacy-blind baseline may pick them). `learns`: whether online quality beliefs should
    steer it (the caller builds them for a policy that learns). `tiers`: the only tiers it ever
    chooses from (the RouterAgent evaluates no other endpoint for it), or None for any."""

    name: str
    respects_privacy: bool
    learns: bool
    tiers: frozenset[ComputeTier] | None

    def order(
        self,
        context: ContextAnalysis,
        candidates: list[Candidate],
        use_case: UseCaseConfig,
        rng: random.Random,
    ) -> list[Candidate]: ...


class _Weighing:
    """A use case's normalised `UtilityWeights`, memoised per config object (held, so that ids
    stay unique while kept)."""

    def __init__(self) -> None:
        self._memo: dict[int, tuple[UseCaseConfig, UtilityWeights]] = {}

    def of(self, use_case: UseCaseConfig) -> UtilityWeights:
        hit = self._memo.get(id(use_case))
        if hit is not None:
            return hit[1]
        if len(self._memo) >= _WEIGHTS_MEMO_SIZE:  # configs reloaded many times over
            self._memo.clear()
        weights = UtilityWeights.of(use_case)
        self._memo[id(use_case)] = (use_case, weights)
        return weights


class UtilityPolicy:
    """mecrouter: hard constraints, then the use case's utility of latency, quality and cost.
    With `learns` False ("mecrouter-static") it routes on the quality predictor alone."""

    respects_privacy = True
    tiers: frozenset[ComputeTier] | None = None

    def __init__(self, name: str = "mecrouter", *, learns: bool = True) -> None:
        self.name, self.learns = name, learns
        self._weights = _Weighing()

    def order(
        self,
        context: ContextAnalysis,
        candidates: list[Candidate],
        use_case: UseCaseConfig,
        rng: random.Random,
    ) -> list[Candidate]:
        w = self._weights.of(use_case)
        slo = float(context.latency_requirement)
        usable = []
        for c in candidates:
            if not c.blocked and not c.excluded:
                c.utility = utility(
                    w, c.slo_latency_ms, slo, c.quality, c.cost_usd, c.status.error_rate
                )
                usable.append(c)
        usable.sort(key=_BY_UTILITY, reverse=True)
        return usable


_TIER_ORDER = {ComputeTier.DEVICE: 0, ComputeTier.MEC: 1, ComputeTier.CLOUD: 2}


def _tier_rank(c: Candidate) -> int:
    return _TIER_ORDER[c.status.tier]


def _ignoring_policy_rules(candidates: list[Candidate]) -> list[Candidate]:
    """What a privacy-unaware baseline may use: everything physically able to serve."""
    ok = []
    for c in candidates:
        if not c.blocked:
            c.excluded = ""
            ok.append(c)
    return ok


class TierOnlyPolicy:
    """Baseline: one tier only (best endpoint of it first); ignores privacy rules."""

    respects_privacy = False
    learns = False

    def __init__(self, tier: ComputeTier) -> None:
        self.tier = tier
        self.tiers: frozenset[ComputeTier] | None = frozenset({tier})  # only its own evaluated
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
    learns = False
    tiers: frozenset[ComputeTier] | None = None

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
    learns = False
    tiers: frozenset[ComputeTier] | None = None

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


class RoundRobinPolicy:
    """Baseline: the endpoints that can physically serve, each request starting one further
    along (privacy-blind, quality- and cost-blind)."""

    name = "round-robin"
    respects_privacy = False
    learns = False
    tiers: frozenset[ComputeTier] | None = None

    def __init__(self) -> None:
        self._turn = itertools.count()

    def order(
        self,
        context: ContextAnalysis,
        candidates: list[Candidate],
        use_case: UseCaseConfig,
        rng: random.Random,
    ) -> list[Candidate]:
        ok = _ignoring_policy_rules(candidates)
        if not ok:
            return ok
        k = next(self._turn) % len(ok)
        return ok[k:] + ok[:k]


class GreedyLatencyPolicy:
    """Baseline: the least predicted latency first (privacy-blind, quality- and cost-blind)."""

    name = "greedy-latency"
    respects_privacy = False
    learns = False
    tiers: frozenset[ComputeTier] | None = None

    def order(
        self,
        context: ContextAnalysis,
        candidates: list[Candidate],
        use_case: UseCaseConfig,
        rng: random.Random,
    ) -> list[Candidate]:
        return sorted(_ignoring_policy_rules(candidates), key=_BY_LATENCY)


class OraclePolicy:
    """Upper bound: mecrouter's hard rules and utility, on the true latency and quality of each
    endpoint for this very request (real queue, RTT, service time, faults, quality drops)."""

    name = "oracle"
    respects_privacy = True
    learns = False
    tiers: frozenset[ComputeTier] | None = None

    def __init__(self, world: WorldTruth) -> None:
        self.world = world
        self._weights = _Weighing()

    def order(
        self,
        context: ContextAnalysis,
        candidates: list[Candidate],
        use_case: UseCaseConfig,
        rng: random.Random,
    ) -> list[Candidate]:
        w = self._weights.of(use_case)
        slo = float(context.latency_requirement)
        on_total = use_case.slo_metric == "total"
        usable = [c for c in candidates if not c.blocked and not c.excluded]
        truth = self.world.true_latencies_ms([c.endpoint.id for c in usable])
        scored = []
        for c, (first_ms, total_ms, quality) in zip(usable, truth, strict=True):
            if total_ms == math.inf:
                continue
            c.quality = quality
            c.ttft_ms, c.latency_ms = first_ms, total_ms
            c.slo_latency_ms = total_ms if on_total else first_ms
            c.utility = utility(w, c.slo_latency_ms, slo, c.quality, c.cost_usd)
            scored.append(c)
        scored.sort(key=_BY_UTILITY, reverse=True)
        return scored


def _oracle(world: WorldTruth | None) -> RoutingPolicy:
    if world is None:
        raise ConfigError(
            "routing.policy",
            "policy 'oracle' needs the world's true latencies and answer quality, which only "
            "the simulator has; use it in `mecrouter simulate`",
        )
    return OraclePolicy(world)


PolicyFactory = Callable[[WorldTruth | None], RoutingPolicy]

POLICIES: Mapping[str, PolicyFactory] = {
    "mecrouter": lambda world: UtilityPolicy(),
    "mecrouter-static": lambda world: UtilityPolicy("mecrouter-static", learns=False),
    "cloud-only": lambda world: TierOnlyPolicy(ComputeTier.CLOUD),
    "mec-only": lambda world: TierOnlyPolicy(ComputeTier.MEC),
    "device-first": lambda world: DeviceFirstPolicy(),
    "random": lambda world: RandomPolicy(),
    "round-robin": lambda world: RoundRobinPolicy(),
    "greedy-latency": lambda world: GreedyLatencyPolicy(),
    "oracle": _oracle,
}


def make_policy(name: str, world: WorldTruth | None = None) -> RoutingPolicy:
    """The registered policy `name`, bound to `world` where it needs one (the oracle); an
    unknown name, or the oracle without a world, is a `ConfigError`."""
    factory = POLICIES.get(name)
    if factory is None:
        raise ConfigError(
            "routing.policy", f"unknown policy {name!r}; known: {', '.join(POLICIES)}"
        )
    return factory(world)
