"""Latency sampling shared by the benchmarks: timeit's rule on a noisy machine.

Each figure is taken over `repeats` runs of `n` calls: p50 is the lowest run's p50 (what the code
costs when nothing else interferes), p99 the median run's p99 (the tail a busy machine gives).
"""

from __future__ import annotations

import gc
import statistics
import time
from collections.abc import Callable


def quantiles_us(samples_ns: list[int]) -> tuple[float, float]:
    """(p50, p99) in microseconds of nanosecond samples."""
    cuts = statistics.quantiles(samples_ns, n=100, method="inclusive")
    return cuts[49] / 1000.0, cuts[98] / 1000.0


def measure(
    fn: Callable[[int], object], n: int, repeats: int, warmup: int = 2_000
) -> tuple[float, float, str]:
    """(lowest p50, median p99, the spread of both) in microseconds; `fn` gets the call index."""
    for i in range(min(n, warmup)):
        fn(i)
    runs = []
    for _ in range(repeats):
        samples = []
        gc.disable()
        try:
            for i in range(n):
                t0 = time.perf_counter_ns()
                fn(i)
                samples.append(time.perf_counter_ns() - t0)
        finally:
            gc.enable()
        runs.append(quantiles_us(samples))
    p50s = sorted(r[0] for r in runs)
    p99s = sorted(r[1] for r in runs)
    spread = f"p50 {p50s[0]:.1f}-{p50s[-1]:.1f}, p99 {p99s[0]:.1f}-{p99s[-1]:.1f}"
    return p50s[0], statistics.median(p99s), spread
