"""PII/PHI detection: the hard privacy signal of the ContextAgent, in pure Python.

The detector runs on every request, so it is built to cost micro-seconds. It reads the text as
`detection_text` writes it, so that a disguised identifier counts like a plain one: NFKC
normalised (full-width and mathematical digits and letters become ASCII), format characters
(Unicode category Cf: zero-width spaces and joiners, direction marks) and other invisible ones
(variation selectors) removed, every other decimal digit (Arabic-Indic, Devanagari...) written as
its ASCII digit and hyphen look-alikes as "-". An ASCII text skips all that. `fold_text` then
makes one pass over the text with `bytes.translate`: lower-case words, and a "number shape" where
every digit is a 0, every capital an A and number separators vanish. Keyword tests are one set
intersection on the words (health vocabulary in en/de/fr/es from `health_terms`, context words for
birth dates, addresses, passports, accounts), and number tests are substring tests on the shape,
so a prompt whose numbers are years, versions or times never reaches a regex or a validator. The
recognisers themselves live in `identifiers` (national, medical and bank ids, with checksums),
`labelled_ids` (passports, bank accounts), `contact` (email, phone, record number), `cards`, `names`
and `personal` (birth dates, addresses).

Levels follow the data, not the wording:

* REGULATED: a national or government id (passport, SSN, ITIN, NI number and every national id),
  a medical id (NHS, MBI, Medicare, record number), or health content together with anything that
  identifies a person (name, date of birth, address, email, phone, card, IBAN, bank account);
* SENSITIVE: an email, phone, card, IBAN, bank account, date of birth or postal address, or
  health content about someone with nothing identifying them (a question about an illness that
  names no one is public, and so is a count of a population: see `about`);
* PUBLIC: none of the above. A name alone is not a finding, and neither are measurements alone
  ("HR 72 bpm, BP 120/80, SpO2 98%" with no condition, treatment or person).

A trained second stage (`privacy_model`, fitted by `mecrouter privacy-train`) is asked when the
rules find no health content in a text that holds personal data short of REGULATED or may be
about someone (`may_be_about_someone`): a linear model over its hashed folded words may find
health content the lexicon does not hold, raising the text to SENSITIVE, or to REGULATED with
the personal data or a name. It never lowers a level.

Known limits (cheap rules, and a model that knows only the words it was fitted on) are listed
in docs/privacy.md ("Limits"), with what each recogniser costs.
"""

from __future__ import annotations

import re
from typing import Final

from mecrouter.agents import identifiers as ids
from mecrouter.agents import labelled_ids
from mecrouter.agents.about import about_someone, may_be_about_someone
from mecrouter.agents.addresses import (
    BUSINESS_CHARS,
    business_address,
    may_hold_postal_address,
    names_premises,
    postal_address_spans,
)
from mecrouter.agents.cards import PAYMENT_CARD, luhn_valid
from mecrouter.agents.contact import (
    EMAIL,
    MEDICAL_RECORD_NUMBER,
    PHONE,
    PHONE_GATE_WORDS,
    bare_phone,
    context_phone_spans,
    email_spans,
    mrn_spans,
    number_spans,
)
from mecrouter.agents.folding import FoldedText, detection_text, fold_text
from mecrouter.agents.health_terms import HEALTH_WORDS, PHRASE_HEADS, PHRASES_BY_HEAD
from mecrouter.agents.identifiers import (
    AU_MEDICARE,
    AU_TFN,
    BANK_ACCOUNT,
    BR_CPF,
    CA_SIN,
    CN_RESIDENT_ID,
    DE_TAX_ID,
    DK_CPR,
    ES_DNI,
    ES_NIE,
    FI_HETU,
    FR_NIR,
    IBAN,
    IN_AADHAAR,
    IN_PAN,
    IT_FISCAL_CODE,
    JP_MY_NUMBER,
    NL_BSN,
    NO_FODSELSNUMMER,
    PASSPORT,
    PL_PESEL,
    SE_PERSONNUMMER,
    UK_NHS,
    UK_NINO,
    US_ITIN,
    US_MBI,
    US_SSN,
    Span,
)
from mecrouter.agents.names import PERSON_NAME, name_spans
from mecrouter.agents.personal import (
    BIRTH_WORDS,
    DATE_OF_BIRTH,
    POSTAL_ADDRESS,
    STREET_SUFFIXES,
    STREET_WORDS,
    address_spans,
    dob_spans,
    may_hold_address,
)
from mecrouter.agents.privacy_model import HealthModel, load_model
from mecrouter.types import PrivacyLevel

