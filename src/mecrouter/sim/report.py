"""Write a simulation run up for people and for scripts: Markdown, PNG plots and JSON.

`write_report` takes the `ScenarioResult`s of one run and writes into one directory:
`report.md` (how it was run, per scenario every policy's figures, ours against the baseline and
the oracle, the plots), `<scenario>-<plot>.png` (drawn by `plots`), and `results.json` holding
every number the Markdown shows.
"""

from __future__ import annotations

import dataclasses
import json
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from mecrouter.compiled import compiled
from mecrouter.sim.drift import Drift, regret_over_time
from mecrouter.sim.plots import PLOTS, write_plots
from mecrouter.sim.results import TIERS, FaultWindow, ScenarioResult, summarise

__all__ = ["write_report"]

F64 = npt.NDArray[np.float64]
Summary = dict[str, float]
NAN = float("nan")
MINUS = "\N{MINUS SIGN}"
DASH = "\N{EM DASH}"


@dataclass(frozen=True, slots=True)
class _Roles:
    ours: str
    baseline: str
    oracle: str


@dataclass(slots=True)
class _Scenario:
    result: ScenarioResult
    summaries: dict[str, Summary]
    comparison: Summary | None  # ours vs baseline; None when either did not run
    plots: dict[str, str] = field(default_factory=dict)  # plot kind -> file name


def write_report(
    results: Sequence[ScenarioResult],
    out_dir: Path,
    *,
    baseline: str = "cloud-only",
    ours: str = "mecrouter",
    oracle: str = "oracle",
) -> Path:
    """Write report.md, results.json and the plots into `out_dir`; return report.md's path."""
    roles = _Roles(ours=ours, baseline=baseline, oracle=oracle)
    out_dir.mkdir(parents=True, exist_ok=True)
    scenarios = [_prepare(result, roles) for result in results]
    for scenario in scenarios:
        scenario.plots = write_plots(
            scenario.result, scenario.summaries, out_dir,
            ours=roles.ours, baseline=roles.baseline, oracle=roles.oracle,
        )  # fmt: skip
    report = out_dir / "report.md"
    report.write_text(_markdown(scenarios, roles), encoding="utf-8")
    (out_dir / "results.json").write_text(_json_text(scenarios, roles), encoding="utf-8")
    return report


# --- figures -------------------------------------------------------------------------------


def _prepare(result: ScenarioResult, roles: _Roles) -> _Scenario:
    oracle = result.policies.get(roles.oracle)
    oracle_out = oracle.outcomes if oracle is not None else None
    summaries: dict[str, Summary] = {}
    for name, run in result.policies.items():
        summary = dict(run.summary) if run.summary else summarise(run.outcomes, oracle_out)
        if "regret" not in summary and oracle_out is not None:
            summary["regret"] = summarise(run.outcomes, oracle_out)["regret"]
        summaries[name] = summary
    return _Scenario(result, summaries, _compare(result, summaries, roles))


def _compare(
    result: ScenarioResult, summaries: dict[str, Summary], roles: _Roles
) -> Summary | None:
    ours, base = summaries.get(roles.ours), summaries.get(roles.baseline)
    if ours is None or base is None:
        return None
    return {
        "p95_change_pct": _rel_change(_get(ours, "p95_ms"), _get(base, "p95_ms")),
        "cost_change_pct": _rel_change(
            _get(ours, "cost_per_1k_usd"), _get(base, "cost_per_1k_usd")
        ),
        "quality_ok_delta_pp": _get(ours, "quality_ok_pct") - _get(base, "quality_ok_pct"),
        "ours_success_under_faults_pct": _success_under_faults(result, roles.ours),
        "baseline_success_under_faults_pct": _success_under_faults(result, roles.baseline),
        "oracle_success_under_faults_pct": _success_under_faults(result, roles.oracle),
        "regret": _get(ours, "regret"),
        "ours_utility_mean": _get(ours, "utility_mean"),
        "oracle_utility_mean": _get(summaries.get(roles.oracle, {}), "utility_mean"),
    }


def _get(summary: Mapping[str, float], key: str) -> float:
    return float(summary.get(key, NAN))


def _rel_change(value: float, reference: float) -> float:
    """Percent change from `reference`; NaN when either is missing or the reference is 0."""
    if not (math.isfinite(value) and math.isfinite(reference)) or reference == 0:
        return NAN
    return 100.0 * (value - reference) / reference


def _in_faults(arrival_s: F64, faults: Sequence[FaultWindow]) -> npt.NDArray[np.bool_]:
    mask = np.zeros(arrival_s.shape, dtype=np.bool_)
    for fault in faults:
        mask |= (arrival_s >= fault.start_s) & (arrival_s < fault.end_s)
    return mask


