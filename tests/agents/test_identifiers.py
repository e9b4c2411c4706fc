"""Worldwide identifiers, multilingual health content and redaction spans of the detector."""

from __future__ import annotations

import itertools

import pytest

from mecrouter.agents import privacy as p
from mecrouter.agents.privacy import detect_privacy, detection_text, identifier_spans
from mecrouter.types import PrivacyLevel

R, S, P = PrivacyLevel.REGULATED, PrivacyLevel.SENSITIVE, PrivacyLevel.PUBLIC

# (kind, text with a valid number, the same text with a broken check digit)
IDS = [
    (p.IBAN, "IBAN DE89 3704 0044 0532 0130 00", "IBAN DE88 3704 0044 0532 0130 00"),
    (p.DE_TAX_ID, "Steuer-ID 36 574 261 809", "Steuer-ID 36 574 261 808"),
    (p.FR_NIR, "NIR 2 95 10 99 126 111 93", "NIR 2 95 10 99 126 111 94"),
    (p.ES_DNI, "DNI 54362315K", "DNI 54362315A"),
    (p.ES_NIE, "NIE X2482300W", "NIE X2482300A"),
    (p.IT_FISCAL_CODE, "CF RCCMNL83S18D969H", "CF RCCMNL83S18D969A"),
    (p.PL_PESEL, "PESEL 44051401359", "PESEL 44051401358"),
    (p.NL_BSN, "BSN 111222333", "BSN 111222334"),
    (p.UK_NHS, "NHS number 943 476 5919", "NHS number 943 476 5918"),
    (p.US_SSN, "SSN 123-45-6789", "SSN 666-45-6789"),
    (p.US_ITIN, "ITIN 912-90-3456", "ITIN 912-40-3456"),
    (p.IN_AADHAAR, "Aadhaar 2341 2341 2346", "Aadhaar 2341 2341 2347"),
    (p.IN_PAN, "PAN ACUPA7085R", "PAN ACUQA7085R"),
    (p.CA_SIN, "SIN 130 692 544", "SIN 130 692 545"),
    (p.AU_TFN, "TFN 123 456 782", "TFN 123 456 783"),
    (p.AU_MEDICARE, "Medicare 2123 45670 1", "Medicare 2123 45671 1"),
    (p.BR_CPF, "CPF 390.533.447-05", "CPF 390.533.447-06"),
    (p.CN_RESIDENT_ID, "ID 360426199101010071", "ID 360426199101010072"),
    (p.JP_MY_NUMBER, "My Number 123456789018", "My Number 123456789017"),
    (p.SE_PERSONNUMMER, "personnummer 811218-9876", "personnummer 811218-9877"),
    (p.NO_FODSELSNUMMER, "fødselsnummer 15108695088", "fødselsnummer 15108695089"),
    (p.DK_CPR, "CPR 211062-5629", "CPR 321362-5629"),
    (p.FI_HETU, "HETU 131052-308T", "HETU 131052-308U"),
    (p.US_MBI, "MBI 1EG4-TE5-MK73", "MBI 1SG4-TE5-MK73"),
    (p.PASSPORT, "Reisepass Nr. C01X00T47", "Reisepass bitte mitbringen"),
    (p.BANK_ACCOUNT, "routing 111000025 account 12345678", "routing 111000026 and 12345678"),
]


@pytest.mark.parametrize(("kind", "valid", "invalid"), IDS, ids=[k for k, _, _ in IDS])
def test_each_identifier_counts_only_with_a_valid_check(
    kind: str, valid: str, invalid: str
) -> None:
    level, findings = detect_privacy(valid)
    assert kind in findings
    assert level is (S if kind in (p.BANK_ACCOUNT, p.IBAN) else R)
    assert kind not in detect_privacy(invalid)[1]


def test_uk_sort_code_and_account_is_a_bank_account() -> None:
    assert detect_privacy("sort code 12-34-56, account 12345678") == (S, (p.BANK_ACCOUNT,))


