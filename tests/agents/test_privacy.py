"""The PII/PHI detector: what it must catch, and the look-alikes it must leave alone."""

from __future__ import annotations

from typing import Any

import pytest

from mecrouter.agents.names import name_spans
from mecrouter.agents.privacy import (
    DATE_OF_BIRTH,
    EMAIL,
    MEDICAL_RECORD_NUMBER,
    MEDICAL_TERM,
    PAYMENT_CARD,
    PERSON_NAME,
    PHONE,
    UK_NINO,
    US_SSN,
    detect_privacy,
    detection_text,
    fold_text,
    identifier_spans,
    luhn_valid,
)
from mecrouter.types import PrivacyLevel

PHI_PROMPT = "Patient John Smith MRN 4829103, blood glucose 310 mg/dL, adjust insulin?"


def test_phi_prompt_with_record_number_is_regulated() -> None:
    level, findings = detect_privacy(PHI_PROMPT)
    assert level is PrivacyLevel.REGULATED
    assert MEDICAL_RECORD_NUMBER in findings
    assert MEDICAL_TERM in findings
    assert PERSON_NAME in findings


def test_email_alone_is_sensitive() -> None:
    level, findings = detect_privacy(
        "Please forward the report to jane.doe+work@example.co.uk today"
    )
    assert level is PrivacyLevel.SENSITIVE
    assert findings == (EMAIL,)


@pytest.mark.parametrize("text", ["follow @example.com on social", "@here standup moved", "a@b"])
def test_handles_and_bare_at_signs_are_not_emails(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.PUBLIC, ())


@pytest.mark.parametrize(
    "card",
    [
        "4111 1111 1111 1111",
        "4111-1111-1111-1111",
        "4111111111111111",
        "5500 0000 0000 0004",
        "3782 822463 10005",  # Amex 4-6-5
    ],
)
def test_luhn_valid_card_numbers_are_sensitive(card: str) -> None:
    level, findings = detect_privacy(f"charge my card {card} for the order")
    assert level is PrivacyLevel.SENSITIVE
    assert findings == (PAYMENT_CARD,)  # its digit groups are not reported as a phone too


def test_card_followed_by_expiry_and_cvv_is_still_a_card() -> None:
    for text in ("4111 1111 1111 1111 12/27 737", "pay 4111 1111 1111 1111 737 now"):
        assert PAYMENT_CARD in detect_privacy(text)[1]
    mixed = "call 020 7946 0958 4111 1111 1111 1111 today"
    assert detect_privacy(mixed)[1] == (PAYMENT_CARD, PHONE)


@pytest.mark.parametrize(
    "number", ["4111 1111 1111 1112", "1234567812345678", "0000 0000 0000 0000"]
)
def test_sixteen_digits_failing_luhn_or_placeholders_are_not_cards(number: str) -> None:
    level, findings = detect_privacy(f"reference {number} attached")
    assert PAYMENT_CARD not in findings
    assert level is PrivacyLevel.PUBLIC


def test_luhn_check() -> None:
    assert luhn_valid("4111111111111111")
    assert luhn_valid("79927398713")
    assert not luhn_valid("4111111111111112")
    assert not luhn_valid("79927398710")


def test_us_ssn_is_regulated() -> None:
    level, findings = detect_privacy("my social security number is 123-45-6789")
    assert level is PrivacyLevel.REGULATED
    assert findings == (US_SSN,)


@pytest.mark.parametrize("ssn", ["000-12-3456", "666-12-3456", "912-34-5678", "123-00-4567"])
def test_ssn_shapes_that_are_never_issued_are_ignored(ssn: str) -> None:
    assert US_SSN not in detect_privacy(f"id {ssn}")[1]


@pytest.mark.parametrize("nino", ["QQ 12 34 56 C", "QQ123456C", "AB 12 34 56 D"])
def test_uk_national_insurance_number_is_regulated(nino: str) -> None:
    level, findings = detect_privacy(f"My NI number is {nino}, please update payroll")
    assert level is PrivacyLevel.REGULATED
    assert findings == (UK_NINO,)


@pytest.mark.parametrize("text", ["GB 12 34 56 A", "XQQ123456C", "DQ 12 34 56 A"])
def test_invalid_ni_prefixes_are_ignored(text: str) -> None:
    assert UK_NINO not in detect_privacy(text)[1]


