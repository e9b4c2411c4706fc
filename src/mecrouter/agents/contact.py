"""Emails, phone numbers and medical record numbers as spans, and payment cards (`cards`) in
the windows around long numbers.

The regexes that scan a whole text start with a character class, so CPython's matcher skips ahead
in C; the precise ones run only inside the short window around a long number.
"""

from __future__ import annotations

import re
from typing import Final

from mecrouter.agents.cards import CARD_WORDS, PAYMENT_CARD, card_spans
from mecrouter.agents.nearby import (
    find_all,
    leading_date,
    thing_label_before,
    word_before,
    word_ends,
)

Span = tuple[int, int, str]

EMAIL = "email"
PHONE = "phone"
MEDICAL_RECORD_NUMBER = "medical_record_number"

_A = re.ASCII
_EMAIL_RE = re.compile(r"@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}(?![\w-])", _A)
# A stretch of 9+ digits with at most two separators between digits: where numbers worth a closer
# look live. (?<!\d\d) stops the matcher retrying from the middle of a short number.
_NUMBER_SPAN_RE = re.compile(r"\d(?<!\d\d)(?:[ ().+/-]{0,2}\d){8,}", _A)
_PHONE_RE = re.compile(
    r"(?<![\w+.-])(?:"
    r"\+\d{1,3}(?:[ .-]?\(?\d{1,5}\)?){2,6}"  # international: +44 20 7946 0958
    r"|00[1-9]\d{0,2}(?:[ .-]?\(?\d{1,5}\)?){2,6}"  # international with 00: 0049 30 1234567
    r"|(?:1[ .-])?(?:\(\d{3}\) ?|\d{3}[ .-])\d{3}[ .-]\d{4}"  # US: (555) 123-4567
    r"|0[1-9](?:[ .]\d\d){4}"  # French: 06 12 34 56 78
    r"|\(?0[1-9]\d{1,4}\)?[ /-]?\d{2,4}[ -]?\d{2,4}"  # 020 7946 0958, 030/123456
    r")(?:\s?(?:x|ext\.?)\s?\d{1,6})?(?![\w-]|\.\d)",  # an extension: x204, ext. 12
    _A,
)
# After a phone word: any 6-15 digits in groups, as people write them (93-8017-2673, 5152.8188).
_LOOSE_PHONE_RE = re.compile(
    r"(?<![\w+.-])\+?\(?\d{1,5}\)?(?:[ ./-]{0,2}\(?\d{1,5}\)?){1,6}"
    r"(?:\s?(?:x|ext\.?)\s?\d{1,6})?(?![\w-]|\.\d)",
    _A,
)
# An IBAN-shaped start and the groups after it, ending where a candidate starts.
_IBAN_HEAD_RE = re.compile(r"[A-Z]{2}\d\d(?:[ -]?[A-Z0-9]{2,4}){0,7}[ -]?$", _A)
_PLAIN_PHONE_RE = re.compile(r"(?<![\w+.-])\d{9,12}(?![\w-]|\.\d)", _A)
# Record-number labels in the corpus languages. A medical record word stands alone ("MRN",
# "historia clínica", "cartella clinica", "Patientennummer"); a patient or file word needs a number
# word after it ("Patienten-Nr.", "patient ID", "numéro patient"), since "dossier 123" or "case 4"
# may be any file.
_MRN_NUMBER_WORD = r"(?:id|number|num|no|nr|n\.?[°ºo]|n\.|ref|nummer|num[ée]ro|n[uú]mero|code|#)"
_MRN_WORD = (
    r"mrn|nhc|ipp|(?:medical|health|hospital|clinical)\s+record|"
    r"patient(?:en|in)?nummer|pati[ëe]ntnummer|pasientnummer|potilasnumero|journalnummer|"
    r"ziekenhuisnummer|krankenakte|dossier\s+(?:m[ée]dical|patient|clinique)|"
    r"historia\s+cl[ií]nica|expediente\s+(?:cl[ií]nico|m[ée]dico)|cartella\s+clinica|"
    r"processo\s+cl[ií]nico|prontu[aá]rio|numer\s+historii\s+choroby|n[uú]mero\s+de\s+historia|"
    r"(?:patient(?:en|in)?|pat|pati[ëe]nt|paziente|paciente|pacjenta|hospital|chart|case|unit|"
    rf"clinic|fall|utente)(?=[\s.-]*{_MRN_NUMBER_WORD}(?!\w))|"
    r"(?:num[ée]ro|n[uú]mero|numer|n[°º]|nr\.?)\s+(?:de\s+|du\s+|di\s+|del\s+)?"
    r"(?:patient|paciente|paziente|pacjenta|utente)"
)
_MRN_RE = re.compile(
    rf"\b(?:{_MRN_WORD})"
    rf"(?:[\s.-]*{_MRN_NUMBER_WORD})?\.?"
    r"\s*(?:(?:is|ist|est|es|è|er|är|on|jest|lautet)\s+)?[:#=]?\s*"
    # ... but not the customs MRN (Movement Reference Number: year, country, 14 letters and
    # digits, "24DE378044EJYY8956") of an export or transit declaration
    r"(?!(?-i:\d\d[A-Z]{2}[A-Z0-9]{14})\b)(?=[a-z0-9/-]*\d)[a-z0-9][a-z0-9/-]{3,19}\b",
    re.IGNORECASE,
)
# The first letters of every label `_MRN_RE` knows, so a match can start only where one stands.
_MRN_HEADS: Final = (
    "mrn", "nhc", "ipp", "medical", "health", "clinical", "hospital", "pat", "pasient", "potilas",
    "journal", "ziekenhuis", "krankenakte", "dossier", "historia", "expediente", "cartella",
    "processo", "prontu", "num", "núm", "n°", "nº", "nr", "paziente", "paciente", "pacjenta",
    "chart", "case", "unit", "clinic", "fall", "utente",
)  # fmt: skip
PHONE_WORDS: Final = (
    "call",
    "phone",
    "tel",
    "mobile",
    "cell ",  # a whole word: "cellules 299 000/ml" (French cells) is no phone word
    "cell:",
    "cell.",
    "cellulaire",
    "whatsapp",
    "fax",
    "contact",
    "reach",
    "text me",
    "sms",
    "telefon",
    "handy",
    "mobil",
    "téléphone",
    "portable",
    "teléfono",
    "móvil",
    "celular",
    "telefono",
    "cellulare",
    "puhelin",
    "tlf",
    "numer telefonu",
    "telefonu",
    "kontakt",
    "puh",
    "telefoon",
    "mobiel",
    "mob",
    "telemóvel",
    "telefone",
    "komórka",
    "cellphone",
    "landline",
    "ring",
    "dial",
    "new number",
    "my number",
    "meine nummer",
    "meiner nummer",
    "mon numéro",
    "mon numero",
    "mi número",
    "mi numero",
    "book on",
    "erreichbar",
    "rückruf",
    "anruf",
    "ruf",
    "joignable",
    "joindre",
    "rappel",
    "appel",
    "llam",
    "llám",
    "localizable",
)
# Words that start like one of `PHONE_WORDS` but name no phone: "telemetry", "tell", "Telaio"
# (Italian: a frame), "Calle" (a Spanish street; not "callback", a number to call back),
# "Dialysis", "dialog", "mobility", "mobilier", "Ringkøbing", "ringworm", "Puhallin" (Finnish: a
# fan), "puhdistus" (cleaning), "handyman", "appellation", "contactor", a call's id ("Call ID
# 1234567890") and a conference's dial-in code.
_NOT_PHONE_WORDS: Final = (
    "telemetr", "telescop", "teleskop", "telaio", "tela ", "televis", "telewiz", "teleport",
    "telomer", "telangi", "telefér", "telesill", "tell", "calle", "calla", "callo", "calli",
    "callus", "contactor", "mobilit", "mobilis", "mobiliz", "mobilia", "mobilie", "mobb", "dialy",
    "dialog", "dialect", "dialekt", "dialett", "ringk", "ringst", "ringworm", "ringroad", "puhal",
    "puhd", "handym", "appella", "call id", "call_id", "call-id", "callid", "anruf-id",
    "anruf id", "dial-in code", "dial-in pin",
)  # fmt: skip
# Verbs that name a phone only when the number follows at once: "text 07700 900123 saying ...",
# "rang from 0417.667.518"; "the text 2024-06-16 10:00" and "the range 100-250" are no phones.
_ADJACENT_PHONE_WORDS: Final = ("text", "texting", "rang from", "rang in from", "rang us from")
# ... or after "text", "call" or "ring" someone "on" or "at": "text Mitali Chandran on ...".
_ADJACENT_PHONE_RE: Final = re.compile(
    r"(?:^|(?<=\W))(?:(?:" + "|".join(_ADJACENT_PHONE_WORDS) + r")"
    r"|(?:text|call|ring|phone|whatsapp)(?:\s+[\w'’-]+){1,3}\s+(?:on|at))[\s:]{1,3}$"
)
# ... and "text" is the noun after these: "the text 12345678", "plain text 2024-06-16".
_TEXT_NOUN_BEFORE: Final = frozenset(
    ("the", "this", "that", "a", "an", "of", "plain", "raw", "full", "sample", "input")
)
# The words of `PHONE_WORDS` as they are also written, for the one-word gate in `privacy`
# (which matches whole words, where `_word_before` matches word starts).
PHONE_GATE_WORDS: Final = (
    *(w for w in PHONE_WORDS if " " not in w and not w.startswith("cell")),
    "cell", "called", "calling", "calls", "phoned", "phoning", "reached", "reachable", "texted",
    "text", "texting", "rang",
    "ringing", "number", "rückrufnummer", "anrufen", "ruft", "rufen", "rappelez", "rappeler",
    "appelez", "appeler", "appelle", "llámame", "llamar", "llame", "llamada", "llámeme", "nummer",
    "numéro", "numero", "número",
)  # fmt: skip
_DIGITS = b"0123456789"
_PHONE_CONTEXT_CHARS = 40
# A quantity is no phone number: digits in thousands ("2.345.678", "1 234 567", "12,345,678";
# not "612 345 678", a Spanish mobile), or a number with a unit after it.
_THOUSANDS_RE: Final = re.compile(
    r"[1-9]\d?([. '\u00a0\u202f])\d{3}(?:\1\d{3})+|[1-9]\d{0,2}(?:,\d{3}){2,}", _A
)
_UNIT_AFTER_RE: Final = re.compile(
    r"\s?(?:%|(?:[kmgt]i?b|bytes|[kmg]bps|ms|km|kg|mah|[km]?wh|kw|hz|mhz|ghz)\b)",
    re.IGNORECASE,
)
# An IPv4 address ("reach the gateway at 172.31.200.1") is no phone number.
_OCTET = r"(?:25[0-5]|2[0-4]\d|1?\d?\d)"
_IPV4_RE: Final = re.compile(rf"(?:{_OCTET}\.){{3}}{_OCTET}$")


