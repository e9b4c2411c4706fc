"""The classes of false alarm that the blind split dev15 showed (a ward list's "Gen Med", a
delivery note's "Lieferschein Eberhardt", a customs MRN, "Sortie 12", HIPAA and clinicians, an
organisation's "wir", a code's capitals), each beside a twin that stays private."""

from __future__ import annotations

import pytest

from mecrouter.agents.names import name_spans
from mecrouter.agents.personal import address_spans
from mecrouter.agents.privacy import detect_privacy
from mecrouter.types import PrivacyLevel


@pytest.mark.parametrize(
    "text",
    [
        "Ward 4 (Gen Med) | 28 | 27 | 2 | 0\nWard 7 (Surgical) | 24 | 22 | 0 | 5",
        "Lieferschein Eberhardt, Nr. 1700254568: Ibuprofen 400 mg, bestellt 30, geliefert 0",
        "Lieferschein Rudolf & Scherzer GmbH: Salbutamol 100 µg, geliefert 1",
    ],
)
def test_ward_specialties_and_a_firms_documents_are_no_name(text: str) -> None:
    assert name_spans(text) == []


@pytest.mark.parametrize(
    "text",
    [
        "Ausfuhranmeldung, MRN 24DE378044EJYY8956, Container QWLG6958309. Was kann man tun?",
        "Prends la Sortie 12 puis la Partie 3 du rapport, Garantie 2 ans.",
        "See Aggregate 4 in the table and Brigade 3 in the annex.",
        "We need HIPAA compliance for our scheduling app. What should we log?",
        "Our EHR vendor charges per clinician. Is per-seat pricing better for 40 seats?",
        "Capacity question for a walk-in clinic. We open 8 hours a day, 7 days a week, with 3 "
        "clinicians per session. An average appointment takes 18 min plus 5 min turnaround. How "
        "many clinician-hours are we short per week?",
        "Auszug aus unserer Wechselwirkungstabelle (Version 6.10, Stand 17.01.2024):\n"
        "Simvastatin + Clarithromycin | schwer | CYP3A4-Hemmung\nWarfarin + Ibuprofen | mittel | "
        "Blutungsrisiko\nMetformin + jodhaltiges Kontrastmittel | mittel | Laktatazidose\n"
        "Citalopram + Linezolid | schwer | Serotoninsyndrom\n\nFür die App brauchen wir zusätzlich "
        "eine Spalte mit Evidenzgrad. Wie würdest du das Schema in SQL anlegen?",
        "Expediente de contratación ME/2026/23859: suministro de 2039 kits de sondaje vesical y "
        "10494 pares de guantes quirúrgicos estériles para el servicio de salud, valor estimado "
        "751.239 € sin IVA, plazo de presentación 16 días. ¿Con este importe procede el "
        "procedimiento abierto simplificado o tiene que ser abierto ordinario? Explícamelo de "
        "forma general.",
        "Explain how IL-6 levels rise in sepsis on the public benchmark.",
    ],
)
def test_the_dev15_classes_are_public(text: str) -> None:
    assert detect_privacy(text)[0] is PrivacyLevel.PUBLIC


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Patient MRN 24DE378044 admitted with sepsis.", PrivacyLevel.REGULATED),
        ("Bed 4 Anna Schmidt: insulin 40 units at night.", PrivacyLevel.REGULATED),
        ("We both have HIV. How do we tell our families?", PrivacyLevel.SENSITIVE),
        ("My physician prescribed insulin. What should I log?", PrivacyLevel.SENSITIVE),
    ],
)
def test_their_private_twins_stay(text: str, level: PrivacyLevel) -> None:
    assert detect_privacy(text)[0] is level


@pytest.mark.parametrize("street", ["Hämeentie 14 A", "Rantatie 3", "Kaiserring 12"])
def test_streets_with_those_endings_are_still_streets(street: str) -> None:
    assert address_spans(f"Delivery to {street}, please.") != []
