"""Online quality beliefs: what the router learns from outcomes and user feedback.

The quality predictor (`mecrouter.quality`) says, per request, how likely each model is to answer
well. What actually happens can drift away from it: a MEC model is swapped for a worse
quantisation, the prompt mix changes. `QualityBeliefs` learns, per (task type, model), how far
reality is from the predictor, as a multiplicative calibration factor `r`:

    evidence   good = sum of feedback scores (1 = good answer, 0 = bad; fractions allowed)
               expected = sum of what the predictor expected for those same answers
    posterior  r ~ Gamma(n0 + good, n0 + expected)      (conjugate: good answers are Poisson-like
               with rate r x expected; n0 pseudo-observations centre the prior on r = 1)
    estimate   min(1, p x E[r])   or, with Thompson sampling, min(1, p x a draw of r)

Why a factor and not a Beta over the raw success rate per key: a key pools many prompts; a Beta
mean would pull every prompt's estimate to the pool's average and erase what the predictor
knows per prompt. The factor keeps the per-prompt ranking and only moves the level, and with no
drift it stays at 1 (good matches expected), so learning costs nothing when nothing changed.

Evidence fades (`forgetting` per new observation of the same key, an exponential window of
~1 / (1 - forgetting) observations) so the factor follows a model that degrades, or recovers.
With `explore="thompson"` (as LiteLLM's adaptive router) keys that have evidence are scored with
a draw from the posterior, so a model that looked bad is still tried now and then in proportion
to how unsure we are; `"mean"` is deterministic. Keys without evidence use the predictor as is.

Plain in-memory state, updated synchronously from feedback; `export`/`restore` move it between
processes.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from mecrouter.config import QualityConfig

__all__ = ["Belief", "Explore", "QualityBeliefs"]

Explore = Literal["mean", "thompson"]


@dataclass(slots=True)
class Belief:
    """Discounted evidence for one (task type, model): good answers and expected good answers."""

    good: float = 0.0
    expected: float = 0.0
    count: int = 0  # observations ever (not discounted), for reporting


class QualityBeliefs:
    """Per-(task type, model) calibration of the quality predictor, learned from feedback."""

    def __init__(
        self,
        *,
        prior_strength: float = 50.0,
        forgetting: float = 0.998,
        explore: Explore = "mean",
        seed: int = 0,
    ) -> None:
        if prior_strength <= 0:
            raise ValueError("prior_strength must be > 0")
        if not 0.0 < forgetting <= 1.0:
            raise ValueError("forgetting must be in (0, 1]")
        self.prior_strength = prior_strength
        self.forgetting = forgetting
        self.explore: Explore = explore
        self._beliefs: dict[tuple[str, str], Belief] = {}
        self._rng = random.Random(seed)

    def __len__(self) -> int:
        return len(self._beliefs)

    def observe(self, task_type: str, model: str, score: float, expected: float) -> None:
        """One judged answer of `model` on a `task_type` request: `score` 1 = good, 0 = bad;
        `expected` = the predictor's chance of a good answer for that request and model."""
        if not 0.0 <= score <= 1.0:
            raise ValueError(f"score must be in [0, 1], got {score}")
        if not 0.0 <= expected <= 1.0:
            raise ValueError(f"expected must be in [0, 1], got {expected}")
        key = (task_type, model)
        b = self._beliefs.get(key)
        if b is None:
            b = self._beliefs[key] = Belief()
        f = self.forgetting
        b.good = b.good * f + score
        b.expected = b.expected * f + expected
        b.count += 1

    def factor(self, task_type: str, model: str) -> float:
        """The posterior mean of the calibration factor (1 without evidence)."""
        b = self._beliefs.get((task_type, model))
        if b is None:
            return 1.0
        n0 = self.prior_strength
        return (n0 + b.good) / (n0 + b.expected)

    def estimate(self, task_type: str, model: str, prior: float) -> float:
        """The quality to route on: the predictor's `prior` times the learned factor (a
        Thompson draw of it under `explore="thompson"`), at most 1."""
        b = self._beliefs.get((task_type, model))
        if b is None:
            return prior
        n0 = self.prior_strength
        shape, rate = n0 + b.good, n0 + b.expected
        r = (
            self._rng.gammavariate(shape, 1.0) / rate
            if self.explore == "thompson"
            else shape / rate
        )
        q = prior * r
        return q if q < 1.0 else 1.0

    def snapshot(self) -> dict[str, dict[str, float]]:
        """Evidence per "task_type/model", for `/v1/feedback` answers and reports."""
        return {
            f"{task}/{model}": {
                "good": round(b.good, 4),
                "expected": round(b.expected, 4),
                "observations": b.count,
                "factor": round(self.factor(task, model), 4),
            }
            for (task, model), b in sorted(self._beliefs.items())
        }

    def export(self) -> list[tuple[str, str, float, float, int]]:
        return [(t, m, b.good, b.expected, b.count) for (t, m), b in sorted(self._beliefs.items())]

    def restore(self, rows: list[tuple[str, str, float, float, int]]) -> None:
        for task, model, good, expected, count in rows:
            self._beliefs[(task, model)] = Belief(float(good), float(expected), int(count))

    @classmethod
    def from_config(cls, config: QualityConfig, seed: int = 0) -> QualityBeliefs:
        return cls(
            prior_strength=config.prior_strength,
            forgetting=config.forgetting,
            explore=config.explore,
            seed=seed,
        )
