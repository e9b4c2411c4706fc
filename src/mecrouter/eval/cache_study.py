"""The semantic cache study behind `mecrouter eval-cache`: hit and false-hit curves per threshold.

Every question of a split is cached in a real `SemanticCache`; the probes of
`mecrouter.eval.cache_pairs` (rewordings that keep the answer, hard negatives that change it) look
it up. A *hit* is a look-up whose nearest visible entry reaches the threshold; a *false hit* is
a hit whose cached answer is not the probe's right answer. Per threshold:

* ``hit_rate``: positives served an answer (``correct_hit_rate``: the right one);
* ``false_hit_rate``: negatives served a (wrong) answer: the risk for a request whose answer
  is not cached, independent of how often users repeat themselves;
* ``wrong_share``: of all answers served, the share that is wrong (this depends on the mix:
  here about one positive per negative).

Settings compared: no guards (embedding only) and the guards on (`answer_guard` plus the
small-edit guard) for several ``max_edit_words``. The rule: among the (setting, threshold) points
of the **train** curves where both false-hit rates are <= 1%, take the one with the highest
correct-hit rate (for one setting that is the lowest qualifying threshold: hits only fall as the
threshold rises). The test split is read afterwards, by another reader, and reported at that
point as the held-out check; its curves are plotted but never consulted by the choice.
"""

from __future__ import annotations

import random
import statistics
import time
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Protocol

import numpy as np
import numpy.typing as npt

from mecrouter.agents.response_cache import CachedResponse
from mecrouter.agents.semantic_cache import SemanticCache, SemanticHit
from mecrouter.errors import ConfigError
from mecrouter.eval.cache_pairs import (
    POSITIVE_KINDS,
    DataReader,
    Item,
    Probe,
    build_probes,
)
from mecrouter.types import ComputeTier, PrivacyLevel

__all__ = [
    "EDIT_SETTINGS",
    "THRESHOLDS",
    "Choice",
    "CurvePoint",
    "SplitResult",
    "choose",
    "measure_lookup_ms",
    "nearest_outcomes",
    "run_split",
    "sweep",
]

F32 = npt.NDArray[np.float32]
THRESHOLDS = tuple(round(0.80 + 0.005 * i, 3) for i in range(40))  # 0.800 .. 0.995
EDIT_SETTINGS: tuple[int | None, ...] = (None, 0, 2, 4, 6, 8)  # None: no text, so no guards


class Encoder(Protocol):
    """What the study needs of an embedder: one unit-length row per text."""

    def encode(self, texts: Sequence[str]) -> F32: ...


@dataclass(frozen=True, slots=True)
class Outcome:
    """The nearest visible entry for one probe: its similarity and whether it is right."""

    similarity: float  # -inf when nothing is served at any threshold (none visible, or refused)
    correct: bool


@dataclass(frozen=True, slots=True)
class CurvePoint:
    """The study's figures at one threshold (rates in [0, 1])."""

    threshold: float
    hit_rate: float
    correct_hit_rate: float
    false_hit_rate: float
    wrong_share: float
    by_kind: dict[str, float]  # per probe kind: hit rate (positive kinds) or false-hit rate


@dataclass(frozen=True, slots=True)
class Choice:
    max_edit_words: int | None
    point: CurvePoint


def setting_name(max_edit_words: int | None) -> str:
    return "unguarded" if max_edit_words is None else f"guards,edit<={max_edit_words}"


# --------------------------------------------------------------------------- look-ups and curves


def nearest_outcomes(
    items: Sequence[Item],
    item_vectors: F32,
    probes: Sequence[Probe],
    probe_vectors: F32,
    *,
    max_edit_words: int | None,
) -> list[Outcome]:
    """Cache every item, then look each probe up with threshold -1 (the nearest, if served).

    The nearest entry does not depend on the threshold, so one pass serves every threshold.
    """
    cache = SemanticCache(
        threshold=-1.0,
        ttl_s=float("inf"),
        max_entries=max(1, len(items)),
        max_edit_words=max_edit_words or 0,
    )
    guarded = max_edit_words is not None

    def put(i: int) -> None:
        response = CachedResponse(items[i].answer, "study", ComputeTier.CLOUD, "", 0, 0, 0.0)
        text = items[i].text if guarded else None
        _add(cache, item_vectors[i], str(i), response, text)

    for i in range(len(items)):
        put(i)
    outcomes: list[Outcome] = []
    for probe, vector in zip(probes, probe_vectors, strict=True):
        if probe.leave_out:
            cache.invalidate(str(probe.base), namespace="")
        hit = _lookup(cache, vector, probe.text if guarded else None)
        if probe.leave_out:
            put(probe.base)
        if hit is None:
            outcomes.append(Outcome(float("-inf"), False))
        else:
            outcomes.append(Outcome(hit.similarity, hit.response.text == probe.answer))
    return outcomes


def _add(
    cache: SemanticCache, vector: F32, key: str, response: CachedResponse, text: str | None
) -> None:
    privacy = PrivacyLevel.PUBLIC
    cache.add(
        vector, key, response, namespace="", privacy=privacy, device_id="", now=0.0, text=text
    )


def _lookup(cache: SemanticCache, vector: F32, text: str | None) -> SemanticHit | None:
    privacy = PrivacyLevel.PUBLIC
    return cache.lookup(vector, namespace="", privacy=privacy, device_id="", now=0.0, text=text)


