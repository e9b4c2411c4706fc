"""`GET /v1/insights`: what the agents know that `/metrics` cannot say, for an operator's
dashboard: hot/warm/cold models per MEC node (the CacheAgent's placement), the MonitorAgent's
anomalies, recommendations and traffic patterns of the last hour, what the learning changed
per task type and model, and every endpoint's circuit.

It is read-only and, like `/metrics`, needs a key only when `metrics_auth` is set.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Final

from fastapi import Request
from fastapi.responses import Response

from mecrouter.gateway.admission import authorize
from mecrouter.gateway.state import GatewayState, circuit_states
from mecrouter.gateway.wire import dumps

__all__ = ["insights"]

PATTERN_WINDOW_S: Final = 3600.0


async def insights(request: Request) -> Response:
    state: GatewayState = request.app.state.gw
    if state.metrics_auth:
        authorize(state, request)
    return Response(dumps(insight_body(state)), media_type="application/json")


def insight_body(state: GatewayState) -> dict[str, Any]:
    router = state.router
    now = router.clock.time()
    monitor = router.monitor
    beliefs = router.beliefs
    return {
        "generated_at": now,
        "placement": router.cache.placement.snapshot(),
        "anomalies": [dataclasses.asdict(a) for a in monitor.detect_anomalies()],
        "recommendations": [
            dataclasses.asdict(r)
            for r in monitor.generate_optimization_recommendations(router.cache)
        ],
        "patterns": [
            dataclasses.asdict(p) for p in monitor.analyze_patterns(PATTERN_WINDOW_S, now)
        ],
        "learning": beliefs.snapshot() if beliefs is not None else {},
        "circuits": {ep: str(s) for ep, s in sorted(circuit_states(router).items())},
    }
