"""The report's PNG plots of one scenario: latency CDF, cost against latency, tier mix, the
effect of the faults, regret over time.

Plots are drawn on bare `Figure`s with the Agg canvas rather than through pyplot, as matplotlib
advises for servers: no global backend is switched, no figure stays registered anywhere, and
PNGs carry no version metadata, so the same results give the same bytes.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from mecrouter.sim.drift import Drift, regret_over_time, time_buckets
from mecrouter.sim.results import TIERS, FaultWindow, Outcomes, ScenarioResult

__all__ = ["PLOTS", "write_plots"]

F64 = npt.NDArray[np.float64]
_DPI = 100
PLOTS = (
    ("latency-cdf", "Latency CDF per policy"),
    ("cost-latency", "Cost vs p95 latency"),
    ("tier-mix", "Tier mix over time"),
    ("fault-effect", "Effect of the faults"),
    ("regret-over-time", "Regret against the oracle over time (learning vs static)"),
)  # every plot a scenario may have, with its caption
_TIER_COLOURS = ("#4c72b0", "#55a868", "#dd8452", "#bbbbbb")


def write_plots(
    result: ScenarioResult,
    summaries: Mapping[str, Mapping[str, float]],
    out_dir: Path,
    *,
    ours: str,
    baseline: str,
    oracle: str,
) -> dict[str, str]:
    """Draw the scenario's plots into `out_dir`; return each plot kind's file name."""
    stem = re.sub(r"[^A-Za-z0-9._-]+", "-", result.scenario).strip("-") or "scenario"
    served_any = any(len(run.outcomes) for run in result.policies.values())
    jobs: list[tuple[str, Callable[[Figure], None]]] = [
        ("latency-cdf", lambda fig: _draw_cdf(fig, result)),
        ("cost-latency", lambda fig: _draw_cost(fig, result.scenario, summaries)),
    ]
    if ours in result.policies and len(result.policies[ours].outcomes):
        jobs.append(("tier-mix", lambda fig: _draw_tier_mix(fig, result, ours)))
    if result.faults and served_any:
        compared = (ours, baseline, oracle)
        jobs.append(("fault-effect", lambda fig: _draw_fault_effect(fig, result, compared)))
    drift = regret_over_time(result)
    if drift is not None:
        jobs.append(("regret-over-time", lambda fig: _draw_regret(fig, result, drift)))
    else:
        (out_dir / f"{stem}-fault-effect.png").unlink(missing_ok=True)  # stale from a re-run
    plots: dict[str, str] = {}
    for kind, draw in jobs:
        plots[kind] = f"{stem}-{kind}.png"
        _save(draw, out_dir / plots[kind], height=5.0 if kind == "fault-effect" else 4.0)
    return plots


def _save(draw: Callable[[Figure], None], path: Path, *, height: float) -> None:
    fig = Figure(figsize=(7.5, height), dpi=_DPI)
    fig.subplots_adjust(left=0.1, right=0.97, bottom=0.5 / height, top=1 - 0.35 / height)
    FigureCanvasAgg(fig)
    draw(fig)
    fig.savefig(path, format="png", dpi=_DPI, metadata={"Software": None})


def _served_latency(out: Outcomes) -> F64:
    latency = out.latency_ms[out.success]
    return np.sort(latency[np.isfinite(latency) & (latency > 0)])


def _slo_line(result: ScenarioResult) -> tuple[float, str] | None:
    """The SLO to mark: the one all requests share, else the median one."""
    run = next(iter(result.policies.values()), None)
    if run is None:
        return None
    slo = run.outcomes.slo_ms[np.isfinite(run.outcomes.slo_ms) & (run.outcomes.slo_ms > 0)]
    if not slo.size:
        return None
    if np.all(slo == slo[0]):
        return float(slo[0]), f"SLO {slo[0]:.0f} ms"
    median = float(np.median(slo))
    return median, f"median SLO {median:.0f} ms"


def _draw_cdf(fig: Figure, result: ScenarioResult) -> None:
    ax = fig.add_subplot()
    plotted = False
    for name, run in result.policies.items():
        latency = _served_latency(run.outcomes)
        if latency.size:
            share = np.arange(1, latency.size + 1) / latency.size
            ax.step(latency, share, where="post", label=name)
            plotted = True
        else:
            ax.plot([], [], label=f"{name} (served none)")
    slo = _slo_line(result)
    if slo is not None:
        ax.axvline(slo[0], color="black", linestyle="--", linewidth=1, label=slo[1])
    if plotted:
        ax.set_xscale("log")
    ax.set(xlabel="latency (ms)", ylabel="share of served requests", ylim=(0.0, 1.02))
    ax.set_title(f"{result.scenario}: latency CDF")
    ax.grid(True, which="both", alpha=0.3)
    ax.legend(fontsize=7, loc="lower right")


def _draw_cost(fig: Figure, scenario: str, summaries: Mapping[str, Mapping[str, float]]) -> None:
    ax = fig.add_subplot()
    for name, summary in summaries.items():
        x = float(summary.get("p95_ms", math.nan))
        y = float(summary.get("cost_per_1k_usd", math.nan))
        if math.isfinite(x) and math.isfinite(y):
            ax.scatter([x], [y], s=30)
            ax.annotate(name, (x, y), textcoords="offset points", xytext=(4, 4), fontsize=8)
    ax.margins(0.15)
    ax.set(xlabel="p95 latency (ms)", ylabel="$ per 1k requests")
    ax.set_title(f"{scenario}: cost vs latency (lower left is better)")
    ax.grid(True, alpha=0.3)


def _shade_faults(ax: Axes, faults: Sequence[FaultWindow], *, hatched: bool = False) -> None:
    """Mark fault windows: a light band behind lines, or red hatching over filled areas."""
    for i, fault in enumerate(faults):
        label = "fault window" if i == 0 else "_nolegend_"
        if hatched:
            ax.axvspan(
                fault.start_s,
                fault.end_s,
                facecolor="none",
                edgecolor="red",
                hatch="//",
                linewidth=1,
                label=label,
            )
        else:
            ax.axvspan(fault.start_s, fault.end_s, color="red", alpha=0.12, zorder=0, label=label)


def _draw_tier_mix(fig: Figure, result: ScenarioResult, policy: str) -> None:
    out = result.policies[policy].outcomes
    edges, index = time_buckets(out.arrival_s)
    known = (out.tier >= 0) & (out.tier < len(TIERS))
    rows = np.where(known, out.tier, len(TIERS)).astype(np.intp)
    counts = np.zeros((len(TIERS) + 1, len(edges) - 1))
    np.add.at(counts, (rows, index), 1.0)
    shares = 100.0 * counts / np.maximum(counts.sum(axis=0), 1.0)
    ax = fig.add_subplot()
    steps = np.hstack([shares, shares[:, -1:]])  # each bucket's share held across its width
    labels = [*TIERS, "unserved"]
    ax.stackplot(edges, steps, labels=labels, colors=_TIER_COLOURS, alpha=0.85, step="post")
    _shade_faults(ax, result.faults, hatched=True)
    ax.set(xlim=(edges[0], edges[-1]), ylim=(0.0, 100.0))
    ax.set(xlabel="simulated time (s)", ylabel="share of requests (%)")
    ax.set_title(f"{result.scenario}: where {policy} served requests")
    ax.legend(fontsize=7, loc="upper right")


def _windowed(out: Outcomes) -> tuple[F64, F64, F64]:
    """Per time bucket: its centre, the p95 latency of served requests, the success %."""
    edges, index = time_buckets(out.arrival_s)
    p95, success = np.full(len(edges) - 1, np.nan), np.full(len(edges) - 1, np.nan)
    served = out.success & np.isfinite(out.latency_ms)
    for bucket in range(len(edges) - 1):
        selected = index == bucket
        if selected.any():
            success[bucket] = 100.0 * float(out.success[selected].mean())
            latency = out.latency_ms[selected & served]
            if latency.size:
                p95[bucket] = float(np.percentile(latency, 95))
    return (edges[:-1] + edges[1:]) / 2, p95, success


def _draw_fault_effect(fig: Figure, result: ScenarioResult, compared: Sequence[str]) -> None:
    ax_latency = fig.add_subplot(2, 1, 1)
    ax_success = fig.add_subplot(2, 1, 2, sharex=ax_latency)
    for name in dict.fromkeys(compared):
        run = result.policies.get(name)
        if run is None or not len(run.outcomes):
            continue
        centres, p95, success = _windowed(run.outcomes)
        ax_latency.plot(centres, p95, marker=".", label=name)
        ax_success.plot(centres, success, marker=".", label=name)
    for ax in (ax_latency, ax_success):
        _shade_faults(ax, result.faults)
        ax.grid(True, alpha=0.3)
    ax_latency.set(ylabel="p95 latency (ms)")
    ax_latency.tick_params(labelbottom=False)
    ax_latency.set_title(f"{result.scenario}: effect of the faults")
    ax_success.set(xlabel="simulated time (s)", ylabel="success (%)", ylim=(0.0, 105.0))
    ax_latency.legend(fontsize=7, loc="upper right")


def _draw_regret(fig: Figure, result: ScenarioResult, drift: Drift) -> None:
    ax = fig.add_subplot()
    mids = (drift.edges[:-1] + drift.edges[1:]) / 2.0
    for name, values in drift.regret.items():
        ax.plot(mids, values, label=name, linewidth=2.0 if name.startswith("mecrouter") else 1.0)
    ax.axvline(drift.change_s, color="red", linestyle="--", label="quality drop")
    ax.set(xlabel="simulated time (s)", ylabel="regret vs oracle (utility)")
    ax.set_yscale("symlog", linthresh=0.01)
    ax.set_title(f"{result.scenario}: regret over time")
    ax.legend(fontsize="small", ncol=2)
