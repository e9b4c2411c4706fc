"""The routing metrics against cases whose answers are known by hand."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from mecrouter.eval.quality import (
    Outcomes,
    aiq,
    apgr,
    cost_at_quality,
    cpt,
    evaluate_rows,
    ndch,
    oracle,
    random_mix,
    threshold_sweep,
    wtp_sweep,
)
from mecrouter.quality.data import load_test
from mecrouter.quality.model import TIER_MODELS

# Four prompts, two models (weak, strong). The strong model fixes prompts 0 and 1.
PAIR = Outcomes(
    models=("weak", "strong"),
    correct=np.array([[0, 1], [0, 1], [1, 1], [1, 0]], dtype=float),
    cost_usd=np.array([[1, 10], [1, 10], [1, 10], [1, 10]], dtype=float),
)


def test_a_threshold_sweep_runs_from_always_weak_to_always_strong() -> None:
    sweep = threshold_sweep(np.array([0.9, 0.8, 0.1, 0.0]), PAIR)
    assert sweep.quality.tolist() == [0.5, 0.75, 1.0, 1.0, 0.75]
    assert sweep.cost_usd[0] == 1 and sweep.cost_usd[-1] == 10
    assert sweep.shares[:, 1].tolist() == [0, 0.25, 0.5, 0.75, 1]


def test_apgr_is_one_half_for_a_random_router_and_higher_for_a_good_one() -> None:
    share = np.linspace(0, 1, 11)
    assert apgr(share, 0.5 + 0.25 * share, 0.5, 0.75) == pytest.approx(0.5)
    good = threshold_sweep(np.array([0.9, 0.8, 0.1, 0.0]), PAIR)
    bad = threshold_sweep(np.array([0.0, 0.1, 0.8, 0.9]), PAIR)
    x_good, x_bad = good.shares[:, 1], bad.shares[:, 1]
    assert apgr(x_good, good.quality, 0.5, 0.75) > 0.5 > apgr(x_bad, bad.quality, 0.5, 0.75)


def test_cpt_is_the_first_strong_share_that_recovers_the_gap() -> None:
    share = np.linspace(0, 1, 5)
    quality = np.array([0.5, 0.6, 0.7, 0.75, 0.75])
    # PGR = 0, 0.4, 0.8, 1, 1
    assert cpt(share, quality, 0.5, 0.75, 0.8) == pytest.approx(0.5)
    assert cpt(share, quality, 0.5, 0.75, 0.6) == pytest.approx(0.375)
    assert cpt(share, quality, 0.5, 0.75, 1.5) is None


def test_cost_at_quality_interpolates_between_neighbouring_points() -> None:
    cost, quality = np.array([1.0, 3.0, 5.0]), np.array([0.5, 0.7, 0.9])
    assert cost_at_quality(cost, quality, 0.8) == pytest.approx(4.0)
    assert cost_at_quality(cost, quality, 0.4) == 1.0
    assert cost_at_quality(cost, quality, 0.95) is None


def test_ndch_keeps_the_upper_hull_up_to_the_best_quality() -> None:
    cost = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
    quality = np.array([0.5, 0.55, 0.8, 0.7, 0.85])
    assert ndch(cost, quality).tolist() == [[1.0, 0.5], [3.0, 0.8], [5.0, 0.85]]
    assert ndch(np.array([1.0, 2.0]), np.array([0.9, 0.5])).tolist() == [[1.0, 0.9]]


def test_aiq_is_the_mean_quality_of_the_hull_over_the_cost_range() -> None:
    assert aiq(np.array([1.0, 3.0]), np.array([0.5, 0.9]), 1.0, 3.0) == pytest.approx(0.7)
    # held flat past the router's dearest point, as RouterBench does
    assert aiq(np.array([1.0, 2.0]), np.array([0.5, 0.9]), 1.0, 3.0) == pytest.approx(0.8)


def test_the_oracle_takes_the_cheapest_correct_model() -> None:
    assert oracle(PAIR) == (1.0, pytest.approx((10 + 10 + 1 + 1) / 4))


def test_the_wtp_router_goes_from_cheapest_to_most_likely_correct() -> None:
    pred = np.array([[0.2, 0.9], [0.8, 0.7], [0.5, 0.6], [0.9, 0.1]])
    est = np.array([1.0, 10.0])
    sweep = wtp_sweep(pred, est, PAIR, [0.0, 1e6])
    assert sweep.shares.tolist() == [[1.0, 0.0], [0.5, 0.5]]
    assert sweep.quality.tolist() == [0.5, 0.75]


def test_the_random_mix_honours_the_shares_and_the_seed() -> None:
    first = random_mix(PAIR, np.array([0.5, 0.5]), np.random.default_rng(3))
    assert first == random_mix(PAIR, np.array([0.5, 0.5]), np.random.default_rng(3))
    assert first[1] == pytest.approx((2 * 1 + 2 * 10) / 4)


def test_a_router_that_knows_the_answers_beats_the_random_mix(bench: Path) -> None:
    test = load_test(bench)
    truth = np.nan_to_num(test.correct[:, test.columns(TIER_MODELS)], nan=0.5)
    noise = np.random.default_rng(0).random(truth.shape)
    est = test.cost_usd[:, test.columns(TIER_MODELS)].mean(axis=0)
    res = evaluate_rows(test, {"psychic": truth * 0.9 + 0.05, "noise": noise}, est, seed=0)
    assert res["rows"] == 79 and res["dropped_rows_empty_cells"] == 1
    psychic, zero = res["routers"]["psychic"], res["zero_router"]
    assert psychic["mec_vs_cloud"]["apgr"] > 0.9 > zero["mec_vs_cloud"]["apgr"]
    assert psychic["three_tier"]["aiq"] > zero["three_tier"]["aiq"]
    assert res["oracle"]["three_tier"]["accuracy"] >= psychic["three_tier"]["curve"]["accuracy"][-1]
    assert len(psychic["three_tier"]["points"]) == 8
