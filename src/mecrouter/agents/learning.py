"""Online quality beliefs: what the router learns from outcomes and user feedback.

The quality predictor (`mecrouter.quality`) says, before anything is served, how likely each model
is to answer a prompt well. What actually happens can drift away from that: a MEC model is
swapped for a worse quantisation, a prompt mix changes. `QualityBeliefs` keeps, per (task type,
model), a Beta posterior over "this model's answers are good", centred on the predictor:

    prior        Beta(n0 * p, n0 * (1 - p))      p = the predictor's estimate for this request
    evidence     a good, b bad (feedback scores in [0, 1]: a += s, b += 1 - s)
    estimate     (n0 * p + a) / (n0 + a + b)     (or a Thompson draw from that Beta)

so with no evidence the router uses the predictor as is, and evidence moves the estimate in
proportion to how much of it there is. Evidence fades (`forgetting` per new observation of the
same key, an exponential window of ~1 / (1 - forgetting) observations) so the beliefs follow a
model that degrades, or recovers.

With `explore="thompson"` (LiteLLM's adaptive router and the bandit literature's choice) the
router draws the estimate from the posterior for keys that have evidence, so a model that looked
bad still gets tried now and then in proportion to how unsure we are; `"mean"` is deterministic.
Keys without evidence always use the predictor's estimate (nothing to explore on yet).

It is plain in-memory state, updated synchronously from MonitorAgent records and feedback;
`export`/`restore` move it between processes (a gateway restart keeps what it learned).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Final, Literal

from mecrouter.config import QualityConfig

__all__ = ["Belief", "Explore", "QualityBeliefs"]

Explore = Literal["mean", "thompson"]
_MIN_PSEUDO: Final = 1e-3  # keeps Beta parameters positive for p in {0, 1}


@dataclass(slots=True)
class Belief:
    """Discounted evidence for one (task type, model): good and bad observations."""

    good: float = 0.0
    bad: float = 0.0
    count: int = 0  # observations ever (not discounted), for reporting

    @property
    def weight(self) -> float:
        return self.good + self.bad


class QualityBeliefs:
    """Per-(task type, model) quality evidence on top of the predictor's per-request prior."""

    def __init__(
        self,
        *,
        prior_strength: float = 20.0,
        forgetting: float = 0.995,
        explore: Explore = "thompson",
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
        self.version = 0  # bumped on every observation (cheap staleness check for callers)

    def __len__(self) -> int:
        return len(self._beliefs)

    def observe(self, task_type: str, model: str, score: float) -> None:
        """One judged answer of `model` on a `task_type` request: score 1 = good, 0 = bad."""
        if not 0.0 <= score <= 1.0:
            raise ValueError(f"score must be in [0, 1], got {score}")
        key = (task_type, model)
        b = self._beliefs.get(key)
        if b is None:
            b = self._beliefs[key] = Belief()
        f = self.forgetting
        b.good = b.good * f + score
        b.bad = b.bad * f + (1.0 - score)
        b.count += 1
        self.version += 1

    def has_evidence(self, task_type: str, model: str) -> bool:
        return (task_type, model) in self._beliefs

    def estimate(self, task_type: str, model: str, prior: float) -> float:
        """The quality to route on: the predictor's `prior` moved by the evidence (if any)."""
        b = self._beliefs.get((task_type, model))
        if b is None:
            return prior
        n0 = self.prior_strength
        alpha = n0 * prior + b.good
        beta = n0 * (1.0 - prior) + b.bad
        if self.explore == "thompson":
            return self._rng.betavariate(max(alpha, _MIN_PSEUDO), max(beta, _MIN_PSEUDO))
        return alpha / (alpha + beta)

    def mean(self, task_type: str, model: str, prior: float) -> float:
        """The posterior mean (never a draw): for reports and decisions' explanations."""
        b = self._beliefs.get((task_type, model))
        if b is None:
            return prior
        n0 = self.prior_strength
        return (n0 * prior + b.good) / (n0 + b.weight)

    def snapshot(self) -> dict[str, dict[str, float]]:
        """Evidence per "task_type/model", for `/v1/learning` and the dashboard."""
        return {
            f"{task}/{model}": {
                "good": round(b.good, 4),
                "bad": round(b.bad, 4),
                "observations": b.count,
                "observed_quality": round(b.good / b.weight, 4) if b.weight else 0.0,
            }
            for (task, model), b in sorted(self._beliefs.items())
        }

    def export(self) -> list[tuple[str, str, float, float, int]]:
        return [(t, m, b.good, b.bad, b.count) for (t, m), b in sorted(self._beliefs.items())]

    def restore(self, rows: list[tuple[str, str, float, float, int]]) -> None:
        for task, model, good, bad, count in rows:
            self._beliefs[(task, model)] = Belief(float(good), float(bad), int(count))
        self.version += 1

    @classmethod
    def from_config(cls, config: QualityConfig, seed: int = 0) -> QualityBeliefs:
        return cls(
            prior_strength=config.prior_strength,
            forgetting=config.forgetting,
            explore=config.explore,
            seed=seed,
        )