@pytest.mark.parametrize(
    "phone",
    [
        "+44 20 7946 0958",
        "+1 (555) 123-4567",
        "(555) 123-4567",
        "555-123-4567",
        "555.123.4567",
        "020 7946 0958",
        "07700 900123",
        "+447700900123",
    ],
)
def test_phone_numbers_are_sensitive(phone: str) -> None:
    level, findings = detect_privacy(f"reach me on {phone} after six")
    assert level is PrivacyLevel.SENSITIVE
    assert findings == (PHONE,)


def test_unformatted_ten_digits_count_as_phone_only_next_to_a_phone_word() -> None:
    assert detect_privacy("call me on 5551234567")[1] == (PHONE,)
    assert detect_privacy("the epoch 1700000000 is in 2023") == (PrivacyLevel.PUBLIC, ())


@pytest.mark.parametrize(
    "text",
    [
        "What year was 2019 the best?",
        "Upgrade to version 3.11.7 first",
        "Can we call at 10:30 tomorrow?",
        "Deploy at 2024-01-15T10:30:00Z",
        "Ping 192.168.100.200 and 10.0.0.1",
        "Years 2019 2020 2021 2022 were odd",
        "Count 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15 16",
        "The order total was 1299.99 for 3 items",
        "Please be patient with me",
    ],
)
def test_numbers_and_words_that_only_look_private_are_public(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.PUBLIC, ())


@pytest.mark.parametrize(
    "text",
    [
        "Explain how chemotherapy affects the immune system",
        "Is an ECG needed before surgery?",
        "How does insulin resistance develop?",
        "Write an overview of oncology trials",
        "Name the main symptoms of asthma",
        "dr. seuss wrote about insulin?",  # a title must be followed by a capitalised name
        "What are the early signs of bipolar disorder, and how common is it in adults?",
        "Wie wirkt Sertralin bei Depressionen?",
        "Comment reconnaître une dépression ?",
        "¿Qué diferencia hay entre la ansiedad y la depresión?",
    ],
)
def test_health_questions_about_no_one_are_public(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.PUBLIC, ())


@pytest.mark.parametrize(
    "text",
    [
        "I was diagnosed with bipolar disorder last year",
        "Can I take ibuprofen with my sertraline?",
        "Explain my chemotherapy side effects to me",
        "Her genetic test for BRCA1 was positive",
        "Alcohol dependence since 2019, completed rehab",  # a note: a statement, not a question
        "Tengo ansiedad desde hace meses, ¿qué hago?",  # the verb says who
        "Mon fils a une dépression : que faire ?",
    ],
)
def test_health_content_about_someone_is_sensitive(text: str) -> None:
    level, findings = detect_privacy(text)
    assert level is PrivacyLevel.SENSITIVE
    assert findings == (MEDICAL_TERM,)


@pytest.mark.parametrize(
    ("text", "identifier"),
    [
        ("Dr. House prescribed insulin for the diabetes", PERSON_NAME),
        ("Patient DOB 01/02/1980, diagnosis: type 2 diabetes", DATE_OF_BIRTH),
        ("Send the biopsy results to amy@clinic.example.org", EMAIL),
        ("HIV test results, call 020 7946 0958", PHONE),
    ],
)
def test_medical_terms_with_a_personal_identifier_are_regulated(text: str, identifier: str) -> None:
    level, findings = detect_privacy(text)
    assert level is PrivacyLevel.REGULATED
    assert MEDICAL_TERM in findings
    assert identifier in findings


@pytest.mark.parametrize(
    "text",
    ["medical record number: A12345 needs review", "MRN: 00482910", "mrn 4829103 discharged"],
)
def test_medical_record_numbers_are_regulated(text: str) -> None:
    level, findings = detect_privacy(text)
    assert level is PrivacyLevel.REGULATED
    assert MEDICAL_RECORD_NUMBER in findings


@pytest.mark.parametrize(
    "text",
    [
        "The patient is stable and the glucose is normal",
        "Has dr. seuss been told about his insulin?",  # a title needs a capitalised name
    ],
)
def test_medical_text_without_a_name_stays_sensitive(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.SENSITIVE, (MEDICAL_TERM,))


def test_labelled_name_is_found_despite_unicode_case_folding() -> None:
    # "İ" lower-cases to two characters, which shifts indices in the lowered text.
    level, findings = detect_privacy("İİİ patient: Anna Berg, insulin dose?")
    assert level is PrivacyLevel.REGULATED
    assert PERSON_NAME in findings


