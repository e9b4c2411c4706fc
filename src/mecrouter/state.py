"""What the agents compute on every request: the ContextAgent's analysis of a request and the
ResourceAgent's snapshot of the tiers (names follow DESIGN.md); `mecrouter.types` re-exports them.

These are slotted dataclasses, built on the hot path and trusted (the input types of `types` are
the validated ones). They live in their own module so that `make fast` can compile them: a
compiled class is built several times faster, and compiled agents read its fields directly.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from mecrouter.enums import CircuitState, ComputeTier, ModelSize, NetworkType, PrivacyLevel

__all__ = [
    "CloudServiceStatus",
    "ContextAnalysis",
    "DeviceResources",
    "EndpointStatus",
    "MECNodeStatus",
    "NetworkMetrics",
    "ResourceState",
]


# Each class writes its own `__init__` (`init=False`): mypyc compiles a written `__init__` but not
# the one `dataclass` generates, and these are built on every request (a compiled one is ~6x
# faster to call; uncompiled, the two cost the same). The dataclass still gives repr, eq, fields,
# `asdict` and `replace`; the field defaults live in the `__init__`s.


@dataclass(slots=True, init=False)  # not frozen: built on every request, frozen init is ~3x slower
class ContextAnalysis:
    """What a request needs, as judged by the ContextAgent."""

    complexity_score: float
    estimated_tokens: int
    required_model_size: ModelSize
    latency_requirement: int  # milliseconds
    privacy_level: PrivacyLevel
    geographic_region: str
    estimated_output_tokens: int
    use_case: str
    privacy_findings: tuple[str, ...]
    task_type: str
    # P(correct) per RouterBench proxy model from the quality predictor (None: predictor off)
    quality: Mapping[str, float] | None

    def __init__(
        self,
        complexity_score: float,
        estimated_tokens: int,
        required_model_size: ModelSize,
        latency_requirement: int,
        privacy_level: PrivacyLevel,
        geographic_region: str,
        estimated_output_tokens: int = 128,
        use_case: str = "default",
        privacy_findings: tuple[str, ...] = (),
        task_type: str = "chat",
        quality: Mapping[str, float] | None = None,
    ) -> None:
        self.complexity_score = complexity_score
        self.estimated_tokens = estimated_tokens
        self.required_model_size = required_model_size
        self.latency_requirement = latency_requirement
        self.privacy_level = privacy_level
        self.geographic_region = geographic_region
        self.estimated_output_tokens = estimated_output_tokens
        self.use_case = use_case
        self.privacy_findings = privacy_findings
        self.task_type = task_type
        self.quality = quality


# The resource snapshot types below are read-only by convention, not frozen: they are built on
# every routing decision and a frozen dataclass's __init__ costs ~5x a plain one's (13 fields:
# 2.2 vs 0.45 us). The ResourceAgent shares unchanged statuses between snapshots, so code that
# reads a snapshot must never modify it (build a new one, e.g. with `dataclasses.replace`).


@dataclass(slots=True, init=False)
class EndpointStatus:
    """Live estimate for one endpoint (a model served at one place)."""

    endpoint_id: str
    tier: ComputeTier
    model: str
    region: str
    healthy: bool
    circuit_state: CircuitState
    in_flight: int
    max_concurrency: int
    queue_wait_ms: float
    ttft_ms: float
    decode_tokens_per_s: float
    error_rate: float
    node_id: str

    def __init__(
        self,
        endpoint_id: str,
        tier: ComputeTier,
        model: str,
        region: str,
        healthy: bool,
        circuit_state: CircuitState,
        in_flight: int,
        max_concurrency: int,
        queue_wait_ms: float,
        ttft_ms: float,
        decode_tokens_per_s: float,
        error_rate: float,
        node_id: str = "",
    ) -> None:
        self.endpoint_id = endpoint_id
        self.tier = tier
        self.model = model
        self.region = region
        self.healthy = healthy
        self.circuit_state = circuit_state
        self.in_flight = in_flight
        self.max_concurrency = max_concurrency
        self.queue_wait_ms = queue_wait_ms
        self.ttft_ms = ttft_ms
        self.decode_tokens_per_s = decode_tokens_per_s
        self.error_rate = error_rate
        self.node_id = node_id


@dataclass(slots=True, init=False)  # read-only by convention: see the note above EndpointStatus
class DeviceResources:
    device_id: str
    memory_mb: int
    battery_pct: float
    local_models: tuple[str, ...]
    endpoints: tuple[EndpointStatus, ...]

    def __init__(
        self,
        device_id: str,
        memory_mb: int,
        battery_pct: float,
        local_models: tuple[str, ...],
        endpoints: tuple[EndpointStatus, ...] = (),
    ) -> None:
        self.device_id = device_id
        self.memory_mb = memory_mb
        self.battery_pct = battery_pct
        self.local_models = local_models
        self.endpoints = endpoints


@dataclass(slots=True, init=False)  # read-only by convention: see the note above EndpointStatus
class MECNodeStatus:
    node_id: str
    region: str
    healthy: bool
    memory_gb_total: float
    memory_gb_used: float
    hot_models: tuple[str, ...]
    endpoints: tuple[EndpointStatus, ...]

    def __init__(
        self,
        node_id: str,
        region: str,
        healthy: bool,
        memory_gb_total: float,
        memory_gb_used: float,
        hot_models: tuple[str, ...],
        endpoints: tuple[EndpointStatus, ...],
    ) -> None:
        self.node_id = node_id
        self.region = region
        self.healthy = healthy
        self.memory_gb_total = memory_gb_total
        self.memory_gb_used = memory_gb_used
        self.hot_models = hot_models
        self.endpoints = endpoints


@dataclass(slots=True, init=False)  # read-only by convention: see the note above EndpointStatus
class CloudServiceStatus:
    available: bool
    region: str
    endpoints: tuple[EndpointStatus, ...]

    def __init__(self, available: bool, region: str, endpoints: tuple[EndpointStatus, ...]) -> None:
        self.available = available
        self.region = region
        self.endpoints = endpoints


@dataclass(slots=True, init=False)  # read-only by convention: see the note above EndpointStatus
class NetworkMetrics:
    network_type: NetworkType
    connected: bool
    mec_rtt_ms: float
    cloud_rtt_ms: float
    bandwidth_mbps: float

    def __init__(
        self,
        network_type: NetworkType,
        connected: bool,
        mec_rtt_ms: float,
        cloud_rtt_ms: float,
        bandwidth_mbps: float,
    ) -> None:
        self.network_type = network_type
        self.connected = connected
        self.mec_rtt_ms = mec_rtt_ms
        self.cloud_rtt_ms = cloud_rtt_ms
        self.bandwidth_mbps = bandwidth_mbps


@dataclass(slots=True, init=False)  # read-only by convention: see the note above EndpointStatus
class ResourceState:
    device_resources: DeviceResources
    mec_nodes: tuple[MECNodeStatus, ...]
    cloud_services: CloudServiceStatus
    network_conditions: NetworkMetrics
    timestamp: float

    _all_endpoints: tuple[EndpointStatus, ...] = field(init=False, repr=False, compare=False)

    def __init__(
        self,
        device_resources: DeviceResources,
        mec_nodes: tuple[MECNodeStatus, ...],
        cloud_services: CloudServiceStatus,
        network_conditions: NetworkMetrics,
        timestamp: float,
    ) -> None:
        self.device_resources = device_resources
        self.mec_nodes = mec_nodes
        self.cloud_services = cloud_services
        self.network_conditions = network_conditions
        self.timestamp = timestamp
        # Flattened once: the router walks every endpoint of a snapshot on every decision.
        flat = device_resources.endpoints
        for node in mec_nodes:
            flat += node.endpoints
        self._all_endpoints = flat + cloud_services.endpoints

    def endpoints(self) -> tuple[EndpointStatus, ...]:
        """Every endpoint in the snapshot: device first, then MEC nodes, then cloud."""
        return self._all_endpoints
