"""Run a workload through the simulated world, once per policy, on the same random streams.

`build_requests` draws everything random once per (workload, seed): arrivals and token counts
from the request trace, devices, prompts, per-request service jitter and failure draws. Every
policy then replays exactly those requests in its own fresh world (common random numbers), so
differences between policies come from their decisions only. `simulate_policy` is the SimPy
model of one run; `run_scenario` runs the policies (in parallel processes when asked) and
returns a `ScenarioResult`. Same seed, same figures, bit for bit.
"""

from __future__ import annotations

import gc
import multiprocessing
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from functools import partial
from pathlib import Path

import numpy as np
import numpy.typing as npt
import simpy

from mecrouter.agents.cache import CacheAgent
from mecrouter.agents.context import ContextAgent
from mecrouter.agents.learning import QualityBeliefs
from mecrouter.agents.policies import latency_scores, violates_privacy
from mecrouter.agents.resource import ResourceAgent
from mecrouter.agents.router import RouterAgent
from mecrouter.breaker import CircuitBreaker, attempt_timeout_ms, request_deadline_ms
from mecrouter.config import Config, load_config
from mecrouter.sim.policies import Choice, SimPolicy, make_policy
from mecrouter.sim.results import FaultWindow, Outcomes, PolicyResult, ScenarioResult, summarise
from mecrouter.sim.traces import load_requests, network_model
from mecrouter.sim.workloads import Workload
from mecrouter.sim.world import Endpoint, Station, World, add_finishing, remove_finishing
from mecrouter.types import (
    CircuitState,
    ComputeTier,
    ContextAnalysis,
    DeviceInfo,
    InferenceRequest,
    NetworkMetrics,
    NetworkType,
)

__all__ = ["DEFAULT_POLICIES", "Requests", "build_requests", "run_scenario", "simulate_policy"]

DEFAULT_POLICIES = (
    "mecrouter", "cloud-only", "mec-only", "device-first", "random", "round-robin",
    "greedy-latency", "oracle",
)  # fmt: skip
# Wall time of each policy's run relative to mecrouter's, rounded from the mixed 100k runs of
# 2026-11-23 (2 workers; noisy): only the order in which the pool takes them depends on it.
_RELATIVE_COST = {
    "oracle": 1.5, "device-first": 1.15, "mec-only": 1.1, "random": 1.05, "round-robin": 1.05,
    "greedy-latency": 0.95, "mecrouter": 1.0, "mecrouter-static": 1.0, "cloud-only": 0.85,
}  # fmt: skip
_JITTER_SIGMA = 0.15  # ASSUMED lognormal sigma of service-time variation around the profile
_TIER_CODE = {ComputeTier.DEVICE: 0, ComputeTier.MEC: 1, ComputeTier.CLOUD: 2}
_MEC, _DEVICE = ComputeTier.MEC, ComputeTier.DEVICE
_CLOSED = CircuitState.CLOSED
_NETWORK = {"5g": NetworkType.FIVE_G, "lte": NetworkType.LTE, "wifi": NetworkType.WIFI}
F64 = npt.NDArray[np.float64]


@dataclass(slots=True)
class Requests:
    """Everything random about a run's requests, drawn once and shared by every policy."""

    arrival_s: F64
    prompt_tokens: npt.NDArray[np.int32]
    output_tokens: npt.NDArray[np.int32]
    use_case: list[str]
    prompt: list[str]
    device: npt.NDArray[np.int32]
    jitter: F64  # service-time multiplier
    failure_draw: F64  # compared with the endpoint's failure rate
    devices: list[DeviceInfo]
    device_network: list[str]
    device_phase_s: F64
    faults: list[FaultWindow]
    feedback_rate: float = 0.0  # share of served answers the user scores
    feedback_draw: F64 | None = None  # compared with feedback_rate
    correct_draw: F64 | None = None  # compared with the true quality: the user's verdict

    def __len__(self) -> int:
        return len(self.arrival_s)


