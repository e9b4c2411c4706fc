"""`Router`, the facade of the pipeline: it builds the agents, the dispatcher and the recorder,
and walks each request through context → resources → cache → route → execute → monitor."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable, Mapping
from typing import Any

from mecrouter.agents.cache import CacheAgent
from mecrouter.agents.context import ContextAgent
from mecrouter.agents.learning import QualityBeliefs
from mecrouter.agents.monitor import MonitorAgent
from mecrouter.agents.policies import RoutingPolicy, make_policy
from mecrouter.agents.resource import ResourceAgent
from mecrouter.agents.response_cache import CachedResponse
from mecrouter.agents.router import RouterAgent
from mecrouter.backends import create_backend
from mecrouter.backends.base import Backend, Chunk
from mecrouter.config import Config
from mecrouter.errors import FeedbackError, InvalidRequestError, NoRouteError
from mecrouter.pipeline.advisor import Advisor
from mecrouter.pipeline.caching import (
    EmbeddingPath,
    SharedCache,
    keep_answer,
    request_cache_key,
    semantic_layer,
)
from mecrouter.pipeline.dispatch import CANCELLED_BY_CLIENT, Dispatcher, generate
from mecrouter.pipeline.inflight import InFlight
from mecrouter.pipeline.recording import Completion, Recorder
from mecrouter.pipeline.recovery import PROBE_TIMEOUT_S, Recovery
from mecrouter.pipeline.streaming import (
    StreamingCompletion,
    StreamOutcome,
    open_stream,
    streamed_generation,
)
from mecrouter.resilience import Clock, SystemClock, static_decision
from mecrouter.stores import open_store
from mecrouter.stores.base import Store
from mecrouter.types import (
    CircuitState,
    ContextAnalysis,
    DecisionRecord,
    Generation,
    InferenceRequest,
    NetworkMetrics,
    PrivacyLevel,
    ResourceState,
    RoutingDecision,
    parse_request,
)

__all__ = ["NetworkProbe", "Router"]

NetworkProbe = Callable[[InferenceRequest], NetworkMetrics]

log = logging.getLogger(__name__)


class Router:
    """The mecrouter pipeline. Build with `Router.from_config(...)`; close with `aclose()`."""

    # An exact cache other processes share (the gateway's Redis), asked after a local miss.
    shared_cache: SharedCache | None = None

    def __init__(
        self,
        config: Config,
        *,
        backends: Mapping[str, Backend],
        store: Store,
        policy: str | RoutingPolicy | None = None,
        clock: Clock | None = None,
        seed: int = 0,
        cache: CacheAgent | None = None,
        owns_store: bool = False,
        network: NetworkProbe | None = None,
    ) -> None:
        """`network`: what the requesting device measures of its network now (an embedding
        device's own probe, or the simulated world's); by default the ContextAgent's typical
        figures for the request's network type."""
        self.config = config
        self._network_probe = network
        self._owns_store = owns_store
        self.clock: Clock = clock or SystemClock()
        self.cache = cache or CacheAgent(
            config, now=self.clock.time(), semantic=semantic_layer(config)
        )
        self.context_agent = ContextAgent(config)
        # The config's `routing.policy` unless the caller names another (the demo compares all).
        policy = config.routing.policy if policy is None else policy
        chosen = make_policy(policy) if isinstance(policy, str) else policy
        quality = config.quality
        learns = quality.learning and chosen.learns
        self.beliefs = QualityBeliefs.from_config(quality, seed) if learns else None
        self._embeddings = EmbeddingPath.of(config, self.cache)
        self.resource_agent = ResourceAgent(
            config, circuit_state=self._circuit_state, hot_models=self.cache.placement.hot_models
        )
        self.router_agent = RouterAgent(
            config,
            policy=chosen,
            warm_load_s=self.cache.placement.load_time_s,
            seed=seed,
            beliefs=self.beliefs,
        )
        self.monitor = MonitorAgent(
            store,
            listeners=[self.resource_agent.observe_record],
            commit_delay_s=config.record_commit_delay_ms / 1000.0,
        )
        self.store = store
        self.recorder = Recorder(config, self.clock, self.router_agent, self.monitor)
        self.dispatcher = Dispatcher(
            config,
            backends,
            clock=self.clock,
            resource_agent=self.resource_agent,
            recorder=self.recorder,
        )
        self._endpoints = self.dispatcher.endpoints
        self.breakers, self.backends = self.dispatcher.breakers, self.dispatcher.backends
        self.recovery = Recovery(self._endpoints, self.backends, self.resource_agent, self.clock)
        self.advisor = Advisor.from_config(config, self.router_agent, self.clock)  # None: off
        self._recovering: asyncio.Task[None] | None = None

    @classmethod
    def from_config(
        cls,
        config: Config,
        *,
        store: Store | None = None,
        policy: str | RoutingPolicy | None = None,
        seed: int = 0,
        time_scale: float = 1.0,
        clock: Clock | None = None,
    ) -> Router:
        """A router with the backends named in the config (emulated by default) and its
        `routing.policy` unless `policy` names another (an unknown name, or one that needs a
        simulated world, is a `ConfigError`). A store passed in stays the caller's to close;
        the default in-memory one is closed with the router."""
        backends = {
            ep.id: create_backend(ep, seed=seed, time_scale=time_scale) for ep in config.endpoints
        }
        return cls(
            config,
            backends=backends,
            store=store or open_store("memory://"),
            policy=policy,
            clock=clock,
            seed=seed,
        )

    # ------------------------------------------------------------------ public API

    async def route(self, request: InferenceRequest | Mapping[str, Any]) -> RoutingDecision:
        """Decide only (no inference, nothing recorded): what `complete` would try first,
        before the advisor (`routing.reasoner`), which is consulted only when serving."""
        req = parse_request(request, self.config.use_cases)
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
        served, gen = await self.dispatcher.serve(prepared, generate, finish=True)
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
        served, (chunks, first) = await self.dispatcher.serve(prepared, open_stream, finish=False)
        return self._streaming(served, chunks, first)

    async def probe(self, timeout_s: float = PROBE_TIMEOUT_S) -> dict[str, bool]:
        """Health-probe every endpoint with a one-token request; feeds the ResourceAgent."""
        return await self.recovery.probe(self.backends, timeout_s)

    async def recover(self, timeout_s: float = PROBE_TIMEOUT_S) -> dict[str, bool]:
        """Probe only the endpoints not serving (circuit not closed, or unhealthy): one that
        answers has its circuit closed and its failure estimates forgotten, so it is routed to
        again. `recover_forever` runs this every `resilience.probe_interval_s`."""
        return await self.recovery.recover(timeout_s)

    async def recover_forever(self) -> None:
        """Recovery probes until cancelled (returns at once when `probe_interval_s` is 0). The
        gateway runs it in its lifespan; `async with Router(...)` runs it for library users."""
        interval_s = self.config.resilience.probe_interval_s
        if interval_s > 0:
            await self.recovery.run(interval_s)

    async def feedback(
        self, decision_id: str, score: float, *, owner_id: str | None = None
    ) -> DecisionRecord:
        """A user's judgement of an answer, in [0, 1] (1 = good): stored on the decision's record
        and learned as evidence about the (task type, model) that answered. With `owner_id` only
        that owner's decision may be judged. Raises `FeedbackError`: 404 for an unknown decision
        (or another owner's), 409 when it already has feedback or nothing was answered."""
        if not 0.0 <= score <= 1.0:
            raise InvalidRequestError("score", f"must be a number in [0, 1], got {score}")
        await self.monitor.flush()
        record = await self.store.get_decision(decision_id)
        if record is None or (owner_id is not None and record.owner_id != owner_id):
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
        """Stop recovery probes, flush every record to the store, close the backends (and the
        store if it is ours)."""
        task, self._recovering = self._recovering, None
        if task is not None:
            task.cancel()
            await asyncio.wait([task])
        try:
            await self.monitor.aclose()
        finally:
            await asyncio.gather(*(b.inner.aclose() for b in self.backends.values()))
            if self.advisor is not None:
                await self.advisor.aclose()
            if self._owns_store:
                await self.store.aclose()

    async def __aenter__(self) -> Router:
        """Starts the background recovery probes (stopped by `aclose`)."""
        if self._recovering is None:
            self._recovering = asyncio.create_task(self.recover_forever())
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
        if self._network_probe is not None:
            return self._network_probe(req)
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

    async def _prepare(
        self, request: InferenceRequest | Mapping[str, Any]
    ) -> InFlight | Completion:
        """Validate, assess and decide; a cache hit is served (and recorded) right here."""
        req = parse_request(request, self.config.use_cases)
        started = self.clock.monotonic()
        context, state = self._assess(req)
        key = request_cache_key(req, self.config.cache_partition)
        now = self.clock.time()
        device_id = req.device_info.device_id
        hit = None
        if key is not None:
            hit = self.cache.lookup(
                key, privacy=context.privacy_level, device_id=device_id, now=now
            )
            if hit is None and self.shared_cache is not None:
                hit = await self._shared_hit(key, context.privacy_level, device_id, now)
        if hit is not None:
            return await self.recorder.cache_hit(req, context, hit, started)
        vector = None
        if self._embeddings is not None:
            context, vector, similar = await self._embeddings.apply(req, context, now)
            if similar is not None:
                why = f"semantic cache hit (similarity {similar.similarity:.3f})"
                return await self.recorder.cache_hit(req, context, similar.response, started, why)
        try:
            decision = self._decide(context, state, req)
        except NoRouteError as exc:
            await self.recorder.no_route(req, context, started, str(exc))
            raise
        if self.advisor is not None:  # a close call, with time to spare: ask (never raises)
            await self.advisor.review(decision, context, state, req)
        return InFlight(req, context, state.network_conditions, decision, started, key, vector)

    async def _shared_hit(
        self, key: str, privacy: PrivacyLevel, device_id: str, now: float
    ) -> CachedResponse | None:
        """A public answer another process cached (kept here too), or None."""
        if privacy is not PrivacyLevel.PUBLIC or self.shared_cache is None:
            return None
        hit = await self.shared_cache.cache_get(key)
        if hit is not None:
            self.cache.store(key, hit, privacy=privacy, device_id=device_id, now=now)
        return hit

    async def _served(self, s: InFlight, gen: Generation) -> Completion:
        """Record an answer, keeping it in the caches before the record is written."""
        now = self.clock.time()
        record = self.recorder.served(s, gen)
        keep_answer(self.cache, self._embeddings, s, gen, now, self.shared_cache)
        await self.recorder.write(record)
        return Completion(gen.text, s.decision, record, gen)

    def _streaming(
        self, served: InFlight, chunks: AsyncIterator[Chunk], first: Chunk
    ) -> StreamingCompletion:
        ep = served.ep
        assert ep is not None  # set by the dispatcher

        async def on_done(outcome: StreamOutcome) -> None:
            self.resource_agent.on_finish(ep.id, served.req.device_info.device_id)
            await self._finish_stream(served, outcome)

        deadline_ms = self.dispatcher.deadline_ms(served.context, served.decision)
        return StreamingCompletion(
            decision=served.decision,
            endpoint=ep,
            fallbacks_used=served.fallbacks,
            chunks=chunks,
            first_chunk=first,
            first_chunk_at=self.clock.monotonic(),
            deadline_at=served.started + deadline_ms / 1000.0,
            monotonic=self.clock.monotonic,
            on_done=on_done,
        )

    async def _finish_stream(self, s: InFlight, outcome: StreamOutcome) -> None:
        """The record of a streamed answer, however the stream ended."""
        if outcome.error:
            if not outcome.cancelled and s.ep is not None:
                self.resource_agent.observe_failure(s.ep.id)
            cancelled = CANCELLED_BY_CLIENT
            await self.recorder.unserved(s, cancelled if outcome.cancelled else outcome.error)
            return
        gen = streamed_generation(s, outcome)
        s.waited_ms = 0.0  # the generation's TTFT is already measured from the start
        await self._served(s, gen)

    def _circuit_state(self, endpoint_id: str) -> CircuitState:
        return self.breakers[endpoint_id].state(self.clock.monotonic())
