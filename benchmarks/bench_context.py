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