def build_requests(wl: Workload, n: int, seed: int, data: Path | None = None) -> Requests:
    """The workload's `n` requests under `seed` (deterministic)."""
    rng = np.random.default_rng(seed)
    arrival, prompt_tokens, output_tokens = load_requests(wl.trace, data).sample(
        rng, n, wl.rate_per_s
    )
    scale_in, scale_out = wl.token_scale
    prompt_tokens = np.maximum(1, np.rint(prompt_tokens * scale_in)).astype(np.int32)
    output_tokens = np.maximum(1, np.rint(output_tokens * scale_out)).astype(np.int32)
    names = [name for name, _ in wl.use_cases]
    shares = np.array([share for _, share in wl.use_cases])
    use_case = [names[k] for k in rng.choice(len(names), size=n, p=shares / shares.sum())]
    prompt = [_pick(rng, wl.prompts(uc)) for uc in use_case]
    devices, networks = _devices(wl, rng)
    duration = float(arrival[-1]) if n else 0.0
    faults = [
        FaultWindow(f.kind, f.target, f.start * duration, f.end * duration, f.factor)
        for f in wl.faults
    ]
    return Requests(
        arrival_s=arrival,
        prompt_tokens=prompt_tokens,
        output_tokens=output_tokens,
        use_case=use_case,
        prompt=prompt,
        device=rng.integers(0, len(devices), size=n).astype(np.int32),
        jitter=rng.lognormal(0.0, _JITTER_SIGMA, size=n),
        failure_draw=rng.random(n),
        devices=devices,
        device_network=networks,
        device_phase_s=rng.uniform(0.0, 3600.0, size=len(devices)),
        faults=faults,
        feedback_rate=wl.feedback_rate,
        # drawn last, so every earlier stream is the same with or without feedback
        feedback_draw=rng.random(n),
        correct_draw=rng.random(n),
    )


def _pick(rng: np.random.Generator, options: Sequence[str]) -> str:
    return options[int(rng.integers(0, len(options)))]


def _kinds(reqs: Requests) -> tuple[list[int], list[tuple[str, str]]]:
    """Per request, the index of its (prompt, use case) among the run's distinct ones."""
    index: dict[tuple[str, str], int] = {}
    kind = [
        index.setdefault(key, len(index)) for key in zip(reqs.prompt, reqs.use_case, strict=True)
    ]
    return kind, list(index)


def _devices(wl: Workload, rng: np.random.Generator) -> tuple[list[DeviceInfo], list[str]]:
    mix = wl.devices
    model_sets = [m for m, _ in mix.local_models]
    model_p = np.array([p for _, p in mix.local_models])
    nets = [n for n, _ in mix.networks]
    net_p = np.array([p for _, p in mix.networks])
    devices, networks = [], []
    for i in range(mix.count):
        net = nets[int(rng.choice(len(nets), p=net_p / net_p.sum()))]
        devices.append(
            DeviceInfo(
                device_id=f"{wl.name}-dev-{i}",
                memory_mb=8192,
                battery_pct=round(float(rng.uniform(*mix.battery_pct)), 1),
                local_models=model_sets[
                    int(rng.choice(len(model_sets), p=model_p / model_p.sum()))
                ],
                network_type=_NETWORK[net],
            )
        )
        networks.append(net)
    return devices, networks


@dataclass(slots=True, eq=False, init=False)  # written __init__: mypyc compiles it (`Candidate`)
class _Flight:
    """A request on its way through its fallback chain (the state its callbacks share).

    Built with the first six fields; the others start at rest and are set as it goes."""

    i: int
    device: int
    choice: Choice
    deadline_s: float
    asked_at: float  # when it was decided
    network: NetworkMetrics  # what its device measured then
    k: int  # the attempt under way: index into the chain
    ep: Endpoint | None  # the attempt's endpoint (set before each attempt)
    breaker: CircuitBreaker | None  # the attempt's endpoint's
    station: Station | None
    waiting: simpy.Event | None  # the slot event it waits on, None once settled
    rtt: float
    slow: float
    timeout_ms: float
    start: float
    load_ms: float
    ttft: float
    waited: float
    total: float
    done_at: float

    def __init__(
        self,
        i: int,
        device: int,
        choice: Choice,
        deadline_s: float,
        asked_at: float,
        network: NetworkMetrics,
    ) -> None:
        self.i, self.device, self.choice = i, device, choice
        self.deadline_s, self.asked_at, self.network = deadline_s, asked_at, network
        self.k = 0
        self.ep = self.breaker = self.station = self.waiting = None
        self.rtt = self.timeout_ms = self.start = self.load_ms = 0.0
        self.ttft = self.waited = self.total = self.done_at = 0.0
        self.slow = 1.0


