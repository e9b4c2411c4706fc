"""mecrouter: route AI inference requests across device, MEC edge and cloud."""

from mecrouter.compiled import warn_if_stale
from mecrouter.config import Config, load_config
from mecrouter.errors import (
    AllEndpointsFailed,
    InvalidRequestError,
    MecrouterError,
    NoRouteError,
)
from mecrouter.pipeline import Completion, Router
from mecrouter.stores import MemoryStore, SQLiteStore
from mecrouter.types import (
    ComputeTier,
    DeviceInfo,
    InferenceRequest,
    LatencyTier,
    PrivacyLevel,
    RoutingDecision,
    parse_request,
)

__all__ = [
    "AllEndpointsFailed",
    "Completion",
    "ComputeTier",
    "Config",
    "DeviceInfo",
    "InferenceRequest",
    "InvalidRequestError",
    "LatencyTier",
    "MecrouterError",
    "MemoryStore",
    "NoRouteError",
    "PrivacyLevel",
    "Router",
    "RoutingDecision",
    "SQLiteStore",
    "load_config",
    "parse_request",
]

warn_if_stale()  # a module `make fast` compiled is older than its source
