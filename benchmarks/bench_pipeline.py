"""Failover time against the request deadline (the unit tests in `tests/test_pipeline.py` check
where a request lands; this, how long it takes on the wall clock).

Run with `make bench`. Each case runs side by side with the same request on a healthy router, so
the figure is the failover's cost over a normal call, and the share of the deadline it used.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from typing import Any

import pytest

from mecrouter.backends.emulated import EmulatedBackend
from mecrouter.breaker import request_deadline_ms
from mecrouter.config import load_config
from mecrouter.pipeline import Router
from mecrouter.stores.memory import MemoryStore

TIME_SCALE = 0.02
REPEATS = 3  # a hung endpoint costs its attempt timeout (~5 s) each time
CASES = {
    "down": (
        "Explain the trade-offs of three caching strategies step by step.",
        "automotive",
        {"down": True},
    ),
    "hang": ("Summarise the match report in two lines.", "healthcare", {"hang": True}),
}


def _request(content: str, use_case: str) -> dict[str, Any]:
    device = {"device_id": "phone-1", "memory_mb": 8192, "local_models": ["llama-3.2-1b-instruct"]}
    return {"content": content, "use_case": use_case, "device_info": device}


async def _timed(content: str, use_case: str, fault: dict[str, bool] | None) -> tuple[float, float]:
    """(wall ms of one complete() call, that request's deadline in wall ms)."""
    config = load_config()
    router = Router.from_config(config, store=MemoryStore(), time_scale=TIME_SCALE)
    req = _request(content, use_case)
    planned = await router.route(req)
    if fault:
        backend = router.backends[planned.selected_endpoint].inner
        assert isinstance(backend, EmulatedBackend)
        backend.set_fault(**fault)
    started = time.perf_counter()
    done = await router.complete(req)
    elapsed_ms = (time.perf_counter() - started) * 1000.0
    await router.aclose()
    assert done.record.success and done.record.fallbacks_used == (1 if fault else 0)
    chain = [planned.selected_endpoint, *planned.fallback_endpoints]
    slowest = max(planned.predicted_latency_ms.get(ep, 0.0) for ep in chain)
    slo_ms = config.use_case(use_case).latency_slo_ms  # no explicit SLO: the preset's
    deadline = request_deadline_ms(slo_ms, slowest, config.resilience)
    return elapsed_ms, deadline


@pytest.mark.bench
@pytest.mark.parametrize("case", sorted(CASES))
def test_failover_against_a_healthy_call_and_the_deadline(case: str) -> None:
    content, use_case, fault = CASES[case]
    failed, healthy, deadline = [], [], 0.0
    for _ in range(REPEATS):
        healthy.append(asyncio.run(_timed(content, use_case, None))[0])
        elapsed, deadline = asyncio.run(_timed(content, use_case, fault))
        failed.append(elapsed)
    failed_ms, healthy_ms = statistics.median(failed), statistics.median(healthy)
    print(
        f"\n{case}: failover {failed_ms:.0f} ms vs healthy {healthy_ms:.0f} ms "
        f"({failed_ms / healthy_ms:.1f}x); deadline {deadline:.0f} ms, "
        f"used {failed_ms / deadline:.0%}"
    )
    assert failed_ms < deadline