def _success_under_faults(result: ScenarioResult, policy: str) -> float:
    """Success % of the requests that arrived during a fault window; NaN if there were none."""
    run = result.policies.get(policy)
    if run is None:
        return NAN
    mask = _in_faults(run.outcomes.arrival_s, result.faults)
    return 100.0 * float(run.outcomes.success[mask].mean()) if mask.any() else NAN


def _requests_per_wall_s(n_requests: int, wall_s: float) -> float:
    return n_requests / wall_s if wall_s > 0 else NAN


# --- formatting ----------------------------------------------------------------------------


def _fixed(value: float, decimals: int) -> str:
    if not math.isfinite(value):
        return DASH
    rounded = round(value, decimals) + 0.0  # + 0.0 turns -0.0 into 0.0
    return f"{rounded:.{decimals}f}".replace("-", MINUS)


def _ms(value: float) -> str:
    return _fixed(value, 0)


def _pct(value: float) -> str:
    return _fixed(value, 1)


def _usd(value: float) -> str:
    """Dollars to 4 significant digits: $1.235, $0.01235, $1235."""
    if not math.isfinite(value):
        return DASH
    if value == 0:
        return "$0"
    return "$" + _fixed(value, max(0, 3 - math.floor(math.log10(abs(value)))))


def _signed(value: float, decimals: int, unit: str) -> str:
    """A change with its sign spelled out: +12%, −40%, ±0%; n/a when unknown."""
    if not math.isfinite(value):
        return "n/a"
    rounded = round(value, decimals) + 0.0
    sign = "+" if rounded > 0 else MINUS if rounded < 0 else "±"
    return f"{sign}{abs(rounded):.{decimals}f}{unit}"


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def _row(cells: Sequence[str]) -> str:
    return "| " + " | ".join(_cell(c) for c in cells) + " |"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    return [_row(header), _row(["---"] * len(header)), *(_row(r) for r in rows)]


# --- Markdown ------------------------------------------------------------------------------

_POLICY_COLUMNS: tuple[tuple[str, str, Callable[[float], str]], ...] = (
    ("success %", "success_pct", _pct),
    ("mean ms", "mean_ms", _ms),
    ("p50 ms", "p50_ms", _ms),
    ("p95 ms", "p95_ms", _ms),
    ("p99 ms", "p99_ms", _ms),
    ("SLO met %", "slo_pct", _pct),
    ("$ / 1k req", "cost_per_1k_usd", _usd),
    ("quality-ok %", "quality_ok_pct", _pct),
    ("privacy violations", "privacy_violations", _ms),
    ("fallbacks", "fallbacks", _ms),
)


def _markdown(scenarios: Sequence[_Scenario], roles: _Roles) -> str:
    lines = ["# mecrouter simulation report", ""]
    lines += _md_run(scenarios)
    for scenario in scenarios:
        lines += _md_scenario(scenario, roles)
    if len(scenarios) > 1:
        lines += _md_summary(scenarios, roles)
    return "\n".join(lines).rstrip() + "\n"


def _md_run(scenarios: Sequence[_Scenario]) -> list[str]:
    lines = [
        "## How it was run",
        "",
        "Every policy saw the same requests of a scenario. Latencies are on each request's SLO "
        "metric (TTFT or total) over served requests; regret is the oracle's mean utility minus "
        "the policy's.",
        "",
    ]
    rows = [
        [s.result.scenario, str(s.result.seed), str(s.result.n_requests), _ms(s.result.duration_s)]
        for s in scenarios
    ]
    lines += [*_table(["scenario", "seed", "requests", "simulated s"], rows), ""]
    policies = list(dict.fromkeys(p for s in scenarios for p in s.result.policies))
    header = ["wall time (simulated req / wall s)", *(s.result.scenario for s in scenarios)]
    wall_rows = [
        [policy, *(_md_wall_cell(s.result, policy) for s in scenarios)] for policy in policies
    ]
    fast = compiled()
    build = (
        f"Wall times are of the compiled build (`make fast`: {', '.join(fast)})."
        if fast
        else "Wall times are of the pure-Python build (`make fast` compiles the hot modules, "
        "which runs the simulator about twice as fast)."
    )
    return [*lines, *_table(header, wall_rows), "", build, ""]


def _md_wall_cell(result: ScenarioResult, policy: str) -> str:
    run = result.policies.get(policy)
    if run is None:
        return DASH
    rate = _requests_per_wall_s(result.n_requests, run.wall_s)
    return f"{_fixed(run.wall_s, 2)} s ({_ms(rate)} req/s)"


