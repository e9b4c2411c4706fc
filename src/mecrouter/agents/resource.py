"""ResourceAgent: what the tiers have right now.

Keeps a live estimate per endpoint (health, in-flight, queue wait, TTFT, decode rate, error rate),
starting from the configured profile and corrected by every observed outcome: an EWMA of
observed / predicted service time (so a node that slows down is seen as slow within a few
requests) and an EWMA of the error rate. The pipeline calls `on_dispatch` / `on_finish` around each
attempt and `observe_*` with outcomes; `snapshot()` exports the state the router decides on.
Circuit states and hot-model sets come from injected providers so this module stays free of I/O.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from operator import is_

from mecrouter.config import Config, EndpointConfig
from mecrouter.prediction import predicted_ms
from mecrouter.types import (
    CircuitState,
    CloudServiceStatus,
    ComputeTier,
    DecisionRecord,
    DeviceInfo,
    DeviceResources,
    EndpointStatus,
    MECNodeStatus,
    NetworkMetrics,
    ResourceMetric,
    ResourceState,
)

__all__ = ["CostMetrics", "ResourceAgent"]

CircuitProvider = Callable[[str], CircuitState]
HotModelsProvider = Callable[[str], tuple[str, ...]]

_ALPHA = 0.2  # EWMA weight of the newest observation
_REFERENCE_OUTPUT_TOKENS = 128
_OPEN = CircuitState.OPEN
_CLOSED = CircuitState.CLOSED
_CLOUD = -1  # the cloud's group in `_dirty` (MEC nodes are 0, 1, ...)
_MIN_FACTOR, _MAX_FACTOR = 0.2, 50.0
_DEVICE_VIEWS = 100_000  # devices whose last snapshot view is kept (then forgotten at once)


@dataclass(slots=True)
class _Estimate:
    """The live numbers of one endpoint; `status` caches what they export until one changes."""

    healthy: bool = True
    in_flight: int = 0
    latency_factor: float = 1.0
    error_rate: float = 0.0
    samples: int = 0
    status: EndpointStatus | None = None


@dataclass(slots=True, frozen=True)
class _Const:
    """Per-endpoint profile numbers, read once from the config (config objects are slow)."""

    id: str
    tier: ComputeTier
    model: str
    region: str
    node: str
    max_concurrency: int
    ttft_ms: float
    decode_tokens_per_s: float
    ref_tokens: int  # the prompt size `ttft_ms` was measured at
    prefill_ms_per_token: float
    # One call of the reference size, for queue-wait estimates.
    reference_service_ms: float = field(init=False, default=0.0)

    def __post_init__(self) -> None:
        reference_ms = self.service_ms(self.ref_tokens, _REFERENCE_OUTPUT_TOKENS)
        object.__setattr__(self, "reference_service_ms", reference_ms)  # frozen: set once here

    @classmethod
    def of(cls, ep: EndpointConfig) -> _Const:
        return cls(
            ep.id,
            ep.tier,
            ep.model,
            ep.region,
            ep.node,
            ep.max_concurrency,
            ep.ttft_ms,
            ep.decode_tokens_per_s,
            ep.ttft_ref_tokens,
            ep.prefill_ms_per_1k_tokens / 1000.0,
        )

    def service_ms(self, input_tokens: int, output_tokens: int) -> float:
        """Profile service time of one call (no network, no queue): TTFT + decode."""
        _, total = predicted_ms(
            self.ttft_ms, self.ref_tokens, self.prefill_ms_per_token, self.decode_tokens_per_s,
            input_tokens, output_tokens, 0.0, 1.0,
        )  # fmt: skip
        return total


@dataclass(slots=True)
class _Node:
    """A MEC node's fixed facts, and the status last exported for it (reused while unchanged)."""

    id: str
    region: str
    memory_gb: float
    endpoints: list[_Const]
    memory_gb_by_model: list[tuple[str, float]]
    last: MECNodeStatus | None = None


@dataclass(slots=True, frozen=True)
class CostMetrics:
    """USD per 1k input / output tokens for each endpoint of a tier."""

    tier: ComputeTier
    per_1k_input_usd: dict[str, float]
    per_1k_output_usd: dict[str, float]


