"""The semantic-cache study: pairs from the data, a train-only choice, `eval-cache`."""

from __future__ import annotations

import csv
import json
import random
import zlib
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest
import typer
from typer.testing import CliRunner

from mecrouter.agents.response_cache import normalise_prompt
from mecrouter.errors import ConfigError
from mecrouter.eval.cache_command import eval_cache
from mecrouter.eval.cache_pairs import DataReader, build_probes
from mecrouter.eval.cache_study import CurvePoint, choose, run_split

runner = CliRunner()
PREFIX = "Example question\nA) a\nB) b\nAnswer:\nA"
ARC_TAIL = 'Print only a single choice  from "A" or "B" or "C" or "D" without explanation.\nAnswer:'
WINO_TAIL = 'Print only a single choice  from "A" or "B" without explanation. Answer:'
ARC = [
    ("Which gas do plants take in?", ["oxygen", "carbon dioxide", "helium", "neon"], "B"),
    ("Which of the following best explains why ice floats?", ["cold", "less dense", "white"], "B"),
    ("What is the most likely cause of tides?", ["wind", "the Moon", "fish", "rain"], "B"),
    ("A student has 12 g of salt. Which tool was most likely used?", ["a balance", "a ruler"], "A"),
]
WINO = [
    ("Ian ate Dennis's menudo because _ despised eating intestine.", ["Ian", "Dennis"], "B"),
    ("Ian ate Dennis's menudo because _ enjoyed eating intestine.", ["Ian", "Dennis"], "A"),
    (
        "The trophy did not fit in the suitcase because the _ was too big.",
        ["trophy", "suitcase"],
        "A",
    ),
]
MBPP = [
    "Write a function to find the maximum of a given list.",
    "Write a function to find the minimum of a given list.",
    "Write a python function to find the first digit of a given number.",
    "Write a function to remove all whitespaces from the given string.",
]


def _write(path: Path, rows: list[tuple[str, str, str]]) -> None:
    """A RouterBench-shaped CSV: ``(sample_id, last prompt block, response)``; m1 is correct."""
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh)
        writer.writerow(["", "sample_id", "prompt", "eval_name", "m1", "m1|model_response"])
        for i, (sample_id, block, response) in enumerate(rows):
            writer.writerow([i, sample_id, repr([block]), "x", "1.0", repr([response])])


def _choice_block(question: str, options: Sequence[str], tail: str) -> str:
    lines = [f"{letter}) {text}" for letter, text in zip("ABCD", options, strict=False)]
    return f"{PREFIX}\n\n" + "\n".join([question, *lines, tail])


@pytest.fixture
def data(tmp_path: Path) -> Path:
    """A tiny measured-data folder with train and test files of all three datasets."""
    folder = tmp_path / "data" / "routerbench"
    folder.mkdir(parents=True)
    for split in ("train", "test"):
        arc = [
            (f"arc.{split}.{i}", _choice_block(q, o, ARC_TAIL), g)
            for i, (q, o, g) in enumerate(ARC)
        ]
        wino = [
            (f"wino.{split}.{i}", _choice_block(q, o, WINO_TAIL), g)
            for i, (q, o, g) in enumerate(WINO)
        ]
        mbpp = [(f"mbpp.{split}.{i}", text, "def f(): ...") for i, text in enumerate(MBPP)]
        _write(folder / f"arc_challenge_{split}.csv", arc)
        _write(folder / f"winograde_{split}.csv", wino)
        _write(folder / f"mbpp_{split}.csv", mbpp)
    return tmp_path / "data"


class BagOfWords:
    """A deterministic stand-in for MiniLM: hashed words, unit length."""

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), 64), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in normalise_prompt(text).split():
                out[row, zlib.crc32(word.encode()) % 64] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)


def test_items_carry_the_question_and_gold_answer_not_the_few_shot_prefix(data: Path) -> None:
    items = DataReader(data, "train").items()
    arc = [i for i in items if i.dataset == "arc_challenge"]
    assert len(items) == len(ARC) + len(WINO) + len(MBPP)
    assert arc[0].text.startswith("Which gas") and "Example question" not in arc[0].text
    assert arc[0].gold == "B" and arc[0].options[1] == ("B", "carbon dioxide")
    assert arc[0].answer == "arc.train.0=B"


def test_probes_are_deterministic_under_a_seed(data: Path) -> None:
    items = DataReader(data, "train").items()
    first = build_probes(items, random.Random(1))
    assert first == build_probes(items, random.Random(1))
    assert first != build_probes(items, random.Random(2))


def test_rewordings_keep_the_answer_and_never_only_change_case(data: Path) -> None:
    items = DataReader(data, "train").items()
    rewordings = [p for p in build_probes(items, random.Random(3)) if p.kind == "reword"]
    assert sorted(p.base for p in rewordings) == list(range(len(items)))  # one per question
    for probe in rewordings:
        base = items[probe.base]
        assert probe.answer == base.answer
        assert normalise_prompt(probe.text) != normalise_prompt(base.text)
        assert all(text in probe.text for _, text in base.options)