def _md_scenario(scenario: _Scenario, roles: _Roles) -> list[str]:
    result = scenario.result
    lines = [f"## {result.scenario}", "", result.description, ""]
    if result.faults:
        lines += ["Faults injected:", "", *(f"- {f.describe()}" for f in result.faults), ""]
    else:
        lines += ["No faults injected.", ""]
    lines += [*_md_policy_table(scenario.summaries), ""]
    lines += [_md_privacy_note(int(result.notes.get("personal_prompts", 0) or 0), result), ""]
    lines += _md_quality(scenario.summaries, str(result.notes.get("quality_yardstick", "")))
    lines += _md_prediction_error(scenario.summaries)
    if scenario.comparison is not None:
        lines += [_md_comparison(scenario.comparison, roles, bool(result.faults)), ""]
    drift = regret_over_time(result)
    if drift is not None:
        lines += _md_drift(drift)
    captions = dict(PLOTS)
    for kind, file_name in scenario.plots.items():
        lines += [f"![{captions[kind]}]({file_name})", ""]
    return lines


def _md_privacy_note(personal: int, result: ScenarioResult) -> str:
    """How privacy violations are judged: by the prompts' true levels, never the detector's."""
    where = (
        f"{personal:,} of the {result.n_requests:,} requests carry personal data, drawn from the "
        "privacy corpus's test split with its ground-truth labels; the use cases' own prompts "
        "carry none"
        if personal
        else "no request carries personal data"
    )
    return (
        f"Privacy violations are judged by each prompt's true level, not the detector's: {where}. "
        "A request served where its true level (raised to its use case's floor) may not go is a "
        "violation, so a detector miss shows here."
    )


def _md_policy_table(summaries: dict[str, Summary]) -> list[str]:
    header = ["policy", *(c[0] for c in _POLICY_COLUMNS), "device / mec / cloud %", "regret"]
    rows = []
    for policy, summary in summaries.items():
        cells = [fmt(_get(summary, key)) for _, key, fmt in _POLICY_COLUMNS]
        mix = " / ".join(_pct(_get(summary, f"{tier}_pct")) for tier in TIERS)
        rows.append([policy, *cells, mix, _fixed(_get(summary, "regret"), 3)])
    return _table(header, rows)


def _interval(summary: Summary, key: str, decimals: int) -> str:
    """`key`'s value with its 95% bootstrap interval, when the run has one."""
    value = _fixed(_get(summary, key), decimals)
    lo, hi = _get(summary, f"{key}_lo"), _get(summary, f"{key}_hi")
    if math.isnan(lo) or math.isnan(hi):
        return value
    return f"{value} [{_fixed(lo, decimals)}, {_fixed(hi, decimals)}]"


def _md_quality(summaries: dict[str, Summary], yardstick: str) -> list[str]:
    header = ["policy", "quality", "quality vs cloud-only %", "utility", "regret"]
    rows = [
        [
            policy,
            _interval(summary, "quality_mean", 3),
            _interval(summary, "quality_vs_ref_pct", 1),
            _interval(summary, "utility_mean", 3),
            _interval(summary, "regret", 3),
        ]
        for policy, summary in summaries.items()
    ]
    return [
        f"Quality is judged on the {yardstick}. Mean quality over served requests, its share "
        "of cloud-only's on the same requests, mean utility and regret against the oracle, each "
        "with a 95% bootstrap interval over prompts:",
        "",
        *_table(header, rows),
        "",
    ]


def _md_prediction_error(summaries: dict[str, Summary]) -> list[str]:
    """Per policy and tier: median signed / median / p95 relative error of the predicted latency
    of the attempt that served, against what it took in the world."""
    header = ["policy", *(f"{tier}: bias / p50 / p95 %" for tier in TIERS)]
    rows = []
    for policy, summary in summaries.items():
        cells = [
            f"{_signed(_get(summary, f'{tier}_pred_bias_pct'), 0, '')} / "
            f"{_fixed(_get(summary, f'{tier}_pred_err_p50_pct'), 0)} / "
            f"{_fixed(_get(summary, f'{tier}_pred_err_p95_pct'), 0)}"
            if math.isfinite(_get(summary, f"{tier}_pred_err_p50_pct"))
            else DASH
            for tier in TIERS
        ]
        rows.append([policy, *cells])
    return [
        "How wrong each policy's latency predictions were: for the attempt that served a request, "
        "predicted / actual − 1 (bias: the median, + = predicted too slow; then the median and "
        "95th percentile of its size), per tier that served.",
        "",
        *_table(header, rows),
        "",
    ]


