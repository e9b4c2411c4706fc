"""The advisor in the simulator (`sim.advisor`, `sim.advisor_study`): the same gates as the
gateway, the modelled wait before the first attempt, the ASSUMED accuracy steering the choice,
and `mecrouter simulate --reasoner-accuracy`."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pytest
import typer
from typer.testing import CliRunner

from mecrouter.cli import app
from mecrouter.config import Config, load_config
from mecrouter.sim.advisor import AdvisorModel, advisor_profile
from mecrouter.sim.advisor_command import parse_accuracies
from mecrouter.sim.advisor_study import advisor_study, paired_gain
from mecrouter.sim.engine import simulate_policy
from mecrouter.sim.requests import build_requests
from mecrouter.sim.results import Outcomes
from mecrouter.sim.run import Run
from mecrouter.sim.workloads import WORKLOADS

N = 1500


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


@pytest.fixture(scope="module")
def study(config: Config) -> dict[str, Any]:
    return advisor_study(WORKLOADS["quality"], n=N, seed=3, accuracies=[0.0, 1.0], config=config)


def test_the_profile_is_the_configs_nova_pro(config: Config) -> None:
    assert advisor_profile(config).id == "cloud-nova-pro"


def test_without_the_advisor_a_run_is_the_plain_policy_run(config: Config) -> None:
    reqs = build_requests(WORKLOADS["quality"], 400, 5, None, config)
    plain = simulate_policy(config, reqs, "mecrouter", 5).outcomes
    run = Run(config, reqs, "mecrouter", 5, None)
    run.start()
    run.env.run()
    out = run.collect()
    assert run.advisor is None
    np.testing.assert_array_equal(out.endpoint, plain.endpoint)
    np.testing.assert_array_equal(out.ttft_ms, plain.ttft_ms)


def test_a_perfect_advisor_gains_quality_and_a_contrary_one_loses_it(study: dict[str, Any]) -> None:
    off, never, always = study["rows"]
    assert off["accuracy"] is None and never["accuracy"] == 0.0 and always["accuracy"] == 1.0
    assert always["gain"] > 0 > never["gain"]
    assert always["verdicts"]["overruled"] <= always["verdicts"]["truth_differs"]
    # accuracy 0 overrules whenever the pair differs with the learned pick better, or agree
    # on a tie: it always takes the worse, so it overrules at least as often as the perfect one
    assert never["verdicts"]["overruled"] >= always["verdicts"]["overruled"]


def test_the_advisors_wait_is_paid_in_latency_and_counted(study: dict[str, Any]) -> None:
    off, _, on = study["rows"]
    assert on["asked_pct"] > 0
    assert 1_000 < on["mean_wait_ms"] <= study["settings"]["timeout_ms"]
    assert on["mean_ms"] > off["mean_ms"]
    v = on["verdicts"]
    asked = v.get("agreed", 0) + v.get("overruled", 0) + v.get("timeout", 0)
    assert asked + v.get("skipped_margin", 0) + v.get("skipped_budget", 0) == N


def test_where_the_slo_cannot_afford_it_nothing_changes(config: Config) -> None:
    st = advisor_study(WORKLOADS["iot"], n=300, seed=2, accuracies=[1.0], config=config)
    off, on = st["rows"]
    assert on["asked_pct"] == 0.0 and on["mean_wait_ms"] == 0.0
    assert (on["p95_ms"], on["quality_mean"]) == (off["p95_ms"], off["quality_mean"])


def test_a_tight_margin_asks_nothing(config: Config) -> None:
    raw = config.model_dump(mode="json", exclude_none=True)
    raw["routing"]["reasoner"]["margin"] = 0.0
    tight = load_config(raw)
    st = advisor_study(WORKLOADS["quality"], n=300, seed=2, accuracies=[1.0], config=tight)
    assert st["rows"][1]["verdicts"].get("skipped_margin", 0) >= 299


def test_the_paired_gain_resamples_prompts() -> None:
    on, off = Outcomes.empty(4), Outcomes.empty(4)
    on.success[:] = off.success[:] = True
    on.quality[:] = [1.0, 1.0, 0.0, 1.0]
    off.quality[:] = [0.0, 1.0, 0.0, 1.0]
    gain, lo, hi = paired_gain(on, off, np.array([0, 1, 2, 3]), seed=1)
    assert gain == 0.25 and 0.0 <= lo <= gain <= hi <= 1.0
    assert AdvisorModel(0.8, load_config().routing.reasoner).accuracy == 0.8


def test_accuracies_must_be_probabilities() -> None:
    assert parse_accuracies("0.5, 0.8,1") == [0.5, 0.8, 1.0]
    for bad in ("", "x", "1.5", "-0.1"):
        with pytest.raises(typer.BadParameter):
            parse_accuracies(bad)


def test_the_command_writes_the_study(tmp_path: Path) -> None:
    out = tmp_path / "adv"
    args = ["simulate", "--scenario", "quality", "--requests", "300", "--seed", "2"]
    result = CliRunner().invoke(app, [*args, "--reasoner-accuracy", "0.8", "--out", str(out)])
    assert result.exit_code == 0, result.output
    text = (out / "advisor.md").read_text()
    assert "accuracy 0.8 (assumed)" in text and "ASSUMED accuracy" in text
    assert "llmperf/bedrock_70b" in text
    (study,) = json.loads((out / "advisor.json").read_text())
    assert [r["accuracy"] for r in study["rows"]] == [None, 0.8]
    bad = CliRunner().invoke(app, [*args, "--reasoner-accuracy", "2", "--out", str(out)])
    assert bad.exit_code == 2
