"""Words and numbers that look private and are not: steps, bills, odometers, firms, towns, units,
readings; and the private texts beside them that must stay private."""

from __future__ import annotations

import pytest

from mecrouter.agents.addresses import postal_address_spans
from mecrouter.agents.labelled_ids import bank_account_spans, passport_spans
from mecrouter.agents.names import name_spans
from mecrouter.agents.nearby import labelled_thing
from mecrouter.agents.personal import note_clauses
from mecrouter.agents.privacy import detect_privacy, identifier_spans
from mecrouter.types import PrivacyLevel


def _kinds(text: str) -> set[str]:
    return {kind for _, _, kind in identifier_spans(text)}


@pytest.mark.parametrize(
    "text",
    [
        # An 11-digit order number passes PESEL's check one time in sixty.
        "Please check order 23640161489 and item 77429842531.",
        "Status: job 85508121671 shipped, ticket #51860857741 pending.",
        "commande n° 58585454844: 3 items, tilaus 59491743277: 5 items.",
        # Italian steps, a Spanish odometer, bills and counts.
        "Oggi passi 123456, ieri passi 118004.",
        "cuentakilómetros total 5184570 km. ¿Hay que recalibrar?",
        "Il conto del ristorante: 921274.",
        "El sitio cuenta con 8812345 usuarios.",
        "Compte rendu de la réunion n° 277475.",
        "Rachunek nr 789425 za prąd.",
        "Account balance 495556 EUR.",
        "broadband account AC404564100, payment plan please",
        # A version or model number after a phone word.
        "Mobile app version 828098.",
        "Fax machine model 8764076964 jams on page 2.",
        # A count in a note's field, beds and days, a time before a batch.
        "annual totals: tested 1735, resistant to ciprofloxacin 212. Percentages please?",
        "Qualitätsindikatoren Pflegeheim, Q3: 91 Plätze, 9105 Belegungstage, Stürze 23.",
        "QC-Lauf 39 vom 25.08.2024 um 14:10, Kontrollmaterial Level 2, Lot 271244:\nGlukose 219",
    ],
)
def test_numbers_that_name_no_one(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.PUBLIC, ())


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("Jan Kowalski, PESEL 85010112345, cukrzyca typu 2", "pl_pesel"),
        ("Hain uutta passia, vanhan passin numero oli XP1234567.", "passport"),
        ("Mi número de cuenta es 12345678, a nombre de Ana.", "bank_account"),
        ("Bitte auf Konto 12345678 überweisen.", "bank_account"),
        ("Il mio conto corrente 123456 è bloccato.", "bank_account"),
        ("Por favor, ingresa en la cuenta 0182123456.", "bank_account"),
        ("Call me on my mobile 07700 900123 after six.", "phone"),
        ("Please deliver to 98/843, Panchal, Sagar-516621 before Friday.", "postal_address"),
        ("Entrega: 2a Seção, 56709-876 da Rosa / RJ", "postal_address"),
        ("Ship to 12 Baker Street, London W1U 6TY", "postal_address"),
    ],
)
def test_the_private_twins_stay_private(text: str, kind: str) -> None:
    assert kind in _kinds(text)


def test_a_thing_label_names_the_number_only_with_nothing_but_number_words_between() -> None:
    text = "order no. 23640161489; case 4411: pesel 85010112345"
    assert labelled_thing(text, text.index("2364"))
    assert not labelled_thing(text, text.index("8501"))


def test_account_and_passport_words_that_mean_something_else() -> None:
    assert passport_spans("Passi totali: 123456", "passi totali: 123456") == []
    ambiguous = "La cuenta atrás: Z1578181 segundos, y la cuenta 4471234 de clientes"
    assert bank_account_spans(ambiguous, ambiguous.lower()) == []
    named = "numéro de compte 4471234"
    assert bank_account_spans(named, named) != []


