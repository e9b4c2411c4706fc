"""Dispatch with failover: the decision's fallback chain tried in order within the deadline.

Every endpoint's backend sits behind its circuit breaker (an open circuit fails fast and the next
endpoint is tried); every attempt has its own timeout, sized so that the rest of the chain still
fits in the request's deadline. A request that no endpoint answers, or whose caller gives up, is
recorded as unserved before the error propagates.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from typing import TypeVar

from mecrouter.agents.resource import ResourceAgent
from mecrouter.backends.base import Backend, Chunk, GenerationRequest, generation_options
from mecrouter.config import Config, EndpointConfig, ResilienceConfig
from mecrouter.errors import AllEndpointsFailed, BackendError, BackendTimeout
from mecrouter.pipeline.failover import Failover
from mecrouter.pipeline.inflight import InFlight
from mecrouter.pipeline.recording import Recorder
from mecrouter.pipeline.redaction import RedactingBackend, Redaction
from mecrouter.resilience import (
    CircuitBreaker,
    Clock,
    GuardedBackend,
    request_deadline_ms,
)
from mecrouter.types import (
    ComputeTier,
    ContextAnalysis,
    Generation,
    InferenceRequest,
    NetworkMetrics,
    RoutingDecision,
)

__all__ = ["CANCELLED_BY_CLIENT", "Dispatcher", "first_chunk_timeout_ms", "generate"]

CANCELLED_BY_CLIENT = "cancelled by the client"  # the record's error when the caller gave up

_T = TypeVar("_T")


class Dispatcher:
    """Owns the endpoints' breakers and guarded backends, and runs the failover loop."""

    def __init__(
        self,
        config: Config,
        backends: Mapping[str, Backend],
        *,
        clock: Clock,
        resource_agent: ResourceAgent,
        recorder: Recorder,
    ) -> None:
        self.config = config
        self.clock = clock
        self.resource_agent = resource_agent
        self.recorder = recorder
        self.endpoints = {ep.id: ep for ep in config.endpoints}
        self._tiers = {ep.id: ep.tier.value for ep in config.endpoints}
        self._privacy = config.privacy if config.privacy.redact_for_cloud else None
        self.breakers = {
            ep.id: CircuitBreaker.from_config(config.resilience) for ep in config.endpoints
        }
        self.backends = {
            ep_id: GuardedBackend(backend, self.breakers[ep_id])
            for ep_id, backend in backends.items()
        }

    async def serve(
        self,
        s: InFlight,
        call: Callable[[Backend, GenerationRequest], Awaitable[_T]],
        *,
        finish: bool,
    ) -> tuple[InFlight, _T]:
        """Try the fallback chain within the deadline until one endpoint answers `call`
        (`failover.Failover` decides what to try next and keeps the books).

        `finish=False` marks a stream: `call` returns at the first chunk (its wait is bounded by
        the first-token timeout) and the endpoint stays busy after it."""
        fo = s.failover = self.failover(s)
        try:
            while (ep_id := fo.next(self.clock.monotonic())) is not None:
                result = await self._attempt(s, fo, self.endpoints[ep_id], call, finish=finish)
                if result is not None:
                    return s, result
        except asyncio.CancelledError:  # the caller gave up (e.g. the HTTP client left)
            await self.recorder.unserved(s, CANCELLED_BY_CLIENT)
            raise
        errors = fo.errors
        spent = (self.clock.monotonic() - s.started) * 1000.0 >= fo.deadline_ms or (
            bool(errors) and isinstance(errors[-1], BackendTimeout)
        )
        error = AllEndpointsFailed(s.req.request_id, errors, deadline_spent=spent)
        await self.recorder.unserved(s, str(error))
        raise error

    def deadline_ms(self, context: ContextAnalysis, decision: RoutingDecision) -> float:
        """The request's deadline, from its SLO and the slowest endpoint of its chain."""
        chain = [decision.selected_endpoint, *decision.fallback_endpoints]
        slowest = max(decision.predicted_latency_ms.get(ep_id, 0.0) for ep_id in chain)
        return request_deadline_ms(context.latency_requirement, slowest, self.config.resilience)

    def failover(self, s: InFlight) -> Failover:
        """The failover loop of `s`'s decision, from the moment it started."""
        chain = [s.decision.selected_endpoint, *s.decision.fallback_endpoints]
        return Failover(
            chain=chain,
            predicted_ms=[s.decision.predicted_latency_ms.get(ep_id, 0.0) for ep_id in chain],
            deadline_ms=self.deadline_ms(s.context, s.decision),
            started_s=s.started,
            resilience=self.config.resilience,
            breakers=self.breakers,
            resources=self.resource_agent,
            device_id=s.req.device_info.device_id,
            tiers=self._tiers,
        )

    def _idle_bounded(self, backend: Backend, ep: EndpointConfig) -> Backend:
        breaker = self.breakers[ep.id]
        idle_s = self.config.resilience.stream_idle_timeout_ms / 1000.0
        return _IdleBounded(
            backend, idle_s, lambda: breaker.record_failure(self.clock.monotonic()), ep
        )

    async def _attempt(
        self,
        s: InFlight,
        fo: Failover,
        ep: EndpointConfig,
        call: Callable[[Backend, GenerationRequest], Awaitable[_T]],
        *,
        finish: bool,
    ) -> _T | None:
        """One try on one endpoint, within `fo.timeout_ms` (for a stream: within the wait for
        its first chunk); its end is reported to `fo`. None: it failed.

        `finish=False` (streams) leaves the endpoint counted as busy after a success: the stream
        reports its own end."""
        rtt_ms = _rtt_ms(ep, s.network, s.context.geographic_region)
        timeout_ms = fo.timeout_ms
        if not finish:
            first_ms = rtt_ms + ep.predicted_ttft_ms(s.context.estimated_tokens)
            timeout_ms = first_chunk_timeout_ms(first_ms, timeout_ms, self.config.resilience)
        s.waited_ms = (self.clock.monotonic() - s.started) * 1000.0
        guarded = self.backends.get(ep.id)
        if guarded is None:
            no_backend = BackendError("no backend configured", tier=ep.tier.value, endpoint=ep.id)
            fo.failed(self.clock.monotonic(), no_backend)
            return None
        caller = guarded.inner if finish else self._idle_bounded(guarded.inner, ep)
        redaction = None if self._privacy is None else self._redaction(s, ep)
        if redaction is not None:
            caller = RedactingBackend(caller, redaction)
        try:
            async with asyncio.timeout(timeout_ms / 1000.0):
                result = await call(caller, _generation_request(s.req, s.context, ep, rtt_ms))
        except BackendError as exc:
            fo.failed(self.clock.monotonic(), exc)
            return None
        except TimeoutError:
            timed_out = BackendTimeout(
                f"no answer within {timeout_ms:.0f} ms", tier=ep.tier.value, endpoint=ep.id
            )
            fo.failed(self.clock.monotonic(), timed_out)
            return None
        except asyncio.CancelledError:  # the caller left: the endpoint is free, not failing
            fo.finished()
            raise
        fo.succeeded(self.clock.monotonic(), finish=finish)
        s.ep, s.rtt_ms, s.redacted = ep, rtt_ms, redaction is not None
        return result

    def _redaction(self, s: InFlight, ep: EndpointConfig) -> Redaction | None:
        """`s` redacted, if `ep` may take it only so (made once per request)."""
        assert self._privacy is not None
        if not self._privacy.redacts(s.context.privacy_level, ep.privacy_ceiling):
            return None
        if s.redaction is None:
            s.redaction = Redaction.of(s.req.content, s.req.messages)
        return s.redaction


