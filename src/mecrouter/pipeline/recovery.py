"""Health probes, and how an endpoint whose circuit opened comes back.

A circuit that opened half-opens after `open_seconds`, but a half-open endpoint only closes when
a request is sent to it, and the router rarely sends one: the failures that opened the circuit
also taught the ResourceAgent a high error rate, so another tier scores better. `Recovery` probes
the endpoints that are not serving (circuit not closed, or marked unhealthy) in the background
with a one-token request that bypasses the breaker. A success closes the circuit and forgets the
failure episode's estimates, so the next routing decision treats the endpoint as its profile
says; a failure marks it unhealthy (and re-opens a half-open circuit). No user request is spent
as a canary, and an endpoint comes back within one probe interval of recovering.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable, Mapping

from mecrouter.agents.resource import ResourceAgent
from mecrouter.backends.base import GenerationRequest
from mecrouter.config import EndpointConfig
from mecrouter.errors import BackendError
from mecrouter.resilience import Clock, GuardedBackend
from mecrouter.types import CircuitState

__all__ = ["Recovery"]

log = logging.getLogger(__name__)

PROBE_TIMEOUT_S = 2.0


class Recovery:
    """Probes endpoints (all of them, or only those not serving) and applies the outcomes to their
    breakers and to the ResourceAgent."""

    def __init__(
        self,
        endpoints: Mapping[str, EndpointConfig],
        backends: Mapping[str, GuardedBackend],
        resource_agent: ResourceAgent,
        clock: Clock,
    ) -> None:
        self._endpoints = endpoints
        self._backends = backends
        self._resource_agent = resource_agent
        self._clock = clock

    def not_serving(self) -> list[str]:
        """Endpoints whose circuit is not closed or that a probe found unhealthy."""
        now = self._clock.monotonic()
        return [
            ep_id
            for ep_id, backend in self._backends.items()
            if backend.breaker.state(now) is not CircuitState.CLOSED
            or not self._resource_agent.estimate(ep_id).healthy
        ]

    async def probe(
        self, endpoint_ids: Iterable[str], timeout_s: float = PROBE_TIMEOUT_S
    ) -> dict[str, bool]:
        """Probe the given endpoints concurrently; feeds the ResourceAgent (health only)."""
        ids = list(endpoint_ids)
        results = await asyncio.gather(*(self._probe_one(ep_id, timeout_s) for ep_id in ids))
        for ep_id, ok in zip(ids, results, strict=True):
            self._resource_agent.observe_probe(ep_id, ok)
        return dict(zip(ids, results, strict=True))

    async def recover(self, timeout_s: float = PROBE_TIMEOUT_S) -> dict[str, bool]:
        """One round: probe the endpoints not serving; a success closes the circuit and forgets
        the failure episode's estimates, a failure re-opens a half-open circuit."""
        results = await self.probe(self.not_serving(), timeout_s)
        now = self._clock.monotonic()
        for ep_id, ok in results.items():
            breaker = self._backends[ep_id].breaker
            if ok:
                if breaker.state(now) is not CircuitState.CLOSED:
                    log.info("endpoint %s answered a health probe: circuit closed", ep_id)
                breaker.record_success(now)
                self._resource_agent.forget_failures(ep_id)
            elif breaker.state(now) is CircuitState.HALF_OPEN:
                breaker.record_failure(now)
        return results

    async def run(self, interval_s: float, timeout_s: float = PROBE_TIMEOUT_S) -> None:
        """Probe rounds every `interval_s` seconds until cancelled. A round never overlaps the
        next; a bug in one round is logged and the next round runs (recovery must not stop)."""
        while True:
            await asyncio.sleep(interval_s)
            try:
                await self.recover(timeout_s)
            except Exception:  # the outermost boundary of a background task
                log.exception("health probe round failed; probing again in %.1f s", interval_s)

    async def _probe_one(self, ep_id: str, timeout_s: float) -> bool:
        ep = self._endpoints[ep_id]
        probe = GenerationRequest(
            request_id=f"probe-{ep_id}", prompt="ping", model=ep.model, max_tokens=1
        )
        try:
            async with asyncio.timeout(timeout_s):
                await self._backends[ep_id].inner.generate(probe)
        except (BackendError, TimeoutError):
            return False
        return True