@pytest.mark.parametrize(
    "run",
    [
        "North Liam", "Lake Carrie", "West Keith", "Eoin Ville", "North Cameronmouth",
        "Aliciaview Falls", "Supplier Olsson", "Jennings Group", "Lehmann Giger GmbH",
        "Stichting Scheer", "Leskinen Moisio Tmi", "De Backer", "Distribuciones Toledo",
        "Nueva República Democrática",
    ],
)  # fmt: skip
def test_towns_and_firms_are_no_person(run: str) -> None:
    text = f"Order from {run}: 40 boxes of insulin pens, 20 packs of sertraline."
    assert name_spans(text) == []
    assert "person_name" not in detect_privacy(text)[1]


@pytest.mark.parametrize(
    ("text", "name"),
    [
        ("surname and given names Georgia O'Sheehan, born 9 August 1987", "Georgia O'Sheehan"),
        ("Reply to Ronald McDonald about his HIV test", "Ronald McDonald"),
        ("Datos: Concepción Palomar, IBAN ES12 0049", "Concepción Palomar"),
        ("Kanye West called about the insulin order", "Kanye West"),
    ],
)
def test_people_are_still_named(text: str, name: str) -> None:
    assert name in [text[s:e] for s, e, _ in name_spans(text)]


def test_a_count_in_a_field_is_no_note_about_someone() -> None:
    assert note_clauses("annual totals: tested 1735, resistant 212") == []
    assert note_clauses("Assessment: is 14 months sober and goes to AA") != []


@pytest.mark.parametrize(
    "text",
    [
        "Ventilator log 14:05: PEEP 5 cmH2O, FiO2 40%, tidal volume 450 mL, peak pressure 28.",
        "Pharmacy stock 3 May: insulin glargine 40 pens, metformin 500 mg 12 packs, sertraline 9.",
        "Infusion pump 4: heparin 1000 units/h, rate 20.5 mL/h, volume infused 310 mL since 06:00.",
        "Rowing machine, 8 x 439 m: split 1:43.9/500 m, stroke rate 28 spm. How do I get watts?",
        "Los op: 7x + 29 = 197. Bereken de omtrek van een cirkel met straal 18,8 cm.",
        "Beräkna 42 · 17. Avrunda sedan 0,41732 till tre decimaler.",
    ],
)
def test_readings_and_requests_in_any_corpus_language_are_about_no_one(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.PUBLIC, ())


@pytest.mark.parametrize(
    "text",
    [
        "Alcohol dependence since 2019, relapsed twice.",
        "On sertraline 100 mg daily since the breakdown in March.",
        "Mi marido: insulina 40 unidades al día, diabetes tipo 1 desde 2010.",
    ],
)
def test_a_note_about_someone_with_numbers_stays_sensitive(text: str) -> None:
    level, kinds = detect_privacy(text)
    assert level is not PrivacyLevel.PUBLIC
    assert "medical_term" in kinds


def test_an_address_after_a_time_of_day_is_still_found() -> None:
    text = "Termin 14:10, Hauptstraße 5, 10115 Berlin"
    assert [text[s:e] for s, e, _ in postal_address_spans(text)] == ["Hauptstraße 5, 10115 Berlin"]


@pytest.mark.parametrize(
    ("text", "private"),
    [
        ("Support: support@acme-logistics.com, ticket 4411, build 4.2.1.", False),
        ("Alerts go to data-team@university.edu and no-reply@shop.example.", False),
        ("Reply to john.support@gmail.com about the refund.", True),
        ("Write to anna.mueller@web.de before Friday.", True),
    ],
)
def test_a_mailbox_named_by_its_role_is_no_one(text: str, private: bool) -> None:
    assert ("email" in _kinds(text)) is private


@pytest.mark.parametrize(
    ("text", "private"),
    [
        ("Foal born on 3 April 2024, 48 kg, mare #12.", False),
        ("Kalb geboren am 03.04.2024, Gewicht 42 kg.", False),
        ("Stall 4: the calf born on 3 April 2024 weighs 42 kg", False),
        ("My daughter was born on 3 April 2024.", True),
        ("Mary Lamb, born 3 May 1950, asthma.", True),
        ("Residente: Edgardo Cordero\nFecha de nacimiento: 6 de agosto de 2000", True),
    ],
)
def test_an_animal_birth_is_no_date_of_birth(text: str, private: bool) -> None:
    assert ("date_of_birth" in _kinds(text)) is private


