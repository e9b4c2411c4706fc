"""Run a workload through the simulated world, once per policy, on the same random streams.

`build_requests` (in `requests`) draws everything random once per (workload, seed); every
policy then replays exactly those requests in its own fresh world (common random numbers), so
differences between policies come from their decisions only. `simulate_policy` runs one policy
(`run.Run`, the SimPy model) and scores its outcomes (`scoring`); `run_scenario` runs the
policies (in parallel processes when asked) and returns a `ScenarioResult`. Same seed, same
figures, bit for bit.
"""

from __future__ import annotations

import gc
import multiprocessing
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import numpy as np

from mecrouter.config import Config, load_config
from mecrouter.sim.requests import Requests, build_requests, request_kinds
from mecrouter.sim.results import PolicyResult, ScenarioResult, intervals, summarise
from mecrouter.sim.run import Run
from mecrouter.sim.scoring import finish_outcomes
from mecrouter.sim.truth import YARDSTICKS
from mecrouter.sim.workloads import Workload
from mecrouter.types import PrivacyLevel

__all__ = ["DEFAULT_POLICIES", "run_scenario", "scenario_policies", "simulate_policy"]

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


def simulate_policy(
    config: Config, reqs: Requests, policy: str, seed: int, data: Path | None = None
) -> PolicyResult:
    """One policy over the requests; returns its outcomes (utilities and checks included)."""
    started = time.perf_counter()
    run = Run(config, reqs, policy, seed, data)
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
    finish_outcomes(config, run.collect(), run.facts)
    return PolicyResult(policy, run.out, wall_s=time.perf_counter() - started)


def scenario_policies(wl: Workload, asked: Sequence[str] = ()) -> tuple[str, ...]:
    """The policies a run of `wl` compares: those asked for, else the scenario's own, else the
    default set."""
    return tuple(asked) or wl.policies or DEFAULT_POLICIES


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
    reqs = build_requests(wl, n, seed, data, cfg)
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
    cloud = results.get("cloud-only")
    prompt = np.array(request_kinds(reqs)[0], dtype=np.intp)
    for res in results.values():
        truth = oracle.outcomes if oracle else None
        res.summary = summarise(res.outcomes, truth)
        res.summary.update(
            intervals(res.outcomes, prompt, truth, cloud.outcomes if cloud else None, seed)
        )
    return ScenarioResult(
        scenario=wl.name,
        description=wl.description,
        seed=seed,
        n_requests=n,
        duration_s=float(reqs.arrival_s[-1]) if n else 0.0,
        endpoints=[ep.id for ep in cfg.endpoints],
        faults=reqs.faults,
        policies=results,
        notes={
            "rate_per_s": wl.rate_per_s,
            "trace": wl.trace,
            "quality_yardstick": YARDSTICKS[reqs.yardstick],
            "personal_prompts": sum(
                level is not PrivacyLevel.PUBLIC for level in reqs.privacy_truth or ()
            ),
            **dict(wl.reasons),
        },
    )
