"""The simulated world one policy runs in: devices, network links, MEC nodes, cloud, faults.

Everything that decides is real (ContextAgent, ResourceAgent, RouterAgent, CacheAgent, the
circuit breakers); everything that serves is simulated here on a SimPy environment:

- network: each request's RTT to MEC and to the cloud is what the device's access network trace
  (5Gophers pings, see `traces`) showed at that simulated time, each device reading the trace
  from its own phase;
- compute: an endpoint is a pool of `Slots` (FIFO, on the SimPy clock) with its configured
  size (a device's model has its own slot per device; the cloud scales out: `CLOUD_SLOTS`,
  ASSUMED); a call's time to first token and decode time are drawn from the measured source
  the endpoint stands for (`service`: LLMPerf request records, Qualcomm device figures), at
  the request's own quantile, with the prompt's measured prefill time; on MEC nodes the decode
  time per token grows with the calls in service as Splitwise measured it against batch size.
  Never from the router's profile (`ttft_ms`, `decode_tokens_per_s`): the router's estimates
  can be wrong here, as they can be in the field;
- faults: a node outage refuses calls after one RTT, a partition makes device-MEC calls hang
  until their timeout, a slow-down multiplies service times.
"""

from __future__ import annotations

import bisect
import heapq
import math
from collections import deque
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import numpy.typing as npt
import simpy

from mecrouter.config import Config, EndpointConfig
from mecrouter.sim.results import FaultWindow
from mecrouter.sim.service import (
    PREFILL_STEP_TOKENS,
    MeasuredService,
    batch_slowdown,
    load_service,
    service_trace_of,
)
from mecrouter.sim.traces import AccessNetwork
from mecrouter.types import ComputeTier

__all__ = ["CLOUD_SLOTS", "Endpoint", "Slots", "Station", "World"]

# The cloud is a managed service that scales out: ASSUMED 1,000 concurrent calls per model (the
# config's max_concurrency stays what the router believes; it learns the rest from latencies).
CLOUD_SLOTS = 1_000
_PREFILL_SHIFT = PREFILL_STEP_TOKENS.bit_length() - 1  # p >> shift == p // PREFILL_STEP_TOKENS
_DOWN, _HANG = "down", "hang"


@dataclass(slots=True, frozen=True)
class Endpoint:
    """An endpoint's numbers, read once from the config (config objects are slow to read), and
    the measured service times the world draws its calls from (`MeasuredService`, as lists)."""

    id: str
    model: str
    node: str
    tier: ComputeTier
    tier_name: str
    capacity: int
    in_usd_per_token: float
    out_usd_per_token: float
    failure_rate: float
    # What the world does (`service_ms`): measured samples sorted by TTFT, paired decode times.
    samples: int
    ttft_samples_ms: tuple[float, ...]
    decode_ms_per_token: tuple[float, ...]
    prefill_base_ms: tuple[float, ...]  # per 32-token prompt cell: base + slope * prompt tokens
    prefill_slope_ms: tuple[float, ...]
    prefill_last: int  # the last cell (it extends past the largest measured prompt)
    batch_factor: tuple[float, ...]  # per calls in service: decode slowdown (empty: none)
    typical_service_ms: float  # a median call of 128 output tokens, for the oracle's queue

    @classmethod
    def of(cls, ep: EndpointConfig, service: MeasuredService, batch: tuple[float, ...]) -> Endpoint:
        return cls(
            ep.id, ep.model, ep.node, ep.tier, ep.tier.value, ep.max_concurrency,
            ep.price.cost_usd(1000, 0) / 1000.0, ep.price.cost_usd(0, 1000) / 1000.0,
            ep.failure_rate, len(service.ttft_ms), service.ttft_ms, service.decode_ms_per_token,
            service.prefill_base_ms, service.prefill_slope_ms, len(service.prefill_base_ms) - 1,
            batch, service.median_ttft_ms + 127 * service.median_decode_ms_per_token,
        )  # fmt: skip

    def cost_usd(self, prompt_tokens: int, output_tokens: int) -> float:
        return prompt_tokens * self.in_usd_per_token + output_tokens * self.out_usd_per_token