HEALTH = {
    "en": [
        "I have been struggling with depression and suicidal thoughts",
        "He is in rehab for opioid use disorder and takes methadone",
        "Can I get an abortion after a positive pregnancy test?",
        "My BRCA1 genetic test came back positive",
        "Applying for disability benefit as a wheelchair user",
        "Her chemotherapy for breast cancer starts Monday",
    ],
    "de": [
        "Ich leide seit Monaten an Depressionen",
        "Nach dem Entzug kam der Rückfall, die Alkoholabhängigkeit bleibt",
        "Ist bei mir ein Schwangerschaftsabbruch in der zwölften Woche möglich?",
        "Der Gentest auf die Huntington-Krankheit war positiv",
        "Er sitzt im Rollstuhl und hat eine Schwerbehinderung",
        "Die Chemotherapie gegen den Krebs beginnt morgen",
    ],
    "fr": [
        "Je me sens déprimé et j'ai des idées suicidaires",
        "Il suit un traitement à la méthadone pour sa toxicomanie",
        "Je suis enceinte et je pense à une IVG",
        "Le test génétique a montré une mutation BRCA2",
        "Mon fils est autiste et sourd",
        "Le diagnostic de diabète est tombé hier",
    ],
    "es": [
        "Estoy deprimido y tengo ansiedad desde hace meses",
        "Mi hermano tiene una adicción y sigue con metadona",
        "Estoy embarazada y quiero información sobre anticoncepción",
        "La prueba genética salió positiva",
        "Mi madre usa silla de ruedas por su discapacidad",
        "Le diagnosticaron cáncer el año pasado",
    ],
}


@pytest.mark.parametrize(
    ("lang", "text"), [(lang, t) for lang, texts in HEALTH.items() for t in texts]
)
def test_health_content_in_every_category_and_language(lang: str, text: str) -> None:
    assert detect_privacy(text) == (S, (p.MEDICAL_TERM,)), lang


@pytest.mark.parametrize(
    "text",
    [
        "Legal brief: the client's passport number is C01X00T47; wire the retainer to IBAN "
        "DE89 3704 0044 0532 0130 00.",
        "Tax letter: personnummer 811218-9876; the taxpayer was on sick leave for depression.",
        "Insurance letter: Steuer-ID 36 574 261 809, treated for alcohol dependence in 2022.",
        "Therapy notes: Aadhaar 2341 2341 2346, the client reports suicidal thoughts.",
    ],
)
def test_the_four_reported_leaks_are_regulated(text: str) -> None:
    assert detect_privacy(text)[0] is R


@pytest.mark.parametrize(
    "text",
    [
        "Bed monitor 4: HR 72 bpm, BP 120/80, SpO2 98%",
        "What is a normal blood pressure for adults?",
        "Sensor 7 readings: 123456789 234567890 345678901 at 2024-01-15T10:30:00Z",
        "Order 123456789 shipped with invoice 987654321 and tracking 1Z999AA10123456784",
        "Solve 123456 * 789012 = ? and then 3.14159265358979 / 2.718281828",
        "for i in range(1000000000): total += i  # v3.11.7, build 20240115",
        "Release 10.4.1.2023, checksum 0x1F2E3D4C, epoch 1700000000",
        "Invoice total 4111 EUR for 1111 items, reference 1234 5678 9012",
    ],
)
def test_numbers_without_identity_are_public(text: str) -> None:
    assert detect_privacy(text) == (P, ())


