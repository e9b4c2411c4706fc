"""The demo's figures for people: table rows, the headline against cloud-only, Markdown and PNG.

The console tables and the Markdown report are built from the same formatted rows
(`policy_row`, `http_row`), and the headline lines from the same summaries, so what the terminal
shows, what `report.md` holds and the closing lines always agree. Plots are drawn on a bare
`Figure` with the Agg canvas (no global backend switched, no figure left registered); matplotlib
is imported only then, so that every other `mecrouter` command starts without it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from mecrouter.config import Config
from mecrouter.demo.inprocess import PolicyResult
from mecrouter.scenarios import Scenario

if TYPE_CHECKING:  # matplotlib and the HTTP client libraries load only when they are used
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

    from mecrouter.demo.http import HttpResult

__all__ = [
    "HTTP_COLUMNS",
    "POLICY_COLUMNS",
    "Headline",
    "Outcome",
    "headline",
    "http_row",
    "policy_row",
    "scenario_title",
    "write_http_report",
    "write_report",
]

Outcome = Sequence[tuple[Scenario, list[PolicyResult]]]
Summary = Mapping[str, float]

POLICY_COLUMNS = (
    "policy",
    "device/mec/cloud %",
    "p50 ms",
    "p95 ms",
    "SLO met",
    "quality",
    "$ per 1k req",
    "success",
    "privacy viol.",
    "fallbacks",
)
HTTP_COLUMNS = ("scenario", "device/mec/cloud %", "p50 ms", "p95 ms", "success", "fallbacks")
_OURS = "mecrouter"
_BASELINE = "cloud-only"
_DPI = 100


def _ms(value: float) -> str:
    return "-" if math.isnan(value) else f"{value:.0f}"


def _pct(value: float) -> str:
    return f"{value:.1f}%"


def _count(value: float) -> str:
    return f"{value:.0f}"


def _mix(s: Summary) -> str:
    return f"{s['device_pct']:.0f}/{s['mec_pct']:.0f}/{s['cloud_pct']:.0f}"


def policy_row(policy: str, s: Summary) -> list[str]:
    """One policy's cells under `POLICY_COLUMNS`."""
    return [
        policy,
        _mix(s),
        _ms(s["p50_ms"]),
        _ms(s["p95_ms"]),
        _pct(s["slo_pct"]),
        f"{s['quality']:.2f}",
        f"{s['cost_per_1k_usd']:.4f}",
        _pct(s["success_pct"]),
        _count(s["privacy_violations"]),
        _count(s["fallbacks"]),
    ]


def http_row(result: HttpResult) -> list[str]:
    """One scenario's cells under `HTTP_COLUMNS` (what the HTTP client saw)."""
    s = result.summary()
    return [
        _kill_note(result.scenario, result.scenario.name),
        _mix(s),
        _ms(s["p50_ms"]),
        _ms(s["p95_ms"]),
        _pct(s["success_pct"]),
        _count(s["fallbacks"]),
    ]


def _kill_note(scenario: Scenario, text: str) -> str:
    tier = scenario.kill_tier
    return text + (f" ({tier.value} killed half-way)" if tier is not None else "")


def scenario_title(cfg: Config, scenario: Scenario) -> str:
    uc = cfg.use_case(scenario.use_case)
    title = f"{scenario.name}: SLO {uc.latency_slo_ms} ms on {uc.slo_metric}"
    tier = scenario.kill_tier
    return title + (f"; {tier.value} tier killed half-way" if tier is not None else "")


def _change_pct(ours: float, base: float) -> float:
    """Relative change of ours against the baseline, percent; NaN where it is undefined."""
    if math.isnan(ours) or math.isnan(base) or base == 0.0:
        return math.nan
    return 100.0 * (ours - base) / base


def _signed(value: float) -> str:
    """A change in whole percent with its sign ("-87%", "+3%", "0%"; "n/a" when undefined)."""
    if math.isnan(value):
        return "n/a"
    rounded = round(value)
    return f"{rounded:+d}%" if rounded else "0%"


@dataclass(frozen=True, slots=True)
class Headline:
    """mecrouter against cloud-only in one scenario, from the run's own summaries."""

    label: str
    metric: str  # what the p50 is of: TTFT, or total latency
    p50_change_pct: float
    cost_change_pct: float
    ours: Summary
    base: Summary

    def line(self) -> str:
        o, b = self.ours, self.base
        return (
            f"{self.label}: p50 {self.metric} {_signed(self.p50_change_pct)} and cost "
            f"{_signed(self.cost_change_pct)} vs {_BASELINE}, "
            f"SLO met {_pct(o['slo_pct'])} vs {_pct(b['slo_pct'])}, "
            f"{_count(o['privacy_violations'])} privacy violations "
            f"(vs {_count(b['privacy_violations'])}), "
            f"{_pct(o['success_pct'])} served (vs {_pct(b['success_pct'])})"
        )


