"""PII/PHI detection: the hard privacy signal of the ContextAgent, in pure Python.

The detector runs on every request, so it is built to cost a few micro-seconds. It reads the text
as `detection_text` writes it, so that a disguised identifier counts like a plain one: NFKC
normalised (full-width and mathematical digits and letters become ASCII), format characters
(Unicode category Cf: zero-width spaces and joiners, direction marks) and other invisible ones
(variation selectors) removed, every other decimal digit (Arabic-Indic, Devanagari...) written as
its ASCII digit and hyphen look-alikes as "-". An ASCII text skips all that: it is already in that
form. `fold_text` then makes one pass over the text with `bytes.translate`: lower-case words, and
a "number shape" where every digit is a 0, every capital an A and number separators vanish.
Keyword tests are then one set intersection on the words, and number tests are substring tests on
the shape: a phone, card or SSN needs nine or more digits in a row (b"000000000" in the shape), so
a prompt whose numbers are years, versions or times never reaches a regex. The regexes that scan a
whole text start with a character class, so CPython's matcher skips ahead in C (word boundaries
are then checked in Python); the precise ones run only inside the short window around a long
number.

Levels follow the data, not the wording:

* REGULATED: a medical record number, a national id (US SSN, UK NI number), or medical content
  together with anything that identifies a person (email, phone, card, name, date of birth);
* SENSITIVE: a payment card, an email address, a phone number, or medical content alone;
* PUBLIC: none of the above.

Known limits (cheap rules, not a model): a plain 10-11 digit run counts as a phone only next to a
word like "call" or "phone"; names are recognised only after a title (Mr, Dr...) or a "patient" /
"name:" label; UK NI numbers must be upper case; words are matched whole, so a medical word used in
another sense still counts, which errs on the private side. Look-alike letters from other scripts
(a Cyrillic "А" in an NI number) and combining marks on digits are not undone.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from typing import Final, NamedTuple

from mecrouter.types import PrivacyLevel

__all__ = [
    "DATE_OF_BIRTH",
    "EMAIL",
    "MEDICAL_RECORD_NUMBER",
    "MEDICAL_TERM",
    "PAYMENT_CARD",
    "PERSON_NAME",
    "PHONE",
    "UK_NINO",
    "US_SSN",
    "FoldedText",
    "detect_privacy",
    "detection_text",
    "fold_text",
    "luhn_valid",
]

# Finding kinds, as reported in ContextAnalysis.privacy_findings.
EMAIL = "email"
PHONE = "phone"
PAYMENT_CARD = "payment_card"
US_SSN = "us_ssn"
UK_NINO = "uk_nino"
MEDICAL_TERM = "medical_term"
MEDICAL_RECORD_NUMBER = "medical_record_number"
PERSON_NAME = "person_name"
DATE_OF_BIRTH = "date_of_birth"

_IDENTIFIERS = frozenset({EMAIL, PHONE, PAYMENT_CARD, PERSON_NAME, DATE_OF_BIRTH})
_ALWAYS_REGULATED = frozenset({US_SSN, UK_NINO, MEDICAL_RECORD_NUMBER})
_SENSITIVE = frozenset({EMAIL, PHONE, PAYMENT_CARD, MEDICAL_TERM})


# --------------------------------------------------------------------------- folding


def _fold_table() -> bytes:
    """ASCII letters and digits survive (letters lower-cased), other ASCII becomes a space.

    Bytes >= 0x80 are kept: they are parts of non-ASCII letters, which belong to words.
    """
    out = bytearray(range(256))
    for b in range(128):
        ch = chr(b)
        out[b] = ord(ch.lower()) if ch.isalnum() else 0x20
    return bytes(out)


_FOLD = _fold_table()
_ASCII: Final = frozenset(map(chr, range(128)))
# Non-ASCII punctuation that would otherwise glue words together ("patient’s", "insulin—now"),
# and hyphens that look like "-" (NFKC leaves them: U+2010, U+2012, U+2212, U+FE63).
_UNICODE_BREAKS: Final = dict.fromkeys("\u2019\u2018\u201c\u201d\u2014\u2013\u2015", " ")
_HYPHENS: Final = dict.fromkeys("\u2010\u2012\u2212\ufe63", "-")
# Invisible characters outside category Cf (Unicode's Default_Ignorable_Code_Point): the
# combining grapheme joiner, Hangul fillers, Mongolian and other variation selectors.
_IGNORABLE: Final = frozenset(
    "\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u3164\uffa0"
    + "".join(map(chr, range(0xFE00, 0xFE10)))
    + "".join(map(chr, range(0xE0100, 0xE01F0)))
)
_SHAPE = bytes(  # digits -> "0", capitals -> "A", the rest -> " "
    0x30 if 0x30 <= b <= 0x39 else 0x41 if 0x41 <= b <= 0x5A else 0x20 for b in range(256)
)
_NUMBER_SEPARATORS = b" ().-+"
_DIGITS = b"0123456789"


class FoldedText(NamedTuple):
    """One cheap pass over a text, shared by the privacy detector and the complexity model.

    `padded` is the folded text (lower-case ASCII words, everything else a space) with a space at
    each end, so `b" heart rate" in padded` tests a phrase at a word start; `words` are its words;
    `shape` is the number shape: each ASCII digit a b"0", each capital a b"A", number separators
    removed, the rest spaces; so b"0" * n in shape means a number with at least n digits, and
    b"AA000000A" an NI number's outline.
    """

    padded: bytes
    words: list[bytes]
    shape: bytes
    raw: bytes  # `text` as UTF-8
    text: str  # what was folded: `detection_text` of the caller's text


def detection_text(text: str) -> str:
    """`text` as the detector reads it: NFKC, without format (Cf) or other invisible characters,
    with every decimal digit in ASCII, hyphen look-alikes as "-" and the breaks above as spaces.
    An ASCII text is returned as it is (none of that can change it)."""
    if text.isascii():
        return text
    text = unicodedata.normalize("NFKC", text)
    for ch in set(text).difference(_ASCII):  # distinct characters: a few, even in long texts
        if ch.isalpha() and ch not in _IGNORABLE:  # most of them; letters stay as they are
            continue
        replacement = _UNICODE_BREAKS.get(ch) or _HYPHENS.get(ch)
        if replacement is None:
            if ch.isdecimal():  # category Nd
                replacement = str(unicodedata.decimal(ch))
            elif ch in _IGNORABLE or unicodedata.category(ch) == "Cf":
                replacement = ""
            else:
                continue
        text = text.replace(ch, replacement)  # few characters, each replaced in C
    return text


def fold_text(text: str) -> FoldedText:
    """Fold `detection_text(text)` once so that keyword and digit gates cost set look-ups, not
    regex scans."""
    text = detection_text(text)
    raw = text.encode("utf-8", "ignore")
    folded = raw.translate(_FOLD)
    return FoldedText(
        b" " + folded + b" ",
        folded.split(),
        raw.translate(_SHAPE, _NUMBER_SEPARATORS),
        raw,
        text,
    )


# --------------------------------------------------------------------------- vocabulary

_MED, _PATIENT, _PHRASE_HEAD, _MRN, _PHONE_WORD, _BIRTH, _NAME, _TITLE = 1, 2, 4, 8, 16, 32, 64, 128

_MEDICAL_VOCABULARY = (
    "inpatient outpatient diagnosis diagnoses diagnosed diagnose prognosis glucose insulin hiv "
    "chemotherapy chemo radiotherapy prescription prescriptions prescribed ecg ekg spo2 oncology "
    "oncologist tumor tumour tumors tumours cancer carcinoma metastasis metastatic diabetes "
    "diabetic hypertension hypotension hba1c cholesterol medication medications dosage biopsy mri "
    "radiology pathology cardiology cardiologist asthma copd hepatitis pregnancy pregnant "
    "antibiotic antibiotics antidepressant antidepressants symptoms comorbidity comorbidities mmhg "
    "arrhythmia tachycardia bradycardia pneumonia sepsis seizure seizures epilepsy dementia "
    "psychiatric psychiatrist icu triage dialysis opioid opioids morphine ventilator intubation "
    "anemia anaemia leukemia leukaemia lymphoma hipaa ehr emr clinician physician surgery surgical "
    "postoperative patients"
)


def _lexicon() -> dict[bytes, int]:
    flags: dict[bytes, int] = {}
    groups = (
        (_MED, _MEDICAL_VOCABULARY),
        (_PATIENT, "patient"),
        (_PHRASE_HEAD, "blood heart mg mmol ct medical"),
        (_MRN, "mrn"),
        (_PHONE_WORD, "call phone telephone tel mobile cell whatsapp fax"),
        (_BIRTH, "dob birth born"),
        (_NAME, "name"),
        (_TITLE, "mr mrs ms miss mx dr"),
    )
    for flag, words in groups:
        for word in words.split():
            flags[word.encode()] = flags.get(word.encode(), 0) | flag
    return flags


_LEXICON: Final = _lexicon()
_LEXICON_WORDS: Final = frozenset(_LEXICON)
_MEDICAL_PHRASES = (
    b" blood pressure",
    b" blood sugar",
    b" blood test",
    b" heart rate",
    b" mg dl",
    b" mmol l",
    b" ct scan",
    b" medical history",
    b" medical record",
)
# "Please be patient" is not about a patient.
_PATIENT_ADJECTIVE = (b" be patient", b" very patient", b" so patient", b" more patient")

# --------------------------------------------------------------------------- patterns

_A = re.ASCII
_EMAIL_RE = re.compile(r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])", _A)
# A stretch of 9+ digits with at most two separators between digits: where numbers worth a closer
# look live. It starts with \d so the matcher skips non-digits quickly, and (?<!\d\d) stops it
# retrying from the middle of a short number.
_NUMBER_SPAN_RE = re.compile(r"\d(?<!\d\d)(?:[ ().+-]{0,2}\d){8,}", _A)
_DIGIT_RUN_RE = re.compile(r"\d+", _A)
_SSN_RE = re.compile(r"(?<![\d-])(?!000|666|9)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])", _A)
_PHONE_RE = re.compile(
    r"(?<![\w+.-])(?:"
    r"\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){2,6}"  # international: +44 20 7946 0958
    r"|(?:1[ .-]?)?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}"  # US: (555) 123-4567
    r"|0[1-9]\d{1,3}[ -]?\d{3,4}[ -]?\d{3,4}"  # UK national: 020 7946 0958, 07700 900123
    r")(?![\w-]|\.\d)",
    _A,
)
_PLAIN_PHONE_RE = re.compile(r"(?<![\w+.-])\d{10,11}(?![\w-]|\.\d)", _A)
# HMRC format without the letters D/F/I/U/V and the never-issued prefixes. "QQ" is HMRC's specimen
# prefix and is accepted on purpose, so documentation examples are treated as real numbers.
_NINO_RE = re.compile(r"[A-CEGHJ-TW-Z][A-CEGHJ-TW-Z] ?\d\d ?\d\d ?\d\d ?[A-D]\b", _A)
_NINO_BAD_PREFIXES = frozenset({"BG", "GB", "KN", "NK", "NT", "TN", "ZZ"})
_MRN_RE = re.compile(
    r"\b(?:mrn|medical\s+record(?:\s+(?:number|num|no|#))?)\b\.?\s*(?:is\s+)?[:#=]?\s*"
    r"(?=[a-z0-9-]*\d)[a-z0-9-]{4,20}\b",
    re.ASCII | re.IGNORECASE,
)
_TITLED_NAME_RE = re.compile(r"(?:Mrs?|Ms|Miss|Mx|Dr)\b\.? +[A-Z][a-z'-]+", _A)
# Used with .match() where "patient" or "name" starts, found with str.find on the lowered text.
_LABELLED_NAME_RE = re.compile(r"(?i:patient|name)\b(?: [Nn]ame)?:? +[A-Z][a-z'-]+", _A)
_NAME_LABELS = ("patient", "name")
_DOB_RE = re.compile(
    r"\b(?:dob|date\s+of\s+birth|born(?:\s+on)?)\b\.?\s*[:-]?\s*\d", re.ASCII | re.IGNORECASE
)

_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_valid(digits: str) -> bool:
    """True if `digits` passes the Luhn check that every payment card number satisfies."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        total += _LUHN_DOUBLED[d] if i % 2 else d
    return total % 10 == 0