def test_a_name_alone_is_not_a_finding_but_a_name_with_health_is_regulated() -> None:
    assert detect_privacy("Maria Lopez wrote a great novel") == (P, ())
    level, findings = detect_privacy("Maria Lopez was diagnosed with bipolar disorder")
    assert level is R
    assert p.PERSON_NAME in findings


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Maria Lopez, DOB 12/03/1985", p.DATE_OF_BIRTH),
        ("Frau Anna Schmidt, geboren am 3. März 1975", p.DATE_OF_BIRTH),
        ("Solicitante: fecha de nacimiento 12 de marzo de 1980", p.DATE_OF_BIRTH),
        ("She lives at 221B Baker Street, London", p.POSTAL_ADDRESS),
        ("Anschrift: Hauptstraße 12, 10115 Berlin", p.POSTAL_ADDRESS),
        ("Adresse : 12 rue de la Paix, 75002 Paris", p.POSTAL_ADDRESS),
        ("Dirección: Calle Mayor 5, Madrid", p.POSTAL_ADDRESS),
    ],
)
def test_birth_dates_and_addresses_are_sensitive(text: str, kind: str) -> None:
    level, findings = detect_privacy(text)
    assert level is S
    assert kind in findings


def test_identifier_spans_are_sorted_offsets_into_the_detection_text() -> None:
    text = "Ｍａｉｌ bob@example.com, IBAN DE89 3704 0044 0532 0130 00, SSN 123-45-6789."
    spans = identifier_spans(text)
    read = detection_text(text)
    assert [(read[s:e], k) for s, e, k in spans] == [
        ("bob@example.com", p.EMAIL),
        ("DE89 3704 0044 0532 0130 00", p.IBAN),
        ("123-45-6789", p.US_SSN),
    ]
    assert all(a[1] <= b[0] for a, b in itertools.pairwise(spans))


def test_identifier_spans_leave_health_words_out() -> None:
    assert identifier_spans("depression and anxiety") == []


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("HETU 131052A308T", p.FI_HETU),  # century signs A-F and U-Y (since 2023)
        ("henkilötunnus 131052Y308T", p.FI_HETU),
        ("NIR 2 69 05 2A 001 234 90", p.FR_NIR),  # Corsica's department 2A
        ("ITIN 912-55-1234", p.US_ITIN),  # groups 50-65 are issued too
        ("BSN 1112 22 333", p.NL_BSN),  # grouped 4-2-3 with spaces
        ("DNI 54.362.315-K", p.ES_DNI),  # dotted
        ("personal identity number 811218-9876", p.SE_PERSONNUMMER),
        ("passin numero AB1234567", p.PASSPORT),  # Finnish genitive of "passi"
    ],
)
def test_id_formats_and_inflected_labels_are_regulated(text: str, kind: str) -> None:
    level, findings = detect_privacy(text)
    assert level is R
    assert kind in findings


def test_itin_groups_never_issued_are_ignored() -> None:
    assert p.US_ITIN not in detect_privacy("ITIN 912-67-1234")[1]


def test_hospital_number_label_gives_a_record_number() -> None:
    level, findings = detect_privacy("hospital no. H482913, seen for asthma")
    assert level is R
    assert p.MEDICAL_RECORD_NUMBER in findings


@pytest.mark.parametrize(
    "text",
    [
        "tests expect DE53 2038 2275 0173 5870 94 to fail",  # IBAN with a wrong check
        "DE32 5182 6259 1909 4945 71 is rejected",
        "FR55 6565 4111 1111 1111 1111 426 is not an IBAN",  # a card-like middle
        "Aadhaar test vector 2341 2341 2346 8765",  # a piece of a longer number
    ],
)
def test_pieces_of_longer_numbers_are_not_ids_or_cards(text: str) -> None:
    assert detect_privacy(text) == (P, ())


@pytest.mark.parametrize(
    "text",
    [
        "serial 0828 105 6150 reports 21.4 C",
        "Seriennummer 0409 871 5045, Leistung 4,1 kW",
        "order 024336723 shipped",
        "Ordine n. 002555344 del 18/11",
        "varenr. 00398531 231 stk.",
        "is 022670650 divisible by 7?",
        "node 1679 758 3764 is up",
        "Teilenummer des Sensors 039 497 914 W",
    ],
)
def test_thing_ids_and_plain_runs_are_not_phones(text: str) -> None:
    assert p.PHONE not in detect_privacy(text)[1]


