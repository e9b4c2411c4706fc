"""Routing policies the simulator compares, behind one interface.

`SimPolicy.choose(context, state, probe) -> Choice` orders the endpoints a request tries (first
= chosen, the rest = fallbacks) with the latency each is predicted to take (for attempt
timeouts). mecrouter's policy *is* the production `RouterAgent`; so are the baselines the demo
uses (cloud-only, MEC-only, device-first, random). Round-robin and greedy-least-latency use the
RouterAgent's candidate evaluation (what can physically serve, predicted latency) and nothing
else, like the privacy-blind baselines. The oracle asks the world for each endpoint's true
latency for this request (real queue, real RTT, this request's service time, active faults),
keeps mecrouter's hard rules (privacy, residency) and maximises the same utility: it is the
upper bound mecrouter's regret is measured against.
"""

from __future__ import annotations

import itertools
import math
import operator
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Protocol

from mecrouter.agents.learning import QualityBeliefs
from mecrouter.agents.policies import Candidate, late_multiple, latency_score
from mecrouter.agents.router import RouterAgent, WarmLoadProvider
from mecrouter.config import Config
from mecrouter.errors import NoRouteError
from mecrouter.types import ContextAnalysis, ResourceState

__all__ = ["SIM_POLICIES", "Choice", "Probe", "SimPolicy", "make_policy"]


@dataclass(slots=True, init=False)  # written __init__: mypyc compiles it (see `Candidate`)
class Choice:
    chain: list[str]  # endpoint ids to try, in order
    predicted_ms: list[float]  # the predicted latency of each

    def __init__(self, chain: list[str], predicted_ms: list[float]) -> None:
        self.chain, self.predicted_ms = chain, predicted_ms


class Probe(Protocol):
    """What only the oracle may ask: the true latency of an endpoint for the current request."""

    def true_latencies_ms(self, endpoint_ids: Sequence[str]) -> list[tuple[float, float, float]]:
        """Per endpoint: (time to first token, total) in ms, inf where the call would fail, and
        the quality factor in force (quality drops)."""
        ...


class SimPolicy(Protocol):
    name: str

    def choose(self, context: ContextAnalysis, state: ResourceState, probe: Probe) -> Choice: ...


class AgentPolicy:
    """A production `RouterAgent` policy: mecrouter or one of the demo's baselines. mecrouter
    learns from feedback (`beliefs`) when the config's quality.learning is on, unless `learn`
    is False (the "mecrouter-static" control)."""

    def __init__(
        self,
        config: Config,
        name: str,
        warm_load_s: WarmLoadProvider,
        seed: int,
        *,
        learn: bool = True,
        label: str | None = None,
    ):
        self.name = label or name
        learns = learn and name == "mecrouter" and config.quality.learning
        self.beliefs = QualityBeliefs.from_config(config.quality, seed) if learns else None
        self._router = RouterAgent(
            config,
            policy=name,
            warm_load_s=warm_load_s,
            seed=seed,
            beliefs=self.beliefs,
            reuses_analyses=True,  # the engine reuses one analysis per distinct prompt
        )

    def choose(self, context: ContextAnalysis, state: ResourceState, probe: Probe) -> Choice:
        try:
            chain, predicted = self._router.plan(context, state)
        except NoRouteError:
            return Choice([], [])
        return Choice(chain, predicted)


class _EvaluatingPolicy:
    """Base of the policies that order the RouterAgent's evaluated candidates themselves."""

    name = ""
    respects_privacy = False

    def __init__(self, config: Config, warm_load_s: WarmLoadProvider, seed: int) -> None:
        # A privacy-blind baseline evaluates like one (predictions for privacy-excluded too).
        evaluate_as = "mecrouter" if self.respects_privacy else "random"
        self._router = RouterAgent(
            config, policy=evaluate_as, warm_load_s=warm_load_s, seed=seed, reuses_analyses=True
        )
        self._limit = 1 + config.resilience.max_fallbacks

    def _candidates(self, context: ContextAnalysis, state: ResourceState) -> list[Candidate]:
        cands = self._router.evaluate(context, state)
        if self.respects_privacy:
            return [c for c in cands if not c.blocked and not c.excluded]
        return [c for c in cands if not c.blocked and math.isfinite(c.latency_ms)]

    def _choice(self, ordered: list[Candidate]) -> Choice:
        top = ordered[: self._limit]
        return Choice([c.endpoint.id for c in top], [c.latency_ms for c in top])


