"""On /metrics, read at scrape time: the outbox's backlog (what waits to ship to DynamoDB, what
shipped, failed rounds; a store without an outbox adds nothing) and the shared state's health
(whether Redis answers, its failed calls, spend waiting to be sent)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

__all__ = ["OutboxCollector", "SharedStateCollector", "store_status"]


def store_status(store: object) -> Mapping[str, Any] | None:
    """The store's `status()` (the outbox store has one), or None."""
    status = getattr(store, "status", None)
    return status() if callable(status) else None


class OutboxCollector(Collector):
    def __init__(self, status: Callable[[], Mapping[str, Any] | None]) -> None:
        self._status = status

    def collect(self) -> Iterable[Metric]:
        status = self._status()
        if status is None:
            return
        yield GaugeMetricFamily(
            "mecrouter_outbox_waiting",
            "Records and scores committed locally and not yet shipped to DynamoDB",
            value=status["waiting"],
        )
        yield CounterMetricFamily(
            "mecrouter_outbox_shipped",
            "Outbox entries shipped to DynamoDB by this process",
            value=status["shipped"],
        )
        yield CounterMetricFamily(
            "mecrouter_outbox_failed_rounds",
            "Shipping rounds that failed (DynamoDB slow, throttling or unreachable)",
            value=status["failed_rounds"],
        )


class SharedStateCollector(Collector):
    def __init__(self, status: Callable[[], Mapping[str, Any]]) -> None:
        self._status = status

    def collect(self) -> Iterable[Metric]:
        status = self._status()
        yield GaugeMetricFamily(
            "mecrouter_shared_state_up",
            "1 while Redis answers (limits, spend, circuits shared); 0: serving on local state",
            value=1.0 if status["connected"] else 0.0,
        )
        yield CounterMetricFamily(
            "mecrouter_shared_state_errors",
            "Redis calls given up (slow, refused or failed) by this process",
            value=status["errors"],
        )
        yield GaugeMetricFamily(
            "mecrouter_shared_state_unsent_spend_keys",
            "Keys whose spend was counted while Redis was away and is not yet sent",
            value=status.get("unsent_spend_keys", 0),
        )
