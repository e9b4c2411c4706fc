"""RouterBench per-prompt correctness and cost, as RouterDC split it into train and test.

Files: ``<data>/routerbench/{arc_challenge,winograde,mbpp}_{train,test}.csv`` (RouterDC,
``shuhao02/RouterDC`` ``datasets/routerbench_zs/``, commit 0e63989c5bf4363330b8a4616386e3f7f116d9f8;
RouterBench by Hu et al. 2024, arXiv:2403.12031). Each row holds a prompt, a 0/1 correctness
cell and a USD cost per model for 11 models. Some ARC correctness cells are empty: they load as
NaN and are skipped per cell, never guessed.

The ``*_test.csv`` files are held out. Only `load_test` opens them; `load_train` and
`read_split` refuse any path named ``*_test.csv`` outright, and every loader records what it
opened in an `OpenedFiles` log so a test can check what a training run touched.
"""

from __future__ import annotations

import ast
import csv
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final, Literal

import numpy as np
import numpy.typing as npt

from mecrouter.errors import ConfigError, InvalidRequestError

__all__ = [
    "DATASETS",
    "MODELS",
    "HeldOutFileError",
    "OpenedFiles",
    "RouterBenchSplit",
    "is_held_out",
    "load_test",
    "load_train",
    "read_split",
    "split_files",
]

F64 = npt.NDArray[np.float64]
Split = Literal["train", "test"]

SUBDIR: Final = "routerbench"
DATASETS: Final = ("arc_challenge", "winograde", "mbpp")
MODELS: Final = (
    "WizardLM/WizardLM-13B-V1.2",
    "claude-instant-v1",
    "claude-v1",
    "claude-v2",
    "gpt-3.5-turbo-1106",
    "gpt-4-1106-preview",
    "meta/code-llama-instruct-34b-chat",
    "meta/llama-2-70b-chat",
    "mistralai/mistral-7b-chat",
    "mistralai/mixtral-8x7b-chat",
    "zero-one-ai/Yi-34B-Chat",
)
_COST_SUFFIX: Final = "|total_cost"


class HeldOutFileError(InvalidRequestError):
    """A training path named a held-out ``*_test.csv`` file."""

    def __init__(self, path: Path) -> None:
        super().__init__(
            "data", f"{path.name} is a held-out evaluation file; training never reads it"
        )
        self.path = path


@dataclass(slots=True)
class OpenedFiles:
    """Which files a loader opened, in order (an audit log for the no-test-in-training rule)."""

    paths: list[Path] = field(default_factory=list)

    def record(self, path: Path) -> None:
        self.paths.append(path)

    def held_out(self) -> list[Path]:
        return [p for p in self.paths if is_held_out(p)]


@dataclass(frozen=True, slots=True, eq=False)
class RouterBenchSplit:
    """Rows of one or more RouterBench files, in file order, for every one of `MODELS`."""

    prompts: tuple[str, ...]
    datasets: tuple[str, ...]  # per row: the file's dataset name, e.g. "arc_challenge"
    correct: F64  # (rows, len(MODELS)), 0.0/1.0, NaN where the cell is empty
    cost_usd: F64  # (rows, len(MODELS))
    files: tuple[Path, ...]  # the files these rows came from
    models: tuple[str, ...] = MODELS

    def __len__(self) -> int:
        return len(self.prompts)

    def column(self, model: str) -> int:
        try:
            return self.models.index(model)
        except ValueError:
            raise InvalidRequestError("models", f"unknown RouterBench model {model!r}") from None

    def columns(self, models: Sequence[str]) -> list[int]:
        return [self.column(m) for m in models]

    def held_out(self) -> bool:
        return any(is_held_out(p) for p in self.files)

    def where(self, mask: npt.NDArray[np.bool_]) -> RouterBenchSplit:
        """The rows where ``mask`` is true (same files, same models)."""
        keep = np.flatnonzero(mask)
        return RouterBenchSplit(
            prompts=tuple(self.prompts[i] for i in keep),
            datasets=tuple(self.datasets[i] for i in keep),
            correct=self.correct[keep],
            cost_usd=self.cost_usd[keep],
            files=self.files,
            models=self.models,
        )

    def of_dataset(self, name: str) -> RouterBenchSplit:
        return self.where(np.array([d == name for d in self.datasets], dtype=bool))

    def complete_for(self, models: Sequence[str]) -> RouterBenchSplit:
        """Only the rows with a correctness value for every one of ``models``."""
        cols = self.columns(models)
        return self.where(np.asarray(~np.isnan(self.correct[:, cols]).any(axis=1), dtype=bool))


