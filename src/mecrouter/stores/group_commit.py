"""Group commit: a record is in the store before its writer goes on, and concurrent writers share
one transaction.

`GroupCommit.write` buffers a record and returns once the store has committed it. One flusher
task at a time commits what is buffered: it starts when a writer arrives and finds none running,
waits ``delay_s`` so that writers arriving meanwhile join the group (0: only those of the same
event-loop turn), and writes the whole group, ``batch_size`` records per transaction at most.
Writers arriving while a commit is in flight form the next group, committed right after it. So a
lone request pays one commit, and under load many requests share each commit.

A commit that fails raises `StoreError` in the writers whose records it held; the records stay
buffered, first in line, and the next commit (or `flush`) writes them: none is dropped, none is
written twice. A writer that is cancelled while it waits stops waiting, but its record is still
committed. Blocking work stays in the store (which runs its driver in a thread).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque

from mecrouter.errors import StoreError
from mecrouter.stores.base import Store
from mecrouter.types import DecisionRecord

__all__ = ["GroupCommit"]

logger = logging.getLogger(__name__)


class GroupCommit:
    """Writes decision records to a store, each durable before `write` returns.

    ``close_attempts`` and ``retry_delay_s`` bound how hard `aclose` tries before giving up.
    """

    def __init__(
        self,
        store: Store,
        *,
        delay_s: float = 0.0,
        batch_size: int = 64,
        close_attempts: int = 3,
        retry_delay_s: float = 0.05,
    ) -> None:
        if delay_s < 0 or batch_size < 1 or close_attempts < 1:
            raise ValueError("delay_s must be >= 0, batch_size and close_attempts >= 1")
        self._store = store
        self._delay_s = delay_s
        self._batch_size = batch_size
        self._close_attempts = close_attempts
        self._retry_delay_s = retry_delay_s
        self._buffer: list[DecisionRecord] = []
        # (sequence number of the record, its writer's future), in sequence order. Records are
        # numbered from 1 as they arrive; record n is committed iff n <= self.written, because
        # records are written in order and only the front of the buffer is ever removed.
        self._waiters: deque[tuple[int, asyncio.Future[None]]] = deque()
        self._appended = 0
        self._lock = asyncio.Lock()
        self._flusher: asyncio.Task[None] | None = None
        self._failures = 0
        self.written = 0
        self.commits = 0  # transactions that succeeded

    @property
    def pending(self) -> int:
        """Records buffered but not yet committed."""
        return len(self._buffer)

    async def write(self, record: DecisionRecord) -> None:
        """Buffer ``record`` and return once it is committed; StoreError if its commit failed
        (the record stays buffered and is retried by the next commit)."""
        self._buffer.append(record)
        self._appended += 1
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiters.append((self._appended, done))
        if self._flusher is None:
            self._flusher = asyncio.create_task(self._flush_groups(), name="record-group-commit")
        await done

    async def flush(self) -> None:
        """Commit every buffered record now; on failure keep the rest and raise StoreError."""
        await self._flush(limit=None)

    async def aclose(self) -> None:
        """Commit everything, retrying with growing delays; StoreError if records remain.

        The store belongs to the caller and is not closed here.
        """
        last: StoreError | None = None
        for attempt in range(self._close_attempts):
            try:
                await self.flush()
            except StoreError as exc:
                last = exc
                if attempt + 1 < self._close_attempts:
                    await asyncio.sleep(self._retry_delay_s * 2**attempt)
                continue
            if self._flusher is not None:
                await self._flusher  # nothing left to write: it settles and ends
            return
        raise StoreError(
            f"{len(self._buffer)} decision records could not be written to the store "
            f"after {self._close_attempts} attempts"
        ) from last

    async def _flush_groups(self) -> None:
        """The flusher: one group per round while anyone waits."""
        try:
            while self._waiters:
                await asyncio.sleep(self._delay_s)  # let the group gather
                group_end = self._appended
                try:
                    await self._flush(limit=len(self._buffer))
                except StoreError as exc:
                    self._settle(group_end, exc)
        except BaseException as exc:  # cancelled (the loop is closing) or a bug: nobody hangs
            self._settle(self._appended, StoreError(f"decision log writer stopped: {exc!r}"))
            raise
        finally:
            self._flusher = None

    async def _flush(self, *, limit: int | None) -> None:
        """Commit buffered records in batches: all of them, or the first ``limit``."""
        async with self._lock:
            left = limit
            while self._buffer and (left is None or left > 0):
                batch = self._buffer[
                    : self._batch_size if left is None else min(left, self._batch_size)
                ]
                try:
                    await self._store.write_decisions(batch)
                except StoreError:
                    self._failures += 1
                    logger.warning(
                        "store write failed (%d in a row); %d records kept for retry",
                        self._failures,
                        len(self._buffer),
                    )
                    raise
                # Only this lock holder removes records, and appends go to the end: the
                # first len(batch) records are exactly the batch just written.
                del self._buffer[: len(batch)]
                self.written += len(batch)
                self.commits += 1
                if left is not None:
                    left -= len(batch)
                self._settle(self.written, None)
            self._failures = 0

    def _settle(self, upto: int, error: StoreError | None) -> None:
        """Wake the writers of records 1..upto: committed, or failed with ``error``."""
        while self._waiters and self._waiters[0][0] <= upto:
            _, done = self._waiters.popleft()
            if done.done():  # its writer was cancelled
                continue
            if error is None:
                done.set_result(None)
            else:  # one exception object per writer: each raise adds to its traceback
                failed = StoreError(str(error))
                failed.__cause__ = error
                done.set_exception(failed)