class RoundRobinPolicy(_EvaluatingPolicy):
    """Baseline: the next endpoint that can physically serve, in turn (privacy-blind)."""

    name = "round-robin"

    def __init__(self, config: Config, warm_load_s: WarmLoadProvider, seed: int) -> None:
        super().__init__(config, warm_load_s, seed)
        self._turn = itertools.count()

    def choose(self, context: ContextAnalysis, state: ResourceState, probe: Probe) -> Choice:
        cands = self._candidates(context, state)
        if not cands:
            return Choice([], [])
        k = next(self._turn) % len(cands)
        return self._choice(cands[k:] + cands[:k])


class GreedyLatencyPolicy(_EvaluatingPolicy):
    """Baseline: the endpoint with the least predicted latency (privacy-blind, cost-blind)."""

    name = "greedy-latency"

    def choose(self, context: ContextAnalysis, state: ResourceState, probe: Probe) -> Choice:
        return self._choice(sorted(self._candidates(context, state), key=_by_latency))


class OraclePolicy(_EvaluatingPolicy):
    """Upper bound: true latencies, mecrouter's hard rules and utility."""

    name = "oracle"
    respects_privacy = True
    probes_world = True  # the engine keeps what `true_latencies_ms` needs

    def __init__(self, config: Config, warm_load_s: WarmLoadProvider, seed: int) -> None:
        super().__init__(config, warm_load_s, seed)
        self._config = config

    def choose(self, context: ContextAnalysis, state: ResourceState, probe: Probe) -> Choice:
        uc = self._config.use_case(context.use_case)
        w = uc.weights
        w_lat, w_q, w_cost, cost_ref = w.latency, w.quality, w.cost, uc.cost_ref_usd
        w_total = w_lat + w_q + w_cost
        slo = float(context.latency_requirement)
        late = late_multiple(slo)
        total_metric = uc.slo_metric == "total"
        scored = []
        cands = self._candidates(context, state)
        truth = probe.true_latencies_ms([c.endpoint.id for c in cands])
        for c, (first, total, quality_factor) in zip(cands, truth, strict=True):
            if total == math.inf:
                continue
            c.quality *= quality_factor
            c.ttft_ms, c.latency_ms = first, total
            c.slo_latency_ms = total if total_metric else first
            # `utility` with no error discount, inlined (a test keeps the two equal)
            lat = latency_score(c.slo_latency_ms / slo, late)
            c.utility = (
                w_lat * lat + w_q * c.quality + w_cost / (1.0 + c.cost_usd / cost_ref)
            ) / w_total
            scored.append(c)
        scored.sort(key=_BY_UTILITY, reverse=True)
        return self._choice(scored)


_BY_UTILITY = operator.attrgetter("utility")


def _by_latency(c: Candidate) -> float:
    return c.latency_ms


_Factory = Callable[[Config, WarmLoadProvider, int], SimPolicy]

SIM_POLICIES: dict[str, _Factory] = {
    "mecrouter": lambda cfg, warm, seed: AgentPolicy(cfg, "mecrouter", warm, seed),
    "mecrouter-static": lambda cfg, warm, seed: AgentPolicy(
        cfg, "mecrouter", warm, seed, learn=False, label="mecrouter-static"
    ),
    "cloud-only": lambda cfg, warm, seed: AgentPolicy(cfg, "cloud-only", warm, seed),
    "mec-only": lambda cfg, warm, seed: AgentPolicy(cfg, "mec-only", warm, seed),
    "device-first": lambda cfg, warm, seed: AgentPolicy(cfg, "device-first", warm, seed),
    "random": lambda cfg, warm, seed: AgentPolicy(cfg, "random", warm, seed),
    "round-robin": RoundRobinPolicy,
    "greedy-latency": GreedyLatencyPolicy,
    "oracle": OraclePolicy,
}


def make_policy(name: str, config: Config, warm_load_s: WarmLoadProvider, seed: int) -> SimPolicy:
    try:
        factory = SIM_POLICIES[name]
    except KeyError:
        raise KeyError(f"unknown policy {name!r}; known: {', '.join(SIM_POLICIES)}") from None
    return factory(config, warm_load_s, seed)
