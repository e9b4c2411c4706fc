"""How much the fast predictor's training data backs its estimate for one prompt: its support,
in [0, 1], 1 for a prompt like the training prompts and 0 for one unlike anything it saw.

Support is the product of three checks, each a linear ramp between a "none" and a "full" point:

- n-gram coverage, the share of the prompt's hashed n-grams that training saw;
- the dense features' largest |z-score| against the training prompts' mean and spread;
- the prompt's length in words against the training prompts' shortest: RouterBench prompts
  are benchmark questions of 7 words and more, so a turn like "Thanks, that's all." is outside
  what the predictor knows, however common its words.

The thresholds come from the train splits' 5-fold and leave-one-benchmark-out coverage and
z-scores (docs/quality.md); the training statistics are in the model file's metadata.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from mecrouter.quality.features import DENSE_NAMES

__all__ = [
    "COVERAGE_FULL",
    "COVERAGE_NONE",
    "DENSE_Z_FULL",
    "DENSE_Z_NONE",
    "WORDS_FLOOR_PCT",
    "Support",
    "support_meta",
]

F64 = npt.NDArray[np.float64]

COVERAGE_NONE: Final = 0.75  # at or below: no support from the n-grams
COVERAGE_FULL: Final = 0.90  # at or above: full support
DENSE_Z_FULL: Final = 4.0  # largest |z| of a dense feature at or below: full support
DENSE_Z_NONE: Final = 10.0  # at or above: none
# Percentiles of the training prompts' word counts: at or below the first, no support; at or
# above the second, full support.
WORDS_FLOOR_PCT: Final = (0.0, 5.0)
_WORDS: Final = DENSE_NAMES.index("log_words")


def _ramp(x: float, none: float, full: float) -> float:
    """0 at `none`, 1 at `full`, linear between and flat beyond (either way round)."""
    r = (x - none) / (full - none)
    return 0.0 if r <= 0.0 else 1.0 if r >= 1.0 else r


def support_meta(dense: F64, mean: F64, sd: F64) -> dict[str, list[float]]:
    """The training statistics `Support` reads, from the training prompts' dense features
    (rows) and their mean and spread, as model-file metadata."""
    floor = np.percentile(dense[:, _WORDS], WORDS_FLOOR_PCT)
    return {
        "dense_mean": [round(float(v), 6) for v in mean],
        "dense_sd": [round(float(v), 6) for v in sd],
        "log_words_floor": [round(float(v), 6) for v in floor],
    }


class Support:
    """The support of a prompt given its n-gram coverage and dense features. A model file
    without some statistic skips that check (support then rests on the others)."""

    __slots__ = ("_dense_z", "_words_floor")

    def __init__(self, meta: Mapping[str, Any]) -> None:
        mean, sd = meta.get("dense_mean"), meta.get("dense_sd")
        # Each dense feature's training mean and 1 / spread.
        self._dense_z: list[tuple[float, float]] | None = (
            None
            if mean is None or sd is None
            else [(float(mu), 1.0 / float(v)) for mu, v in zip(mean, sd, strict=True)]
        )
        floor = meta.get("log_words_floor")
        self._words_floor = None if floor is None else (float(floor[0]), float(floor[1]))

    def __call__(self, coverage: float, dense: F64) -> float:
        s = _ramp(coverage, COVERAGE_NONE, COVERAGE_FULL)
        if s > 0.0 and self._dense_z is not None:
            pairs = zip(dense.tolist(), self._dense_z, strict=True)
            s *= _ramp(
                max(abs((x - mu) * inv) for x, (mu, inv) in pairs), DENSE_Z_NONE, DENSE_Z_FULL
            )
        if s > 0.0 and self._words_floor is not None:
            s *= _ramp(float(dense[_WORDS]), *self._words_floor)
        return s
