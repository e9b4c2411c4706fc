"""mecrouter's utility of serving a request at an endpoint, written once: the RouterAgent's
policies rank by it, the oracle maximises it on true latencies, and the simulator reports the
utility each served request realised with it.

utility = w_latency x latency score + w_quality x P(good answer) + w_cost x cost score, with the
weights of the request's use case normalised to sum to 1, then discounted by the endpoint's
recent error rate. Latencies are in milliseconds, costs in US dollars, quality and error rate
on 0..1.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from mecrouter.config import UseCaseConfig

__all__ = ["UtilityWeights", "latency_score", "utility"]

# The default request deadline, max(5 x SLO, 1 s) (`ResilienceConfig`): past it a request is late.
_LATE_SLOS, _LATE_FLOOR_MS = 5.0, 1_000.0
_LOG_TAIL = 0.1  # how much each e-fold of latency past the SLO still costs


@dataclass(frozen=True, slots=True)
class UtilityWeights:
    """A use case's weights, normalised to sum to 1, and the cost (USD) at which the cost score
    halves."""

    latency: float
    quality: float
    cost: float
    cost_ref_usd: float

    @classmethod
    def of(cls, use_case: UseCaseConfig) -> UtilityWeights:
        w = use_case.weights
        total = w.latency + w.quality + w.cost
        return cls(w.latency / total, w.quality / total, w.cost / total, use_case.cost_ref_usd)


def latency_score(latency_ms: float, slo_ms: float) -> float:
    """Score of a latency against its SLO: 1 at 0 ms, 0.75 at the SLO, then falling steeply (an
    SLO miss is a miss) with a log tail that never goes flat, so that among options that all
    miss the faster still scores higher; past the default request deadline, max(5 x SLO, 1 s),
    it falls faster still, so a late option never beats one in time on quality alone.

    It is `utility` with all the weight on latency (the formula is written there, where the
    router computes it for every candidate of every request)."""
    return utility(_LATENCY_ONLY, latency_ms, slo_ms, 0.0, 0.0)


def utility(
    weights: UtilityWeights,
    latency_ms: float,
    slo_ms: float,
    quality: float,
    cost_usd: float,
    error_rate: float = 0.0,
) -> float:
    """The utility of serving a request in `latency_ms` (against its `slo_ms`) with a
    `quality` chance of a good answer for `cost_usd`, at an endpoint failing `error_rate` of
    its calls lately (an endpoint that has been failing is worth less before its circuit even
    opens)."""
    x = latency_ms / slo_ms  # the latency score (see `latency_score`)
    if x <= 1.0:
        score = 1.0 - 0.25 * x
    else:
        score = 0.75 * math.exp(-2.0 * (x - 1.0)) - _LOG_TAIL * math.log(x)
        if x > _LATE_SLOS:  # it may be late: past max(5 SLOs, 1 s), in SLOs
            late = _LATE_FLOOR_MS / slo_ms
            if late < _LATE_SLOS:
                late = _LATE_SLOS
            if x > late:
                score -= math.log(x / late)
    w = weights
    u = w.latency * score + w.quality * quality + w.cost / (1.0 + cost_usd / w.cost_ref_usd)
    return u * (1.0 - error_rate) if u >= 0.0 else u - error_rate


_LATENCY_ONLY = UtilityWeights(latency=1.0, quality=0.0, cost=0.0, cost_ref_usd=1.0)
