"""What one call to an endpoint does in the simulated world, written once for every caller.

A call is refused (a node outage, or the request's failure draw under the endpoint's failure
rate) after one round trip, hangs (a partition) until its timeout, or takes a slot of the
endpoint's station (waiting for one, FIFO) and is answered after the round trip, any model load
on a MEC node, the measured time to first token and the decode time (`World.service_ms`).

The simulator's run (`sim.run`) makes calls with the failover loop's attempt timeouts; the
world backend (`sim.transport`) makes them for the real pipeline with no timeout of its own, the
pipeline's `asyncio.timeout` then abandoning the call (`Calls.abandon`) at the same moment the
run's timeout would end it. A call is a chain of callbacks on SimPy events, not a SimPy process:
two events per answered call instead of a process's four, and no generator frames.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial

import simpy

from mecrouter.agents.cache import CacheAgent
from mecrouter.sim.world import Endpoint, Station, World, add_finishing, remove_finishing
from mecrouter.types import ComputeTier

__all__ = ["Call", "Calls", "model_load_ms"]

_MEC = ComputeTier.MEC
_INF = float("inf")


def model_load_ms(cache: CacheAgent, ep: Endpoint) -> float:
    """Time to load a MEC endpoint's model first (callers skip the other tiers)."""
    load_s = cache.placement.load_time_s(ep.node, ep.model)
    return 0.0 if load_s is None else load_s * 1000.0


@dataclass(slots=True, eq=False)
class Call:
    """One call of request `i` from `device` to `ep` (set before each `Calls.start`): the rest
    is what `Calls` fills in as it goes (times in ms, except `start` and `done_at`, SimPy times
    in s)."""

    i: int
    device: int
    ep: Endpoint | None = field(default=None, init=False)
    station: Station | None = field(default=None, init=False)
    waiting: simpy.Event | None = field(default=None, init=False)  # the slot it waits for
    in_service: bool = field(default=False, init=False)  # holds a slot
    ended: bool = field(default=False, init=False)  # answered, failed or abandoned
    rtt: float = field(default=0.0, init=False)
    slow: float = field(default=1.0, init=False)
    timeout_ms: float = field(default=0.0, init=False)
    start: float = field(default=0.0, init=False)
    load_ms: float = field(default=0.0, init=False)
    ttft: float = field(default=0.0, init=False)  # the model's own (rtt, wait, load excluded)
    waited: float = field(default=0.0, init=False)  # for a slot
    total: float = field(default=0.0, init=False)  # the whole call, as its caller sees it
    done_at: float = field(default=0.0, init=False)


