"""The privacy detector's trained second stage: a small linear model over hashed folded words.

The rules of `mecrouter.agents.privacy` decide first. A text in which they find nothing, and
which may be about someone (`about.may_be_about_someone`: a word for a person, or no question),
is raised to sensitive, with a `medical_term` finding, when this model reads one of its sentences
as health content in words the lexicon does not hold ("My dad and I carry the same faulty gene").
It never lowers a level and never runs on a text in which the rules found anything, so it cannot
cost a regulated verdict.

It is a logistic regression fitted on the privacy corpus's tuning splits (all but test) and
ordinary RouterBench train prompts (`mecrouter privacy-train`, `mecrouter.eval.privacy_train`),
shipped as `privacy_model.npz` with the threshold that grouped cross-validation chose. Each sentence
(`health_chunks`) is folded like `fold_text` folds a text; its words but function words (digits
as 0), pairs of them, their stems and 5-byte pieces are hashed by `zlib.crc32` into
2**`HEALTH_BITS` buckets; a sentence's logit is the sum of its buckets' weights over the square
root of their count, plus the bias, and a text's is its best sentence's. The same functions
build the training rows, so training and inference cannot drift apart; scoring is list look-ups
in pure Python (tens of microseconds), not a call into scikit-learn.
"""

from __future__ import annotations

import math
import re
import zlib
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Final

import numpy as np

from mecrouter.agents.folding import FOLD

__all__ = [
    "HEALTH_BITS",
    "MODEL_PATH",
    "HealthModel",
    "chunk_words",
    "health_chunks",
    "health_features",
    "load_model",
]

HEALTH_BITS: Final = 16  # buckets: 2**HEALTH_BITS
MODEL_PATH: Final = Path(__file__).with_name("privacy_model.npz")

_DIGIT0: Final = bytes.maketrans(b"123456789", b"000000000")
_STEM: Final = 5  # a word longer than this also counts by its first _STEM bytes
_GRAM: Final = 5  # ... and by its _GRAM-byte pieces, its start and end marked
# Pronouns, articles, auxiliaries and prepositions of en, de, fr and es (folded: lower-case,
# "I'm" is "i" and "m"), and every single letter.
_FUNCTION_WORDS: Final = frozenset(
    w.encode()
    for w in """
    i me my mine myself we us our you your he him his she her hers they them their it its a an
    the and or but of to in on at for with from by as about into than then is am are was were
    be been being have has had having do does did done that this these those there here so if
    not no just also very can could would should will shall may might must m s t ve ll re d
    ich mich mir mein meine meinen meinem meiner du dich dir dein deine er sie es wir uns unser
    unsere ihr ihre ihm ihn und oder aber der die das den dem des ein eine einen einem einer ist
    bin bist sind war waren habe hast hat haben hatte hatten wird werde werden mit von zu zum
    zur im auf aus bei nach vor seit für über um als auch nicht kein keine
    je j moi mon ma mes tu toi ton ta tes il elle lui nous vous ils elles leur leurs le la les l
    un une des de du d et ou mais est suis es sont était ai as avons avez ont avec pour dans en
    au aux par sur sous que qui qu ce cette ces se sa son ses ne pas
    yo mí mi mis tú tu tus él ella nosotros nosotras vosotros ellos ellas su sus nuestro nuestra
    el los las lo una unos unas y o pero del al en con por para sin sobre es soy eres son era
    estoy está están estaba he has ha hemos han tengo tiene tienen tenía que como se le les
    """.split()  # noqa: SIM905
) | frozenset(bytes([c]) for c in range(ord("a"), ord("z") + 1))
# A sentence break: a stop, question or exclamation mark, colon or semicolon before a space or at
# the end, or a line break. "3.5 mg" and "10:30" stay whole.
_BREAK_RE: Final = re.compile(r"[.!?;:](?:\s|$)|\n")


def health_chunks(text: str) -> list[tuple[int, int]]:
    """(start, end) of the sentences of `text` (see `_BREAK_RE`), empty ones left out."""
    chunks: list[tuple[int, int]] = []
    start = 0
    for m in _BREAK_RE.finditer(text):
        if m.start() > start:
            chunks.append((start, m.start()))
        start = m.end()
    if start < len(text):
        chunks.append((start, len(text)))
    return chunks


