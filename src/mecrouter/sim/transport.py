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
from dataclasses import dataclass
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

    future: asyncio.Future[bool]


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
        call = _PipelineCall(i, device, asyncio.get_running_loop().create_future())
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
        assert isinstance(c, _PipelineCall)  # every call made here is one
        if not c.future.done():
            c.future.set_result(answered)

    return settle


def serve_in_pipeline(
    config: Config, reqs: Requests, policy: str, seed: int, data: Path | None = None
) -> list[DecisionRecord]:
    """Each request through the real pipeline at its arrival time in a fresh world (as
    `simulate_policy` runs it); returns every request's record, in request order."""
    run = _PipelineRun(config, reqs, policy, seed, data)
    loop = SimPyLoop(run.env)
    try:
        loop.run_until_complete(run.main())
    finally:
        loop.close()
    missing = [i for i, r in enumerate(run.records) if r is None]
    if missing:
        raise RuntimeError(f"{len(missing)} requests left no record (first: {missing[0]})")
    return [r for r in run.records if r is not None]


class _PipelineRun:
    """A fresh world, and a `Router` whose backends are its endpoints."""

    def __init__(
        self, config: Config, reqs: Requests, policy: str, seed: int, data: Path | None
    ) -> None:
        self.reqs = reqs
        self.env = env = simpy.Environment()
        world = World(
            env, config, network_model(data), reqs.device_network, reqs.device_phase_s,
            reqs.faults, data,
        )  # fmt: skip
        cache = CacheAgent(config, now=0.0)
        self.facts = facts = RequestFacts(config, reqs, world, cache)
        calls = Calls(
            world, cache, prompt_tokens=facts.prompt_tokens, output_tokens=facts.output_tokens,
            service_draw=facts.service_draw, failure_draw=reqs.failure_draw.tolist(),
            on_answered=_settle(True), on_failed=_settle(False),
        )  # fmt: skip
        self._devices = {d.device_id: k for k, d in enumerate(reqs.devices)}
        self.router = Router(
            config,
            backends={ep.id: WorldBackend(ep.id, world, calls, reqs) for ep in config.endpoints},
            store=open_store("memory://"),
            policy=policy,
            clock=_SimClock(env),
            seed=seed,
            cache=cache,
            owns_store=True,
            network=self._measured,
        )
        self.records: list[DecisionRecord | None] = [None] * len(reqs)
        self.router.monitor.add_listener(self._keep)
        self._left = len(reqs)
        self._tasks: set[asyncio.Task[None]] = set()  # held until done (the loop holds weakly)

    def _measured(self, req: InferenceRequest) -> NetworkMetrics:
        return self.facts.network(self._devices[req.device_info.device_id], self.env.now)

    def _keep(self, record: DecisionRecord) -> None:
        self.records[int(record.request_id)] = record

    async def main(self) -> None:
        """Every request at its arrival time; returns when the last has ended."""
        self._all_done = asyncio.get_running_loop().create_future()
        if len(self.reqs):
            self._arrive(0)
            await self._all_done  # the world runs (the selector steps it) until all have ended
        await self.router.aclose()

    def _arrive(self, i: int) -> None:
        wait = float(self.reqs.arrival_s[i]) - self.env.now
        ev = simpy.Timeout(self.env, wait if wait > 0 else 0.0, i)
        ev.callbacks.append(self._on_arrival)

    def _on_arrival(self, ev: simpy.Event) -> None:
        i: int = ev.value  # type: ignore[assignment]  # the arrival timer carries its index
        if i + 1 < len(self.reqs):
            self._arrive(i + 1)
        task = asyncio.get_running_loop().create_task(self._one(i))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _one(self, i: int) -> None:
        reqs = self.reqs
        request = InferenceRequest(
            content=reqs.prompt[i],
            use_case=reqs.use_case[i],
            max_tokens=int(reqs.output_tokens[i]),
            device_info=reqs.devices[int(reqs.device[i])],
            request_id=str(i),
        )
        try:
            await self.router.complete(request)
        except (AllEndpointsFailed, NoRouteError):
            pass  # recorded as unserved
        finally:
            self._left -= 1
            if not self._left:
                self._all_done.set_result(None)
