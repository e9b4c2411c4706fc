"""MonitorAgent: watches every outcome, keeps rolling statistics, and makes sure it is recorded.

Each finished request arrives as a `DecisionRecord`. The agent

* feeds it to the listeners (this is how the ResourceAgent learns from outcomes in real time),
* updates rolling statistics per tier, use case and endpoint over the last ``window`` records,
* writes it to the store before `track_performance` returns, committed together with the records
  of concurrent requests (group commit, `mecrouter.stores.group_commit`). No record is ever
  dropped: one whose commit failed stays buffered and is retried with the next commit, and
  ``aclose`` raises `StoreError` if it cannot write them all.

The analyses (`snapshot_stats`, `analyze_patterns`, `detect_anomalies`,
`generate_optimization_recommendations`) are synchronous and pure over that state and return data.

A record meets its SLO iff it succeeded and the pipeline marked it ``slo_met`` (the pipeline knows
whether the use case states its SLO on time to first token or on total latency). The p95 used for
SLO-breach advice is on TTFT when a record has one, else on total latency.
"""

from __future__ import annotations

import logging
import math
import statistics
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from mecrouter.agents.cache import CacheAgent
from mecrouter.stores.base import Store
from mecrouter.stores.group_commit import GroupCommit
from mecrouter.types import DecisionRecord

__all__ = [
    "Anomaly",
    "MonitorAgent",
    "Pattern",
    "Recommendation",
    "TierStats",
    "percentile",
    "robust_z",
]

logger = logging.getLogger(__name__)

Listener = Callable[[DecisionRecord], None]

_Z_LIMIT = 3.5  # Iglewicz & Hoaglin's cut-off for the modified z-score
_MIN_BASELINE = 10  # fewer points than this say nothing about "normal"
_EWMA_LAMBDA = 0.1
_EWMA_SIGMAS = 3.0
_ERROR_RATE_ABS = 0.20
_MIN_ERROR_SAMPLES = 20
_RECOMMEND_ERROR_RATE = 0.10
_RECOMMEND_MIN_SAMPLES = 10
_RECOMMEND_MISS_SHARE = 0.10
_FALLBACK_HOTSPOT_RATE = 0.10


# --------------------------------------------------------------------------- result types


@dataclass(slots=True, frozen=True)
class TierStats:
    """Rolling statistics of one group (a tier or a use case); latencies are of successes."""

    name: str
    count: int
    success_rate: float
    p50_latency_ms: float
    p95_latency_ms: float
    mean_cost_usd: float
    slo_attainment: float
    fallback_count: int
    cache_hit_rate: float


@dataclass(slots=True, frozen=True)
class Pattern:
    """One observation about recent traffic, e.g. ``tier_share mec 0.62``."""

    kind: str  # tier_share | use_case_share | cost_share | fallback_hotspot
    target: str
    value: float
    count: int
    message: str


@dataclass(slots=True, frozen=True)
class Anomaly:
    """A metric of one endpoint that left its normal range; ``score`` is in sigmas."""

    endpoint: str
    metric: str  # latency_ms | error_rate | value
    value: float
    baseline: float
    score: float


@dataclass(slots=True, frozen=True)
class Recommendation:
    """Something an operator (or the CacheAgent) could do, with the numbers behind it."""

    kind: str  # preload | check_endpoint | slo_breach
    target: str
    message: str
    evidence: dict[str, float] = field(default_factory=dict)


# --------------------------------------------------------------------------- pure statistics


def percentile(sorted_values: Sequence[float], q: float) -> float:
    """Linear-interpolated quantile ``q`` in [0, 1] of already sorted values (numpy's default)."""
    if not sorted_values:
        return 0.0
    pos = (len(sorted_values) - 1) * q
    lo = math.floor(pos)
    hi = min(lo + 1, len(sorted_values) - 1)
    frac = pos - lo
    return sorted_values[lo] + (sorted_values[hi] - sorted_values[lo]) * frac


def robust_z(value: float, baseline: Sequence[float]) -> tuple[float, float]:
    """Modified z-score of ``value`` against ``baseline`` (median/MAD); returns (z, median).

    The scale is floored at 1% of the median so sub-percent jitter on a flat baseline (MAD 0)
    is never an anomaly.
    """
    med = statistics.median(baseline)
    mad = statistics.median(abs(x - med) for x in baseline)
    scale = max(mad / 0.6745, abs(med) * 0.01, 1e-9)
    return (value - med) / scale, med


