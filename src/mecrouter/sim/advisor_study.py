"""When the advisor pays: mecrouter with the advisor off, then on at each ASSUMED accuracy, on
the same requests (common random numbers), in the simulator (`sim.advisor` says what is
modelled). `mecrouter simulate --scenario quality --reasoner-accuracy 0.5,0.8,0.95` runs it and
writes `advisor.md` and `advisor.json` to `--out`.
"""

from __future__ import annotations

import gc
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from mecrouter.agents.reasoner import (
    AGREED,
    OVERRULED,
    SKIPPED_BUDGET,
    SKIPPED_MARGIN,
    TIMEOUT,
)
from mecrouter.config import Config
from mecrouter.intervals import BOOTSTRAP_RESAMPLES
from mecrouter.sim.advisor import (
    OUTPUT_TOKENS,
    PROMPT_TOKENS,
    AdvisorModel,
    SimAdvisor,
    advisor_profile,
)
from mecrouter.sim.requests import Requests, build_requests, request_kinds
from mecrouter.sim.results import Outcomes, intervals, summarise
from mecrouter.sim.run import Run
from mecrouter.sim.scoring import finish_outcomes
from mecrouter.sim.service import service_trace_of
from mecrouter.sim.workloads import Workload

__all__ = ["advisor_markdown", "advisor_study", "paired_gain", "write_advisor_study"]

_POLICY = "mecrouter"


def paired_gain(
    on: Outcomes, off: Outcomes, prompt: npt.NDArray[np.intp], seed: int
) -> tuple[float, float, float]:
    """Mean quality per request with the advisor minus without (unserved = 0), and its 95%
    bootstrap interval resampling prompts (requests repeating a prompt share its outcome)."""
    diff = np.where(on.success, on.quality, 0.0) - np.where(off.success, off.quality, 0.0)
    groups = int(prompt.max()) + 1 if prompt.size else 0
    sums = np.bincount(prompt, weights=diff, minlength=groups)
    counts = np.bincount(prompt, minlength=groups).astype(np.float64)
    if groups < 2:
        return float(diff.mean()) if diff.size else 0.0, float("nan"), float("nan")
    rng = np.random.default_rng(seed)
    weights = rng.multinomial(groups, np.full(groups, 1.0 / groups), size=BOOTSTRAP_RESAMPLES)
    means = (weights @ sums) / (weights @ counts)
    lo, hi = np.percentile(means, [2.5, 97.5])
    return float(sums.sum() / counts.sum()), float(lo), float(hi)


def _one(
    config: Config, reqs: Requests, seed: int, data: Path | None, model: AdvisorModel | None
) -> tuple[dict[str, Any], Outcomes]:
    run = Run(config, reqs, _POLICY, seed, data)
    if model is not None:
        run.advisor = SimAdvisor(model, config, run.facts, seed)
    run.start()
    gc.disable()
    try:
        run.env.run()
    finally:
        gc.enable()
    out = run.collect()
    finish_outcomes(config, out, run.facts)
    row: dict[str, Any] = {"accuracy": None if model is None else model.accuracy}
    row.update(summarise(out))
    prompt = np.array(request_kinds(reqs)[0], dtype=np.intp)
    row.update(intervals(out, prompt, seed=seed))
    counts = {} if run.advisor is None else dict(run.advisor.counts)
    row["verdicts"] = counts
    asked = sum(counts.get(v, 0) for v in (AGREED, OVERRULED, TIMEOUT))
    row["asked_pct"] = 100.0 * asked / max(1, len(reqs))
    row["mean_wait_ms"] = (run.advisor.waited_ms / asked) if run.advisor and asked else 0.0
    return row, out