class Calls:
    """The calls of one world. `on_answered(call)` or `on_failed(call)` is called once per call
    `start`ed (never after `abandon`), at the simulated moment it ends."""

    def __init__(
        self,
        world: World,
        cache: CacheAgent,
        *,
        prompt_tokens: list[int],
        output_tokens: list[int],
        service_draw: list[float],
        failure_draw: list[float],
        on_answered: Callable[[Call], None],
        on_failed: Callable[[Call], None],
        tracks_finishing: bool = False,
    ) -> None:
        """Per-request values are lists (read on the hot path). `tracks_finishing` keeps each
        station's completion times (what the oracle's probe needs)."""
        self.world, self.env, self.cache = world, world.env, cache
        self._prompt_tokens, self._output_tokens = prompt_tokens, output_tokens
        self._service_draw, self._failure_draw = service_draw, failure_draw
        self._on_answered, self._on_failed = on_answered, on_failed
        self._tracks = tracks_finishing

    def start(self, c: Call, rtt_ms: float, timeout_ms: float = _INF) -> None:
        """Call `c.ep` now, `rtt_ms` away, giving up after `timeout_ms` (inf: only `abandon`
        ends a call that does not end by itself). A `Call` may be started again once it has
        ended (the simulator's run makes a request's attempts with one)."""
        env, ep, world = self.env, c.ep, self.world
        assert ep is not None
        c.ended = c.in_service = False
        start = env.now
        fault, slow = world.fault(ep, start)
        if fault == "hang":  # partitioned: nothing comes back before the timeout
            if timeout_ms != _INF:
                self._after(timeout_ms, c, self._failed)
            return
        if fault == "down" or self._failure_draw[c.i] < ep.failure_rate:
            # refused / an error status, after one round trip
            self._after(rtt_ms if rtt_ms < timeout_ms else timeout_ms, c, self._failed)
            return
        c.station = station = world.station(ep, c.device)
        c.rtt, c.slow, c.timeout_ms, c.start = rtt_ms, slow, timeout_ms, start
        waiting = station.slots.take()
        if waiting is None:
            self._in_service(c)
        else:
            c.waiting = waiting
            waiting.callbacks.append(partial(self._on_slot, c))
            if timeout_ms != _INF:
                self._after(timeout_ms, c, self._on_wait_timeout)

    def abandon(self, c: Call) -> None:
        """The caller stopped waiting for `c` (its timeout): a slot it waits for or holds is
        given up now; its pending end, if any, comes to nothing."""
        if c.ended:
            return
        c.ended = True
        station = c.station
        if c.waiting is not None:
            assert station is not None
            station.slots.give_up(c.waiting)
            c.waiting = None
        elif c.in_service:
            assert station is not None
            c.in_service = False
            if self._tracks:
                remove_finishing(station, c.done_at)
            station.slots.release()

    def _after(self, delay_ms: float, c: Call, callback: Callable[[simpy.Event], None]) -> None:
        ev = simpy.Timeout(self.env, delay_ms / 1000.0, c)
        ev.callbacks.append(callback)

    def _on_slot(self, c: Call, _ev: simpy.Event) -> None:
        if c.waiting is not None:  # not given up: the slot is this call's
            c.waiting = None
            self._in_service(c)

    def _on_wait_timeout(self, ev: simpy.Event) -> None:
        c: Call = ev.value  # type: ignore[assignment]  # every call timer carries its call
        waiting = c.waiting
        if waiting is None:
            return  # it got its slot in time; this timer is spent
        c.waiting = None
        assert c.station is not None
        c.station.slots.give_up(waiting)
        self._failed(ev)

    def _in_service(self, c: Call) -> None:
        """It holds a slot now: it is answered, or it times out holding the slot."""
        ep, station = c.ep, c.station
        assert ep is not None and station is not None
        c.in_service = True
        i, now = c.i, self.env.now
        c.load_ms = load_ms = model_load_ms(self.cache, ep) if ep.tier is _MEC else 0.0
        c.ttft, decode = self.world.service_ms(
            ep, station.slots.count, self._prompt_tokens[i], self._output_tokens[i],
            self._service_draw[i], c.slow,
        )  # fmt: skip
        c.waited = waited = (now - c.start) * 1000.0
        c.total = total = c.rtt + waited + load_ms + c.ttft + decode
        if total > c.timeout_ms:
            self._after(max(0.0, c.timeout_ms - waited), c, self._on_timed_out_in_service)
            return
        c.done_at = now + (total - waited) / 1000.0
        if self._tracks:
            add_finishing(station, c.done_at)
        self._after(total - waited, c, self._answered)

    def _on_timed_out_in_service(self, ev: simpy.Event) -> None:
        c: Call = ev.value  # type: ignore[assignment]  # every call timer carries its call
        if c.ended:
            return
        assert c.station is not None
        c.in_service = False
        c.station.slots.release()
        self._failed(ev)

    def _answered(self, ev: simpy.Event) -> None:
        c: Call = ev.value  # type: ignore[assignment]  # every call timer carries its call
        if c.ended:
            return
        c.ended, c.in_service = True, False
        station = c.station
        assert station is not None
        if self._tracks:
            remove_finishing(station, c.done_at)
        station.slots.release()
        self._on_answered(c)

    def _failed(self, ev: simpy.Event) -> None:
        c: Call = ev.value  # type: ignore[assignment]  # every call timer carries its call
        if c.ended:
            return
        c.ended = True
        self._on_failed(c)