def _digit_count(text: str) -> int:
    raw = text.encode("utf-8", "ignore")
    return len(raw) - len(raw.translate(None, _DIGITS))


_EXTENSION_RE: Final = re.compile(r"\s?(?:x|ext\.?)\s?\d{1,6}$")
_EXTENSION_AFTER_RE: Final = re.compile(r"\s?(?:x|ext\.?)\s?\d{1,6}")


def _phone_length_ok(candidate: str) -> bool:
    """E.164 allows 15 digits with the country code ("+" or "00"); a national number has 9 to
    11. An extension ("x8483") is not part of the number."""
    number = _EXTENSION_RE.sub("", candidate)
    national = number[0] in "0(" and not number.startswith("00")
    return 9 <= _digit_count(number) <= (11 if national else 15)


def email_spans(text: str) -> list[Span]:
    """An '@' with a domain after it and a local part before it."""
    spans: list[Span] = []
    for match in _EMAIL_RE.finditer(text):
        i = match.start()
        while i > 0 and (text[i - 1].isalnum() or text[i - 1] in "._%+-"):
            i -= 1
        if i < match.start() and not _role_mailbox(text[i : match.start()]):
            spans.append((i, match.end(), EMAIL))
    return spans


# A mailbox named by its role, not a person ("support@", "no-reply@", "data-team@").
_ROLE_MAILBOX_WORDS: Final = frozenset(
    """
    support info noreply no reply donotreply do not admin administrator sales billing accounts
    accounting invoices invoice alerts alert ops devops sre help helpdesk servicedesk service
    services contact team hello webmaster postmaster hostmaster abuse security privacy dpo hr
    jobs careers office reception kontakt bestellung rechnung kundenservice compta contacto
    ventas soporte atencion clientes ci build bot notifications notify newsletter marketing press
    orders order shop store finance legal it data feedback mailer system root monitoring status
    backup reports enquiries inquiries
    """.split()  # noqa: SIM905
)


