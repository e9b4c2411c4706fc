"""The privacy corpus's format and labelling guide, read by the evaluation (`eval-privacy`) and
the simulator's privacy truth alike; the generator is `mecrouter.eval.privacy_corpus`.

Labelling guide (`level_of`), applied to what the generator inserted, never to what a detector
finds:

- **regulated**: a government or national identifier (``passport``, ``us_ssn``, ``us_itin``,
  ``uk_nino``, ``de_tax_id``, ``fr_nir``, ``es_dni``, ``es_nie``, ``it_fiscal_code``,
  ``pl_pesel``, ``nl_bsn``, ``in_aadhaar``, ``in_pan``, ``ca_sin``, ``au_tfn``, ``br_cpf``,
  ``cn_resident_id``, ``jp_my_number``, ``se_personnummer``, ``no_fodselsnummer``, ``dk_cpr``,
  ``fi_hetu``), a medical identifier (``uk_nhs``, ``us_mbi``, ``au_medicare``,
  ``medical_record_number``), or health content together with anything identifying a person
  (a name, birth date, postal address, email, phone, card, IBAN, bank account or any identifier).
- **sensitive**: not regulated, and an email, phone, payment card, IBAN, bank account, birth date
  or postal address; or health content about a specific person (the writer or someone else) with
  no identifier ("I was diagnosed with bipolar disorder last year").
- **public**: none of these. A name alone is public, but the corpus never writes one alone.

A corpus file is JSON lines, one `LabelledPrompt` per line with its fields as keys (entities as
objects); `read_corpus` checks every line and names the first bad one.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any, Final

from mecrouter.errors import InvalidRequestError

__all__ = [
    "ENTITY_TYPES", "HEALTH_CATEGORIES", "LEVELS", "MEDICAL_IDS", "NATIONAL_IDS", "SPLITS",
    "TUNING_SPLITS", "Entity", "LabelledPrompt", "level_of", "read_corpus",
]  # fmt: skip

LEVELS: Final = ("public", "sensitive", "regulated")
SPLITS: Final = (
    "train", "test", "dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8",
    "dev9", "dev10", "dev11", "dev12", "dev13", "dev14", "dev15", "dev16",
)  # fmt: skip
# What the rules and the trained stage may be tuned on: every split but test. dev2 holds only
# negatives (ordinary number-heavy prompts), written after dev by a writer who saw no detector;
# dev3 and dev4 likewise, each written after the one before by three more such writers; dev5
# (positives and negatives, 12 languages) by three more, given only the format and the guide;
# dev6 (positives and negatives, en/de/fr/es) by two more, after the round on dev5; dev7 likewise
# by three more, after the round on dev6; dev8 (negatives only, en/de/fr/es) by three more,
# after the round on dev7; dev9 (positives and negatives, en/de/fr/es) by three more, after
# the round on dev8; dev10 likewise, after the round on dev9; dev11 (negatives only, 12
# languages, train's negative frames as style examples) by four more, after the round on dev10;
# dev12 likewise, after the round on dev11; dev13 likewise (each writer on one kind of
# negative), after the round on dev12; dev14 likewise, after the round on dev13; dev15 likewise,
# after the sweeps of firms, towns, requests and suppliers that followed it; dev16 likewise,
# each writer given train frames to write siblings of in their language, after the round on dev15.
TUNING_SPLITS: Final = (
    "train", "dev", "dev2", "dev3", "dev4", "dev5", "dev6", "dev7", "dev8", "dev9", "dev10",
    "dev11", "dev12", "dev13", "dev14", "dev15", "dev16",
)  # fmt: skip
HEALTH_CATEGORIES: Final = (
    "mental_health", "addiction", "sexual_reproductive", "genetic", "disability", "general"
)  # fmt: skip
MEDICAL_IDS: Final = frozenset({"uk_nhs", "us_mbi", "au_medicare", "medical_record_number"})
_PERSONAL: Final = frozenset(
    {"email", "phone", "payment_card", "iban", "bank_account", "date_of_birth", "postal_address"}
)
ENTITY_TYPES: Final = (
    "email", "phone", "payment_card", "iban", "bank_account", "passport", "us_ssn", "us_itin",
    "us_mbi", "uk_nino", "uk_nhs", "de_tax_id", "fr_nir", "es_dni", "es_nie", "it_fiscal_code",
    "pl_pesel", "nl_bsn", "in_aadhaar", "in_pan", "ca_sin", "au_tfn", "au_medicare", "br_cpf",
    "cn_resident_id", "jp_my_number", "se_personnummer", "no_fodselsnummer", "dk_cpr", "fi_hetu",
    "medical_record_number", "date_of_birth", "postal_address", "person_name", "health",
)  # fmt: skip
NATIONAL_IDS: Final = frozenset(ENTITY_TYPES) - MEDICAL_IDS - _PERSONAL - {"person_name", "health"}


@dataclass(frozen=True, slots=True)
class Entity:
    """One inserted value: ``text[start:end] == value``; `category` for ``health`` only."""

    type: str
    start: int
    end: int
    value: str
    category: str = ""


@dataclass(frozen=True, slots=True)
class LabelledPrompt:
    """A prompt with what was inserted into it and the level the labelling guide gives it."""

    id: str
    split: str
    lang: str
    domain: str
    level: str
    text: str
    entities: tuple[Entity, ...]
    template: str
    negative: bool


def level_of(entities: Sequence[Entity]) -> str:
    """The labelling guide of the module docstring."""
    types = {e.type for e in entities}
    if types & (NATIONAL_IDS | MEDICAL_IDS):
        return "regulated"
    if "health" in types and types & (_PERSONAL | {"person_name"}):
        return "regulated"
    return "sensitive" if types & _PERSONAL or "health" in types else "public"


_FIELDS: Final = tuple(f.name for f in fields(LabelledPrompt))
_ENTITY_FIELDS: Final = frozenset(f.name for f in fields(Entity))


def read_corpus(path: Path) -> list[LabelledPrompt]:
    """The prompts of a file `write_corpus` wrote; a bad line raises `InvalidRequestError`
    naming the file and the line."""
    prompts = []
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            try:
                prompts.append(_parse(json.loads(line)))
            except (ValueError, TypeError) as exc:
                raise InvalidRequestError(str(path), f"line {number}: {exc}") from exc
    return prompts


def _parse(obj: Any) -> LabelledPrompt:
    if not isinstance(obj, dict) or set(obj) != set(_FIELDS):
        raise ValueError(f"expected an object with the keys {', '.join(_FIELDS)}")
    if not isinstance(obj["text"], str) or not isinstance(obj["entities"], list):
        raise ValueError("text is a string and entities a list")
    prompt = LabelledPrompt(
        **obj | {"entities": tuple(_entity(e, obj["text"]) for e in obj["entities"])}
    )
    strings = (prompt.id, prompt.lang, prompt.domain, prompt.template)
    if not all(isinstance(s, str) for s in strings) or not isinstance(prompt.negative, bool):
        raise ValueError("id, lang, domain and template are strings, negative true or false")
    if prompt.split not in SPLITS or prompt.level not in LEVELS:
        raise ValueError(f"unknown split {prompt.split!r} or level {prompt.level!r}")
    return prompt


def _entity(obj: Any, text: str) -> Entity:
    if not isinstance(obj, dict) or set(obj) != _ENTITY_FIELDS:
        raise ValueError(f"an entity has the keys {', '.join(sorted(_ENTITY_FIELDS))}")
    entity = Entity(**obj)
    if entity.type not in ENTITY_TYPES or entity.category not in ("", *HEALTH_CATEGORIES):
        raise ValueError(f"unknown entity type {entity.type!r} or category {entity.category!r}")
    if not isinstance(entity.start, int) or text[entity.start : entity.end] != entity.value:
        raise ValueError(f"{entity.type} at {entity.start}:{entity.end} is not its value")
    return entity
