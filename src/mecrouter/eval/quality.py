"""How much of the cloud model's quality a router keeps for how much of its cost, on test rows.

Routers. Given predicted P(correct) per model and a per-model cost estimate ``est_cost_usd`` (the
mean cost on the *train* split: no test information), the router with willingness to pay ``w``
(USD for one more expected correct answer) picks ``argmax_m(w * P[m] - est_cost_usd[m])``, the
RouterBench objective (Hu et al. 2024, arXiv:2403.12031, section 3). Sweeping ``w`` from 0
(cheapest model) to large (most likely correct) traces the router's quality-cost curve. With two
models this is exactly a threshold sweep on ``P[strong] - P[weak]``, RouteLLM's setting.

Metrics (all on one set of test rows; quality = accuracy, cost = mean USD per prompt):

- PGR, APGR, CPT (RouteLLM, Ong et al. 2024, arXiv:2406.18665, section 5.1):
  ``PGR = (q(router) - q(weak)) / (q(strong) - q(weak))``; APGR is the area under PGR against the
  share of calls made to the strong model, over 0-100 % (trapezoids over every threshold);
  CPT(x%) is the smallest share of strong calls at which PGR reaches x %.
  For three tiers (weak = device, strong = cloud) the x axis is the router's cost normalised to
  ``(cost - cost(device)) / (cost(cloud) - cost(device))``; the curve ends with a straight line to
  always-cloud (sending a random share of the remaining calls to the cloud achieves it).
- AIQ (RouterBench, Hu et al. 2024, section 3.2): the area under the router's non-decreasing
  convex hull in the (cost, quality) plane, divided by the cost range ``[c_min, c_max]`` of the
  setting's single models (cheapest to dearest): the average quality over that range. The hull
  is held flat beyond the router's dearest point, as RouterBench's code does. The "zero router"
  (random mixes of single models) is the same metric on the models' own hull.
- Cost saved at 95 % of cloud quality: ``1 - cost(router at q = 0.95 q(cloud)) / cost(cloud)``,
  reading the router's curve in order of increasing ``w`` with straight lines between points
  (mixing two neighbouring ``w`` per request achieves them); ``None`` if the curve never gets
  there. RouteLLM's headline "cost saved at 95 % of GPT-4 quality" is the same idea.
- Oracle: per prompt the cheapest model that is correct, or the cheapest model if none is.
- Random mix: each prompt goes to a model drawn at random (seeded) with the router's shares.
- Uncertainty: the MEC-vs-cloud APGR carries a 95 % percentile bootstrap interval over the test
  prompts (`BOOTSTRAP_SAMPLES` resamples, seeded): with a few hundred prompts per dataset,
  differences of a few hundredths are noise.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import numpy as np
import numpy.typing as npt

from mecrouter.quality.data import DATASETS, RouterBenchSplit
from mecrouter.quality.model import DEFAULT_TIER_MODELS, TIER_MODELS

__all__ = [
    "BOOTSTRAP_SAMPLES",
    "MEC_VS_CLOUD",
    "QUALITY_TARGET",
    "SWEEP_WTPS_USD",
    "TABLE_WTPS_USD",
    "Outcomes",
    "Sweep",
    "aiq",
    "apgr",
    "apgr_interval",
    "cost_at_quality",
    "cpt",
    "estimated_costs",
    "evaluate_rows",
    "leave_one_benchmark_out",
    "ndch",
    "oracle",
    "plot_curves",
    "random_mix",
    "threshold_sweep",
    "wtp_sweep",
]

F64 = npt.NDArray[np.float64]
I64 = npt.NDArray[np.int64]

MEC_VS_CLOUD: Final = (DEFAULT_TIER_MODELS["mec"][0], DEFAULT_TIER_MODELS["cloud"][0])
QUALITY_TARGET: Final = 0.95
TABLE_WTPS_USD: Final = (1e-4, 3e-4, 1e-3, 3e-3, 1e-2, 3e-2, 0.1, 1.0)
SWEEP_WTPS_USD: Final = np.concatenate(([0.0], np.logspace(-6, 6, 481)))
BOOTSTRAP_SAMPLES: Final = 200


@dataclass(frozen=True, slots=True)
class Outcomes:
    """Test rows of one setting: 0/1 correctness and true USD cost, one column per model."""

    models: tuple[str, ...]
    correct: F64  # (n, M), no NaN
    cost_usd: F64  # (n, M)

    @classmethod
    def of(cls, rows: RouterBenchSplit, models: Sequence[str]) -> Outcomes:
        cols = rows.columns(models)
        return cls(tuple(models), rows.correct[:, cols], rows.cost_usd[:, cols])

    def __len__(self) -> int:
        return int(self.correct.shape[0])

    def single(self, k: int) -> tuple[float, float]:
        """(quality, cost) of always using model ``k``."""
        return float(self.correct[:, k].mean()), float(self.cost_usd[:, k].mean())

    def of_choices(self, choice: I64) -> tuple[float, float]:
        rows = np.arange(len(self))
        return float(self.correct[rows, choice].mean()), float(self.cost_usd[rows, choice].mean())


@dataclass(frozen=True, slots=True)
class Sweep:
    """A router's operating points, in order of increasing willingness to pay / strong share."""

    quality: F64
    cost_usd: F64
    shares: F64  # (points, M): share of prompts sent to each model
    wtp_usd: F64  # NaN for a threshold sweep