def _flight(ev: simpy.Event) -> _Flight:
    f: _Flight = ev.value  # type: ignore[assignment]  # every engine timer carries its flight
    return f


class _Run:
    """One policy's run: the world, the real agents, and the outcomes being filled in."""

    def __init__(self, config: Config, reqs: Requests, policy: str, seed: int, data: Path | None):
        self.config, self.reqs = config, reqs
        self.env = simpy.Environment()
        self.world = World(
            self.env, config, network_model(data), reqs.device_network, reqs.device_phase_s,
            reqs.faults,
        )  # fmt: skip
        # One breaker per endpoint, and per device for device-tier endpoints (each device runs
        # its own model: one device's failures say nothing about another's).
        self._breakers: dict[tuple[str, int], CircuitBreaker] = {}
        self._shared_breakers = {
            ep.id: CircuitBreaker.from_config(config.resilience)
            for ep in config.endpoints
            if ep.tier is not ComputeTier.DEVICE
        }
        self._asking_device = 0  # whose snapshot the ResourceAgent is building, and when
        self._asking_at = 0.0
        self._resilience = config.resilience
        self.cache = CacheAgent(config, now=0.0)
        self.context_agent = ContextAgent(config)
        self.resources = ResourceAgent(
            config,
            circuit_state=self._circuit,
            hot_models=self.cache.hot_models,
        )
        self.policy: SimPolicy = make_policy(policy, config, self.cache.load_time_s, seed)
        # The policy's online quality beliefs (mecrouter only), fed by simulated user feedback.
        self.beliefs: QualityBeliefs | None = getattr(self.policy, "beliefs", None)
        # Completion times per station are kept only for a policy that probes the world.
        self._probed: bool = getattr(self.policy, "probes_world", False)
        self._quality_drops = any(f.kind == "quality_drop" for f in reqs.faults)
        self._truth_router = RouterAgent(config)  # the prior quality is the world's truth
        self.out = Outcomes.empty(len(reqs))
        self.out.arrival_s[:] = reqs.arrival_s
        self._current = 0  # the request the oracle's probe is about
        self._endpoint_index = {ep.id: k for k, ep in enumerate(config.endpoints)}
        self.ends: list[int] = [0] * len(reqs)  # how many times each request ended (once)
        # The hot path reads and writes per-request values as Python lists (a NumPy scalar read
        # or write costs several times a list's); `collect` copies the written ones into `out`.
        self._n = n = len(reqs)
        self._arrival_s: list[float] = reqs.arrival_s.tolist()
        self._device: list[int] = reqs.device.tolist()
        self._prompt_tokens: list[int] = reqs.prompt_tokens.tolist()
        self._output_tokens: list[int] = reqs.output_tokens.tolist()
        self._jitter: list[float] = reqs.jitter.tolist()
        self._failure_draw: list[float] = reqs.failure_draw.tolist()
        self._phase_s: list[float] = reqs.device_phase_s.tolist()
        self._kind, self._kinds = _kinds(reqs)
        self._judged: list[ContextAnalysis | None] = [None] * len(self._kinds)
        self._truths: list[dict[str, float] | None] = [None] * len(self._kinds)
        self._slo_ms: list[float] = [0.0] * n
        self._fallbacks: list[int] = [0] * n
        self._served_at: list[tuple[float, float, int, int, float] | None] = [None] * n

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
        context = self.context(i)
        self._slo_ms[i] = context.latency_requirement
        self._asking_device, self._asking_at = device, started
        network = self.network(device, started)
        state = self.resources.snapshot(self.reqs.devices[device], network, started)
        self._current = i
        choice = self.policy.choose(context, state, self)
        predicted = choice.predicted_ms
        deadline_ms = request_deadline_ms(
            context.latency_requirement, max(predicted) if predicted else 0.0, self._resilience
        )
        self._try(_Flight(i, device, choice, started + deadline_ms / 1000.0, started, network), 0)

    def _try(self, f: _Flight, k: int) -> None:
        """Attempt `f.choice.chain[k]` and on, until one is under way or none is left."""
        chain, predicted = f.choice.chain, f.choice.predicted_ms
        last = len(chain) - 1
        while k <= last:
            remaining_ms = (f.deadline_s - self.env.now) * 1000.0
            if remaining_ms <= 0:
                break
            if k == last:  # `attempt_timeout_ms` for the last attempt: all that remains
                timeout = remaining_ms
            else:
                timeout = attempt_timeout_ms(
                    predicted[k], remaining_ms, predicted[k + 1], self.config.resilience
                )
            self._fallbacks[f.i] = k
            f.k, f.ep = k, self.world.endpoints[chain[k]]
            if self.attempt(f, timeout):
                return  # under way: its events carry on
            k += 1
        self.end(f.i)

    def end(self, i: int) -> None:
        """A request is over (served or not): called exactly once per request (`ends`
        counts, and a test holds it to once)."""
        self.ends[i] += 1

    def attempt(self, f: _Flight, timeout_ms: float) -> bool:
        """Start one try (False: refused at once by an open circuit, no time passed). The
        physics is in `World`; the bookkeeping is what the pipeline does."""
        env, ep, device = self.env, f.ep, f.device
        assert ep is not None
        f.breaker = breaker = self.breaker(ep.id, device)
        start = env.now
        if not breaker.allow(start):
            return False
        if start == f.asked_at and ep.tier is not _DEVICE:  # what the device just measured
            net = f.network
            rtt = net.mec_rtt_ms if ep.tier is _MEC else net.cloud_rtt_ms
        else:
            rtt = self.world.rtt_ms(ep, device, start)
        fault, slow = self.world.fault(ep, start)
        self.resources.on_dispatch(ep.id, self.reqs.devices[device].device_id)
        if fault == "hang":  # partitioned: nothing comes back before the timeout
            self._after(timeout_ms, f, self._on_failed)
            return True
        if fault == "down" or self._failure_draw[f.i] < ep.failure_rate:
            self._after(min(rtt, timeout_ms), f, self._on_failed)  # refused / error status
            return True
        f.station = station = self.world.station(ep, device)
        f.rtt, f.slow, f.timeout_ms, f.start = rtt, slow, timeout_ms, start
        waiting = station.slots.take()
        if waiting is None:
            self._in_service(f)
        else:
            f.waiting = waiting
            waiting.callbacks.append(partial(self._on_slot, f))
            self._after(timeout_ms, f, self._on_wait_timeout)
        return True

    def _after(self, delay_ms: float, f: _Flight, callback: Callable[[simpy.Event], None]) -> None:
        ev = simpy.Timeout(self.env, delay_ms / 1000.0, f)
        ev.callbacks.append(callback)

    def _on_slot(self, f: _Flight, _ev: simpy.Event) -> None:
        if f.waiting is not None:  # not given up: the slot is this call's
            f.waiting = None
            self._in_service(f)

    def _on_wait_timeout(self, ev: simpy.Event) -> None:
        f = _flight(ev)
        waiting = f.waiting
        if waiting is None:
            return  # it got its slot in time; this timer is spent
        f.waiting = None
        assert f.station is not None
        f.station.slots.give_up(waiting)
        self._fail(f)

    def _in_service(self, f: _Flight) -> None:
        """It holds a slot now: it is answered, or it times out holding the slot."""
        env, ep, station = self.env, f.ep, f.station
        assert ep is not None and station is not None
        i = f.i
        now = env.now
        f.load_ms = load_ms = self._load_ms(ep) if ep.tier is _MEC else 0.0
        f.ttft, decode = self.world.service_ms(
            ep, station.slots.count, self._prompt_tokens[i], self._output_tokens[i],
            self._jitter[i] * f.slow,
        )  # fmt: skip
        f.waited = waited = (now - f.start) * 1000.0
        f.total = total = f.rtt + waited + load_ms + f.ttft + decode
        if total > f.timeout_ms:
            self._after(max(0.0, f.timeout_ms - waited), f, self._on_timed_out_in_service)
            return
        f.done_at = now + (total - waited) / 1000.0
        if self._probed:
            add_finishing(station, f.done_at)
        self._after(total - waited, f, self._on_answered)

    def _on_timed_out_in_service(self, ev: simpy.Event) -> None:
        f = _flight(ev)
        assert f.station is not None
        f.station.slots.release()
        self._fail(f)

    def _on_answered(self, ev: simpy.Event) -> None:
        f = _flight(ev)
        station, ep = f.station, f.ep
        assert station is not None and ep is not None
        if self._probed:
            remove_finishing(station, f.done_at)
        station.slots.release()
        self._served(f, ep, f.rtt + f.waited + f.load_ms + f.ttft)
        self.resources.on_finish(ep.id, self.reqs.devices[f.device].device_id)
        self.end(f.i)

    def _on_failed(self, ev: simpy.Event) -> None:
        self._fail(_flight(ev))

    def _fail(self, f: _Flight) -> None:
        """The attempt failed: record it, then go on down the chain at once."""
        ep, breaker = f.ep, f.breaker
        assert ep is not None and breaker is not None
        breaker.record_failure(self.env.now)
        self.resources.observe_failure(ep.id)
        self.resources.on_finish(ep.id, self.reqs.devices[f.device].device_id)
        self._try(f, f.k + 1)

    # ---------------------------------------------------------------- bookkeeping

    def _circuit(self, endpoint_id: str) -> CircuitState:
        """The ResourceAgent's view of a circuit (the asking device's own, on the device tier),
        as of the snapshot it is building (it polls circuits only then)."""
        shared = self._shared_breakers.get(endpoint_id)
        if shared is not None:
            return shared.state(self._asking_at)
        breaker = self._breakers.get((endpoint_id, self._asking_device))
        return _CLOSED if breaker is None else breaker.state(self._asking_at)  # none yet: closed

    def breaker(self, endpoint_id: str, device: int) -> CircuitBreaker:
        shared = self._shared_breakers.get(endpoint_id)
        if shared is not None:
            return shared
        key = (endpoint_id, device)
        breaker = self._breakers.get(key)
        if breaker is None:
            breaker = self._breakers[key] = CircuitBreaker.from_config(self.config.resilience)
        return breaker

    def _served(self, f: _Flight, ep: Endpoint, ttft: float) -> None:
        now, i, total, breaker = self.env.now, f.i, f.total, f.breaker
        assert breaker is not None
        breaker.record_success(now)
        p, o = self._prompt_tokens[i], self._output_tokens[i]
        self.resources.observe_success(ep.id, total - f.rtt, ep.predicted_service_ms(p, o))
        if ep.tier is _MEC:
            if not self.cache.is_hot(ep.node, ep.model):
                self.cache.record_miss(ep.node, ep.model)
                self.cache.deploy_model(ep.model, ep.node, now)
            self.cache.record_use(ep.node, ep.model, now)
        self._served_at[i] = (ttft, total, _TIER_CODE[ep.tier], self._endpoint_index[ep.id],
                              ep.cost_usd(p, o))  # fmt: skip
        reqs = self.reqs
        draw = reqs.feedback_draw
        verdict = reqs.correct_draw
        if self.beliefs is not None and draw is not None and draw[i] < reqs.feedback_rate:
            # The user scores the answer: good with the true chance of a good answer.
            assert verdict is not None
            arrived = self._arrival_s[i]
            expected = self.truth(i)[ep.id]  # what the predictor expected (before any drop)
            good = 1.0 if verdict[i] < expected * self.world.quality_factor(ep, arrived) else 0.0
            self.beliefs.observe(self.judged(i).task_type, ep.model, good, expected)

    def collect(self) -> Outcomes:
        """Copy what the run wrote into `out` (call once the run is over)."""
        out = self.out
        out.slo_ms[:] = self._slo_ms
        out.fallbacks[:] = self._fallbacks
        served = [i for i, row in enumerate(self._served_at) if row is not None]
        if served:
            rows = [r for r in self._served_at if r is not None]
            ttft, total, tier, endpoint, cost = zip(*rows, strict=True)
            out.success[served] = True
            out.ttft_ms[served] = ttft
            out.total_ms[served] = total
            out.tier[served] = tier
            out.endpoint[served] = endpoint
            out.cost_usd[served] = cost
        return out

    def _load_ms(self, ep: Endpoint) -> float:
        """Time to load a MEC endpoint's model first (callers skip the other tiers)."""
        load_s = self.cache.load_time_s(ep.node, ep.model)
        return 0.0 if load_s is None else load_s * 1000.0

    def judged(self, i: int) -> ContextAnalysis:
        """The real ContextAgent's judgement of the request's prompt, memoised per distinct
        prompt and use case (the agent is pure: same input, same analysis)."""
        k = self._kind[i]
        base = self._judged[k]
        if base is None:
            prompt, use_case = self._kinds[k]
            base = self._judged[k] = self.context_agent.analyze_request(
                InferenceRequest(content=prompt, use_case=use_case)
            )
        return base

    def truth(self, i: int) -> dict[str, float]:
        """The true chance that each endpoint answers request `i` well, before any quality
        drop: the predictor's estimate for it (the simulated world's ground truth)."""
        k = self._kind[i]
        t = self._truths[k]
        if t is None:
            t = self._truths[k] = self._truth_router.prior_quality(self.judged(i))
        return t

    def context(self, i: int) -> ContextAnalysis:
        """This request's analysis: the judgement of its prompt with the trace's token counts."""
        b = self.judged(i)
        return ContextAnalysis(
            b.complexity_score,
            self._prompt_tokens[i],
            b.required_model_size,
            b.latency_requirement,
            b.privacy_level,
            b.geographic_region,
            self._output_tokens[i],
            b.use_case,
            b.privacy_findings,
            b.task_type,
            b.quality,
        )

    def network(self, device: int, now: float) -> NetworkMetrics:
        """What the device measures at `now`: its current RTTs (and that it is online)."""
        net = self.reqs.device_network[device]
        phase = self._phase_s[device] + now
        model = self.world.networks[net]
        mec, cloud = model.mec.at(phase), model.cloud.at(phase)
        if self.world.slow_links:  # the device measures what its links do now
            mec *= self.world.rtt_factor("mec", now)
            cloud *= self.world.rtt_factor("cloud", now)
        return NetworkMetrics(_NETWORK[net], True, mec, cloud, 0.0)

    # ---------------------------------------------------------------- the oracle's probe

    def true_latencies_ms(self, endpoint_ids: Sequence[str]) -> list[tuple[float, float, float]]:
        """(time to first token, total, quality factor) of the current request on each endpoint
        if sent now: the real queue, RTT, fault, this request's own service time (inf if it
        would fail) and any quality drop in force."""
        i, now, world = self._current, self.env.now, self.world
        device = self._device[i]
        prompt, output = self._prompt_tokens[i], self._output_tokens[i]
        jitter = self._jitter[i]
        faults, drops, stations = world.faults, self._quality_drops, world.stations
        fails = (float("inf"), float("inf"), 1.0)
        rtts: dict[ComputeTier, float] = {}  # one trace read per tier, not per endpoint
        out = []
        slow = 1.0
        for endpoint_id in endpoint_ids:
            ep = world.endpoints[endpoint_id]
            if faults:
                fault, slow = world.fault(ep, now)
                if fault:
                    out.append(fails)
                    continue
            station = world.station(ep, device) if ep.tier is _DEVICE else stations[endpoint_id]
            slots = station.slots
            if slots.count + len(slots.queue) < slots.capacity:
                wait = 0.0
            else:
                wait = station.expected_wait_s(now, ep.typical_service_ms / 1000.0) * 1000.0
            ttft, decode = world.service_ms(ep, slots.count + 1, prompt, output, jitter * slow)
            rtt = rtts.get(ep.tier)
            if rtt is None:
                rtt = rtts[ep.tier] = world.rtt_ms(ep, device, now)
            first = rtt + wait + (self._load_ms(ep) if ep.tier is _MEC else 0.0) + ttft
            quality = world.quality_factor(ep, now) if drops else 1.0
            out.append((first, first + decode, quality))
        return out


