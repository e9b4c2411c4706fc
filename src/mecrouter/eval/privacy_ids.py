"""Identifiers for the synthetic privacy corpus, built from their published specifications.

Each generator takes the corpus's random source and the person the prompt is about, and returns
the identifier as people write it (with or without the usual spaces and dashes). Identifiers
that encode a birth date or sex encode this person's; every check digit is computed as its
specification (cited at each generator) says, so the values pass the official checks. Faker has
providers for some of these, but they draw their own birth dates and some fail the check (its
Aadhaar uses Luhn, not Verhoeff; its British NINO uses the unissued prefix ZZ).
"""

from __future__ import annotations

import random
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from itertools import pairwise
from types import MappingProxyType
from typing import Final

__all__ = [
    "HOME_LOCALE",
    "IDENTIFIERS",
    "ID_LABELS",
    "Person",
    "ascii_letters",
    "bad_card",
    "bad_iban",
    "isbn",
    "pattern",
    "split",
]

_DIGITS: Final = "0123456789"
_UPPER: Final = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
_REFERENCE_YEAR: Final = 2025
# Verhoeff (1969): the dihedral group D5's table, the permutation by position, the inverses.
_VERHOEFF_D: Final = (
    "0123456789", "1234067895", "2340178956", "3401289567", "4012395678",
    "5987604321", "6598710432", "7659821043", "8765932104", "9876543210",
)  # fmt: skip
_VERHOEFF_P: Final = (
    "0123456789", "1576283094", "5803796142", "8916043527",
    "9453126870", "4286573901", "2793806415", "7046913258",
)  # fmt: skip


def _wsum(digits: str, weights: Iterable[int]) -> int:
    return sum(int(d) * w for d, w in zip(digits, weights, strict=False))


def _luhn(payload: str) -> str:
    """ISO/IEC 7812-1 annex B: double every second digit from the right of the full number."""
    doubled = (int(c) * (2 - i % 2) for i, c in enumerate(reversed(payload)))
    return str(-sum(d - 9 if d > 9 else d for d in doubled) % 10)


def _verhoeff(payload: str) -> str:
    check = 0
    for i, c in enumerate(reversed(payload)):
        check = int(_VERHOEFF_D[check][int(_VERHOEFF_P[(i + 1) % 8][int(c)])])
    return "0432156789"[check]


def _mod11_10(payload: str) -> str:
    """ISO 7064 MOD 11,10 (a hybrid system: products mod 10, then doubling mod 11)."""
    product = 10
    for c in payload:
        product = ((int(c) + product) % 10 or 10) * 2 % 11
    return str((11 - product) % 10)


def _iban(country: str, bban: str) -> str:
    """ISO 13616-1: check digits 98 - (BBAN, country, "00"; letters as 10-35) mod 97."""
    number = int("".join(str(int(c, 36)) for c in bban + country + "00"))
    return f"{country}{98 - number % 97:02d}{bban}"


@dataclass(frozen=True, slots=True)
class Person:
    """Who a prompt is about; `locale` is the Faker locale that wrote the name."""

    first: str
    last: str
    female: bool
    birth: date
    locale: str


_TOKEN: Final = re.compile(r"(\d*)([#@])")
_ASCII: Final = str.maketrans({"ł": "l", "Ł": "L", "ø": "o", "Ø": "O", "æ": "ae", "ß": "ss"})


def pattern(rng: random.Random, spec: str) -> str:
    """``#`` a digit, ``@`` a capital letter, ``4#`` four digits; other characters as written."""
    return _TOKEN.sub(
        lambda m: "".join(rng.choices(_DIGITS if m[2] == "#" else _UPPER, k=int(m[1] or 1))), spec
    )


def ascii_letters(name: str) -> str:
    plain = unicodedata.normalize("NFKD", name.translate(_ASCII)).encode("ascii", "ignore")
    return "".join(c for c in plain.decode() if c.isalpha())


def split(rng: random.Random, s: str, cuts: Sequence[int], seps: Sequence[str]) -> str:
    """`s` cut at `cuts` and joined by one of `seps` (``""``: written without separators)."""
    return rng.choice(seps).join(s[a:b] for a, b in pairwise((0, *cuts, len(s))))


def _sex_digit(rng: random.Random, p: Person) -> str:
    return rng.choice("02468" if p.female else "13579")