# --------------------------------------------------------------------------- routers


def estimated_costs(train: RouterBenchSplit, models: Sequence[str]) -> F64:
    """Per-model cost estimate: the mean USD per prompt on the train rows."""
    return np.asarray(train.cost_usd[:, train.columns(models)].mean(axis=0), dtype=np.float64)


def wtp_sweep(
    pred: F64, est_cost_usd: F64, outcomes: Outcomes, wtps: Sequence[float] | F64
) -> Sweep:
    """The router ``argmax(w * P - est_cost)`` at each willingness to pay ``w``."""
    n, m = pred.shape
    quality, cost, shares = [], [], []
    for w in wtps:
        choice = np.argmax(w * pred - est_cost_usd, axis=1)
        q, c = outcomes.of_choices(choice)
        quality.append(q)
        cost.append(c)
        shares.append(np.bincount(choice, minlength=m) / max(n, 1))
    return Sweep(np.array(quality), np.array(cost), np.array(shares), np.asarray(wtps, float))


def threshold_sweep(score: F64, outcomes: Outcomes) -> Sweep:
    """Two models: send the ``k`` highest-scoring prompts to the strong one, k = 0..n."""
    n = len(outcomes)
    order = np.argsort(-score, kind="stable")
    gain_q = (outcomes.correct[:, 1] - outcomes.correct[:, 0])[order]
    gain_c = (outcomes.cost_usd[:, 1] - outcomes.cost_usd[:, 0])[order]
    base_q, base_c = outcomes.single(0)
    k = np.arange(n + 1)
    quality = base_q + np.concatenate(([0.0], np.cumsum(gain_q))) / n
    cost = base_c + np.concatenate(([0.0], np.cumsum(gain_c))) / n
    shares = np.column_stack((1 - k / n, k / n))
    return Sweep(quality, cost, shares, np.full(n + 1, np.nan))


def oracle(outcomes: Outcomes) -> tuple[float, float]:
    """(quality, cost) of the cheapest correct model per prompt (cheapest if none is correct)."""
    big = outcomes.cost_usd.max() * 10 + 1
    priced = np.where(outcomes.correct > 0.5, outcomes.cost_usd, outcomes.cost_usd + big)
    return outcomes.of_choices(np.argmin(priced, axis=1))


def random_mix(outcomes: Outcomes, shares: F64, rng: np.random.Generator) -> tuple[float, float]:
    """(quality, cost) when prompts go to models at random with the given shares."""
    n = len(outcomes)
    counts = np.floor(shares * n).astype(np.int64)
    counts[np.argmax(shares)] += n - counts.sum()
    choice = rng.permutation(np.repeat(np.arange(len(shares)), counts))
    return outcomes.of_choices(choice)


# --------------------------------------------------------------------------- metrics


def apgr(x: F64, quality: F64, q_weak: float, q_strong: float) -> float:
    """RouteLLM's APGR: mean PGR over ``x`` (strong share or normalised cost) from 0 to 1."""
    order = np.argsort(x, kind="stable")
    xs, pgr = x[order], (quality[order] - q_weak) / (q_strong - q_weak)
    span = xs[-1] - xs[0]
    return float(np.trapezoid(pgr, xs) / span) if span > 0 else float("nan")


