"""Numbers of things that are no one's, found by probes of everyday prompts: an account no bank
keeps ("AWS account", "compte client"), a meeting's or a meter's number ("meeting ID",
"Kundennummer", "Wodomierz", "Sarjanumero"), an animal's birthday ("Notre chat est né le"), a
seat or a league place ("Sitzplatz 87", "Tabellenplatz 16"), a French "il" that stands for no
one ("il faut", "il y a"), an illness's "its" ("l'asthme et ses causes", "su tratamiento"), a
service desk before a firm ("Klantenservice Vattenfall"), a bus stop's time ("Via Garibaldi alle
15:05"), a ward's stock with its lot code, a project's or a firm's birthday ("Our project was
born on"), a call's id ("Call ID 1234567890") and a firm's premises ("Our warehouse is at 244
Industrial Way"), an account no bank keeps or the verb ("takes into account"), a firm's PAN, and
a contract's, a file's or a voucher's number; beside twins that stay personal."""

from __future__ import annotations

import pytest

from mecrouter.agents.privacy import detect_privacy
from mecrouter.types import PrivacyLevel


@pytest.mark.parametrize(
    "text",
    [
        "AWS account 917419296259 has a bill of 2710.23 USD this month. Which services dominate?",
        "Post 806.77 USD to GL account 594895. Write the journal entry.",
        "Supplier account 24125415 at Greene-Randall is overdue by 12 days.",
        "Compte client 9902312058 chez le fournisseur d'électricité : mensualité 135 €.",
        "Cuenta de cliente 99023120 del proveedor de luz: 84 € al mes.",
        "Join the call: meeting ID 053 0504 0048, passcode 126953. Add it to the agenda.",
        "Handyvertrag, Kundennummer 4044014430, Tarif 25 GB. Wann ist die Kündigungsfrist?",
        "Wodomierz nr 191024-4919: poprzedni odczyt 312 m³, obecny 566 m³. Ile wody?",
        "Sarjanumero 821109-5776, laiteohjelmisto 4.3, käyttötunnit 10201.",
        "Vandmåler 64511557325: sidste aflæsning 362 m³, nu 694 m³. Forbrug?",
        "Notre chat est né le 24/05/2024. Quand faut-il le vacciner ?",
        "Unser Hund, geboren am 8. Mai 2023, braucht welche Impfungen?",
        "Our dog was born on 2023-05-08; when is the next booster due?",
        "Wagen 9, Sitzplatz 87, ICE 679 ab 06:15. Wo steige ich ein?",
        "Tabellenplatz 16 nach 32 Spielen mit 26 Punkten. Reicht das für den Klassenerhalt?",
        "Pour le diabète de type 2, il faut surveiller l'HbA1c tous les 4 mois. Explique pourquoi.",
        "Dans un essai de 560 participants, il y a eu 1 décès. Calcule le taux.",
        "Recommend a good textbook on cardiology for medical students.",
        "Help me understand how chemotherapy targets dividing cells.",
        "Explique l'asthme et ses causes en 9 points.",
        "¿Qué es la diabetes tipo 2 y cuál es su tratamiento de primera línea?",
        "Metformin ist ein Antidiabetikum; beschreibe seine Wirkung und seine Nebenwirkungen.",
        "Klantenservice Vattenfall is bereikbaar op 025 807 8197. Zet dit op de website.",
        "Asiakaspalvelu Helen palvelee numerossa 0680 36 398. Lisää tämä tiedotteeseen.",
        "Il bus 58 ferma in Via Garibaldi alle 15:05 e alle 06:15. Ogni quanto passa?",
        "Il bus 28 passa da Corso Garibaldi ogni 15 minuti.",
        "Scorte reparto: insulina 173 penne, morfina 69 fiale, lotto T66250.",
        "Voorraad apotheek: insuline 132 pennen, metformine 305 doosjes, batch WN4429.",
        "Our project was born on 2024-03-05 as a hackathon idea. Write a blog intro.",
        "La empresa, nacida el 20/06/2025, factura 3 M€. Resume su historia.",
        "Die Firma, geboren am 12.03.2019, wächst. Schreib eine Chronik.",
        "Call ID 1234567890 lasted 5 min and cost 2.10 USD. Per-minute rate?",
        "Anruf-ID 1234567890 dauerte 5 Minuten. Was kostet die Minute?",
        "Conference call at 14:00 UTC, dial-in code 123 456 789#. Convert the time to CET.",
        "Our warehouse is at 244 Industrial Way, Vazquezchester. Write a delivery notice.",
        "Unser Lager: Müller GmbH, Industriestraße 139, 73515 Neuss. Anlieferung 07:00-15:00.",
        "La tienda de la Avenida de la Constitución 14 en Soria facturó 76.626 € en julio.",
        "Please send the samples to Acme Ltd, 12 Commerce Street, Leeds LS1 4AP.",
        "This takes into account 50236522 events processed in the last 11 days.",
        "Please account for 5237356 rows dropped during dedup in the report.",
        "trade_id|account|instrument|qty\n712220144|ACC-059537|ESZ5|12",
        "The Meta ad account 893847265809580 was restricted after 15 rejected creatives.",
        "routing key 433308379 in RabbitMQ exchange orders.topic is dropping messages.",
        "Rowland Pvt Ltd has PAN FPHCV0899G; do we deduct TDS on their invoice?",
        "Please summarise the terms of contract no. 421-28-5809 between Acme and our firm.",
        "El expediente 749-91-4280 del ayuntamiento sigue abierto.",
        "Bestillingsnummer 240920-9089 til kontorrekvisita er ikke leveret.",
        "Numer umowy 24021776041 z dostawcą internetu.",
        "Payment reference 2609 1019 3100 must be quoted on the transfer.",
        "Der Gutscheincode 2723 2864 3994 5822 lässt sich im Shop nicht einlösen.",
    ],
)
def test_no_ones(text: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.PUBLIC, ())