def test_shuffled_options_move_the_right_answer_to_another_letter(data: Path) -> None:
    items = DataReader(data, "train").items()
    shuffles = [p for p in build_probes(items, random.Random(4)) if p.kind == "shuffle"]
    with_options = [i for i, item in enumerate(items) if item.options]
    assert len(with_options) == len(ARC) + len(WINO)
    assert sorted(p.base for p in shuffles) == with_options  # every multiple-choice question
    for probe in shuffles:
        base = items[probe.base]
        letter = probe.answer.rsplit("=", 1)[1]
        assert letter != base.gold
        right = dict(base.options)[base.gold]
        assert f"{letter}) {right}" in probe.text


def test_twins_antonyms_and_neighbours_are_negatives(data: Path) -> None:
    items = DataReader(data, "train").items()
    probes = build_probes(items, random.Random(5))
    kinds = {(p.kind, items[p.base].sample_id) for p in probes}
    assert ("twin", "wino.train.0") in kinds and ("twin", "wino.train.1") in kinds
    assert ("neighbour", "wino.train.2") in kinds
    antonyms = [p for p in probes if p.kind == "antonym"]
    # maximum <-> minimum flips onto a question that exists, so only "first" -> "last" remains
    assert [p.text for p in antonyms] == [MBPP[2].replace("first", "last")]
    assert all(not p.positive and p.answer != items[p.base].answer for p in antonyms)


def test_train_reader_refuses_held_out_files(data: Path) -> None:
    reader = DataReader(data, "train")
    with pytest.raises(ConfigError, match="held out"):
        reader._rows(data / "routerbench" / "mbpp_test.csv")
    assert reader.opened == []


def test_the_choice_reads_train_files_only(data: Path) -> None:
    for held_out in (data / "routerbench").glob("*_test.csv"):
        held_out.unlink()  # the choice must not need them at all
    reader = DataReader(data, "train")
    result = run_split(reader, BagOfWords(), seed=1, thresholds=(0.5, 0.9, 0.99))
    choose(result.curves, max_false_hit=1.0)
    assert len(reader.opened) == 3
    assert all(path.name.endswith("_train.csv") for path in reader.opened)
    assert result.files == [str(p) for p in reader.opened]
    assert result.probes["reword"] == len(ARC) + len(WINO) + len(MBPP)


def test_no_guards_serve_shuffled_options_that_the_guards_refuse(data: Path) -> None:
    result = run_split(DataReader(data, "train"), BagOfWords(), seed=1, thresholds=(0.9,))
    assert result.curves[None][0].by_kind["shuffle"] == 1.0  # same words, other answer
    assert result.curves[0][0].by_kind["shuffle"] == 0.0


def _point(threshold: float, hit: float, false_hit: float, wrong: float) -> CurvePoint:
    return CurvePoint(threshold, hit, hit, false_hit, wrong, {})


def test_choose_maximises_hits_within_the_false_hit_budget() -> None:
    curves: dict[int | None, list[CurvePoint]] = {
        None: [_point(0.8, 0.99, 0.30, 0.2), _point(0.9, 0.9, 0.2, 0.1)],
        2: [_point(0.8, 0.7, 0.02, 0.02), _point(0.9, 0.5, 0.005, 0.009)],
        6: [_point(0.8, 0.8, 0.03, 0.03), _point(0.9, 0.6, 0.01, 0.01), _point(0.95, 0.4, 0, 0)],
    }
    best = choose(curves, max_false_hit=0.01)
    assert best is not None and (best.max_edit_words, best.point.threshold) == (6, 0.9)
    assert choose(curves, max_false_hit=0.001) is not None
    assert choose({None: curves[None]}, max_false_hit=0.01) is None


def _app() -> typer.Typer:
    app = typer.Typer()
    app.command()(eval_cache)
    return app


def test_missing_data_folder_exits_2_without_a_traceback(tmp_path: Path) -> None:
    result = runner.invoke(_app(), ["--data", str(tmp_path / "nowhere"), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "measured-data folder not found" in result.output
    assert "Traceback" not in result.output


def test_missing_routerbench_files_exit_2_naming_them(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    result = runner.invoke(_app(), ["--data", str(tmp_path / "empty"), "--out", str(tmp_path)])
    assert result.exit_code == 2
    assert "arc_challenge_train.csv" in result.output and "mbpp_test.csv" in result.output


def test_eval_cache_end_to_end_with_the_real_model(data: Path, tmp_path: Path) -> None:
    from mecrouter import embedding

    if not embedding.available():
        pytest.skip("the embedding extra is not installed")
    out = tmp_path / "out"
    result = runner.invoke(_app(), ["--data", str(data), "--out", str(out), "--no-timing"])
    assert result.exit_code == 0, result.output
    report = json.loads((out / "results.json").read_text())
    assert all(f.endswith("_train.csv") for f in report["train"]["files"])
    assert all(f.endswith("_test.csv") for f in report["test"]["files"])
    assert set(report["train"]["curves"]) >= {"unguarded", "guards,edit<=6"}
    assert (out / "semantic-cache-threshold.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "train hit" in result.output
