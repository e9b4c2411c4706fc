"""A small decision store with numbers known in advance, for the dashboard's tests."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path
from typing import Any

from mecrouter.stores.sqlite import SQLiteStore
from mecrouter.types import DecisionRecord

# (tier, use case, model, endpoint, latency ms, success, fallbacks, cost, tokens in, tokens out)
ROWS: list[tuple[str, str, str, str, float, bool, int, float, int, int]] = [
    *[("device", "gaming", "llama-3.2-1b-instruct", "device-llama-1b", 40.0 + i, True, 0, 0.0,
       100, 50) for i in range(12)],
    *[("mec", "gaming", "mistral-7b-instruct", "mec-lon-mistral-7b", 150.0 + 10 * i, True, 0,
       0.0002, 200, 80) for i in range(8)],
    *[("cloud", "healthcare", "amazon.nova-lite-v1:0", "cloud-nova-lite", 1500.0 + 100 * i,
       i != 0, int(i == 1), 0.001, 300, 200) for i in range(5)],
]  # fmt: skip


def record(i: int, row: tuple[Any, ...], now: float, policy: str = "mecrouter") -> DecisionRecord:
    """Decision `i` of `policy`: mecrouter's come `i` + 5 s before `now`, a baseline's half a
    second earlier each."""
    tier, use_case, model, endpoint, latency, success, fallbacks, cost, tin, tout = row
    slo = 200.0 if use_case == "gaming" else 3000.0
    return DecisionRecord(
        request_id=f"req-{policy}-{i}", timestamp=now - 5 - i - 0.5 * (policy != "mecrouter"),
        user_id=f"user-{i % 3}",
        decision_id=f"dec-{policy}-{i}", use_case=use_case, policy=policy, selected_tier=tier,
        selected_model=model, selected_endpoint=endpoint, confidence_score=0.8,
        reasoning=f"reason {i}: {tier} meets the {use_case} SLO",
        fallback_options=["mec", "cloud"], estimated_latency_ms=latency,
        estimated_cost_usd=cost, slo_ms=slo, privacy_level="public", complexity_score=0.3,
        success=success, slo_met=success and latency <= slo, actual_tier=tier if success else "",
        actual_model=model if success else "", actual_endpoint=endpoint if success else "",
        latency_ms=latency, input_tokens=tin, output_tokens=tout, cost_usd=cost,
        fallbacks_used=fallbacks, error="" if success else "timeout",
    )  # fmt: skip


def seed_store(path: Path, *, baseline_rows: int = 4) -> list[DecisionRecord]:
    """ROWS as mecrouter's decisions of the last minute, and a few of a baseline policy."""
    now = time.time()
    records = [record(i, row, now) for i, row in enumerate(ROWS)]
    cloud = ROWS[-1]
    records += [record(i, cloud, now, policy="cloud-only") for i in range(baseline_rows)]

    async def write() -> None:
        store = await SQLiteStore.open(path)
        await store.write_decisions(records)
        await store.aclose()

    asyncio.run(write())
    return records