class ResourceAgent:
    def __init__(
        self,
        config: Config,
        *,
        circuit_state: CircuitProvider | None = None,
        hot_models: HotModelsProvider | None = None,
    ) -> None:
        self._config = config
        # Told every observation made here, as ("ok", endpoint, observed_ms, predicted_ms) or
        # ("fail", endpoint): the gateway shares them with its replicas (`gateway.shared`).
        self.observer: Callable[[tuple[str, str, float, float]], None] | None = None
        self._endpoints = {ep.id: ep for ep in config.endpoints}
        self._estimates = {ep.id: _Estimate() for ep in config.endpoints}
        self._consts = {ep.id: _Const.of(ep) for ep in config.endpoints}
        self._device_eps = [
            self._consts[ep.id] for ep in config.endpoints if ep.tier is ComputeTier.DEVICE
        ]
        self._device_ids = frozenset(c.id for c in self._device_eps)
        self._cloud_eps = [
            self._consts[e.id] for e in config.endpoints if e.tier is ComputeTier.CLOUD
        ]
        self._cloud_regions = ",".join(sorted({c.region for c in self._cloud_eps}))
        self._group: dict[str, int] = {c.id: _CLOUD for c in self._cloud_eps}
        self._dirty: set[int] = set()
        self._unsettled: set[int] = set()  # groups last built with a circuit not closed
        self._cloud_state: CloudServiceStatus | None = None
        self._nodes = [
            _Node(
                node.id,
                node.region,
                node.memory_gb,
                [self._consts[e.id] for e in config.endpoints if e.node == node.id],
                [(e.model, e.memory_gb) for e in config.endpoints if e.node == node.id],
            )
            for node in config.mec_nodes
        ]
        for k, node in enumerate(self._nodes):
            self._group.update(dict.fromkeys((c.id for c in node.endpoints), k))
        self._node_states: list[MECNodeStatus | None] = [None] * len(self._nodes)
        self._node_tuple: tuple[MECNodeStatus, ...] = ()
        self._dirty.update(range(len(self._nodes)))  # nothing built yet
        self._dirty.add(_CLOUD)
        # Per device: the endpoint statuses and the DeviceResources last exported for it.
        self._device_views: dict[str, tuple[DeviceInfo, list[EndpointStatus], DeviceResources]]
        self._device_views = {}
        self._circuit_state = circuit_state or (lambda _ep: CircuitState.CLOSED)
        self._hot_models = hot_models or self._configured_hot_models
        self._device_in_flight: dict[tuple[str, str], int] = {}
        self._version = 0
        self._cached: tuple[int, tuple[MECNodeStatus, ...], CloudServiceStatus] | None = None

    # ------------------------------------------------------------------ observations

    def on_dispatch(self, endpoint_id: str, device_id: str = "") -> None:
        """A call started. Device-tier calls are counted per device: each device has its own
        capacity, so one device's queue says nothing about another's."""
        if endpoint_id in self._device_ids:
            key = (endpoint_id, device_id)
            self._device_in_flight[key] = self._device_in_flight.get(key, 0) + 1
            return
        est = self._estimates[endpoint_id]
        est.in_flight += 1
        self._touch(endpoint_id)

    def on_finish(self, endpoint_id: str, device_id: str = "") -> None:
        if endpoint_id in self._device_ids:
            key = (endpoint_id, device_id)
            left = self._device_in_flight.get(key, 0) - 1
            if left > 0:
                self._device_in_flight[key] = left
            else:
                self._device_in_flight.pop(key, None)
            return
        est = self._estimates[endpoint_id]
        est.in_flight = max(0, est.in_flight - 1)
        self._touch(endpoint_id)

    def observe_success(
        self, endpoint_id: str, observed_ms: float, predicted_ms: float, *, remote: bool = False
    ) -> None:
        """Fold one successful call into the endpoint's latency factor and error rate (`remote`:
        another replica's, not told to `observer` again)."""
        est = self._estimates.get(endpoint_id)
        if est is None or predicted_ms <= 0:
            return
        if self.observer is not None and not remote:
            self.observer(("ok", endpoint_id, observed_ms, predicted_ms))
        ratio = min(max(observed_ms / predicted_ms, _MIN_FACTOR), _MAX_FACTOR)
        est.latency_factor += _ALPHA * (ratio - est.latency_factor)
        est.error_rate *= 1 - _ALPHA
        est.samples += 1
        self._touch(endpoint_id)

    def observe_failure(self, endpoint_id: str, *, remote: bool = False) -> None:
        est = self._estimates.get(endpoint_id)
        if est is None:
            return
        if self.observer is not None and not remote:
            self.observer(("fail", endpoint_id, 0.0, 0.0))
        est.error_rate += _ALPHA * (1.0 - est.error_rate)
        est.samples += 1
        self._touch(endpoint_id)

    def observe_probe(self, endpoint_id: str, ok: bool) -> None:
        est = self._estimates.get(endpoint_id)
        if est is not None and est.healthy != ok:
            est.healthy = ok
            self._touch(endpoint_id)

    def forget_failures(self, endpoint_id: str) -> None:
        """The endpoint recovered (a health probe closed its circuit): its error rate and any
        slowness learnt before belong to the failure episode. An endpoint that gets no traffic
        could never correct them, so it starts again from its profile and real traffic
        re-measures it within a few requests; evidence of being faster is kept."""
        est = self._estimates.get(endpoint_id)
        if est is not None and (est.error_rate > 0.0 or est.latency_factor > 1.0):
            est.error_rate = 0.0
            est.latency_factor = min(est.latency_factor, 1.0)
            self._touch(endpoint_id)

    def observe_record(self, record: DecisionRecord) -> None:
        """MonitorAgent listener: learn from the final attempt of a finished request."""
        c = self._consts.get(record.actual_endpoint)
        if c is None or not record.success or record.cache_hit or record.fallbacks_used:
            return  # after a fallback, the latency holds other endpoints' failures too
        # Strip the network round trip; queueing is not separable here, so the factor absorbs it
        # too (that is what clients experience).
        service_ms = record.latency_ms - record.network_rtt_ms
        predicted = c.service_ms(record.input_tokens, record.output_tokens)
        self.observe_success(c.id, service_ms if service_ms > 0.0 else 0.0, predicted)

    def _touch(self, endpoint_id: str) -> None:
        """An endpoint's numbers changed: its status, its group and the snapshot are stale."""
        self._estimates[endpoint_id].status = None
        group = self._group.get(endpoint_id)
        if group is not None:
            self._dirty.add(group)
        self._version += 1

    # ------------------------------------------------------------------ exports

    def estimate(self, endpoint_id: str) -> EndpointStatus:
        return self._status(self._endpoints[endpoint_id])

    def snapshot(self, device: DeviceInfo, network: NetworkMetrics, now: float) -> ResourceState:
        """The state one routing decision reads: the device's own view plus shared tier state."""
        mec_nodes, cloud = self._shared_state()
        busy, device_id, status_of = self._device_in_flight, device.device_id, self._status_of
        if busy:
            statuses = [status_of(c, busy.get((c.id, device_id), 0)) for c in self._device_eps]
        else:
            statuses = [status_of(c, 0) for c in self._device_eps]
        # The device's view is rebuilt only when one of its statuses (or the device) changed.
        views = self._device_views
        view = views.get(device_id)
        if view is not None and view[0] is device and _same(view[1], statuses):
            device_resources = view[2]
        else:
            device_resources = DeviceResources(
                device_id=device_id,
                memory_mb=device.memory_mb,
                battery_pct=device.battery_pct,
                local_models=device.local_models,
                endpoints=tuple(statuses),
            )
            if len(views) >= _DEVICE_VIEWS:
                views.clear()
            views[device_id] = (device, statuses, device_resources)
        return ResourceState(device_resources, mec_nodes, cloud, network, now)

    def monitor_mec_capacity(self) -> list[MECNodeStatus]:
        return list(self._shared_state()[0])

    def check_cloud_availability(self) -> CloudServiceStatus:
        return self._shared_state()[1]

    def assess_device_resources(self, device: DeviceInfo) -> DeviceResources:
        eps = tuple(
            self._status(ep)
            for ep in self._config.endpoints
            if ep.tier is ComputeTier.DEVICE and ep.model in device.local_models
        )
        return DeviceResources(
            device.device_id, device.memory_mb, device.battery_pct, device.local_models, eps
        )

    def calculate_costs(self, tier: ComputeTier) -> CostMetrics:
        ins: dict[str, float] = {}
        outs: dict[str, float] = {}
        for ep in self._config.endpoints:
            if ep.tier is tier:
                ins[ep.id] = ep.price.cost_usd(1000, 0)
                outs[ep.id] = ep.price.cost_usd(0, 1000)
        return CostMetrics(tier, ins, outs)

    def metrics(self, now: float, ttl_s: float = 86_400.0) -> list[ResourceMetric]:
        """Rows for the ResourceMetrics table, one per endpoint."""
        out = []
        for ep in self._config.endpoints:
            st = self._status(ep)
            out.append(
                ResourceMetric(
                    tier_id=f"{ep.tier.value}:{ep.id}",
                    timestamp=now,
                    ttl=now + ttl_s,
                    healthy=st.healthy,
                    in_flight=st.in_flight,
                    queue_wait_ms=st.queue_wait_ms,
                    ttft_ms=st.ttft_ms,
                    decode_tokens_per_s=st.decode_tokens_per_s,
                    error_rate=st.error_rate,
                    circuit_state=st.circuit_state.value,
                )
            )
        return out

    # ------------------------------------------------------------------ internals

    def _shared_state(self) -> tuple[tuple[MECNodeStatus, ...], CloudServiceStatus]:
        """MEC nodes and cloud as of now. Only a group (a node, or the cloud) whose endpoints
        changed since the last call is rebuilt, or one with a circuit not closed (an open circuit
        half-opens with time alone); every other change to an endpoint goes through `_touch`."""
        cached = self._cached
        if cached is not None and cached[0] == self._version:
            return cached[1], cached[2]
        dirty, unsettled, states = self._dirty, self._unsettled, self._node_states
        nodes_changed = False
        for k in (dirty | unsettled) if unsettled else dirty:
            if k == _CLOUD:
                self._cloud_status()
                continue
            state = self._node_status(self._nodes[k], k)
            if state is not states[k]:
                states[k] = state
                nodes_changed = True
        dirty.clear()
        if nodes_changed:
            self._node_tuple = tuple([s for s in states if s is not None])
        nodes, cloud = self._node_tuple, self._cloud_state
        assert cloud is not None
        self._cached = (self._version, nodes, cloud)
        return nodes, cloud

    def _group_statuses(
        self, consts: list[_Const], previous: tuple[EndpointStatus, ...] | None, group: int
    ) -> tuple[EndpointStatus, ...]:
        """A group's endpoint statuses, re-deriving only those touched since `previous` (an
        untouched endpoint with a closed circuit cannot have changed: a circuit leaves CLOSED
        only on a failure, and every failure is observed, which touches it)."""
        status_of = self._status_of
        if previous is None or group in self._unsettled:
            return tuple([status_of(c) for c in consts])
        estimates = self._estimates
        eps = None
        for k, c in enumerate(consts):
            if estimates[c.id].status is None:
                if eps is None:
                    eps = list(previous)
                eps[k] = status_of(c)
        return previous if eps is None else tuple(eps)

    def _cloud_status(self) -> None:
        previous = self._cloud_state
        eps = self._group_statuses(
            self._cloud_eps, previous.endpoints if previous else None, _CLOUD
        )
        if previous is None or previous.endpoints is not eps:
            self._cloud_state = CloudServiceStatus(
                available=_any_serving(eps),
                region=self._cloud_regions,
                endpoints=eps,
            )
        self._settle(_CLOUD, eps)

    def _settle(self, group: int, eps: tuple[EndpointStatus, ...]) -> None:
        """Note whether a group has a circuit not closed: such a group is rebuilt on every
        snapshot (an open circuit half-opens with time alone, without any `_touch`)."""
        for e in eps:
            if e.circuit_state is not _CLOSED:
                self._unsettled.add(group)
                return
        self._unsettled.discard(group)

    def _node_status(self, node: _Node, k: int) -> MECNodeStatus:
        previous = node.last
        eps = self._group_statuses(node.endpoints, previous.endpoints if previous else None, k)
        self._settle(k, eps)
        hot = self._hot_models(node.id)
        if previous is not None and previous.hot_models == hot and previous.endpoints is eps:
            return previous
        used = sum([gb for model, gb in node.memory_gb_by_model if model in hot])
        healthy = _any_serving(eps)
        node.last = MECNodeStatus(node.id, node.region, healthy, node.memory_gb, used, hot, eps)
        return node.last

    def _status(self, ep: EndpointConfig, in_flight: int | None = None) -> EndpointStatus:
        return self._status_of(self._consts[ep.id], in_flight)

    def _status_of(self, c: _Const, in_flight: int | None = None) -> EndpointStatus:
        """The endpoint's exported status; rebuilt only when its numbers or circuit changed.

        `in_flight` overrides the shared count (a device's own calls on the device tier)."""
        est = self._estimates[c.id]
        circuit = self._circuit_state(c.id)
        shared = in_flight is None or in_flight == est.in_flight
        cached = est.status
        if shared and cached is not None and cached.circuit_state is circuit:
            return cached
        factor = est.latency_factor
        count = est.in_flight if in_flight is None else in_flight
        overflow = count - c.max_concurrency + 1
        queue_ms = (
            math.ceil(overflow / c.max_concurrency) * c.reference_service_ms * factor
            if overflow > 0
            else 0.0
        )
        status = EndpointStatus(
            c.id,
            c.tier,
            c.model,
            c.region,
            est.healthy,
            circuit,
            count,
            c.max_concurrency,
            queue_ms,
            c.ttft_ms * factor,
            c.decode_tokens_per_s / factor,
            est.error_rate,
            c.node,
        )
        if shared:
            est.status = status
        return status

    def _configured_hot_models(self, node_id: str) -> tuple[str, ...]:
        for node in self._config.mec_nodes:
            if node.id == node_id:
                return node.hot_models
        return ()


def _same(a: list[EndpointStatus], b: list[EndpointStatus]) -> bool:
    """The very same status objects (a status is rebuilt whenever its numbers change)."""
    return len(a) == len(b) and all(map(is_, a, b))


def _any_serving(eps: tuple[EndpointStatus, ...]) -> bool:
    """Whether any endpoint is healthy with its circuit not open (a loop: a generator costs more
    than the check, once per snapshot)."""
    for e in eps:  # noqa: SIM110
        if e.healthy and e.circuit_state is not _OPEN:
            return True
    return False
