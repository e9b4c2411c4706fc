"""In-process record store for tests and the simulator: same semantics as ``SQLiteStore``.

Records are copied on the way in and out, so a caller mutating a record after writing it (or
after reading it) cannot change what is stored, just as with a database. No method awaits
between reading and changing state, so each call is atomic on its event loop.
"""

from __future__ import annotations

import dataclasses
import heapq
from collections.abc import Iterable, Sequence
from types import TracebackType

from mecrouter.errors import StoreError
from mecrouter.types import DecisionRecord, ResourceMetric

__all__ = ["MemoryStore"]

_SECONDS_PER_DAY = 86_400.0

_Key = tuple[str, float]  # (request_id or tier_id, timestamp): the tables' primary keys


def _copy_decision(record: DecisionRecord) -> DecisionRecord:
    return dataclasses.replace(record, fallback_options=list(record.fallback_options))


def _newest(records: Iterable[DecisionRecord], limit: int) -> list[DecisionRecord]:
    """The ``limit`` newest, ties by request_id descending (the order SQLiteStore uses)."""
    top = heapq.nlargest(max(limit, 0), records, key=lambda r: (r.timestamp, r.request_id))
    return [_copy_decision(r) for r in top]


class MemoryStore:
    """The ``Store`` in dicts keyed like the tables, with a decision_id index."""

    def __init__(self, *, retention_days: float = 30.0) -> None:
        self.retention_s = retention_days * _SECONDS_PER_DAY
        self._decisions: dict[_Key, DecisionRecord] = {}
        self._by_decision_id: dict[str, set[_Key]] = {}
        self._metrics: dict[_Key, ResourceMetric] = {}
        self._closed = False

    async def __aenter__(self) -> MemoryStore:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()

    async def write_decisions(self, records: Sequence[DecisionRecord]) -> None:
        self._check_open()
        for record in records:
            key = (record.request_id, record.timestamp)
            if key in self._decisions:
                continue  # first write wins
            self._decisions[key] = _copy_decision(record)
            self._by_decision_id.setdefault(record.decision_id, set()).add(key)

    async def write_metrics(self, metrics: Sequence[ResourceMetric]) -> None:
        self._check_open()
        for metric in metrics:
            self._metrics[(metric.tier_id, metric.timestamp)] = dataclasses.replace(metric)

    async def get_decision(self, decision_id: str) -> DecisionRecord | None:
        self._check_open()
        keys = self._by_decision_id.get(decision_id)
        if not keys:
            return None
        newest = max(keys, key=lambda k: (k[1], k[0]))  # as SQLiteStore: newest row wins
        return _copy_decision(self._decisions[newest])

    async def set_feedback(self, decision_id: str, score: float) -> bool:
        self._check_open()
        keys = self._by_decision_id.get(decision_id)
        if not keys:
            return False
        record = self._decisions[max(keys, key=lambda k: (k[1], k[0]))]
        if record.feedback_score >= 0:
            return False
        record.feedback_score = score
        return True

    async def query_decisions(
        self,
        *,
        user_id: str | None = None,
        since: float | None = None,
        until: float | None = None,
        limit: int = 1000,
    ) -> list[DecisionRecord]:
        """Newest first (ties by request_id, descending); a limit <= 0 returns nothing."""
        self._check_open()
        matching = (
            r
            for r in self._decisions.values()
            if (user_id is None or r.user_id == user_id)
            and (since is None or r.timestamp >= since)
            and (until is None or r.timestamp < until)
        )
        return _newest(matching, limit)

    async def count_decisions(self) -> int:
        self._check_open()
        return len(self._decisions)

    async def query_metrics(
        self, tier_id: str, *, since: float | None = None, limit: int = 1000
    ) -> list[ResourceMetric]:
        """Newest first; a limit <= 0 returns nothing."""
        self._check_open()
        matching = (
            m
            for m in self._metrics.values()
            if m.tier_id == tier_id and (since is None or m.timestamp >= since)
        )
        top = heapq.nlargest(max(limit, 0), matching, key=lambda m: m.timestamp)
        return [dataclasses.replace(m) for m in top]

    async def purge_expired(self, now: float) -> int:
        """Delete metrics with ttl < now and decisions past the retention; return the count."""
        self._check_open()
        expired_metrics = [k for k, m in self._metrics.items() if m.ttl < now]
        for key in expired_metrics:
            del self._metrics[key]
        cutoff = now - self.retention_s
        old_decisions = [k for k, r in self._decisions.items() if r.timestamp < cutoff]
        for key in old_decisions:
            self._unindex(self._decisions.pop(key).decision_id, key)
        return len(expired_metrics) + len(old_decisions)

    async def aclose(self) -> None:
        """Mark the store closed; later calls do nothing. The records are dropped."""
        self._closed = True
        self._decisions.clear()
        self._by_decision_id.clear()
        self._metrics.clear()

    def _unindex(self, decision_id: str, key: _Key) -> None:
        keys = self._by_decision_id.get(decision_id)
        if keys is not None:
            keys.discard(key)
            if not keys:
                del self._by_decision_id[decision_id]

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError("memory store is closed")