def _meets_slo(record: DecisionRecord) -> bool:
    return record.success and record.slo_met


def _slo_value(record: DecisionRecord) -> float:
    return record.ttft_ms if record.ttft_ms > 0 else record.latency_ms


def _tier(record: DecisionRecord) -> str:
    return record.actual_tier or record.selected_tier


def _endpoint(record: DecisionRecord) -> str:
    return record.actual_endpoint or record.selected_endpoint


def _group_stats(name: str, records: Iterable[DecisionRecord]) -> TierStats:
    rows = list(records)
    n = len(rows)
    if n == 0:
        return TierStats(name, 0, 0.0, 0.0, 0.0, 0.0, 0.0, 0, 0.0)
    latencies = sorted(r.latency_ms for r in rows if r.success)
    return TierStats(
        name=name,
        count=n,
        success_rate=sum(r.success for r in rows) / n,
        p50_latency_ms=percentile(latencies, 0.50),
        p95_latency_ms=percentile(latencies, 0.95),
        mean_cost_usd=sum(r.cost_usd for r in rows) / n,
        slo_attainment=sum(_meets_slo(r) for r in rows) / n,
        fallback_count=sum(1 for r in rows if r.fallbacks_used > 0),
        cache_hit_rate=sum(r.cache_hit for r in rows) / n,
    )


def _latency_anomaly(
    endpoint: str, metric: str, series: Sequence[float], recent: int
) -> Anomaly | None:
    """The median of the last ``recent`` points against the points before them."""
    if len(series) < _MIN_BASELINE + recent:
        return None
    baseline = series[:-recent]
    value = statistics.median(series[-recent:])
    z, med = robust_z(value, baseline)
    if abs(z) <= _Z_LIMIT:
        return None
    return Anomaly(endpoint, metric, value, med, z)


def _error_rate_anomaly(endpoint: str, errors: Sequence[bool]) -> Anomaly | None:
    """EWMA control chart on the 0/1 error series.

    The baseline rate is the window's (Laplace-smoothed so a clean history still has a spread);
    the EWMA starts there and runs over the series. Anomalous above baseline + 3 sigma of the
    EWMA, or above an absolute 20%.
    """
    n = len(errors)
    if n < _MIN_ERROR_SAMPLES:
        return None
    p0 = (sum(errors) + 1) / (n + 2)
    ewma = p0
    for failed in errors:
        ewma = _EWMA_LAMBDA * float(failed) + (1 - _EWMA_LAMBDA) * ewma
    sigma = math.sqrt(p0 * (1 - p0) * _EWMA_LAMBDA / (2 - _EWMA_LAMBDA))
    if ewma <= p0 + _EWMA_SIGMAS * sigma and ewma <= _ERROR_RATE_ABS:
        return None
    return Anomaly(endpoint, "error_rate", ewma, p0, (ewma - p0) / sigma)


# --------------------------------------------------------------------------- the agent


