"""Fast lexical features of a prompt: hashed word n-grams plus a few dense counts, in microseconds.

The same `featurize` feeds training (a scipy sparse matrix) and inference (gather weight rows), so
the two can never disagree. Hashing is ``zlib.crc32`` on the token bytes, not Python's ``hash()``
(salted per process), so a bucket means the same thing in every process and every release.

A long prompt is read only in part: its head and its tail (`HEAD_CHARS`, `TAIL_CHARS`). Few-shot
prompts such as RouterBench's ARC and Winogrande ones open with the same worked examples and put
the question that varies at the end, so the tail carries most of the signal; the head keeps a
long instruction's opening. The total length is still a feature.
"""

from __future__ import annotations

import math
import zlib
from typing import Final

import numpy as np
import numpy.typing as npt

__all__ = [
    "DENSE_NAMES",
    "HEAD_CHARS",
    "N_BUCKETS",
    "TAIL_CHARS",
    "Features",
    "featurize",
    "window",
]

I64 = npt.NDArray[np.int64]
F64 = npt.NDArray[np.float64]

N_BUCKETS: Final = 1 << 16
HEAD_CHARS: Final = 128
TAIL_CHARS: Final = 1024
DENSE_NAMES: Final = (
    "log_chars",  # of the whole prompt
    "log_words",  # of the window read
    "log_lines",
    "digit_share",
    "code_share",  # brackets, braces, =, ;, _, <, >, #
    "math_share",  # + - * / ^ %
    "log_questions",
)

_DIGITS_TO_ZERO: Final = bytes.maketrans(b"123456789", b"000000000")
_PUNCT: Final = bytes(c for c in range(128) if not chr(c).isalnum() and chr(c) not in "_ \t\n\r")
# One table: digits fold to 0 and ASCII punctuation becomes a space, so `split` yields words.
_WORDS: Final = bytes.maketrans(b"123456789" + _PUNCT, b"000000000" + b" " * len(_PUNCT))
_CODE: Final = b"(){}[]=;_<>#"
_MATH: Final = b"+-*/^%"
_BUCKET_MASK: Final = N_BUCKETS - 1

Features = tuple[I64, float, F64]
"""(bucket indices, weight of each index, dense features): x = weight * onehots(idx) ++ dense."""


def window(prompt: str, head_chars: int = HEAD_CHARS, tail_chars: int = TAIL_CHARS) -> str:
    """The part of ``prompt`` that is read: all of it, or its head and tail joined by a newline."""
    if len(prompt) <= head_chars + tail_chars:
        return prompt
    return prompt[:head_chars] + "\n" + prompt[len(prompt) - tail_chars :]


def featurize(prompt: str) -> Features:
    """Hashed lowercase word unigrams and bigrams (digits folded to 0) and `DENSE_NAMES` values.

    Each n-gram counts ``1 / sqrt(number of n-grams)``, so a row of the design matrix has unit
    norm when no n-gram repeats and long and short prompts weigh alike. Symbols are not n-grams
    (they split words); their shares are dense features. Everything per word runs in C
    (`bytes.split`, `map` over `zlib.crc32`); a bigram's hash is the CRC of its two words written
    together, so it can share a bucket with that compound word, which is harmless.
    """
    raw = window(prompt).lower().encode("utf-8", "replace").translate(_DIGITS_TO_ZERO)
    words = raw.translate(_WORDS).split()
    unigrams = list(map(zlib.crc32, words))
    bigrams = list(map(zlib.crc32, words[1:], unigrams))  # crc32(b, crc32(a)) == crc32(a + b)
    idx = np.bitwise_and(np.array(unigrams + bigrams, dtype=np.int64), _BUCKET_MASK)
    size = max(len(raw), 1)
    dense = np.array(
        (
            math.log1p(len(prompt)),
            math.log1p(len(words)),
            math.log1p(raw.count(b"\n")),
            raw.count(b"0") / size,
            (size - len(raw.translate(None, _CODE))) / size,
            (size - len(raw.translate(None, _MATH))) / size,
            math.log1p(raw.count(b"?")),
        ),
        dtype=np.float64,
    )
    weight = 1.0 / math.sqrt(idx.size) if idx.size else 0.0
    return idx, weight, dense