@pytest.mark.parametrize(
    ("text", "kinds"),
    [
        ("Please pay into account 12345678, sort code 12-34-56.", ("bank_account",)),
        ("Account number: 31926819 (Barclays).", ("bank_account",)),
        ("Customer phone: 0171 234 5678.", ("phone",)),
        ("Call me on 0171 234 5678, meter reading 12345.", ("phone",)),
        ("Mary Cat, born 12/03/1984, asked about her asthma.", None),
        ("Ich wohne am Marienplatz 8, 80331 München.", ("postal_address",)),
        ("Il est diabétique depuis 2019, que faire ?", ("medical_term",)),
        ("Help me, I have depression and can't sleep.", ("medical_term",)),
        ("Ma mère a un cancer du sein, quel est son traitement ?", ("medical_term",)),
        ("Mon fils a de l'asthme ; explique ses causes.", ("medical_term",)),
        ("Abito in Via Garibaldi 15, 20121 Milano.", ("postal_address",)),
        ("Rua Augusta 120, Lisboa.", ("postal_address",)),
        ("I work at a startup; I was born on 12/03/1984.", ("date_of_birth",)),
        ("Call id: please call 0171 234 5678.", ("phone",)),
        ("Office closed; my home is 12 Elm Road, Leeds LS1 4AP.", ("postal_address",)),
        ("Acme Ltd, employee address: 12 Elm Road, Leeds LS1 4AP.", ("postal_address",)),
        (
            "Elle a déménagé : sa nouvelle adresse est 12 rue de la Paix, 75002 Paris.",
            ("postal_address",),
        ),
        ("Please pay into account 12345678 by Friday.", ("bank_account",)),
    ],
)
def test_still_personal(text: str, kinds: tuple[str, ...] | None) -> None:
    level, found = detect_privacy(text)
    if kinds is None:
        assert level is PrivacyLevel.REGULATED
    else:
        assert (level, found) == (PrivacyLevel.SENSITIVE, kinds)


def test_a_name_before_a_firms_address_keeps_it_someones() -> None:
    level, kinds = detect_privacy("Acme Ltd HR: John Smith, 12 Elm Road, Leeds LS1 4AP.")
    assert level is PrivacyLevel.SENSITIVE
    assert "postal_address" in kinds


@pytest.mark.parametrize(
    ("text", "kind"),
    [("Claim form: SSN 421-28-5809.", "us_ssn"), ("PAN ABCPE1234F, as on the tax card.", "in_pan")],
)
def test_a_named_id_after_a_things_word_is_still_one(text: str, kind: str) -> None:
    assert detect_privacy(text) == (PrivacyLevel.REGULATED, (kind,))
