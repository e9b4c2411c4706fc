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
processes, and `save`/`load_file` write and read it as a calibration file: what `mecrouter
train-quality --labels` learns from an operator's own labelled prompts, and the gateway starts
from (`quality.calibration_path`) before `/v1/feedback` adds to it.
"""

from __future__ import annotations

import json
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from mecrouter.config import QualityConfig
from mecrouter.errors import ConfigError

__all__ = ["CALIBRATION_FORMAT", "Belief", "Explore", "QualityBeliefs"]

Explore = Literal["mean", "thompson"]
CALIBRATION_FORMAT = 1


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
        # Told every judged answer observed here as (task type, model, score, expected): the
        # gateway shares them with its replicas (`gateway.shared`).
        self.observer: Callable[[tuple[str, str, float, float]], None] | None = None

    def __len__(self) -> int:
        return len(self._beliefs)

    def observe(
        self, task_type: str, model: str, score: float, expected: float, *, remote: bool = False
    ) -> None:
        """One judged answer of `model` on a `task_type` request: `score` 1 = good, 0 = bad;
        `expected` = the predictor's chance of a good answer for that request and model
        (`remote`: another replica's, not told to `observer` again)."""
        if not 0.0 <= score <= 1.0:
            raise ValueError(f"score must be in [0, 1], got {score}")
        if not 0.0 <= expected <= 1.0:
            raise ValueError(f"expected must be in [0, 1], got {expected}")
        if self.observer is not None and not remote:
            self.observer((task_type, model, score, expected))
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

    def save(self, path: Path) -> None:
        """Write the evidence as a calibration file (JSON)."""
        rows = [
            {"task_type": t, "model": m, "good": g, "expected": e, "observations": n}
            for t, m, g, e, n in self.export()
        ]
        body = {"format": CALIBRATION_FORMAT, "kind": "quality-calibration", "beliefs": rows}
        path.write_text(json.dumps(body, indent=2) + "\n", encoding="utf-8")

    def load_file(self, path: Path, field: str = "quality.calibration_path") -> None:
        """Add the evidence of a calibration file written by `save`; a missing or malformed file
        is a ConfigError naming `field`."""
        try:
            body: Any = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError as exc:
            raise ConfigError(field, f"no calibration file at {path}") from exc
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ConfigError(field, f"{path} is not a readable calibration file: {exc}") from exc
        if not isinstance(body, dict) or body.get("kind") != "quality-calibration":
            raise ConfigError(field, f"{path} is not a mecrouter quality calibration file")
        if body.get("format") != CALIBRATION_FORMAT:
            raise ConfigError(field, f"{path} has format {body.get('format')!r}; expected 1")
        rows = []
        for k, row in enumerate(body.get("beliefs") or []):
            try:
                task, model = str(row["task_type"]), str(row["model"])
                good, expected = float(row["good"]), float(row["expected"])
                count = int(row["observations"])
            except (KeyError, TypeError, ValueError) as exc:
                raise ConfigError(field, f"{path}: belief {k} is malformed ({exc})") from exc
            if not (math.isfinite(good) and math.isfinite(expected)) or min(good, expected) < 0:
                raise ConfigError(field, f"{path}: belief {k} has a negative or infinite count")
            rows.append((task, model, good, expected, count))
        self.restore(rows)

    @classmethod
    def from_config(cls, config: QualityConfig, seed: int = 0) -> QualityBeliefs:
        """The beliefs `config` asks for, starting from its calibration file if it names one."""
        beliefs = cls(
            prior_strength=config.prior_strength,
            forgetting=config.forgetting,
            explore=config.explore,
            seed=seed,
        )
        if config.calibration_path:
            beliefs.load_file(Path(config.calibration_path))
        return beliefs
