"""A calendar date after a phone word is no phone number ("Calls on 2023-08-25: 635 answered",
"Anruf vom 25.08.2023"); a phone after the date still is ("Call me on 2023-08-25 at 555
0134"), and a number that only looks like a date's start is still a phone."""

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
    ],
)
def test_a_date_after_a_phone_word_is_no_phone(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.PUBLIC, ())


@pytest.mark.parametrize(
    "text",
    [
        "Call me on 2023-08-25 at 555 0134 please.",
        "Ring 0171 234 5678 on 2023-08-25.",
        "Tel. 030 1234567, Termin 25.08.2023",
        "Call me at 2023-555-01.",
        "Phone 2013 45 67 89 after lunch.",
    ],
)
def test_a_phone_beside_a_date_is_still_one(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.SENSITIVE, ("phone",))


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
