"""Fit the privacy detector's trained second stage (`mecrouter privacy-train`).

The model of `mecrouter.agents.privacy_model` is a logistic regression (scikit-learn, lbfgs,
deterministic) fitted on the corpus's tuning splits (`TUNING_SPLITS`: **train, dev, dev2 to
dev10**) and the general prompts below; no test split is ever read here. Its rows are built by
the shipped feature functions, so what is fitted is what runs: one row per sentence of every
prompt (`health_chunks`, `health_features`), positive when it overlaps a health statement the
generator wrote.

Ordinary text holds no health statement, yet the corpus's only public prompts are its
number-heavy negatives: fitted on the corpus alone, the model learns the frames' words as "not
health" and any other word as "health" (a docstring would be raised). So the prompts of three
RouterBench **train** files (`GENERAL_SETS`: science questions, programming tasks and sentences
about people doing ordinary things, in English) join as rows without health content, each file
one template, less their sentences in which the rules find health content.

The threshold is chosen on out-of-fold scores of a **grouped** k-fold (`template_folds`): whole
templates are held out, since a template's prompts share a frame and its wording, and any prompt
holding a health statement that a held-out prompt holds is left out of the fit too, so no score
is for wording the model has seen. It is the score above which at most `FALSE_RAISE` of the
held-out prompts (corpus and RouterBench) that the rules call public, that may be about someone
and that hold no health statement would be raised.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import numpy as np

from mecrouter.agents.privacy import detect_privacy, fold_text, may_be_about_someone
from mecrouter.agents.privacy import rule_findings as rules
from mecrouter.agents.privacy_model import (
    HEALTH_BITS,
    HealthModel,
    chunk_words,
    health_chunks,
    health_features,
)
from mecrouter.eval.privacy_eval import PrivacyEval, evaluate_privacy
from mecrouter.eval.privacy_fit import FOLDS, Rows, fit_linear, matrix, score, template_folds
from mecrouter.privacy_labels import LabelledPrompt
from mecrouter.types import PrivacyLevel

__all__ = [
    "C_HEALTH",
    "FALSE_RAISE",
    "GENERAL_SETS",
    "Fitted",
    "fit_health_model",
    "general_prompts",
    "grouped_cv",
    "health_rows",
]

C_HEALTH: Final = 16.0  # inverse L2 strength; chosen by the grouped cross-validation
FALSE_RAISE: Final = 0.002  # of held-out rules-public prompts without health content
# RouterBench train files: science questions, programming tasks, and short stories about people
# (Winogrande), all in English.
GENERAL_SETS: Final = ("arc_challenge", "mbpp", "winograde")
GENERAL: Final = "routerbench"  # the domain of their prompts (no corpus prompt has it)


@dataclass(slots=True)
class Fitted:
    """The model fitted on every prompt, and what the grouped cross-validation measured."""

    model: HealthModel
    folds: list[HealthModel]  # one per held-out fold, with the chosen threshold
    fold_of: list[int]  # each prompt's held-out fold
    report: dict[str, object]


def general_prompts(routerbench: Path) -> list[LabelledPrompt]:
    """The prompts of the `GENERAL_SETS` train files in `routerbench` (the test files are never
    opened), as public prompts without entities; each file is one template."""
    from mecrouter.quality.data import read_split

    split = read_split(routerbench / f"{name}_train.csv" for name in GENERAL_SETS)
    return [
        LabelledPrompt(
            id=f"routerbench-{name}-{i}",
            split="train",
            lang="en",
            domain=GENERAL,
            level="public",
            text=text,
            entities=(),
            template=f"routerbench-{name}",
            negative=False,
        )
        for i, (text, name) in enumerate(zip(split.prompts, split.datasets, strict=True))
    ]


def health_rows(prompts: Sequence[LabelledPrompt]) -> Rows:
    """One row per sentence (`health_chunks`), positive when it overlaps a health statement.
    A sentence of a general prompt (`general_prompts`) in which the rules find health content
    is left out: no one labelled it, and it may well be about someone's health."""
    rows = Rows()
    for k, p in enumerate(prompts):
        text = fold_text(p.text).text
        statements = [(e.start, e.end) for e in p.entities if e.type == "health"]
        for s, e in health_chunks(text):
            feats = health_features(chunk_words(text, s, e))
            if not feats or (p.domain == GENERAL and rules(fold_text(text[s:e]))[1]):
                continue
            rows.add(feats, int(any(a < e and s < b for a, b in statements)), k, (s, e))
    return rows


def _statements(p: LabelledPrompt) -> set[str]:
    return {e.value for e in p.entities if e.type == "health"}