def _role_mailbox(local: str) -> bool:
    words = [w for w in re.split(r"[._+-]+", local.lower().strip("0123456789")) if w]
    return bool(words) and all(w in _ROLE_MAILBOX_WORDS for w in words)


def _labelled_thing(
    lowered: str, start: int, own_words: tuple[str, ...], unless: tuple[str, ...] = ()
) -> bool:
    """A thing's label stands before `start`, nearer than any of the kind's `own_words`."""
    thing = thing_label_before(lowered, start)
    if thing < 0:
        return False
    own = word_before(lowered, start, own_words, _PHONE_CONTEXT_CHARS, unless)
    return own < 0 or thing < own


def _labelled_not_phone(lowered: str, start: int) -> bool:
    return _labelled_thing(lowered, start, PHONE_WORDS, _NOT_PHONE_WORDS)


def _phone_word_before(lowered: str, start: int) -> bool:
    return word_before(lowered, start, PHONE_WORDS, _PHONE_CONTEXT_CHARS, _NOT_PHONE_WORDS) >= 0


def _after_phone_verb(lowered: str, start: int) -> bool:
    """Whether a number at `start` follows one of `_ADJACENT_PHONE_WORDS` at once, "text" as a
    verb (not after "the", "plain"...)."""
    match = _ADJACENT_PHONE_RE.search(lowered, max(0, start - 48), start)
    if match is None:
        return False
    before = lowered[: match.start()].rsplit(None, 1)[-1:]
    return not (before and before[0] in _TEXT_NOUN_BEFORE)


