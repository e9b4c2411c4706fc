"""The contract every record store implements.

A store keeps the two tables of DESIGN.md: RoutingDecisions (key request_id + timestamp, indexed by
user_id + timestamp, and by decision_id) and ResourceMetrics (key tier_id + timestamp, expiring at
``ttl``). Implementations must be safe under concurrent writers and must never drop or
overwrite a record silently: a write either lands or raises ``StoreError``. All methods are async;
blocking drivers run in a thread.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Protocol, runtime_checkable

from mecrouter.types import DecisionRecord, ResourceMetric

__all__ = ["Store"]


@runtime_checkable
class Store(Protocol):
    async def write_decisions(self, records: Sequence[DecisionRecord]) -> None:
        """Insert these records; one whose key (request_id + timestamp) is taken is ignored,
        the stored one stays (first write wins, so writing a record again is harmless). A write
        lands or raises ``StoreError``; after an error, writing the same records again is the
        way to make sure (SQLite writes them in one transaction, DynamoDB one by one)."""
        ...

    async def write_metrics(self, metrics: Sequence[ResourceMetric]) -> None: ...

    async def get_decision(self, decision_id: str) -> DecisionRecord | None: ...

    async def set_feedback(self, decision_id: str, score: float) -> bool:
        """Record the user's score on the decision's newest row; False if it already has one
        (first feedback wins) or the decision is unknown."""
        ...

    async def query_decisions(
        self,
        *,
        user_id: str | None = None,
        since: float | None = None,
        until: float | None = None,
        limit: int = 1000,
    ) -> list[DecisionRecord]:
        """Newest first; filtered by user and by [since, until) on timestamp."""
        ...

    async def count_decisions(self) -> int: ...

    async def query_metrics(
        self, tier_id: str, *, since: float | None = None, limit: int = 1000
    ) -> list[ResourceMetric]: ...

    async def purge_expired(self, now: float) -> int:
        """Delete expired metrics and decisions older than the retention; return the count."""
        ...

    async def aclose(self) -> None: ...