def _health_out_of_fold(
    prompts: Sequence[LabelledPrompt], rows: Rows, fold_of: list[int]
) -> tuple[np.ndarray, list[tuple[np.ndarray, float]]]:
    """Each prompt's best sentence score from the model fitted without its fold (nor any
    prompt sharing a health statement with that fold); the fold models."""
    x = matrix(rows.features, HEALTH_BITS)
    y = np.asarray(rows.labels)
    row_prompt = np.asarray(rows.prompt, dtype=np.int64)
    row_fold = np.asarray(fold_of)[row_prompt]
    logits = np.zeros(len(y))
    models = []
    for f in range(FOLDS):
        seen = set().union(
            *(_statements(p) for p, g in zip(prompts, fold_of, strict=True) if g == f)
        )
        shares = np.asarray([bool(_statements(p) & seen) for p in prompts])
        fit = (row_fold != f) & ~shares[row_prompt]
        w, b = fit_linear(x[fit], y[fit], C_HEALTH)
        logits[row_fold == f] = score(x[row_fold == f], w, b)
        models.append((w, b))
    best = np.full(len(prompts), -np.inf)
    np.maximum.at(best, row_prompt, logits)
    return best, models


def _top(scores: np.ndarray, allowed: float) -> float:
    """A threshold that at most `allowed` of `scores` exceed: halfway between the score at that
    rank and the next higher one, since a template's prompts often tie (and the shipped model
    sums its weights in another order than the matrix product here)."""
    ranked = np.sort(scores[np.isfinite(scores)])[::-1]
    at = float(ranked[min(int(allowed * len(scores)), len(ranked) - 1)])
    higher = ranked[ranked > at + 1e-9]
    return (at + float(higher.min())) / 2 if higher.size else at + 1e-6


def _health_report(
    prompts: Sequence[LabelledPrompt], oof: np.ndarray, public: np.ndarray, threshold: float
) -> dict[str, object]:
    health = np.asarray([bool(_statements(p)) for p in prompts])
    negative = np.asarray([p.negative for p in prompts])
    only_health = np.asarray([{e.type for e in p.entities} == {"health"} for p in prompts])
    hit = oof > threshold
    by_category: dict[str, list[bool]] = {}
    for p, h in zip(prompts, hit, strict=True):
        for c in {e.category for e in p.entities if e.type == "health"}:
            by_category.setdefault(c, []).append(bool(h))
    return {
        "threshold": threshold,
        # held-out templates and statements, the model alone (as if the rules had missed them)
        "oof_recall_health_prompts": float(hit[health].mean()),
        "oof_recall_health_only_prompts": float(hit[only_health].mean()),
        "oof_recall_by_category": {c: float(np.mean(v)) for c, v in sorted(by_category.items())},
        # what it adds to the rules: public prompts without health content raised
        "oof_raised_rules_public_without_health": float(hit[public & ~health].mean()),
        "oof_raised_negatives": f"{int((hit & public)[negative].sum())}/{int(negative.sum())}",
    }


def fit_health_model(
    prompts: Sequence[LabelledPrompt],
    general: Sequence[LabelledPrompt] = (),
    progress: Callable[[str], None] | None = None,
) -> Fitted:
    """Cross-validate (grouped by template), choose the threshold, fit on every prompt of the
    corpus `prompts` and the `general` ones (`general_prompts`)."""
    say = progress or (lambda _: None)
    every = [*prompts, *general]
    fold_of = template_folds(every)
    scans = [rules(fold_text(p.text)) for p in every]
    public = np.asarray([not spans and not medical for spans, medical in scans])
    rows = health_rows(every)
    say(f"{len(rows.labels)} sentences, {sum(rows.labels)} with health content")
    oof, fold_models = _health_out_of_fold(every, rows, fold_of)
    asked = np.asarray([may_be_about_someone(fold_text(p.text)) for p in every])
    oof = np.where(asked, oof, -np.inf)  # the model is asked only then
    health = np.asarray([bool(_statements(p)) for p in every])
    threshold = _top(oof[public & ~health], FALSE_RAISE)
    say(f"threshold {threshold:.4f} (grouped {FOLDS}-fold, at most {FALSE_RAISE:.1%} raised)")
    w, b = fit_linear(matrix(rows.features, HEALTH_BITS), np.asarray(rows.labels), C_HEALTH)
    n = len(prompts)
    report: dict[str, object] = {
        "prompts": n,
        "general_prompts": len(general),
        "sentences": len(rows.labels),
        **_health_report(prompts, oof[:n], public[:n], threshold),
        "oof_raised_general": f"{int((oof[n:] > threshold).sum())}/{len(general)}",
    }
    folds = [HealthModel(fw.tolist(), fb, threshold) for fw, fb in fold_models]
    return Fitted(HealthModel(w.tolist(), b, threshold), folds, fold_of, report)


def grouped_cv(prompts: Sequence[LabelledPrompt], fitted: Fitted) -> dict[str, PrivacyEval]:
    """The detector, rules alone and rules with the fold's model, on each held-out fold, the
    folds' prompts pooled: the honest figure for templates the model has not seen (though not
    for the rules, which were tuned on these splits)."""
    order = sorted(range(len(prompts)), key=lambda i: fitted.fold_of[i])  # `prompts` come first
    held = [prompts[i] for i in order]
    queue = iter([fitted.folds[fitted.fold_of[i]] for i in order])

    def with_fold_model(text: str) -> tuple[PrivacyLevel, tuple[str, ...]]:
        return detect_privacy(text, model=next(queue))

    return {
        "rules": evaluate_privacy(held, lambda t: detect_privacy(t, model=None)),
        "rules+model": evaluate_privacy(held, with_fold_model),
    }
