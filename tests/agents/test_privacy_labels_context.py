"""Context that tells a look-alike from personal data: a thing's label before a number, the length
of an international number, an account word inside another word, a place after "in", an IP
address, digits inside a hash, German nouns, and health content about anyone, a population or
a question about an illness rather than about someone."""

from __future__ import annotations

import pytest

from mecrouter.agents.privacy import (
    BANK_ACCOUNT,
    IN_AADHAAR,
    PAYMENT_CARD,
    PERSON_NAME,
    PHONE,
    POSTAL_ADDRESS,
    detect_privacy,
    identifier_spans,
)
from mecrouter.types import PrivacyLevel

AADHAAR = "5179 9214 1833"  # passes the Verhoeff check
CARD = "4402 7749 8835 0845"  # passes the Luhn check, and starts as a Visa card does


def _kinds(text: str) -> set[str]:
    return {kind for _, _, kind in identifier_spans(text)}


@pytest.mark.parametrize(
    ("text", "kind", "found"),
    [
        ("product code 79-71-26, stock no. 28922444, binder", BANK_ACCOUNT, False),
        ("Sort code 20-00-00, account 28922444, please pay", BANK_ACCOUNT, True),
        ("Pay 20-00-00 28922444 by Friday", BANK_ACCOUNT, True),
        ("The carrier's tracking number is " + AADHAAR + ".", IN_AADHAAR, False),
        ("My Aadhaar is " + AADHAAR + ".", IN_AADHAAR, True),
        ("Write back to " + AADHAAR + " on the form", IN_AADHAAR, True),
        ("Palette 1, NVE (00) " + CARD + " 82, 700 kg", PAYMENT_CARD, False),
        ("Order 1182, card " + CARD + ", please refund", PAYMENT_CARD, True),
        ("Refund " + CARD + " today", PAYMENT_CARD, True),
    ],
)
def test_a_things_label_before_a_number_makes_it_that_things_id(
    text: str, kind: str, found: bool
) -> None:
    assert (kind in _kinds(text)) is found


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("Bundle kits use a leading plus, +48 831 6685.", False),  # too short for Poland
        ("Bundle kits use a leading plus, +02 498 5450.", False),  # no country 02
        ("Reach the office on +44 20 7946 0958.", True),
        ("The office: +44 20 7946 0958.", True),  # valid, no phone word needed
        ("Call +48 831 6685 tonight.", True),  # a phone word vouches for it
        ("Kits: +49 30 1234 5678 (sensor bay)", True),  # possible and 10+ digits
    ],
)
def test_an_international_number_without_a_phone_word_needs_a_possible_length(
    text: str, found: bool
) -> None:
    assert (PHONE in _kinds(text)) is found


def test_an_account_word_inside_another_word_is_not_an_account_word() -> None:
    assert BANK_ACCOUNT not in _kinds("Shipment 2025-09-01: container VRUU 6429255 at berth 4")
    assert BANK_ACCOUNT in _kinds("Transferir para a conta 6429255 hoje, 2025-09-01")


def test_a_capitalised_run_after_a_word_of_place_is_a_place() -> None:
    text = "Mark Fisher has epilepsy; he lives at a community centre in West Vincentton."
    spans = identifier_spans(text)
    names = [text[s:e] for s, e, kind in spans if kind == PERSON_NAME]
    assert names == ["Mark Fisher"]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        (
            "What are the warning signs of bipolar disorder? I am preparing a talk for "
            "volunteers, so I need the general picture. How common is hypomania?",
            PrivacyLevel.PUBLIC,
        ),
        ("I was diagnosed with bipolar disorder last year, what should I ask?", None),
        ("Can she drive? My sister has epilepsy and a new job.", None),
        ("What helps with depression? Please explain, my brother asked me.", None),
    ],
)
def test_the_writers_own_words_count_only_in_the_sentence_of_the_health_content(
    text: str, level: PrivacyLevel | None
) -> None:
    got, _ = detect_privacy(text, model=None)
    if level is None:
        assert got is not PrivacyLevel.PUBLIC
    else:
        assert got is level