MEDICAL_TERM = "medical_term"

# The order findings are reported in.
KINDS: Final = (
    EMAIL, PAYMENT_CARD, PHONE, IBAN, BANK_ACCOUNT, US_SSN, US_ITIN, UK_NINO, PASSPORT,
    DE_TAX_ID, FR_NIR, ES_DNI, ES_NIE, IT_FISCAL_CODE, PL_PESEL, NL_BSN, IN_AADHAAR, IN_PAN,
    CA_SIN, AU_TFN, BR_CPF, CN_RESIDENT_ID, JP_MY_NUMBER, SE_PERSONNUMMER, NO_FODSELSNUMMER,
    DK_CPR, FI_HETU, MEDICAL_RECORD_NUMBER, UK_NHS, US_MBI, AU_MEDICARE, MEDICAL_TERM,
    PERSON_NAME, DATE_OF_BIRTH, POSTAL_ADDRESS,
)  # fmt: skip
_RANK: Final = {kind: i for i, kind in enumerate(KINDS)}

__all__ = [
    "AU_MEDICARE", "AU_TFN", "BANK_ACCOUNT", "BR_CPF", "CA_SIN", "CN_RESIDENT_ID",
    "DATE_OF_BIRTH", "DE_TAX_ID", "DK_CPR", "EMAIL", "ES_DNI", "ES_NIE", "FI_HETU", "FR_NIR",
    "IBAN", "IN_AADHAAR", "IN_PAN", "IT_FISCAL_CODE", "JP_MY_NUMBER", "KINDS",
    "MEDICAL_RECORD_NUMBER", "MEDICAL_TERM", "NL_BSN", "NO_FODSELSNUMMER", "PASSPORT",
    "PAYMENT_CARD", "PERSON_NAME", "PHONE", "PL_PESEL", "POSTAL_ADDRESS", "SE_PERSONNUMMER",
    "UK_NHS", "UK_NINO", "US_ITIN", "US_MBI", "US_SSN", "FoldedText", "detect_privacy",
    "detection_text", "fold_text", "identifier_spans", "luhn_valid",
    "may_be_about_someone", "rule_findings", "verdict",
]  # fmt: skip

_CONTACT: Final = frozenset({EMAIL, PHONE, PAYMENT_CARD, IBAN, BANK_ACCOUNT})
_PERSONAL: Final = _CONTACT | {PERSON_NAME, DATE_OF_BIRTH, POSTAL_ADDRESS}
_SENSITIVE: Final = _CONTACT | {DATE_OF_BIRTH, POSTAL_ADDRESS, MEDICAL_TERM}
# Everything else but a name and health content: national, government and medical ids.
_ALWAYS_REGULATED: Final = frozenset(KINDS) - _PERSONAL - {MEDICAL_TERM}


# --------------------------------------------------------------------------- gates

_MED, _PATIENT, _PHRASE, _BIRTH, _STREET, _PASSPORT, _ACCOUNT, _MRN = 1, 2, 4, 8, 16, 32, 64, 128
_PHONE = 256


def _lexicon() -> dict[bytes, int]:
    flags: dict[bytes, int] = {}
    groups = (
        (_MED, HEALTH_WORDS),
        (_PATIENT, (b"patient",)),
        (_PHRASE, PHRASE_HEADS),
        (_BIRTH, {w.encode() for w in BIRTH_WORDS} | {b"nac", b"d"}),
        (_STREET, {w.encode() for w in STREET_WORDS}),
        (_PASSPORT, {w.encode() for w in labelled_ids.PASSPORT_GATE_WORDS}),
        (_ACCOUNT, {w.encode() for w in labelled_ids.ACCOUNT_GATE_WORDS}),
        (_PHONE, {w.encode() for w in PHONE_GATE_WORDS}),
        (
            _MRN,
            {
                w.encode()
                for w in (  # noqa: SIM905
                    "mrn record hospital chart patientennummer fallnummer historia historii "
                    "nhc dossier ipp patienten pat patiënt patiëntnummer patientnummer "
                    "pasientnummer ziekenhuisnummer journalnummer potilasnumero krankenakte "
                    "expediente cartella paziente paciente pacjenta prontuario prontuário "
                    "processo utente fall"
                ).split()
            },
        ),
    )
    for flag, words in groups:
        for word in words:
            flags[word] = flags.get(word, 0) | flag
    return flags


