"""One request's workflow: context → resources → cache → route → execute → monitor.

`Router` is the public entry point (library, device, gateway and demo all use it). It owns every
piece of I/O: backends (each behind its endpoint's circuit breaker), the store (through the
MonitorAgent) and health probes; the agents it calls only decide. A failing agent degrades to a
rule-based answer; a failing endpoint hands the request to the next one in the fallback chain
within the request's deadline. Every request, served or not, leaves exactly one DecisionRecord.
"""

from __future__ import annotations

import asyncio
import logging
import math
from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping
from dataclasses import dataclass, field, replace
from typing import Any, TypeVar

from mecrouter import embedding
from mecrouter.agents.cache import CacheAgent
from mecrouter.agents.context import ContextAgent, request_text
from mecrouter.agents.learning import QualityBeliefs
from mecrouter.agents.monitor import MonitorAgent
from mecrouter.agents.policies import RoutingPolicy
from mecrouter.agents.resource import ResourceAgent
from mecrouter.agents.response_cache import CachedResponse, cache_key
from mecrouter.agents.router import RouterAgent
from mecrouter.agents.semantic_cache import DEFAULT_THRESHOLD as DEFAULT_SEMANTIC_THRESHOLD
from mecrouter.agents.semantic_cache import SemanticCache, SemanticHit
from mecrouter.backends import create_backend
from mecrouter.backends.base import Backend, GenerationRequest
from mecrouter.config import Config, EndpointConfig
from mecrouter.errors import (
    AllEndpointsFailed,
    BackendError,
    BackendTimeout,
    CircuitOpenError,
    FeedbackError,
    InvalidRequestError,
    NoRouteError,
)
from mecrouter.quality.model import EmbeddingQualityModel, embedding_text
from mecrouter.resilience import (
    CircuitBreaker,
    Clock,
    GuardedBackend,
    SystemClock,
    attempt_timeout_ms,
    request_deadline_ms,
    static_decision,
)
from mecrouter.stores.base import Store
from mecrouter.stores.memory import MemoryStore
from mecrouter.streaming import StreamingCompletion, StreamOutcome, open_stream
from mecrouter.types import (
    CircuitState,
    ComputeTier,
    ContextAnalysis,
    DecisionRecord,
    Generation,
    InferenceRequest,
    NetworkMetrics,
    ResourceState,
    RoutingDecision,
    parse_request,
)

__all__ = ["Completion", "Router", "StreamingCompletion"]

log = logging.getLogger(__name__)
_T = TypeVar("_T")
_CHARS_PER_TOKEN = 4


@dataclass(slots=True)
class Completion:
    """A served request: the answer, the decision behind it and the record that was logged."""

    text: str
    decision: RoutingDecision
    record: DecisionRecord
    generation: Generation | None = None


@dataclass(slots=True)
class _Attempts:
    errors: list[BackendError] = field(default_factory=list)
    tried: int = 0


@dataclass(slots=True)
class _Served:
    """One request in flight: what it is, where it is going and how it went so far."""

    req: InferenceRequest
    context: ContextAnalysis
    network: NetworkMetrics
    decision: RoutingDecision
    started: float  # monotonic seconds
    key: str  # response-cache key
    vector: Any = None  # the prompt's embedding, when one was computed (for the semantic cache)
    attempts: _Attempts = field(default_factory=_Attempts)
    ep: EndpointConfig | None = None  # the endpoint that answered
    rtt_ms: float = 0.0
    waited_ms: float = 0.0  # from the start until the answering attempt began