class MonitorAgent:
    """Tracks outcomes, feeds listeners, keeps rolling statistics and persists every record.

    `track_performance` returns once the record is committed to the store (group commit, see
    `GroupCommit`: concurrent records share a transaction; ``commit_delay_s`` is how long a
    group waits for more records to join). ``batch_size`` caps the records per transaction;
    ``close_attempts`` and ``retry_delay_s`` bound how hard `aclose` tries before giving up;
    ``anomaly_recent`` is how many latest latencies a spike must span to be an anomaly.
    """

    def __init__(
        self,
        store: Store | None,
        *,
        listeners: Sequence[Listener] = (),
        window: int = 500,
        batch_size: int = 64,
        commit_delay_s: float = 0.0,
        close_attempts: int = 3,
        retry_delay_s: float = 0.05,
        anomaly_recent: int = 3,
    ) -> None:
        if window < 1 or anomaly_recent < 1:
            raise ValueError("window and anomaly_recent must be >= 1")
        # No store (the simulator, which keeps its own outcome columns): nothing is persisted.
        self._log = (
            None
            if store is None
            else GroupCommit(
                store,
                delay_s=commit_delay_s,
                batch_size=batch_size,
                close_attempts=close_attempts,
                retry_delay_s=retry_delay_s,
            )
        )
        self._listeners = tuple(listeners)
        self._window = window
        self._recent = anomaly_recent
        self._recent_records: deque[DecisionRecord] = deque(maxlen=window)
        self._by_tier: defaultdict[str, deque[DecisionRecord]] = defaultdict(self._new_window)
        self._by_use_case: defaultdict[str, deque[DecisionRecord]] = defaultdict(self._new_window)
        self._by_endpoint: defaultdict[str, deque[DecisionRecord]] = defaultdict(self._new_window)
        self.tracked = 0

    def _new_window(self) -> deque[DecisionRecord]:
        return deque(maxlen=self._window)

    def add_listener(self, listener: Listener) -> None:
        self._listeners = (*self._listeners, listener)

    @property
    def pending(self) -> int:
        """Records tracked but not yet committed to the store."""
        return 0 if self._log is None else self._log.pending

    @property
    def written(self) -> int:
        """Records committed to the store."""
        return 0 if self._log is None else self._log.written

    # ---------------------------------------------------------------- tracking and persistence

    async def track_performance(self, record: DecisionRecord) -> None:
        """Account for one outcome: statistics, listeners, then the store. Returns once the
        record is committed; StoreError if its commit failed (the record is kept and retried
        with the next commit, so it is still written exactly once)."""
        self.observe(record)
        if self._log is not None:
            await self._log.write(record)

    def observe(self, record: DecisionRecord) -> None:
        """Account for one outcome without persisting it: statistics and listeners (what the
        simulator calls, on its own clock)."""
        self.tracked += 1
        self._recent_records.append(record)
        self._by_tier[_tier(record)].append(record)
        self._by_use_case[record.use_case].append(record)
        endpoint = _endpoint(record)
        if endpoint:
            self._by_endpoint[endpoint].append(record)
        for listener in self._listeners:
            try:
                listener(record)
            # A listener is another agent's code: whatever it raises must not stop monitoring
            # (or the request it describes), so it is logged with its traceback and skipped.
            # (ruff BLE001 accepts this because the traceback is logged; a noqa would be RUF100.)
            except Exception:
                logger.exception("monitor listener %r failed on %s", listener, record.request_id)

    async def flush(self) -> None:
        """Commit every buffered record now; on failure keep the rest and raise StoreError."""
        if self._log is not None:
            await self._log.flush()

    async def aclose(self) -> None:
        """Commit everything, retrying with growing delays; StoreError if records remain.

        The store itself belongs to the caller and is not closed here.
        """
        if self._log is not None:
            await self._log.aclose()

    # ---------------------------------------------------------------- statistics

    def snapshot_stats(self) -> dict[str, TierStats]:
        """Rolling statistics per tier (the tier that actually served)."""
        return {name: _group_stats(name, rows) for name, rows in sorted(self._by_tier.items())}

    def stats_by_use_case(self) -> dict[str, TierStats]:
        return {name: _group_stats(name, rows) for name, rows in sorted(self._by_use_case.items())}

    def stats_by_endpoint(self) -> dict[str, TierStats]:
        return {name: _group_stats(name, rows) for name, rows in sorted(self._by_endpoint.items())}

    # ---------------------------------------------------------------- analyses

    def analyze_patterns(self, window_s: float, now: float) -> list[Pattern]:
        """Traffic and cost share per tier and use case, and fallback hot spots, over the
        retained records (the last ``window``) with timestamp in ``[now - window_s, now]``."""
        rows = [r for r in self._recent_records if now - window_s <= r.timestamp <= now]
        if not rows:
            return []
        n = len(rows)
        out: list[Pattern] = []
        for tier, count in sorted(Counter(_tier(r) for r in rows).items()):
            out.append(Pattern("tier_share", tier, count / n, count, f"{count / n:.0%} on {tier}"))
        for use_case, count in sorted(Counter(r.use_case for r in rows).items()):
            msg = f"{count / n:.0%} of traffic is {use_case}"
            out.append(Pattern("use_case_share", use_case, count / n, count, msg))
        out.extend(_cost_shares(rows))
        out.extend(_fallback_hotspots(rows))
        return out

    def detect_anomalies(self, metrics: Sequence[float] | None = None) -> list[Anomaly]:
        """Latency spikes (robust z > 3.5) and error-rate excursions (EWMA chart) per endpoint.

        Given ``metrics``, tests that one series instead: are its latest points unlike the rest?
        """
        if metrics is not None:
            found = _latency_anomaly("", "value", list(metrics), self._recent)
            return [found] if found is not None else []
        out: list[Anomaly] = []
        for endpoint, rows in sorted(self._by_endpoint.items()):
            served = [r.latency_ms for r in rows if r.success and not r.cache_hit]
            latency = _latency_anomaly(endpoint, "latency_ms", served, self._recent)
            errors = _error_rate_anomaly(endpoint, [not r.success for r in rows])
            out.extend(a for a in (latency, errors) if a is not None)
        return out

    def generate_optimization_recommendations(
        self, cache: CacheAgent | None = None
    ) -> list[Recommendation]:
        """Preloads from the CacheAgent's misses, unhealthy endpoints, and SLO breaches."""
        out: list[Recommendation] = []
        if cache is not None:
            out.extend(_preload_recommendations(cache))
        for endpoint, stats in self.stats_by_endpoint().items():
            error_rate = 1.0 - stats.success_rate
            if stats.count >= _RECOMMEND_MIN_SAMPLES and error_rate >= _RECOMMEND_ERROR_RATE:
                out.append(
                    Recommendation(
                        "check_endpoint",
                        endpoint,
                        f"endpoint {endpoint} error rate {error_rate:.0%} — check health",
                        {"error_rate": error_rate, "count": float(stats.count)},
                    )
                )
        out.extend(_slo_recommendations(self._recent_records))
        return out


