"""Operators' own labels: read with every bad row named, replayed as feedback into the quality
calibration, written to a file the gateway starts from."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mecrouter.agents.learning import QualityBeliefs
from mecrouter.cli import app
from mecrouter.config import load_config
from mecrouter.errors import ConfigError, InvalidRequestError
from mecrouter.eval.calibration import read_labels

runner = CliRunner()
CONFIG = load_config()
MODELS = [ep.model for ep in CONFIG.endpoints]
MEC_MODEL = "mistral-7b-instruct"


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "labels.csv"
    path.write_text(text, encoding="utf-8")
    return path


def _calibrate(tmp_path: Path, text: str) -> tuple[int, str, Path]:
    out = tmp_path / "cal.json"
    result = runner.invoke(app, ["train-quality", "--labels", str(_write(tmp_path, text)),
                                 "--calibration-out", str(out)])  # fmt: skip
    return result.exit_code, result.output, out


def test_correct_and_score_columns_and_use_cases_are_read(tmp_path: Path) -> None:
    text = (
        "prompt,model,correct,use_case\n"
        f'"a, quoted prompt",{MEC_MODEL},yes,healthcare\n'
        f"plain prompt,{MEC_MODEL},0,\n"
    )
    labels = read_labels(_write(tmp_path, text), MODELS, CONFIG.use_cases)
    assert [(x.prompt, x.score, x.use_case) for x in labels] == [
        ("a, quoted prompt", 1.0, "healthcare"),
        ("plain prompt", 0.0, "default"),
    ]
    scored = read_labels(_write(tmp_path, f"prompt,model,score\np,{MEC_MODEL},0.25\n"), MODELS,
                         CONFIG.use_cases)  # fmt: skip
    assert scored[0].score == 0.25


def test_every_bad_row_is_named_by_its_line(tmp_path: Path) -> None:
    text = (
        "prompt,model,score\n"
        f"ok,{MEC_MODEL},1\n"
        f",{MEC_MODEL},1\n"
        "p,gpt-9,1\n"
        f"p,{MEC_MODEL},1.5\n"
        f"p,{MEC_MODEL},high\n"
    )
    with pytest.raises(InvalidRequestError) as info:
        read_labels(_write(tmp_path, text), MODELS, CONFIG.use_cases)
    message = str(info.value)
    assert "line 2" not in message
    expected = [
        (3, "empty prompt"),
        (4, "model 'gpt-9' is served by no endpoint"),
        (5, "score 1.5 is not in [0, 1]"),
        (6, "score 'high' is not a number"),
    ]
    for line, words in expected:
        assert f"line {line}: {words}" in message


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("prompt,model\np,m\n", "no column correct or score"),
        ("model,correct\nm,1\n", "no column prompt"),
        ("prompt,model,correct\n", "no labelled rows"),
        (f"prompt,model,correct\np,{MEC_MODEL},maybe\n", "is not 0/1"),
        (f"prompt,model,correct,use_case\np,{MEC_MODEL},1,space\n", "use case 'space'"),
    ],
)
def test_a_bad_file_says_what_is_wrong(tmp_path: Path, text: str, words: str) -> None:
    code, output, out = _calibrate(tmp_path, text)
    assert code == 2 and words in output and "Traceback" not in output
    assert not out.exists()


def test_labels_move_the_factor_their_way_and_the_file_round_trips(tmp_path: Path) -> None:
    rows = "".join(
        f"Write a function that sorts list number {k}.,{MEC_MODEL},1\n" for k in range(40)
    )
    code, output, out = _calibrate(tmp_path, "prompt,model,correct\n" + rows)
    assert code == 0, output
    body = json.loads(out.read_text())
    assert body["kind"] == "quality-calibration" and len(body["beliefs"]) == 1
    beliefs = QualityBeliefs.from_config(CONFIG.quality)
    beliefs.load_file(out)
    (key,) = beliefs.snapshot()
    task, model = key.split("/")
    assert model == MEC_MODEL and beliefs.factor(task, model) > 1.0  # all good: trusted more
    bad = "".join(
        f"Write a function that sorts list number {k}.,{MEC_MODEL},0\n" for k in range(40)
    )
    code, output, out = _calibrate(tmp_path, "prompt,model,correct\n" + bad)
    assert code == 0, output
    worse = QualityBeliefs.from_config(CONFIG.quality)
    worse.load_file(out)
    assert worse.factor(task, model) < 1.0


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (None, "no calibration file"),
        ("{", "not a readable calibration file"),
        ('{"kind": "other"}', "not a mecrouter quality calibration file"),
        ('{"kind": "quality-calibration", "format": 9}', "format 9"),
        ('{"kind": "quality-calibration", "format": 1, "beliefs": [{"model": "m"}]}', "belief 0"),
    ],
)
def test_a_bad_calibration_file_is_a_config_error(
    tmp_path: Path, content: str | None, words: str
) -> None:
    path = tmp_path / "cal.json"
    if content is not None:
        path.write_text(content)
    with pytest.raises(ConfigError) as info:
        QualityBeliefs.from_config(CONFIG.quality).load_file(path)
    assert "quality.calibration_path" in str(info.value) and words in str(info.value)