def _is_card_number(digits: str) -> bool:
    # A run of one repeated digit (0000...) passes Luhn but is a placeholder, not a card.
    if not 13 <= len(digits) <= 19 or digits.count(digits[0]) == len(digits):
        return False
    return luhn_valid(digits)


def _card_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where Luhn-valid card numbers sit in text[start:end].

    A card is one run of 13-19 digits, or groups of 3-6 digits after a first group of four, joined
    by one kind of separator (a space or a dash). Every start group is tried, so a card still
    counts when a CVV, an expiry or another number follows it after a single space.
    """
    runs = list(_DIGIT_RUN_RE.finditer(text, start, end))
    spans: list[tuple[int, int]] = []
    for i, first in enumerate(runs):
        if _is_card_number(first.group()):
            spans.append(first.span())
            continue
        if len(first.group()) != 4:
            continue
        digits, separator = first.group(), text[first.end() : first.end() + 1]
        for j in range(i + 1, min(i + 6, len(runs))):  # at most 19 digits: six groups of 3+
            prev, run = runs[j - 1], runs[j]
            gap = text[prev.end() : run.start()]
            if gap != separator or gap not in (" ", "-") or not 3 <= len(run.group()) <= 6:
                break
            digits += run.group()
            if len(digits) > 19:
                break
            if _is_card_number(digits):
                spans.append((first.start(), run.end()))
                break
    return spans


def _digit_count(text: str) -> int:
    raw = text.encode("utf-8", "ignore")
    return len(raw) - len(raw.translate(None, _DIGITS))


def _phone_length_ok(candidate: str) -> bool:
    """E.164 allows 15 digits with the country code; a UK national number has 10 or 11."""
    return 10 <= _digit_count(candidate) <= (11 if candidate[0] == "0" else 15)


def _word_start(text: str, index: int) -> bool:
    return index == 0 or not text[index - 1].isalnum()


def _has_email(text: str) -> bool:
    """An '@' with a domain after it and a local-part character before it."""
    for match in _EMAIL_RE.finditer(text):
        i = match.start()
        if i > 0 and (text[i - 1].isalnum() or text[i - 1] in "._%+-"):
            return True
    return False


# --------------------------------------------------------------------------- findings


def _span_findings(text: str, start: int, end: int, phone_word: bool) -> set[str]:
    """Card, phone and SSN inside one long-number window [start, end) of `text`."""
    found: set[str] = set()
    window = text[start:end]
    cards: list[tuple[int, int]] = []
    if _digit_count(window) >= 13:
        cards = _card_spans(text, start, end)
        if cards:
            found.add(PAYMENT_CARD)
    for match in _PHONE_RE.finditer(text, start, end):
        in_card = any(s <= match.start() < e for s, e in cards)  # card groups are not a phone
        if not in_card and _phone_length_ok(match.group()):
            found.add(PHONE)
            break
    # Unformatted 10-11 digit runs are too often ids or timestamps; trust them next to "call".
    if phone_word and _PLAIN_PHONE_RE.search(text, start, end):
        found.add(PHONE)
    if "-" in window and _SSN_RE.search(text, start, end):
        found.add(US_SSN)
    return found


def _long_numbers(text: str, phone_word: bool) -> set[str]:
    found: set[str] = set()
    for span in _NUMBER_SPAN_RE.finditer(text):
        # Reach back for a leading "+" or "(" and one char past the end for the boundary tests.
        start, end = max(0, span.start() - 2), min(len(text), span.end() + 1)
        found |= _span_findings(text, start, end, phone_word)
    return found


def _has_nino(text: str) -> bool:
    return any(
        _word_start(text, m.start()) and m.group()[:2] not in _NINO_BAD_PREFIXES
        for m in _NINO_RE.finditer(text)
    )


def _number_findings(text: str, folded: FoldedText, flags: int) -> list[str]:
    """Findings that need digits; each check runs only if the number shape allows it."""
    found: list[str] = []
    if b"000000000" in folded.shape:
        kinds = _long_numbers(text, bool(flags & _PHONE_WORD))
        found.extend(k for k in (PAYMENT_CARD, PHONE, US_SSN) if k in kinds)
    if b"AA000000A" in folded.shape and _has_nino(text):
        found.append(UK_NINO)
    mrn_gate = flags & _MRN or (flags & _PHRASE_HEAD and b" medical record" in folded.padded)
    if mrn_gate and _MRN_RE.search(text):
        found.append(MEDICAL_RECORD_NUMBER)
    return found


def _is_medical(folded: FoldedText, flags: int) -> bool:
    if flags & _MED:
        return True
    if flags & _PATIENT:
        adjectives = sum(folded.padded.count(p) for p in _PATIENT_ADJECTIVE)
        if folded.words.count(b"patient") > adjectives:
            return True
    return bool(flags & _PHRASE_HEAD) and any(p in folded.padded for p in _MEDICAL_PHRASES)


def _has_titled_name(text: str, flags: int) -> bool:
    return bool(flags & _TITLE) and any(
        _word_start(text, m.start()) for m in _TITLED_NAME_RE.finditer(text)
    )


def _has_labelled_name(text: str) -> bool:
    lowered = text.lower()
    if len(lowered) != len(text):  # a few letters lower-case to two chars: indices would drift
        return any(_word_start(text, m.start()) for m in _LABELLED_NAME_RE.finditer(text))
    for label in _NAME_LABELS:
        i = lowered.find(label)
        while i >= 0:
            if _word_start(text, i) and _LABELLED_NAME_RE.match(text, i):
                return True
            i = lowered.find(label, i + 1)
    return False


def _personal_findings(text: str, has_digits: bool, flags: int) -> Iterator[str]:
    """Names and birth dates: looked for only next to medical content, where they make PHI."""
    if _has_titled_name(text, flags) or (flags & (_PATIENT | _NAME) and _has_labelled_name(text)):
        yield PERSON_NAME
    if has_digits and flags & _BIRTH and _DOB_RE.search(text):
        yield DATE_OF_BIRTH


def _level(found: list[str]) -> PrivacyLevel:
    kinds = frozenset(found)
    if kinds & _ALWAYS_REGULATED or (MEDICAL_TERM in kinds and kinds & _IDENTIFIERS):
        return PrivacyLevel.REGULATED
    if kinds & _SENSITIVE:
        return PrivacyLevel.SENSITIVE
    return PrivacyLevel.PUBLIC


def detect_privacy(
    text: str, folded: FoldedText | None = None
) -> tuple[PrivacyLevel, tuple[str, ...]]:
    """Classify `text` and name what was found (kinds in a fixed order, no duplicates).

    Pass `folded` (from `fold_text(text)`) when the caller has folded the text already, so the
    ContextAgent pays for one fold per request. The patterns read `folded.text`, the text after
    `detection_text`.
    """
    if folded is None:
        folded = fold_text(text)
    text = folded.text
    flags = 0
    for word in _LEXICON_WORDS.intersection(folded.words):
        flags |= _LEXICON[word]
    found: list[str] = []
    if "@" in text and _has_email(text):
        found.append(EMAIL)
    has_digits = b"0" in folded.shape
    if has_digits:
        found.extend(_number_findings(text, folded, flags))
    if _is_medical(folded, flags):
        found.append(MEDICAL_TERM)
        found.extend(_personal_findings(text, has_digits, flags))
    if not found:
        return PrivacyLevel.PUBLIC, ()
    return _level(found), tuple(found)