@pytest.mark.parametrize(
    "text",
    [
        "call me on 030 1234567 x204",  # an extension
        "reach me on 5152.8188",  # dotted 8 digits after a phone word
        "tel. 08-1234-5678",
        "Puhelin: +358 40 1234567",
        "mobile 555.123.4567x89",
        "Tessa Dunny,tessa@example.com,+1-783-999-3216x15389,veg",  # a CSV row, no phone word
        "Ann Lee, (491)370-8044x8483",  # the extension is not part of the number
        "new number is 001-520-410-4198",  # 00 and a country code: 13 digits
        "I'll keep you posted and can be reached on 0423.068.034",
        "Erreichbar bin ich unter 024 867 49 46.",
        "En cas d'urgence, je reste joignable au 0310683915.",
        "Si hace falta algo urgente, llámame al 869 099 8798.",
    ],
)
def test_phones_with_extensions_and_loose_groups_after_a_phone_word(text: str) -> None:
    assert p.PHONE in detect_privacy(text)[1]


@pytest.mark.parametrize(
    "text",
    [
        "Dependencia del alcohol desde 2019",
        "Surdité sévère depuis l'enfance",
        "Hij heeft een verslaving",
        "Hon är gravid i vecka 20",
        "Potilaalla on masennus",
        "Ma una dipendenza da alcol",
    ],
)
def test_health_words_in_more_languages(text: str) -> None:
    assert p.MEDICAL_TERM in detect_privacy(text)[1]


# --------------------------------------------------------------------- addresses, IBAN, MRN


@pytest.mark.parametrize(
    "text",
    [
        "Ship it to 4512 Maple Grove Turnpike Apt. 12, Riverton, OR 97035 please.",
        "Flat 3B, Harbour View, Leeds, LS1 4AB is my new home.",
        "Ring me at home: Birkenallee 14/2, 80331 Regensburg, bis Freitag.",
        "Adresse : 12, avenue des Tilleuls, 69003 Lyon.",
        "Stuur het naar Kerkstraatje 8, 3512 AB, Utrecht.",
        "Indirizzo: Piazzetta Verdi, 9, 40121, Bologna (BO).",
        "Endereço: Beco do Sol, Centro, 01310-100 Campinas / SP.",
        "Mein Fahrer wohnt in Solbergveien 31, 0456 Fjellby.",
        "Send it to H.No. 12, Gandhi Lane, Pune-411001 today.",
        "Ship to 77 Wattle Crescent, Emuford, NSW, 2770.",
        "Send it to 8 Fir Row, Kelowna, BC V1Y 6H2.",
        "住所は東京都港区芝公園4丁目2番8号です。",
    ],
)
def test_street_and_locality_in_many_layouts_is_an_address(text: str) -> None:
    assert "postal_address" in detect_privacy(text)[1]


@pytest.mark.parametrize(
    "text",
    [
        "Version 2, 2024 Release notes are out.",
        "Werbungskosten 1337 €, Fahrtweg 26 km, bitte prüfen.",
        "RPM 3685, speed 107 km/h, coolant 96 °C, code P0761.",
        "Leistung 6,0 kW, Seriennummer 3327 016 6032, COP 4,0.",
    ],
)
def test_numbers_between_commas_are_not_addresses(text: str) -> None:
    assert "postal_address" not in detect_privacy(text)[1]


@pytest.mark.parametrize(
    "iban", ["ES91 2100 0418 4502 0005 1332", "NO72 8112 7641 976", "es9121000418450200051332"]
)
def test_iban_with_valid_mod97_counts_even_if_the_bank_check_digit_is_off(iban: str) -> None:
    # The second has a wrong Norwegian mod-11 digit but a valid IBAN check.
    assert "iban" in detect_privacy(f"Refund to {iban.upper()} please.")[1]


@pytest.mark.parametrize(
    "text",
    [
        "Patienten-Nr. 4471823, Befund anbei.",
        "Patientennummer: A-778812",
        "numéro patient 88231190",
        "Dossier médical nº 4477120",
        "Número de historia clínica: 00293381",
        "cartella clinica n. 2023/44812",
        "patiëntnummer 7781233",
        "Nr pacjenta: 55123871",
        "prontuário nº 1234567",
        "journalnummer 1234-5678",
    ],
)
def test_record_number_labels_in_the_corpus_languages(text: str) -> None:
    assert "medical_record_number" in detect_privacy(text)[1]


