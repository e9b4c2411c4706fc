"""One policy's run of the simulated world: the SimPy model the engine runs per policy.

Each request is decided at arrival by the policy, then tried down its fallback chain with the
pipeline's deadlines, attempt timeouts and circuit breakers (the physics is in `World`). The
raw outcomes are kept as Python lists while it runs; `Run.collect` copies them into `Outcomes`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import simpy

from mecrouter.agents.cache import CacheAgent
from mecrouter.agents.learning import QualityBeliefs
from mecrouter.agents.monitor import MonitorAgent
from mecrouter.agents.resource import ResourceAgent
from mecrouter.breaker import CircuitBreaker, request_deadline_ms
from mecrouter.config import Config, ResilienceConfig
from mecrouter.errors import NoRouteError
from mecrouter.pipeline.failover import Failover
from mecrouter.sim.advisor import SimAdvisor
from mecrouter.sim.calls import Call, Calls
from mecrouter.sim.facts import RequestFacts
from mecrouter.sim.policies import policy_router, probes_world
from mecrouter.sim.requests import Requests
from mecrouter.sim.results import Outcomes
from mecrouter.sim.traces import network_model
from mecrouter.sim.world import Endpoint, World
from mecrouter.types import (
    CircuitState,
    ComputeTier,
    ContextAnalysis,
    DecisionRecord,
    NetworkMetrics,
)

__all__ = ["Run"]

_TIER_CODE = {ComputeTier.DEVICE: 0, ComputeTier.MEC: 1, ComputeTier.CLOUD: 2}
_MEC, _DEVICE = ComputeTier.MEC, ComputeTier.DEVICE
_CLOSED = CircuitState.CLOSED


@dataclass(slots=True, eq=False)
class _Flight(Call):
    """A request on its way through its fallback chain: its current call, and what its
    callbacks share."""

    fo: Failover  # the pipeline's failover loop: what to try next, and the books
    asked_at: float  # when it was decided
    network: NetworkMetrics  # what its device measured then
    context: ContextAnalysis  # what the ContextAgent made of it


class _Breakers(dict[str, CircuitBreaker]):
    """One device's circuits by endpoint id: the shared ones, and its own device-tier breakers,
    each made when first asked for."""

    def __init__(self, shared: dict[str, CircuitBreaker], resilience: ResilienceConfig) -> None:
        super().__init__(shared)
        self._resilience = resilience

    def __missing__(self, endpoint_id: str) -> CircuitBreaker:
        breaker = self[endpoint_id] = CircuitBreaker.from_config(self._resilience)
        return breaker


class _DeviceBreakers(dict[int, _Breakers]):
    """Each device's circuits by device index, made when first asked for."""

    def __init__(self, shared: dict[str, CircuitBreaker], resilience: ResilienceConfig) -> None:
        super().__init__()
        self._shared, self._resilience = shared, resilience

    def __missing__(self, device: int) -> _Breakers:
        mine = self[device] = _Breakers(self._shared, self._resilience)
        return mine