def chunk_words(text: str, start: int, end: int) -> list[bytes]:
    """The folded words of `text[start:end]` (the fold of `fold_text`)."""
    return text[start:end].encode("utf-8", "ignore").translate(FOLD).split()


def _word_features(w: bytes) -> list[int]:
    """The features of one word (digits as 0) alone: the word, its stem, its pieces."""
    mask = (1 << HEALTH_BITS) - 1
    crc = zlib.crc32
    out = [crc(b"u" + w) & mask]
    if len(w) > _STEM:
        out.append(crc(b"s" + w[:_STEM]) & mask)
    if len(w) > _GRAM:  # "<mutated>": "<muta", "mutat", "utate", "tated", "ated>"
        marked = b"<" + w + b">"
        out.extend(crc(b"c" + marked[i : i + _GRAM]) & mask for i in range(len(w) - 2))
    return out


# Words seen before, with their features: most words of a text are common ones.
_SEEN: dict[bytes, list[int]] = {}
_SEEN_MAX: Final = 50_000


def health_features(words: list[bytes]) -> list[int]:
    """Bucket indexes of a sentence's words (digits as 0) but `_FUNCTION_WORDS`, pairs of
    consecutive such words, word stems and 5-byte pieces of words (so "chromosomal" shares
    features with "chromosome"): one index per occurrence, so the sum of their weights is the
    model's dot product. Function words ("I", "have", "my", "ich", "je") are left out: whether
    a text is about someone is `may_be_about_someone`'s question, and in the corpus they would
    make "I have" a health phrase ("I have a meeting at 3pm")."""
    mask = (1 << HEALTH_BITS) - 1
    crc = zlib.crc32
    seen = _SEEN
    out: list[int] = []
    prev = b"^"
    for raw in words:
        if raw in _FUNCTION_WORDS:
            continue
        w = raw.translate(_DIGIT0)
        feats = seen.get(w)
        if feats is None:
            if len(seen) >= _SEEN_MAX:
                seen.clear()
            feats = seen[w] = _word_features(w)
        out += feats
        out.append(crc(b"b" + prev + b" " + w) & mask)
        prev = w
    return out


@dataclass(frozen=True, slots=True)
class HealthModel:
    """The logistic regression: a weight per bucket (a Python list: a look-up costs less than a
    numpy call), the bias, and the threshold on the logit chosen by grouped cross-validation."""

    weights: list[float]
    bias: float
    threshold: float

    def sentence_logit(self, words: list[bytes]) -> float:
        """The logit of one sentence's folded words (its features scaled by 1/sqrt(count))."""
        feats = health_features(words)
        if not feats:
            return -math.inf
        w = self.weights
        return sum([w[i] for i in feats]) / math.sqrt(len(feats)) + self.bias

    def logit(self, text: str) -> float:
        """The highest `sentence_logit` of the sentences of `text`."""
        return max(
            (self.sentence_logit(chunk_words(text, s, e)) for s, e in health_chunks(text)),
            default=-math.inf,
        )

    def is_health(self, text: str) -> bool:
        return self.logit(text) > self.threshold

    def save(self, path: Path) -> None:
        """Write the model as `HealthModel.load` reads it (a compressed .npz)."""
        np.savez_compressed(
            path,
            weights=np.asarray(self.weights, dtype=np.float32),
            bias=np.asarray([self.bias]),
            threshold=np.asarray([self.threshold]),
        )

    @classmethod
    def load(cls, path: Path) -> HealthModel:
        with np.load(path) as data:
            return cls(
                [float(x) for x in data["weights"].tolist()],
                float(data["bias"][0]),
                float(data["threshold"][0]),
            )


@cache
def load_model() -> HealthModel | None:
    """The shipped model, read once; None when its file is missing (the rules alone decide)."""
    return HealthModel.load(MODEL_PATH) if MODEL_PATH.is_file() else None