def apgr_interval(
    score: F64, outcomes: Outcomes, rng: np.random.Generator, samples: int = BOOTSTRAP_SAMPLES
) -> tuple[float, float]:
    """95 % bootstrap interval of the two-model APGR of the router ranking prompts by ``score``."""
    n, values = len(outcomes), []
    for _ in range(samples):
        idx = rng.integers(0, n, n)
        sub = Outcomes(outcomes.models, outcomes.correct[idx], outcomes.cost_usd[idx])
        q_w, q_s = sub.single(0)[0], sub.single(1)[0]
        if q_s != q_w:
            sweep = threshold_sweep(score[idx], sub)
            values.append(apgr(sweep.shares[:, 1], sweep.quality, q_w, q_s))
    if not values:
        return float("nan"), float("nan")
    low, high = np.percentile(values, [2.5, 97.5])
    return float(low), float(high)


def cpt(x: F64, quality: F64, q_weak: float, q_strong: float, level: float) -> float | None:
    """RouteLLM's CPT(level): the smallest ``x`` at which PGR reaches ``level`` (interpolated)."""
    pgr = (quality - q_weak) / (q_strong - q_weak)
    return _first_crossing(x, pgr, level)


def cost_at_quality(cost: F64, quality: F64, target: float) -> float | None:
    """The cost at which the curve (in sweep order) first reaches ``target`` quality."""
    return _first_crossing(cost, quality, target)


def _first_crossing(x: F64, y: F64, level: float) -> float | None:
    hits = np.flatnonzero(y >= level)
    if hits.size == 0:
        return None
    i = int(hits[0])
    if i == 0 or y[i] == y[i - 1]:
        return float(x[i])
    t = (level - y[i - 1]) / (y[i] - y[i - 1])
    return float(x[i - 1] + t * (x[i] - x[i - 1]))


def ndch(cost: F64, quality: F64) -> F64:
    """RouterBench's non-decreasing convex hull: upper hull vertices up to the best quality."""
    order = np.lexsort((-quality, cost))
    hull: list[tuple[float, float]] = []
    for c, q in zip(cost[order], quality[order], strict=True):
        if hull and c == hull[-1][0]:
            continue  # same cost: the first seen has the higher quality
        while len(hull) >= 2 and _cross(hull[-2], hull[-1], (c, q)) >= 0:
            hull.pop()
        hull.append((float(c), float(q)))
    best = max(range(len(hull)), key=lambda i: (hull[i][1], -i))
    return np.array(hull[: best + 1], dtype=np.float64)


def _cross(o: tuple[float, float], a: tuple[float, float], b: tuple[float, float]) -> float:
    return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0])


def aiq(cost: F64, quality: F64, c_min: float, c_max: float) -> float:
    """RouterBench's AIQ: mean of the hull's quality over ``[c_min, c_max]``."""
    hull = ndch(cost, quality)
    grid = np.unique(np.clip(np.concatenate((hull[:, 0], [c_min, c_max])), c_min, c_max))
    values = np.interp(grid, hull[:, 0], hull[:, 1])  # flat outside the hull's cost range
    return float(np.trapezoid(values, grid) / (c_max - c_min))


# --------------------------------------------------------------------------- one set of rows


def evaluate_rows(
    rows: RouterBenchSplit,
    predictions: Mapping[str, F64],
    est_cost_usd: F64,
    *,
    seed: int,
) -> dict[str, Any]:
    """Every baseline, router and metric on ``rows`` (predictions in `TIER_MODELS` order)."""
    keep = np.asarray(~np.isnan(rows.correct[:, rows.columns(TIER_MODELS)]).any(axis=1), bool)
    rows = rows.where(keep)
    tiers = Outcomes.of(rows, TIER_MODELS)
    pair = Outcomes.of(rows, MEC_VS_CLOUD)
    pair_cols = [TIER_MODELS.index(m) for m in MEC_VS_CLOUD]
    rng, boot_rng = (np.random.default_rng(s) for s in np.random.SeedSequence(seed).spawn(2))
    result: dict[str, Any] = {
        "rows": len(rows),
        "dropped_rows_empty_cells": int((~keep).sum()),
        "single": {m: _qc(*tiers.single(k)) for k, m in enumerate(TIER_MODELS)},
        "oracle": {"three_tier": _qc(*oracle(tiers)), "mec_vs_cloud": _qc(*oracle(pair))},
        "zero_router": _zero_router(tiers, pair),
        "routers": {},
    }
    for name, pred in predictions.items():
        pred = pred[keep]
        result["routers"][name] = {
            "three_tier": _three_tier(pred, est_cost_usd, tiers, rng),
            "mec_vs_cloud": _mec_vs_cloud(pred[:, pair_cols], pair, boot_rng),
            "predictor": _predictor_quality(pred, tiers),
        }
    return result


