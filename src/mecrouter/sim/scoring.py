"""Score a finished run: the outcome columns derived from what each served request got.

Computed in NumPy over all requests at once: what varies per request is looked up from the few
distinct (prompt, use case) judgements and the endpoint that served. The realised utility is
mecrouter's own `utility`, mapped over the served requests.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import numpy.typing as npt

from mecrouter.agents.policies import violates_privacy
from mecrouter.config import Config, EndpointConfig, UseCaseConfig
from mecrouter.prediction import required_capability
from mecrouter.sim.facts import RequestFacts
from mecrouter.sim.results import FaultWindow, Outcomes
from mecrouter.types import ContextAnalysis, PrivacyLevel
from mecrouter.utility import UtilityWeights, utility

__all__ = ["finish_outcomes"]

F64 = npt.NDArray[np.float64]
Index = npt.NDArray[np.intp]
Mask = npt.NDArray[np.bool_]


def finish_outcomes(config: Config, out: Outcomes, facts: RequestFacts) -> None:
    """Derived columns: the SLO latency, SLO met, quality, privacy, realised utility.

    Quality is the true chance of a good answer (`RequestFacts.truth`: the recorded outcome
    of a labelled prompt, else the capability yardstick; never the router's predictor), times
    any quality drop in force when the request arrived."""
    if len(out) == 0:
        return
    endpoints = config.endpoints
    kind = np.array(facts.kind, dtype=np.intp)  # per request, its (prompt, use case)
    first = np.unique(kind, return_index=True)[1].tolist()  # kinds are numbered as they appear
    ctxs = [facts.judged(i) for i in first]
    ucs = [config.use_case(c.use_case) for c in ctxs]
    true_q = np.array([[facts.truth(i)[ep.id] for ep in endpoints] for i in first])
    on_total = np.array([uc.slo_metric == "total" for uc in ucs])[kind]
    metric = np.where(on_total, out.total_ms, out.ttft_ms)
    out.latency_ms[:] = metric
    served = np.flatnonzero(out.success)
    ep_index = out.endpoint[served].astype(np.intp)
    kind_served = kind[served]
    slo = out.slo_ms[served]
    lat = metric[served]
    quality = _after_drops(
        true_q[kind_served, ep_index], facts.world.faults, endpoints, ep_index,
        out.arrival_s[served],
    )  # fmt: skip
    out.slo_met[served] = lat <= slo
    out.quality[served] = quality
    truth = [max(facts.privacy_truth(i), uc.min_privacy) for i, uc in zip(first, ucs, strict=True)]
    quality_ok, violation = _hard_checks(config, ctxs, truth, kind_served, ep_index)
    out.quality_ok[served] = quality_ok
    out.privacy_violation[served] = violation
    out.utility[served] = _utility(ucs, kind_served, lat, slo, quality, out.cost_usd[served])


def _after_drops(
    quality: F64,
    faults: Sequence[FaultWindow],
    endpoints: Sequence[EndpointConfig],
    ep_index: Index,
    arrived: F64,
) -> F64:
    """`quality` of each served request times every quality drop on its endpoint in force
    when it arrived."""
    for f in faults:
        if f.kind != "quality_drop":
            continue
        hit = np.array([f.target in (ep.model, ep.node, ep.id) for ep in endpoints])[ep_index]
        quality = np.where(
            hit & (arrived >= f.start_s) & (arrived < f.end_s), quality * f.factor, quality
        )
    return quality


def _hard_checks(
    config: Config,
    ctxs: Sequence[ContextAnalysis],
    privacy: Sequence[PrivacyLevel],
    kind_served: Index,
    ep_index: Index,
) -> tuple[Mask, Mask]:
    """Per served request: whether its endpoint was capable enough for its complexity, and
    whether serving it there broke the privacy rules for its prompt's *true* level (`privacy`,
    per kind: the corpus's label raised to the use case's floor), not the detector's. A
    request the detector rated SENSITIVE is redacted before it reaches an endpoint below that
    (`privacy.redact_for_cloud`), which excuses it there only if it truly was SENSITIVE."""
    endpoints, redacts = config.endpoints, config.privacy.redacts
    needed = np.array([required_capability(c.complexity_score) for c in ctxs])[kind_served]
    capability = np.array([ep.capability for ep in endpoints])[ep_index]
    forbidden = np.array(
        [[violates_privacy(ep, level, c.geographic_region,
                           redacted=redacts(c.privacy_level, ep.privacy_ceiling))
          for ep in endpoints]
         for c, level in zip(ctxs, privacy, strict=True)]
    )  # fmt: skip
    return capability >= needed, forbidden[kind_served, ep_index]


def _utility(
    ucs: Sequence[UseCaseConfig], kind_served: Index, lat: F64, slo: F64, quality: F64, cost: F64
) -> F64:
    """The realised utility of each served request under its use case's weights (no error
    discount: the request was served)."""
    weights = [UtilityWeights.of(uc) for uc in ucs]
    rows = zip(
        kind_served.tolist(), lat.tolist(), slo.tolist(), quality.tolist(), cost.tolist(),
        strict=True,
    )  # fmt: skip
    return np.array([utility(weights[k], ms, slo_ms, q, usd) for k, ms, slo_ms, q, usd in rows])