def simulate_policy(
    config: Config, reqs: Requests, policy: str, seed: int, data: Path | None = None
) -> PolicyResult:
    """One policy over the requests; returns its outcomes (utilities and checks included)."""
    started = time.perf_counter()
    run = _Run(config, reqs, policy, seed, data)
    run.start()
    # The run makes millions of short-lived objects and no reference cycles that matter while
    # it runs: the cyclic collector is paused (and collects once at the end).
    collecting = gc.isenabled()
    gc.disable()
    try:
        run.env.run()
    finally:
        if collecting:
            gc.enable()
    _finish_outcomes(config, reqs, run.collect(), run._kind, run.judged, run.truth, run.world)
    return PolicyResult(policy, run.out, wall_s=time.perf_counter() - started)


def _finish_outcomes(
    config: Config,
    reqs: Requests,
    out: Outcomes,
    kinds: list[int],
    context: Callable[[int], ContextAnalysis],
    truth: Callable[[int], dict[str, float]],
    world: World,
) -> None:
    """Derived columns: the SLO latency, SLO met, quality, privacy, realised utility.

    Quality is the true chance of a good answer: the quality predictor's estimate for the
    serving model (or capability against complexity where the endpoint has no proxy model),
    times any quality drop in force when the request arrived.

    Computed in NumPy over all requests at once: what varies per request is looked up from the
    few distinct (prompt, use case) judgements and the endpoint that served."""
    n = len(reqs)
    if n == 0:
        return
    endpoints = config.endpoints
    kind = np.array(kinds, dtype=np.intp)  # per request, its (prompt, use case)
    first = np.unique(kind, return_index=True)[1].tolist()  # kinds are numbered as they appear
    ctxs = [context(i) for i in first]
    ucs = [config.use_case(c.use_case) for c in ctxs]
    needed = np.array([0.3 + 0.55 * c.complexity_score for c in ctxs])[kind]
    true_q = np.array([[truth(i)[ep.id] for ep in endpoints] for i in first])
    on_total = np.array([uc.slo_metric == "total" for uc in ucs])[kind]
    w = np.array([(uc.weights.latency, uc.weights.quality, uc.weights.cost) for uc in ucs])[kind]
    cost_ref = np.array([uc.cost_ref_usd for uc in ucs])[kind]
    forbidden = np.array(
        [[violates_privacy(ep, c.privacy_level, c.geographic_region) for ep in endpoints]
         for c in ctxs]
    )  # fmt: skip
    metric = np.where(on_total, out.total_ms, out.ttft_ms)
    out.latency_ms[:] = metric
    ok = out.success
    served = np.flatnonzero(ok)
    ep_index = out.endpoint[served].astype(np.intp)
    capability = np.array([ep.capability for ep in endpoints])[ep_index]
    need = needed[served]
    slo = out.slo_ms[served]
    lat = metric[served]
    quality = true_q[kind[served], ep_index]
    for f in world.faults:
        if f.kind != "quality_drop":
            continue
        hit = np.array([f.target in (ep.model, ep.node, ep.id) for ep in endpoints])[ep_index]
        arrived = out.arrival_s[served]
        quality = np.where(
            hit & (arrived >= f.start_s) & (arrived < f.end_s), quality * f.factor, quality
        )
    out.slo_met[served] = lat <= slo
    out.quality[served] = quality
    out.quality_ok[served] = capability >= need
    out.privacy_violation[served] = forbidden[kind[served], ep_index]
    score = latency_scores(lat, slo)
    ws = w[served]
    cost_score = 1.0 / (1.0 + out.cost_usd[served] / cost_ref[served])
    total = ws.sum(axis=1)
    out.utility[served] = (ws[:, 0] * score + ws[:, 1] * quality + ws[:, 2] * cost_score) / total