Scorer = Callable[[RouterBenchSplit, Sequence[str]], F64]


def leave_one_benchmark_out(
    train: RouterBenchSplit,
    test: RouterBenchSplit,
    scorers: Mapping[str, Scorer],
    pair: tuple[str, str] = MEC_VS_CLOUD,
    *,
    seed: int = 0,
) -> dict[str, Any]:
    """How well each scorer ranks prompts of a benchmark it never saw for the strong model of
    ``pair`` (weak, strong): for each benchmark in both splits, ``scorers[name](train rows of the
    other benchmarks, that benchmark's test prompts)`` gives one score per prompt (higher: the
    strong model is more needed), judged by the two-model APGR with its 95 % bootstrap interval
    and the cost saved at 95 % of the strong model's accuracy. ``pooled`` judges every held-out
    prompt at once, each scored by its own fold. Rows with an empty cell for the pair are left
    out."""
    rng = np.random.default_rng(seed)
    held_out = [d for d in DATASETS if d in test.datasets and d in train.datasets]
    scores: dict[str, list[F64]] = {name: [] for name in scorers}
    outcomes: list[Outcomes] = []
    results: dict[str, Any] = {}
    for name in held_out:
        others = train.where(np.array(train.datasets) != name)
        rows = test.where(np.array(test.datasets) == name)
        keep = np.asarray(~np.isnan(rows.correct[:, rows.columns(pair)]).any(axis=1), bool)
        rows = rows.where(keep)
        fold = Outcomes.of(rows, pair)
        outcomes.append(fold)
        results[name] = {"prompts": len(fold), "trained_on": sorted(set(others.datasets))}
        for scorer, score_fn in scorers.items():
            score = np.asarray(score_fn(others, rows.prompts), dtype=np.float64)
            scores[scorer].append(score)
            results[name][scorer] = _ranking(score, fold, rng)
    if outcomes:
        pooled = Outcomes(
            pair,
            np.concatenate([o.correct for o in outcomes]),
            np.concatenate([o.cost_usd for o in outcomes]),
        )
        results["pooled"] = {"prompts": len(pooled)}
        for scorer, parts in scores.items():
            results["pooled"][scorer] = _ranking(np.concatenate(parts), pooled, rng)
    return {"pair": list(pair), "held_out": results}


def _ranking(score: F64, pair: Outcomes, rng: np.random.Generator) -> dict[str, Any]:
    """APGR [95 % CI] and cost saved at 95 % of the strong model's accuracy of ranking by
    ``score`` (NaN / None where the strong model is no better than the weak one)."""
    (q_w, _), (q_s, c_s) = pair.single(0), pair.single(1)
    if q_s <= q_w:
        return {"apgr": float("nan"), "apgr_95ci": [float("nan")] * 2, "cost_saved_at_95pct": None}
    sweep = threshold_sweep(score, pair)
    at_target = cost_at_quality(sweep.cost_usd, sweep.quality, QUALITY_TARGET * q_s)
    return {
        "apgr": apgr(sweep.shares[:, 1], sweep.quality, q_w, q_s),
        "apgr_95ci": list(apgr_interval(score, pair, rng)),
        "cost_saved_at_95pct": None if at_target is None else 1 - at_target / c_s,
    }


def _qc(quality: float, cost_usd: float) -> dict[str, float]:
    return {"accuracy": quality, "cost_usd": cost_usd}