def test_mrn_word_without_a_number_is_not_a_record_number() -> None:
    assert MEDICAL_RECORD_NUMBER not in detect_privacy("What does MRN stand for?")[1]


def test_findings_are_reported_once_in_a_fixed_order() -> None:
    text = (
        "Patient John Smith MRN 4829103, email john@example.com, phone 020 7946 0958, "
        "second phone 020 7946 0959, blood pressure 150/95 mmHg"
    )
    _, findings = detect_privacy(text)
    assert findings == (EMAIL, PHONE, MEDICAL_RECORD_NUMBER, MEDICAL_TERM, PERSON_NAME)


def test_a_prefolded_text_gives_the_same_answer() -> None:
    assert detect_privacy(PHI_PROMPT, fold_text(PHI_PROMPT)) == detect_privacy(PHI_PROMPT)


def test_fold_text_lowercases_words_and_shapes_digits() -> None:
    folded = fold_text("Call (555) 123-4567, re: HbA1c!")
    assert folded.words == [b"call", b"555", b"123", b"4567", b"re", b"hba1c"]
    assert b"0000000000" in folded.shape  # separators vanish, so the phone is one run
    assert folded.padded.startswith(b" ") and folded.padded.endswith(b" ")


def test_non_ascii_text_is_handled() -> None:
    assert detect_privacy("¿Dónde está la estación? 東京駅") == (PrivacyLevel.PUBLIC, ())
    assert detect_privacy("Le patient a une glycémie élevée")[0] is PrivacyLevel.SENSITIVE
    # Typographic apostrophes and dashes separate words like their ASCII cousins.
    assert detect_privacy("Where is the patient’s chart?")[1] == (MEDICAL_TERM,)
    assert detect_privacy("Give him the insulin—now")[1] == (MEDICAL_TERM,)


# Disguises a client might use (or a copy-paste might add) that must not hide an identifier.
_FULL_WIDTH = {ord(d): 0xFF10 + int(d) for d in "0123456789"}
_ARABIC_INDIC = {ord(d): 0x0660 + int(d) for d in "0123456789"}
_MATH_BOLD = {ord(d): 0x1D7CE + int(d) for d in "0123456789"}
_DEVANAGARI = {ord(d): 0x0966 + int(d) for d in "0123456789"}


def _every_other_char(text: str, inserted: str) -> str:
    return inserted.join(text)


@pytest.mark.parametrize(
    ("plain", "disguise"),
    [
        ("charge my card 4111 1111 1111 1111 now", lambda t: t.translate(_FULL_WIDTH)),
        ("charge my card 4111-1111-1111-1111 now", lambda t: t.translate(_MATH_BOLD)),
        ("My SSN is 123-45-6789", lambda t: t.replace("-", "\u200d-\u200d")),  # ZWJ
        ("My SSN is 123-45-6789", lambda t: _every_other_char(t, "\u200b")),  # ZWSP
        ("My SSN is 123-45-6789", lambda t: t.replace("-", "\u2011")),  # non-breaking hyphen
        ("My SSN is 123-45-6789", lambda t: t.replace("5", "5\ufe0f")),  # variation selector
        ("call me on +44 20 7946 0958", lambda t: t.translate(_ARABIC_INDIC)),
        ("call me on (555) 123-4567", lambda t: t.translate(_DEVANAGARI)),
        ("call me on 020 7946 0958", lambda t: t.replace(" ", "\u00a0\u2060")),
        ("Patient MRN 4829103, glucose 310", lambda t: t.translate(_FULL_WIDTH)),
        ("ＰＡＴＩＥＮＴ ＭＲＮ 4829103", lambda t: t.replace("4", "\u0664")),
        ("email jane.doe@example.com", lambda t: t.replace("@", "\uff20").replace("e", "e\u200c")),
        ("NI number QQ 12 34 56 C", lambda t: t.translate(_FULL_WIDTH).replace("Q", "\uff31")),
    ],
)
def test_disguised_identifiers_count_like_plain_ones(plain: str, disguise: Any) -> None:
    disguised = disguise(plain)
    assert disguised != plain
    level, findings = detect_privacy(plain)
    assert level is not PrivacyLevel.PUBLIC  # the plain version is caught, so this can fail
    assert detect_privacy(disguised) == (level, findings), disguised