def _us_ssn(rng: random.Random, p: Person) -> str:
    # SSA, SSN randomization (2011): area 001-899 but 666, group 01-99, serial 0001-9999.
    area = rng.randint(1, 898)
    ssn = f"{area + (area >= 666):03d}{rng.randint(1, 99):02d}{rng.randint(1, 9999):04d}"
    return split(rng, ssn, (3, 5), ("-", "-", " ", ""))


_ITIN_GROUPS: Final = (*range(50, 66), *range(70, 89), *range(90, 93), *range(94, 100))


def _us_itin(rng: random.Random, p: Person) -> str:
    # IRS, ITIN: nine digits starting with 9, the fourth and fifth 50-65, 70-88, 90-92 or 94-99.
    itin = f"9{rng.randint(0, 99):02d}{rng.choice(_ITIN_GROUPS)}{rng.randint(0, 9999):04d}"
    return split(rng, itin, (3, 5), ("-", " ", ""))


def _us_mbi(rng: random.Random, p: Person) -> str:
    # CMS, "Understanding the MBI": C A AN N A AN N A A N N; letters but S L O I B Z.
    a = "ACDEFGHJKMNPQRTUVWXY"
    kinds = ("123456789", a, a + _DIGITS, _DIGITS, a, a + _DIGITS, _DIGITS, a, a, _DIGITS, _DIGITS)
    return split(rng, "".join(rng.choice(k) for k in kinds), (4, 7), ("", "-"))


def _uk_nino(rng: random.Random, p: Person) -> str:
    # HMRC NIM39110: prefix letters (not D F I Q U V; no second O; never BG GB KN NK NT TN ZZ),
    # six digits, suffix A-D.
    prefix = "GB"
    while prefix in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ"):
        prefix = rng.choice("ABCEGHJKLMNOPRSTWXYZ") + rng.choice("ABCEGHJKLMNPRSTWXYZ")
    return split(
        rng, prefix + pattern(rng, "6#") + rng.choice("ABCD"), (2, 4, 6, 8), (" ", " ", "")
    )


def _uk_nhs(rng: random.Random, p: Person) -> str:
    # NHS Data Dictionary, NHS NUMBER: weights 10..2, check 11 - sum mod 11 (11 -> 0; 10 unused).
    while (check := 11 - _wsum(body := pattern(rng, "9#"), range(10, 1, -1)) % 11) == 10:
        pass
    return split(rng, body + str(check % 11), (3, 6), (" ", " ", "", "-"))


def _de_tax_id(rng: random.Random, p: Person) -> str:
    # BZSt, §139b AO (rule of 2016): eleven digits, the first not 0; in the first ten one digit
    # appears twice or three times (never three in a row), all others at most once; the last is
    # ISO 7064 MOD 11,10 of the first ten.
    while True:
        times = rng.choice((2, 3))
        distinct = rng.sample(_DIGITS, 11 - times)
        body = distinct + [distinct[0]] * (times - 1)
        rng.shuffle(body)
        if body[0] != "0" and distinct[0] * 3 not in (s := "".join(body)):
            return split(rng, s + _mod11_10(s), (2, 5, 8), (" ", ""))


def _fr_nir(rng: random.Random, p: Person) -> str:
    # INSEE, NIR: sex, year, month, département (2A/2B read 19/18), commune, order, key
    # 97 - number mod 97.
    dept = rng.choice(("75", "69", "13", "33", "59", "31", "44", "67", "35", "2A", "2B"))
    body = f"{2 if p.female else 1}{p.birth:%y%m}{dept}{rng.randint(1, 890):03d}"
    body += f"{rng.randint(1, 999):03d}"
    key = f"{97 - int(body.replace('2A', '19').replace('2B', '18')) % 97:02d}"
    return rng.choice((split(rng, body, (1, 3, 5, 7, 10), " ") + " " + key, body + key))


_DNI_LETTERS: Final = "TRWAGMYFPDXBNJZSQVHLCKE"


def _es_dni(rng: random.Random, p: Person) -> str:
    # Real Decreto 1553/2005 (DNI): eight digits and the letter of their value mod 23.
    n = f"{rng.randint(1_000_000, 99_999_999):08d}"
    letter = _DNI_LETTERS[int(n) % 23]
    return rng.choice((n + letter, f"{n}-{letter}", f"{n[:2]}.{n[2:5]}.{n[5:]}-{letter}"))


def _es_nie(rng: random.Random, p: Person) -> str:
    # Orden INT/2058/2008 (NIE): X, Y or Z (read 0, 1, 2), seven digits, the DNI letter.
    lead, n = rng.choice("XYZ"), pattern(rng, "7#")
    letter = _DNI_LETTERS[int(str("XYZ".index(lead)) + n) % 23]
    return rng.choice((f"{lead}{n}{letter}", f"{lead}-{n}-{letter}"))