@pytest.mark.parametrize(
    "text",
    [
        # "I.E." and "i.v." are units and routes, not the writer ...
        "Stationsschrank C7:\nHeparin 5000 I.E. Amp.: 39 St.\nErstell mir bitte eine Bestellliste.",
        "Stock: paracetamol 1 g i.v. 44 vials, enoxaparin 4000 units 13 syringes. Any gaps?",
        # ... and a Swedish "i" before a number is "in"; "rak" is Swedish for straight.
        "Ett lån på 767 000 kr löper i 10 år med rak amortering. Hur stor blir första betalningen?",
        "Prépare-moi le bon de commande : paracétamol 1 g IV, 44 flacons ; énoxaparine, 13.",
        "Hazme la hoja de reposición: insulina rápida 100 UI/mL, 12 viales; omeprazol 40 mg, 31.",
        "Überwachungsmonitor Intensiv, Platz 8, 09:40 Uhr\nHF 74/min, NIBP 128/79 mmHg",
        'Footer: "Automated message from Mayer Ltd. Support hotline, Mon–Fri 8:00–18:00."',
        "2025-04-01T20:52:41Z migration 48999820942024 applied in 37 ms",
    ],
)
def test_units_prepositions_and_shift_times_name_no_one(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.PUBLIC, ())


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("I'm on sertraline 100 mg since my breakdown, i.e. since March.", "medical_term"),
        ("Diners card 3056 930902 5904, expires 04/27", "payment_card"),
        ("Adresse: Sofija-Dobler-Weg 4/1, 1984 Freistadt", "postal_address"),
        ("Mam raka piersi, Jan Kowalski, PESEL 85010112345", "pl_pesel"),
    ],
)
def test_and_their_private_twins_stay(text: str, kind: str) -> None:
    assert kind in detect_privacy(text)[1] or kind in _kinds(text)


@pytest.mark.parametrize(
    "text",
    [
        # The Polish "naszego" (our) is no "NAS" (numéro d'assurance sociale) ...
        "Pomóż mi z listą dostaw do naszego magazynu: partie 365 483 908, 077 069 256.",
        # ... a Norwegian list joined by "og" shares its SSCC label, a French one its "suivi" ...
        "Pall-SSCC 77974884465417861 og 52286888294241538, innkjøpsordre 384608305.",
        "le numéro de suivi OR 7224 9204 7981 est correct côté expéditeur.",
        # ... and a 17-digit parcel number is no card.
        "evri 21704589585349340 has said at our hub for 6 days",
    ],
)
def test_short_id_words_lists_and_parcels(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.PUBLIC, ())


def test_short_id_words_still_lead_their_numbers() -> None:
    assert "nl_bsn" in _kinds("Mijn BSN-nummer is 9856 04 104.")
    assert "ca_sin" in _kinds("Mon NAS est 130 692 544.")


@pytest.mark.parametrize(
    "text",
    [
        "J'ai cette erreur en installant les dépendances :\nnpm ERR! ERESOLVE unable to resolve",
        "Modbus: esclavo 56 sin respuesta (timeout 501 ms), reinicio 2392.937421",
    ],
)
def test_software_dependencies_and_a_spanish_without_are_no_one(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.PUBLIC, ())


def test_the_capitalised_id_word_still_leads_its_number() -> None:
    assert "ca_sin" in _kinds("Mon NAS est 130 692 544.")
    assert "ca_sin" in _kinds("My SIN is 130 692 544, please update the file.")
    assert "ca_sin" not in _kinds("esclavo 56 sin respuesta 130 692 544")
    assert "medical_term" in detect_privacy("Mon frère : dépendance à l'alcool depuis 2019.")[1]


