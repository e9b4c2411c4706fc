"""Circuit-state changes and routing anomalies as Amazon EventBridge events (PutEvents).

The gateway hands events over as plain data (`CircuitChange`, `RoutingAnomaly`); `put` only
queues them, on the event loop, and a background task sends the queue every ``interval_s`` from a
thread, ten entries to a PutEvents call (its limit). Entries that PutEvents reports as failed
(``FailedEntryCount``) are sent again at the next interval, up to ``max_attempts`` times, then
dropped, logged and counted; so are the entries of a call AWS refuses as it is (a 4xx other than
throttling). A call that fails otherwise (AWS unreachable, throttled, 5xx) keeps every entry for
the next interval. At most ``max_buffered_events`` wait: past that the oldest go first.

Every event has source ``mecrouter`` and a JSON detail:

* ``Circuit State Change``: ``endpoint``, ``tier``, ``from_state``, ``to_state`` (``CLOSED``,
  ``OPEN``, ``HALF_OPEN``), ``time`` (ISO 8601, UTC);
* ``Routing Anomaly``: ``endpoint``, ``tier``, ``metric`` (``latency_ms`` or ``error_rate``),
  ``value``, ``baseline``, ``score`` (in sigmas), ``time``; sent when the anomaly begins, not
  again while it lasts.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import logging
import math
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, ClassVar, Final

from botocore.exceptions import BotoCoreError, ClientError

from mecrouter.aws.publishing import IntervalPublisher, publisher_client, refused
from mecrouter.config import AwsConfig

__all__ = [
    "MAX_ENTRIES_PER_CALL",
    "CircuitChange",
    "Event",
    "EventBridgePublisher",
    "RoutingAnomaly",
]

log = logging.getLogger(__name__)

MAX_ENTRIES_PER_CALL: Final = 10  # PutEvents' limit


def _iso(epoch_s: float) -> str:
    return datetime.fromtimestamp(epoch_s, UTC).isoformat().replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class CircuitChange:
    """An endpoint's circuit breaker went from one state to another at ``time`` (epoch s)."""

    DETAIL_TYPE: ClassVar[str] = "Circuit State Change"
    endpoint: str
    tier: str
    from_state: str
    to_state: str
    time: float


@dataclass(frozen=True, slots=True)
class RoutingAnomaly:
    """A metric of one endpoint left its normal range (the MonitorAgent's `Anomaly`)."""

    DETAIL_TYPE: ClassVar[str] = "Routing Anomaly"
    endpoint: str
    tier: str
    metric: str
    value: float
    baseline: float
    score: float
    time: float


Event = CircuitChange | RoutingAnomaly


@dataclass(slots=True)
class _Queued:
    entry: dict[str, Any]
    attempts: int = 0


class EventBridgePublisher(IntervalPublisher):
    """Queues events and sends them to one bus with PutEvents, ten at a time, from a thread."""

    service = "EventBridge"
    unit = "events"

    def __init__(
        self,
        client: Any,
        *,
        bus: str = "default",
        source: str = "mecrouter",
        interval_s: float = 1.0,
        max_buffered_events: int = 10_000,
        max_attempts: int = 5,
    ) -> None:
        self._client = client
        self.bus = bus
        self.source = source
        super().__init__(interval_s)
        self._max_buffered = max_buffered_events
        self._max_attempts = max_attempts
        self._queue: deque[_Queued] = deque()
        self._active: set[tuple[str, str]] = set()
        self._lock = asyncio.Lock()
        self.calls = 0  # PutEvents requests answered
        self.sent_events = 0
        self.retried_events = 0  # entries PutEvents failed and that were queued again
        self.failed_flushes = 0
        self.dropped_events = 0

    @classmethod
    def from_config(cls, aws: AwsConfig) -> EventBridgePublisher:
        cfg = aws.eventbridge
        client = publisher_client("events", aws.region, cfg.endpoint_url)
        return cls(client, bus=cfg.bus, interval_s=cfg.interval_s)

    @property
    def buffered(self) -> int:
        """Events queued and not yet accepted by EventBridge."""
        return len(self._queue)

    # ---------------------------------------------------------------- queueing (event loop)

    def put(self, event: Event) -> None:
        """Queue ``event``; it is sent at the next interval."""
        detail: dict[str, Any] = {
            name: None if isinstance(value, float) and not math.isfinite(value) else value
            for name, value in dataclasses.asdict(event).items()
        }  # JSON has no NaN or infinity
        detail["time"] = _iso(event.time)
        entry = {
            "Source": self.source,
            "DetailType": event.DETAIL_TYPE,
            "Detail": json.dumps(detail, allow_nan=False),
            "EventBusName": self.bus,
            "Time": datetime.fromtimestamp(event.time, UTC),
        }
        self._queue.append(_Queued(entry))
        if len(self._queue) > self._max_buffered:
            self._queue.popleft()
            self.dropped_events += 1
            log.warning("EventBridge queue full: dropped the oldest event")

    def anomalies(self, found: Iterable[RoutingAnomaly]) -> None:
        """The anomalies the Monitor sees now: queue those that were not seen the last time."""
        current = {(a.endpoint, a.metric): a for a in found}
        for key, anomaly in current.items():
            if key not in self._active:
                self.put(anomaly)
        self._active = set(current)

    # ---------------------------------------------------------------- sending (a thread)

    async def flush(self) -> None:
        """Send everything queued; failed entries wait for the next flush. Never raises for
        AWS's sake."""
        async with self._lock:
            again: list[_Queued] = []
            while self._queue:
                n = min(MAX_ENTRIES_PER_CALL, len(self._queue))
                batch = [self._queue.popleft() for _ in range(n)]  # `put` may append meanwhile
                try:
                    response = await asyncio.to_thread(self._put, [q.entry for q in batch])
                    results = list(response.get("Entries", ()))
                except (BotoCoreError, ClientError) as exc:
                    if not refused(exc):
                        self.failed_flushes += 1
                        log.warning("EventBridge PutEvents failed (%s); retry next interval", exc)
                        self._queue.extendleft(reversed(batch))
                        break
                    log.error("EventBridge refused %d events: %s", len(batch), exc)
                    results = [{"ErrorCode": "Refused"}] * len(batch)
                else:
                    self.calls += 1
                again.extend(self._settle(batch, results))
            self._queue.extendleft(reversed(again))

    def _settle(self, batch: list[_Queued], results: list[dict[str, Any]]) -> list[_Queued]:
        """Count what was sent; return the failed entries that have attempts left."""
        again = []
        for i, queued in enumerate(batch):
            result = results[i] if i < len(results) else {"ErrorCode": "NoResult"}
            if "ErrorCode" not in result:
                self.sent_events += 1
                continue
            queued.attempts += 1
            if queued.attempts < self._max_attempts:
                self.retried_events += 1
                again.append(queued)
                continue
            self.dropped_events += 1
            log.error(
                "EventBridge dropped a %s event after %d attempts: %s %s",
                queued.entry["DetailType"],
                queued.attempts,
                result.get("ErrorCode"),
                result.get("ErrorMessage", ""),
            )
        return again

    def _put(self, entries: list[dict[str, Any]]) -> dict[str, Any]:
        response: dict[str, Any] = self._client.put_events(Entries=entries)
        return response

    # ---------------------------------------------------------------- lifetime