# DM 23/12/1976: the check letter's values of characters in odd positions (0-9 read as A-J).
_CF_ODD: Final = (
    1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23
)  # fmt: skip


def _cf_letters(name: str, given: bool) -> str:
    letters = ascii_letters(name).upper()
    consonants = [c for c in letters if c not in "AEIOU"]
    if given and len(consonants) > 3:
        consonants = [consonants[0], consonants[2], consonants[3]]
    return ("".join(consonants) + "".join(c for c in letters if c in "AEIOU") + "XXX")[:3]


def _it_fiscal_code(rng: random.Random, p: Person) -> str:
    # DM 23/12/1976 (Agenzia delle Entrate): surname, given name, year, month letter, day (+40
    # for women), municipality's Belfiore code, check letter from the odd/even position tables.
    day = p.birth.day + (40 if p.female else 0)
    town = rng.choice(("H501", "F205", "F839", "L219", "G273", "A944", "D612", "L736", "D969"))
    body = f"{_cf_letters(p.last, False)}{_cf_letters(p.first, True)}{p.birth:%y}"
    body += f"{'ABCDEHLMPRST'[p.birth.month - 1]}{day:02d}{town}"
    values = [int(c) if c.isdigit() else ord(c) - 65 for c in body]
    total = sum(_CF_ODD[v] if i % 2 == 0 else v for i, v in enumerate(values))
    return body + _UPPER[total % 26]


def _pl_pesel(rng: random.Random, p: Person) -> str:
    # Ustawa o ewidencji ludności (PESEL): YYMMDD (month + 20 from 2000), serial, sex digit (even
    # for women), check (10 - sum of weights 1 3 7 9 ...) mod 10.
    month = p.birth.month + (20 if p.birth.year >= 2000 else 0)
    body = f"{p.birth:%y}{month:02d}{p.birth:%d}{pattern(rng, '3#')}{_sex_digit(rng, p)}"
    return body + str(-_wsum(body, (1, 3, 7, 9, 1, 3, 7, 9, 1, 3)) % 10)


def _nl_bsn(rng: random.Random, p: Person) -> str:
    # Wet algemene bepalingen BSN, elfproef: 9*d1 + 8*d2 + ... + 2*d8 - d9 is a multiple of 11.
    while (last := _wsum(body := pattern(rng, "8#"), range(9, 1, -1)) % 11) == 10:
        pass
    return split(rng, body + str(last), (4, 6), ("", "", ".", " "))


def _in_aadhaar(rng: random.Random, p: Person) -> str:
    # UIDAI: twelve digits, the first 2-9, the last a Verhoeff check digit.
    body = str(rng.randint(2, 9)) + pattern(rng, "10#")
    return split(rng, body + _verhoeff(body), (4, 8), (" ", " ", "", "-"))


def _in_pan(rng: random.Random, p: Person) -> str:
    # Income Tax Department, PAN: three letters, P (a person), the surname's initial, four
    # digits, a letter.
    initial = (ascii_letters(p.last).upper() or "K")[0]
    return f"{pattern(rng, '3@')}P{initial}{rng.randint(1, 9999):04d}{rng.choice(_UPPER)}"


def _ca_sin(rng: random.Random, p: Person) -> str:
    # ESDC, SIN: nine digits passing Luhn; the first 1-7 (the province of registration).
    body = rng.choice("1234567") + pattern(rng, "7#")
    return split(rng, body + _luhn(body), (3, 6), (" ", " ", "-", ""))


def _au_tfn(rng: random.Random, p: Person) -> str:
    # ATO: weights 1 4 3 7 5 8 6 9 10, the weighted sum a multiple of 11.
    weights = (1, 4, 3, 7, 5, 8, 6, 9)  # the ninth's weight 10 is -1 mod 11: it equals the sum
    while (last := _wsum(body := rng.choice("123456789") + pattern(rng, "7#"), weights) % 11) == 10:
        pass
    return split(rng, body + str(last), (3, 6), (" ", " ", ""))


def _au_medicare(rng: random.Random, p: Person) -> str:
    # Services Australia: first digit 2-6, ninth = digits 1-8 weighted 1 3 7 9 1 3 7 9 mod 10,
    # tenth the card's issue number.
    body = rng.choice("23456") + pattern(rng, "7#")
    number = body + str(_wsum(body, (1, 3, 7, 9, 1, 3, 7, 9)) % 10) + rng.choice("123456789")
    return split(rng, number, (4, 9), (" ", " ", ""))


