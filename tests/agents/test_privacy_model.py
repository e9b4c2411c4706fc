"""The privacy detector's trained stage (`agents.privacy_model`): what ships, when it is asked,
and that it only ever raises a level, by adding health content."""

from __future__ import annotations

import math
from collections import Counter
from pathlib import Path

import pytest

from mecrouter.agents.privacy import (
    MEDICAL_TERM,
    PERSON_NAME,
    detect_privacy,
    fold_text,
    may_be_about_someone,
)
from mecrouter.agents.privacy_model import (
    HEALTH_BITS,
    MODEL_PATH,
    HealthModel,
    chunk_words,
    health_chunks,
    health_features,
    load_model,
)
from mecrouter.privacy_labels import TUNING_SPLITS, read_corpus
from mecrouter.types import PrivacyLevel

DATA = Path(__file__).resolve().parents[2] / "data" / "privacy"


def test_the_model_ships_and_loads() -> None:
    assert MODEL_PATH.is_file()
    model = load_model()
    assert model is not None
    assert len(model.weights) == 1 << HEALTH_BITS
    assert math.isfinite(model.bias) and math.isfinite(model.threshold)
    assert model is load_model()  # read once


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    model = HealthModel([0.0] * (1 << HEALTH_BITS), -1.5, 0.25)
    model.weights[7] = 0.5
    model.save(tmp_path / "m.npz")
    again = HealthModel.load(tmp_path / "m.npz")
    assert again == model


def test_features_skip_function_words_and_are_stable() -> None:
    # Function words add nothing: "I have" is no health phrase.
    assert health_features(b"i have a meeting".split()) == health_features([b"meeting"])
    assert health_features(b"ich habe".split()) == []
    # Digits count as 0, so a year or a dose is one feature whatever its value.
    assert health_features([b"2019"]) == health_features([b"2024"])
    # crc32 is stable across runs and platforms: the shipped weights depend on these buckets.
    assert health_features([b"mutated"])[:2] == [56716, 4817]


def test_sentences_split_at_stops_not_inside_numbers() -> None:
    text = "Dose 2.5 mg at 10:30. I feel fine!\nNext line"
    chunks = [text[s:e] for s, e in health_chunks(text)]
    assert chunks == ["Dose 2.5 mg at 10:30", "I feel fine", "Next line"]
    assert chunk_words(text, 0, 4) == [b"dose"]


def test_the_model_is_asked_only_about_someone() -> None:
    assert may_be_about_someone(fold_text("My dad and I carry the same gene change."))
    assert may_be_about_someone(fold_text("Weekly injections since March."))  # asks nothing
    assert not may_be_about_someone(fold_text("What causes a gene change?"))


class _Always(HealthModel):
    """A model that reads every sentence as health content."""

    def logit(self, text: str) -> float:
        return math.inf


ALWAYS = _Always([], 0.0, 0.0)


def test_it_raises_what_the_rules_left_short_of_regulated() -> None:
    text = "My dad and I carry the same gene change."
    assert detect_privacy(text, model=None) == (PrivacyLevel.PUBLIC, ())
    assert detect_privacy(text, model=ALWAYS) == (PrivacyLevel.SENSITIVE, ("medical_term",))
    # A question about no one is not asked, however the model would answer.
    question = "What causes a gene change?"
    assert detect_privacy(question, model=ALWAYS) == (PrivacyLevel.PUBLIC, ())
    # Personal data the rules found, with health content they missed, is regulated.
    phone = "Call me on +44 20 7946 0958 about the gene change."
    assert detect_privacy(phone, model=None) == (PrivacyLevel.SENSITIVE, ("phone",))
    assert detect_privacy(phone, model=ALWAYS) == (
        PrivacyLevel.REGULATED, ("phone", "medical_term")
    )  # fmt: skip
    # A name alone is no finding, but a name with health content is regulated.
    named = "Note from Ute Barth: the same gene change as her father."
    assert detect_privacy(named, model=None) == (PrivacyLevel.PUBLIC, ())
    assert detect_privacy(named, model=ALWAYS)[0] is PrivacyLevel.REGULATED
    # A regulated verdict is left as it is (the model is not asked).
    nhs = "NHS number 943 476 5919, please update the address."
    assert detect_privacy(nhs, model=ALWAYS) == detect_privacy(nhs, model=None)


@pytest.mark.parametrize(
    "text",
    [
        "I have a question about Python.",
        "I have a meeting at 3pm.",
        "My unit tests fail on CI but pass locally.",
        "I am on the train to Berlin and my laptop battery is low.",
        "My daughter loves dinosaurs, suggest a birthday theme.",
        "I inherited my grandfather's watch and want to know its value.",
        "Can you help me plan a three day trip to Lisbon? I prefer walking.",
    ],
)
def test_everyday_statements_stay_public(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.PUBLIC, ())


def test_the_shipped_model_never_lowers_a_level_on_the_tuning_splits() -> None:
    """On the tuning splits (what it was fitted on; test is judged by `eval-privacy` only), the
    shipped stage changes a verdict only by adding health content (and the names that count
    with it): public becomes sensitive, personal data short of regulated becomes regulated, and
    nothing the rules found is dropped or lowered."""
    rank = {level: i for i, level in enumerate(PrivacyLevel)}
    prompts = [p for split in TUNING_SPLITS for p in read_corpus(DATA / f"{split}.jsonl")]
    changed = Counter[str]()
    for p in prompts[::7]:
        rules = detect_privacy(p.text, model=None)
        both = detect_privacy(p.text)
        if both != rules:
            assert rules[0] is not PrivacyLevel.REGULATED and MEDICAL_TERM not in rules[1]
            assert rank[both[0]] > rank[rules[0]]
            assert set(both[1]) - set(rules[1]) <= {MEDICAL_TERM, PERSON_NAME}
            assert set(rules[1]) <= set(both[1])
            changed[rules[0].value] += 1
    assert changed["public"] > 0  # the stage does raise some, on what it was fitted on
