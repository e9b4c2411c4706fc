"""The enumerations of mecrouter's data model (names follow DESIGN.md); `mecrouter.types`
re-exports them.

They live apart so that `state` (compiled by `make fast`) and `types` can both import them.
"""

from __future__ import annotations

import enum

__all__ = ["CircuitState", "ComputeTier", "LatencyTier", "ModelSize", "NetworkType", "PrivacyLevel"]


class ComputeTier(enum.StrEnum):
    DEVICE = "device"
    MEC = "mec"
    CLOUD = "cloud"


class LatencyTier(enum.StrEnum):
    """Latency class of a request; `slo_ms` is its default latency target."""

    REALTIME = "realtime"
    INTERACTIVE = "interactive"
    STANDARD = "standard"
    BATCH = "batch"

    @property
    def slo_ms(self) -> int:
        return _LATENCY_TIER_SLO_MS[self]


_LATENCY_TIER_SLO_MS = {
    LatencyTier.REALTIME: 50,
    LatencyTier.INTERACTIVE: 200,
    LatencyTier.STANDARD: 3_000,
    LatencyTier.BATCH: 60_000,
}


class _Ordered(enum.StrEnum):
    """A string enum whose members compare by declaration order."""

    @property
    def rank(self) -> int:
        return _RANKS[self]

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.rank <= other.rank

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, type(self)):
            return NotImplemented
        return self.rank >= other.rank


class PrivacyLevel(_Ordered):
    """How far data may travel. REGULATED (PHI/PII) never leaves the device or an in-region MEC."""

    PUBLIC = "public"
    INTERNAL = "internal"
    SENSITIVE = "sensitive"
    REGULATED = "regulated"


class ModelSize(_Ordered):
    TINY = "tiny"
    SMALL = "small"
    MEDIUM = "medium"
    LARGE = "large"
    FRONTIER = "frontier"


_RANKS: dict[_Ordered, int] = {
    member: i for cls in (PrivacyLevel, ModelSize) for i, member in enumerate(cls)
}


class NetworkType(enum.StrEnum):
    FIVE_G = "5g"
    LTE = "lte"
    WIFI = "wifi"
    OFFLINE = "offline"


class CircuitState(enum.StrEnum):
    CLOSED = "CLOSED"
    OPEN = "OPEN"
    HALF_OPEN = "HALF_OPEN"