@pytest.mark.parametrize(
    "text",
    [
        # French "cellules" is no "cell" (phone) ...
        "Vache n° 5163376427 : 25,2 kg de lait, cellules 299 000/ml\nVache n° 2515273754 : 19,2 kg",
        # ... "the order as 31432610194" is the order's number ...
        "paket med ordernummer 37220661907, men i affärssystemet står ordern som 31432610194.",
        # ... and a ward's stock list is readings, a quarter of its words numbers.
        "Stock del botiquín de la planta 6ª, revisión del 14 de enero de 2024\n"
        "Enoxaparina 40 mg: 15 jeringas (mín. 24)\nOmeprazol 40 mg iv: 8 viales (mín. 13)\n"
        "Suero fisiológico 500 ml: 115 unidades\nAdrenalina 1 mg/ml: 8 ampollas, lote P085667\n"
        "Carro de paradas revisado a las 17:55, precinto n.º 7436607",
    ],
)
def test_cells_copulas_and_stock_lists_are_no_one(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.PUBLIC, ())


def test_a_cell_phone_word_still_names_a_phone() -> None:
    assert "phone" in _kinds("Cell: 07700 900123, call after six")
    assert "phone" in _kinds("Cellulaire : 514 555 0123")


@pytest.mark.parametrize(
    ("text", "private"),
    [
        ("Spiega i sintomi del diabete di tipo 2.", False),
        ("Calcola i costi annui della insulina per la regione.", False),
        ("Jak działa insulina i metformina? Wyjaśnij krótko.", False),
        ("Hur vanligt är diabetes i Sverige? Förklara kort.", False),
        ("Hvor mange har diabetes i Norge? Forklar.", False),
        ("explain why i have diabetes at 30", True),
        ("can you explain it, i m bipolar", True),
        ("i was diagnosed with depression, what now?", True),
    ],
)
def test_a_lower_case_i_is_the_writer_only_before_english(text: str, private: bool) -> None:
    """The Italian "the", the Polish "and" and the Nordic "in" are no "I"; a careless English
    "i have" still is."""
    assert (detect_privacy(text)[0] is not PrivacyLevel.PUBLIC) is private


@pytest.mark.parametrize(
    ("text", "private"),
    [
        ("¿Cuáles son los síntomas de la diabetes?", False),
        ("Spiega il diabete di tipo 2.", False),
        ("Hvor udbredt er diabetes i Danmark?", False),
        ("Hoe meet je diabetes thuis? Leg uit.", False),
        ("Quais são os sintomas da depressão nos adolescentes?", False),
        ("What kind of diabetes is most common in adults?", False),
        ("My son has diabetes. What should we do?", True),
        ("Il a le diabète depuis 2019, que faire ?", True),
        ("Er hat Diabetes, was tun?", True),
        ("Je suis diabétique, que faire ?", True),
        ("Mein Kind hat Asthma. Was tun?", True),
    ],
)
def test_a_word_for_a_person_that_is_a_common_word_of_the_texts_language(
    text: str, private: bool
) -> None:
    """The Spanish "son" (are), the Italian "il" (the), the Danish "er" (is), the Dutch "je"
    (you), the Portuguese "nos" (in the) and the English "kind" are no one in their language."""
    assert (detect_privacy(text)[0] is not PrivacyLevel.PUBLIC) is private


@pytest.mark.parametrize(
    ("text", "private"),
    [
        ("How is HIV passed from mother to child?", False),
        ("Explain mother-to-child transmission of HIV.", False),
        ("¿Cómo se transmite el VIH de madre a hijo?", False),
        ("Explain the patient journey for hip replacement surgery.", False),
        ("Draft a patient information leaflet on statins.", False),
        ("Can HIV pass from my mother to me?", True),
        ("The patient has diabetes. What dose?", True),
        ("My mother has dementia. What should I do?", True),
    ],
)
def test_a_pair_of_people_or_a_qualifying_patient_names_no_one(text: str, private: bool) -> None:
    """A way an illness passes ("from mother to child") and a kind of journey ("the patient
    journey") are no one; "my mother to me" and "the patient has" are someone."""
    assert (detect_privacy(text)[0] is not PrivacyLevel.PUBLIC) is private