def run_scenario(
    wl: Workload,
    *,
    n: int,
    seed: int,
    policies: Sequence[str] = DEFAULT_POLICIES,
    config: Config | None = None,
    data: Path | None = None,
    workers: int = 1,
    on_policy_done: Callable[[str], None] | None = None,
) -> ScenarioResult:
    """Every policy on the same `n` requests; `workers` > 1 runs policies in processes."""
    cfg = config or load_config()
    reqs = build_requests(wl, n, seed, data)
    results: dict[str, PolicyResult] = {}
    if workers > 1:
        ctx = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            # Longest first (LPT), so that no long run is left alone at the end.
            first = sorted(policies, key=lambda p: -_RELATIVE_COST.get(p, 1.0))
            futures = {p: pool.submit(simulate_policy, cfg, reqs, p, seed, data) for p in first}
            for p in policies:
                results[p] = futures[p].result()
                if on_policy_done:
                    on_policy_done(p)
    else:
        for p in policies:
            results[p] = simulate_policy(cfg, reqs, p, seed, data)
            if on_policy_done:
                on_policy_done(p)
    oracle = results.get("oracle")
    for res in results.values():
        res.summary = summarise(res.outcomes, oracle.outcomes if oracle else None)
    return ScenarioResult(
        scenario=wl.name,
        description=wl.description,
        seed=seed,
        n_requests=n,
        duration_s=float(reqs.arrival_s[-1]) if n else 0.0,
        endpoints=[ep.id for ep in cfg.endpoints],
        faults=reqs.faults,
        policies=results,
        notes={"rate_per_s": wl.rate_per_s, "trace": wl.trace, **dict(wl.reasons)},
    )
