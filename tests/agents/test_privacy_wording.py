"""Wording from the ninth and tenth rounds of blind writers (dev9, dev10) that the detector had
missed."""

from __future__ import annotations

import pytest

from mecrouter.agents.names import name_spans
from mecrouter.agents.privacy import MEDICAL_TERM, PHONE, detect_privacy, identifier_spans
from mecrouter.types import PrivacyLevel


@pytest.mark.parametrize(
    "text",
    [
        "My blood pressure was 165 over 100 at the pharmacy check, so they sent me to the GP.",
        "I had a TIA last month and my GP told me not to drive for a month.",
        "I had a breakdown in April and I'm only just back on a phased return.",
        "I use a power chair, so I need step-free access.",
        "On m'a trouvé un nodule au poumon au scanner, biopsie le 14 août.",
        "J'ai arrêté de boire le 04/03/2024, ça fait 15 mois.",
        "Ich hab mich testen lassen und hab tatsächlich Tripper.",
        # dev10
        "Ich bin Dialysepatient und hänge dreimal die Woche an der Maschine.",
        "Casi cada noche me acabo una botella de vino y no consigo parar.",
        "Je joue au poker en ligne toutes les nuits jusqu'à 4 h du matin.",
        "J'entends très mal des deux oreilles depuis l'enfance.",
        "Ça fait 8 ans que je n'ai pas bu une goutte, je vais aux réunions des AA.",
        "Ich trinke abends fast immer eine ganze Flasche Wein.",
        "Soy alérgico a los frutos secos con anafilaxia y llevo plumas de adrenalina.",
    ],
)
def test_health_wording_of_the_ninth_writers(text: str) -> None:
    assert MEDICAL_TERM in detect_privacy(text, model=None)[1]


def test_a_number_after_text_someone_on_is_a_phone() -> None:
    text = "Hey car, text Mitali Chandran on 5516234161: stuck on the ring road"
    assert [text[s:e] for s, e, kind in identifier_spans(text) if kind == PHONE] == ["5516234161"]


@pytest.mark.parametrize(
    "text",
    [
        "Bestellung beim Großhandel Meister GbR: 34 Packungen Paracetamol. Bitte als Tabelle.",
        "Our supplier Moss Clarke Ltd ships insulin pens, 40 boxes. Plot the orders.",
    ],
)
def test_a_company_or_a_plural_noun_is_no_name(text: str) -> None:
    assert name_spans(text) == []
    assert detect_privacy(text, model=None) == (PrivacyLevel.PUBLIC, ())


def test_my_number_in_german_names_a_phone() -> None:
    text = "Wenn es gut läuft, gebe ich ihm meine Nummer 05666/97701221."
    assert [text[s:e] for s, e, kind in identifier_spans(text) if kind == PHONE] == [
        "05666/97701221"
    ]


def test_a_count_of_people_is_no_name() -> None:
    text = (
        "Schreib eine Grafikbeschreibung: rund 4.4 Millionen Menschen gelten als pflegebedürftig."
    )
    assert detect_privacy(text, model=None) == (PrivacyLevel.PUBLIC, ())


@pytest.mark.parametrize(
    "run",
    ["Nachtschicht Unfallchirurgie", "Bestandsliste Apotheke", "Geplante Aufnahmen"],
)
def test_german_compound_nouns_are_no_names(run: str) -> None:
    text = f"{run}: 3 Patienten mit Norovirus. Mach daraus eine Tabelle."
    assert name_spans(text) == []


def test_a_name_ending_like_a_place_is_still_a_name() -> None:
    # Solheim and Estelle end in "heim" and "stelle", which is why those are no compound heads.
    assert name_spans("Patient Estelle Solheim hat seit 2019 Diabetes.") != []