class Slots:
    """`capacity` identical slots on the SimPy clock, handed out first come, first served.

    A free slot is taken at once, without an event; a caller that must wait gets an event that
    `release` triggers when a slot passes to it. It does what `simpy.Resource` does for this
    model, without the request event every call would otherwise pay for."""

    __slots__ = ("capacity", "count", "env", "queue")

    def __init__(self, env: simpy.Environment, capacity: int) -> None:
        self.env, self.capacity, self.count = env, capacity, 0
        self.queue: deque[simpy.Event] = deque()

    def take(self) -> simpy.Event | None:
        """None: a slot is yours now. Otherwise wait for the event (then the slot is yours)."""
        if self.count < self.capacity and not self.queue:
            self.count += 1
            return None
        waiting = self.env.event()
        self.queue.append(waiting)
        return waiting

    def give_up(self, waiting: simpy.Event) -> None:
        """A waiter that stopped waiting (its attempt timed out)."""
        if waiting.triggered:  # the slot reached it at the same moment: pass it on
            self.release()
        else:
            self.queue.remove(waiting)

    def release(self) -> None:
        if self.queue:
            self.queue.popleft().succeed()  # the slot passes to the next waiter
        else:
            self.count -= 1


@dataclass(slots=True)
class Station:
    """One endpoint's slots, and when each call in service finishes (for the oracle)."""

    slots: Slots
    finishing: list[float] = field(default_factory=list)  # sorted completion times

    def expected_wait_s(self, now: float, queued_service_s: float) -> float:
        """The wait a call arriving now would have if nobody else arrived (FIFO): the calls in
        service finish when they finish; each queued one then holds a slot for
        `queued_service_s` (their own durations are not drawn until they start)."""
        capacity = self.slots.capacity
        ahead = len(self.slots.queue)
        if self.slots.count + ahead < capacity:
            return 0.0
        free_at = list(self.finishing) + [now] * (capacity - len(self.finishing))
        heapq.heapify(free_at)
        for _ in range(ahead):
            heapq.heappush(free_at, heapq.heappop(free_at) + queued_service_s)
        return max(0.0, free_at[0] - now)


