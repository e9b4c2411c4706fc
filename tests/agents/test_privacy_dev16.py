"""The class of false alarm that the blind split dev16 showed: an "m" or "j" after a number is a
unit (metres, minutes, French days), not the "m" of "I'm" or "M. Dupont" nor the "j" of "j'ai",
so it does not let the trained stage read a text about no one; beside twins that stay private."""

from __future__ import annotations

import pytest

from mecrouter.agents.about import may_be_about_someone
from mecrouter.agents.folding import fold_text
from mecrouter.agents.privacy import detect_privacy
from mecrouter.types import PrivacyLevel

RAIN = (
    "Rain last week at three stations: 38.9 mm at 435 m, 11.1 mm at 15 m, 12.6 mm at 236 m "
    "altitude. Mean rainfall, and does it rise with height?"
)


@pytest.mark.parametrize(
    "text",
    [
        RAIN,
        "River gauge: 2.4 m at 06:00, 3.1 m at 12:00. When will it pass 4.5 m?",
        "Le chantier dure 12 j et la grue monte à 45 m. Combien de rotations par jour ?",
    ],
)
def test_a_unit_after_a_number_is_no_one(text: str) -> None:
    assert not may_be_about_someone(fold_text(text))
    assert detect_privacy(text)[0] is PrivacyLevel.PUBLIC


@pytest.mark.parametrize(
    "text",
    [
        "I'm 38 m from the pharmacy. Should I worry?",
        "Les résultats de M. 12 sont prêts ?",
        "Since last week I'm waking at 4 am with my heart racing. Is that anxiety?",
    ],
)
def test_the_writer_and_a_title_still_count(text: str) -> None:
    assert may_be_about_someone(fold_text(text))


def test_the_writer_s_health_stays_sensitive() -> None:
    text = "Since last week I'm waking at 4 am with my heart racing. Is that anxiety?"
    assert detect_privacy(text)[0] is PrivacyLevel.SENSITIVE
