"""`mecrouter privacy-train` (`eval.privacy_train`): grouped folds, the shipped weights
reproduced from train and dev, and a command that never reads a test split."""

from __future__ import annotations

import csv
import math
import sys
from pathlib import Path

import numpy as np
from typer.testing import CliRunner

from mecrouter.agents.privacy_model import HEALTH_BITS, HealthModel, load_model
from mecrouter.cli import app
from mecrouter.eval.privacy_fit import FOLDS, fit_linear, matrix, template_folds
from mecrouter.eval.privacy_train import (
    C_HEALTH,
    GENERAL_SETS,
    fit_health_model,
    general_prompts,
    health_rows,
)
from mecrouter.privacy_labels import TUNING_SPLITS, LabelledPrompt, read_corpus

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"


def _tuning_prompts() -> list[LabelledPrompt]:
    return [p for split in TUNING_SPLITS for p in read_corpus(DATA / "privacy" / f"{split}.jsonl")]


def test_folds_hold_whole_templates_and_are_balanced() -> None:
    prompts = _tuning_prompts()
    fold_of = template_folds(prompts)
    assert fold_of == template_folds(prompts)  # the same on every run
    by_template: dict[str, set[int]] = {}
    for p, f in zip(prompts, fold_of, strict=True):
        by_template.setdefault(p.template, set()).add(f)
    assert all(len(folds) == 1 for folds in by_template.values())
    sizes = np.bincount(fold_of, minlength=FOLDS)
    assert sizes.min() > 0.9 * sizes.max()


def test_general_prompts_are_train_files_only() -> None:
    general = general_prompts(DATA / "routerbench")
    assert {p.template for p in general} == {f"routerbench-{n}" for n in GENERAL_SETS}
    assert all(p.level == "public" and not p.entities for p in general)


def test_refitting_reproduces_the_shipped_weights() -> None:
    """The final fit on every row of the tuning splits and the general prompts gives the shipped
    weights (the threshold comes from the cross-validation, which `privacy-train` reruns), up to
    rounding: OpenBLAS picks its kernels by CPU, so lbfgs's path rounds differently on another
    host (up to 0.0016 apart, on weights up to about 7, between two VMs of this project)."""
    shipped = load_model()
    assert shipped is not None
    rows = health_rows([*_tuning_prompts(), *general_prompts(DATA / "routerbench")])
    w, b = fit_linear(matrix(rows.features, HEALTH_BITS), np.asarray(rows.labels), C_HEALTH)
    np.testing.assert_allclose(np.asarray(shipped.weights), w, atol=5e-3)
    assert math.isclose(shipped.bias, b, abs_tol=5e-3)


def test_fit_on_a_sample_chooses_a_threshold_from_held_out_scores() -> None:
    prompts = _tuning_prompts()[::18]  # seven splits: a sample keeps the fit to seconds
    general = general_prompts(DATA / "routerbench")[::9]
    fitted = fit_health_model(prompts, general)
    assert len(fitted.folds) == FOLDS
    assert all(f.threshold == fitted.model.threshold for f in fitted.folds)
    report = fitted.report
    assert report["prompts"] == len(prompts) and report["general_prompts"] == len(general)
    assert 0.0 <= float(report["oof_recall_health_prompts"]) <= 1.0  # type: ignore[arg-type]
    assert float(report["oof_raised_rules_public_without_health"]) <= 0.01  # type: ignore[arg-type]


def _small_data(root: Path) -> None:
    """A sample of each tuning split (no test split at all), and a few rows of each general file."""
    (root / "privacy").mkdir(parents=True)
    for split in TUNING_SPLITS:
        lines = (DATA / "privacy" / f"{split}.jsonl").read_text(encoding="utf-8").splitlines()
        (root / "privacy" / f"{split}.jsonl").write_text(
            "\n".join(lines[::30]) + "\n", encoding="utf-8"
        )
    (root / "routerbench").mkdir()
    csv.field_size_limit(sys.maxsize)
    for name in GENERAL_SETS:
        source = DATA / "routerbench" / f"{name}_train.csv"
        with source.open(newline="", encoding="utf-8") as fh:
            rows = list(csv.reader(fh))[:40]
        with (root / "routerbench" / source.name).open("w", newline="", encoding="utf-8") as fh:
            csv.writer(fh).writerows(rows)


def test_the_command_writes_a_model_without_any_test_split(tmp_path: Path) -> None:
    _small_data(tmp_path / "data")
    out = tmp_path / "model.npz"
    result = CliRunner().invoke(
        app,
        [
            "privacy-train",
            "--data", str(tmp_path / "data"),
            "--model", str(out),
            "--out", str(tmp_path / "report"),
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    model = HealthModel.load(out)
    assert len(model.weights) == 1 << HEALTH_BITS
    assert (tmp_path / "report" / "cv.json").is_file()
    assert "templates held out" in result.output
