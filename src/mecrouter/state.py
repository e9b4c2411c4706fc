"""What the agents compute on every request: the ContextAgent's analysis of a request and the
ResourceAgent's snapshot of the tiers (names follow DESIGN.md); `mecrouter.types` re-exports them.

These are slotted dataclasses, built on the hot path and trusted (the input types of `types` are
the validated ones).
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


@dataclass(slots=True)  # not frozen: built on every request, frozen init is ~3x slower
class ContextAnalysis:
    """What a request needs, as judged by the ContextAgent."""

    complexity_score: float
    estimated_tokens: int
    required_model_size: ModelSize
    latency_requirement: int  # milliseconds
    privacy_level: PrivacyLevel
    geographic_region: str
    estimated_output_tokens: int = 128
    use_case: str = "default"
    privacy_findings: tuple[str, ...] = ()
    task_type: str = "chat"
    # P(correct) per RouterBench proxy model from the quality predictor (None: predictor off)
    quality: Mapping[str, float] | None = None
    # How much the predictor's training data backs `quality`, in [0, 1]: the router shrinks the
    # estimates toward each model's capability prior by 1 - support (0: the prior alone)
    quality_support: float = 1.0


# The resource snapshot types below are read-only by convention, not frozen: they are built on
# every routing decision and a frozen dataclass's __init__ costs ~5x a plain one's (13 fields:
# 2.2 vs 0.45 us). The ResourceAgent shares unchanged statuses between snapshots, so code that
# reads a snapshot must never modify it (build a new one, e.g. with `dataclasses.replace`).


@dataclass(slots=True)
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
    node_id: str = ""


@dataclass(slots=True)  # read-only by convention: see the note above EndpointStatus
class DeviceResources:
    device_id: str
    memory_mb: int
    battery_pct: float
    local_models: tuple[str, ...]
    endpoints: tuple[EndpointStatus, ...] = ()


@dataclass(slots=True)  # read-only by convention: see the note above EndpointStatus
class MECNodeStatus:
    node_id: str
    region: str
    healthy: bool
    memory_gb_total: float
    memory_gb_used: float
    hot_models: tuple[str, ...]
    endpoints: tuple[EndpointStatus, ...]


@dataclass(slots=True)  # read-only by convention: see the note above EndpointStatus
class CloudServiceStatus:
    available: bool
    region: str
    endpoints: tuple[EndpointStatus, ...]


@dataclass(slots=True)  # read-only by convention: see the note above EndpointStatus
class NetworkMetrics:
    network_type: NetworkType
    connected: bool
    mec_rtt_ms: float
    cloud_rtt_ms: float
    bandwidth_mbps: float


@dataclass(slots=True)  # read-only by convention: see the note above EndpointStatus
class ResourceState:
    device_resources: DeviceResources
    mec_nodes: tuple[MECNodeStatus, ...]
    cloud_services: CloudServiceStatus
    network_conditions: NetworkMetrics
    timestamp: float

    _all_endpoints: tuple[EndpointStatus, ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def endpoints(self) -> tuple[EndpointStatus, ...]:
        """Every endpoint in the snapshot: device first, then MEC nodes, then cloud (flattened
        when first asked for, then kept: the router walks them on every decision)."""
        flat = self._all_endpoints
        if flat is None:
            flat = self.device_resources.endpoints
            for node in self.mec_nodes:
                flat += node.endpoints
            flat = self._all_endpoints = flat + self.cloud_services.endpoints
        return flat