def bare_phone(text: str, lowered: str, start: int) -> bool:
    """A phone found by its shape alone: no "+" before it and no phone word near it. National
    formats ("06 13 56 38 36", "040 422 9335") are also how order, part and sensor numbers are
    grouped, so such a number counts only beside other personal data (see `privacy`)."""
    return not (
        text[start] == "+"
        or _phone_word_before(lowered, start)
        or _after_phone_verb(lowered, start)
    )


def _after_iban_head(text: str, start: int) -> bool:
    """A candidate that continues an IBAN-shaped number (one that failed its check)."""
    return _IBAN_HEAD_RE.search(text, max(0, start - 40), start) is not None


def _joined_before(text: str, start: int) -> bool:
    """A digit group joined by one separator stands just before `start`."""
    return start >= 2 and text[start - 1] in " .-" and text[start - 2].isdigit()


def _phone_ok(text: str, lowered: str, start: int, end: int) -> bool:
    """A formatted phone counts unless it continues a longer number or an id label is nearer
    before it than any phone word; an unformatted one needs a phone word."""
    if _joined_before(text, start) or _after_iban_head(text, start):
        return False
    if _labelled_not_phone(lowered, start) or leading_date(text[start:end]) > 0:
        return False
    if _quantity(text, start, end):
        return False
    digits = text[start:end]
    if _phone_word_before(lowered, start):
        return True
    if digits[0] == "+":
        return _possible_international(digits)
    return not digits.isdigit()


def _possible_international(number: str) -> bool:
    """Whether a "+" number with no phone word before it looks like a real phone number
    (`phonenumbers`, loaded on first use: its import costs ~40 ms).

    It counts when its digits are a valid number of its country, or when it has 10 digits or
    more and a length that country allows (generated and mistyped numbers need not be valid),
    or when its country code does not exist but it has 11 digits or more. A short one that is
    not valid ("+48 831 6685", "+02 498 5450") is some other code written with a plus."""
    import phonenumbers

    number = _EXTENSION_RE.sub("", number)
    digits = _digit_count(number)
    try:
        parsed = phonenumbers.parse(number, None)
    except phonenumbers.NumberParseException:
        return digits >= 11
    if parsed.country_code not in phonenumbers.COUNTRY_CODE_TO_REGION_CODE:
        return digits >= 11
    if phonenumbers.is_valid_number(parsed):
        return True
    return digits >= 10 and bool(phonenumbers.is_possible_number(parsed))


