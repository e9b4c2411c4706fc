"""Regret against the oracle over simulated time, around a scenario's first quality drop.

How fast a policy notices that a model got worse: its mean regret per time bucket, and per
phase (before the drop, just after it, late). The report tabulates it and plots it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from mecrouter.sim.results import ScenarioResult

__all__ = ["Drift", "regret_over_time", "time_buckets"]

F64 = npt.NDArray[np.float64]
_MAX_BUCKETS = 50


def time_buckets(arrival_s: F64) -> tuple[F64, npt.NDArray[np.intp]]:
    """Edges of ~50 equal time buckets over the arrivals, and each request's bucket."""
    n_buckets = max(1, min(_MAX_BUCKETS, arrival_s.size // 10))
    low, high = float(arrival_s.min()), float(arrival_s.max())
    edges = np.linspace(low, high if high > low else low + 1.0, n_buckets + 1)
    index = np.searchsorted(edges, arrival_s, side="right") - 1
    return edges, np.clip(index, 0, n_buckets - 1).astype(np.intp)


@dataclass(slots=True)
class Drift:
    """Regret against the oracle in time buckets, around the first quality drop."""

    change_s: float  # when the drop starts
    edges: F64  # bucket edges (simulated s)
    regret: dict[str, F64]  # per policy, mean regret per bucket
    phases: dict[str, dict[str, float]]  # per policy: before / just after / late regret


def regret_over_time(result: ScenarioResult) -> Drift | None:
    """None unless the scenario has a quality drop and an oracle to measure regret against."""
    drops = [f for f in result.faults if f.kind == "quality_drop"]
    oracle = result.policies.get("oracle")
    if not drops or oracle is None or len(oracle.outcomes) == 0:
        return None
    change = drops[0].start_s
    arrival = oracle.outcomes.arrival_s
    edges, index = time_buckets(arrival)
    counts = np.bincount(index, minlength=len(edges) - 1).astype(np.float64)
    end = float(arrival.max())
    after = end - change
    phases_at = {
        "before": arrival < change,
        "first 10% after": (arrival >= change) & (arrival < change + 0.1 * after),
        "last 20%": arrival >= end - 0.2 * after,
    }
    regret: dict[str, F64] = {}
    phases: dict[str, dict[str, float]] = {}
    for name, run in result.policies.items():
        if name == "oracle":
            continue
        gap = oracle.outcomes.utility - run.outcomes.utility
        sums = np.bincount(index, weights=gap, minlength=len(edges) - 1)
        regret[name] = sums / np.maximum(counts, 1.0)
        phases[name] = {k: float(gap[m].mean()) if m.any() else 0.0 for k, m in phases_at.items()}
    return Drift(change, edges, regret, phases)
