"""The outbox store: records committed to a local SQLite file first, shipped to a remote store
(DynamoDB) in the background.

A gateway answers a request only after its record is committed, so the record's durability is
the local file's (WAL): DynamoDB slow, throttling or unreachable delays shipping but loses
nothing, and after a restart (or on a MEC node whose uplink drops) the shipper resumes from the
oldest entry not yet shipped. Shipping is at least once: an entry removed only after the remote
store took it may be shipped twice after a crash, which the remote store's conditional writes make
harmless (a record is never overwritten; a feedback score is set only if none is).

Reads prefer what is here: a decision this node wrote is found in the local file at once (the
remote indexes are eventually consistent), and listings merge both stores. Several processes may
share one outbox file; each ships, and the remote store's conditions keep the result the same.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import logging
import time
from collections.abc import Sequence
from typing import Any, Protocol

from mecrouter.errors import StoreError
from mecrouter.stores.base import Store
from mecrouter.stores.sqlite import SQLiteStore
from mecrouter.stores.sqlite_outbox import OutboxEntry
from mecrouter.types import DecisionRecord, ResourceMetric

__all__ = ["OutboxStore", "RemoteStore"]

logger = logging.getLogger(__name__)


class RemoteStore(Store, Protocol):
    """A store the outbox ships to: it also sets feedback by a decision's key."""

    async def set_feedback_at(self, request_id: str, timestamp: float, score: float) -> bool: ...