def is_held_out(path: Path) -> bool:
    return path.name.endswith("_test.csv")


def split_files(folder: Path, split: Split) -> list[Path]:
    """The ``*_{split}.csv`` files of the routerbench folder under ``folder`` (or ``folder``)."""
    base = folder / SUBDIR if (folder / SUBDIR).is_dir() else folder
    if not base.is_dir():
        raise ConfigError("data", f"RouterBench folder not found: {base}")
    files = sorted(base.glob(f"*_{split}.csv"))
    if not files:
        raise ConfigError("data", f"no *_{split}.csv files in {base}")
    return files


def load_train(folder: Path, *, log: OpenedFiles | None = None) -> RouterBenchSplit:
    """Every ``*_train.csv`` under ``folder``; a held-out path is refused, never opened."""
    if is_held_out(folder):
        raise HeldOutFileError(folder)
    paths = [folder] if folder.is_file() else split_files(folder, "train")
    return read_split(paths, log=log)


def load_test(folder: Path, *, log: OpenedFiles | None = None) -> RouterBenchSplit:
    """Every ``*_test.csv`` under ``folder``: for evaluation only."""
    return read_split(split_files(folder, "test"), log=log, allow_held_out=True)


def read_split(
    paths: Iterable[Path], *, log: OpenedFiles | None = None, allow_held_out: bool = False
) -> RouterBenchSplit:
    """The rows of ``paths`` concatenated; held-out files only with ``allow_held_out``."""
    paths = list(paths)
    if not allow_held_out:
        for path in paths:
            if is_held_out(path):
                raise HeldOutFileError(path)
    prompts: list[str] = []
    datasets: list[str] = []
    correct: list[list[float]] = []
    cost: list[list[float]] = []
    for path in paths:
        if log is not None:
            log.record(path)
        name = path.name.removesuffix(".csv").rsplit("_", 1)[0]
        for prompt, row_correct, row_cost in _read_rows(path):
            prompts.append(prompt)
            datasets.append(name)
            correct.append(row_correct)
            cost.append(row_cost)
    shape = (len(prompts), len(MODELS))
    return RouterBenchSplit(
        prompts=tuple(prompts),
        datasets=tuple(datasets),
        correct=np.array(correct, dtype=np.float64).reshape(shape),
        cost_usd=np.array(cost, dtype=np.float64).reshape(shape),
        files=tuple(paths),
    )


def _read_rows(path: Path) -> Iterable[tuple[str, list[float], list[float]]]:
    csv.field_size_limit(sys.maxsize)  # prompts and responses are long multi-line fields
    try:
        with path.open(newline="", encoding="utf-8") as fh:
            reader = csv.DictReader(fh)
            missing = [m for m in MODELS if m not in (reader.fieldnames or ())]
            if "prompt" not in (reader.fieldnames or ()) or missing:
                raise ConfigError("data", f"{path.name} is not a RouterBench file (columns)")
            rows = list(reader)
    except (OSError, UnicodeDecodeError, csv.Error) as exc:
        raise ConfigError("data", f"cannot read {path}: {exc}") from exc
    for line, row in enumerate(rows, start=2):
        try:
            correct = [_cell(row[m]) for m in MODELS]
            cost = [float(row[m + _COST_SUFFIX]) for m in MODELS]
        except (KeyError, ValueError) as exc:
            raise ConfigError("data", f"{path.name} row {line}: {exc}") from exc
        yield _unwrap_prompt(row["prompt"]), correct, cost


def _cell(text: str) -> float:
    return float(text) if text.strip() else float("nan")


def _unwrap_prompt(raw: str) -> str:
    """RouterBench stores the prompt as a Python list literal of turns; join them with newlines."""
    if raw.startswith("["):
        try:
            turns = ast.literal_eval(raw)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            return raw
        if isinstance(turns, list) and all(isinstance(t, str) for t in turns):
            return "\n".join(turns)
    return raw
