"""Symptoms are health content: described of the writer or of someone they name, in en, de, fr
and es, they make a prompt private; asked about in general, or used of things ("a real
headache", "WM-Fieber", "la fiebre del oro"), they do not."""

from __future__ import annotations

import pytest

from mecrouter.agents.privacy import detect_privacy
from mecrouter.types import PrivacyLevel


@pytest.mark.parametrize(
    "text",
    [
        "I get chest pain when I climb stairs. Should I worry?",
        "My son has had a fever of 39 since yesterday and a rash on his chest.",
        "I keep getting dizzy when I stand up. What could it be?",
        "I've been short of breath at night and my ankles are swollen.",
        "My wife coughs up blood in the mornings.",
        "Ich habe seit Tagen Brustschmerzen und Atemnot.",
        "Mein Sohn hat seit gestern Fieber und Ausschlag.",
        "Mir ist ständig schwindelig, wenn ich aufstehe.",
        "J'ai des vertiges depuis 12 jours.",
        "Mon fils a de la fièvre et une éruption cutanée depuis hier.",
        "Tengo dolor en el pecho cuando subo escaleras.",
        "Mi hijo tiene fiebre y sarpullido desde ayer.",
    ],
)
def test_someone_s_symptoms_are_private(text: str) -> None:
    assert detect_privacy(text)[0] is not PrivacyLevel.PUBLIC


def test_symptoms_beside_a_name_are_regulated() -> None:
    text = "Anna Schmidt, 12 Mill Lane, Leeds LS1 4AB: chest pain and shortness of breath."
    assert detect_privacy(text)[0] is PrivacyLevel.REGULATED


@pytest.mark.parametrize(
    "text",
    [
        "What causes chest pain when climbing stairs?",
        "Why do people get dizzy when they stand up quickly?",
        "Welche Ursachen haben Brustschmerzen beim Treppensteigen?",
        "Quelles sont les causes des vertiges ?",
        "¿Qué causa el dolor de cabeza matutino?",
        "This bug is a real headache for me, the build fails every time.",
        "Das Stadion ist im WM-Fieber, wir erwarten 40.000 Fans. Wie viele Ordner brauchen wir?",
        "Ces chiffres me donnent le vertige : 12 % de hausse en 3 mois.",
        "La fiebre del oro llegó a California en 1848. Explícame por qué.",
        "I had a lump in my throat at the wedding speech, can you help me shorten it?",
        "Der Zeiger zeigt einen Ausschlag am Messgerät von 4 mA, ich verstehe es nicht.",
        "My engine coughs at idle and I lose 200 rpm. Which sensor?",
    ],
)
def test_symptoms_of_no_one_or_of_things_are_public(text: str) -> None:
    assert detect_privacy(text)[0] is PrivacyLevel.PUBLIC
