"""MonitorAgent: group commit without loss, listeners, rolling statistics, anomalies, advice."""

from __future__ import annotations

import asyncio
import itertools
import logging
from collections.abc import Sequence
from typing import Any

import pytest

from mecrouter.agents.cache import CacheAgent
from mecrouter.agents.monitor import MonitorAgent, percentile, robust_z
from mecrouter.config import load_config
from mecrouter.errors import StoreError
from mecrouter.stores.memory import MemoryStore
from mecrouter.types import DecisionRecord, ResourceMetric


class FakeStore:
    """Keeps written batches; the first ``fail_times`` writes raise StoreError."""

    def __init__(self, fail_times: int = 0) -> None:
        self.batches: list[list[DecisionRecord]] = []
        self.fail_times = fail_times
        self.attempts = 0

    @property
    def records(self) -> list[DecisionRecord]:
        return [r for batch in self.batches for r in batch]

    async def write_decisions(self, records: Sequence[DecisionRecord]) -> None:
        self.attempts += 1
        if self.fail_times > 0:
            self.fail_times -= 1
            raise StoreError("database is locked")
        self.batches.append(list(records))

    async def write_metrics(self, metrics: Sequence[ResourceMetric]) -> None:
        return None

    async def get_decision(self, decision_id: str) -> DecisionRecord | None:
        return None

    async def set_feedback(self, decision_id: str, score: float) -> bool:
        return False

    async def query_decisions(
        self,
        *,
        user_id: str | None = None,
        since: float | None = None,
        until: float | None = None,
        limit: int = 1000,
    ) -> list[DecisionRecord]:
        return []

    async def count_decisions(self) -> int:
        return len(self.records)

    async def query_metrics(
        self, tier_id: str, *, since: float | None = None, limit: int = 1000
    ) -> list[ResourceMetric]:
        return []

    async def purge_expired(self, now: float) -> int:
        return 0

    async def aclose(self) -> None:
        return None


_ids = itertools.count(1)


def rec(**overrides: Any) -> DecisionRecord:
    """A successful MEC record; override any field."""
    n = next(_ids)
    fields: dict[str, Any] = {
        "request_id": f"r{n}",
        "timestamp": float(n),
        "user_id": "u",
        "decision_id": f"d{n}",
        "use_case": "default",
        "policy": "mecrouter",
        "selected_tier": "mec",
        "selected_model": "mistral-7b-instruct",
        "selected_endpoint": "mec-lon-mistral-7b",
        "confidence_score": 0.9,
        "reasoning": "test",
        "fallback_options": ["cloud"],
        "estimated_latency_ms": 200.0,
        "estimated_cost_usd": 0.0001,
        "slo_ms": 3000.0,
        "privacy_level": "public",
        "complexity_score": 0.3,
        "success": True,
        "latency_ms": 200.0,
    }
    fields.update(overrides)
    if "slo_met" not in overrides:  # as the pipeline marks a TTFT-metric use case
        observed = fields.get("ttft_ms") or fields["latency_ms"]
        fields["slo_met"] = observed <= fields["slo_ms"]
    return DecisionRecord(**fields)


class GatedStore(FakeStore):
    """A FakeStore whose every write waits for one ``gate.release()``; ``entered`` is set when a
    write is in flight."""

    def __init__(self, fail_times: int = 0) -> None:
        super().__init__(fail_times)
        self.gate, self.entered = asyncio.Semaphore(0), asyncio.Event()

    async def write_decisions(self, records: Sequence[DecisionRecord]) -> None:
        self.entered.set()
        await self.gate.acquire()
        await super().write_decisions(records)


async def test_a_real_store_receives_what_the_fake_would() -> None:
    """The tests below use FakeStore; the same records reach a real Store the same way."""
    store = MemoryStore()
    monitor = MonitorAgent(store, batch_size=4)
    records = [rec(user_id=f"u{i}") for i in range(6)]
    for r in records:
        await monitor.track_performance(r)
    assert await store.count_decisions() == 6 and monitor.pending == 0
    await monitor.aclose()
    stored = await store.query_decisions()
    assert sorted(r.request_id for r in stored) == sorted(r.request_id for r in records)
    assert await store.get_decision(records[-1].decision_id) == records[-1]


# --------------------------------------------------------------------------- persistence


async def test_each_record_is_in_the_store_when_track_performance_returns() -> None:
    store = FakeStore()
    monitor = MonitorAgent(store)
    records = [rec() for _ in range(5)]
    for n, r in enumerate(records, start=1):
        await monitor.track_performance(r)
        assert [x.request_id for x in store.records] == [x.request_id for x in records[:n]]
    assert monitor.pending == 0 and monitor.written == 5


