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
from dataclasses import dataclass

from mecrouter.config import Config, EndpointConfig
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

__all__ = ["CostMetrics", "ResourceAgent", "predicted_service_ms"]

CircuitProvider = Callable[[str], CircuitState]
HotModelsProvider = Callable[[str], tuple[str, ...]]

_ALPHA = 0.2  # EWMA weight of the newest observation
_MIN_FACTOR, _MAX_FACTOR = 0.2, 50.0


@dataclass(slots=True)
class _Estimate:
    healthy: bool = True
    in_flight: int = 0
    latency_factor: float = 1.0
    error_rate: float = 0.0
    samples: int = 0


@dataclass(slots=True, frozen=True)
class CostMetrics:
    """USD per 1k input / output tokens for each endpoint of a tier."""

    tier: ComputeTier
    per_1k_input_usd: dict[str, float]
    per_1k_output_usd: dict[str, float]


def predicted_service_ms(ep: EndpointConfig, input_tokens: int, output_tokens: int) -> float:
    """Profile service time of one call (no network, no queue): TTFT + decode."""
    return ep.predicted_ttft_ms(input_tokens) + output_tokens * 1000.0 / ep.decode_tokens_per_s


class ResourceAgent:
    def __init__(
        self,
        config: Config,
        *,
        circuit_state: CircuitProvider | None = None,
        hot_models: HotModelsProvider | None = None,
    ) -> None:
        self._config = config
        self._endpoints = {ep.id: ep for ep in config.endpoints}
        self._estimates = {ep.id: _Estimate() for ep in config.endpoints}
        self._circuit_state = circuit_state or (lambda _ep: CircuitState.CLOSED)
        self._hot_models = hot_models or self._configured_hot_models
        self._device_in_flight: dict[tuple[str, str], int] = {}
        self._version = 0
        self._cached: tuple[int, tuple[MECNodeStatus, ...], CloudServiceStatus] | None = None

    # ------------------------------------------------------------------ observations

    def on_dispatch(self, endpoint_id: str, device_id: str = "") -> None:
        """A call started. Device-tier calls are counted per device: each device has its own
        capacity, so one device's queue says nothing about another's."""
        if self._endpoints[endpoint_id].tier is ComputeTier.DEVICE:
            key = (endpoint_id, device_id)
            self._device_in_flight[key] = self._device_in_flight.get(key, 0) + 1
            return
        self._estimates[endpoint_id].in_flight += 1
        self._version += 1

    def on_finish(self, endpoint_id: str, device_id: str = "") -> None:
        if self._endpoints[endpoint_id].tier is ComputeTier.DEVICE:
            key = (endpoint_id, device_id)
            left = self._device_in_flight.get(key, 0) - 1
            if left > 0:
                self._device_in_flight[key] = left
            else:
                self._device_in_flight.pop(key, None)
            return
        est = self._estimates[endpoint_id]
        est.in_flight = max(0, est.in_flight - 1)
        self._version += 1

    def observe_success(self, endpoint_id: str, observed_ms: float, predicted_ms: float) -> None:
        """Fold one successful call into the endpoint's latency factor and error rate."""
        est = self._estimates.get(endpoint_id)
        if est is None or predicted_ms <= 0:
            return
        ratio = min(max(observed_ms / predicted_ms, _MIN_FACTOR), _MAX_FACTOR)
        est.latency_factor += _ALPHA * (ratio - est.latency_factor)
        est.error_rate *= 1 - _ALPHA
        est.samples += 1
        self._version += 1

    def observe_failure(self, endpoint_id: str) -> None:
        est = self._estimates.get(endpoint_id)
        if est is None:
            return
        est.error_rate += _ALPHA * (1.0 - est.error_rate)
        est.samples += 1
        self._version += 1

    def observe_probe(self, endpoint_id: str, ok: bool) -> None:
        est = self._estimates.get(endpoint_id)
        if est is not None and est.healthy != ok:
            est.healthy = ok
            self._version += 1

    def observe_record(self, record: DecisionRecord) -> None:
        """MonitorAgent listener: learn from the final attempt of a finished request."""
        ep = self._endpoints.get(record.actual_endpoint)
        if ep is None or not record.success or record.cache_hit:
            return
        # Strip the network round trip; queueing is not separable here, so the factor absorbs it
        # too (that is what clients experience).
        service_ms = record.latency_ms - record.network_rtt_ms
        predicted = predicted_service_ms(ep, record.input_tokens, record.output_tokens)
        self.observe_success(ep.id, max(service_ms, 0.0), predicted)

    # ------------------------------------------------------------------ exports

    def estimate(self, endpoint_id: str) -> EndpointStatus:
        return self._status(self._endpoints[endpoint_id])

    def snapshot(self, device: DeviceInfo, network: NetworkMetrics, now: float) -> ResourceState:
        """The state one routing decision reads: the device's own view plus shared tier state."""
        mec_nodes, cloud = self._shared_state()
        device_eps = tuple(
            self._status(ep, self._device_in_flight.get((ep.id, device.device_id), 0))
            for ep in self._config.endpoints
            if ep.tier is ComputeTier.DEVICE
        )
        device_resources = DeviceResources(
            device_id=device.device_id,
            memory_mb=device.memory_mb,
            battery_pct=device.battery_pct,
            local_models=device.local_models,
            endpoints=device_eps,
        )
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
        cached = self._cached
        if cached is not None and cached[0] == self._version:
            return cached[1], cached[2]
        nodes = []
        for node in self._config.mec_nodes:
            eps = tuple(self._status(ep) for ep in self._config.endpoints if ep.node == node.id)
            hot = self._hot_models(node.id)
            used = sum(
                ep.memory_gb
                for ep in self._config.endpoints
                if ep.node == node.id and ep.model in hot
            )
            healthy = any(e.healthy and e.circuit_state is not CircuitState.OPEN for e in eps)
            nodes.append(
                MECNodeStatus(node.id, node.region, healthy, node.memory_gb, used, hot, eps)
            )
        cloud_eps = tuple(
            self._status(ep) for ep in self._config.endpoints if ep.tier is ComputeTier.CLOUD
        )
        regions = {ep.region for ep in self._config.endpoints if ep.tier is ComputeTier.CLOUD}
        cloud = CloudServiceStatus(
            available=any(
                e.healthy and e.circuit_state is not CircuitState.OPEN for e in cloud_eps
            ),
            region=",".join(sorted(regions)),
            endpoints=cloud_eps,
        )
        result = (tuple(nodes), cloud)
        self._cached = (self._version, *result)
        return result

    def _status(self, ep: EndpointConfig, in_flight: int | None = None) -> EndpointStatus:
        est = self._estimates[ep.id]
        factor = est.latency_factor
        in_flight = est.in_flight if in_flight is None else in_flight
        return EndpointStatus(
            endpoint_id=ep.id,
            tier=ep.tier,
            model=ep.model,
            region=ep.region,
            healthy=est.healthy,
            circuit_state=self._circuit_state(ep.id),
            in_flight=in_flight,
            max_concurrency=ep.max_concurrency,
            queue_wait_ms=_queue_wait_ms(ep, in_flight, factor),
            ttft_ms=ep.ttft_ms * factor,
            decode_tokens_per_s=ep.decode_tokens_per_s / factor,
            error_rate=est.error_rate,
            node_id=ep.node,
        )

    def _configured_hot_models(self, node_id: str) -> tuple[str, ...]:
        for node in self._config.mec_nodes:
            if node.id == node_id:
                return node.hot_models
        return ()


def _queue_wait_ms(ep: EndpointConfig, in_flight: int, factor: float) -> float:
    """Expected wait for a slot: calls beyond capacity drain at max_concurrency per service time.
    (For a device-tier endpoint `in_flight` is the requesting device's own count.)"""
    overflow = in_flight - ep.max_concurrency + 1
    if overflow <= 0:
        return 0.0
    service_ms = predicted_service_ms(ep, ep.ttft_ref_tokens, 128) * factor
    return math.ceil(overflow / ep.max_concurrency) * service_ms