class Run:
    """One policy's run: the world, the real agents, and the outcomes being filled in."""

    # The modelled advisor on close calls (`sim.advisor`), set when a study runs one.
    advisor: SimAdvisor | None = None

    def __init__(self, config: Config, reqs: Requests, policy: str, seed: int, data: Path | None):
        self.config, self.reqs = config, reqs
        self.env = simpy.Environment()
        self.world = World(
            self.env, config, network_model(data), reqs.device_network, reqs.device_phase_s,
            reqs.faults, data,
        )  # fmt: skip
        # One breaker per endpoint, and per device for device-tier endpoints (each device runs
        # its own model: one device's failures say nothing about another's): each device sees
        # the shared breakers and its own, made on first use.
        self._shared_breakers = {
            ep.id: CircuitBreaker.from_config(config.resilience)
            for ep in config.endpoints
            if ep.tier is not ComputeTier.DEVICE
        }
        self.breakers = _DeviceBreakers(self._shared_breakers, config.resilience)
        # The circuits of the device whose snapshot the ResourceAgent is building, and when.
        self._asking: dict[str, CircuitBreaker] = self._shared_breakers
        self._asking_at = 0.0
        self._resilience = config.resilience
        self._tiers = {ep.id: ep.tier.value for ep in config.endpoints}
        self.cache = CacheAgent(config, now=0.0)
        self.facts = facts = RequestFacts(config, reqs, self.world, self.cache)
        self.resources = ResourceAgent(
            config,
            circuit_state=self._circuit,
            hot_models=self.cache.placement.hot_models,
        )
        self.router = policy_router(config, policy, facts, self.cache.placement.load_time_s, seed)
        self._policy_name = self.router.policy.name
        # Outcomes reach the ResourceAgent's estimates as they do in the gateway: as records,
        # through the MonitorAgent (which keeps no store here: the run keeps its own columns).
        self.monitor = MonitorAgent(None, listeners=[self.resources.observe_record])
        # The policy's online quality beliefs (mecrouter only), fed by simulated user feedback.
        self.beliefs: QualityBeliefs | None = self.router.beliefs
        self.out = Outcomes.empty(len(reqs))
        self.out.arrival_s[:] = reqs.arrival_s
        self._endpoint_index = {ep.id: k for k, ep in enumerate(config.endpoints)}
        self.ends: list[int] = [0] * len(reqs)  # how many times each request ended (once)
        # The hot path reads and writes per-request values as Python lists (the facts' own,
        # read here without going through them); `collect` copies the written ones into `out`.
        self._n = n = len(reqs)
        self._arrival_s, self._device = facts.arrival_s, facts.device
        self._prompt_tokens, self._output_tokens = facts.prompt_tokens, facts.output_tokens
        # Completion times per station are kept only for a policy that probes the world.
        self.calls = Calls(
            self.world, self.cache, prompt_tokens=self._prompt_tokens,
            output_tokens=self._output_tokens, service_draw=facts.service_draw,
            failure_draw=reqs.failure_draw.tolist(), on_answered=self._on_answered,
            on_failed=self._fail, tracks_finishing=probes_world(self.router),
        )  # fmt: skip
        # The simulated users' feedback draws, as lists too (None: no feedback in this workload).
        self._feedback_draw = None if reqs.feedback_draw is None else reqs.feedback_draw.tolist()
        self._correct_draw = None if reqs.correct_draw is None else reqs.correct_draw.tolist()
        self._slo_ms: list[float] = [0.0] * n
        self._fallbacks: list[int] = [0] * n
        # per served request: ttft, total, tier, endpoint, cost, predicted and actual attempt ms
        self._served_at: list[tuple[float, float, int, int, float, float, float] | None] = [
            None
        ] * n

    # ---------------------------------------------------------------- requests
    #
    # A request is a chain of callbacks on SimPy events, not a SimPy process: an arrival event
    # decides and starts the first attempt; each attempt schedules the event that ends it (the
    # call's answer, its timeout, or a slot freeing up) with the callback that goes on. Two events
    # per served request instead of a process's four, and no generator frames.

    def start(self) -> None:
        """Schedule the first arrival; each arrival schedules the next."""
        if len(self.reqs):
            self._arrival(0)

    def _arrival(self, i: int) -> None:
        wait = self._arrival_s[i] - self.env.now
        ev = simpy.Timeout(self.env, wait if wait > 0 else 0.0, i)
        ev.callbacks.append(self._on_arrival)

    def _on_arrival(self, ev: simpy.Event) -> None:
        i: int = ev.value  # type: ignore[assignment]  # the arrival timer carries its request
        if i + 1 < self._n:
            self._arrival(i + 1)
        self.request(i)

    def request(self, i: int) -> None:
        """Decide at arrival and start the first attempt."""
        started = self.env.now
        device = self._device[i]
        context = self.facts.context(i)
        self._slo_ms[i] = context.latency_requirement
        self._asking = breakers = self.breakers[device]
        self._asking_at = started
        network = self.facts.network(device, started)
        state = self.resources.snapshot(self.reqs.devices[device], network, started)
        self.facts.current = i
        wait_ms = 0.0
        try:
            if self.advisor is None:
                chain, predicted = self.router.plan(context, state)
            else:
                chain, predicted, wait_ms = self.advisor.plan(
                    self.router, context, state, i, network
                )
        except NoRouteError:  # no endpoint may serve: the request fails at once
            chain, predicted = [], []
        deadline_ms = request_deadline_ms(
            context.latency_requirement, max(predicted) if predicted else 0.0, self._resilience
        )
        fo = Failover(
            chain, predicted, deadline_ms, started, self._resilience,
            breakers, self.resources, self.reqs.devices[device].device_id,
            self._tiers,
        )  # fmt: skip
        flight = _Flight(i, device, fo, started, network, context)
        if wait_ms > 0:  # the advisor's answer (or its timeout) comes first
            ev = simpy.Timeout(self.env, wait_ms / 1000.0, flight)
            ev.callbacks.append(self._after_advisor)
            return
        self._try(flight)

    def _after_advisor(self, ev: simpy.Event) -> None:
        self._try(ev.value)  # type: ignore[arg-type]  # the timer carries its flight

    def _try(self, f: _Flight) -> None:
        """Start the next attempt the failover loop gives, or end the request if none is left."""
        fo, now = f.fo, self.env.now
        ep_id = fo.next(now)
        if ep_id is None:
            self.monitor.observe(self._unserved_record(f))
            self.end(f.i)
            return
        self._fallbacks[f.i] = fo.position
        f.ep = self.world.endpoints[ep_id]
        self.attempt(f, fo.timeout_ms, now)

    def end(self, i: int) -> None:
        """A request is over (served or not): called exactly once per request (`ends`
        counts, and a test holds it to once)."""
        self.ends[i] += 1

    def attempt(self, f: _Flight, timeout_ms: float, now: float) -> None:
        """One try under way from `now` (its circuit let it through): the physics is in
        `Calls`; the bookkeeping is the failover loop's."""
        ep = f.ep
        assert ep is not None
        if now == f.asked_at and ep.tier is not _DEVICE:  # what the device just measured
            net = f.network
            rtt = net.mec_rtt_ms if ep.tier is _MEC else net.cloud_rtt_ms
        else:
            rtt = self.world.rtt_ms(ep, f.device, now)
        self.calls.start(f, rtt, timeout_ms)

    def _on_answered(self, c: Call) -> None:
        f: _Flight = c  # type: ignore[assignment]  # the run's calls are its flights
        ep = f.ep
        assert ep is not None
        now = self.env.now
        f.fo.succeeded(now)
        self._served(f, ep, f.rtt + f.waited + f.load_ms + f.ttft, now)
        self.end(f.i)

    def _fail(self, c: Call) -> None:
        """The attempt failed: the failover loop counts it, then goes on down the chain."""
        f: _Flight = c  # type: ignore[assignment]  # the run's calls are its flights
        f.fo.failed(self.env.now)
        self._try(f)

    # ---------------------------------------------------------------- bookkeeping

    def _circuit(self, endpoint_id: str) -> CircuitState:
        """The ResourceAgent's view of a circuit (the asking device's own, on the device tier),
        as of the snapshot it is building (it polls circuits only then)."""
        breaker = self._asking.get(endpoint_id)
        return _CLOSED if breaker is None else breaker.state(self._asking_at)  # none yet: closed

    def _served(self, f: _Flight, ep: Endpoint, ttft: float, now: float) -> None:
        """Outcome latencies count from arrival, failed earlier attempts included (what the
        client waited, as the gateway records it); the prediction error compares the serving
        attempt's own time with its prediction."""
        i, attempt = f.i, f.total
        before = (f.start - f.asked_at) * 1000.0  # spent on earlier attempts
        ttft, total = before + ttft, before + attempt
        p, o = self._prompt_tokens[i], self._output_tokens[i]
        self.monitor.observe(self._served_record(f, ep, now))
        if ep.tier is _MEC:
            self.cache.note_model_use(ep.node, ep.model, now)
        predicted = f.fo.predicted_ms[f.fo.position]
        self._served_at[i] = (ttft, total, _TIER_CODE[ep.tier], self._endpoint_index[ep.id],
                              ep.cost_usd(p, o), predicted, attempt)  # fmt: skip
        draw, verdict = self._feedback_draw, self._correct_draw
        if self.beliefs is not None and draw is not None and draw[i] < self.reqs.feedback_rate:
            # The user scores the answer: good with the true chance of a good answer.
            assert verdict is not None
            arrived = self._arrival_s[i]
            true_q = self.facts.truth(i)[ep.id] * self.world.quality_factor(ep, arrived)
            good = 1.0 if verdict[i] < true_q else 0.0
            judged = self.facts.judged(i)
            expected = self.router.prior_quality_of(judged, ep.id)  # before any feedback
            self.beliefs.observe(judged.task_type, ep.model, good, expected)

    def _served_record(self, f: _Flight, ep: Endpoint, now: float) -> DecisionRecord:
        """What the gateway's recorder would log for a request `ep` answered (the fields the
        monitor and its listeners read, with the request's index as its id; no texts or
        reasoning). Latencies count from the decision, earlier attempts included, as the
        gateway's recorder counts them."""
        i, fo, context = f.i, f.fo, f.context
        chosen = self.world.endpoints[fo.chain[0]]
        before = (f.start - f.asked_at) * 1000.0
        rtt = f.rtt
        # Positional, in the record's field order (29 keywords made building it 2% of a run):
        # tests/sim/test_one_core.py holds every field the monitor reads to the pipeline's.
        return DecisionRecord(
            str(i), now, "", "",  # request, timestamp, user, decision ids
            context.use_case, self._policy_name, chosen.tier_name, chosen.model, chosen.id,
            0.0, "", [],  # confidence, reasoning, fallback tiers
            fo.predicted_ms[0], 0.0,  # estimated latency and cost
            context.latency_requirement, context.privacy_level, context.complexity_score,
            True, False, ep.tier_name, ep.model, ep.id,  # success, slo_met, actual
            before + f.total, before + rtt + f.waited + f.load_ms + f.ttft,  # latency, TTFT
            self._prompt_tokens[i], self._output_tokens[i],
            0.0, self._fallbacks[i], False, rtt, "", context.task_type,  # cost ... error, task type
        )  # fmt: skip

    def _unserved_record(self, f: _Flight) -> DecisionRecord:
        """The record of a request no endpoint answered (see `_served_record`)."""
        fo, context, now = f.fo, f.context, self.env.now
        chosen = self.world.endpoints[fo.chain[0]] if fo.chain else None
        return DecisionRecord(
            request_id=str(f.i), timestamp=now, user_id="", decision_id="",
            use_case=context.use_case, policy=self._policy_name,
            selected_tier=chosen.tier_name if chosen else "",
            selected_model=chosen.model if chosen else "",
            selected_endpoint=chosen.id if chosen else "",
            confidence_score=0.0, reasoning="", fallback_options=[],
            estimated_latency_ms=fo.predicted_ms[0] if chosen else 0.0, estimated_cost_usd=0.0,
            slo_ms=context.latency_requirement, privacy_level=context.privacy_level,
            complexity_score=context.complexity_score, success=False,
            latency_ms=(now - f.asked_at) * 1000.0, fallbacks_used=fo.fallbacks,
            error="failed on every endpoint", task_type=context.task_type,
        )  # fmt: skip

    def collect(self) -> Outcomes:
        """Copy what the run wrote into `out` (call once the run is over)."""
        out = self.out
        out.slo_ms[:] = self._slo_ms
        out.fallbacks[:] = self._fallbacks
        served = [i for i, row in enumerate(self._served_at) if row is not None]
        if served:
            rows = [r for r in self._served_at if r is not None]
            ttft, total, tier, endpoint, cost, predicted, attempt = zip(*rows, strict=True)
            out.success[served] = True
            out.ttft_ms[served] = ttft
            out.total_ms[served] = total
            out.tier[served] = tier
            out.endpoint[served] = endpoint
            out.cost_usd[served] = cost
            out.predicted_ms[served] = predicted
            out.attempt_ms[served] = attempt
        return out
