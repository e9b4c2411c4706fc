"""The fast featurizer: deterministic hashing, bounded work on long prompts."""

from __future__ import annotations

import os
import subprocess
import sys

import numpy as np

from mecrouter.quality.features import (
    DENSE_NAMES,
    HEAD_CHARS,
    N_BUCKETS,
    TAIL_CHARS,
    featurize,
    window,
)

PROMPT = "Write a function to find the 3rd largest number in a list; explain why it's O(n)."


def test_buckets_are_the_same_in_another_process_with_another_hash_seed() -> None:
    code = (
        f"from mecrouter.quality.features import featurize;print(featurize({PROMPT!r})[0].tolist())"
    )
    env = {**os.environ, "PYTHONHASHSEED": "12345"}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == str(featurize(PROMPT)[0].tolist())


def test_unigrams_and_bigrams_of_lowercased_words_with_digits_folded() -> None:
    idx, weight, dense = featurize("Find the 3rd number")
    assert idx.size == 4 + 3  # four words, three bigrams
    assert ((idx >= 0) & (idx < N_BUCKETS)).all()
    assert np.array_equal(idx, featurize("find THE 7rd number")[0])
    assert weight == 1 / np.sqrt(7)
    assert dense.shape == (len(DENSE_NAMES),)


def test_a_long_prompt_is_read_only_at_its_head_and_tail() -> None:
    long_prompt = "start " + "filler words here " * 5_000 + "the real question?"
    text = window(long_prompt)
    assert len(text) == HEAD_CHARS + 1 + TAIL_CHARS
    assert text.startswith("start ") and text.endswith("the real question?")
    idx, _, dense = featurize(long_prompt)
    assert idx.size < 2 * (HEAD_CHARS + TAIL_CHARS) // 5
    assert dense[0] == np.log1p(len(long_prompt))  # the length feature sees the whole prompt


def test_code_and_maths_symbols_raise_their_dense_shares() -> None:
    names = list(DENSE_NAMES)
    plain = featurize("tell me a story about a cat")[2]
    code = featurize("def f(x): return {k: x[k] ** 2 for k in x} # sum = a + b * c / d")[2]
    assert code[names.index("code_share")] > plain[names.index("code_share")] == 0
    assert code[names.index("math_share")] > plain[names.index("math_share")] == 0


def test_an_empty_prompt_has_no_ngrams_and_weight_zero() -> None:
    idx, weight, dense = featurize("")
    assert idx.size == 0 and weight == 0.0 and np.isfinite(dense).all()