def _window_spans(text: str, lowered: str, start: int, end: int) -> list[Span]:
    spans: list[Span] = []
    if _digit_count(text[start:end]) >= 14:
        cards = card_spans(text, start, end)
        spans.extend(
            (s, e, PAYMENT_CARD)
            for s, e in cards
            if not _after_iban_head(text, s) and not _labelled_thing(lowered, s, CARD_WORDS)
        )
    for match in _PHONE_RE.finditer(text, start, end):
        in_card = any(s <= match.start() < e for s, e, _ in spans)  # card groups are no phone
        if (
            not in_card
            and _phone_length_ok(match.group())
            and _phone_ok(text, lowered, *match.span())
        ):
            spans.append((match.start(), match.end(), PHONE))
    # Unformatted 9-12 digit runs are too often ids or timestamps; trust them next to "call".
    for match in _PLAIN_PHONE_RE.finditer(text, start, end):
        if (
            _phone_word_before(lowered, match.start())
            and not _labelled_not_phone(lowered, match.start())
            and not _quantity(text, *match.span())
        ):
            spans.append((match.start(), match.end(), PHONE))
    return spans


def _digits_before_extension(number: str) -> int:
    """How many digits `number` has before an extension ("x110", "ext 12")."""
    return _digit_count(number.split("x")[0].split("ext")[0])


def _quantity(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is an amount ("Calls handled: 1 234 567", "Mobile data 2.345.678
    kB") rather than a phone number."""
    return _THOUSANDS_RE.fullmatch(text, start, end) is not None or bool(
        _UNIT_AFTER_RE.match(text, end)
    )


def _number_after(text: str, end: int) -> re.Match[str] | None:
    """The first number in the phone window after `end` that is no date: "Calls on 2023-08-25:
    635" holds none, "Call me on 2023-08-25 at 555 0134" holds "555 0134"."""
    stop = end + _PHONE_CONTEXT_CHARS
    match = _LOOSE_PHONE_RE.search(text, end, stop)
    while match is not None and (date := leading_date(match.group())):
        match = _LOOSE_PHONE_RE.search(text, match.start() + date, stop)
    return match


def context_phone_spans(text: str, lowered: str) -> list[Span]:
    """Numbers of 6-15 digits in any grouping within a few words after a phone word."""
    spans: list[Span] = []
    for end in word_ends(lowered, PHONE_WORDS, unless=_NOT_PHONE_WORDS):
        match = _number_after(text, end)
        if match is None or _joined_before(text, match.start()) or _IPV4_RE.match(match.group()):
            continue
        if _labelled_not_phone(lowered, match.start()) or _quantity(text, *match.span()):
            continue  # "mobile app version 828098", "fax machine model 8764076964"
        if 6 <= _digits_before_extension(match.group()) <= 15:
            spans.append((match.start(), match.end(), PHONE))
    for end in word_ends(lowered, _ADJACENT_PHONE_WORDS):
        match = _number_after(text, end)
        if match is None or not _after_phone_verb(lowered, match.start()):
            continue
        if _IPV4_RE.match(match.group()):
            continue
        if 7 <= _digits_before_extension(match.group()) <= 15:
            spans.append((match.start(), match.end(), PHONE))
    return spans


def number_spans(text: str, lowered: str) -> list[Span]:
    """Cards and phones in the windows around long numbers."""
    spans: list[Span] = []
    for span in _NUMBER_SPAN_RE.finditer(text):
        # Reach back for a leading "+" or "(", and past an extension ("x8483") and one more
        # char for the boundary tests.
        extension = _EXTENSION_AFTER_RE.match(text, span.end())
        tail = extension.end() if extension else span.end()
        start, end = max(0, span.start() - 2), min(len(text), tail + 1)
        spans.extend(_window_spans(text, lowered, start, end))
    return spans


def mrn_spans(text: str, lowered: str) -> list[Span]:
    """A record-number label and the number after it.

    In an ASCII text the pattern is tried only where a label starts (found with `str.find` on
    the lower-cased text), which finds what scanning every position would; other texts are
    scanned, since case-insensitive matching also lets "ı", "İ" and "ſ" stand for ASCII letters.
    """
    if not text.isascii():
        return [(m.start(), m.end(), MEDICAL_RECORD_NUMBER) for m in _MRN_RE.finditer(text)]
    spans: list[Span] = []
    end = 0
    for start in sorted(_label_starts(lowered)):
        if start < end:
            continue
        match = _MRN_RE.match(text, start)
        if match:
            spans.append((start, match.end(), MEDICAL_RECORD_NUMBER))
            end = match.end()
    return spans


def _label_starts(lowered: str) -> set[int]:
    return {i for i, _ in find_all(lowered, _MRN_HEADS)}
