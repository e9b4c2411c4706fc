"""How well the privacy detector finds what a labelled corpus says is there (`eval-privacy`).

The corpus (`mecrouter.eval.privacy_corpus`) is labelled by construction: its generator knows
which identifiers and which health statements it wrote into each prompt, and its labelling guide
turns them into a level. The detector never wrote a label. This module runs the detector on
every prompt and compares:

- **level recall**: of the prompts labelled regulated, the share the detector calls regulated
  (anything less lets regulated data reach the cloud); of those labelled sensitive, the share it
  calls sensitive or regulated (erring private is safe);
- **false-private rate**: of the negatives (number-heavy text private to no one), the share it
  calls anything but public;
- **per entity type**: recall (prompts holding the type in which the detector reports its kind)
  and precision (prompts in which it reports the kind that hold the type); the corpus's `health`
  is the detector's `medical_term`;
- the same recalls per language and per health category, and the detector's time per prompt.

The three level rates also carry a 95% interval from a bootstrap that resamples whole templates
(`mecrouter.intervals`): a template's prompts share a frame and its wording, so they stand or
fall together, and a split with few negative templates measures its false-private rate in steps
of one template.
"""

from __future__ import annotations

import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np

from mecrouter.intervals import group_interval, ratio
from mecrouter.privacy_labels import LabelledPrompt
from mecrouter.types import PrivacyLevel

__all__ = [
    "TARGETS",
    "PrivacyEval",
    "Rate",
    "detector_kind",
    "evaluate_privacy",
]

Detector = Callable[[str], tuple[PrivacyLevel, tuple[str, ...]]]

# The targets on the held-out (test) split.
TARGETS: Final = {"regulated_recall": 0.99, "sensitive_recall": 0.97, "false_private": 0.02}
_LEVEL: Final = {
    "public": PrivacyLevel.PUBLIC,
    "sensitive": PrivacyLevel.SENSITIVE,
    "regulated": PrivacyLevel.REGULATED,
}


def detector_kind(entity_type: str) -> str:
    """The detector's finding kind for a corpus entity type (the names are shared, except that
    the corpus's health statements are the detector's medical terms)."""
    return "medical_term" if entity_type == "health" else entity_type


@dataclass(frozen=True, slots=True)
class Rate:
    """`hits` of `n`, and the share (None for none); for a level rate, also the number of
    templates the prompts came from and the share's 95% interval over templates."""

    hits: int
    n: int
    templates: int | None = None
    ci95: tuple[float, float] | None = None

    @property
    def share(self) -> float | None:
        return self.hits / self.n if self.n else None

    def to_json(self) -> dict[str, object]:
        out: dict[str, object] = {"hits": self.hits, "n": self.n, "share": self.share}
        if self.templates is not None:
            out["templates"] = self.templates
            out["ci95"] = None if self.ci95 is None else list(self.ci95)
        return out


@dataclass(slots=True)
class PrivacyEval:
    """What `evaluate_privacy` measured; every rate keeps its counts."""

    prompts: int
    regulated_recall: Rate
    sensitive_recall: Rate
    false_private: Rate
    confusion: dict[str, dict[str, int]]  # true level -> predicted level -> prompts
    entity_recall: dict[str, Rate]
    entity_precision: dict[str, Rate]
    by_language: dict[str, dict[str, Rate]]  # language -> the three level rates
    health_recall: dict[str, Rate]  # health category -> medical_term found
    detect_us: dict[str, float] = field(default_factory=dict)  # p50, p99, mean; chars
    missed: list[dict[str, object]] = field(default_factory=list)  # a few, for the report

    def meets_targets(self) -> dict[str, bool]:
        """Whether each measured level rate meets its target; a rate with no prompts (the
        recalls of a negatives-only split) is neither met nor missed, and is left out."""
        got = {
            "regulated_recall": self.regulated_recall.share,
            "sensitive_recall": self.sensitive_recall.share,
            "false_private": self.false_private.share,
        }
        return {
            name: value <= target if name == "false_private" else value >= target
            for name, target in TARGETS.items()
            for value in (got[name],)
            if value is not None
        }

    def to_json(self) -> dict[str, object]:
        def rates(d: dict[str, Rate]) -> dict[str, object]:
            return {k: v.to_json() for k, v in sorted(d.items())}

        return {
            "prompts": self.prompts,
            "targets": TARGETS,
            "meets_targets": self.meets_targets(),
            "regulated_recall": self.regulated_recall.to_json(),
            "sensitive_recall": self.sensitive_recall.to_json(),
            "false_private": self.false_private.to_json(),
            "confusion": self.confusion,
            "entity_recall": rates(self.entity_recall),
            "entity_precision": rates(self.entity_precision),
            "by_language": {k: rates(v) for k, v in sorted(self.by_language.items())},
            "health_recall": rates(self.health_recall),
            "detect_us": self.detect_us,
            "missed_examples": self.missed,
        }


