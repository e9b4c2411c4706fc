"""What the privacy detector's trained stage is fitted with (`mecrouter.eval.privacy_train`):
rows of hashed features, a sparse matrix scaled as `HealthModel.sentence_logit` scales a row, a
deterministic logistic regression, and folds of whole templates."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
from scipy.sparse import csr_matrix  # type: ignore[import-untyped]  # no stubs installed

from mecrouter.privacy_labels import LabelledPrompt

__all__ = ["FOLDS", "Rows", "fit_linear", "matrix", "score", "template_folds"]

FOLDS: Final = 5


@dataclass(slots=True)
class Rows:
    """Feature rows (bucket indexes, one per occurrence), labels, and each row's prompt and
    (start, end) in it."""

    features: list[list[int]] = field(default_factory=list)
    labels: list[int] = field(default_factory=list)
    prompt: list[int] = field(default_factory=list)
    span: list[tuple[int, int]] = field(default_factory=list)

    def add(self, feats: list[int], label: int, prompt: int, span: tuple[int, int]) -> None:
        self.features.append(feats)
        self.labels.append(label)
        self.prompt.append(prompt)
        self.span.append(span)


def matrix(rows: Sequence[list[int]], bits: int) -> csr_matrix:
    """Counts per bucket, each row scaled by 1/sqrt(its feature count), as the model scores."""
    indptr, indices, data = [0], [], []
    for feats in rows:
        scale = 1.0 / math.sqrt(len(feats)) if feats else 0.0
        indices.extend(feats)
        data.extend([scale] * len(feats))
        indptr.append(len(indices))
    m = csr_matrix((data, indices, indptr), shape=(len(rows), 1 << bits), dtype=np.float64)
    m.sum_duplicates()
    return m


def fit_linear(x: csr_matrix, y: np.ndarray, c: float) -> tuple[np.ndarray, float]:
    """L2 logistic regression (lbfgs: deterministic for the same rows): float32 weights, bias."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(C=c, solver="lbfgs", max_iter=5000, tol=1e-8)
    clf.fit(x, y)
    return clf.coef_[0].astype(np.float32), float(clf.intercept_[0])


def score(x: csr_matrix, weights: np.ndarray, bias: float) -> np.ndarray:
    """Each row's logit, with the weights as shipped (float32)."""
    return np.asarray(x @ weights.astype(np.float64)).reshape(-1) + bias


def template_folds(prompts: Sequence[LabelledPrompt], k: int = FOLDS) -> list[int]:
    """Each prompt's fold: whole templates, the largest first to the emptiest fold, ties by
    name, so the folds are the same on every run and about equal in size."""
    sizes: dict[str, int] = {}
    for p in prompts:
        sizes[p.template] = sizes.get(p.template, 0) + 1
    load = [0] * k
    fold_of: dict[str, int] = {}
    for template in sorted(sizes, key=lambda t: (-sizes[t], t)):
        f = load.index(min(load))
        fold_of[template] = f
        load[f] += sizes[template]
    return [fold_of[p.template] for p in prompts]
