"""What one simulation run produces: per-request outcomes per policy, and their summary figures.

Per-request outcomes are kept as NumPy columns (`Outcomes`), one row per request in arrival
order, identical in length and order for every policy of a run (the policies see the same
requests); summaries are plain dicts of floats so they go to JSON and Markdown as they are.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import numpy as np
import numpy.typing as npt

from mecrouter.intervals import group_interval, ratio

__all__ = [
    "TIERS",
    "FaultWindow",
    "Outcomes",
    "PolicyResult",
    "ScenarioResult",
    "intervals",
    "prediction_error",
    "summarise",
]

TIERS = ("device", "mec", "cloud")  # tier codes 0, 1, 2 in `Outcomes.tier`; -1 = not served

F64 = npt.NDArray[np.float64]
I8 = npt.NDArray[np.int8]
B = npt.NDArray[np.bool_]


@dataclass(slots=True)
class Outcomes:
    """One row per request, in arrival order. Latencies are in ms; NaN where not served."""

    arrival_s: F64  # simulated time the request arrived
    latency_ms: F64  # the latency the request's SLO is on (TTFT or total, per use case)
    total_ms: F64  # arrival to last token
    ttft_ms: F64  # arrival to first token
    slo_ms: F64  # the request's latency target
    tier: I8  # index into TIERS; -1 = not served
    endpoint: npt.NDArray[np.int16]  # index into ScenarioResult.endpoints; -1 = not served
    success: B
    slo_met: B
    cost_usd: F64
    quality: F64  # predicted probability the serving model answers well (0 if not served)
    quality_ok: B  # the serving model's capability >= what the request needs
    privacy_violation: B  # served where its privacy level or residency forbids
    fallbacks: I8  # attempts after the first
    utility: F64  # realised utility (latency, quality, cost under the use case's weights)
    # The attempt that served: the latency the policy predicted for it (in its plan) and what
    # it took in the world, from its start to the last token; NaN where not served.
    predicted_ms: F64
    attempt_ms: F64

    @classmethod
    def empty(cls, n: int) -> Outcomes:
        nan = np.full(n, np.nan)
        return cls(
            arrival_s=np.zeros(n),
            latency_ms=nan.copy(),
            total_ms=nan.copy(),
            ttft_ms=nan.copy(),
            slo_ms=np.zeros(n),
            tier=np.full(n, -1, dtype=np.int8),
            endpoint=np.full(n, -1, dtype=np.int16),
            success=np.zeros(n, dtype=np.bool_),
            slo_met=np.zeros(n, dtype=np.bool_),
            cost_usd=np.zeros(n),
            quality=np.zeros(n),
            quality_ok=np.zeros(n, dtype=np.bool_),
            privacy_violation=np.zeros(n, dtype=np.bool_),
            fallbacks=np.zeros(n, dtype=np.int8),
            utility=np.zeros(n),
            predicted_ms=nan.copy(),
            attempt_ms=nan.copy(),
        )

    def __len__(self) -> int:
        return len(self.arrival_s)


@dataclass(slots=True, frozen=True)
class FaultWindow:
    """A fault injected between `start_s` and `end_s` of simulated time."""

    kind: str  # "node_outage" | "network_partition" | "slowdown"
    target: str  # a node id, a tier, or "mec-link"
    start_s: float
    end_s: float
    factor: float = 1.0  # for slow-downs

    def describe(self) -> str:
        what = f"{self.kind} of {self.target}"
        if self.kind == "slowdown":
            what += f" (x{self.factor:g})"
        return f"{what} from t={self.start_s:.0f} s to t={self.end_s:.0f} s"


@dataclass(slots=True)
class PolicyResult:
    policy: str
    outcomes: Outcomes
    wall_s: float = 0.0  # wall-clock seconds the run took
    summary: dict[str, float] = field(default_factory=dict)


@dataclass(slots=True)
class ScenarioResult:
    """Every policy's outcomes on one scenario's requests, with what is needed to explain them."""

    scenario: str
    description: str
    seed: int
    n_requests: int
    duration_s: float  # simulated seconds from first arrival to last
    endpoints: list[str]  # endpoint ids, indexed by Outcomes.endpoint
    faults: list[FaultWindow]
    policies: dict[str, PolicyResult]
    notes: dict[str, Any] = field(default_factory=dict)  # workload parameters, data sources


def summarise(out: Outcomes, oracle: Outcomes | None = None) -> dict[str, float]:
    """The figures reported per policy (latency on the SLO metric, over served requests)."""
    n = len(out)
    served = out.success
    lat = out.latency_ms[served]
    q = np.percentile(lat, [50, 95, 99]) if lat.size else np.full(3, np.nan)
    summary = {
        "requests": float(n),
        "success_pct": 100.0 * float(served.mean()) if n else 0.0,
        "mean_ms": float(lat.mean()) if lat.size else float("nan"),
        "p50_ms": float(q[0]),
        "p95_ms": float(q[1]),
        "p99_ms": float(q[2]),
        "slo_pct": 100.0 * float(out.slo_met.mean()) if n else 0.0,
        "cost_per_1k_usd": 1000.0 * float(out.cost_usd.sum()) / max(1, n),
        "quality_ok_pct": 100.0 * float(out.quality_ok[served].mean()) if lat.size else 0.0,
        "quality_mean": float(out.quality[served].mean()) if lat.size else 0.0,
        "privacy_violations": float(out.privacy_violation.sum()),
        "fallbacks": float(out.fallbacks.sum()),
        "device_pct": _share(out.tier, 0),
        "mec_pct": _share(out.tier, 1),
        "cloud_pct": _share(out.tier, 2),
        "utility_mean": float(out.utility.mean()) if n else 0.0,
    }
    summary.update(prediction_error(out))
    if oracle is not None:
        summary["regret"] = float((oracle.utility - out.utility).mean()) if n else 0.0
    return summary


def intervals(
    out: Outcomes,
    prompt: npt.NDArray[np.intp],
    oracle: Outcomes | None = None,
    reference: Outcomes | None = None,
    seed: int = 0,
) -> dict[str, float]:
    """95% bootstrap intervals (percentile, `BOOTSTRAP_RESAMPLES` resamples) of the mean
    quality over served requests, the mean utility, the regret against `oracle` and the mean
    quality as a share of `reference`'s (cloud-only's) on the same requests.

    The resampled unit is the prompt (`prompt`: per request, its prompt's index), not the
    request: requests repeating a prompt share its outcome, so resampling requests would claim
    more certainty than the prompts give. Keys: ``<figure>_lo`` and ``<figure>_hi``, plus
    ``quality_vs_ref_pct`` itself; NaN where undefined (nothing served, a single prompt)."""
    groups = int(prompt.max()) + 1 if prompt.size else 0
    served = out.success.astype(np.float64)

    def per_prompt(values: F64) -> F64:
        return np.bincount(prompt, weights=values, minlength=groups).astype(np.float64)

    def quality_share(qp: F64, sp: F64, qr: F64, sr: F64, axis: int = -1) -> F64:
        return 100.0 * ratio(qp, sp, axis) / ratio(qr, sr, axis)

    count = per_prompt(np.ones(len(out)))
    samples: dict[str, tuple[tuple[F64, ...], Any]] = {
        "quality_mean": ((per_prompt(out.quality * served), per_prompt(served)), ratio),
        "utility_mean": ((per_prompt(out.utility), count), ratio),
    }
    if oracle is not None:
        samples["regret"] = ((per_prompt(oracle.utility - out.utility), count), ratio)
    figures: dict[str, float] = {}
    if reference is not None:
        ref_served = reference.success.astype(np.float64)
        shares = (
            per_prompt(out.quality * served), per_prompt(served),
            per_prompt(reference.quality * ref_served), per_prompt(ref_served),
        )  # fmt: skip
        figures["quality_vs_ref_pct"] = float(quality_share(*shares))
        samples["quality_vs_ref_pct"] = (shares, quality_share)
    rng = np.random.default_rng(seed)
    for name, (data, statistic) in samples.items():
        lo, hi = group_interval(data, statistic, rng) or (float("nan"), float("nan"))
        figures[f"{name}_lo"], figures[f"{name}_hi"] = lo, hi
    return figures


def prediction_error(out: Outcomes) -> dict[str, float]:
    """How wrong the policy's latency predictions were, per tier, over served requests.

    The relative error of one request is ``predicted / actual - 1`` for the attempt that served
    it (positive: the prediction was too slow, pessimistic). Per tier: ``{tier}_pred_bias_pct``,
    the median signed error (its sign is the bias), and ``{tier}_pred_err_p50_pct`` /
    ``{tier}_pred_err_p95_pct``, the median and 95th percentile of its size; NaN where the tier
    served nothing or the policy made no finite prediction."""
    figures: dict[str, float] = {}
    ok = out.success & np.isfinite(out.predicted_ms) & (out.attempt_ms > 0)
    rel = np.full(len(out), np.nan)
    rel[ok] = out.predicted_ms[ok] / out.attempt_ms[ok] - 1.0
    for code, tier in enumerate(TIERS):
        errors = rel[ok & (out.tier == code)]
        if errors.size:
            size = np.percentile(np.abs(errors), [50, 95])
            bias, p50, p95 = float(np.median(errors)), float(size[0]), float(size[1])
        else:
            bias = p50 = p95 = float("nan")
        figures[f"{tier}_pred_bias_pct"] = 100.0 * bias
        figures[f"{tier}_pred_err_p50_pct"] = 100.0 * p50
        figures[f"{tier}_pred_err_p95_pct"] = 100.0 * p95
    return figures


def _share(tier: I8, code: int) -> float:
    served = tier >= 0
    count = int(served.sum())
    return 100.0 * float((tier[served] == code).sum()) / count if count else 0.0
