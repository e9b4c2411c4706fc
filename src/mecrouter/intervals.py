"""Percentile bootstrap intervals over groups: one formula for every interval the project reports.

The resampled unit is a group whose members stand or fall together (a prompt that several
requests repeat, a template whose prompts share their wording), never the single row: resampling
rows would claim more certainty than the groups give. Each array handed in holds one value per
group; the statistic reads them along `axis` (scipy's vectorized form).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import numpy.typing as npt

__all__ = ["BOOTSTRAP_RESAMPLES", "CONFIDENCE", "group_interval", "ratio"]

BOOTSTRAP_RESAMPLES = 1000
CONFIDENCE = 0.95

F64 = npt.NDArray[np.float64]


def ratio(num: F64, den: F64, axis: int = -1) -> F64:
    """Sum of `num` over sum of `den` (NaN where `den` sums to 0): a rate or mean over groups."""
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(num.sum(axis=axis) / den.sum(axis=axis), dtype=np.float64)


def group_interval(
    data: tuple[F64, ...], statistic: Callable[..., F64], rng: np.random.Generator
) -> tuple[float, float] | None:
    """The `CONFIDENCE` percentile bootstrap interval of `statistic(*data)`, `BOOTSTRAP_RESAMPLES`
    resamples drawing groups with replacement (scipy's `bootstrap`); None with fewer than two
    groups or where the statistic is undefined."""
    from scipy.stats import bootstrap  # type: ignore[import-untyped]

    if len(data[0]) < 2 or not np.isfinite(statistic(*data)):
        return None
    ci = bootstrap(
        data, statistic, paired=True, vectorized=True, method="percentile",
        n_resamples=BOOTSTRAP_RESAMPLES, confidence_level=CONFIDENCE, random_state=rng,
    ).confidence_interval  # fmt: skip
    return float(ci.low), float(ci.high)