def test_format_characters_and_other_digits_do_not_create_findings() -> None:
    """Normalising must not invent identifiers: short numbers stay short in any script."""
    assert detect_privacy("Meet at \u0661\u0660:\u0663\u0660 in room \uff14\uff12") == (
        PrivacyLevel.PUBLIC,
        (),
    )
    assert detect_privacy("ｈｅｌｌｏ\u200b ｗｏｒｌｄ ２０２６") == (PrivacyLevel.PUBLIC, ())


def test_detection_text_leaves_ascii_alone_and_normalises_the_rest() -> None:
    ascii_text = "Call (555) 123-4567 \t re: HbA1c!"
    assert detection_text(ascii_text) is ascii_text
    assert detection_text("\uff11\u200b2\u0663\U0001d7d2\u2011x\u00a0y") == "1234-x y"


@pytest.mark.parametrize(
    "text",
    [
        "Nach meiner Schulter-OP bin ich noch drei Wochen arbeitsunfähig.",
        "Ich bin seit Jahren sehbehindert und schwerhörig.",
        "Elle a été opérée du genou et reste en arrêt maladie.",
        "Mi madre está de baja médica tras la intervención quirúrgica.",
        "Sono ipovedente e uso il bastone bianco.",
        "She is partially sighted and hard of hearing.",
        "Hij is slechtziend sinds zijn operatie.",
    ],
)
def test_operations_sick_leave_and_impaired_senses_are_health_content(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.SENSITIVE, ("medical_term",))


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Which disease is caused by a virus: measles, scurvy or rickets?", PrivacyLevel.PUBLIC),
        ("She has had Crohn's disease since her teens.", PrivacyLevel.SENSITIVE),
        ("What does chronic kidney disease mean for my diet?", PrivacyLevel.SENSITIVE),
    ],
)
def test_disease_alone_is_a_science_word_and_a_named_disease_is_health(
    text: str, level: PrivacyLevel
) -> None:
    # RouterBench's ARC prompts carry a few-shot example about a disease in every prompt.
    assert detect_privacy(text)[0] is level


@pytest.mark.parametrize(
    "text",
    [
        # dev5. A phrase after punctuation: "Pour être honnête : je ..." is one sentence with "je".
        "Question de prêt ? Pour être honnête : je n'ai plus que 2/10 à l'œil droit. Et alors ?",
        # A person word anywhere in the health content's sentence, "my ex" among them.
        "Can I raise this? My ex is going for full custody of both of our children and is telling"
        " everyone in the family that the real problem has always been methadone maintenance.",
        "Any charities that help? I can't stop gambling and lost 3k on slots this year.",
        "Is travel insurance needed? Pre-existing: had a termination at 7 weeks in 2022, me.",
        "¿Qué digo a RRHH? Me amputaron la pierna izquierda hace 9 años.",
        # dev6 (the last two: Spanish drops its pronouns, "perdí" and "puedo" are the writer).
        "Note for the file: drinks about 85 units a week, LFTs deranged.",
        "Is it OK to fly? I'm allergic to penicillin and come up in hives.",
        "Can I park there? I have MS with reduced mobility, blue badge holder.",
        "Was soll ich tun? Ich hab ein Problem mit Glücksspiel und sperren lassen.",
        "¿Es grave? Perdí la pierna derecha en un accidente y uso prótesis.",
        "¿Qué hago? No puedo dejar los porros, fumo 10 al día.",
    ],
)
def test_health_content_in_the_words_of_blind_writers(text: str) -> None:
    """Found in dev5 and dev6's first runs, written blind: each a kind of miss, fixed by rule."""
    assert MEDICAL_TERM in detect_privacy(text, model=None)[1]


def test_a_capitalised_guess_at_a_name_counts_only_near_health_words() -> None:
    text = (
        "Apuntes de Biología de bachillerato: explica la herencia ligada al cromosoma X con el"
        " ejemplo de la hemofilia A. ¿Por qué afecta más a los varones? Calcula las"
        " probabilidades para la descendencia de una mujer portadora y un varón no afectado."
    )
    assert detect_privacy(text, model=None) == (PrivacyLevel.PUBLIC, ())


@pytest.mark.parametrize(
    "text",
    [
        "Smart meter readings: 18119 kWh on 27 October 2023, 22749 kWh on 25/07/2024.",
        "monthly tap-ons for the tram: Jan 88626, Feb 136442, Mar 116932.",
    ],
)
def test_a_date_is_no_street(text: str) -> None:
    assert detect_privacy(text, model=None) == (PrivacyLevel.PUBLIC, ())


