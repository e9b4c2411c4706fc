"""What the gateway's routes share, built once in the app's lifespan."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Final

from mecrouter.config import Config
from mecrouter.gateway.auth import ApiKey, KeyStore, RateLimiter
from mecrouter.gateway.metrics import GatewayMetrics
from mecrouter.gateway.shared import SharedState
from mecrouter.pipeline import Router
from mecrouter.types import CircuitState, RoutingDecision

__all__ = ["GatewayState", "circuit_states"]

# Decisions whose reasoning, scores and chain `GET /v1/decisions/{id}` can show (older ones: only
# their recorded outcome). About 2 KB each: 10,000 took the soak's RSS past 150 MB per worker.
_RECENT_DECISIONS: Final = 5_000


@dataclass(slots=True)
class GatewayState:
    """The router, keys, limits and metrics behind every route; `app.state.gw`.

    `recent` keeps the latest decisions with the key id that owns each ("" without keys), so a
    decision that was only routed (nothing recorded) can still be read by its owner.
    """

    config: Config
    router: Router
    metrics: GatewayMetrics
    keys: KeyStore | None
    limiter: RateLimiter = field(default_factory=RateLimiter)
    recent: OrderedDict[str, tuple[str, RoutingDecision]] = field(default_factory=OrderedDict)
    models: dict[str, str] = field(default_factory=dict)  # name -> endpoint id or model
    metrics_auth: bool = False  # /metrics and /openapi.json need a key too
    shared: SharedState | None = None  # what replicas share through Redis (`state.url`)

    def remember(self, decision: RoutingDecision, owner: ApiKey | None) -> None:
        self.recent[decision.decision_id] = (owner.key_id if owner else "", decision)
        if len(self.recent) > _RECENT_DECISIONS:
            self.recent.popitem(last=False)


def circuit_states(router: Router) -> dict[str, CircuitState]:
    """Every endpoint's circuit, as of now."""
    now = router.clock.monotonic()
    return {ep_id: breaker.state(now) for ep_id, breaker in router.breakers.items()}
