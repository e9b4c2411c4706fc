"""Quality predictors: deterministic training, save/load, the shipped model, held-out files."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from mecrouter.embedding import DIM
from mecrouter.errors import ConfigError
from mecrouter.quality.data import HeldOutFileError, load_train, read_split
from mecrouter.quality.model import (
    SHIPPED_FAST_MODEL,
    TIER_MODELS,
    EmbeddingQualityModel,
    FastQualityModel,
    default_embedding_model,
    default_fast_model,
    train_embedding,
    train_fast,
)

HARD = (
    "Write a Python function that reads a CSV of bank transactions, groups them by account, "
    "computes each account's rolling 30-day median balance, and then prove step by step that "
    "your algorithm runs in O(n log n) time. Finally solve 3x^2 - 12x + 9 = 0 for x, showing "
    "every algebraic step, and write unit tests for the edge cases (empty file, one row)."
)
EASY = "hi, what's the time?"


def test_training_is_deterministic_under_a_seed(bench: Path, tmp_path: Path) -> None:
    split = load_train(bench)
    first, second = train_fast(split, seed=7), train_fast(split, seed=7)
    first.save(tmp_path / "a.npz")
    second.save(tmp_path / "b.npz")
    assert (tmp_path / "a.npz").read_bytes() == (tmp_path / "b.npz").read_bytes()
    assert np.array_equal(first.predict_many(split.prompts), second.predict_many(split.prompts))


def test_a_saved_model_loads_with_identical_predictions(bench: Path, tmp_path: Path) -> None:
    split = load_train(bench)
    model = train_fast(split, seed=1, models=("gpt-4-1106-preview", "claude-v2"))
    model.save(tmp_path / "m.npz")
    loaded = FastQualityModel.load(tmp_path / "m.npz")
    assert loaded.models == ("gpt-4-1106-preview", "claude-v2")
    assert loaded.meta["trained_on"] == ["arc_challenge_train.csv", "mbpp_train.csv"]
    assert np.array_equal(loaded.predict_many(split.prompts), model.predict_many(split.prompts))


def test_the_trained_model_learns_that_hard_prompts_fail_more(bench: Path) -> None:
    split = load_train(bench)
    model = train_fast(split, seed=0)
    easy, hard = model.predict(split.prompts[0]), model.predict(split.prompts[1])
    assert (hard < easy).all()


def test_training_refuses_rows_from_a_held_out_file(bench: Path) -> None:
    test_rows = read_split([bench / "routerbench" / "mbpp_test.csv"], allow_held_out=True)
    with pytest.raises(HeldOutFileError):
        train_fast(test_rows, seed=0)
    with pytest.raises(HeldOutFileError):
        train_embedding(test_rows, seed=0, vectors=np.zeros((len(test_rows), DIM)))


def test_predict_many_stacks_predict(bench: Path) -> None:
    model = train_fast(load_train(bench), seed=0)
    prompts = [EASY, HARD, ""]
    assert np.array_equal(
        model.predict_many(prompts), np.stack([model.predict(p) for p in prompts])
    )


def test_a_model_trained_with_other_features_is_refused(bench: Path, tmp_path: Path) -> None:
    model = train_fast(load_train(bench), seed=0)
    model.meta["tail_chars"] = 99  # as if the featurizer had read another window
    model.save(tmp_path / "old.npz")
    with pytest.raises(ConfigError, match="other features"):
        FastQualityModel.load(tmp_path / "old.npz")


def test_loading_a_file_that_is_not_a_model_is_a_config_error(tmp_path: Path) -> None:
    (tmp_path / "junk.npz").write_bytes(b"not a zip")
    with pytest.raises(ConfigError, match="cannot load"):
        FastQualityModel.load(tmp_path / "junk.npz")


# --------------------------------------------------------------------------- the shipped model


def test_the_shipped_model_is_small_and_covers_the_tier_models() -> None:
    assert SHIPPED_FAST_MODEL.stat().st_size < 1_500_000
    model = default_fast_model()
    assert model is default_fast_model()  # cached
    assert model.models == TIER_MODELS
    p = model.predict(EASY)
    assert p.dtype == np.float64 and p.shape == (len(TIER_MODELS),)
    assert ((p > 0) & (p < 1)).all()
    assert not any(name.endswith("_test.csv") for name in model.meta["trained_on"])


def test_the_shipped_model_finds_a_multi_step_code_prompt_harder_than_small_talk() -> None:
    model = default_fast_model()
    device = TIER_MODELS.index("mistralai/mistral-7b-chat")
    easy, hard = model.predict(EASY), model.predict(HARD)
    assert hard[device] < easy[device]
    assert hard.mean() < easy.mean()


# --------------------------------------------------------------------------- embedding path


class FakeEncoder:
    """Deterministic unit vectors: direction 0 for prompts mentioning code, 1 otherwise."""

    def __init__(self) -> None:
        self.calls: list[str] = []

    def encode(self, texts: Sequence[str]) -> npt.NDArray[np.float32]:
        out = np.zeros((len(texts), DIM), dtype=np.float32)
        for i, text in enumerate(texts):
            out[i, 0 if "Python" in text else 1] = 1.0
        return out

    async def aencode(self, text: str) -> npt.NDArray[np.float32]:
        self.calls.append(text)
        await asyncio.sleep(0)
        return self.encode([text])[0]


async def test_embedding_heads_train_on_vectors_and_predict_off_the_loop(
    bench: Path, tmp_path: Path
) -> None:
    split = load_train(bench)
    encoder = FakeEncoder()
    model = train_embedding(split, seed=0, embedder=encoder)
    hard, easy = await model.apredict(HARD), await model.apredict(EASY)
    assert hard.shape == (len(TIER_MODELS),) and (hard < easy).all()
    assert encoder.calls == [HARD, EASY]  # short prompts are encoded whole
    model.save(tmp_path / "e.npz")
    loaded = EmbeddingQualityModel.load(tmp_path / "e.npz", embedder=encoder)
    vectors = encoder.encode([HARD, EASY])
    assert np.array_equal(loaded.predict_vectors(vectors), model.predict_vectors(vectors))


async def test_the_shipped_embedding_heads_predict_with_minilm_off_the_event_loop() -> None:
    from mecrouter.embedding import available

    if not available():
        pytest.skip("the embedding extra is not installed")
    model = default_embedding_model()
    assert model.models == TIER_MODELS
    ticks = 0

    async def ticker() -> None:
        nonlocal ticks
        while True:
            await asyncio.sleep(0.001)
            ticks += 1

    task = asyncio.create_task(ticker())
    try:
        first = await model.apredict(HARD)  # loads the model, then encodes in a worker thread
        ticks_before = ticks
        second = await model.apredict(HARD)
    finally:
        task.cancel()
    assert ticks > ticks_before  # the loop kept running while the prompt was encoded
    assert first.shape == (len(TIER_MODELS),) and ((first > 0) & (first < 1)).all()
    assert np.allclose(first, second)


def test_support_is_full_in_domain_and_none_for_readings_unlike_the_training_prompts() -> None:
    model = default_fast_model()
    _, in_domain = model.predict_with_support(
        "Which is heavier, a kilogram of feathers or a kilogram of iron? Explain your answer"
        " in one or two sentences."
    )
    _, vitals = model.predict_with_support("sensor 17: temp 21.4C humidity 40% - anomaly?")
    _, chit_chat = model.predict_with_support("Thanks, that's all.")  # shorter than any trained on
    assert in_domain == 1.0
    assert vitals == 0.0
    assert chit_chat == 0.0
    p, _ = model.predict_with_support("Why does ice float on water?")
    np.testing.assert_array_equal(p, model.predict("Why does ice float on water?"))


def test_without_support_the_router_expects_the_capability_prior() -> None:
    from mecrouter.agents.context import ContextAgent
    from mecrouter.agents.router import RouterAgent
    from mecrouter.config import load_config
    from mecrouter.prediction import capability_fit, required_capability
    from mecrouter.types import InferenceRequest

    config = load_config()
    context = ContextAgent(config).analyze_request(
        InferenceRequest(
            content="meter 112: flow 0 l/min at 03:00 - leak or normal?", use_case="iot"
        )
    )
    assert context.quality and context.quality_support == 0.0
    priors = RouterAgent(config).prior_quality(context)
    need = required_capability(context.complexity_score)
    for ep in config.endpoints:
        assert priors[ep.id] == pytest.approx(capability_fit(ep.capability, need))