async def test_concurrent_records_share_a_commit_of_at_most_batch_size() -> None:
    store = FakeStore()
    monitor = MonitorAgent(store, batch_size=4)
    records = [rec() for _ in range(10)]
    await asyncio.gather(*(monitor.track_performance(r) for r in records))
    assert [len(b) for b in store.batches] == [4, 4, 2]
    assert [r.request_id for r in store.records] == [r.request_id for r in records]


async def test_records_arriving_during_a_commit_form_the_next_group() -> None:
    """The first writer returns after its own commit, without waiting for the later group."""
    store = GatedStore()
    monitor = MonitorAgent(store)
    first = asyncio.create_task(monitor.track_performance(rec(request_id="r0")))
    await store.entered.wait()  # r0's commit is in flight
    later = [
        asyncio.create_task(monitor.track_performance(rec(request_id=f"r{i}"))) for i in (1, 2)
    ]
    await asyncio.sleep(0)
    store.gate.release()
    await first
    assert [[r.request_id for r in b] for b in store.batches] == [["r0"]]
    store.gate.release()
    await asyncio.gather(*later)
    assert [[r.request_id for r in b] for b in store.batches] == [["r0"], ["r1", "r2"]]


async def test_a_commit_delay_gathers_records_that_arrive_within_it() -> None:
    store = FakeStore()
    monitor = MonitorAgent(store, commit_delay_s=0.3)
    first = asyncio.create_task(monitor.track_performance(rec(request_id="a")))
    await asyncio.sleep(0.02)  # well within the delay, long after an undelayed commit
    await asyncio.gather(first, monitor.track_performance(rec(request_id="b")))
    assert [[r.request_id for r in b] for b in store.batches] == [["a", "b"]]


async def test_a_failed_commit_fails_its_writer_and_the_next_commit_retries_the_record() -> None:
    store = FakeStore(fail_times=1)
    monitor = MonitorAgent(store)
    with pytest.raises(StoreError):
        await monitor.track_performance(rec(request_id="r0"))
    assert monitor.pending == 1
    await monitor.track_performance(rec(request_id="r1"))
    assert [[r.request_id for r in b] for b in store.batches] == [["r0", "r1"]]
    assert monitor.pending == 0 and monitor.written == 2


async def test_a_cancelled_writer_still_has_its_record_committed() -> None:
    store = GatedStore()
    monitor = MonitorAgent(store)
    writer = asyncio.create_task(monitor.track_performance(rec(request_id="gone")))
    await store.entered.wait()
    writer.cancel()
    store.gate.release()
    with pytest.raises(asyncio.CancelledError):
        await writer
    await monitor.aclose()
    assert [r.request_id for r in store.records] == ["gone"]


async def test_failing_store_still_ends_with_every_record_written() -> None:
    store = FakeStore(fail_times=2)
    monitor = MonitorAgent(store, batch_size=4, retry_delay_s=0.0)
    records = [rec() for _ in range(30)]
    failed = 0
    for r in records:
        try:
            await monitor.track_performance(r)
        except StoreError:
            failed += 1
    await monitor.aclose()
    assert failed == 2
    written = [r.request_id for r in store.records]
    assert written == [r.request_id for r in records]  # none lost, none duplicated
    assert all(len(b) <= 4 for b in store.batches)


async def test_aclose_raises_store_error_with_the_unwritten_count() -> None:
    store = FakeStore(fail_times=100)
    monitor = MonitorAgent(store, batch_size=64, close_attempts=3, retry_delay_s=0.0)
    for _ in range(5):
        with pytest.raises(StoreError):
            await monitor.track_performance(rec())
    with pytest.raises(StoreError, match="5 decision records"):
        await monitor.aclose()
    assert store.attempts == 5 + 3
    assert monitor.pending == 5


async def test_explicit_flush_raises_and_keeps_the_batch() -> None:
    store = FakeStore(fail_times=2)
    monitor = MonitorAgent(store, batch_size=64)
    with pytest.raises(StoreError):
        await monitor.track_performance(rec())
    with pytest.raises(StoreError):
        await monitor.flush()
    assert monitor.pending == 1
    await monitor.flush()
    assert monitor.pending == 0 and len(store.records) == 1


# --------------------------------------------------------------------------- listeners