@pytest.mark.parametrize(
    "text",
    [
        "Your dossier 78006384 was refused.",
        "Case 4 of 10 took 12345 ms.",
        "Fall 2024: 12345 attendees.",
    ],
)
def test_file_and_case_numbers_without_a_patient_word_are_no_record_numbers(text: str) -> None:
    assert "medical_record_number" not in detect_privacy(text)[1]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ('Customer(name="Cindy Bradley", national_id="079503753")', p.US_SSN),
        ("ID number: 963 74 9178", p.US_ITIN),
        ("National ID 0183 4188 5180", p.JP_MY_NUMBER),
        # the naming word a sentence before the number
        ("My accountant is asking for my tax file number so she can finish the return. "
         "It's 634 427 551.", p.AU_TFN),
    ],
)  # fmt: skip
def test_generic_id_labels_and_a_sentence_of_distance_lead_weak_ids(text: str, kind: str) -> None:
    level, findings = detect_privacy(text)
    assert level is R and kind in findings


def test_thirteen_digits_are_a_barcode_not_a_card() -> None:
    # 4021198137939 passes Luhn, as a tenth of EAN-13 codes do; cards have 14-19 digits.
    assert p.luhn_valid("4021198137939")
    assert detect_privacy("EAN 4021198137939, lot L13243") == (P, ())
    assert p.PAYMENT_CARD in detect_privacy("card 4111 1111 1111 1111")[1]


def test_place_prefixes_do_not_start_a_name() -> None:
    text = "Preparo una charla en San Flavio sobre el trastorno de ansiedad. ¿Qué síntomas hay?"
    assert detect_privacy(text) == (P, ())
    assert detect_privacy("Post-incident notes: patient zero was the build host") == (P, ())


@pytest.mark.parametrize(
    "text",
    [
        "Does John Smith have breast cancer?",  # a sentence's first word is dropped from a name
        "Is John Smith's cancer hereditary?",
        "Can Maria Lopez take ibuprofen with sertraline?",
    ],
)
def test_a_question_about_a_named_persons_health_is_regulated(text: str) -> None:
    assert detect_privacy(text) == (R, (p.MEDICAL_TERM, p.PERSON_NAME))


@pytest.mark.parametrize(
    "text",
    [
        "Part numbers 123-45-6789, 231-55-1024 and 402-11-8765 are out of stock.",
        # Each of these passes the Aadhaar check (Verhoeff).
        "Tracking numbers 5179 9214 1833, 6620 1193 4470, 7736 4410 2293 and 8821 0047 1128.",
        "Los bultos llevan la etiqueta 8382 8338 6411.",
        # A note in brackets may follow an item.
        "Parcels 5179 9214 1833 (Leeds, 2 kg), 6620 1193 4470 (Hull) and 7736 4410 2293, late",
    ],
)
def test_numbers_in_a_list_after_a_things_label_are_that_things_ids(text: str) -> None:
    assert detect_privacy(text, model=None) == (PrivacyLevel.PUBLIC, ())


def test_a_list_ends_at_a_word_that_is_no_number() -> None:
    text = "Order numbers 4411 and 5512, then my SSN 123-45-6789"
    assert detect_privacy(text, model=None)[0] is PrivacyLevel.REGULATED


@pytest.mark.parametrize(
    "text",
    [
        "Facture d'électricité, compteur n° 369559195157480, index 42718",  # a meter, no account
        "Reklamation: Sachnummer 582-85-4719, 284 Teile mit Lackabplatzern",  # a part, no SSN
    ],
)
def test_a_meter_and_a_part_number_are_no_account_or_ssn(text: str) -> None:
    assert detect_privacy(text, model=None) == (PrivacyLevel.PUBLIC, ())