# A street suffix ends its word ("Hauptstraße", "Storgatan"): "patient" holds "tie" but no street.
_STREET_SUFFIX_RE: Final = re.compile(b"(?:" + b"|".join(map(re.escape, STREET_SUFFIXES)) + b") ")
_LEXICON: Final = _lexicon()
_LEXICON_WORDS: Final = frozenset(_LEXICON)
# "Please be patient" is not about a patient, nor is the "patient zero" of an incident.
_PATIENT_ADJECTIVE = (
    b" be patient", b" very patient", b" so patient", b" more patient", b" patient zero"
)  # fmt: skip


def _is_medical(folded: FoldedText, flags: int) -> bool:
    if flags & _MED:
        return True
    if flags & _PATIENT:
        adjectives = sum(folded.padded.count(p) for p in _PATIENT_ADJECTIVE)
        if folded.words.count(b"patient") > adjectives:
            return True
    if not flags & _PHRASE:
        return False
    padded = folded.padded
    return any(
        p in padded
        for head in PHRASE_HEADS.intersection(folded.words)
        for p in PHRASES_BY_HEAD[head]
    )


def _health_named(run: str) -> bool:
    """Whether a capitalised run holds a health word: "Meldeinzidenz Tuberkulose" is no name."""
    return not HEALTH_WORDS.isdisjoint(fold_text(run).words)


def _maybe_address(folded: FoldedText, flags: int) -> bool:
    """A street word or suffix, then what the address patterns need (cheaper tests first)."""
    if not may_hold_address(folded.text, folded.words, folded.shape):
        return False
    return bool(flags & _STREET) or _STREET_SUFFIX_RE.search(folded.padded) is not None


def _number_spans(folded: FoldedText, flags: int, lowered: str) -> list[Span]:
    """Identifiers that need digits; each recogniser runs only if the number shape allows it."""
    text, shape = folded.text, folded.shape
    spans: list[Span] = []
    spans += ids.national_id_spans(text, shape, lowered)
    if flags & _BIRTH:
        spans += dob_spans(text, lowered)
    # Before phones: a ZIP+4 postcode ("05020-0750") has a phone's outline.
    if may_hold_postal_address(text):
        spans += postal_address_spans(text)
    if b"000000000" in shape:
        spans += number_spans(text, lowered)
    if flags & _PASSPORT:
        spans += labelled_ids.passport_spans(text, lowered)
    # Every bank number has 6+ digits in a row; the words are only looked for then.
    if b"000000" in shape and (flags & _ACCOUNT or "-" in text):
        spans += labelled_ids.bank_account_spans(text, lowered)
    if flags & _MRN or flags & _PATIENT:
        spans += mrn_spans(text, lowered)
    if flags & _PHONE and b"000000" in shape:
        spans += context_phone_spans(text, lowered)
    if _maybe_address(folded, flags):
        spans += address_spans(text)
    return spans


def _scan(folded: FoldedText) -> tuple[list[Span], bool]:
    """Identifier spans (overlapping ones dropped, earlier recognisers first) and whether the
    text has health content."""
    flags = 0
    for word in _LEXICON_WORDS.intersection(folded.words):
        flags |= _LEXICON[word]
    text = folded.text
    spans = email_spans(text) if "@" in text else []
    if b"0" in folded.shape:
        spans += _number_spans(folded, flags, text.lower())
    medical = _is_medical(folded, flags)
    if spans or medical:
        spans += [s for s in name_spans(text) if not _health_named(text[s[0] : s[1]])]
    kept: list[Span] = []
    for span in spans:
        if not any(s < span[1] and span[0] < e for s, e, _ in kept):
            kept.append(span)
    if any(kind == POSTAL_ADDRESS for _, _, kind in kept):
        kept = _without_firms_premises(text, kept)
    if kept and not medical and all(kind in (PHONE, PERSON_NAME) for _, _, kind in kept):
        kept = _without_bare_phones(text, kept)
    names_only = all(kind == PERSON_NAME for _, _, kind in kept)
    if medical and names_only and not about_someone(folded, kept):
        medical = False  # health content about no one: a question about an illness
    if kept and names_only and not medical:
        kept = []  # a name alone is not personal data
    kept.sort()
    return kept, medical


