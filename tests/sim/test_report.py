"""The report: files written, figures that match the outcomes, and the same bytes every run."""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from mecrouter.sim.report import write_report
from mecrouter.sim.results import FaultWindow, Outcomes, PolicyResult, ScenarioResult, summarise

N = 200
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
FAULT = FaultWindow(kind="network_partition", target="cloud", start_s=40.0, end_s=60.0)


def _outcomes(
    latency_ms: np.ndarray[Any, Any],
    *,
    tier: int | np.ndarray[Any, Any],
    cost_usd: float,
    utility: float,
    served: np.ndarray[Any, Any] | None = None,
) -> Outcomes:
    out = Outcomes.empty(N)
    out.arrival_s = np.linspace(0.0, 100.0, N)
    out.slo_ms = np.full(N, 800.0)
    ok = np.ones(N, dtype=np.bool_) if served is None else served
    out.success = ok
    out.latency_ms = np.where(ok, latency_ms, np.nan)
    out.total_ms = out.latency_ms.copy()
    out.ttft_ms = out.latency_ms / 4
    out.tier = np.where(ok, tier, -1).astype(np.int8)
    out.endpoint = np.where(ok, out.tier, -1).astype(np.int16)
    out.slo_met = ok & (out.latency_ms <= 800.0)
    out.cost_usd = np.where(ok, cost_usd, 0.0)
    out.quality = np.where(ok, 0.9, 0.0)
    out.quality_ok = ok.copy()
    out.utility = np.where(ok, utility, 0.0)
    return out


def _scenario(name: str = "gaming", *, faults: bool = True) -> ScenarioResult:
    """cloud-only p95 1000 ms at $1.6/1k; mecrouter p95 600 ms at $1.2/1k with 95% quality-ok."""
    index = np.arange(N)
    arrival = np.linspace(0.0, 100.0, N)
    in_fault = (arrival >= FAULT.start_s) & (arrival < FAULT.end_s)
    cloud_served = ~in_fault if faults else np.ones(N, dtype=np.bool_)
    cloud = _outcomes(
        np.minimum(np.linspace(100, 1400, N), 1000.0),
        tier=2,
        cost_usd=0.0016 * N / cloud_served.sum(),  # $1.6 per 1k requests either way
        utility=0.8,
        served=cloud_served,
    )
    ours = _outcomes(
        np.minimum(np.linspace(60, 840, N), 600.0),
        tier=np.where(in_fault, 1, index % 3),
        cost_usd=0.0012,
        utility=0.85,
    )
    ours.quality_ok[:10] = False
    ours.fallbacks[in_fault] = 1
    oracle = _outcomes(np.full(N, 300.0), tier=1, cost_usd=0.001, utility=0.9)
    nothing = Outcomes.empty(N)
    nothing.arrival_s = arrival.copy()
    nothing.slo_ms = np.full(N, 800.0)
    runs = {"mecrouter": ours, "cloud-only": cloud, "oracle": oracle, "device-first": nothing}
    return ScenarioResult(
        scenario=name,
        description=f"{name}: synthetic outcomes with known figures.",
        seed=7,
        n_requests=N,
        duration_s=100.0,
        endpoints=["phone", "mec-1", "cloud-eu"],
        faults=[FAULT] if faults else [],
        policies={k: PolicyResult(k, v, wall_s=0.25) for k, v in runs.items()},
        notes={"rate_rps": np.float64(2.0), "mix": np.array([1, 2]), "tags": ("a", "b")},
    )


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out_dir = tmp_path_factory.mktemp("report") / "nested"
    return write_report([_scenario("gaming"), _scenario("iot", faults=False)], out_dir)


def _section(markdown: str, scenario: str) -> str:
    return markdown.split(f"## {scenario}\n", 1)[1].split("\n## ", 1)[0]


