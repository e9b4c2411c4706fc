"""The outbox's backlog on /metrics: what waits to ship to DynamoDB, what shipped, failed rounds.

Read from the store's `status()` at scrape time (a gauge and two counters); a store without an
outbox adds nothing.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from prometheus_client.core import CounterMetricFamily, GaugeMetricFamily, Metric
from prometheus_client.registry import Collector

__all__ = ["OutboxCollector", "store_status"]


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
