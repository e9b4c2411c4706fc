"""An operator's own labelled prompts as evidence for the quality calibration.

A labels file is a CSV with a header: ``prompt``, ``model`` (a model an endpoint of the config
serves) and ``correct`` (0/1, true/false, yes/no) or ``score`` (a number in [0, 1]); an optional
``use_case`` column names the use case the prompt belongs to (default: ``default``). Each row is
replayed as the gateway replays `/v1/feedback`: the ContextAgent analyses the prompt, the
RouterAgent says what it expected of that model for it, and the judged answer is evidence for
the (task type, model) calibration factor (`agents.learning.QualityBeliefs`). The result is a
calibration file the gateway starts from (`quality.calibration_path`), and that feedback then
keeps updating.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Final

from mecrouter.agents.context import ContextAgent
from mecrouter.agents.learning import QualityBeliefs
from mecrouter.agents.router import RouterAgent
from mecrouter.config import Config
from mecrouter.errors import InvalidRequestError
from mecrouter.types import InferenceRequest

__all__ = ["Label", "calibrate", "read_labels"]

_TRUE: Final = {"1", "1.0", "true", "yes", "y", "correct", "good"}
_FALSE: Final = {"0", "0.0", "false", "no", "n", "wrong", "bad"}


@dataclass(frozen=True, slots=True)
class Label:
    """One judged answer: `model` answered `prompt` with quality `score` (1 good, 0 bad)."""

    prompt: str
    model: str
    score: float
    use_case: str = "default"


def read_labels(path: Path, models: Iterable[str], use_cases: Iterable[str]) -> list[Label]:
    """The rows of a labels CSV. Every bad row is named with its line number (the first
    ten, then how many more) in one InvalidRequestError on field ``labels``."""
    known_models, known_use_cases = sorted(set(models)), set(use_cases)
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            header = [h.strip() for h in reader.fieldnames or []]
            rows = list(reader)
    except FileNotFoundError as exc:
        raise InvalidRequestError("labels", f"no file at {path}") from exc
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise InvalidRequestError("labels", f"{path} is not a readable CSV: {exc}") from exc
    missing = [c for c in ("prompt", "model") if c not in header]
    if missing or not ({"correct", "score"} & set(header)):
        want = missing + ([] if {"correct", "score"} & set(header) else ["correct or score"])
        raise InvalidRequestError("labels", f"{path} has no column {', '.join(want)}")
    labels: list[Label] = []
    bad: list[str] = []
    for line, raw in enumerate(rows, start=2):  # line 1 is the header
        row = {(k or "").strip(): (v or "").strip() for k, v in raw.items()}
        prompt, model = row.get("prompt", ""), row.get("model", "")
        use_case = row.get("use_case") or "default"
        score, reason = _score(row)
        if not prompt:
            reason = "empty prompt"
        elif model not in known_models:
            reason = f"model {model!r} is served by no endpoint (known: {', '.join(known_models)})"
        elif use_case not in known_use_cases:
            reason = f"use case {use_case!r} is not in the config"
        if reason:
            bad.append(f"line {line}: {reason}")
        else:
            labels.append(Label(prompt, model, score, use_case))
    if bad:
        raise InvalidRequestError.of_many("labels", bad, "bad rows", prefix=f"{path}: ")
    if not labels:
        raise InvalidRequestError("labels", f"{path} holds no labelled rows")
    return labels


def _score(row: dict[str, str]) -> tuple[float, str]:
    """The row's score in [0, 1], or why it has none."""
    if row.get("score"):
        try:
            value = float(row["score"])
        except ValueError:
            return 0.0, f"score {row['score']!r} is not a number"
        if not 0.0 <= value <= 1.0:
            return 0.0, f"score {value:g} is not in [0, 1]"
        return value, ""
    text = row.get("correct", "").lower()
    if text in _TRUE:
        return 1.0, ""
    if text in _FALSE:
        return 0.0, ""
    return 0.0, f"correct {row.get('correct', '')!r} is not 0/1, true/false or yes/no"


def calibrate(config: Config, labels: Iterable[Label], beliefs: QualityBeliefs) -> None:
    """Add each label to `beliefs` as the gateway adds a user's feedback: the evidence is the
    label's score against what the router expected of the model for that prompt (the
    expectation of the first endpoint in the config that serves the model)."""
    context_agent, router = ContextAgent(config), RouterAgent(config)
    endpoint_of: dict[str, str] = {}
    for ep in config.endpoints:
        endpoint_of.setdefault(ep.model, ep.id)
    for label in labels:
        request = InferenceRequest(content=label.prompt, use_case=label.use_case)
        context = context_agent.analyze_request(request)
        expected = router.prior_quality_of(context, endpoint_of[label.model])
        beliefs.observe(context.task_type or "chat", label.model, label.score, expected)
