"""The simulated world's truth about answer quality, independent of what the router believes.

A policy is judged by what its answers are worth, so the world's quality must not come from the
predictor the router decides with. Two yardsticks:

- **labelled** (the `quality` scenario): each request carries a real prompt from the RouterBench
  *test* splits, with every model's recorded correctness on it. Each endpoint names the
  RouterBench model it stands for (`benchmark_model` in config), and an answer is good if and
  only if that model got that prompt right.
- **capability** (the seed scenarios, whose prompts carry no labels): the serving model's
  capability against the complexity the ContextAgent judged (`capability_fit`), the figure the
  demo reports. It is not a judged answer, and out of its training domain the router's quality
  prior shrinks toward the same formula: the report says so.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np
import numpy.typing as npt

from mecrouter.config import Config, EndpointConfig
from mecrouter.datadir import data_dir
from mecrouter.errors import ConfigError
from mecrouter.prediction import capability_fit, required_capability
from mecrouter.quality.data import MODELS, load_test

__all__ = ["YARDSTICKS", "LabelledPrompts", "capability_truth", "labelled_prompts"]

YARDSTICKS: Final = {
    "labelled": "RouterBench test-split outcomes: an answer is good if and only if the "
    "endpoint's benchmark_model answered that prompt correctly",
    "capability": "capability yardstick: the serving model's capability against the "
    "complexity the ContextAgent judged (capability_fit), not a judged answer; the router's "
    "quality prior shrinks toward the same formula where its predictor has no support",
}


@dataclass(frozen=True, slots=True)
class LabelledPrompts:
    """Test-split prompts and, per endpoint of the config, whether its model got each right."""

    prompts: tuple[str, ...]
    datasets: tuple[str, ...]
    endpoints: tuple[str, ...]  # endpoint ids, the columns of `good`
    good: npt.NDArray[np.float64]  # (prompts, endpoints): 1.0 right, 0.0 wrong

    def truth(self, row: int) -> dict[str, float]:
        return dict(zip(self.endpoints, self.good[row].tolist(), strict=True))


def labelled_prompts(config: Config, data: Path | None = None) -> LabelledPrompts:
    """The RouterBench test prompts with an outcome for every endpoint's `benchmark_model`
    (rows missing one of those outcomes are left out; a repeated prompt is kept once)."""
    columns = [_benchmark_model(ep) for ep in config.endpoints]
    split = load_test(data_dir(data)).complete_for(sorted(set(columns)))
    cols = split.columns(columns)
    _, first = np.unique(np.array(split.prompts, dtype=object), return_index=True)
    keep = np.sort(first)
    return LabelledPrompts(
        prompts=tuple(split.prompts[i] for i in keep),
        datasets=tuple(split.datasets[i] for i in keep),
        endpoints=tuple(ep.id for ep in config.endpoints),
        good=np.ascontiguousarray(
            split.correct[np.ix_(keep, np.array(cols, dtype=np.intp))], dtype=np.float64
        ),
    )


def capability_truth(endpoints: Sequence[EndpointConfig], complexity: float) -> dict[str, float]:
    """The capability yardstick of each endpoint for a request of this complexity."""
    required = required_capability(complexity)
    return {ep.id: capability_fit(ep.capability, required) for ep in endpoints}


def _benchmark_model(ep: EndpointConfig) -> str:
    field = f"endpoints.{ep.id}.benchmark_model"
    if ep.benchmark_model is None:
        raise ConfigError(
            field,
            "a labelled scenario judges each answer by the RouterBench model the endpoint "
            f"stands for; name one of: {', '.join(MODELS)}",
        )
    if ep.benchmark_model not in MODELS:
        raise ConfigError(
            field, f"unknown RouterBench model {ep.benchmark_model!r}; known: {', '.join(MODELS)}"
        )
    return ep.benchmark_model