def _cpf_digit(s: str) -> str:
    remainder = _wsum(s, range(len(s) + 1, 1, -1)) % 11
    return "0" if remainder < 2 else str(11 - remainder)


def _br_cpf(rng: random.Random, p: Person) -> str:
    # Receita Federal, CPF: nine digits, then two mod-11 check digits (weights 10..2, 11..2).
    body = pattern(rng, "9#")
    body += _cpf_digit(body)
    body += _cpf_digit(body)
    return rng.choice((f"{body[:3]}.{body[3:6]}.{body[6:9]}-{body[9:]}", body))


def _cn_resident_id(rng: random.Random, p: Person) -> str:
    # GB 11643-1999: region, YYYYMMDD, sequence (odd for men), ISO 7064 MOD 11-2 ("X" for 10).
    region = rng.choice(("110101", "310101", "440106", "510104", "330106", "420102", "320102"))
    body = f"{region}{p.birth:%Y%m%d}{rng.randint(0, 499) * 2 + (not p.female):03d}"
    return body + "10X98765432"[_wsum(body, (pow(2, 17 - i, 11) for i in range(17))) % 11]


def _jp_my_number(rng: random.Random, p: Person) -> str:
    # MIC ordinance No. 85 (2014), art. 5: P_n the n-th digit from the right, Q_n = n + 1 up to
    # 6 and n - 5 from 7; check 11 - sum mod 11, 0 when the remainder is 0 or 1.
    body = pattern(rng, "11#")
    r = sum(int(c) * (n + 1 if n <= 6 else n - 5) for n, c in enumerate(reversed(body), 1)) % 11
    return split(rng, body + ("0" if r <= 1 else str(11 - r)), (4, 8), (" ", "", "-"))


def _se_personnummer(rng: random.Random, p: Person) -> str:
    # Skatteverket SKV 704: YYMMDD, birth number (third digit odd for men), Luhn over the nine;
    # "-" before it, "+" from the year the holder turns 100.
    serial = pattern(rng, "2#") + _sex_digit(rng, p)
    tail = serial + _luhn(f"{p.birth:%y%m%d}{serial}")
    sep = "+" if _REFERENCE_YEAR - p.birth.year >= 100 else "-"
    long = f"{p.birth:%Y%m%d}"
    return rng.choice((f"{p.birth:%y%m%d}{sep}{tail}",) * 2 + (f"{long}-{tail}", long + tail))


def _no_fodselsnummer(rng: random.Random, p: Person) -> str:
    # Skatteetaten: DDMMYY, individual number (000-499 for 1900-1999, 500-999 from 2000; third
    # digit odd for men), two mod-11 digits (weights 3 7 6 1 8 9 4 5 2, then 5 4 3 2 7 6 5 4 3 2;
    # 11 -> 0, 10 not issued).
    low = 0 if p.birth.year < 2000 else 50
    while True:
        body = f"{p.birth:%d%m%y}{rng.randint(low, low + 49):02d}{_sex_digit(rng, p)}"
        k1 = -_wsum(body, (3, 7, 6, 1, 8, 9, 4, 5, 2)) % 11
        k2 = -_wsum(body + str(k1), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)) % 11
        if k1 < 10 and k2 < 10:
            return split(rng, f"{body}{k1}{k2}", (6,), ("", " "))


def _dk_cpr(rng: random.Random, p: Person) -> str:
    # CPR-kontoret: DDMMYY-SSSS; the seventh digit gives the century (0-3: 1900-1999; 4 or 9:
    # 2000-2036), the last is odd for men. Numbers issued before 2007 have weights 4 3 2 7 6 5 4
    # 3 2 1 summing to a multiple of 11: these keep that rule.
    while True:
        body = f"{p.birth:%d%m%y}{rng.choice('0123' if p.birth.year < 2000 else '49')}"
        body += pattern(rng, "2#")
        last = -_wsum(body, (4, 3, 2, 7, 6, 5, 4, 3, 2)) % 11
        if last < 10 and last % 2 == (not p.female):
            return split(rng, body + str(last), (6,), ("-", "-", ""))