# --------------------------------------------------------------------------- analysis helpers


def _cost_shares(rows: Sequence[DecisionRecord]) -> list[Pattern]:
    total = sum(r.cost_usd for r in rows)
    if total <= 0:
        return []
    cost: defaultdict[str, float] = defaultdict(float)
    counts: Counter[str] = Counter()
    for r in rows:
        cost[_tier(r)] += r.cost_usd
        counts[_tier(r)] += 1
    return [
        Pattern("cost_share", t, c / total, counts[t], f"{t} is {c / total:.0%} of cost (${c:.4f})")
        for t, c in sorted(cost.items())
    ]


def _fallback_hotspots(rows: Sequence[DecisionRecord]) -> list[Pattern]:
    """Endpoints the router chose that often needed a fallback (judged on the chosen one)."""
    chosen: Counter[str] = Counter(r.selected_endpoint for r in rows if r.selected_endpoint)
    fell: Counter[str] = Counter(
        r.selected_endpoint for r in rows if r.selected_endpoint and r.fallbacks_used > 0
    )
    out: list[Pattern] = []
    for endpoint, count in sorted(fell.items()):
        rate = count / chosen[endpoint]
        if rate >= _FALLBACK_HOTSPOT_RATE:
            msg = f"{rate:.0%} of requests routed to {endpoint} needed a fallback"
            out.append(Pattern("fallback_hotspot", endpoint, rate, count, msg))
    return out


def _preload_recommendations(cache: CacheAgent) -> list[Recommendation]:
    """Recommend loading the models whose absence caused the most MEC misses (most first)."""
    misses = cache.placement.miss_counts()
    total = sum(misses.values())
    out: list[Recommendation] = []
    for (node_id, model), count in sorted(misses.items(), key=lambda kv: (-kv[1], kv[0])):
        share = count / total
        if share < _RECOMMEND_MISS_SHARE or cache.placement.is_hot(node_id, model):
            continue
        if cache.placement.load_time_s(node_id, model) is None:
            continue  # cold there: no amount of demand makes it fit
        out.append(
            Recommendation(
                "preload",
                f"{node_id}/{model}",
                f"preload {model} on {node_id}: {share:.0%} of MEC misses",
                {"misses": float(count), "share": share},
            )
        )
    return out


def _slo_recommendations(rows: Iterable[DecisionRecord]) -> list[Recommendation]:
    """Flag (tier, use case) pairs whose p95 of the SLO metric exceeds their median SLO."""
    groups: defaultdict[tuple[str, str], list[DecisionRecord]] = defaultdict(list)
    for r in rows:
        if r.success and r.slo_ms > 0:
            groups[(_tier(r), r.use_case)].append(r)
    out: list[Recommendation] = []
    for (tier, use_case), group in sorted(groups.items()):
        if len(group) < _RECOMMEND_MIN_SAMPLES:
            continue
        p95 = percentile(sorted(_slo_value(r) for r in group), 0.95)
        slo = statistics.median(r.slo_ms for r in group)
        if p95 > slo:
            out.append(
                Recommendation(
                    "slo_breach",
                    f"{tier}/{use_case}",
                    f"tier {tier} p95 {p95:.0f} ms exceeds the {slo:.0f} ms SLO for {use_case}",
                    {"p95_ms": p95, "slo_ms": slo, "count": float(len(group))},
                )
            )
    return out