def _without_firms_premises(text: str, spans: list[Span]) -> list[Span]:
    """`spans` less the addresses that are a firm's (`addresses.business_address`) with no name
    in the `BUSINESS_CHARS` before them ("Acme Ltd HR: John Smith, 12 Elm Road" is his)."""
    lowered = text.lower()
    names = [e for s, e, kind in spans if kind == PERSON_NAME and not names_premises(text[s:e])]
    return [
        (s, e, kind)
        for s, e, kind in spans
        if kind != POSTAL_ADDRESS
        or not business_address(lowered, s)
        or any(s - BUSINESS_CHARS <= end <= s for end in names)
    ]


# A phone-shaped number with neither "+" nor a phone word counts only this near a name: "Jane
# Doe (020 7946 0958)" is a contact, "sensor 040 422 9335" a part number.
_NAME_NEAR_PHONE: Final = 40


def _without_bare_phones(text: str, spans: list[Span]) -> list[Span]:
    """`spans` (phones and names only) less the bare phones that no name stands near."""
    lowered = text.lower()
    names = [(s, e) for s, e, kind in spans if kind == PERSON_NAME]
    kept = [
        (start, end, kind)
        for start, end, kind in spans
        if kind != PHONE
        or not bare_phone(text, lowered, start)
        or any(s - _NAME_NEAR_PHONE < end and start < e + _NAME_NEAR_PHONE for s, e in names)
    ]
    return kept if any(kind == PHONE for _, _, kind in kept) else []


def _level(kinds: frozenset[str]) -> PrivacyLevel:
    if kinds & _ALWAYS_REGULATED or (MEDICAL_TERM in kinds and kinds & _PERSONAL):
        return PrivacyLevel.REGULATED
    if kinds & _SENSITIVE:
        return PrivacyLevel.SENSITIVE
    return PrivacyLevel.PUBLIC


def rule_findings(folded: FoldedText) -> tuple[list[Span], bool]:
    """What the rules alone find: identifier spans (offsets into `folded.text`) and whether
    the text has health content about someone."""
    return _scan(folded)


def verdict(spans: list[Span], medical: bool) -> tuple[PrivacyLevel, tuple[str, ...]]:
    """The level and the kinds found (in the order of `KINDS`) for what was found."""
    kinds = {kind for _, _, kind in spans}
    if medical:
        kinds.add(MEDICAL_TERM)
    if not kinds or kinds == {PERSON_NAME}:
        return PrivacyLevel.PUBLIC, ()
    found = frozenset(kinds)
    return _level(found), tuple(sorted(found, key=_RANK.__getitem__))


_SHIPPED: Final = object()  # `detect_privacy`'s default: the shipped model, when present


def detect_privacy(
    text: str, folded: FoldedText | None = None, *, model: HealthModel | object | None = _SHIPPED
) -> tuple[PrivacyLevel, tuple[str, ...]]:
    """Classify `text` and name what was found (kinds in the order of `KINDS`, no duplicates).

    Pass `folded` (from `fold_text(text)`) when the caller has folded the text already, so the
    ContextAgent pays for one fold per request. The patterns read `folded.text`, the text after
    `detection_text`. `model` is the trained second stage (`privacy_model`): the shipped one by
    default, None for the rules alone, or one being cross-validated. It may find health content
    the lexicon missed: it never lowers a level.

    The stage is asked when the rules found no health content and the text either holds
    personal data short of a regulated verdict (health content there would make it regulated:
    "Adhérent : <name>, né le <date> / Motif : je ne bois plus une goutte d'alcool") or may be
    about someone. When it finds health content, the names the rules set aside (a name alone is
    no finding) count again: health content and a name are regulated.
    """
    if folded is None:
        folded = fold_text(text)
    spans, medical = _scan(folded)
    if medical or not (spans or may_be_about_someone(folded)):
        return verdict(spans, medical)
    level, kinds = verdict(spans, medical)
    if level is PrivacyLevel.REGULATED:
        return level, kinds
    stage = load_model() if model is _SHIPPED else model
    if not (isinstance(stage, HealthModel) and stage.is_health(folded.text)):
        return level, kinds
    if not spans:
        spans = [s for s in name_spans(folded.text) if not _health_named(folded.text[s[0] : s[1]])]
    return verdict(spans, True)


def identifier_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, kind) of every identifier (every kind but health content), as offsets into
    `detection_text(text)`, sorted and non-overlapping: what a redactor must mask."""
    return _scan(fold_text(text))[0]