def test_writes_markdown_json_and_valid_pngs(written: Path) -> None:
    out_dir = written.parent
    assert written == out_dir / "report.md"
    expected = [f"gaming-{k}.png" for k in ("latency-cdf", "cost-latency", "tier-mix")]
    expected += ["gaming-fault-effect.png", "iot-latency-cdf.png", "iot-tier-mix.png"]
    for name in expected:
        data = (out_dir / name).read_bytes()
        assert data.startswith(PNG_SIGNATURE) and len(data) > 5000
        assert b"Software" not in data and b"Matplotlib" not in data
    assert json.loads((out_dir / "results.json").read_text())["scenarios"]


def _rows(section: str, header: str) -> dict[str, str]:
    """The rows of the section's table whose header starts with `header`, by first cell."""
    (table,) = [t for t in section.split("\n\n") if t.startswith(header)]
    return {line.split(" | ")[0]: line for line in table.splitlines()[2:]}


def test_markdown_lists_every_policy_with_its_figures(written: Path) -> None:
    gaming = _section(written.read_text(), "gaming")
    rows = _rows(gaming, "| policy | success %")
    assert {"| mecrouter", "| cloud-only", "| oracle", "| device-first"} <= set(rows)
    ours = rows["| mecrouter"].split(" | ")[1:]
    # success %, mean, p50, p95, p99 ms, SLO %, $/1k, quality-ok %, privacy, fallbacks, mix, regret
    assert ours[:6] == ["100.0", "413", "450", "600", "600", "100.0"]
    assert ours[6:] == ["$1.200", "95.0", "0", "40", "27.0 / 47.0 / 26.0", "0.050 |"]
    assert rows["| cloud-only"].split(" | ")[1:8] == [
        *("80.0", "672", "750", "1000", "1000", "40.0", "$1.600"),
    ]
    assert rows["| device-first"].split(" | ")[1] == "0.0"
    assert "network_partition of cloud from t=40 s to t=60 s" in gaming


def test_markdown_states_deltas_against_cloud_only_and_oracle(written: Path) -> None:
    markdown = written.read_text()
    gaming = _section(markdown, "gaming")
    assert "**mecrouter vs cloud-only:** p95 −40%, cost −25%, quality-ok −5.0 pp" in gaming
    assert "success under faults 100.0% vs 0.0% (oracle: 100.0%)" in gaming
    assert "regret vs oracle 0.050 (mean utility 0.850 vs 0.900)" in gaming
    assert "no faults injected" in _section(markdown, "iot")
    assert "0.25 s (800 req/s)" in markdown


def test_markdown_embeds_plots_with_relative_links(written: Path) -> None:
    markdown = written.read_text()
    links = [line for line in markdown.splitlines() if line.startswith("![")]
    assert len(links) == 7
    for link in links:
        target = link.split("](", 1)[1].rstrip(")")
        assert "/" not in target and (written.parent / target).is_file()


def test_no_fault_plot_for_a_scenario_without_faults(written: Path) -> None:
    assert not (written.parent / "iot-fault-effect.png").exists()
    assert "iot-fault-effect" not in written.read_text()


def test_summary_table_has_one_row_per_scenario(written: Path) -> None:
    summary = written.read_text().split("## Summary\n", 1)[1]
    rows = [line for line in summary.splitlines() if line.startswith("| ")][2:]
    assert [r.split(" | ")[0] for r in rows] == ["| gaming", "| iot"]
    assert "| −40% |" in rows[0] and "| −25% |" in rows[0] and "100.0 / 0.0" in rows[0]


def test_json_numbers_equal_summaries_with_nan_as_null(written: Path) -> None:
    document = json.loads((written.parent / "results.json").read_text())
    gaming = document["scenarios"][0]
    scenario = _scenario("gaming")
    oracle = scenario.policies["oracle"].outcomes
    for name, run in scenario.policies.items():
        expected = summarise(run.outcomes, oracle)
        got = gaming["policies"][name]["summary"]
        assert set(got) == set(expected)
        for key, value in expected.items():
            assert got[key] == (None if math.isnan(value) else value), (name, key)
    assert gaming["policies"]["device-first"]["summary"]["p95_ms"] is None
    assert gaming["policies"]["mecrouter"]["requests_per_wall_s"] == 800.0
    assert gaming["comparison"]["p95_change_pct"] == pytest.approx(-40.0)
    assert gaming["faults"][0]["start_s"] == 40.0
    assert gaming["notes"] == {"rate_rps": 2.0, "mix": [1, 2], "tags": ["a", "b"]}
    assert document["scenarios"][1]["comparison"]["ours_success_under_faults_pct"] is None