def first_chunk_timeout_ms(
    predicted_first_ms: float, attempt_ms: float, cfg: ResilienceConfig
) -> float:
    """How long a streamed attempt waits for its first chunk: a multiple of the endpoint's
    predicted first-token time (floored), never more than the attempt's own timeout (which
    already leaves the rest of the chain its time within the deadline)."""
    own = max(predicted_first_ms * cfg.first_token_timeout_multiple, cfg.min_first_token_timeout_ms)
    return min(own, attempt_ms)


class _IdleBounded:
    """A stream that fails with `BackendTimeout` when no chunk follows the previous one within
    `idle_s` (the first chunk is the attempt timeout's). A failure after the first chunk (a stall
    or an error) counts against the endpoint's breaker through `on_failure`: the failover loop
    has already counted the first chunk as the attempt's success."""

    def __init__(
        self, inner: Backend, idle_s: float, on_failure: Callable[[], None], ep: EndpointConfig
    ) -> None:
        self.inner, self._idle_s, self._on_failure, self._ep = inner, idle_s, on_failure, ep

    async def generate(self, request: GenerationRequest) -> Generation:
        return await self.inner.generate(request)

    async def stream(self, request: GenerationRequest) -> AsyncIterator[Chunk]:
        chunks = self.inner.stream(request)
        try:
            yield await anext(chunks)
            while True:
                try:
                    async with asyncio.timeout(self._idle_s):
                        part = await anext(chunks)
                except TimeoutError as exc:
                    self._on_failure()
                    raise BackendTimeout(
                        f"no chunk for {self._idle_s * 1000.0:.0f} ms",
                        tier=self._ep.tier.value,
                        endpoint=self._ep.id,
                    ) from exc
                except BackendError:
                    self._on_failure()
                    raise
                yield part
        except StopAsyncIteration:
            return
        finally:
            await chunks.aclose()  # type: ignore[attr-defined]

    async def aclose(self) -> None:
        await self.inner.aclose()


async def generate(backend: Backend, request: GenerationRequest) -> Generation:
    """The `call` of a whole answer (`open_stream` is the streamed one)."""
    return await backend.generate(request)


def _generation_request(
    req: InferenceRequest, context: ContextAnalysis, ep: EndpointConfig, rtt_ms: float
) -> GenerationRequest:
    return GenerationRequest(
        request_id=req.request_id,
        prompt=req.content,
        model=ep.model,
        max_tokens=min(context.estimated_output_tokens, ep.max_output_tokens),
        messages=req.messages,
        temperature=req.temperature,
        top_p=req.top_p,
        network_rtt_ms=rtt_ms,
        device_id=req.device_info.device_id,
        options=generation_options(req),
    )


def _rtt_ms(ep: EndpointConfig, network: NetworkMetrics, region: str) -> float:
    if ep.tier is ComputeTier.DEVICE:
        return 0.0
    if ep.tier is ComputeTier.MEC and ep.region == region:
        return network.mec_rtt_ms
    return network.cloud_rtt_ms