@dataclass(slots=True)
class World:
    """Stations, links and faults of one run; `service_ms` and `rtt_ms` are the physics."""

    env: simpy.Environment
    config: Config
    networks: dict[str, AccessNetwork]
    device_network: list[str]  # per device: "5g" | "lte" | "wifi"
    device_phase_s: npt.NDArray[np.float64]  # per device: where it reads its RTT trace
    faults: list[FaultWindow]
    data: Path | None = None  # the measured-data folder (None: the default, see `datadir`)
    stations: dict[str, Station] = field(default_factory=dict)
    device_stations: dict[tuple[str, int], Station] = field(default_factory=dict)
    endpoints: dict[str, Endpoint] = field(default_factory=dict)
    slow_links: bool = False  # any network slow-down scheduled (skips the check otherwise)
    _edges: list[float] = field(default_factory=list)  # every fault window's start and end
    _span: tuple[float, float] = (math.inf, -math.inf)  # between two edges: `fault` memo valid
    _fault_memo: dict[str, tuple[str, float]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.slow_links = any(f.kind == "network_slowdown" for f in self.faults)
        self._edges = sorted({t for f in self.faults for t in (f.start_s, f.end_s)})
        for config in self.config.endpoints:
            service = load_service(
                service_trace_of(config), self.data, f"endpoints.{config.id}.service_trace"
            )
            batch = batch_slowdown(config.max_concurrency + 1, self.data)
            ep = Endpoint.of(config, service, batch if config.tier is ComputeTier.MEC else ())
            self.endpoints[config.id] = ep
            if ep.tier is ComputeTier.CLOUD:
                self.stations[ep.id] = Station(Slots(self.env, CLOUD_SLOTS))
            elif ep.tier is ComputeTier.MEC:
                self.stations[ep.id] = Station(Slots(self.env, ep.capacity))

    def station(self, ep: Endpoint, device: int) -> Station:
        if ep.tier is not ComputeTier.DEVICE:
            return self.stations[ep.id]
        key = (ep.id, device)
        st = self.device_stations.get(key)
        if st is None:
            st = Station(Slots(self.env, ep.capacity))
            self.device_stations[key] = st
        return st

    def rtt_ms(self, ep: Endpoint, device: int, now: float) -> float:
        """The round trip from this device to `ep` at `now` (0 for the device itself)."""
        if ep.tier is ComputeTier.DEVICE:
            return 0.0
        net = self.networks[self.device_network[device]]
        series = net.mec if ep.tier is ComputeTier.MEC else net.cloud
        rtt = series.at(now + float(self.device_phase_s[device]))
        return rtt * self.rtt_factor(ep.tier_name, now) if self.slow_links else rtt

    def quality_factor(self, ep: Endpoint, now: float) -> float:
        """How much less often `ep`'s answers are good at `now` (quality drops multiply)."""
        factor = 1.0
        for f in self.faults:
            if (
                f.kind == "quality_drop"
                and f.start_s <= now < f.end_s
                and f.target in (ep.model, ep.node, ep.id)
            ):
                factor *= f.factor
        return factor

    def rtt_factor(self, tier_name: str, now: float) -> float:
        factor = 1.0
        for f in self.faults:
            if (
                f.kind == "network_slowdown"
                and f.target == tier_name
                and f.start_s <= now < f.end_s
            ):
                factor *= f.factor
        return factor

    def fault(self, ep: Endpoint, now: float) -> tuple[str, float]:
        """("down" | "hang" | "", slow-down factor) for a call to `ep` at `now`: memoised per
        endpoint between two consecutive fault boundaries (no window starts or ends there)."""
        if not self.faults:
            return "", 1.0
        if not self._span[0] <= now < self._span[1]:
            self._enter_span(now)
        memo = self._fault_memo
        found = memo.get(ep.id)
        if found is None:
            found = memo[ep.id] = self._fault_at(ep, now)
        return found

    def _enter_span(self, now: float) -> None:
        edges = self._edges
        k = bisect.bisect_right(edges, now)
        self._span = (edges[k - 1] if k else -math.inf, edges[k] if k < len(edges) else math.inf)
        self._fault_memo.clear()

    def _fault_at(self, ep: Endpoint, now: float) -> tuple[str, float]:
        factor = 1.0
        for f in self.faults:
            if not f.start_s <= now < f.end_s:
                continue
            if f.kind == "node_outage" and f.target in (ep.node, ep.id):
                return _DOWN, 1.0
            if f.kind == "network_partition" and f.target == ep.tier_name:
                return _HANG, 1.0
            if f.kind == "slowdown" and f.target in (ep.tier_name, ep.node, ep.id):
                factor *= f.factor
        return "", factor

    def service_ms(
        self,
        ep: Endpoint,
        busy: int,
        prompt_tokens: int,
        output_tokens: int,
        draw: float,
        slow: float,
    ) -> tuple[float, float]:
        """(time to first token, decode time) of one call, in ms, with `busy` calls in service
        on the same endpoint (this one included): the measured sample at quantile `draw` (the
        request's, uniform in [0, 1)), its TTFT moved by the prompt's prefill time, times a
        slow-down `slow`. The first token comes at TTFT; the other `output_tokens - 1` each take
        the sample's decode time per token (longer in a fuller batch on a MEC node)."""
        k = int(draw * ep.samples)
        j = prompt_tokens >> _PREFILL_SHIFT  # the prompt's cell of the prefill curve
        if j > ep.prefill_last:
            j = ep.prefill_last
        ttft = (
            ep.ttft_samples_ms[k] + ep.prefill_base_ms[j] + ep.prefill_slope_ms[j] * prompt_tokens
        )
        per_token = ep.decode_ms_per_token[k]
        factors = ep.batch_factor
        if busy > 1 and factors:
            per_token *= factors[busy] if busy < len(factors) else factors[-1]
        return ttft * slow, (output_tokens - 1) * per_token * slow


def add_finishing(station: Station, t: float) -> None:
    bisect.insort(station.finishing, t)


def remove_finishing(station: Station, t: float) -> None:
    i = bisect.bisect_left(station.finishing, t)
    if i < len(station.finishing) and station.finishing[i] == t:
        del station.finishing[i]
