"""One core: the same requests through the gateway's pipeline and through the simulator.

`serve_in_pipeline` runs each request through `pipeline.Router` (ContextAgent, ResourceAgent,
RouterAgent, the dispatcher's failover loop with its breakers and `asyncio.timeout`s, Recorder,
MonitorAgent) with the simulated world as its transport, on an event loop whose clock is the
world's. The simulator's own run (`sim.run.Run`) decides and fails over with the same agents and
`Failover`, but through its own event callbacks. With the same requests, seed and faults, both
must leave the same record for every request: the same chosen endpoint, the same endpoint that
answered (or none), the same fallbacks, and the same latencies.
"""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest
import simpy

from mecrouter.agents.context import ContextAgent
from mecrouter.config import Config, load_config
from mecrouter.sim.requests import Requests, build_requests
from mecrouter.sim.run import Run
from mecrouter.sim.transport import SimPyLoop, serve_in_pipeline
from mecrouter.sim.workloads import WORKLOADS
from mecrouter.types import DecisionRecord, InferenceRequest

N = 1_000
SEED = 5


def _requests(config: Config, workload: str) -> Requests:
    """The workload's requests, with two differences that are not the simulator's to remove:
    the pipeline's ContextAgent counts a prompt's tokens from its text, where the simulator takes
    the request trace's counts, so each request gets its prompt's counted tokens; and no
    simulated user scores answers (the pipeline learns from feedback sent to it, not drawn)."""
    reqs = build_requests(WORKLOADS[workload], N, SEED)
    reqs.feedback_rate = 0.0
    agent = ContextAgent(config)
    counted: dict[tuple[str, str], int] = {}
    for k, key in enumerate(zip(reqs.prompt, reqs.use_case, strict=True)):
        if key not in counted:
            analysis = agent.analyze_request(InferenceRequest(content=key[0], use_case=key[1]))
            counted[key] = analysis.estimated_tokens
        reqs.prompt_tokens[k] = counted[key]
    return reqs


def _simulated(config: Config, reqs: Requests, policy: str) -> list[DecisionRecord]:
    run = Run(config, reqs, policy, SEED, None)
    records: list[DecisionRecord] = []
    run.monitor.add_listener(records.append)
    run.start()
    run.env.run()
    by_request = {int(r.request_id): r for r in records}
    assert sorted(by_request) == list(range(N)), "every request leaves exactly one record"
    return [by_request[i] for i in range(N)]


# Each case has something to fail over from: an outage, a partition or a slow-down.
CASES = [
    ("mixed", "mecrouter"),  # a MEC node's outage
    ("automotive", "round-robin"),  # device-MEC partition: attempts hang until their timeout
    ("healthcare", "random"),  # an outage where privacy keeps requests off the cloud
    ("gaming", "round-robin"),  # the cloud slowed down 3x: timeouts in service
]


@pytest.mark.parametrize(("workload", "policy"), CASES)
def test_pipeline_and_simulator_leave_the_same_records(workload: str, policy: str) -> None:
    config = load_config()
    reqs = _requests(config, workload)
    simulated = _simulated(config, reqs, policy)
    piped = serve_in_pipeline(config, reqs, policy, SEED)
    assert len(piped) == N

    def same(field: str) -> list[int]:
        return [i for i in range(N) if getattr(simulated[i], field) != getattr(piped[i], field)]

    for field in (
        "selected_endpoint", "selected_tier", "selected_model", "actual_endpoint", "actual_tier",
        "actual_model", "success", "fallbacks_used", "use_case", "policy", "privacy_level",
        "complexity_score", "task_type", "slo_ms", "input_tokens", "output_tokens",
    ):  # fmt: skip
        differ = same(field)
        assert not differ, (
            f"{len(differ)} requests differ in {field}; first {differ[0]}: "
            f"simulated {simulated[differ[0]]!r}, pipeline {piped[differ[0]]!r}"
        )
    for field in ("latency_ms", "ttft_ms"):
        off = [
            i
            for i in range(N)
            if abs(getattr(simulated[i], field) - getattr(piped[i], field)) > 1e-6
        ]
        assert not off, f"{len(off)} requests differ in {field}; first {off[0]}"
    # The round trip the ResourceAgent subtracts: the device's measurement at the decision.
    first = [i for i in range(N) if piped[i].success and not piped[i].fallbacks_used]
    rtt_off = [i for i in first if simulated[i].network_rtt_ms != piped[i].network_rtt_ms]
    assert not rtt_off, f"{len(rtt_off)} requests differ in network_rtt_ms"
    # The case is worth comparing: requests fell back, and more than one tier served.
    assert sum(r.fallbacks_used > 0 for r in piped) >= 4
    assert len(Counter(r.actual_tier for r in piped if r.success)) >= 2


def test_a_different_seed_is_noticed() -> None:
    """The comparison can fail: the pipeline under another seed (another random policy's draws)
    does not leave the simulator's records."""
    config = load_config()
    reqs = _requests(config, "mixed")
    simulated = _simulated(config, reqs, "random")
    piped = serve_in_pipeline(config, reqs, "random", SEED + 1)
    differ = [i for i in range(N) if simulated[i].selected_endpoint != piped[i].selected_endpoint]
    assert len(differ) > N // 4


def test_the_pipelines_event_loop_runs_on_the_simulated_clock() -> None:
    """Sleeps and timeouts take simulated time, exactly; a wait nothing can end is an error,
    not a hang."""
    env = simpy.Environment()
    loop = SimPyLoop(env)

    async def timeline() -> list[float]:
        seen = []
        await asyncio.sleep(2.5)
        seen.append(loop.time())
        with pytest.raises(TimeoutError):
            async with asyncio.timeout(1.0):
                await asyncio.sleep(5.0)
        seen.append(loop.time())
        await asyncio.sleep(0.25)
        seen.append(env.now)
        return seen

    async def forever() -> None:
        await loop.create_future()

    try:
        assert loop.run_until_complete(timeline()) == [2.5, 3.5, 3.75]
        with pytest.raises(RuntimeError, match="deadlock"):
            loop.run_until_complete(forever())
    finally:
        loop.close()