def _fi_hetu(rng: random.Random, p: Person) -> str:
    # DVV, henkilötunnus: DDMMYY, century sign (1900s "-", since 2023 also Y; 2000s "A" or B),
    # individual number 002-899 (odd for men), check character of DDMMYYZZZ mod 31.
    zzz = f"{rng.randrange(2 if p.female else 3, 900, 2):03d}"
    sign = rng.choice("--Y" if p.birth.year < 2000 else "AAB")
    check = "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(f"{p.birth:%d%m%y}{zzz}") % 31]
    return f"{p.birth:%d%m%y}{sign}{zzz}{check}"


def _table(text: str) -> Mapping[str, str]:
    return MappingProxyType({k: v for k, v in (item.split(":") for item in text.split())})


# Passport numbers have no check digit of their own (the MRZ's check digits are not part of the
# number); these are the shapes each country issues, at most 9 characters (ICAO Doc 9303).
_PASSPORTS: Final = _table(
    "US:9# GB:9# IE:2@7# CA:2@6# AU:@7# IN:@7# DE:C@#@5# AT:@7# CH:X7# FR:2#2@5# ES:3@6# MX:G8#"
    " IT:2@7# NL:2@7# BE:2@6# PL:2@7# PT:@6# BR:2@6# SE:8# NO:8# DK:9# FI:2@7# CN:E8# JP:2@7#"
)
# BBAN formats of the SWIFT IBAN registry (the national check digits inside are not modelled).
_BBANS: Final = _table(
    "DE:18# AT:16# CH:17# FR:23# ES:20# IT:@22# NL:4@10# BE:12# PL:24# PT:21# SE:20# NO:11#"
    " DK:14# FI:14# GB:4@14# IE:4@14# SM:@22#"
)
# The Faker locale that writes the holder of each identifier.
HOME_LOCALE: Final = _table(
    "us_ssn:en_US us_itin:en_US us_mbi:en_US uk_nino:en_GB uk_nhs:en_GB de_tax_id:de_DE"
    " fr_nir:fr_FR es_dni:es_ES es_nie:es_ES it_fiscal_code:it_IT pl_pesel:pl_PL nl_bsn:nl_NL"
    " in_aadhaar:en_IN in_pan:en_IN ca_sin:en_CA au_tfn:en_AU au_medicare:en_AU br_cpf:pt_BR"
    " cn_resident_id:zh_CN jp_my_number:ja_JP se_personnummer:sv_SE no_fodselsnummer:no_NO"
    " dk_cpr:da_DK fi_hetu:fi_FI"
)


def _passport(rng: random.Random, p: Person) -> str:
    return pattern(rng, _PASSPORTS.get(p.locale[-2:], "@8#"))


def _iban_country(p: Person) -> str:
    country = p.locale[-2:]
    return country if country in _BBANS else {"MX": "ES", "BR": "PT"}.get(country, "GB")


def _paper(rng: random.Random, number: str, seps: Sequence[str] = (" ", " ", "")) -> str:
    """An IBAN in groups of four (its paper format) or, for "", in one piece."""
    return split(rng, number, range(4, len(number), 4), seps)


def _iban_of(rng: random.Random, p: Person) -> str:
    country = _iban_country(p)
    return _paper(rng, _iban(country, pattern(rng, _BBANS[country])))


def _bank_account(rng: random.Random, p: Person) -> str:
    if p.locale in ("en_GB", "en_IE"):  # sort code and account number
        code, account = pattern(rng, "6#"), pattern(rng, "8#")
        dashed = split(rng, code, (2, 4), "-")
        forms = (f"sort code {dashed}, account {account}", f"{dashed} {account}")
        return rng.choice((*forms, f"sort code {code} account no. {account}"))
    # ABA routing number: a Federal Reserve prefix (01-12, 21-32), weights 3 7 1, sum mod 10 = 0.
    body = f"{rng.choice((*range(1, 13), *range(21, 33))):02d}" + pattern(rng, "6#")
    routing = body + str(-_wsum(body, (3, 7, 1, 3, 7, 1, 3, 7)) % 10)
    account = pattern(rng, f"{rng.randint(8, 12)}#")
    forms = (f"routing {routing}, account {account}", f"ABA {routing} acct. {account}")
    return rng.choice((*forms, f"routing no. {routing} / account no. {account}"))


def _medical_record_number(rng: random.Random, p: Person) -> str:
    # No national standard: hospitals' usual local shapes.
    return pattern(rng, rng.choice(("8#", "7#", "@7#", "H6#", "3#-4#", "10#")))


def bad_card(rng: random.Random) -> str:
    """A 16-digit, card-shaped number that fails Luhn."""
    body = rng.choice("45") + pattern(rng, "14#")
    wrong = (int(_luhn(body)) + rng.randint(1, 9)) % 10
    return split(rng, f"{body}{wrong}", (4, 8, 12), (" ", "-", ""))