def _three_tier(
    pred: F64, est_cost: F64, tiers: Outcomes, rng: np.random.Generator
) -> dict[str, Any]:
    sweep = wtp_sweep(pred, est_cost, tiers, SWEEP_WTPS_USD)
    table = wtp_sweep(pred, est_cost, tiers, TABLE_WTPS_USD)
    (q_dev, c_dev), (q_cloud, c_cloud) = tiers.single(0), tiers.single(len(TIER_MODELS) - 1)
    path_c = np.append(sweep.cost_usd, c_cloud)  # then a straight line to always-cloud
    path_q = np.append(sweep.quality, q_cloud)
    x = (path_c - c_dev) / (c_cloud - c_dev)
    costs = [tiers.single(k)[1] for k in range(len(TIER_MODELS))]
    target = QUALITY_TARGET * q_cloud
    at_target = cost_at_quality(path_c, path_q, target)
    points = []
    for k, w in enumerate(TABLE_WTPS_USD):
        rq, rc = random_mix(tiers, table.shares[k], rng)
        points.append(
            {
                "wtp_usd": w,
                **_qc(float(table.quality[k]), float(table.cost_usd[k])),
                "shares": dict(zip(TIER_MODELS, table.shares[k].tolist(), strict=True)),
                "random_mix": _qc(rq, rc),
            }
        )
    return {
        "apgr": apgr(x, path_q, q_dev, q_cloud),
        "aiq": aiq(sweep.cost_usd, sweep.quality, min(costs), max(costs)),
        "cost_saved_at_95pct_cloud": None if at_target is None else 1 - at_target / c_cloud,
        "points": points,
        "curve": _distinct_points(sweep.cost_usd, sweep.quality),
    }


def _distinct_points(cost: F64, quality: F64) -> dict[str, list[float]]:
    """The curve without repeats: many neighbouring ``w`` make the very same choices."""
    changed = np.concatenate(([True], (np.diff(cost) != 0) | (np.diff(quality) != 0)))
    return {"cost_usd": cost[changed].tolist(), "accuracy": quality[changed].tolist()}


def _mec_vs_cloud(pred: F64, pair: Outcomes, rng: np.random.Generator) -> dict[str, Any]:
    score = pred[:, 1] - pred[:, 0]
    sweep = threshold_sweep(score, pair)
    (q_w, c_w), (q_s, c_s) = pair.single(0), pair.single(1)
    share = sweep.shares[:, 1]
    at_target = cost_at_quality(sweep.cost_usd, sweep.quality, QUALITY_TARGET * q_s)
    return {
        "apgr": apgr(share, sweep.quality, q_w, q_s),
        "apgr_95ci": list(apgr_interval(score, pair, rng)),
        "cpt50": cpt(share, sweep.quality, q_w, q_s, 0.5),
        "cpt80": cpt(share, sweep.quality, q_w, q_s, 0.8),
        "aiq": aiq(sweep.cost_usd, sweep.quality, c_w, c_s),
        "cost_saved_at_95pct_cloud": None if at_target is None else 1 - at_target / c_s,
        "curve": {"strong_share": share[::_stride(share)].tolist(),
                  "accuracy": sweep.quality[:: _stride(share)].tolist()},
    }  # fmt: skip


