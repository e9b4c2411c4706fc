"""Quality-prediction latency: the fast (hashed n-gram) path against the MiniLM embedding path.

Run with `make bench`. The fast path reports p50/p99 in microseconds of `FastQualityModel.predict`
for prompts of different lengths (the routing decision budget is ~50 us p50, so the fast path
must stay well inside it). The embedding path reports milliseconds for one prompt (encode +
heads, synchronously and through `apredict`, which adds the embedder's 2 ms batching window) and
for a batch of 32 prompts. Both use the models shipped in the package.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable

import pytest
from timing import measure, quantiles_us

from mecrouter.quality.model import default_embedding_model, default_fast_model, embedding_text

SHORT = "hi, what's the time?"
MEDIUM = (
    "Explain step by step how to implement a thread-safe LRU cache in Python, then compare its "
    "complexity with a linked-hash-map in Java and prove the O(1) bound."
)
LONG = " ".join([MEDIUM] * 5)  # ~150 words
FEW_SHOT = "\n\n".join(
    f"Question {k}: which of these materials conducts heat best?\nA) wood\nB) copper\nC) glass\n"
    "D) plastic\nPrint only a single choice from A, B, C or D without explanation.\nAnswer:\nB"
    for k in range(12)
)  # ~400 words, longer than what the featurizer reads
PROMPTS = (("short (4 words)", SHORT), ("medium (27 words)", MEDIUM), ("long (135 words)", LONG),
           ("few-shot (~400 words, capped)", FEW_SHOT))  # fmt: skip
N = 10_000
REPEATS = 5


def _measure_us(
    fn: Callable[[], object], n: int = N, repeats: int = REPEATS
) -> tuple[float, float]:
    """(lowest p50, median p99) in microseconds over ``repeats`` runs of ``n`` calls."""
    p50, p99, _ = measure(lambda _i: fn(), n, repeats)
    return p50, p99


async def _apredict_ns(prompt: str, n: int) -> list[int]:
    """Latency of `apredict` on a running event loop (encoding happens in a worker thread)."""
    embed = default_embedding_model()
    samples = []
    for _ in range(n):
        t0 = time.perf_counter_ns()
        await embed.apredict(prompt)
        samples.append(time.perf_counter_ns() - t0)
    return samples


@pytest.mark.bench
def test_quality_prediction_latency() -> None:
    fast = default_fast_model()
    lines = [
        "\nquality prediction latency (shipped models, this machine):",
        "  fast path (predict):",
    ]
    fast_p50 = {}
    for label, prompt in PROMPTS:
        p50, p99 = _measure_us(lambda prompt=prompt: fast.predict(prompt))
        fast_p50[label] = p50
        lines.append(f"    {label:<30} p50 {p50:7.1f} us   p99 {p99:7.1f} us")

    embed = default_embedding_model()
    encoder = embed.embedder
    embed.predict_vectors(encoder.encode([embedding_text(SHORT)]))  # load + warm up

    def one(prompt: str) -> object:
        return embed.predict_vectors(encoder.encode([embedding_text(prompt)]))

    batch = [MEDIUM, LONG, FEW_SHOT, SHORT] * 8
    lines.append("  embedding path (all-MiniLM-L6-v2 on CPU):")
    for label, prompt in PROMPTS:
        p50, p99 = _measure_us(lambda prompt=prompt: one(prompt), n=10, repeats=2)
        lines.append(f"    {label:<30} p50 {p50 / 1000:7.1f} ms   p99 {p99 / 1000:7.1f} ms")
    p50, p99 = quantiles_us(asyncio.run(_apredict_ns(MEDIUM, 20)))
    label = "apredict, medium (async)"
    lines.append(f"    {label:<30} p50 {p50 / 1000:7.1f} ms   p99 {p99 / 1000:7.1f} ms")
    b50, _ = _measure_us(lambda: embed.predict_vectors(embed.encode(batch)), n=2, repeats=2)
    lines.append(
        f"    {'batch of 32 mixed prompts':<30} p50 {b50 / 1000:7.1f} ms   "
        f"({b50 / 1000 / len(batch):.1f} ms per prompt)"
    )
    print("\n".join(lines))
    assert fast_p50["short (4 words)"] <= 30.0, "fast path over 30 us on a short prompt"
    assert fast_p50["long (135 words)"] <= 100.0, "fast path over 100 us on a 135-word prompt"
