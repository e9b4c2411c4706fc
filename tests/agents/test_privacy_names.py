"""Towns and firms of the corpus's locales are no person, and the person words inside a firm's
name ("Dupont SA", "Durand et Fils") are no one; people, partners and the writer still count."""

from __future__ import annotations

import pytest

from mecrouter.agents.names import name_spans
from mecrouter.agents.privacy import detect_privacy
from mecrouter.types import PrivacyLevel


@pytest.mark.parametrize(
    "run",
    [
        "Caldas da Rainha",
        "Rios da Praia",
        "Torres Novas",
        "Zielona Góra",
        "Mińsk Mazowiecki",
        "Ruda Śląska",
        "Borgo Valsugana",
        "Bagnoli Di Sopra",
        "Lille Skensved",
        "Sint Joost",
        "Wiener Neustadt",
        "Ahola Korpi Ky",
        "Adams CommV",
        "Bacardi Nederland",
        "Arnold Kern & Co.",
        "Bader Bernasconi & Söhne",
        "Barbier Carre et Fils",
        "Borges Novaes - ME",
        "Hnos Ayala",
        "Banca Privada Belmonte",
        "Proyectos Olmos-Suárez",
    ],
)
def test_towns_and_firms_of_the_corpus_locales_are_no_person(run: str) -> None:
    text = f"Please summarise the insulin pump recall notice from {run} for the ward newsletter."
    assert name_spans(text) == []
    assert detect_privacy(text)[0] is PrivacyLevel.PUBLIC


@pytest.mark.parametrize(
    "text",
    [
        "Résume l'avis de rappel de Dupont SA sur les pompes à insuline pour la lettre du service.",
        "Summarise the antidepressant shortage notice from Borges - ME for the pharmacy team.",
        "Explain why Egli & Partner stopped supplying insulin pens to the ward.",
        "Explique pourquoi Durand et Fils ne livre plus d'antidépresseurs aux pharmacies.",
        "Summarise the insulin recall from Batóg i syn s.c. for the newsletter.",
        "Summarise the insulin recall from Buczko Sp.j. for the newsletter.",
        "Explain why the depot in Nykøbing M ran out of insulin pens last winter.",
    ],
)
def test_person_words_inside_a_firm_or_town_name_are_no_one(text: str) -> None:
    assert detect_privacy(text)[0] is PrivacyLevel.PUBLIC


@pytest.mark.parametrize(
    "text",
    [
        "Can you explain why my partner has diabetes at 30?",
        "J'ai une dépression depuis l'hiver, explique-moi les traitements.",
        "Help me understand it: I have depression and insomnia.",
        "Explain how his son copes with autism at school.",
    ],
)
def test_partners_and_the_writer_still_count(text: str) -> None:
    assert detect_privacy(text)[0] is not PrivacyLevel.PUBLIC


@pytest.mark.parametrize(
    "name", ["Anthony Bhatnagar", "Patricio España", "Ana Costa", "Ole Strand", "Maria Flores"]
)
def test_people_whose_names_end_like_places_are_still_named(name: str) -> None:
    text = f"Explain the depression treatment plan for {name} to the family."
    assert [text[a:b] for a, b, _ in name_spans(text)] == [name]
    assert detect_privacy(text)[0] is PrivacyLevel.REGULATED


@pytest.mark.parametrize(
    "text",
    [
        "Calcula la Tasa de Mortalidad por neumonía en 2024.",
        "Spiega la Sindrome di Down ai genitori.",
        "Explique le Taux de Mortalité pour la pneumonie en 2024.",
        "Analiza la Curva de Crecimiento por neumonía en 2024.",
        "Przeanalizuj dane o depresji z 2024 roku.",
    ],
)
def test_a_request_and_an_article_lead_no_name(text: str) -> None:
    assert name_spans(text) == []
    assert detect_privacy(text)[0] is PrivacyLevel.PUBLIC


def test_a_name_after_a_request_is_still_a_name() -> None:
    text = "Explica la diabetes tipo 2 a Maria da Silva."
    assert [text[a:b] for a, b, _ in name_spans(text)] == ["Maria da Silva"]
    assert detect_privacy(text)[0] is PrivacyLevel.REGULATED


@pytest.mark.parametrize(
    ("text", "level"),
    [
        ("Ward 7 admitted 2 patients with pneumonia overnight.", PrivacyLevel.PUBLIC),
        ("Semaine 12 : 0 décès, 1 admissions pour grippe.", PrivacyLevel.PUBLIC),
        ("Our 2 children have asthma and eczema.", PrivacyLevel.SENSITIVE),
        ("My 2 patients with HIV missed their appointments.", PrivacyLevel.SENSITIVE),
        ("Can you explain why my nephew has diabetes at 12?", PrivacyLevel.SENSITIVE),
        ("Bed 12 Anna Schmidt: diabetes, insulin 40 units at night.", PrivacyLevel.REGULATED),
        ("Explain the asthma plan for Eli Lilly to her school.", PrivacyLevel.REGULATED),
    ],
)
def test_counts_of_groups_and_the_people_beside_firms_and_products(
    text: str, level: PrivacyLevel
) -> None:
    """A small count of a group no family is is a population; a family, a nephew, a person
    beside a bed number or named like a firm still count."""
    assert detect_privacy(text)[0] is level


@pytest.mark.parametrize(
    "firm",
    [
        "Novo Nordisk",
        "Boehringer Ingelheim",
        "Fresenius Kabi",
        "Abbott Laboratories",
        "Leo Pharma",
        "Gilead Sciences",
        "Smith & Nephew",
        "Klinikum Großhadern",
        "Hôpital Necker",
    ],
)
def test_pharmaceutical_firms_and_hospitals_are_no_person(firm: str) -> None:
    text = f"Order from {firm}: 40 insulin pens and 12 packs of sertraline 50 mg. Under budget?"
    assert detect_privacy(text)[0] is PrivacyLevel.PUBLIC


@pytest.mark.parametrize("product", ["Omnipod Dash", "Contour Next", "Relvar Ellipta"])
def test_a_product_counted_in_units_is_no_person(product: str) -> None:
    text = f"Stock for the diabetes and asthma clinic: 40 {product} units left. Enough for May?"
    assert detect_privacy(text)[0] is PrivacyLevel.PUBLIC