def _stride(values: F64) -> int:
    return max(1, len(values) // 200)


def _zero_router(tiers: Outcomes, pair: Outcomes) -> dict[str, Any]:
    """Random mixes of single models (RouterBench's zero router) in both settings."""
    out: dict[str, Any] = {}
    for name, o in (("three_tier", tiers), ("mec_vs_cloud", pair)):
        q, c = (np.array(v) for v in zip(*(o.single(k) for k in range(len(o.models))), strict=True))
        hull = ndch(c, q)
        (q_w, c_w), (q_s, c_s) = o.single(0), o.single(len(o.models) - 1)
        at_target = cost_at_quality(hull[:, 0], hull[:, 1], QUALITY_TARGET * q_s)
        out[name] = {
            "aiq": aiq(c, q, float(c.min()), float(c.max())),
            "apgr": 0.5 if name == "mec_vs_cloud" else _hull_apgr(hull, q_w, c_w, q_s, c_s),
            "cost_saved_at_95pct_cloud": None if at_target is None else 1 - at_target / c_s,
        }
    return out


def _hull_apgr(hull: F64, q_w: float, c_w: float, q_s: float, c_s: float) -> float:
    path_c, path_q = np.append(hull[:, 0], c_s), np.append(hull[:, 1], q_s)
    return apgr((path_c - c_w) / (c_s - c_w), path_q, q_w, q_s)


def _predictor_quality(pred: F64, tiers: Outcomes) -> dict[str, dict[str, float]]:
    """Per model: AUC of P(correct) against what happened, and the log-loss."""
    from sklearn.metrics import log_loss, roc_auc_score

    out = {}
    for k, model in enumerate(TIER_MODELS):
        y, p = tiers.correct[:, k], np.clip(pred[:, k], 1e-6, 1 - 1e-6)
        auc = float(roc_auc_score(y, p)) if 0 < y.mean() < 1 else float("nan")
        out[model] = {"auc": auc, "log_loss": float(log_loss(y, p, labels=[0.0, 1.0]))}
    return out


# --------------------------------------------------------------------------- figure


def plot_curves(results: Mapping[str, Mapping[str, Any]], path: Path) -> Path:
    """Per dataset: accuracy against cost for three tiers (top) and against the share of cloud
    calls for MEC-vs-cloud (bottom, RouteLLM's plot), with the random mix and the oracle."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    names = [n for n in (*DATASETS, "overall") if n in results]
    fig = Figure(figsize=(4.6 * len(names), 8.4), layout="constrained")
    FigureCanvasAgg(fig)
    axes = fig.subplots(2, len(names), squeeze=False)
    for col, name in enumerate(names):
        _plot_three_tier(axes[0][col], name, results[name])
        _plot_mec_vs_cloud(axes[1][col], results[name])
    axes[0][0].legend(fontsize=7, loc="lower right")
    axes[1][0].legend(fontsize=7, loc="lower right")
    path.parent.mkdir(parents=True, exist_ok=True)
    fig.savefig(path, dpi=100)
    return path


def _plot_three_tier(ax: Any, name: str, res: Mapping[str, Any]) -> None:
    for router, data in res["routers"].items():
        curve = data["three_tier"]["curve"]
        ax.plot(curve["cost_usd"], curve["accuracy"], label=f"mecrouter ({router})", lw=1.4)
    single = res["single"]
    hull = ndch(
        np.array([v["cost_usd"] for v in single.values()]),
        np.array([v["accuracy"] for v in single.values()]),
    )
    grid = np.geomspace(hull[0, 0], hull[-1, 0], 200)  # a mix is linear in cost: draw it so
    ax.plot(grid, np.interp(grid, hull[:, 0], hull[:, 1]), "k--", lw=1, label="random mix")
    for model, v in single.items():
        ax.scatter(v["cost_usd"], v["accuracy"], marker="o", color="grey", zorder=3)
        ax.annotate(model.split("/")[-1], (v["cost_usd"], v["accuracy"]), fontsize=7)
    orc = res["oracle"]["three_tier"]
    ax.scatter(orc["cost_usd"], orc["accuracy"], marker="*", s=120, color="gold", zorder=4,
               label="oracle")  # fmt: skip
    ax.set_xscale("log")
    ax.set_title(f"{name}: three tiers (test, n={res['rows']})", fontsize=10)
    ax.set_xlabel("mean cost per prompt, USD (log)")
    ax.set_ylabel("accuracy")
    ax.grid(alpha=0.3)


def _plot_mec_vs_cloud(ax: Any, res: Mapping[str, Any]) -> None:
    weak, strong = (res["single"][m]["accuracy"] for m in MEC_VS_CLOUD)
    for router, data in res["routers"].items():
        curve = data["mec_vs_cloud"]["curve"]
        share = 100 * np.array(curve["strong_share"])
        ax.plot(share, curve["accuracy"], label=f"mecrouter ({router})", lw=1.4)
    ax.plot([0, 100], [weak, strong], "k--", lw=1, label="random mix")
    orc = res["oracle"]["mec_vs_cloud"]
    ax.axhline(orc["accuracy"], color="gold", lw=1, label="oracle")
    ax.set_title("MEC (mixtral-8x7b) vs cloud (gpt-4)", fontsize=10)
    ax.set_xlabel("calls to the cloud model, %")
    ax.set_ylabel("accuracy")
    ax.grid(alpha=0.3)