def sweep(
    probes: Sequence[Probe], outcomes: Sequence[Outcome], thresholds: Sequence[float]
) -> list[CurvePoint]:
    """Hit and false-hit rates at each threshold."""
    sims = np.array([o.similarity for o in outcomes])
    right = np.array([o.correct for o in outcomes], dtype=np.bool_)
    positive = np.array([p.positive for p in probes], dtype=np.bool_)
    kinds = np.array([p.kind for p in probes])
    points = []
    for t in thresholds:
        hit = sims >= t
        wrong = hit & ~right
        by_kind = {
            str(k): _rate(hit[kinds == k] if k in POSITIVE_KINDS else wrong[kinds == k])
            for k in sorted(set(kinds.tolist()))
        }
        points.append(
            CurvePoint(
                threshold=float(t),
                hit_rate=_rate(hit[positive]),
                correct_hit_rate=_rate((hit & right)[positive]),
                false_hit_rate=_rate(wrong[~positive]),
                wrong_share=float(wrong.sum() / hit.sum()) if hit.any() else 0.0,
                by_kind=by_kind,
            )
        )
    return points


def _rate(flags: npt.NDArray[np.bool_]) -> float:
    return float(flags.mean()) if flags.size else 0.0


def choose(
    curves: Mapping[int | None, Sequence[CurvePoint]], max_false_hit: float = 0.01
) -> Choice | None:
    """The qualifying point with the most correct hits (ties: fewer edit words, then higher
    threshold); qualifying: both false-hit rates <= ``max_false_hit``. Give it train curves."""
    best: Choice | None = None
    for edit, curve in curves.items():
        for point in curve:
            if point.false_hit_rate > max_false_hit or point.wrong_share > max_false_hit:
                continue
            if best is None or _better(edit, point, best):
                best = Choice(edit, point)
    return best


def _better(edit: int | None, point: CurvePoint, best: Choice) -> bool:
    def rank(e: int | None, p: CurvePoint) -> tuple[float, int, float]:
        return (p.correct_hit_rate, -(e if e is not None else -1), p.threshold)

    return rank(edit, point) > rank(best.max_edit_words, best.point)


# --------------------------------------------------------------------------- one split


@dataclass(slots=True)
class SplitResult:
    """One split's study: what was read and built, and one curve per setting."""

    split: str
    files: list[str]
    items: dict[str, int]
    probes: dict[str, int]
    curves: dict[int | None, list[CurvePoint]]


def run_split(
    reader: DataReader,
    encoder: Encoder,
    *,
    seed: int,
    limit: int | None = None,
    thresholds: Sequence[float] = THRESHOLDS,
    settings: Sequence[int | None] = EDIT_SETTINGS,
    on_progress: Callable[[int, int], None] | None = None,
) -> SplitResult:
    """Build the split's items and probes, embed them once, and sweep every setting."""
    items = reader.items(limit)
    if not items:
        raise ConfigError("data", f"no usable questions in the {reader.split} files")
    probes = build_probes(items, random.Random(seed))
    texts = sorted({item.text for item in items} | {p.text for p in probes})
    vectors = _encode(encoder, texts, on_progress)
    row = {text: i for i, text in enumerate(texts)}
    item_vectors = vectors[[row[item.text] for item in items]]
    probe_vectors = vectors[[row[p.text] for p in probes]]
    curves = {
        edit: sweep(
            probes,
            nearest_outcomes(items, item_vectors, probes, probe_vectors, max_edit_words=edit),
            thresholds,
        )
        for edit in settings
    }
    return SplitResult(
        split=reader.split,
        files=[str(p) for p in reader.opened],
        items=dict(sorted(Counter(item.dataset for item in items).items())),
        probes=dict(sorted(Counter(p.kind for p in probes).items())),
        curves=curves,
    )


def _encode(
    encoder: Encoder, texts: Sequence[str], on_progress: Callable[[int, int], None] | None
) -> F32:
    chunks: list[F32] = []
    for start in range(0, len(texts), 128):
        chunks.append(np.asarray(encoder.encode(texts[start : start + 128]), dtype=np.float32))
        if on_progress is not None:
            on_progress(min(start + 128, len(texts)), len(texts))
    return np.concatenate(chunks)


def measure_lookup_ms(
    sizes: Sequence[int] = (1_000, 10_000, 100_000),
    *,
    dim: int = 384,
    lookups: int = 200,
    seed: int = 0,
) -> dict[int, float]:
    """Median milliseconds per `SemanticCache.lookup` with ``size`` entries in one partition."""
    rng = np.random.default_rng(seed)
    cache = SemanticCache(ttl_s=float("inf"), max_entries=max(sizes))
    response = CachedResponse("", "bench", ComputeTier.CLOUD, "", 0, 0, 0.0)
    out: dict[int, float] = {}
    held = 0
    for size in sorted(sizes):
        for vector in rng.standard_normal((size - held, dim)).astype(np.float32):
            _add(cache, vector, f"k{held}", response, None)
            held += 1
        times = []
        for query in rng.standard_normal((lookups, dim)).astype(np.float32):
            started = time.perf_counter()
            _lookup(cache, query, None)
            times.append(time.perf_counter() - started)
        out[size] = round(statistics.median(times) * 1000, 4)
    return out