class Router:
    """The mecrouter pipeline. Build with `Router.from_config(...)`; close with `aclose()`."""

    def __init__(
        self,
        config: Config,
        *,
        backends: Mapping[str, Backend],
        store: Store,
        policy: str | RoutingPolicy = "mecrouter",
        clock: Clock | None = None,
        seed: int = 0,
        cache: CacheAgent | None = None,
        owns_store: bool = False,
    ) -> None:
        self.config = config
        self._owns_store = owns_store
        self.clock: Clock = clock or SystemClock()
        self._endpoints = {ep.id: ep for ep in config.endpoints}
        self.breakers = {
            ep.id: CircuitBreaker.from_config(config.resilience) for ep in config.endpoints
        }
        self.backends = {
            ep_id: GuardedBackend(
                backend,
                self.breakers[ep_id],
                self.clock,
                tier=self._endpoints[ep_id].tier.value,
                endpoint=ep_id,
            )
            for ep_id, backend in backends.items()
        }
        self.cache = cache or CacheAgent(
            config, now=self.clock.time(), semantic=_semantic_layer(config)
        )
        self.context_agent = ContextAgent(config)
        quality = config.quality
        self.beliefs = QualityBeliefs.from_config(quality, seed) if quality.learning else None
        self._embeddings = _EmbeddingPath.of(config, self.cache)
        self.resource_agent = ResourceAgent(
            config, circuit_state=self._circuit_state, hot_models=self.cache.hot_models
        )
        self.router_agent = RouterAgent(
            config,
            policy=policy,
            warm_load_s=self.cache.load_time_s,
            seed=seed,
            beliefs=self.beliefs,
        )
        self.monitor = MonitorAgent(store, listeners=[self.resource_agent.observe_record])
        self.store = store

    @classmethod
    def from_config(
        cls,
        config: Config,
        *,
        store: Store | None = None,
        policy: str | RoutingPolicy = "mecrouter",
        seed: int = 0,
        time_scale: float = 1.0,
        clock: Clock | None = None,
    ) -> Router:
        """A router with the backends named in the config (emulated by default). A store passed
        in stays the caller's to close; the default in-memory one is closed with the router."""
        backends = {
            ep.id: create_backend(ep, seed=seed, time_scale=time_scale) for ep in config.endpoints
        }
        return cls(
            config,
            backends=backends,
            store=store or MemoryStore(),
            policy=policy,
            clock=clock,
            seed=seed,
        )

    # ------------------------------------------------------------------ public API

    async def route(self, request: InferenceRequest | Mapping[str, Any]) -> RoutingDecision:
        """Decide only (no inference, nothing recorded): what `complete` would try first."""
        req = parse_request(request)
        context, state = self._assess(req)
        if self._embeddings is not None:  # the same estimates `complete` would route on
            context, _, _ = await self._embeddings.apply(req, context, self.clock.time())
        return self._decide(context, state, req)

    async def complete(self, request: InferenceRequest | Mapping[str, Any]) -> Completion:
        """Serve one request end to end. Raises `NoRouteError` or `AllEndpointsFailed` (after
        recording the failure) when it cannot be served; `InvalidRequestError` for bad input."""
        prepared = await self._prepare(request)
        if isinstance(prepared, Completion):
            return prepared
        served, gen = await self._serve(prepared, _generate, finish=True)
        return await self._served(served, gen)

    async def stream(self, request: InferenceRequest | Mapping[str, Any]) -> StreamingCompletion:
        """Serve one request as a stream. Returns once the first chunk has arrived (failover
        happens before that), so `endpoint` names who is answering; iterate it for the text.
        Raises like `complete`; a failure after the first chunk ends the iteration with a
        `BackendError`. The record is written when the stream ends, however it ends."""
        prepared = await self._prepare(request)
        if isinstance(prepared, Completion):  # a cache hit, already recorded
            ep = self._endpoints[prepared.decision.selected_endpoint]
            return StreamingCompletion.replay(prepared.text, prepared.decision, ep, self.clock)
        served, (chunks, first) = await self._serve(prepared, open_stream, finish=False)
        return self._streaming(served, chunks, first)

    async def probe(self, timeout_s: float = 2.0) -> dict[str, bool]:
        """Health-probe every endpoint with a one-token request; feeds the ResourceAgent."""
        results = await asyncio.gather(
            *(self._probe_one(ep_id, timeout_s) for ep_id in self.backends)
        )
        return dict(zip(self.backends, results, strict=True))

    async def feedback(
        self, decision_id: str, score: float, *, user_id: str | None = None
    ) -> DecisionRecord:
        """A user's judgement of an answer, in [0, 1] (1 = good): stored on the decision's record
        and learned as evidence about the (task type, model) that answered. Raises
        `FeedbackError`: 404 for an unknown decision (or another user's), 409 when it already
        has feedback or nothing was answered."""
        if not 0.0 <= score <= 1.0:
            raise InvalidRequestError("score", f"must be a number in [0, 1], got {score}")
        await self.monitor.flush()
        record = await self.store.get_decision(decision_id)
        if record is None or (user_id is not None and record.user_id != user_id):
            raise FeedbackError(404, f"no decision {decision_id!r}")
        if not record.success or not record.actual_model:
            raise FeedbackError(409, f"decision {decision_id!r} has no answer to judge")
        if not await self.store.set_feedback(decision_id, score):
            raise FeedbackError(409, f"decision {decision_id!r} already has feedback")
        record.feedback_score = score
        expected = record.predicted_quality
        # A record from before quality prediction has no expectation to calibrate against: the
        # score is kept on the record, but not learned from.
        if self.beliefs is not None and 0.0 <= expected <= 1.0:
            self.beliefs.observe(record.task_type or "chat", record.actual_model, score, expected)
        return record

    async def aclose(self) -> None:
        """Flush every record to the store, close the backends (and the store if it is ours)."""
        try:
            await self.monitor.aclose()
        finally:
            await asyncio.gather(*(b.aclose() for b in self.backends.values()))
            if self._owns_store:
                await self.store.aclose()

    async def __aenter__(self) -> Router:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    # ------------------------------------------------------------------ steps

    def _assess(self, req: InferenceRequest) -> tuple[ContextAnalysis, ResourceState]:
        try:
            context = self.context_agent.analyze_request(req)
        except Exception:  # a failing agent degrades, it never fails the request
            log.exception("context agent failed; using the rule-based fallback")
            context = self.context_agent.fallback_analysis(req)
        network = self._network(req)
        return context, self.resource_agent.snapshot(req.device_info, network, self.clock.time())

    def _network(self, req: InferenceRequest) -> NetworkMetrics:
        net = self.context_agent.evaluate_network_conditions(req.device_info.network_type)
        if req.device_info.connected:
            return net
        return NetworkMetrics(net.network_type, False, net.mec_rtt_ms, net.cloud_rtt_ms, 0.0)

    def _decide(
        self, context: ContextAnalysis, state: ResourceState, req: InferenceRequest
    ) -> RoutingDecision:
        try:
            decision = self.router_agent.make_routing_decision(context, state, request=req)
        except NoRouteError:
            raise
        except Exception:  # a failing agent degrades, it never fails the request
            log.exception("router agent failed; using the static fallback order")
            decision = static_decision(self.config, context, state, req)
        decision.request_id = req.request_id
        return decision

    async def _prepare(self, request: InferenceRequest | Mapping[str, Any]) -> _Served | Completion:
        """Validate, assess and decide; a cache hit is served (and recorded) right here."""
        req = parse_request(request)
        started = self.clock.monotonic()
        context, state = self._assess(req)
        key = cache_key(
            req.messages or req.content, req.model or "auto", req.temperature, req.max_tokens
        )
        now = self.clock.time()
        device_id = req.device_info.device_id
        hit = self.cache.lookup(key, privacy=context.privacy_level, device_id=device_id, now=now)
        if hit is not None:
            return await self._served_from_cache(req, context, hit, started)
        vector = None
        if self._embeddings is not None:
            context, vector, similar = await self._embeddings.apply(req, context, now)
            if similar is not None:
                why = f"semantic cache hit (similarity {similar.similarity:.3f})"
                return await self._served_from_cache(req, context, similar.response, started, why)
        try:
            decision = self._decide(context, state, req)
        except NoRouteError as exc:
            await self._record_unserved(req, context, None, started, str(exc), 0)
            raise
        return _Served(req, context, state.network_conditions, decision, started, key, vector)

    async def _serve(
        self,
        s: _Served,
        call: Callable[[Backend, GenerationRequest], Awaitable[_T]],
        *,
        finish: bool,
    ) -> tuple[_Served, _T]:
        """Try the fallback chain within the deadline until one endpoint answers `call`."""
        try:
            for ep, rtt_ms, timeout_ms in self._attempt_plan(s):
                s.waited_ms = (self.clock.monotonic() - s.started) * 1000.0
                result = await self._attempt(s, ep, rtt_ms, timeout_ms, call, finish=finish)
                if result is not None:
                    s.ep, s.rtt_ms = ep, rtt_ms
                    return s, result
        except asyncio.CancelledError:  # the caller gave up (e.g. the HTTP client left)
            await self._record_unserved_request(s, "cancelled by the client")
            raise
        error = AllEndpointsFailed(s.req.request_id, s.attempts.errors)
        await self._record_unserved_request(s, str(error))
        raise error

    async def _record_unserved_request(self, s: _Served, error: str) -> None:
        await self._record_unserved(
            s.req, s.context, s.decision, s.started, error, s.attempts.tried
        )

    def _attempt_plan(self, s: _Served) -> Iterator[tuple[EndpointConfig, float, float]]:
        """(endpoint, network RTT, attempt timeout) for each try of the fallback chain, while
        the request's deadline leaves time for one."""
        chain = [s.decision.selected_endpoint, *s.decision.fallback_endpoints]
        predicted = [s.decision.predicted_latency_ms.get(ep_id, 0.0) for ep_id in chain]
        deadline_ms = self._deadline_ms(s.context, s.decision)
        for position, ep_id in enumerate(chain):
            remaining_ms = deadline_ms - (self.clock.monotonic() - s.started) * 1000.0
            if remaining_ms <= 0:
                return
            next_ms = predicted[position + 1] if position + 1 < len(chain) else None
            timeout_ms = attempt_timeout_ms(
                predicted[position], remaining_ms, next_ms, self.config.resilience
            )
            ep = self._endpoints[ep_id]
            yield ep, _rtt_ms(ep, s.network, s.context.geographic_region), timeout_ms

    def _deadline_ms(self, context: ContextAnalysis, decision: RoutingDecision) -> float:
        chain = [decision.selected_endpoint, *decision.fallback_endpoints]
        slowest = max(decision.predicted_latency_ms.get(ep_id, 0.0) for ep_id in chain)
        return request_deadline_ms(context.latency_requirement, slowest, self.config.resilience)

    async def _attempt(
        self,
        s: _Served,
        ep: EndpointConfig,
        rtt_ms: float,
        timeout_ms: float,
        call: Callable[[Backend, GenerationRequest], Awaitable[_T]],
        *,
        finish: bool,
    ) -> _T | None:
        """One try on one endpoint; failures are noted (breaker, estimates) and return None.

        `finish=False` (streams) leaves the endpoint counted as busy after a success: the stream
        reports its own end."""
        backend = self.backends.get(ep.id)
        if backend is None:
            s.attempts.errors.append(
                BackendError("no backend configured", tier=ep.tier.value, endpoint=ep.id)
            )
            return None
        s.attempts.tried += 1
        self.resource_agent.on_dispatch(ep.id, s.req.device_info.device_id)
        succeeded = False
        try:
            async with asyncio.timeout(timeout_ms / 1000.0):
                result = await call(backend, self._generation_request(s.req, s.context, ep, rtt_ms))
            succeeded = True
            return result
        except CircuitOpenError as exc:
            s.attempts.errors.append(exc)
        except BackendError as exc:
            self.resource_agent.observe_failure(ep.id)
            s.attempts.errors.append(exc)
        except TimeoutError:
            self.breakers[ep.id].record_failure(self.clock.monotonic())
            self.resource_agent.observe_failure(ep.id)
            s.attempts.errors.append(
                BackendTimeout(
                    f"no answer within {timeout_ms:.0f} ms", tier=ep.tier.value, endpoint=ep.id
                )
            )
        finally:
            if finish or not succeeded:
                self.resource_agent.on_finish(ep.id, s.req.device_info.device_id)
        return None

    @staticmethod
    def _generation_request(
        req: InferenceRequest, context: ContextAnalysis, ep: EndpointConfig, rtt_ms: float
    ) -> GenerationRequest:
        return GenerationRequest(
            request_id=req.request_id,
            prompt=req.content,
            model=ep.model,
            max_tokens=context.estimated_output_tokens,
            messages=req.messages,
            temperature=req.temperature,
            network_rtt_ms=rtt_ms,
            device_id=req.device_info.device_id,
        )

    def _streaming(
        self, served: _Served, chunks: AsyncIterator[str], first: str
    ) -> StreamingCompletion:
        ep = served.ep
        assert ep is not None  # set by _serve

        async def on_done(outcome: StreamOutcome) -> None:
            self.resource_agent.on_finish(ep.id, served.req.device_info.device_id)
            await self._finish_stream(served, outcome)

        deadline_ms = self._deadline_ms(served.context, served.decision)
        return StreamingCompletion(
            decision=served.decision,
            endpoint=ep,
            fallbacks_used=served.attempts.tried - 1,
            chunks=chunks,
            first_chunk=first,
            first_chunk_at=self.clock.monotonic(),
            deadline_at=served.started + deadline_ms / 1000.0,
            monotonic=self.clock.monotonic,
            on_done=on_done,
        )

    async def _finish_stream(self, s: _Served, outcome: StreamOutcome) -> None:
        """The record of a streamed answer (token counts estimated from the text)."""
        if outcome.error:
            if not outcome.cancelled and s.ep is not None:
                self.resource_agent.observe_failure(s.ep.id)
            cancelled = "cancelled by the client"
            await self._record_unserved_request(
                s, cancelled if outcome.cancelled else outcome.error
            )
            return
        gen = Generation(
            text=outcome.text,
            model=s.decision.selected_model if s.ep is None else s.ep.model,
            input_tokens=max(1, len(s.req.content) // _CHARS_PER_TOKEN),
            output_tokens=max(1, len(outcome.text) // _CHARS_PER_TOKEN),
            latency_ms=(outcome.finished_at - s.started) * 1000.0,
            ttft_ms=(outcome.first_chunk_at - s.started) * 1000.0,
        )
        s.waited_ms = 0.0  # the generation's TTFT is already measured from the start
        await self._served(s, gen)

    async def _served(self, s: _Served, gen: Generation) -> Completion:
        req, context, decision, started, ep = s.req, s.context, s.decision, s.started, s.ep
        assert ep is not None  # set by _serve before anything is served
        now = self.clock.time()
        latency_ms = (self.clock.monotonic() - started) * 1000.0
        ttft_ms = min(s.waited_ms + gen.ttft_ms, latency_ms)
        record = self._record(req, context, decision, success=True, error="")
        record.actual_tier, record.actual_model, record.actual_endpoint = (
            ep.tier.value,
            ep.model,
            ep.id,
        )
        record.latency_ms, record.ttft_ms, record.network_rtt_ms = latency_ms, ttft_ms, s.rtt_ms
        record.input_tokens, record.output_tokens = gen.input_tokens, gen.output_tokens
        record.cost_usd = ep.price.cost_usd(gen.input_tokens, gen.output_tokens)
        record.fallbacks_used = s.attempts.tried - 1
        record.slo_met = self._slo_met(context, ttft_ms, latency_ms)
        record.predicted_quality = self.router_agent.prior_quality_of(context, ep.id)
        if ep.tier is ComputeTier.MEC:
            self._note_placement(ep, now)
        self.cache.store(
            s.key,
            CachedResponse(
                gen.text, ep.model, ep.tier, ep.id, gen.input_tokens, gen.output_tokens, now
            ),
            privacy=context.privacy_level,
            device_id=req.device_info.device_id,
            now=now,
        )
        if s.vector is not None and self._embeddings is not None:
            self._embeddings.remember(s, gen.text, ep, now)
        await self.monitor.track_performance(record)
        return Completion(gen.text, decision, record, gen)

    async def _served_from_cache(
        self,
        req: InferenceRequest,
        context: ContextAnalysis,
        hit: CachedResponse,
        started: float,
        why: str = "cache hit",
    ) -> Completion:
        latency_ms = (self.clock.monotonic() - started) * 1000.0
        decision = RoutingDecision(
            selected_tier=hit.tier,
            selected_model=hit.model,
            confidence_score=1.0,
            reasoning=f"{why}: answer from {hit.endpoint} replayed",
            fallback_options=[],
            estimated_latency=0,
            estimated_cost=0.0,
            selected_endpoint=hit.endpoint,
            request_id=req.request_id,
            policy="cache",
        )
        record = self._record(req, context, decision, success=True, error="")
        record.actual_tier, record.actual_model, record.actual_endpoint = (
            hit.tier.value,
            hit.model,
            hit.endpoint,
        )
        record.latency_ms = record.ttft_ms = latency_ms
        record.output_tokens = hit.output_tokens
        record.cache_hit = True
        record.slo_met = True
        record.predicted_quality = self.router_agent.prior_quality_of(context, hit.endpoint)
        await self.monitor.track_performance(record)
        return Completion(hit.text, decision, record, None)

    async def _record_unserved(
        self,
        req: InferenceRequest,
        context: ContextAnalysis,
        decision: RoutingDecision | None,
        started: float,
        error: str,
        tried: int,
    ) -> None:
        record = self._record(req, context, decision, success=False, error=error)
        record.latency_ms = (self.clock.monotonic() - started) * 1000.0
        record.fallbacks_used = max(0, tried - 1)
        await self.monitor.track_performance(record)

    def _record(
        self,
        req: InferenceRequest,
        context: ContextAnalysis,
        decision: RoutingDecision | None,
        *,
        success: bool,
        error: str,
    ) -> DecisionRecord:
        d = decision
        return DecisionRecord(
            request_id=req.request_id,
            timestamp=self.clock.time(),
            user_id=req.user_id,
            decision_id=d.decision_id if d else "",
            use_case=context.use_case,
            policy=d.policy if d else self.router_agent.policy.name,
            selected_tier=d.selected_tier.value if d else "",
            selected_model=d.selected_model if d else "",
            selected_endpoint=d.selected_endpoint if d else "",
            confidence_score=d.confidence_score if d else 0.0,
            reasoning=d.reasoning if d else "",
            fallback_options=[t.value for t in d.fallback_options] if d else [],
            estimated_latency_ms=float(d.estimated_latency) if d else 0.0,
            estimated_cost_usd=d.estimated_cost if d else 0.0,
            slo_ms=float(context.latency_requirement),
            privacy_level=context.privacy_level.value,
            complexity_score=context.complexity_score,
            success=success,
            error=error,
            task_type=context.task_type,
        )

    def _slo_met(self, context: ContextAnalysis, ttft_ms: float, latency_ms: float) -> bool:
        metric_total = self.config.use_case(context.use_case).slo_metric == "total"
        return (latency_ms if metric_total else ttft_ms) <= context.latency_requirement

    def _note_placement(self, ep: EndpointConfig, now: float) -> None:
        if not self.cache.is_hot(ep.node, ep.model):
            self.cache.record_miss(ep.node, ep.model)
            self.cache.deploy_model(ep.model, ep.node, now)
        self.cache.record_use(ep.node, ep.model, now)

    def _circuit_state(self, endpoint_id: str) -> CircuitState:
        return self.breakers[endpoint_id].state(self.clock.monotonic())

    async def _probe_one(self, ep_id: str, timeout_s: float) -> bool:
        ep = self._endpoints[ep_id]
        probe = GenerationRequest(
            request_id=f"probe-{ep_id}", prompt="ping", model=ep.model, max_tokens=1
        )
        try:
            async with asyncio.timeout(timeout_s):
                await self.backends[ep_id].inner.generate(probe)
        except (BackendError, TimeoutError):
            self.resource_agent.observe_probe(ep_id, False)
            return False
        self.resource_agent.observe_probe(ep_id, True)
        return True


async def _generate(backend: Backend, request: GenerationRequest) -> Generation:
    return await backend.generate(request)


def _rtt_ms(ep: EndpointConfig, network: NetworkMetrics, region: str) -> float:
    if ep.tier is ComputeTier.DEVICE:
        return 0.0
    if ep.tier is ComputeTier.MEC and ep.region == region:
        return network.mec_rtt_ms
    return network.cloud_rtt_ms


def _semantic_layer(config: Config) -> SemanticCache | None:
    """The semantic cache layer, when configured and the embedding model is installed."""
    sc = config.semantic_cache
    if not sc.enabled:
        return None
    if not embedding.available():
        log.warning("semantic_cache.enabled but the embedding model is not installed: %s", _HINT)
        return None
    threshold = sc.threshold if sc.threshold is not None else DEFAULT_SEMANTIC_THRESHOLD
    return SemanticCache(threshold=threshold, ttl_s=config.cache_ttl_s, max_entries=sc.max_entries)


_HINT = "pip install 'mecrouter[embeddings]'"


def _namespace(req: InferenceRequest) -> str:
    """The semantic cache's partition: the tenant, and what else shapes the answer besides the
    prompt's meaning (the model asked for, temperature, answer length), as the exact key has."""
    return f"{req.user_id}|{req.model or 'auto'}|{req.temperature}|{req.max_tokens}"


@dataclass(slots=True)
class _EmbeddingPath:
    """The prompt embedding, computed off the event loop when a request's latency target can
    afford it (~15 ms on a CPU), and what it buys: a semantic-cache look-up, and the embedding
    quality predictor's estimates in place of the fast path's."""

    cache: CacheAgent
    quality: EmbeddingQualityModel | None
    quality_min_slo_ms: float
    semantic_min_slo_ms: float  # inf without a semantic layer

    @classmethod
    def of(cls, config: Config, cache: CacheAgent) -> _EmbeddingPath | None:
        wants_quality = config.quality.predictor == "embedding"
        if not wants_quality and cache.semantic is None:
            return None
        if not embedding.available():
            log.warning("quality.predictor is 'embedding' but the model is missing: %s", _HINT)
            return None
        quality = None
        if wants_quality:
            from mecrouter.quality.model import default_embedding_model

            quality = default_embedding_model()
        semantic = config.semantic_cache.min_slo_ms if cache.semantic is not None else math.inf
        return cls(cache, quality, config.quality.embedding_min_slo_ms, semantic)

    async def apply(
        self, req: InferenceRequest, context: ContextAnalysis, now: float
    ) -> tuple[ContextAnalysis, Any, SemanticHit | None]:
        """(context, prompt vector or None, semantic hit or None) for this request."""
        slo = context.latency_requirement
        use_quality = self.quality is not None and slo >= self.quality_min_slo_ms
        text = request_text(req)
        window = embedding_text(text)
        use_semantic = slo >= self.semantic_min_slo_ms and window == text
        if not use_quality and not use_semantic:
            return context, None, None
        try:
            vector = await embedding.shared_embedder().aencode(window)
        except Exception:  # the embedding path is an optimisation: it never fails a request
            log.exception("prompt embedding failed; routing on the fast estimates, no cache")
            return context, None, None
        if use_semantic:
            hit = self.cache.lookup_similar(
                vector,
                namespace=_namespace(req),
                privacy=context.privacy_level,
                device_id=req.device_info.device_id,
                now=now,
                text=text,
            )
            if hit is not None:
                return context, vector, hit
        if use_quality and self.quality is not None:
            p = self.quality.predict_vectors(vector[None, :])[0].tolist()
            context = replace(context, quality=dict(zip(self.quality.models, p, strict=True)))
        return context, (vector if use_semantic else None), None

    def remember(self, s: _Served, text: str, ep: EndpointConfig, now: float) -> None:
        """Index a fresh answer under its prompt's embedding."""
        self.cache.store_similar(
            s.vector,
            s.key,
            CachedResponse(text, ep.model, ep.tier, ep.id, 0, 0, now),
            namespace=_namespace(s.req),
            privacy=s.context.privacy_level,
            device_id=s.req.device_info.device_id,
            now=now,
            text=request_text(s.req),
        )
