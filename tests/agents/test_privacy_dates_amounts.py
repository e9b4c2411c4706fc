"""A calendar date after a phone word is no phone number ("Calls on 2023-08-25: 635 answered"),
nor is an amount ("Mobile data used: 2.345.678 kB", "Calls handled: 1 234 567"), nor is a date
after "NATO" anyone's birth; a phone after the date still is ("Call me on 2023-08-25 at 555
0134"), as are numbers that only look like a date's start or an amount ("612 345 678", a Spanish
mobile)."""

from __future__ import annotations

import pytest

from mecrouter.agents.nearby import leading_date
from mecrouter.agents.privacy import detect_privacy
from mecrouter.types import PrivacyLevel


@pytest.mark.parametrize(
    "text",
    [
        "Call centre stats 2023-08-25: 635 calls, mean wait 164 s, 5 agents on shift.",
        "Calls on 25.08.2023: 412 answered, 37 missed. Plot it.",
        "Call log 2024-03-05 14:22: 12 missed, 3 dropped.",
        "Helpline calls 08/25/2023: 918, of which 40 abandoned.",
        "Telefonate am 05.03.2024 08:15: 77 angenommen.",
        "Llamadas del 25-08-2023: 412 atendidas.",
        "text 2024-06-16 10:00 in the log is the build time",
        "Mobile data used: 2.345.678 kB this month, 1.234.567 kB last month. Trend?",
        "Calls handled: 1 234 567 in 2023 vs 1 198 004 in 2022. Growth rate?",
        "Call volume 12,345,678 across 40 sites; cost per call?",
        "Phone battery 4 500 mAh after 1 200 cycles: 81% left.",
        "NATO exercise started 2024-03-12 with 14 ships. Summarise the timeline.",
        "La cumbre de la OTAN (NATO) del 12/03/2024 reunió 31 países.",
    ],
)
def test_a_date_or_an_amount_is_no_ones(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.PUBLIC, ())


@pytest.mark.parametrize(
    "text",
    [
        "Call me on 2023-08-25 at 555 0134 please.",
        "Ring 0171 234 5678 on 2023-08-25.",
        "Tel. 030 1234567, Termin 25.08.2023",
        "Call me at 2023-555-01.",
        "Phone 2013 45 67 89 after lunch.",
        "Call me on 612 345 678 tonight.",
        "Llámame al 612.345.678, por favor.",
        "Mobile 07700 900123, €5 top-up.",
        "Ring 0171 234 5678 about the 12 kWh meter.",
    ],
)
def test_a_phone_beside_a_date_is_still_one(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.SENSITIVE, ("phone",))


def test_an_italian_birth_word_is_still_one() -> None:
    assert detect_privacy("Nata il 03/04/1990 a Roma.") == (
        PrivacyLevel.SENSITIVE,
        ("date_of_birth",),
    )


@pytest.mark.parametrize(
    ("number", "date"),
    [
        ("2023-08-25", 10),
        ("25.08.2023 14:22", 10),
        ("08/25/2023", 10),
        ("2023-13-25", 0),  # no thirteenth month
        ("2023-08-251", 0),  # the day runs on into more digits
        ("25.08-2023", 0),  # two separators
        ("1850-08-25", 0),  # no year a prompt's phone log would hold
        ("0171 234 5678", 0),
    ],
)
def test_leading_date(number: str, date: int) -> None:
    assert leading_date(number) == date
