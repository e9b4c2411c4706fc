"""Prometheus metrics of the gateway, on a registry of its own (one per app, so tests and several
apps in one process never collide). Circuit states are read from the breakers at scrape time
rather than pushed on every change."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest
from prometheus_client.core import GaugeMetricFamily
from prometheus_client.registry import Collector

from mecrouter.pipeline.dispatch import CANCELLED_BY_CLIENT
from mecrouter.types import CircuitState, DecisionRecord

__all__ = ["CONTENT_TYPE", "GatewayMetrics"]

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
_LATENCY_BUCKETS_S = (0.005, 0.01, 0.025, 0.05, 0.1, 0.2, 0.5, 1.0, 2.0, 3.0, 5.0, 10.0, 30.0)
_CIRCUIT_VALUE = {CircuitState.CLOSED: 0.0, CircuitState.HALF_OPEN: 1.0, CircuitState.OPEN: 2.0}


class _CircuitCollector(Collector):
    def __init__(self, states: Callable[[], Mapping[str, CircuitState]]) -> None:
        self._states = states

    def collect(self) -> Iterable[GaugeMetricFamily]:
        family = GaugeMetricFamily(
            "mecrouter_circuit_state",
            "Circuit breaker per endpoint: 0 closed, 1 half-open, 2 open",
            labels=["endpoint"],
        )
        for endpoint, state in self._states().items():
            family.add_metric([endpoint], _CIRCUIT_VALUE[state])
        yield family


class GatewayMetrics:
    """What the gateway counts: requests by outcome and by where they were served, latency and
    time to first token per tier/model, fallbacks, cache hits, spend, the advisor's verdicts,
    and HTTP errors."""

    def __init__(self, circuit_states: Callable[[], Mapping[str, CircuitState]]) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        r = self.registry
        self.requests = Counter(
            "mecrouter_requests",
            "Inference requests by outcome and where they were served",
            ["tier", "model", "endpoint", "outcome"],
            registry=r,
        )
        self.latency = Histogram(
            "mecrouter_request_latency_seconds",
            "Whole-request latency per serving tier and model",
            ["tier", "model"],
            buckets=_LATENCY_BUCKETS_S,
            registry=r,
        )
        self.ttft = Histogram(
            "mecrouter_ttft_seconds",
            "Time to first token per serving tier and model",
            ["tier", "model"],
            buckets=_LATENCY_BUCKETS_S,
            registry=r,
        )
        self.fallbacks = Counter(
            "mecrouter_fallbacks", "Failovers to a later endpoint of the chain", registry=r
        )
        self.cache_hits = Counter("mecrouter_cache_hits", "Answers served from cache", registry=r)
        self.cost = Counter(
            "mecrouter_cost_usd", "Inference spend in USD", ["tier", "model"], registry=r
        )
        self.http_errors = Counter(
            "mecrouter_http_errors",
            "Error responses by status and code",
            ["status", "code"],
            registry=r,
        )
        self.advisor = Counter(
            "mecrouter_advisor_verdicts",
            "The advisor's verdicts on decisions (routing.reasoner), skips included",
            ["verdict"],
            registry=r,
        )
        r.register(_CircuitCollector(circuit_states))

    def observe(self, record: DecisionRecord) -> None:
        """Count one finished request from its decision record."""
        tier = record.actual_tier or record.selected_tier or "none"
        model = record.actual_model or record.selected_model or "none"
        endpoint = record.actual_endpoint or record.selected_endpoint or "none"
        outcome = "success" if record.success else _failure(record)
        self.requests.labels(tier, model, endpoint, outcome).inc()
        if record.fallbacks_used:
            self.fallbacks.inc(record.fallbacks_used)
        if record.advisor_verdict:
            self.advisor.labels(record.advisor_verdict).inc()
        if not record.success:
            return
        self.latency.labels(tier, model).observe(record.latency_ms / 1000.0)
        self.ttft.labels(tier, model).observe(record.ttft_ms / 1000.0)
        if record.cache_hit:
            self.cache_hits.inc()
        if record.cost_usd:
            self.cost.labels(tier, model).inc(record.cost_usd)

    def error(self, status: int, code: str | None) -> None:
        self.http_errors.labels(str(status), code or "none").inc()

    def render(self) -> bytes:
        return generate_latest(self.registry)


def _failure(record: DecisionRecord) -> str:
    """A request its client abandoned is no failure of ours: "client_closed" (HTTP's 499)."""
    return "client_closed" if record.error == CANCELLED_BY_CLIENT else "error"