def test_a_word_the_context_window_cuts_is_not_a_context_word() -> None:
    # 40 characters before the epoch start inside "RateLimit": its piece "telimit" is no "tel".
    text = (
        "Response headers:\nX-RateLimit-Limit: 467\nX-RateLimit-Remaining: 0\n"
        "X-RateLimit-Reset: 1767314388\nRetry-After: 8"
    )
    assert PHONE not in _kinds(text)
    assert PHONE in _kinds("Please tel. 1767314388 after five")


def test_an_ip_address_after_a_phone_word_is_no_phone() -> None:
    assert PHONE not in _kinds("The hosts cannot reach their gateway at 10.20.200.1 since noon.")
    assert PHONE in _kinds("You can reach me at 020 7946 0958 after six.")


def test_digits_glued_to_letters_are_no_card() -> None:
    assert PAYMENT_CARD not in _kinds(f"sha256 d4313a84cac{CARD.replace(' ', '')}f1 mismatch")
    assert PAYMENT_CARD in _kinds(f"Charge {CARD.replace(' ', '')} for the deposit, please")


@pytest.mark.parametrize(
    ("text", "public"),
    [
        ("A 24-bed ward runs a 1:4 nurse-to-patient ratio. How many nurses per shift?", True),
        ("Write code for a patient simulator that outputs ECG traces at 60-180 bpm.", True),
        ("Draft a discharge letter template for a patient with schizophrenia.", True),
        (
            "Si deux parents sont porteurs de la mucoviscidose, quel risque pour un enfant ?",
            True,
        ),
        ("Our town council is writing an accessibility charter for disability. Ideas?", True),
        (
            "Given notifications of tuberculosis by region, how do I compute the incidence "
            "per 100,000?",
            True,
        ),
        ("Where is the patient's chart? The patient has epilepsy.", False),
        ("How do I tell my kids about my cancer?", False),
        ("Our son has autism; which school support can we ask for?", False),
        ("I have diabetes. What is the prevalence of diabetes in Europe?", False),
    ],
)
def test_health_content_about_anyone_or_a_population_is_about_no_one(
    text: str, public: bool
) -> None:
    got, _ = detect_privacy(text, model=None)
    assert (got is PrivacyLevel.PUBLIC) is public


@pytest.mark.parametrize(
    "text",
    [
        "Vorlesung Humangenetik: eine Erkrankung mit Häufigkeit 1:3000. Wie berechne ich q?",
        "Referat, Meldeinzidenz Tuberkulose pro 100.000: welche Störfaktoren beim Vergleich "
        "der Länder?",
        "Welche Annahmen gelten bei Diabetes? Bitte erkläre es.",
    ],
)
def test_capitalised_german_nouns_are_no_names(text: str) -> None:
    assert PERSON_NAME not in _kinds(text)


def test_a_fifteen_digit_number_is_a_card_only_with_an_amex_or_jcb_prefix() -> None:
    assert PAYMENT_CARD not in _kinds("[pid 35205:tid 653695347049832] scoreboard is full")
    assert PAYMENT_CARD in _kinds("Please refund 3782 822463 10005 for the stay")


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("CloudWatch:\nInvocations 38175, Throttles 6679, max 918", False),
        ("CloudWatch:\nInvocations 38175, Throttles 14284, max 918", False),
        ("Ship to 12 Baker Street, Springfield, IL 62704, please.", True),
        ("Send it to H.No. 37, Yadav Circle, Meerut 069615 by Friday.", True),
        ("Send it to 4 Mill Lane, Oxford OX1 2JD by Friday.", True),
    ],
)
def test_digits_after_a_place_are_a_postcode_with_a_state_or_a_national_outline(
    text: str, found: bool
) -> None:
    assert (POSTAL_ADDRESS in _kinds(text)) is found
