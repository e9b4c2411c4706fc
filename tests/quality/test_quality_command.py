"""`train-quality` and `eval-quality` through typer: files written, test data held out, errors."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from mecrouter.eval.quality_command import eval_quality, train_quality
from mecrouter.quality.model import SHIPPED_FAST_MODEL, FastQualityModel

runner = CliRunner()
app = typer.Typer()
app.command("train-quality")(train_quality)
app.command("eval-quality")(eval_quality)


def test_train_quality_writes_a_model_and_never_opens_a_test_file(
    bench: Path, tmp_path: Path, opened_files: list[str]
) -> None:
    out = tmp_path / "m.npz"
    result = runner.invoke(app, ["train-quality", "--data", str(bench), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "trained on 160 prompts" in result.output
    assert any(p.endswith("mbpp_train.csv") for p in opened_files)
    assert not [p for p in opened_files if p.endswith("_test.csv")]
    assert FastQualityModel.load(out).meta["seed"] == 0


def test_eval_quality_opens_test_files_only_after_training(
    bench: Path, tmp_path: Path, opened_files: list[str]
) -> None:
    out = tmp_path / "report"
    result = runner.invoke(
        app, ["eval-quality", "--data", str(bench), "--out", str(out), "--no-embedding"]
    )
    assert result.exit_code == 0, result.output
    csvs = [Path(p).name for p in opened_files if p.endswith(".csv")]
    first_test = min(i for i, name in enumerate(csvs) if name.endswith("_test.csv"))
    assert all(name.endswith("_train.csv") for name in csvs[:first_test])
    results = json.loads((out / "results.json").read_text())
    assert set(results) == {"arc_challenge", "mbpp", "overall"}
    assert 0 <= results["overall"]["routers"]["fast"]["mec_vs_cloud"]["apgr"] <= 1.5
    assert (out / "quality-cost.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert "Routing metrics on test" in result.output
    lobo = json.loads((out / "leave-one-benchmark-out.json").read_text())
    assert lobo["pair"] == ["mistralai/mixtral-8x7b-chat", "gpt-4-1106-preview"]
    folds = lobo["held_out"]
    assert set(folds) == {"arc_challenge", "mbpp", "pooled"}
    assert folds["mbpp"]["trained_on"] == ["arc_challenge"]  # never its own benchmark
    held = folds["arc_challenge"]["prompts"] + folds["mbpp"]["prompts"]
    assert folds["pooled"]["prompts"] == held
    for fold in folds.values():
        assert {"fast", "prompt length", "random"} <= set(fold)
    assert "Leave one benchmark out" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["train-quality", "--data", "{bench}/routerbench/mbpp_test.csv"], "held-out"),
        (["train-quality", "--data", "{tmp}/nowhere"], "not found"),
        (["train-quality", "--data", "{tmp}/empty"], "no *_train.csv"),
        (["eval-quality", "--data", "{tmp}/nowhere"], "not found"),
        (["eval-quality", "--data", "{tmp}/empty"], "no *_train.csv"),
        (["train-quality", "--seed", "twelve"], "Invalid value for '--seed'"),
        (["train-quality", "--data", "{bench}", "--out", "{bench}/routerbench"], "directory"),
    ],
)
def test_bad_input_exits_2_with_a_message_not_a_traceback(
    bench: Path, tmp_path: Path, args: list[str], message: str
) -> None:
    (tmp_path / "empty" / "routerbench").mkdir(parents=True)
    args = [a.format(bench=bench, tmp=tmp_path) for a in args]
    if "--out" not in args:
        args += ["--out", str(tmp_path / "out")]
    result = runner.invoke(app, args)
    assert result.exit_code == 2, result.output
    assert message in result.output
    assert "Traceback" not in result.output


def test_retraining_reproduces_the_shipped_model_to_round_off(
    tmp_path: Path, opened_files: list[str], measured_data: Path
) -> None:
    """Same entries, same integers and metadata, floats equal to round-off: the BLAS kernel
    numpy picks depends on the CPU (on an AVX-512 machine the shipped bias differs by 7e-16)."""
    folder = measured_data
    seed = FastQualityModel.load(SHIPPED_FAST_MODEL).meta["seed"]
    out = tmp_path / "fast_model.npz"
    args = ["train-quality", "--data", str(folder), "--out", str(out), "--seed", str(seed)]
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    with np.load(out) as mine, np.load(SHIPPED_FAST_MODEL) as shipped:
        assert sorted(mine.files) == sorted(shipped.files)
        for name in shipped.files:
            a, b = mine[name], shipped[name]
            assert a.dtype == b.dtype and a.shape == b.shape, name
            if a.dtype.kind == "f":
                np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-12, err_msg=name)
            else:
                assert np.array_equal(a, b), name
    assert not [p for p in opened_files if p.endswith("_test.csv")]
