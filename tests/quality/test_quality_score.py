"""`mecrouter quality score`: one number per input line, the shipped or a pair-trained predictor,
and every bad line named (exit 2, nothing on stdout)."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
from typer.testing import CliRunner

from mecrouter.cli import app
from mecrouter.embedding import available
from mecrouter.errors import InvalidRequestError
from mecrouter.quality.model import default_fast_model
from mecrouter.quality.score import read_prompts, strong_need

MAX_REPORTED = InvalidRequestError.MAX_REPORTED

runner = CliRunner()
WEAK, STRONG = "mistralai/mixtral-8x7b-chat", "gpt-4-1106-preview"
PROMPTS = [
    "Thanks, that's all.",
    "Patient MRN 4829103: heart rate 128 bpm, SpO2 91%. Alert the nurse?",
    "Write a Python function that merges k sorted lists and prove its running time.",
]


def _lines(*records: object) -> str:
    return "".join(json.dumps(r) + "\n" for r in records)


def _score(stdin: str | bytes, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["quality", "score", *args], input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_each_line_gets_the_shipped_predictors_strong_minus_weak_in_order() -> None:
    code, out, err = _score(_lines(*({"prompt": p} for p in PROMPTS)), "--weak", WEAK,
                            "--strong", STRONG)  # fmt: skip
    assert code == 0 and err == ""  # nothing to train: no progress to tell
    scores = [float(line) for line in out.splitlines()]
    fast = default_fast_model()
    p = fast.predict_many(PROMPTS)
    expected = p[:, fast.models.index(STRONG)] - p[:, fast.models.index(WEAK)]
    assert scores == pytest.approx(expected.tolist(), abs=1e-8)
    assert len(set(scores)) == len(PROMPTS)  # the prompts are told apart


def test_other_keys_crlf_and_a_last_line_without_newline_are_fine() -> None:
    stdin = '{"id": 7, "prompt": "a"}\r\n{"prompt": "b", "meta": {"x": 1}}'
    code, out, err = _score(stdin, "--weak", WEAK, "--strong", STRONG, "--model", "fast")
    assert code == 0, err
    assert len(out.splitlines()) == 2


def test_no_input_gives_no_output() -> None:
    assert _score("", "--weak", WEAK, "--strong", STRONG) == (0, "", "")


def test_a_pair_the_shipped_model_lacks_is_trained_on_train_splits_only(
    bench: Path, opened_files: list[str]
) -> None:
    pair = ["--weak", "claude-instant-v1", "--strong", "claude-v2"]
    code, out, err = _score(_lines(*({"prompt": p} for p in PROMPTS)), *pair, "--data", str(bench))
    assert code == 0, err
    assert len(out.splitlines()) == len(PROMPTS)
    assert "training the fast predictor for claude-instant-v1 vs claude-v2" in err  # on stderr
    csvs = [p for p in opened_files if p.endswith(".csv")]
    assert csvs and all(p.endswith("_train.csv") for p in csvs)


def test_every_bad_line_is_named_and_nothing_is_written() -> None:
    stdin = b'{"prompt": "ok"}\n\n[1]\n{"p": 1}\n{"prompt": 3}\nnot json\n\xff\n{"prompt": "ok"}\n'
    code, out, err = _score(stdin, "--weak", WEAK, "--strong", STRONG)
    assert code == 2 and out == ""
    for number, words in [(2, "blank"), (3, "list"), (4, 'no "prompt"'), (5, "int"),
                          (6, "not JSON"), (7, "UTF-8")]:  # fmt: skip
        assert f"line {number}: " in err and words in err
    assert "line 1:" not in err and "line 8:" not in err
    assert "Traceback" not in err


def test_many_bad_lines_are_counted_past_the_first_ten() -> None:
    with pytest.raises(InvalidRequestError) as info:
        read_prompts([b"nope\n"] * (MAX_REPORTED + 5))
    assert f"line {MAX_REPORTED}:" in str(info.value)
    assert f"line {MAX_REPORTED + 1}:" not in str(info.value)
    assert "and 5 more bad lines" in str(info.value)


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--weak", "gpt-5", "--strong", STRONG], "--weak: 'gpt-5' is not a RouterBench model"),
        (["--weak", WEAK, "--strong", WEAK], "--strong: is the same model as --weak"),
        (["--weak", WEAK, "--strong", STRONG, "--model", "huge"], "Invalid value for '--model'"),
    ],
)
def test_bad_options_name_the_option(args: list[str], field: str) -> None:
    code, out, err = _score(_lines({"prompt": "a"}), *args)
    assert code == 2 and out == ""
    assert field in err


def test_best_is_the_fast_predictor() -> None:
    best = strong_need(PROMPTS, WEAK, STRONG, model="best")
    fast = strong_need(PROMPTS, WEAK, STRONG, model="fast")
    assert np.array_equal(best, fast)


@pytest.mark.skipif(not available(), reason="the embeddings extra is not installed")
def test_the_embedding_predictor_scores_with_the_shipped_heads() -> None:
    from mecrouter.quality.model import default_embedding_model

    heads = default_embedding_model()
    p = heads.predict_vectors(heads.encode(PROMPTS))
    expected = p[:, heads.models.index(STRONG)] - p[:, heads.models.index(WEAK)]
    got = strong_need(PROMPTS, WEAK, STRONG, model="embedding")
    assert got == pytest.approx(expected, abs=1e-9)