def headline(cfg: Config, scenario: Scenario, results: Sequence[PolicyResult]) -> Headline | None:
    """The scenario's headline, or None when mecrouter or cloud-only did not run in it."""
    by_policy = {r.policy: r.summary(cfg) for r in results}
    if _OURS not in by_policy or _BASELINE not in by_policy:
        return None
    ours, base = by_policy[_OURS], by_policy[_BASELINE]
    metric = "TTFT" if cfg.use_case(scenario.use_case).slo_metric == "ttft" else "latency"
    return Headline(
        label=scenario.use_case,
        metric=metric,
        p50_change_pct=_change_pct(ours["p50_ms"], base["p50_ms"]),
        cost_change_pct=_change_pct(ours["cost_per_1k_usd"], base["cost_per_1k_usd"]),
        ours=ours,
        base=base,
    )


def _md_table(columns: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    right = ["---" if i == 0 else "---:" for i in range(len(columns))]
    lines = ["| " + " | ".join(columns) + " |", "| " + " | ".join(right) + " |"]
    lines += ["| " + " | ".join(row) + " |" for row in rows]
    return lines


def write_report(
    cfg: Config,
    outcome: Outcome,
    out_dir: Path,
    *,
    run: str,
    headlines: Sequence[Headline],
) -> tuple[Path, Path]:
    """Write `report.md` and `policies.png` into `out_dir`; return both paths.

    `run` is one Markdown paragraph saying how the run was made (requests, seed, records)."""
    out_dir.mkdir(parents=True, exist_ok=True)
    plot = out_dir / "policies.png"
    _plot_policies(cfg, outcome, plot)
    lines = ["# mecrouter demo: four scenarios, mecrouter against four baselines", "", run, ""]
    lines += [f"## Headline: {_OURS} vs {_BASELINE}", ""]
    lines += [f"- {h.line()}" for h in headlines]
    for scenario, results in outcome:
        rows = [policy_row(r.policy, r.summary(cfg)) for r in results]
        lines += ["", f"## {scenario_title(cfg, scenario)}", ""]
        lines += _md_table(POLICY_COLUMNS, rows)
    lines += ["", f"![p50/p95 latency and cost per policy]({plot.name})", ""]
    report = out_dir / "report.md"
    report.write_text("\n".join(lines), encoding="utf-8")
    return report, plot


def write_http_report(
    results: Sequence[HttpResult], out_dir: Path, *, run: str
) -> tuple[Path, Path]:
    """Write `http-report.md` and `http-latency.png` into `out_dir`; return both paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    plot = out_dir / "http-latency.png"
    _plot_http(results, plot)
    lines = ["# mecrouter demo over HTTP (openai SDK -> gateway -> emulated tiers)", "", run, ""]
    lines += _md_table(HTTP_COLUMNS, [http_row(r) for r in results])
    lines += ["", f"![p50/p95 latency per scenario]({plot.name})", ""]
    report = out_dir / "http-report.md"
    report.write_text("\n".join(lines), encoding="utf-8")
    return report, plot


def _latency_bars(ax: Axes, labels: Sequence[str], summaries: Sequence[Summary]) -> None:
    xs = range(len(labels))
    p50 = [s["p50_ms"] for s in summaries]
    p95 = [s["p95_ms"] for s in summaries]
    ax.bar([x - 0.2 for x in xs], p50, width=0.4, label="p50", color="#4c72b0")
    ax.bar([x + 0.2 for x in xs], p95, width=0.4, label="p95", color="#dd8452")
    ax.set_xticks(list(xs), labels, rotation=30, ha="right", fontsize=8)
    ax.set_ylabel("latency (ms)")
    ax.legend(fontsize=8)


def _plot_policies(cfg: Config, outcome: Outcome, path: Path) -> None:
    fig = _figure(4.0 * max(1, len(outcome)), 7.0)
    axes = fig.subplots(2, max(1, len(outcome)), squeeze=False)
    for col, (scenario, results) in enumerate(outcome):
        labels = [r.policy for r in results]
        summaries = [r.summary(cfg) for r in results]
        top, bottom = axes[0][col], axes[1][col]
        _latency_bars(top, labels, summaries)
        metric = cfg.use_case(scenario.use_case).slo_metric
        top.set_title(f"{scenario.use_case} ({metric})", fontsize=10)
        bottom.bar(labels, [s["cost_per_1k_usd"] for s in summaries], color="#55a868")
        bottom.set_xticks(range(len(labels)), labels, rotation=30, ha="right", fontsize=8)
        bottom.set_ylabel("$ per 1k requests")
    fig.suptitle("p50 / p95 latency and cost per policy")
    _save(fig, path)


def _plot_http(results: Sequence[HttpResult], path: Path) -> None:
    fig = _figure(8.0, 4.5)
    ax = fig.subplots()
    _latency_bars(ax, [r.scenario.use_case for r in results], [r.summary() for r in results])
    ax.set_title("What the HTTP client saw: p50 / p95 latency per scenario")
    _save(fig, path)


def _figure(width_in: float, height_in: float) -> Figure:
    from matplotlib.figure import Figure

    return Figure(figsize=(width_in, height_in), dpi=_DPI)


def _save(fig: Figure, path: Path) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    FigureCanvasAgg(fig)  # attaches itself to the figure: savefig draws on Agg
    fig.tight_layout()
    fig.savefig(path, format="png", dpi=_DPI, metadata={"Software": None})
