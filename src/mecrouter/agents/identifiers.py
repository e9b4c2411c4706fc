"""Recognisers for national, medical and financial identifiers: shape, then context, then checksum.

Each recogniser is a pattern run only when the text's number shape can hold it, a context rule
(ids whose check digit is weak, one in ten, count only after a word naming them: a 9-digit order
id passes some checksum one time in three) and a `stdnum` validator or a short check of our own.
Spans are claimed in table order, so a number is reported as one kind only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final, NamedTuple

from stdnum.au import tfn as _tfn
from stdnum.br import cpf as _cpf
from stdnum.ca import sin as _sin
from stdnum.de import idnr as _idnr
from stdnum.es import dni as _dni
from stdnum.es import nie as _nie
from stdnum.fi import hetu as _hetu
from stdnum.fr import nir as _nir
from stdnum.gb import nhs as _nhs
from stdnum.in_ import aadhaar as _aadhaar
from stdnum.in_ import pan as _pan
from stdnum.it import codicefiscale as _cf
from stdnum.jp import in_ as _jp_in
from stdnum.nl import bsn as _bsn
from stdnum.no import fodselsnummer as _fnr
from stdnum.pl import pesel as _pesel
from stdnum.se import personnummer as _pnr

from mecrouter.agents.id_checks import (
    au_medicare_valid,
    cn_valid,
    compact,
    dk_valid,
    iban_valid,
    itin_valid,
    nino_valid,
    ssn_valid,
)
from mecrouter.agents.nearby import labelled_thing, text_before, thing_label_before

Span = tuple[int, int, str]

IBAN = "iban"
BANK_ACCOUNT = "bank_account"
PASSPORT = "passport"
US_SSN = "us_ssn"
US_ITIN = "us_itin"
US_MBI = "us_mbi"
UK_NINO = "uk_nino"
UK_NHS = "uk_nhs"
DE_TAX_ID = "de_tax_id"
FR_NIR = "fr_nir"
ES_DNI = "es_dni"
ES_NIE = "es_nie"
IT_FISCAL_CODE = "it_fiscal_code"
PL_PESEL = "pl_pesel"
NL_BSN = "nl_bsn"
IN_AADHAAR = "in_aadhaar"
IN_PAN = "in_pan"
CA_SIN = "ca_sin"
AU_TFN = "au_tfn"
AU_MEDICARE = "au_medicare"
BR_CPF = "br_cpf"
CN_RESIDENT_ID = "cn_resident_id"
JP_MY_NUMBER = "jp_my_number"
SE_PERSONNUMMER = "se_personnummer"
NO_FODSELSNUMMER = "no_fodselsnummer"
DK_CPR = "dk_cpr"
FI_HETU = "fi_hetu"

_CONTEXT_CHARS: Final = 100  # a naming word may stand a sentence before ("my TFN ... it's 634...")
# Words naming a national id without saying which ("national_id" in a fixture, "ID number" on
# a form): they lead every national id whose format and check the number passes.
_ANY_NATIONAL_ID: Final = (
    "national id", "national_id", "nationalid", "national identity", "national identification",
    "identity number", "identification number", "government id",
    "citizen id", "personal id", "id number", "id no", "id card", "id-nr", "ausweisnummer",
    "personalausweis", "numéro d identité", "numero de identidad", "número de identidad",
)  # fmt: skip
_L = r"(?<![0-9A-Za-z])"  # left boundary
_R = r"(?![0-9A-Za-z])"  # right boundary
_NINE = r"\d{3}[ .-]?\d{3}[ .-]?\d{3}"


_SE_NAMES: Final = (
    "personnummer",
    "personnr",
    "person nr",
    "person-nr",
    "pnr",
    "personal identity",
)
_DE_TAX_NAMES: Final = (
    "steuer", "idnr", "identifikationsnummer", "tax id", "tax identification", "tin",
    "tax number", "steuernummer", "id-nr", "tax-id",
)  # fmt: skip


def _safe(check: Callable[[str], bool]) -> Callable[[str], bool]:
    return lambda value: check(compact(value))


class _Recogniser(NamedTuple):
    kind: str
    gate: bytes  # must be in the number shape
    pattern: re.Pattern[str]
    valid: Callable[[str], bool]
    context: tuple[str, ...]  # one must stand just before the number; () for none
    formatted: re.Pattern[str] | None = None  # a format that stands without context
    outline: re.Pattern[bytes] | None = None  # the whole id's shape, when `gate` is common


def _re(body: str) -> re.Pattern[str]:
    return re.compile(_L + body + _R, re.ASCII)


_MBI_L = "[AC-HJKMNP-RT-Y]"
_MBI_LD = "[AC-HJKMNP-RT-Y0-9]"

_RECOGNISERS: Final = (
    _Recogniser(
        IBAN,
        b"AA00",
        _re(r"[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,3})?"),
        iban_valid,
        (),
        outline=re.compile(rb"AA00[A0]{8}"),
    ),
    _Recogniser(CN_RESIDENT_ID, b"0" * 17, _re(r"\d{6} ?\d{8} ?\d{3}[\dX]"), cn_valid, ()),
    _Recogniser(
        FR_NIR,
        b"000000",
        _re(r"[12] ?\d\d ?\d\d ?(?:\d\d|2[AB]) ?\d{3} ?\d{3} ?\d\d"),
        _safe(_nir.is_valid),
        (),
        outline=re.compile(rb"0{6}[0A]0{8}"),  # Corsica's departments are 2A and 2B
    ),
    _Recogniser(
        BR_CPF,
        b"0" * 11,
        _re(r"\d{3}\.?\d{3}\.?\d{3}-?\d\d"),
        _safe(_cpf.is_valid),
        ("cpf", "cadastro", *_ANY_NATIONAL_ID),
        re.compile(r"\d{3}\.\d{3}\.\d{3}-\d\d"),
    ),
    _Recogniser(
        FI_HETU,
        b"000000",
        _re(r"\d{6}[-+A-FU-Y]\d{3}[0-9A-Y]"),
        lambda v: bool(_hetu.is_valid(v.upper())),
        (),
    ),
    _Recogniser(
        SE_PERSONNUMMER,
        b"0" * 10,
        _re(r"(?:19|20)?\d{6}[-+ ]?\d{4}"),
        _safe(_pnr.is_valid),
        (*_SE_NAMES, *_ANY_NATIONAL_ID),
        re.compile(r"(?:\d{8}|\d{6})[-+]\d{4}"),
    ),
    _Recogniser(
        DK_CPR,
        b"0" * 10,
        _re(r"\d{6}-?\d{4}"),
        dk_valid,
        ("cpr", "personnummer", *_ANY_NATIONAL_ID),
        re.compile(r"\d{6}-\d{4}"),
    ),
    _Recogniser(NO_FODSELSNUMMER, b"0" * 11, _re(r"\d{6} ?\d{5}"), _safe(_fnr.is_valid), ()),
    _Recogniser(PL_PESEL, b"0" * 11, _re(r"\d{11}"), _safe(_pesel.is_valid), ()),
    _Recogniser(
        DE_TAX_ID,
        b"0" * 11,
        _re(r"\d{2} ?\d{3} ?\d{3} ?\d{3}"),
        _safe(_idnr.is_valid),
        _DE_TAX_NAMES,
    ),
    _Recogniser(
        IN_AADHAAR,
        b"0" * 12,
        _re(r"[2-9]\d{3}[ -]?\d{4}[ -]?\d{4}"),
        _safe(_aadhaar.is_valid),
        ("aadhaar", "aadhar", "uid", "आधार", *_ANY_NATIONAL_ID),
        re.compile(r"\d{4} \d{4} \d{4}"),
    ),
    _Recogniser(
        JP_MY_NUMBER,
        b"0" * 12,
        _re(r"\d{4}[ -]?\d{4}[ -]?\d{4}"),
        _safe(_jp_in.is_valid),
        (
            "my number",
            "mynumber",
            "マイナンバー",
            "個人番号",
            "individual number",
            *_ANY_NATIONAL_ID,
        ),
    ),
    _Recogniser(
        AU_MEDICARE,
        b"0" * 10,
        _re(r"[2-6]\d{3} ?\d{5} ?\d(?:[ -/]?\d)?"),
        au_medicare_valid,
        ("medicare",),
    ),
    _Recogniser(
        UK_NHS,
        b"0" * 10,
        _re(r"\d{3}[ -]?\d{3}[ -]?\d{4}"),
        _safe(_nhs.is_valid),
        ("nhs", "chi number", "health service"),
    ),
    _Recogniser(
        US_ITIN,
        b"0" * 9,
        _re(r"9\d\d[- ]?\d\d[- ]?\d{4}"),
        itin_valid,
        ("itin", "taxpayer", "contribuable", "steuerzahler", "contribuyente", *_ANY_NATIONAL_ID),
        re.compile(r"9\d\d-\d\d-\d{4}"),
    ),
    _Recogniser(
        US_SSN,
        b"0" * 9,
        _re(r"\d{3}[- ]?\d\d[- ]?\d{4}"),
        ssn_valid,
        ("ssn", "social security", "soc sec", "ss#", "ss #", *_ANY_NATIONAL_ID),
        re.compile(r"\d{3}-\d\d-\d{4}"),
    ),
    _Recogniser(
        CA_SIN,
        b"0" * 9,
        _re(_NINE),
        _safe(_sin.is_valid),
        ("sin", "social insurance", "assurance sociale", "nas", *_ANY_NATIONAL_ID),
    ),
    _Recogniser(
        AU_TFN,
        b"0" * 8,
        _re(r"\d{3}[ -]?\d{3}[ -]?\d{2,3}"),
        _safe(_tfn.is_valid),
        ("tfn", "tax file", *_ANY_NATIONAL_ID),
    ),
    _Recogniser(
        NL_BSN,
        b"0" * 8,
        _re(r"\d{4}[ .]?\d{2}[ .]?\d{3}|\d{4}\.?\d{2}\.?\d{2}|" + _NINE),
        _safe(_bsn.is_valid),
        ("bsn", "burgerservice", "sofi", *_ANY_NATIONAL_ID),
    ),
    _Recogniser(
        ES_DNI,
        b"00000000A",
        _re(r"\d{2}\.?\d{3}\.?\d{3}[ -]?[A-Z]"),
        _safe(_dni.is_valid),
        (),
    ),
    _Recogniser(ES_NIE, b"A0000000A", _re(r"[XYZ][ -]?\d{7}[ -]?[A-Z]"), _safe(_nie.is_valid), ()),
    _Recogniser(
        IT_FISCAL_CODE,
        b"AAAAAA00A00A000A",
        _re(r"[A-Z]{6}\d\d[A-Z]\d\d[A-Z]\d{3}[A-Z]"),
        _safe(_cf.is_valid),
        (),
    ),
    _Recogniser(
        # The fourth letter is the holder: P a person; C, F, H, T... a company, firm, family or
        # trust, whose PAN is no one's.
        IN_PAN,
        b"AAAAA0000A",
        _re(r"[A-Z]{3}P[A-Z]\d{4}[A-Z]"),
        _safe(_pan.is_valid),
        (),
    ),
    _Recogniser(
        US_MBI,
        b"AA00",
        _re(rf"[1-9]{_MBI_L}{_MBI_LD}\d-?{_MBI_L}{_MBI_LD}\d-?{_MBI_L}{{2}}\d\d"),
        lambda _: True,
        (),
        outline=re.compile(rb"0A[A0]0A[A0]0AA00"),
    ),
    _Recogniser(
        UK_NINO, b"AA000000A", _re(r"[A-CEGHJ-TW-Z]{2} ?\d\d ?\d\d ?\d\d ?[A-D]"), nino_valid, ()
    ),
)
_LETTERED: Final = tuple(rec for rec in _RECOGNISERS if b"A0" in rec.gate)
_NON_WORD = re.compile(r"[^\w/#'’-]+")


# Id words that are also common words ("sin" is Spanish for without, "nas" Portuguese for "in
# the", "tin" a metal): they name an id only in capitals ("SIN", "NAS", "TIN").
_CAPITALS_ONLY: Final = frozenset(("sin", "nas", "tin"))


def has_context(
    lowered: str, start: int, words: tuple[str, ...], chars: int = _CONTEXT_CHARS, text: str = ""
) -> bool:
    """One of `words` starts a word in the `chars` characters before `start`; one of four letters
    or fewer is not followed by a letter ("nas" is in "NAS" and "BSN-nummer" holds "bsn", but the
    Polish "naszego" holds no "nas"), and one of `_CAPITALS_ONLY` is in capitals in `text` (the
    text `lowered` lower-cases; not checked when it is not given)."""
    window = _NON_WORD.sub(" ", " " + text_before(lowered, start, chars)) + " "
    cased = _NON_WORD.sub(" ", " " + text_before(text, start, chars)) + " " if text else ""
    return any(_starts_word(window, word, cased) for word in words)


def _starts_word(window: str, word: str, cased: str) -> bool:
    i = window.find(" " + word)
    while i >= 0:
        end = i + 1 + len(word)
        if (len(word) > 4 or not window[end].isalpha()) and (
            word not in _CAPITALS_ONLY or len(cased) != len(window) or cased[i + 1 : end].isupper()
        ):
            return True
        i = window.find(" " + word, i + 1)
    return False


def in_longer_number(text: str, start: int, end: int) -> bool:
    """`text[start:end]` is a piece of a longer grouped number: a digit group joined to it by one
    separator stands before or after it ("DE32 [5182 6259 1909] 4945"), as in an IBAN that
    failed its check or a list of numbers."""
    before, after = text[max(0, start - 2) : start], text[end : end + 2]
    joined_before = len(before) == 2 and before[1] in " .-" and before[0].isdigit()
    joined_after = len(after) == 2 and after[0] in " .-" and after[1].isdigit()
    return joined_before or joined_after


def overlaps(spans: list[Span], start: int, end: int) -> bool:
    return any(s < end and start < e for s, e, _ in spans)


def _accept(rec: _Recogniser, match: re.Match[str], lowered: str) -> bool:
    value = match.group()
    formatted = rec.formatted is not None and rec.formatted.fullmatch(value)
    # Without a naming word only its grouping claims it, and not after a thing's label.
    unnamed = rec.context and not has_context(
        lowered, match.start(), rec.context, text=match.string
    )
    if unnamed and (not formatted or thing_label_before(lowered, match.start()) >= 0):
        return False
    if not rec.valid(value):
        return False
    # "order 23640161489" passes PESEL's check one time in sixty (the check first: it is cheaper).
    return bool(rec.context) or not rec.gate.isdigit() or not labelled_thing(lowered, match.start())


# Where digit-only ids can be: 6+ digits with short separators, plus a character either side.
# A capital may stand between digits (a Finnish century sign, Corsica's 2A).
_DIGIT_WINDOW_RE = re.compile(
    r"\d(?<!\d\d)(?:[ ./+-]{0,2}(?:[A-Z][ ./+-]?)?\d){5,}[0-9A-Z]?", re.ASCII
)


_DIGIT_RUNS: Final = re.compile(rb"0+")  # runs of digits in a number shape
# Per kind, the longest run of digits its gate needs: a text whose longest run is shorter skips
# it without a substring test (on a number-heavy prompt most kinds need 9 digits or more).
_DIGITS_NEEDED: Final[dict[str, int]] = {}
for _rec in _RECOGNISERS:
    _need = max(map(len, _DIGIT_RUNS.findall(_rec.gate)), default=0)
    _DIGITS_NEEDED[_rec.kind] = min(_need, _DIGITS_NEEDED.get(_rec.kind, _need))


def _may_hold(rec: _Recogniser, shape: bytes, lowered: str) -> bool:
    """The number shape can hold `rec`'s id, and a weak id (context, no format) has a naming
    word somewhere: else there is nothing to validate."""
    if rec.gate not in shape or (rec.outline is not None and not rec.outline.search(shape)):
        return False
    return not rec.context or rec.formatted is not None or any(w in lowered for w in rec.context)


def _digit_windows(text: str) -> list[tuple[int, int]]:
    return [
        (max(0, m.start() - 1), min(len(text), m.end() + 1))
        for m in _DIGIT_WINDOW_RE.finditer(text)
    ]


def national_id_spans(text: str, shape: bytes, lowered: str) -> list[Span]:
    """Spans of the checksum-valid ids in `text`, one kind per number.

    Each recogniser runs only if the number shape holds its outline; one whose outline is digits
    only looks just in the windows around long numbers, found once.
    """
    pool: tuple[_Recogniser, ...]
    if b"000000" in shape:  # every digit-only id has six digits or more
        pool = _RECOGNISERS
    elif b"A0" in shape:  # every other id but the DNI has a capital before a digit
        pool = _LETTERED
    else:
        return []
    spans: list[Span] = []
    digit_windows: list[tuple[int, int]] | None = None
    longest = max(map(len, _DIGIT_RUNS.findall(shape)), default=0)
    for rec in pool:
        if _DIGITS_NEEDED[rec.kind] > longest or not _may_hold(rec, shape, lowered):
            continue
        if rec.gate.isdigit():
            if digit_windows is None:
                digit_windows = _digit_windows(text)
            windows = digit_windows
        else:
            windows = [(0, len(text))]
        for start, end in windows:
            spans.extend(_claims(rec, text, lowered, start, end, spans))
    return spans


def _claims(
    rec: _Recogniser, text: str, lowered: str, start: int, end: int, spans: list[Span]
) -> list[Span]:
    found: list[Span] = []
    for match in rec.pattern.finditer(text, start, end):
        if (
            not overlaps(spans, *match.span())
            and not in_longer_number(text, *match.span())
            and _accept(rec, match, lowered)
        ):
            found.append((match.start(), match.end(), rec.kind))
    return found
