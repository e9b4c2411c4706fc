"""The simulator's quality truth: recorded RouterBench outcomes for the labelled `quality`
scenario, the capability yardstick for the seed scenarios; never the router's predictor."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mecrouter.config import Config, load_config
from mecrouter.errors import ConfigError
from mecrouter.prediction import capability_fit, required_capability
from mecrouter.quality.data import load_test
from mecrouter.sim.engine import run_scenario
from mecrouter.sim.truth import YARDSTICKS, labelled_prompts
from mecrouter.sim.workloads import workload

DATA = Path(__file__).resolve().parents[2] / "data" / "routerbench"


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


def _recorded() -> dict[tuple[str, str], float]:
    """(prompt, model) -> recorded correctness, straight from the test split's rows."""
    split = load_test(DATA.parent)
    out: dict[tuple[str, str], float] = {}
    for model in ("mistralai/mistral-7b-chat", "gpt-4-1106-preview"):
        col = split.column(model)
        for prompt, value in zip(split.prompts, split.correct[:, col].tolist(), strict=True):
            out[(prompt, model)] = value
    return out


def test_labelled_prompts_carry_each_endpoints_recorded_outcome(config: Config) -> None:
    labels = labelled_prompts(config)
    assert len(labels.prompts) > 900 and len(set(labels.prompts)) == len(labels.prompts)
    recorded = _recorded()
    by_id = {ep.id: ep for ep in config.endpoints}
    for row in range(0, len(labels.prompts), 37):
        truth = labels.truth(row)
        for eid in ("mec-lon-mistral-7b", "cloud-nova-pro"):
            model = by_id[eid].benchmark_model
            assert model is not None
            assert truth[eid] == recorded[(labels.prompts[row], model)]


def test_an_endpoint_without_a_benchmark_model_is_named(config: Config) -> None:
    eps = [ep.model_copy(update={"benchmark_model": None}) if k == 0 else ep
           for k, ep in enumerate(config.endpoints)]  # fmt: skip
    broken = config.model_copy(update={"endpoints": eps})
    with pytest.raises(ConfigError, match=f"endpoints.{eps[0].id}.benchmark_model"):
        labelled_prompts(broken)
    eps[0] = eps[0].model_copy(update={"benchmark_model": "gpt-5"})
    with pytest.raises(ConfigError, match="unknown RouterBench model 'gpt-5'"):
        labelled_prompts(config.model_copy(update={"endpoints": eps}))


def test_the_quality_scenario_judges_answers_by_the_recorded_outcomes(config: Config) -> None:
    result = run_scenario(
        workload("quality"), n=400, seed=3, config=config,
        policies=("mecrouter", "cloud-only", "oracle"),
    )  # fmt: skip
    assert result.notes["quality_yardstick"] == YARDSTICKS["labelled"]
    labels = labelled_prompts(config)
    rows = {p: k for k, p in enumerate(labels.prompts)}
    from mecrouter.sim.requests import build_requests

    reqs = build_requests(workload("quality"), 400, 3, config=config)
    for name, run in result.policies.items():
        out = run.outcomes
        served = np.flatnonzero(out.success)
        expected = [labels.good[rows[reqs.prompt[i]], int(out.endpoint[i])] for i in served]
        np.testing.assert_array_equal(out.quality[served], expected, err_msg=name)
        s = run.summary
        assert s["quality_mean_lo"] <= s["quality_mean"] <= s["quality_mean_hi"], name
        assert s["regret_lo"] <= s["regret"] <= s["regret_hi"], name
    oracle, ours = result.policies["oracle"].summary, result.policies["mecrouter"].summary
    assert oracle["quality_mean"] > ours["quality_mean"]  # it knows the outcomes
    assert result.policies["cloud-only"].summary["quality_vs_ref_pct"] == pytest.approx(100.0)


def test_seed_scenarios_use_the_capability_yardstick_not_the_predictor(config: Config) -> None:
    result = run_scenario(workload("iot"), n=200, seed=1, config=config, policies=("mecrouter",))
    assert result.notes["quality_yardstick"] == YARDSTICKS["capability"]
    out = result.policies["mecrouter"].outcomes
    served = np.flatnonzero(out.success)
    caps = np.array([ep.capability for ep in config.endpoints])[out.endpoint[served]]
    # Every served answer's quality is capability_fit of its endpoint at some complexity in
    # [0, 1]: between the fits at the hardest and at the easiest request.
    low = [capability_fit(c, required_capability(1.0)) for c in caps]
    high = [capability_fit(c, required_capability(0.0)) for c in caps]
    assert np.all(out.quality[served] >= np.array(low) - 1e-12)
    assert np.all(out.quality[served] <= np.array(high) + 1e-12)