async def test_listener_exception_does_not_break_tracking(caplog: pytest.LogCaptureFixture) -> None:
    seen: list[str] = []

    def broken(record: DecisionRecord) -> None:
        raise RuntimeError("boom")

    store = FakeStore()
    monitor = MonitorAgent(store, listeners=[broken, lambda r: seen.append(r.request_id)])
    with caplog.at_level(logging.ERROR, logger="mecrouter.agents.monitor"):
        await monitor.track_performance(rec(request_id="x1"))
        await monitor.track_performance(rec(request_id="x2"))
    assert seen == ["x1", "x2"]
    assert monitor.snapshot_stats()["mec"].count == 2
    assert "listener" in caplog.text and "boom" in caplog.text
    await monitor.aclose()
    assert len(store.records) == 2


# --------------------------------------------------------------------------- statistics


def test_percentile_matches_linear_interpolation() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 0.5) == pytest.approx(50.5)
    assert percentile(values, 0.95) == pytest.approx(95.05)
    assert percentile([7.0], 0.95) == 7.0
    assert percentile([], 0.5) == 0.0


async def test_tier_stats_on_a_known_series() -> None:
    monitor = MonitorAgent(FakeStore(), window=500)
    for v in range(1, 101):
        await monitor.track_performance(
            rec(latency_ms=float(v), slo_ms=50.0, cost_usd=0.002, cache_hit=v <= 10)
        )
    await monitor.track_performance(rec(success=False, latency_ms=9999.0, fallbacks_used=1))
    stats = monitor.snapshot_stats()["mec"]
    assert stats.count == 101
    assert stats.p50_latency_ms == pytest.approx(50.5)  # failures are excluded from latency
    assert stats.p95_latency_ms == pytest.approx(95.05)
    assert stats.success_rate == pytest.approx(100 / 101)
    assert stats.slo_attainment == pytest.approx(50 / 101)
    assert stats.mean_cost_usd == pytest.approx(0.2 / 101)
    assert stats.fallback_count == 1
    assert stats.cache_hit_rate == pytest.approx(10 / 101)


async def test_slo_uses_ttft_when_present() -> None:
    monitor = MonitorAgent(FakeStore())
    await monitor.track_performance(rec(use_case="gaming", slo_ms=50.0, ttft_ms=40, latency_ms=900))
    await monitor.track_performance(rec(use_case="gaming", slo_ms=50.0, ttft_ms=0, latency_ms=900))
    assert monitor.stats_by_use_case()["gaming"].slo_attainment == 0.5


async def test_window_keeps_only_the_latest_records() -> None:
    monitor = MonitorAgent(FakeStore(), window=10)
    for _ in range(10):
        await monitor.track_performance(rec(success=False))
    for _ in range(10):
        await monitor.track_performance(rec())
    assert monitor.snapshot_stats()["mec"].success_rate == 1.0


async def test_stats_group_by_actual_tier_and_use_case() -> None:
    monitor = MonitorAgent(FakeStore())
    await monitor.track_performance(rec(actual_tier="cloud", use_case="iot"))
    await monitor.track_performance(rec(use_case="gaming"))
    assert set(monitor.snapshot_stats()) == {"cloud", "mec"}
    assert set(monitor.stats_by_use_case()) == {"gaming", "iot"}


# --------------------------------------------------------------------------- patterns


async def test_patterns_report_shares_and_fallback_hotspots() -> None:
    monitor = MonitorAgent(FakeStore())
    for i in range(6):
        await monitor.track_performance(rec(timestamp=100.0 + i, cost_usd=0.001))
    for i in range(2):
        await monitor.track_performance(
            rec(
                timestamp=110.0 + i,
                selected_endpoint="mec-man-mixtral",
                actual_tier="cloud",
                actual_endpoint="cloud-nova-lite",
                fallbacks_used=1,
                cost_usd=0.003,
            )
        )
    await monitor.track_performance(rec(timestamp=1.0))  # outside the window
    patterns = monitor.analyze_patterns(window_s=60.0, now=120.0)
    by = {(p.kind, p.target): p for p in patterns}
    assert by[("tier_share", "mec")].value == pytest.approx(0.75)
    assert by[("tier_share", "cloud")].count == 2
    assert by[("cost_share", "cloud")].value == pytest.approx(0.5)
    assert by[("fallback_hotspot", "mec-man-mixtral")].value == 1.0
    assert ("fallback_hotspot", "mec-lon-mistral-7b") not in by
    assert monitor.analyze_patterns(window_s=1.0, now=1000.0) == []


# --------------------------------------------------------------------------- anomalies


def _steady(i: int) -> float:
    return 200.0 + (i % 7) * 3.0  # 200..218 ms of ordinary jitter


