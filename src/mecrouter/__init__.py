"""mecrouter: route AI inference requests across device, MEC edge and cloud.

The public API is re-exported here and imported on first use (PEP 562), so that
``import mecrouter`` or any submodule import costs only the modules it needs and does nothing
else.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
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

# Each public name and the module it comes from.
_EXPORTS = {
    "AllEndpointsFailed": "mecrouter.errors",
    "Completion": "mecrouter.pipeline",
    "ComputeTier": "mecrouter.types",
    "Config": "mecrouter.config",
    "DeviceInfo": "mecrouter.types",
    "InferenceRequest": "mecrouter.types",
    "InvalidRequestError": "mecrouter.errors",
    "LatencyTier": "mecrouter.types",
    "MecrouterError": "mecrouter.errors",
    "MemoryStore": "mecrouter.stores",
    "NoRouteError": "mecrouter.errors",
    "PrivacyLevel": "mecrouter.types",
    "Router": "mecrouter.pipeline",
    "RoutingDecision": "mecrouter.types",
    "SQLiteStore": "mecrouter.stores",
    "load_config": "mecrouter.config",
    "parse_request": "mecrouter.types",
}

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


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mecrouter' has no attribute {name!r}")
    value = getattr(import_module(module), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *_EXPORTS])
