"""A phone word is a whole word or its own inflection, not the start of another ("telemetry",
"Ringkøbing", "Puhallin", "Telaio"); a part or piece number in the corpus languages is a thing's
id ("pezzo", "onderdeel", "peça", "część", "osa"), whatever its shape; beside twins that stay
phones."""

from __future__ import annotations

import pytest

from mecrouter.agents.privacy import detect_privacy
from mecrouter.types import PrivacyLevel


@pytest.mark.parametrize(
    "text",
    [
        "Telemetry node 7: 0123 456 7890 packets, 12% loss.",
        "Puhallin 3: 040 123 4567 kierrosta, lämpötila 41 °C.",
        "Ringkøbing plant, meter 0531 555 0147, 12 kWh.",
        "Telaio 0123 456 7890, colore rosso, km 120.000.",
        "Dialog box id 06 12 34 56 78 keeps reopening.",
        "Consegna da Cocconito: pezzo 0123 555 0147, qtà 12.",
        "Levering van Eindhoven: onderdeel 0123 555 0147, aantal 12.",
        "Entrega de Lagoa: peça 0123 555 0147, qtd 12.",
        "Toimitus Lappeenranta: osa 0123 555 0147, määrä 12.",
    ],
)
def test_no_phone_word_no_phone(text: str) -> None:
    assert detect_privacy(text)[0] is PrivacyLevel.PUBLIC


@pytest.mark.parametrize(
    "text",
    [
        "Call me on 0123 456 7890 after 6.",
        "Tel. 030 1234567",
        "Puh. 040 123 4567",
        "Ring 12 34 56 78 for the keys.",
        "callback: 987-491-4638",
        "Telefonnummer 030 1234567, Anna Schmidt",
    ],
)
def test_phone_words_still_name_phones(text: str) -> None:
    assert "phone" in detect_privacy(text)[1]
