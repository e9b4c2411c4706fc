"""QualityBeliefs: a calibration factor per (task type, model) that follows drift."""

from __future__ import annotations

import random

import pytest

from mecrouter.agents.learning import QualityBeliefs


def test_no_evidence_means_the_predictor_as_is() -> None:
    b = QualityBeliefs()
    assert b.estimate("code", "m", 0.7) == 0.7 and b.factor("code", "m") == 1.0


def test_answers_as_good_as_predicted_keep_the_factor_near_one() -> None:
    b, rng = QualityBeliefs(explore="mean"), random.Random(1)
    for _ in range(3000):
        p = rng.uniform(0.2, 0.9)
        b.observe("chat", "m", 1.0 if rng.random() < p else 0.0, p)
    assert b.factor("chat", "m") == pytest.approx(1.0, abs=0.1)


def test_a_degraded_model_is_learned_and_a_recovery_too() -> None:
    b = QualityBeliefs(explore="mean", prior_strength=5, forgetting=0.99)
    rng = random.Random(2)
    for _ in range(1000):  # answers good 0.3x as often as predicted
        b.observe("chat", "m", 1.0 if rng.random() < 0.3 * 0.8 else 0.0, 0.8)
    assert 0.15 < b.estimate("chat", "m", 0.8) < 0.4  # 0.8 x 0.3, shrunk a little toward 0.8
    assert b.estimate("code", "m", 0.8) == 0.8  # other task types are untouched
    for _ in range(1000):  # recovered
        b.observe("chat", "m", 1.0 if rng.random() < 0.8 else 0.0, 0.8)
    assert b.estimate("chat", "m", 0.8) == pytest.approx(0.8, abs=0.08)


def test_thompson_draws_vary_around_the_mean_and_are_seeded() -> None:
    def draws(seed: int) -> list[float]:
        b = QualityBeliefs(explore="thompson", seed=seed)
        for _ in range(20):
            b.observe("chat", "m", 0.0, 0.5)
        return [b.estimate("chat", "m", 0.5) for _ in range(200)]

    a = draws(3)
    assert a == draws(3) and len(set(a)) > 100
    mean = QualityBeliefs(explore="mean")
    for _ in range(20):
        mean.observe("chat", "m", 0.0, 0.5)
    assert sum(a) / len(a) == pytest.approx(mean.estimate("chat", "m", 0.5), abs=0.03)


def test_bad_scores_are_refused_and_state_round_trips() -> None:
    b = QualityBeliefs()
    with pytest.raises(ValueError, match="score"):
        b.observe("chat", "m", 1.5, 0.5)
    b.observe("chat", "m", 1.0, 0.5)
    c = QualityBeliefs()
    c.restore(b.export())
    assert c.snapshot() == b.snapshot()
