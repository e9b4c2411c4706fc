"""The RouterBench loader: parsing, empty cells, and the held-out rule."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mecrouter.errors import ConfigError
from mecrouter.quality.data import (
    MODELS,
    HeldOutFileError,
    OpenedFiles,
    load_test,
    load_train,
    read_split,
)


def test_train_loader_reads_every_train_file_and_no_test_file(bench: Path) -> None:
    log = OpenedFiles()
    split = load_train(bench, log=log)
    assert [p.name for p in log.paths] == ["arc_challenge_train.csv", "mbpp_train.csv"]
    assert log.held_out() == []
    assert len(split) == 160 and set(split.datasets) == {"arc_challenge", "mbpp"}
    assert split.correct.shape == split.cost_usd.shape == (160, len(MODELS))


def test_prompts_are_unwrapped_from_the_list_literal_with_real_newlines(bench: Path) -> None:
    split = load_train(bench)
    hard = split.prompts[1]
    assert hard.startswith("Write a Python function") and "\n" in hard
    assert not hard.startswith("['")


def test_empty_correctness_cells_load_as_nan_and_are_dropped_per_model(bench: Path) -> None:
    split = load_train(bench)
    assert np.isnan(split.correct[3]).all()  # the empty ARC row
    assert np.isnan(split.correct).sum() == len(MODELS)
    assert len(split.complete_for(["gpt-4-1106-preview"])) == 159


def test_training_loaders_refuse_a_held_out_path_without_opening_it(
    bench: Path, opened_files: list[str]
) -> None:
    test_file = bench / "routerbench" / "mbpp_test.csv"
    with pytest.raises(HeldOutFileError, match="held-out"):
        load_train(test_file)
    with pytest.raises(HeldOutFileError):
        read_split([bench / "routerbench" / "mbpp_train.csv", test_file])
    assert not [p for p in opened_files if p.endswith("_test.csv")]


def test_only_load_test_opens_the_test_files(bench: Path) -> None:
    log = OpenedFiles()
    split = load_test(bench, log=log)
    assert [p.name for p in log.held_out()] == ["arc_challenge_test.csv", "mbpp_test.csv"]
    assert split.held_out() and len(split) == 80


def test_a_folder_without_train_files_is_a_clear_config_error(tmp_path: Path) -> None:
    (tmp_path / "routerbench").mkdir()
    with pytest.raises(ConfigError, match=r"no \*_train.csv"):
        load_train(tmp_path)