def test_a_street_named_after_a_date_is_still_an_address() -> None:
    text = "Send it to Jane at Flat 2, 12 March Street, London E18 2ST."
    assert "postal_address" in detect_privacy(text, model=None)[1]


def test_a_capital_outside_ascii_is_folded_like_any_other() -> None:
    assert fold_text("Übersetze das. État civil.").words[0] == "übersetze".encode()
    # So "Übersetze" is a request, and statistics about no one stay public.
    text = (
        "Für den Jahresbericht: Die Notfallambulanz hatte im Q3 9692 Fälle, davon 14.3 %"
        " stationär aufgenommen. Übersetze das ins Englische."
    )
    assert detect_privacy(text, model=None) == (PrivacyLevel.PUBLIC, ())


def test_a_french_number_to_reach_someone_is_a_phone() -> None:
    text = "Si besoin, vous pouvez me joindre au 043 140 51 21 à toute heure."
    assert PHONE in detect_privacy(text, model=None)[1]


def test_a_role_before_a_name_is_not_part_of_it() -> None:
    assert name_spans("Driver Ashley Boyle signed off") == [(7, 19, PERSON_NAME)]
    assert name_spans("Adam Driver has diabetes") == [(0, 11, PERSON_NAME)]  # a surname


@pytest.mark.parametrize(
    "text",
    [
        # dev7's first run, written blind: recovery and its sponsor, MS, backs, broken bones,
        # cannabis and "clean" in German.
        "Should I say it at work? I'm in recovery and my AA sponsor says be honest.",
        "Can you reword this? I have MS and need a walking stick on bad days.",
        "Any stretches you'd suggest? I've got a slipped disc and can't sit for long.",
        "Can you make this sound less dramatic? He broke his ankle and is in a cast for 6 weeks.",
        "Wie sag ich das dem Arzt? Ich kiff seit der Ausbildung jeden Abend.",
        "Wie formuliere ich das? Ich bin seit 200 Tagen clean.",
    ],
)
def test_health_content_in_the_words_of_the_seventh_writers(text: str) -> None:
    assert MEDICAL_TERM in detect_privacy(text, model=None)[1]


@pytest.mark.parametrize(
    ("text", "level"),
    [
        # A note's field whose clause has no subject is about the person the note is about ...
        (
            "Rewrite this OH report in plain English for the manager.\n\nAssessment: carries a"
            " BRCA2 mutation and was referred for surgery. Fit for modified duties.",
            PrivacyLevel.SENSITIVE,
        ),
        # ... a question in a field is not ...
        ("FAQ: is autism inherited? Explain for a leaflet.", PrivacyLevel.PUBLIC),
        # ... and a passenger is someone.
        (
            "Would our policy cover this? The lead passenger disclosed a gambling problem.",
            PrivacyLevel.SENSITIVE,
        ),
    ],
)
def test_who_health_content_is_about(text: str, level: PrivacyLevel) -> None:
    assert detect_privacy(text, model=None)[0] is level


@pytest.mark.parametrize(
    ("text", "phone"),
    [
        ("hey car text 07700 900123 saying I'm running late", "07700 900123"),
        ("the client rang from 0417.667.518 to cancel", "0417.667.518"),
        ("Copy the text 2024-06-16 10:00:00 into the log, and the text 12345678 too.", ""),
    ],
)
def test_a_number_right_after_text_or_rang_is_a_phone(text: str, phone: str) -> None:
    found = [text[s:e] for s, e, kind in identifier_spans(text) if kind == PHONE]
    assert found == ([phone] if phone else [])


def test_a_long_number_starting_with_1_is_no_card() -> None:
    # 17 digits that pass Luhn: a parcel number, since no bank card starts with 1.
    text = "evri 16358170853218977 has said at our hub for 6 days, what now"
    assert detect_privacy(text, model=None) == (PrivacyLevel.PUBLIC, ())


def test_an_incident_ticket_symptom_is_no_health_content() -> None:
    text = (
        "Circuit between North Paul and East Matthew. Symptom: LOS on port 1/1/3. Write a"
        " customer-facing status update."
    )
    assert detect_privacy(text, model=None) == (PrivacyLevel.PUBLIC, ())