def advisor_study(
    wl: Workload,
    *,
    n: int,
    seed: int,
    accuracies: Sequence[float],
    config: Config,
    data: Path | None = None,
) -> dict[str, Any]:
    """The advisor off, then on at each accuracy, over the same `n` requests of `wl`."""
    reqs = build_requests(wl, n, seed, data, config)
    settings = config.routing.reasoner
    off_row, off = _one(config, reqs, seed, data, None)
    prompt = np.array(request_kinds(reqs)[0], dtype=np.intp)
    rows = [off_row]
    for accuracy in accuracies:
        row, on = _one(config, reqs, seed, data, AdvisorModel(accuracy, settings))
        row["gain"], row["gain_lo"], row["gain_hi"] = paired_gain(on, off, prompt, seed)
        rows.append(row)
    profile = advisor_profile(config)
    call_usd = profile.price.cost_usd(PROMPT_TOKENS, OUTPUT_TOKENS)
    for row in rows[1:]:
        asked = row["asked_pct"] / 100.0
        row["advisor_cost_per_1k_usd"] = 1000.0 * asked * call_usd
    return {
        "scenario": wl.name,
        "requests": n,
        "seed": seed,
        "settings": settings.model_dump(),
        "profile": f"{profile.id} service trace {service_trace_of(profile)} "
        f"(+ the device's cloud RTT); prompt {PROMPT_TOKENS} / answer {OUTPUT_TOKENS} tokens "
        "(ASSUMED)",
        "accuracy_note": "ASSUMED accuracy: the chance the advisor picks the option the ground "
        "truth says answers better; not measured",
        "rows": rows,
    }


def _label(row: dict[str, Any]) -> str:
    acc = row["accuracy"]
    return "advisor off" if acc is None else f"on, accuracy {acc:g} (assumed)"


def _gain(row: dict[str, Any]) -> str:
    if "gain" not in row:
        return "—"
    return f"{row['gain']:+.3f} [{row['gain_lo']:+.3f}, {row['gain_hi']:+.3f}]"


def advisor_markdown(studies: Sequence[dict[str, Any]]) -> str:
    """One table per scenario: quality, latency, SLO, cost, and how often it was asked."""
    lines = ["# The advisor (Nova reasoning) in the simulator", ""]
    for st in studies:
        s = st["settings"]
        lines += [
            f"## {st['scenario']} ({st['requests']} requests, seed {st['seed']})",
            "",
            f"margin {s['margin']}, expected {s['expected_ms']:g} ms, timeout "
            f"{s['timeout_ms']:g} ms. Latency profile: {st['profile']}. {st['accuracy_note']}.",
            "",
            "| run | quality | gain vs off [95% CI] | p95 ms | mean ms | SLO met % "
            "| $ / 1k req (+ advisor) | asked % | overruled | timeouts "
            "| skipped: margin / budget | mean wait ms | options differ / rival better |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|---|",
        ]
        for r in st["rows"]:
            v = r["verdicts"]
            extra = r.get("advisor_cost_per_1k_usd")
            cost = f"${r['cost_per_1k_usd']:.5f}" + ("" if extra is None else f" (+${extra:.5f})")
            lines.append(
                f"| {_label(r)} | {r['quality_mean']:.3f} | {_gain(r)} | "
                f"{r['p95_ms']:.0f} | {r['mean_ms']:.0f} | "
                f"{r['slo_pct']:.1f} | {cost} | {r['asked_pct']:.1f} | "
                f"{v.get(OVERRULED, 0)} | {v.get(TIMEOUT, 0)} | "
                f"{v.get(SKIPPED_MARGIN, 0)} / {v.get(SKIPPED_BUDGET, 0)} | "
                f"{r['mean_wait_ms']:.0f} | "
                f"{v.get('truth_differs', 0)} / {v.get('rival_better', 0)} |"
            )
        lines.append("")
    return "\n".join(lines)


def write_advisor_study(studies: Sequence[dict[str, Any]], folder: Path) -> Path:
    """`advisor.md` and `advisor.json` in `folder`; returns the Markdown's path."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "advisor.json").write_text(json.dumps(list(studies), indent=2), encoding="utf-8")
    path = folder / "advisor.md"
    path.write_text(advisor_markdown(studies), encoding="utf-8")
    return path
