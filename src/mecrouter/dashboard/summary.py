"""What the pages show, computed from a window's rows or a store's buckets (pure functions: the
pages draw them, the tests check them against the rows they came from).

Percentiles are numpy's (linear interpolation, as `numpy.percentile` defaults to).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final

import numpy as np

__all__ = [
    "LIVE_COLUMNS", "CloudPrice", "GatewayTotals", "LiveSummary", "Savings", "TierLatency",
    "cloud_only_savings", "gateway_totals", "live_summary", "tier_latency",
]  # fmt: skip

TIERS: Final = ("device", "mec", "cloud")
LIVE_COLUMNS: Final = (
    "timestamp", "tier", "use_case", "latency_ms", "slo_ms", "slo_met", "success",
    "fallbacks_used", "cost_usd", "cache_hit",
)  # fmt: skip


@dataclass(frozen=True, slots=True)
class LiveSummary:
    requests: int
    requests_per_s: float
    tier_mix: dict[str, int]  # answered per tier (where it was answered, after fallbacks)
    success_rate: float
    fallback_rate: float
    slo_rate: float
    spend_usd: float


@dataclass(frozen=True, slots=True)
class TierLatency:
    """p50/p95 latency of one (use case, tier) beside the use case's SLO."""

    use_case: str
    tier: str
    requests: int
    p50_ms: float
    p95_ms: float
    slo_ms: float


def live_summary(rows: Sequence[Mapping[str, Any]], window_s: float) -> LiveSummary:
    n = len(rows)
    if n == 0:
        return LiveSummary(0, 0.0, {}, 0.0, 0.0, 0.0, 0.0)
    mix = Counter(str(r["tier"]) for r in rows)
    return LiveSummary(
        requests=n,
        requests_per_s=n / window_s,
        tier_mix={t: mix[t] for t in sorted(mix, key=_tier_order)},
        success_rate=sum(bool(r["success"]) for r in rows) / n,
        fallback_rate=sum(r["fallbacks_used"] > 0 for r in rows) / n,
        slo_rate=sum(bool(r["slo_met"]) for r in rows) / n,
        spend_usd=float(sum(r["cost_usd"] for r in rows)),
    )


def tier_latency(rows: Sequence[Mapping[str, Any]]) -> list[TierLatency]:
    """Per (use case, tier) of the successful answers: p50, p95 and the SLO they were held to."""
    groups: dict[tuple[str, str], list[float]] = defaultdict(list)
    slos: dict[str, float] = {}
    for r in rows:
        if r["success"] and not r["cache_hit"]:
            groups[str(r["use_case"]), str(r["tier"])].append(float(r["latency_ms"]))
        slos[str(r["use_case"])] = max(slos.get(str(r["use_case"]), 0.0), float(r["slo_ms"]))
    out = []
    ordered = sorted(groups.items(), key=lambda kv: (kv[0][0], _tier_order(kv[0][1])))
    for (use_case, tier), values in ordered:
        p50, p95 = np.percentile(np.asarray(values), [50, 95])
        slo = slos[use_case]
        out.append(TierLatency(use_case, tier, len(values), float(p50), float(p95), slo))
    return out


def _tier_order(tier: str) -> int:
    return TIERS.index(tier) if tier in TIERS else len(TIERS)


@dataclass(frozen=True, slots=True)
class CloudPrice:
    """The price a cloud-only counterfactual pays: one cloud endpoint's, per 1,000 tokens."""

    endpoint: str
    model: str
    per_1k_input_usd: float
    per_1k_output_usd: float


@dataclass(frozen=True, slots=True)
class Savings:
    requests: int
    spend_usd: float  # what was paid (recorded cost of every answer)
    cloud_only_usd: float  # every request's recorded tokens at the cloud price
    saving_usd: float
    saving_share: float  # of the cloud-only spend


def cloud_only_savings(buckets: Sequence[Mapping[str, Any]], price: CloudPrice) -> Savings:
    """The saving against sending every request to `price`'s endpoint, from recorded tokens and
    costs (token counts as recorded; a request that failed counts its recorded tokens too)."""
    requests = int(sum(b["requests"] for b in buckets))
    spend = float(sum(b["cost_usd"] or 0.0 for b in buckets))
    tokens_in = float(sum(b["input_tokens"] or 0 for b in buckets))
    tokens_out = float(sum(b["output_tokens"] or 0 for b in buckets))
    cloud = (tokens_in * price.per_1k_input_usd + tokens_out * price.per_1k_output_usd) / 1000
    saving = cloud - spend
    return Savings(requests, spend, cloud, saving, saving / cloud if cloud > 0 else 0.0)


@dataclass(frozen=True, slots=True)
class GatewayTotals:
    """The gateway's own counters since it started (its `/metrics`)."""

    requests: float
    failed: float
    fallbacks: float
    cache_hits: float
    http_errors: float
    spend_usd: float


def gateway_totals(samples: Sequence[tuple[str, dict[str, str], float]]) -> GatewayTotals:
    """Sums of the gateway's Prometheus counters (`_total` samples; labels summed over)."""
    sums: defaultdict[str, float] = defaultdict(float)
    failed = 0.0
    for name, labels, value in samples:
        sums[name] += value
        if name == "mecrouter_requests_total" and labels.get("outcome") != "success":
            failed += value
    return GatewayTotals(
        requests=sums["mecrouter_requests_total"],
        failed=failed,
        fallbacks=sums["mecrouter_fallbacks_total"],
        cache_hits=sums["mecrouter_cache_hits_total"],
        http_errors=sums["mecrouter_http_errors_total"],
        spend_usd=sums["mecrouter_cost_usd_total"],
    )