def test_rerun_writes_identical_bytes(written: Path, tmp_path: Path) -> None:
    write_report([_scenario("gaming"), _scenario("iot", faults=False)], tmp_path)
    for path in sorted(written.parent.iterdir()):
        assert (tmp_path / path.name).read_bytes() == path.read_bytes(), path.name


def test_given_summary_is_used_as_is(tmp_path: Path) -> None:
    scenario = _scenario("mixed", faults=False)
    ours = scenario.policies["mecrouter"]
    ours.summary = {**summarise(ours.outcomes), "fallbacks": 7.0}
    write_report([scenario], tmp_path)
    document = json.loads((tmp_path / "results.json").read_text())
    assert document["scenarios"][0]["policies"]["mecrouter"]["summary"]["fallbacks"] == 7.0
    assert "regret" in document["scenarios"][0]["policies"]["mecrouter"]["summary"]
    assert "## Summary" not in (tmp_path / "report.md").read_text()


def test_ours_serving_nothing_still_plots(tmp_path: Path) -> None:
    scenario = _scenario("healthcare")
    empty = Outcomes.empty(N)
    empty.arrival_s = np.linspace(0.0, 100.0, N)
    scenario.policies["mecrouter"] = PolicyResult("mecrouter", empty)
    report = write_report([scenario], tmp_path, baseline="cloud-only")
    assert (tmp_path / "healthcare-tier-mix.png").read_bytes().startswith(PNG_SIGNATURE)
    assert (tmp_path / "healthcare-fault-effect.png").read_bytes().startswith(PNG_SIGNATURE)
    assert "p95 n/a, cost −100%" in report.read_text()


def test_prediction_error_per_tier_in_summary_markdown_and_json(tmp_path: Path) -> None:
    # device: predicted exactly; mec: 34 predicted 10% too slow, 33 30% too fast; cloud: half
    out = _outcomes(np.full(N, 400.0), tier=np.arange(N) % 3, cost_usd=0.001, utility=0.8)
    out.attempt_ms = np.full(N, 400.0)
    mec_error = np.where(np.arange(N) // 3 % 2 == 0, 1.1, 0.7)
    out.predicted_ms = 400.0 * np.select([out.tier == 1, out.tier == 2], [mec_error, 0.5], 1.0)
    nothing = Outcomes.empty(N)
    s = summarise(out)
    assert (s["device_pred_bias_pct"], s["device_pred_err_p95_pct"]) == (0.0, 0.0)
    assert s["mec_pred_bias_pct"] == pytest.approx(10.0)  # more too slow than too fast
    assert s["mec_pred_err_p50_pct"] == pytest.approx(10.0)
    assert s["mec_pred_err_p95_pct"] == pytest.approx(30.0)
    assert s["cloud_pred_bias_pct"] == pytest.approx(-50.0)  # predicted too fast
    assert math.isnan(summarise(nothing)["cloud_pred_err_p50_pct"])
    result = _scenario("gaming")
    result.policies = {
        "mecrouter": PolicyResult("mecrouter", out),
        "idle": PolicyResult("idle", nothing),
    }
    report = write_report([result], tmp_path)
    rows = _rows(_section(report.read_text(), "gaming"), "| policy | device: bias")
    assert rows["| mecrouter"].split(" | ")[1:] == [
        "±0 / 0 / 0",
        "+10 / 10 / 30",
        "−50 / 50 / 50 |",
    ]
    assert rows["| idle"].split(" | ")[1:] == ["\N{EM DASH}", "\N{EM DASH}", "\N{EM DASH} |"]
    figures = json.loads((tmp_path / "results.json").read_text())["scenarios"][0]["policies"]
    assert figures["mecrouter"]["summary"]["cloud_pred_bias_pct"] == pytest.approx(-50.0)
    assert figures["idle"]["summary"]["mec_pred_bias_pct"] is None