def _md_comparison(comparison: Summary, roles: _Roles, faulted: bool) -> str:
    changes = ", ".join(
        [
            f"p95 {_signed(comparison['p95_change_pct'], 0, '%')}",
            f"cost {_signed(comparison['cost_change_pct'], 0, '%')}",
            f"quality-ok {_signed(comparison['quality_ok_delta_pp'], 1, ' pp')}",
        ]
    )
    if faulted:
        availability = (
            f"success under faults {_pct(comparison['ours_success_under_faults_pct'])}% vs "
            f"{_pct(comparison['baseline_success_under_faults_pct'])}% "
            f"({roles.oracle}: {_pct(comparison['oracle_success_under_faults_pct'])}%)"
        )
    else:
        availability = "no faults injected"
    gap = (
        f"regret vs {roles.oracle} {_fixed(comparison['regret'], 3)} (mean utility "
        f"{_fixed(comparison['ours_utility_mean'], 3)} vs "
        f"{_fixed(comparison['oracle_utility_mean'], 3)})"
    )
    return f"**{roles.ours} vs {roles.baseline}:** {changes}; {availability}; {gap}."


def _md_summary(scenarios: Sequence[_Scenario], roles: _Roles) -> list[str]:
    header = [
        "scenario",
        f"{roles.ours} p95 ms",
        f"{roles.baseline} p95 ms",
        "Δ p95",
        f"{roles.ours} $ / 1k",
        f"{roles.baseline} $ / 1k",
        "Δ cost",
        "Δ quality-ok",
        "success under faults (ours / baseline %)",
        "regret",
    ]
    rows = []
    for s in scenarios:
        ours, base = s.summaries.get(roles.ours, {}), s.summaries.get(roles.baseline, {})
        comp = s.comparison or {}
        faults = (
            f"{_pct(_get(comp, 'ours_success_under_faults_pct'))} / "
            f"{_pct(_get(comp, 'baseline_success_under_faults_pct'))}"
            if s.result.faults
            else DASH
        )
        rows.append(
            [
                s.result.scenario,
                _ms(_get(ours, "p95_ms")),
                _ms(_get(base, "p95_ms")),
                _signed(_get(comp, "p95_change_pct"), 0, "%"),
                _usd(_get(ours, "cost_per_1k_usd")),
                _usd(_get(base, "cost_per_1k_usd")),
                _signed(_get(comp, "cost_change_pct"), 0, "%"),
                _signed(_get(comp, "quality_ok_delta_pp"), 1, " pp"),
                faults,
                _fixed(_get(ours, "regret"), 3),
            ]
        )
    return ["## Summary", "", *_table(header, rows), ""]


def _md_drift(drift: Drift) -> list[str]:
    names = list(drift.phases)
    header = ["policy", *next(iter(drift.phases.values()))] if names else ["policy"]
    rows = [[n, *(_fixed(v, 3) for v in drift.phases[n].values())] for n in names]
    return [
        f"Regret against the oracle around the quality drop at t={drift.change_s:.0f} s:",
        "",
        *_table(header, rows),
        "",
    ]


# --- JSON ----------------------------------------------------------------------------------


def _json_text(scenarios: Sequence[_Scenario], roles: _Roles) -> str:
    document = {
        "roles": {"ours": roles.ours, "baseline": roles.baseline, "oracle": roles.oracle},
        "compiled_modules": compiled(),  # what `make fast` compiled (wall times depend on it)
        "scenarios": [_json_scenario(s) for s in scenarios],
    }
    return json.dumps(_plain(document), indent=2, allow_nan=False, ensure_ascii=False) + "\n"


def _json_scenario(scenario: _Scenario) -> dict[str, Any]:
    result = scenario.result
    policies = {
        name: {
            "wall_s": run.wall_s,
            "requests_per_wall_s": _requests_per_wall_s(result.n_requests, run.wall_s),
            "summary": scenario.summaries[name],
        }
        for name, run in result.policies.items()
    }
    faults = [{**dataclasses.asdict(f), "description": f.describe()} for f in result.faults]
    return {
        "scenario": result.scenario,
        "description": result.description,
        "seed": result.seed,
        "n_requests": result.n_requests,
        "duration_s": result.duration_s,
        "endpoints": result.endpoints,
        "faults": faults,
        "notes": result.notes,
        "policies": policies,
        "comparison": scenario.comparison,
        "plots": scenario.plots,
        "drift": _drift_json(regret_over_time(result)),
    }


def _drift_json(drift: Drift | None) -> dict[str, Any] | None:
    if drift is None:
        return None
    return {
        "change_s": drift.change_s,
        "bucket_edges_s": drift.edges.tolist(),
        "regret": {k: v.tolist() for k, v in drift.regret.items()},
        "phases": drift.phases,
    }


def _plain(value: Any) -> Any:
    """Only JSON's own types: NumPy scalars and arrays unwrapped, NaN and ±inf as None."""
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, np.ndarray):
        return _plain(value.tolist())
    if isinstance(value, np.generic):
        return _plain(value.item())
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if value is None or isinstance(value, str | int):
        return value
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return _plain(dataclasses.asdict(value))
    if isinstance(value, set | frozenset):
        return sorted((_plain(v) for v in value), key=repr)
    return str(value)
