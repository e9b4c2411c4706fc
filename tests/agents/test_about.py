"""Whom health content is about (`mecrouter.agents.about`): someone, or a population."""

from __future__ import annotations

import pytest

from mecrouter.agents.about import asks, may_be_about_someone
from mecrouter.agents.privacy import MEDICAL_TERM, detect_privacy, fold_text
from mecrouter.types import PrivacyLevel


@pytest.mark.parametrize(
    "text",
    [
        # Statements that count a population, with no person in them ...
        "The Riverside clinic saw 212 patients with type 2 diabetes in 2024. Plot it.",
        "ICU occupancy 11/12, 4 patients ventilated, 2 on dialysis at 08:00",
        "Q3 sick leave: 14 staff off with depression, 3 with back pain.",
        "Incidence of HIV fell from 8.1 to 6.4 per 100,000 between 2019 and 2023",
        "Station 4: 28 von 30 Betten belegt, 3 Patienten mit Norovirus isoliert, Stand 08:00",
        "Service de pneumologie : 38 patients admis pour pneumonie la semaine dernière",
        "Planta 3: 28 de 30 camas ocupadas, 3 pacientes con gripe aislados",
        # ... and requests or questions without a question mark.
        "Ward 7 admitted patients with pneumonia all week; chart the trend by month",
        "how many people with dementia are there in Europe",
        "Die Studie schloss Teilnehmende mit Asthma ein. Berechne die Abbruchquote.",
    ],
)
def test_health_content_about_a_population_is_public(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.PUBLIC, ())


@pytest.mark.parametrize(
    "text",
    [
        "Alcohol dependence since 2019, completed rehab",  # a note about someone
        "Lives with 2 children, depression since 2019",  # two children are a family
        "My mother is one of 212 patients with dementia in the home. Plot her weight.",
        "how do I tell my boss I have bipolar disorder",  # asks, and the writer is in it
        "She and 3 colleagues tested positive for hepatitis B.",
    ],
)
def test_health_content_about_someone_stays_sensitive(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.SENSITIVE, (MEDICAL_TERM,))


def test_what_asks_and_what_may_be_about_someone() -> None:
    assert asks(fold_text("Why is the sky blue"))
    assert asks(fold_text("Plot the readings by hour."))
    assert not asks(fold_text("Readings rose by 4% overnight."))
    # A statement may be about someone unless it counts a population with no person word.
    assert may_be_about_someone(fold_text("Weekly injections since March."))
    assert not may_be_about_someone(fold_text("Weekly injections for 40 residents since March."))
    assert may_be_about_someone(fold_text("Her weekly injections, like 40 residents, since March."))


@pytest.mark.parametrize(
    "text",
    [
        # The writer right after a request verb only asks ...
        "Make me a generic table of paracetamol doses at 15 mg/kg for 5 to 30 kg, for a handout",
        # ... and build, prepare, mach, propose ask like write and explain.
        "For a teaching handout: paracetamol 15 mg/kg per dose. Build a weight-band table.",
        "Station 7: Insulin 40 Stück, Heparin 12 Stück. Mach daraus eine Tabelle.",
    ],
)
def test_requests_for_health_tables_are_about_no_one(text: str) -> None:
    assert detect_privacy(text, model=None) == (PrivacyLevel.PUBLIC, ())


@pytest.mark.parametrize(
    "text",
    [
        # A name is never cut across a line break, nor from inside a word ...
        "CHU de Robin-sur-Allain\nMédecine interne : 30/30 lits. Fais un tableau.",
        "Client FortiClient 7.4.4 drops the VPN; propose un diagnostic.",
        # ... and no name has a word of 17 letters.
        "Datenlogger Medikamentenkühlschrank: 11.6 °C, Insulin. Was sagen Fachinformationen?",
    ],
)
def test_what_is_no_name_near_health_words(text: str) -> None:
    assert detect_privacy(text, model=None)[0] is not PrivacyLevel.REGULATED


def test_a_roman_numeral_is_not_the_writer() -> None:
    text = "Urgencias: nivel I: 2 pacientes, espera 0 min; nivel II: 10. Calcula la espera media."
    assert detect_privacy(text, model=None) == (PrivacyLevel.PUBLIC, ())
    assert detect_privacy("I have stage I breast cancer, what now?", model=None)[0] is (
        PrivacyLevel.SENSITIVE
    )
