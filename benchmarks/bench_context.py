"""ContextAgent.analyze_request on a 200-character prompt (target: p50 <= 15 us).

Run with `make bench` (or `pytest -m bench -p no:cacheprovider benchmarks/bench_context.py`).
Timing lives here, not in the unit tests, because it depends on the machine.
"""

from __future__ import annotations

import pytest
from pytest_benchmark.fixture import BenchmarkFixture

from mecrouter.agents.context import ContextAgent
from mecrouter.agents.privacy import detect_privacy
from mecrouter.config import load_config
from mecrouter.types import ContextAnalysis, InferenceRequest

PROMPTS = {
    # A typical assistant prompt: no digits, no '@', no medical words (the fast path).
    "chat": (
        "Can you help me plan a three day trip to Lisbon with a mix of museums, food markets and "
        "a day trip to Sintra? I prefer walking and public transport, and a budget hotel near "
        "the centre, thanks!"
    ),
    # Numbers, reasoning and maths markers, but nothing private.
    "numbers": (
        "Compare the 2019 and 2023 revenue figures: Q1 12.5M, Q2 13.1M, Q3 14.0M, Q4 15.2M. "
        "Explain the trend, give 3 reasons and estimate 2024 growth at a 7% rate with a simple "
        "linear model, please."
    ),
    # The slow path: PHI with a record number, a name, an email and a phone.
    "phi": (
        "Patient John Smith MRN 4829103, blood glucose 310 mg/dL, adjust insulin? He takes "
        "metformin 500mg twice daily and his last HbA1c was 9.1%. Contact john.smith@example.com "
        "or 020 7946 0958."
    ),
}


@pytest.mark.bench
@pytest.mark.parametrize("kind", sorted(PROMPTS))
def test_analyze_request_200_chars(benchmark: BenchmarkFixture, kind: str) -> None:
    prompt = PROMPTS[kind]
    assert 180 <= len(prompt) <= 220
    agent = ContextAgent(load_config())
    req = InferenceRequest(content=prompt, use_case="healthcare")
    analysis = benchmark(agent.analyze_request, req)
    assert isinstance(analysis, ContextAnalysis)


@pytest.mark.bench
def test_detect_privacy_200_chars(benchmark: BenchmarkFixture) -> None:
    level, _ = benchmark(detect_privacy, PROMPTS["chat"])
    assert level.value == "public"


# The privacy detector alone over a mix: plain chat, identifier-bearing and number-heavy prompts.
PRIVACY_MIX = [
    PROMPTS["chat"],
    PROMPTS["numbers"],
    PROMPTS["phi"],
    "Legal brief for the escrow: client passport number C01X00T47, wire the retainer to IBAN "
    "DE89 3704 0044 0532 0130 00 before Friday and confirm by email to counsel@example.org.",
    "Therapy notes: Aadhaar 2341 2341 2346. The client reports suicidal thoughts and poor sleep "
    "since the job loss; plan weekly psychotherapy and review sertraline dosage next visit.",
    "Sensor log: 123456789 234567890 345678901 456789012 at 2024-01-15T10:30:00Z; bed monitor "
    "4 HR 72 bpm, BP 120/80, SpO2 98%; order 987654321, build 20240115, v3.11.7, 1700000000.",
    "Frau Anna Schmidt, geboren am 3. März 1975, Hauptstraße 12, 10115 Berlin, Steuer-ID 36 "
    "574 261 809, wurde wegen Alkoholabhängigkeit behandelt; bitte den Arztbrief zusammenfassen.",
]


@pytest.mark.bench
def test_privacy_detector_p50_p99_per_200_chars() -> None:
    """p50/p99 of detect_privacy per prompt over the mix. Issue 19: "a few hundred us is
    acceptable for this recall, several ms is not" on the hot path: p50 <= 400 us and p99 <= 1
    ms here (plain prompts cost tens of us, the trained stage included; the identifier-bearing
    ones pay for the recognisers; measured 2026-12-06 over five runs on this noisy VM: p50
    252-351 us, p99 344-590 us; with the trained stage, three runs: p50 169-173 us, p99 308-315
    us)."""
    import time

    for prompt in PRIVACY_MIX:
        assert 150 <= len(prompt) <= 260, len(prompt)
        detect_privacy(prompt)  # warm the regex caches
    timings_us: list[float] = []
    for _ in range(2000):
        for prompt in PRIVACY_MIX:
            start = time.perf_counter_ns()
            detect_privacy(prompt)
            timings_us.append((time.perf_counter_ns() - start) / 1000)
    timings_us.sort()
    p50, p99 = timings_us[len(timings_us) // 2], timings_us[int(len(timings_us) * 0.99)]
    print(f"\nprivacy detector per ~200-char prompt: p50 {p50:.1f} us, p99 {p99:.1f} us")
    assert p50 <= 400 and p99 <= 1000
