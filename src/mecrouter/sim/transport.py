"""The simulated world as the real pipeline's transport: the same requests through `Router`.

`serve_in_pipeline` runs a run's requests through the gateway's pipeline (`pipeline.Router`:
ContextAgent, ResourceAgent, RouterAgent, the dispatcher's failover loop with its breakers and
`asyncio.timeout`s, the Recorder and the MonitorAgent) with a backend per endpoint that calls the
simulated world (`WorldBackend`, through the same `Calls` physics as the simulator's run), on an
asyncio event loop whose clock is the world's SimPy clock (`SimPyLoop`). It is what shows that the
simulator decides and fails over as the gateway does: the same requests with the same seed and
faults give the same records either way (tests/sim/test_one_core.py).

It is slower than `sim.engine.simulate_policy` (a coroutine per request and the whole request
path) and serves one policy that needs no view of the world (not the oracle).
"""

from __future__ import annotations

import asyncio
import selectors
from collections.abc import AsyncIterator, Callable
from contextvars import Context
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVarTuple

import simpy

from mecrouter.agents.cache import CacheAgent
from mecrouter.backends.base import Chunk, GenerationRequest
from mecrouter.config import Config
from mecrouter.errors import AllEndpointsFailed, BackendError, NoRouteError
from mecrouter.pipeline.router import Router
from mecrouter.sim.calls import Call, Calls
from mecrouter.sim.facts import RequestFacts
from mecrouter.sim.requests import Requests
from mecrouter.sim.traces import network_model
from mecrouter.sim.world import World
from mecrouter.stores import open_store
from mecrouter.types import DecisionRecord, Generation, InferenceRequest, NetworkMetrics

__all__ = ["SimPyLoop", "WorldBackend", "serve_in_pipeline"]

_Ts = TypeVarTuple("_Ts")


class _SimPySelector(selectors.SelectSelector):
    """Waits by advancing the SimPy clock: when the loop has nothing ready, the world's next
    event happens (one per wait, so that the pipeline's reaction to it comes before the next)."""

    def __init__(self, env: simpy.Environment) -> None:
        super().__init__()
        self._env = env

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        ready = super().select(0)  # the loop's own wake-ups, if any
        if ready or (timeout is not None and timeout <= 0):
            return ready
        if self._env.peek() == float("inf"):
            raise RuntimeError("deadlock: the pipeline waits, and nothing is left to happen")
        self._env.step()
        return []


class SimPyLoop(asyncio.SelectorEventLoop):
    """An asyncio event loop on a SimPy clock: `time()` is `env.now`; `call_at` (and so
    `asyncio.sleep` and `asyncio.timeout`) schedules a SimPy event at that time, whose callback
    hands the timer to the loop. No wall time passes: the loop runs as fast as it can."""

    def __init__(self, env: simpy.Environment) -> None:
        super().__init__(_SimPySelector(env))
        self.env = env

    def time(self) -> float:
        return float(self.env.now)

    def call_at(
        self,
        when: float,
        callback: Callable[[*_Ts], object],
        *args: *_Ts,
        context: Context | None = None,
    ) -> asyncio.TimerHandle:
        handle = asyncio.TimerHandle(when, callback, args, self, context)
        ev = simpy.Timeout(self.env, max(0.0, when - self.env.now))
        ev.callbacks.append(lambda _ev: self._due(handle))
        return handle

    def _due(self, handle: asyncio.TimerHandle) -> None:
        if not handle.cancelled():
            self.call_soon(_run_unless_cancelled, handle)


def _run_unless_cancelled(handle: asyncio.TimerHandle) -> None:
    if not handle.cancelled():
        handle._run()  # what asyncio's own loop does with a due timer


@dataclass(slots=True)
class _SimClock:
    """The pipeline's clock: wall and monotonic time are both the SimPy clock."""

    env: simpy.Environment

    def time(self) -> float:
        return float(self.env.now)

    def monotonic(self) -> float:
        return float(self.env.now)


@dataclass(slots=True, eq=False)
class _PipelineCall(Call):
    """A call made for the pipeline: it ends by settling `future`."""

    future: asyncio.Future[bool] = field(kw_only=True)