class _Tally:
    """Hits and totals per key."""

    def __init__(self) -> None:
        self.hits: Counter[str] = Counter()
        self.n: Counter[str] = Counter()

    def add(self, key: str, hit: bool) -> None:
        self.n[key] += 1
        self.hits[key] += hit

    def rates(self) -> dict[str, Rate]:
        return {k: Rate(self.hits[k], self.n[k]) for k in self.n}


def evaluate_privacy(
    prompts: Sequence[LabelledPrompt],
    detect: Detector | None = None,
    *,
    on_progress: Callable[[int], None] | None = None,
    keep_missed: int = 20,
) -> PrivacyEval:
    """Run `detect` (the shipped detector when None) on every prompt and compare with its labels.
    `on_progress(k)` is called after every k prompts."""
    if detect is None:
        from mecrouter.agents.privacy import detect_privacy

        detect = detect_privacy
    levels = _Tally()
    by_template: dict[str, _Tally] = defaultdict(_Tally)  # level rate -> template -> hits
    langs: dict[str, _Tally] = defaultdict(_Tally)
    recall, precision, health = _Tally(), _Tally(), _Tally()
    confusion: dict[str, Counter[str]] = defaultdict(Counter)
    times: list[float] = []
    missed: list[dict[str, object]] = []
    for k, p in enumerate(prompts, 1):
        t0 = time.perf_counter_ns()
        level, kinds = detect(p.text)
        times.append((time.perf_counter_ns() - t0) / 1000.0)
        confusion[p.level][level.value] += 1
        for name, hit in _level_hits(p, level):
            levels.add(name, hit)
            by_template[name].add(p.template or p.id, hit)
            langs[p.lang].add(name, hit)
            wrong = hit if name == "false_private" else not hit
            if wrong and len(missed) < keep_missed:
                missed.append({"id": p.id, "label": p.level, "got": level.value, "text": p.text})
        found = set(kinds)
        truth = {detector_kind(e.type) for e in p.entities}
        for kind in truth:
            recall.add(kind, kind in found)
        for kind in found:
            precision.add(kind, kind in truth)
        for category in {e.category for e in p.entities if e.type == "health"}:
            health.add(category or "general", "medical_term" in found)
        if on_progress is not None and k % 100 == 0:
            on_progress(100)
    rates = {k: _clustered(r, by_template[k]) for k, r in levels.rates().items()}
    empty = Rate(0, 0)
    return PrivacyEval(
        prompts=len(prompts),
        regulated_recall=rates.get("regulated_recall", empty),
        sensitive_recall=rates.get("sensitive_recall", empty),
        false_private=rates.get("false_private", empty),
        confusion={t: dict(c) for t, c in sorted(confusion.items())},
        entity_recall=recall.rates(),
        entity_precision=precision.rates(),
        by_language={lang: t.rates() for lang, t in langs.items()},
        health_recall=health.rates(),
        detect_us=_timing(times, prompts),
        missed=missed,
    )


def _clustered(rate: Rate, templates: _Tally) -> Rate:
    """`rate` with its template count and its 95% interval over templates (seeded: a run
    repeats); one template gives no interval."""
    keys = sorted(templates.n)
    hits = np.asarray([templates.hits[k] for k in keys], dtype=np.float64)
    n = np.asarray([templates.n[k] for k in keys], dtype=np.float64)
    return Rate(
        rate.hits, rate.n, len(keys), group_interval((hits, n), ratio, np.random.default_rng(0))
    )


def _level_hits(p: LabelledPrompt, got: PrivacyLevel) -> Iterable[tuple[str, bool]]:
    """The level rates a prompt counts in, and whether the detector's level is a hit there. A
    false-private counts as the hit of `false_private` (its rate is the share gone wrong)."""
    want = _LEVEL[p.level]
    if want is PrivacyLevel.REGULATED:
        yield "regulated_recall", got is PrivacyLevel.REGULATED
    elif want is PrivacyLevel.SENSITIVE:
        yield "sensitive_recall", got >= PrivacyLevel.SENSITIVE
    if p.negative:
        yield "false_private", got is not PrivacyLevel.PUBLIC


def _timing(times_us: Sequence[float], prompts: Sequence[LabelledPrompt]) -> dict[str, float]:
    if not times_us:
        return {}
    t = np.asarray(times_us)
    chars = np.asarray([len(p.text) for p in prompts], dtype=np.float64)
    return {
        "p50": float(np.percentile(t, 50)),
        "p99": float(np.percentile(t, 99)),
        "mean": float(t.mean()),
        "mean_chars": float(chars.mean()),
    }
