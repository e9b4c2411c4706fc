"""The Monitor's metrics in Amazon CloudWatch: aggregated in memory, sent with PutMetricData.

Every finished request (`DecisionRecord`) and circuit transition is counted into the current
window, a few dictionary updates on the event loop; every ``interval_s`` the window is closed into
CloudWatch datums and sent from a thread, so the event loop never waits on AWS and no request can
fail because of it. A send that fails (AWS unreachable, throttled, 5xx) keeps its datums for the
next interval; a request AWS refuses as it is (another 4xx) is dropped, logged and counted, since
sending it again cannot help. At most ``max_buffered_datums`` wait: past that the oldest go first,
logged and counted in `dropped_datums`.

The metrics (namespace ``mecrouter`` by default), each with one small dimension:

* ``Requests`` (Count, by Tier): finished requests; ``FailedRequests`` (Count, by Tier): of
  which failed, 0 when none did; ``Fallbacks`` (Count, by Tier): failovers to a later endpoint.
* ``Latency`` and ``TimeToFirstToken`` (Milliseconds, by Tier): of successes, as values and
  counts, so CloudWatch's percentiles (p50, p95, p99) work on them.
* ``CostUSD`` (None, by Tier): spend as a statistic set: Sum, and Average per request.
* ``SLOAttainment`` (Percent, by UseCase): 100 per request that met its SLO, 0 per one that did
  not, so the Average is the attainment in percent.
* ``CircuitState`` (None, by Endpoint): 0 closed, 1 half-open, 2 open, each state held in the
  interval; the Maximum is the worst.

The Tier of a request is where it was served (else where it was routed, else ``none``). Latencies
are counted rounded to three significant digits (at most 0.5 % off), so that a busy minute
becomes a few hundred distinct values, which PutMetricData takes 150 to a datum.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
from collections import Counter, defaultdict, deque
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any, Final

from botocore.exceptions import BotoCoreError, ClientError

from mecrouter.aws.publishing import IntervalPublisher, publisher_client, refused
from mecrouter.config import AwsConfig
from mecrouter.types import CircuitState, DecisionRecord

__all__ = [
    "CIRCUIT_VALUE",
    "MAX_DATUMS_PER_CALL",
    "MAX_VALUES_PER_DATUM",
    "CloudWatchPublisher",
]

log = logging.getLogger(__name__)

MAX_DATUMS_PER_CALL: Final = 1_000  # PutMetricData's limit on metrics per request
MAX_VALUES_PER_DATUM: Final = 150  # and on distinct values per datum
# A CBOR-encoded value and its count take ~18 bytes: 20k of them stay far below the 1 MB limit.
_MAX_VALUES_PER_CALL: Final = 20_000
_MAX_DIMENSION_VALUES: Final = 100  # a guard on cost: further values of one dimension are "other"
CIRCUIT_VALUE: Final = {
    CircuitState.CLOSED: 0.0,
    CircuitState.HALF_OPEN: 1.0,
    CircuitState.OPEN: 2.0,
}

_Key = tuple[str, str, str]  # (metric, dimension name, dimension value)
_UNITS: Final = {
    "Requests": "Count",
    "FailedRequests": "Count",
    "Fallbacks": "Count",
    "Latency": "Milliseconds",
    "TimeToFirstToken": "Milliseconds",
    "CostUSD": "None",
    "SLOAttainment": "Percent",
    "CircuitState": "None",
}


def rounded(value: float) -> float:
    """``value`` to three significant digits (at most 0.5 % off)."""
    if value == 0.0:
        return 0.0
    digits = 2 - math.floor(math.log10(abs(value)))
    return round(value, digits)


@dataclass(slots=True)
class _Window:
    """What one interval counted."""

    sums: defaultdict[_Key, float] = field(default_factory=lambda: defaultdict(float))
    values: defaultdict[_Key, Counter[float]] = field(default_factory=lambda: defaultdict(Counter))
    stats: dict[_Key, list[float]] = field(default_factory=dict)  # [count, sum, min, max]

    def add_stat(self, key: _Key, value: float) -> None:
        got = self.stats.get(key)
        if got is None:
            self.stats[key] = [1.0, value, value, value]
        else:
            got[0] += 1.0
            got[1] += value
            got[2] = min(got[2], value)
            got[3] = max(got[3], value)

    def datums(self, at: datetime) -> list[dict[str, Any]]:
        """The window as PutMetricData datums, values split 150 to a datum."""
        out = [_datum(key, at, Value=total) for key, total in self.sums.items()]
        for key, (count, total, low, high) in self.stats.items():
            stats = {"SampleCount": count, "Sum": total, "Minimum": low, "Maximum": high}
            out.append(_datum(key, at, StatisticValues=stats))
        for key, counts in self.values.items():
            pairs = sorted(counts.items())
            for i in range(0, len(pairs), MAX_VALUES_PER_DATUM):
                chunk = pairs[i : i + MAX_VALUES_PER_DATUM]
                values, times = [v for v, _ in chunk], [float(n) for _, n in chunk]
                out.append(_datum(key, at, Values=values, Counts=times))
        return out


def _datum(key: _Key, at: datetime, **value: Any) -> dict[str, Any]:
    metric, dimension, name = key
    return {
        "MetricName": metric,
        "Dimensions": [{"Name": dimension, "Value": name}],
        "Timestamp": at,
        "Unit": _UNITS[metric],
        **value,
    }


def _weight(datum: dict[str, Any]) -> int:
    return len(datum.get("Values", ())) or 1


class CloudWatchPublisher(IntervalPublisher):
    """Counts requests and circuit states into windows and sends them to CloudWatch.

    `observe` and `circuit` run on the event loop and only count; `flush` closes the window and
    sends everything waiting from a thread (one flush at a time); `start` flushes every
    ``interval_s`` in the background until `aclose`, which flushes once more. ``clock`` gives
    epoch seconds (the datums' timestamps).
    """

    service = "CloudWatch"
    unit = "datums"

    def __init__(
        self,
        client: Any,
        *,
        namespace: str = "mecrouter",
        interval_s: float = 60.0,
        max_buffered_datums: int = 20_000,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self._client = client
        self.namespace = namespace
        super().__init__(interval_s)
        self._max_buffered = max_buffered_datums
        self._clock = clock
        self._window = _Window()
        self._pending: deque[dict[str, Any]] = deque()
        self._circuits: dict[str, CircuitState] = {}
        self._seen: defaultdict[str, set[str]] = defaultdict(set)
        self._lock = asyncio.Lock()
        self.calls = 0  # PutMetricData requests that succeeded
        self.sent_datums = 0
        self.failed_flushes = 0
        self.dropped_datums = 0

    @classmethod
    def from_config(cls, aws: AwsConfig) -> CloudWatchPublisher:
        cfg = aws.cloudwatch
        client = publisher_client("cloudwatch", aws.region, cfg.endpoint_url)
        return cls(client, namespace=cfg.namespace, interval_s=cfg.interval_s)

    @property
    def buffered(self) -> int:
        """Datums closed into a window but not yet accepted by CloudWatch."""
        return len(self._pending)

    # ---------------------------------------------------------------- counting (event loop)

    def observe(self, record: DecisionRecord) -> None:
        """Count one finished request (a MonitorAgent listener)."""
        tier = self._dimension("Tier", record.actual_tier or record.selected_tier or "none")
        w = self._window
        w.sums[("Requests", "Tier", tier)] += 1.0
        w.sums[("FailedRequests", "Tier", tier)] += 0.0 if record.success else 1.0
        w.sums[("Fallbacks", "Tier", tier)] += float(record.fallbacks_used)
        use_case = self._dimension("UseCase", record.use_case or "none")
        w.values[("SLOAttainment", "UseCase", use_case)][100.0 if record.slo_met else 0.0] += 1
        if not record.success:
            return
        self._count_ms(("Latency", "Tier", tier), record.latency_ms)
        if record.ttft_ms > 0:
            self._count_ms(("TimeToFirstToken", "Tier", tier), record.ttft_ms)
        if math.isfinite(record.cost_usd) and record.cost_usd >= 0:
            w.add_stat(("CostUSD", "Tier", tier), record.cost_usd)

    def circuit(self, endpoint: str, state: CircuitState) -> None:
        """An endpoint's circuit is now ``state`` (at start-up: every endpoint's)."""
        endpoint = self._dimension("Endpoint", endpoint)
        self._circuits[endpoint] = state
        self._window.values[("CircuitState", "Endpoint", endpoint)][CIRCUIT_VALUE[state]] += 1

    def _count_ms(self, key: _Key, value_ms: float) -> None:
        if math.isfinite(value_ms) and value_ms >= 0:
            self._window.values[key][rounded(value_ms)] += 1

    def _dimension(self, name: str, value: str) -> str:
        seen = self._seen[name]
        if value in seen or len(seen) < _MAX_DIMENSION_VALUES:
            seen.add(value)
            return value[:255]
        return "other"

    # ---------------------------------------------------------------- sending (a thread)

    async def flush(self) -> None:
        """Close the window and send everything waiting; never raises for AWS's sake."""
        async with self._lock:
            self._close_window()
            for batch in self._batches():
                try:
                    await asyncio.to_thread(self._put, batch)
                except (BotoCoreError, ClientError) as exc:
                    if not refused(exc):
                        self.failed_flushes += 1
                        log.warning(
                            "CloudWatch PutMetricData failed (%s); %d datums wait for the next "
                            "interval",
                            exc,
                            len(self._pending),
                        )
                        return
                    self.dropped_datums += len(batch)
                    log.error("CloudWatch refused %d datums; dropped: %s", len(batch), exc)
                else:
                    self.calls += 1
                    self.sent_datums += len(batch)
                for _ in batch:
                    self._pending.popleft()

    def _close_window(self) -> None:
        for endpoint, state in self._circuits.items():
            self._window.values[("CircuitState", "Endpoint", endpoint)][CIRCUIT_VALUE[state]] += 1
        window, self._window = self._window, _Window()
        self._pending.extend(window.datums(datetime.fromtimestamp(self._clock(), UTC)))
        overflow = len(self._pending) - self._max_buffered
        if overflow > 0:
            for _ in range(overflow):
                self._pending.popleft()
            self.dropped_datums += overflow
            log.warning("CloudWatch buffer full: dropped the %d oldest datums", overflow)

    def _batches(self) -> Iterator[list[dict[str, Any]]]:
        """Successive requests' datums from the front of the queue: at most 1,000 datums and
        20,000 values each. Taken lazily, so a batch is always the queue's current front."""
        while self._pending:
            batch: list[dict[str, Any]] = []
            values = 0
            for datum in self._pending:
                if len(batch) == MAX_DATUMS_PER_CALL or (
                    batch and values + _weight(datum) > _MAX_VALUES_PER_CALL
                ):
                    break
                batch.append(datum)
                values += _weight(datum)
            yield batch

    def _put(self, batch: list[dict[str, Any]]) -> None:
        self._client.put_metric_data(Namespace=self.namespace, MetricData=batch)

    # ---------------------------------------------------------------- lifetime