class OutboxStore:
    """The ``Store`` contract over a local outbox and a remote store.

    ``batch_size`` entries are shipped per round; after a failed round the shipper waits from
    ``min_backoff_s`` doubling up to ``max_backoff_s``. ``poll_s`` is how often it looks for
    entries other processes added to a shared file. ``drain_timeout_s`` bounds how long `aclose`
    keeps shipping before it leaves the rest for the next start, ``count_wait_s`` how long a count
    waits for the outbox to empty.
    """

    def __init__(
        self,
        local: SQLiteStore,
        remote: RemoteStore,
        *,
        batch_size: int = 100,
        min_backoff_s: float = 0.1,
        max_backoff_s: float = 30.0,
        poll_s: float = 1.0,
        drain_timeout_s: float = 5.0,
        count_wait_s: float = 2.0,
        local_purge_s: float = 3_600.0,
    ) -> None:
        if not local.outbox:
            raise ValueError("the local store must be opened with outbox=True")
        self.local, self.remote = local, remote
        self._batch_size = batch_size
        self._min_backoff_s, self._max_backoff_s = min_backoff_s, max_backoff_s
        self._poll_s = poll_s
        self._drain_timeout_s = drain_timeout_s
        self._count_wait_s = count_wait_s
        self._local_purge_s = local_purge_s
        self._next_local_purge = 0.0  # monotonic
        self._wake = asyncio.Event()
        self._idle = asyncio.Event()
        self._shipper: asyncio.Task[None] | None = None
        self._closing = False
        self.shipped = 0  # entries shipped by this process
        self.failed_rounds = 0
        self.last_error = ""
        self.waiting = 0  # entries not yet shipped: counted at start, then kept up to date

    # -- writes: local first, then wake the shipper ------------------------------------------

    async def write_decisions(self, records: Sequence[DecisionRecord]) -> None:
        await self.local.write_decisions(records)
        self.waiting += len(records)
        self._kick()

    async def write_metrics(self, metrics: Sequence[ResourceMetric]) -> None:
        await self.local.write_metrics(metrics)
        self.waiting += len(metrics)
        self._kick()

    async def set_feedback(self, decision_id: str, score: float) -> bool:
        """On a decision this node recorded, locally (and shipped); otherwise on the remote."""
        if await self.local.get_decision(decision_id) is not None:
            landed = await self.local.set_feedback(decision_id, score)
            self.waiting += landed
            self._kick()
            return landed
        return await self.remote.set_feedback(decision_id, score)

    # -- reads: both stores --------------------------------------------------------------------

    async def get_decision(self, decision_id: str) -> DecisionRecord | None:
        self._start()
        found = await self.local.get_decision(decision_id)
        return found if found is not None else await self.remote.get_decision(decision_id)

    async def query_decisions(
        self,
        *,
        user_id: str | None = None,
        since: float | None = None,
        until: float | None = None,
        limit: int = 1000,
    ) -> list[DecisionRecord]:
        self._start()
        window = {"user_id": user_id, "since": since, "until": until, "limit": limit}
        local = await self.local.query_decisions(**window)  # type: ignore[arg-type]
        remote = await self.remote.query_decisions(**window)  # type: ignore[arg-type]
        merged = {(r.request_id, r.timestamp): r for r in remote}
        for record in local:  # the local row carries feedback not yet shipped
            merged[(record.request_id, record.timestamp)] = record
        rows = sorted(merged.values(), key=lambda r: (r.timestamp, r.request_id), reverse=True)
        return rows[: max(limit, 0)]

    async def count_decisions(self) -> int:
        """The remote count, once the outbox has shipped (waiting up to ``count_wait_s``); if
        entries still wait, plus their decisions (an upper bound while shipping lags)."""
        await self.drain(self._count_wait_s)
        waiting = await self.local.outbox_depth("decision")
        return await self.remote.count_decisions() + waiting

    async def query_metrics(
        self, tier_id: str, *, since: float | None = None, limit: int = 1000
    ) -> list[ResourceMetric]:
        self._start()
        local = await self.local.query_metrics(tier_id, since=since, limit=limit)
        remote = await self.remote.query_metrics(tier_id, since=since, limit=limit)
        merged = {m.timestamp: m for m in itertools.chain(remote, local)}
        rows = sorted(merged.values(), key=lambda m: m.timestamp, reverse=True)
        return rows[: max(limit, 0)]

    async def purge_expired(self, now: float) -> int:
        """Ship what waits (up to ``count_wait_s``), then purge both; the count is the remote
        store's (the local file holds copies). Without the wait, an expired record still in the
        outbox would ship after the purge and outlive it; one that still cannot ship goes at
        the next purge."""
        await self.drain(self._count_wait_s)
        await self.local.purge_expired(now)
        return await self.remote.purge_expired(now)

    # -- shipping ------------------------------------------------------------------------------

    async def start(self) -> None:
        """Start shipping now (what a previous run left included), not at the first write."""
        self.waiting = await self.local.outbox_depth()
        self._kick()

    def status(self) -> dict[str, Any]:
        """For /readyz and /metrics: what waits to ship, what shipped, the last error."""
        return {
            "outbox": str(self.local.path),
            "waiting": self.waiting,
            "shipped": self.shipped,
            "failed_rounds": self.failed_rounds,
            "last_error": self.last_error,
        }

    async def pending(self) -> int:
        """Entries committed here and not yet shipped."""
        return await self.local.outbox_depth()

    async def drain(self, timeout_s: float) -> bool:
        """Wait until the outbox is empty (True) or ``timeout_s`` passes (False)."""
        self._start()
        deadline = time.monotonic() + timeout_s
        while await self.pending():
            self._kick()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                return False
            self._idle.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._idle.wait(), min(remaining, 0.2))
        return True

    async def aclose(self) -> None:
        """Ship what can be shipped within ``drain_timeout_s``, then close both stores; what is
        left stays in the outbox file for the next start."""
        if self._closing:
            return
        if not await self.drain(self._drain_timeout_s):
            left = await self.pending()
            logger.warning(
                "outbox %s: %d entries not shipped at close (%s); they ship at the next start",
                self.local.path,
                left,
                self.last_error or "still shipping",
            )
        self._closing = True
        if self._shipper is not None:
            self._shipper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._shipper
        await self.remote.aclose()
        await self.local.aclose()

    def _kick(self) -> None:
        self._start()
        self._wake.set()

    def _start(self) -> None:
        if self._shipper is None and not self._closing:
            self._shipper = asyncio.get_running_loop().create_task(
                self._ship_forever(), name=f"outbox-shipper {self.local.path}"
            )

    async def _ship_forever(self) -> None:
        backoff = self._min_backoff_s
        while not self._closing:
            try:
                entries = await self.local.outbox_peek(self._batch_size)
                if entries:
                    await self._ship(entries)
                    await self.local.outbox_remove([e.seq for e in entries])
                    self.shipped += len(entries)
                    self.waiting = max(self.waiting - len(entries), 0)
                    backoff = self._min_backoff_s
                    continue
            except StoreError as exc:
                self.failed_rounds += 1
                if str(exc) != self.last_error:
                    logger.warning("outbox %s: shipping paused: %s", self.local.path, exc)
                self.last_error = str(exc)
                await asyncio.sleep(backoff)
                backoff = min(backoff * 2, self._max_backoff_s)
                continue
            self.last_error = ""
            await self._purge_local_copies()
            self._idle.set()
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._wake.wait(), self._poll_s)

    async def _purge_local_copies(self) -> None:
        """Every ``local_purge_s``, drop the local copies of records past the local file's own
        retention (`LOCAL_COPY_DAYS`, set where the store is opened): they are in DynamoDB, and
        the file stays bounded. Entries still waiting to ship are never touched."""
        if time.monotonic() < self._next_local_purge:
            return
        self._next_local_purge = time.monotonic() + self._local_purge_s
        try:
            await self.local.purge_expired(time.time())
        except StoreError as exc:
            logger.warning("outbox %s: could not purge local copies: %s", self.local.path, exc)

    async def _ship(self, entries: Sequence[OutboxEntry]) -> None:
        """Runs of one kind in commit order: records in batches, scores one by one."""
        for kind, run in itertools.groupby(entries, key=lambda e: e.kind):
            payloads = [e.payload for e in run]
            if kind == "decision":
                await self.remote.write_decisions([DecisionRecord(**p) for p in payloads])
            elif kind == "metric":
                await self.remote.write_metrics([ResourceMetric(**p) for p in payloads])
            elif kind == "feedback":
                for p in payloads:
                    await self.remote.set_feedback_at(p["request_id"], p["timestamp"], p["score"])
            else:
                raise StoreError(f"outbox {self.local.path}: unknown entry kind {kind!r}")