class WorldBackend:
    """A backend whose calls are the simulated world's (`Calls`): the request id is the
    simulated request's index, whose device, tokens and draws the world uses."""

    def __init__(self, endpoint_id: str, world: World, calls: Calls, reqs: Requests) -> None:
        self._ep = world.endpoints[endpoint_id]
        self._world, self._calls, self._reqs = world, calls, reqs

    async def generate(self, request: GenerationRequest) -> Generation:
        i = int(request.request_id)
        device = int(self._reqs.device[i])
        ep = self._ep
        call = _PipelineCall(i, device, future=asyncio.get_running_loop().create_future())
        call.ep = ep
        self._calls.start(call, self._world.rtt_ms(ep, device, self._world.env.now))
        try:
            answered = await call.future
        except asyncio.CancelledError:  # the attempt's timeout (or the caller) gave up
            self._calls.abandon(call)
            raise
        if not answered:
            raise BackendError("the simulated call failed", tier=ep.tier_name, endpoint=ep.id)
        tokens_in, tokens_out = int(self._reqs.prompt_tokens[i]), int(self._reqs.output_tokens[i])
        return Generation(
            text="(simulated answer)",
            model=ep.model,
            input_tokens=tokens_in,
            output_tokens=min(tokens_out, request.max_tokens),
            latency_ms=call.total,
            ttft_ms=call.rtt + call.waited + call.load_ms + call.ttft,
        )

    def stream(self, request: GenerationRequest) -> AsyncIterator[Chunk]:
        raise NotImplementedError("the world backend serves whole answers only")

    async def aclose(self) -> None:
        return None


def _settle(answered: bool) -> Callable[[Call], None]:
    def settle(c: Call) -> None:
        future = c.future  # type: ignore[attr-defined]  # every call here is a _PipelineCall
        if not future.done():
            future.set_result(answered)

    return settle


def serve_in_pipeline(
    config: Config, reqs: Requests, policy: str, seed: int, data: Path | None = None
) -> list[DecisionRecord]:
    """Each request through the real pipeline at its arrival time in a fresh world (as
    `simulate_policy` runs it); returns every request's record, in request order."""
    env = simpy.Environment()
    world = World(
        env, config, network_model(data), reqs.device_network, reqs.device_phase_s,
        reqs.faults, data,
    )  # fmt: skip
    cache = CacheAgent(config, now=0.0)
    facts = RequestFacts(config, reqs, world, cache)
    calls = Calls(
        world, cache, prompt_tokens=facts.prompt_tokens, output_tokens=facts.output_tokens,
        service_draw=facts.service_draw, failure_draw=reqs.failure_draw.tolist(),
        on_answered=_settle(True), on_failed=_settle(False),
    )  # fmt: skip
    devices = {d.device_id: k for k, d in enumerate(reqs.devices)}

    def measured(req: InferenceRequest) -> NetworkMetrics:
        return facts.network(devices[req.device_info.device_id], env.now)

    router = Router(
        config,
        backends={ep.id: WorldBackend(ep.id, world, calls, reqs) for ep in config.endpoints},
        store=open_store("memory://"),
        policy=policy,
        clock=_SimClock(env),
        seed=seed,
        cache=cache,
        owns_store=True,
        network=measured,
    )
    records: list[DecisionRecord | None] = [None] * len(reqs)
    router.monitor.add_listener(lambda r: records.__setitem__(int(r.request_id), r))

    async def one(i: int, left: list[int], all_done: asyncio.Future[None]) -> None:
        d = reqs.devices[int(reqs.device[i])]
        request = InferenceRequest(
            content=reqs.prompt[i],
            use_case=reqs.use_case[i],
            max_tokens=int(reqs.output_tokens[i]),
            device_info=d,
            request_id=str(i),
        )
        try:
            await router.complete(request)
        except (AllEndpointsFailed, NoRouteError):
            pass  # recorded as unserved
        finally:
            left[0] -= 1
            if not left[0]:
                all_done.set_result(None)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        all_done: asyncio.Future[None] = loop.create_future()
        left, tasks = [len(reqs)], set()

        def arrive(i: int) -> None:
            wait = float(reqs.arrival_s[i]) - env.now
            ev = simpy.Timeout(env, wait if wait > 0 else 0.0, i)
            ev.callbacks.append(on_arrival)

        def on_arrival(ev: simpy.Event) -> None:
            i: int = ev.value  # type: ignore[assignment]  # the arrival timer carries its index
            if i + 1 < len(reqs):
                arrive(i + 1)
            task = loop.create_task(one(i, left, all_done))
            tasks.add(task)  # held until done (the loop keeps only weak references)
            task.add_done_callback(tasks.discard)

        if len(reqs):
            arrive(0)
            await all_done  # the world runs (the selector steps it) until every request ends
        await router.aclose()

    loop = SimPyLoop(env)
    try:
        loop.run_until_complete(main())
    finally:
        loop.close()
    missing = [i for i, r in enumerate(records) if r is None]
    if missing:
        raise RuntimeError(f"{len(missing)} requests left no record (first: {missing[0]})")
    return [r for r in records if r is not None]
