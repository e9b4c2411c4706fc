"""Synthetic RouterBench files (same 38 columns, multi-line prompts, empty ARC cells)."""

from __future__ import annotations

import csv
from pathlib import Path

import numpy as np
import pytest

from mecrouter.quality.data import MODELS

_EASY = "Greet the user politely and tell them the weather is {k} degrees."
_HARD = (
    "Write a Python function that parses {k} nested JSON logs, computes the rolling median\n"
    "per user and proves step by step that it runs in O(n log n); then solve x^2 - {k}x = 0."
)

_ABILITY = {
    "mistralai/mistral-7b-chat": 0.5,
    "mistralai/mixtral-8x7b-chat": 0.7,
    "meta/llama-2-70b-chat": 0.6,
    "gpt-4-1106-preview": 0.9,
}


def write_routerbench(folder: Path, name: str, split: str, n: int, seed: int) -> Path:
    """A RouterBench-shaped CSV: hard prompts (code/maths) are wrong more often on cheap models."""
    rng = np.random.default_rng(seed)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{name}_{split}.csv"
    ability = np.array([_ABILITY.get(m, 0.6) for m in MODELS])
    header = ["", "sample_id", "prompt", "eval_name", *MODELS]
    header += [f"{m}|model_response" for m in MODELS] + [f"{m}|total_cost" for m in MODELS]
    header.append("oracle_model_to_route_to")
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(header)
        for i in range(n):
            hard = i % 2 == 1
            prompt = (_HARD if hard else _EASY).format(k=i)
            p_correct = np.clip(ability - (0.5 if hard else -0.1), 0.02, 0.98)
            correct = (rng.random(len(MODELS)) < p_correct).astype(float)
            cells = [f"{c:.1f}" for c in correct]
            if name.startswith("arc") and i == 3:
                cells = [""] * len(MODELS)  # an empty row, as in the real ARC files
            cost = [f"{1e-4 * (k + 1) * (1 + 0.01 * i):.8f}" for k in range(len(MODELS))]
            writer.writerow([i, f"{name}.{split}.{i}", repr([prompt]), name, *cells,
                             *(["answer"] * len(MODELS)), *cost, MODELS[-1]])  # fmt: skip
    return path


@pytest.fixture
def bench(tmp_path: Path) -> Path:
    """A data folder with routerbench/{arc_challenge,mbpp}_{train,test}.csv."""
    folder = tmp_path / "data" / "routerbench"
    for k, name in enumerate(("arc_challenge", "mbpp")):
        write_routerbench(folder, name, "train", 80, seed=k)
        write_routerbench(folder, name, "test", 40, seed=10 + k)
    return tmp_path / "data"