def bad_iban(rng: random.Random, country: str) -> str:
    """An IBAN-shaped string of `country` whose check digits are wrong."""
    good = _iban(country, pattern(rng, _BBANS[country]))
    wrong = (int(good[2:4]) + rng.randint(1, 95)) % 97
    return _paper(rng, f"{country}{wrong:02d}{good[4:]}", (" ", ""))


def isbn(rng: random.Random) -> str:
    """An ISBN-13 (ISO 2108: weights 1 3 1 3 ..., the sum a multiple of 10)."""
    body = "978" + pattern(rng, "9#")
    return f"{body[:3]}-{body[3]}-{body[4:8]}-{body[8:]}-{-_wsum(body, (1, 3) * 6) % 10}"


IDENTIFIERS: Final[Mapping[str, Callable[[random.Random, Person], str]]] = MappingProxyType({
    "passport": _passport, "iban": _iban_of, "bank_account": _bank_account,
    "medical_record_number": _medical_record_number, "us_ssn": _us_ssn, "us_itin": _us_itin,
    "us_mbi": _us_mbi, "uk_nino": _uk_nino, "uk_nhs": _uk_nhs, "de_tax_id": _de_tax_id,
    "fr_nir": _fr_nir, "es_dni": _es_dni, "es_nie": _es_nie, "it_fiscal_code": _it_fiscal_code,
    "pl_pesel": _pl_pesel, "nl_bsn": _nl_bsn, "in_aadhaar": _in_aadhaar, "in_pan": _in_pan,
    "ca_sin": _ca_sin, "au_tfn": _au_tfn, "au_medicare": _au_medicare, "br_cpf": _br_cpf,
    "cn_resident_id": _cn_resident_id, "jp_my_number": _jp_my_number,
    "se_personnummer": _se_personnummer, "no_fodselsnummer": _no_fodselsnummer, "dk_cpr": _dk_cpr,
    "fi_hetu": _fi_hetu,
})  # fmt: skip

# What each identifier is called: type, language, names separated by "|".
ID_LABELS: Final = """
us_ssn en SSN|Social Security number|social security no.
us_itin en ITIN|taxpayer ID (ITIN)
us_mbi en Medicare number (MBI)|MBI|Medicare Beneficiary Identifier
uk_nino en National Insurance number|NI number|NINO
uk_nhs en NHS number|NHS no.
au_medicare en Medicare card number|Medicare no.
in_aadhaar en Aadhaar number|Aadhaar|UID (Aadhaar)
in_pan en PAN|PAN card number|Permanent Account Number
ca_sin en SIN|Social Insurance Number
au_tfn en TFN|tax file number
cn_resident_id en Chinese resident ID|resident identity card no.
jp_my_number en My Number|Individual Number (My Number)
se_personnummer en Swedish personnummer|personal identity number (personnummer)
se_personnummer sv personnummer|personnr|person-nr
de_tax_id en German tax ID (Steuer-ID)|Steuer-IdNr.|tax identification number
de_tax_id de Steuer-ID|Steuer-IdNr.|steuerliche Identifikationsnummer|Steueridentifikationsnummer
no_fodselsnummer en Norwegian fødselsnummer|national identity number (fødselsnummer)
no_fodselsnummer no fødselsnummer|personnummer|f.nr.
dk_cpr en Danish CPR number|CPR no.
dk_cpr da CPR-nummer|CPR-nr.|personnummer
fi_hetu en Finnish personal identity code|henkilötunnus (HETU)
fi_hetu fi henkilötunnus|hetu|HETU
nl_bsn en BSN|Dutch citizen service number (BSN)
nl_bsn nl BSN|burgerservicenummer|BSN-nummer
pl_pesel en PESEL|PESEL number
pl_pesel pl PESEL|numer PESEL|nr PESEL
fr_nir en French social security number (NIR)|numéro de sécurité sociale
fr_nir fr numéro de sécurité sociale|NIR|n° de sécu|numéro INSEE
es_nie en NIE|Spanish NIE
es_nie es NIE|número de identidad de extranjero
es_dni en DNI|Spanish DNI
es_dni es DNI|NIF|número de DNI
it_fiscal_code en codice fiscale|Italian tax code
it_fiscal_code it codice fiscale|C.F.|cod. fiscale
br_cpf en CPF|Brazilian CPF
br_cpf pt CPF|nº do CPF
"""