async def test_latency_spike_is_flagged_and_steady_series_is_not() -> None:
    monitor = MonitorAgent(FakeStore())
    for i in range(60):
        await monitor.track_performance(rec(latency_ms=_steady(i)))
    assert monitor.detect_anomalies() == []
    for _ in range(3):
        await monitor.track_performance(rec(latency_ms=900.0))
    anomalies = monitor.detect_anomalies()
    assert len(anomalies) == 1
    spike = anomalies[0]
    assert (spike.endpoint, spike.metric, spike.value) == ("mec-lon-mistral-7b", "latency_ms", 900)
    assert spike.score > 3.5 and 200 <= spike.baseline <= 218


async def test_a_single_blip_is_not_an_anomaly() -> None:
    monitor = MonitorAgent(FakeStore())
    for i in range(60):
        await monitor.track_performance(rec(latency_ms=_steady(i)))
    await monitor.track_performance(rec(latency_ms=900.0))
    await monitor.track_performance(rec(latency_ms=205.0))
    await monitor.track_performance(rec(latency_ms=210.0))
    assert monitor.detect_anomalies() == []


def test_detect_anomalies_on_a_given_series() -> None:
    monitor = MonitorAgent(FakeStore())
    steady = [_steady(i) for i in range(40)]
    assert monitor.detect_anomalies(steady) == []
    found = monitor.detect_anomalies([*steady, 5000.0, 5000.0, 5000.0])
    assert len(found) == 1 and found[0].metric == "value" and found[0].value == 5000.0
    assert monitor.detect_anomalies([1.0, 2.0]) == []  # too short to judge


def test_robust_z_of_flat_baseline_ignores_tiny_jitter() -> None:
    z, med = robust_z(100.5, [100.0] * 20)
    assert med == 100.0 and abs(z) < 3.5
    assert robust_z(150.0, [100.0] * 20)[0] > 3.5


async def test_error_rate_burst_is_an_anomaly() -> None:
    monitor = MonitorAgent(FakeStore())
    for i in range(100):
        await monitor.track_performance(rec(latency_ms=_steady(i)))
    for _ in range(8):
        await monitor.track_performance(rec(success=False, error="503"))
    anomalies = [a for a in monitor.detect_anomalies() if a.metric == "error_rate"]
    assert len(anomalies) == 1
    assert anomalies[0].endpoint == "mec-lon-mistral-7b"
    assert anomalies[0].value > 0.2 and anomalies[0].baseline < 0.1


async def test_rare_scattered_errors_are_not_an_anomaly() -> None:
    monitor = MonitorAgent(FakeStore())
    for i in range(200):
        await monitor.track_performance(rec(latency_ms=_steady(i), success=i % 50 != 10))
    assert monitor.detect_anomalies() == []


# --------------------------------------------------------------------------- recommendations


async def test_recommendations_preload_the_most_missed_model() -> None:
    cache = CacheAgent(load_config())
    for _ in range(38):
        cache.placement.record_miss("mec-man-1", "mixtral-8x7b-instruct")
    for _ in range(12):
        cache.placement.record_miss(
            "mec-lon-1", "mistral-7b-instruct"
        )  # already hot there: no advice
    for _ in range(50):
        cache.placement.record_miss("mec-lon-1", "amazon.nova-pro-v1:0")  # cold on MEC: no advice
    monitor = MonitorAgent(FakeStore())
    recs = monitor.generate_optimization_recommendations(cache)
    preloads = [r for r in recs if r.kind == "preload"]
    assert len(preloads) == 1
    assert preloads[0].target == "mec-man-1/mixtral-8x7b-instruct"
    assert "38% of MEC misses" in preloads[0].message
    assert preloads[0].evidence["misses"] == 38


async def test_recommendations_flag_failing_endpoint_and_slo_breach() -> None:
    monitor = MonitorAgent(FakeStore())
    for i in range(20):
        await monitor.track_performance(
            rec(selected_endpoint="cloud-x", actual_tier="cloud", success=i % 4 != 0)
        )
    for _ in range(20):
        await monitor.track_performance(rec(use_case="gaming", slo_ms=50.0, ttft_ms=120.0))
    recs = monitor.generate_optimization_recommendations()
    kinds = {(r.kind, r.target) for r in recs}
    assert ("check_endpoint", "cloud-x") in kinds
    assert ("slo_breach", "mec/gaming") in kinds
    assert ("slo_breach", "cloud/default") not in kinds
    check = next(r for r in recs if r.kind == "check_endpoint")
    assert check.evidence["error_rate"] == pytest.approx(0.25)
    assert "25%" in check.message
