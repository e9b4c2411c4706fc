"""Identifiers found by the word before them: passports and bank accounts.

Neither has a check digit that a random number fails often enough, so each counts only within
a few words after a word naming it ("passport", "Reisepass", "account", "Konto", "cuenta").
Several account words also mean "bill", "count" or "invoice" ("il conto", "cuenta con 8000
usuarios", "compte rendu", "rachunek za prąd"): those count only with a number word or a bank
word beside them, or before a number as long as an account number.
"""

from __future__ import annotations

import re
from typing import Final

from stdnum.us import rtn as _rtn

from mecrouter.agents.identifiers import (
    BANK_ACCOUNT,
    PASSPORT,
    Span,
    has_context,
    overlaps,
)
from mecrouter.agents.nearby import thing_label_before, word_ends

__all__ = ["ACCOUNT_GATE_WORDS", "PASSPORT_GATE_WORDS", "bank_account_spans", "passport_spans"]

_PASSPORT_WORDS: Final = (
    "passport", "reisepass", "passeport", "pasaporte", "passaporto", "paspoort", "paszport",
    "passaporte", "passnummer", "pass-nr", "pass nr", "passnr", "pass no", "pass number", "pas nr",
    "pasnummer", "n° de passeport", "travel document", "reisedokument", "passin", "passinumero",
    "paszportu", "paspoortnummer", "reisepassnummer",
)  # fmt: skip
# The gate (`privacy._lexicon`): the first word of three letters or more of each passport word.
PASSPORT_GATE_WORDS: Final = tuple(
    dict.fromkeys(next(t for t in re.findall(r"\w+", w) if len(t) >= 3) for w in _PASSPORT_WORDS)
)
_PASSPORT_RE = re.compile(r"(?<![0-9A-Za-z])(?=[A-Z0-9]{0,8}\d)[A-Z0-9]{6,9}(?![0-9A-Za-z])")
_ACCOUNT_WORDS: Final = (
    "account", "acct", "a/c", "konto", "rekening", "rachunek", "rachunku", "kontonummer",
    "tilinumero",
)  # fmt: skip
# Account words that begin other words ("container", "contact", "compteur", "cuentakilómetros"):
# whole words only.
_WHOLE_ACCOUNT_WORDS: Final = (
    "conta", "contas", "conto", "conti", "compte", "comptes", "cuenta", "cuentas",
)  # fmt: skip
# Account words that also mean a bill, a count or an invoice: they name an account only with a
# number word before ("número de cuenta", "numer rachunku") or a bank word after ("conto
# corrente", "compte bancaire") or a transfer before, or before a number of `_LONG_ACCOUNT`
# digits or more.
_AMBIGUOUS_ACCOUNT: Final = frozenset(("rekening", "rachunek", "rachunku", *_WHOLE_ACCOUNT_WORDS))
_NUMBERED_ACCOUNT_RE: Final = re.compile(
    r"(?:n[°º.o]|nr\.?|num[eé]ro|número|numer|nummer)\s*(?:de\s+|di\s+|da\s+|do\s+|du\s+)?$"
)
_BANK_AFTER_RE: Final = re.compile(
    r"\s+(?:bancaire|bancaria|bancario|bancária|bancário|corrente|corriente|courant|bankowy|"
    r"bankowego)"
)
# ... or after money moving into it ("transferir para a conta 6429255", "ingresa en la cuenta").
_BANKING_BEFORE_RE: Final = re.compile(
    r"(?:transf[eé]r|virement|vire[rz]?\b|überweis|ingres|deposit|dep[oó]sit|bonific|accredit|"
    r"overmak|przelew|wpłat|pagar\s+en|pay\s+into|paid\s+into|banco|banque|banca|bank)"
)
# An account that no bank keeps: a cloud's, a ledger's, a supplier's or a utility's ("AWS account
# 917419296259", "GL account 594895", "compte client 9902312058", "cuenta de cliente ..."), and
# the verb ("takes into account 50236522 events", "account for 5237356 rows").
_NOT_BANK_BEFORE_RE: Final = re.compile(
    r"\b(?:aws|gcp|azure|cloud|gl|ledger|nominal|supplier|vendor|utility|energy|electricity|gas|"
    r"water|broadband|mobile|phone|user|admin|service|game|steam|email|ad|ads|meta|salesforce|"
    r"stripe|connected|snowflake|tenant|linked|payer|billing|login|(?:take|takes|taking|taken|took)"
    r"\s+into)[\s-]+$"
)
_NOT_BANK_AFTER_RE: Final = re.compile(
    r"\s+(?:de\s+)?(?:client|cliente|fournisseur|proveedor|fornitore|utilisateur|usuario|for)\b"
)
# A network's or a queue's routing ("routing key 433308379", "BGP routing table").
_NOT_ROUTING: Final = ("routing key", "routing table", "routing rule", "routing polic")
_LONG_ACCOUNT: Final = 10
_MAX_ACCOUNT: Final = 17
# A number before a currency is an amount ("account balance 4955 EUR").
_AMOUNT_AFTER_RE: Final = re.compile(r"\s?(?:EUR|€|\$|USD|GBP|£|CHF|SEK|NOK|DKK|PLN|zł|kr)(?!\w)")
# Whole words that let `bank_account_spans` run ("a" stands for "a/c", which folds to "a" "c").
ACCOUNT_GATE_WORDS: Final = (
    *(w for w in _ACCOUNT_WORDS if w != "a/c"),
    *_WHOLE_ACCOUNT_WORDS,
    *("a", "routing", "aba", "sort", "rtn", "bank"),
)
_ACCOUNT_RE = re.compile(r"(?<![\d-])\d{6,17}(?![\d-])")
# The first code of 6+ digits after an account word; only digits make an account number, so
# "account AC404564100" is a customer number and "cuenta atrás: Z1578181" none.
_ACCOUNT_TOKEN_RE = re.compile(r"(?<![\w-])[\w-]*?\d{6,}[\w-]*")
_ROUTING_RE = re.compile(r"(?<!\d)\d{9}(?!\d)")
_SORT_CODE_RE = re.compile(r"(?<![\d-])\d\d-\d\d-\d\d(?![\d-])")
_FOLLOWING_CHARS: Final = 40


def passport_spans(text: str, lowered: str) -> list[Span]:
    """A 6-9 character number with a digit, within a few words after a passport word."""
    spans: list[Span] = []
    for end in word_ends(lowered, _PASSPORT_WORDS):
        match = _PASSPORT_RE.search(text, end, end + _FOLLOWING_CHARS)
        if match and not overlaps(spans, *match.span()):
            spans.append((match.start(), match.end(), PASSPORT))
    return spans


def bank_account_spans(text: str, lowered: str) -> list[Span]:
    """A US routing number (ABA check) or UK sort code, and an account number after its word."""
    spans: list[Span] = []
    for end in word_ends(lowered, ("routing", "aba", "rtn"), unless=_NOT_ROUTING):
        match = _ROUTING_RE.search(text, end, end + _FOLLOWING_CHARS)
        if match and _rtn.is_valid(match.group()):
            spans.append((match.start(), match.end(), BANK_ACCOUNT))
    for match in _SORT_CODE_RE.finditer(text):
        account = _ACCOUNT_RE.search(text, match.end(), match.end() + _FOLLOWING_CHARS)
        near = has_context(lowered, match.start(), ("sort code", "sort-code", "sortcode"))
        labelled = thing_label_before(lowered, match.start()) >= 0  # "product code 79-71-26"
        if near or (account and len(account.group()) == 8 and not labelled):
            spans.append((match.start(), match.end(), BANK_ACCOUNT))
    ends = word_ends(lowered, _ACCOUNT_WORDS) + word_ends(lowered, _WHOLE_ACCOUNT_WORDS, whole=True)
    for end in sorted(ends):
        line_end = text.find("\n", end)  # a column's header names no number of the next row
        stop = end + _FOLLOWING_CHARS if line_end < 0 else min(line_end, end + _FOLLOWING_CHARS)
        match = _ACCOUNT_TOKEN_RE.search(text, end, stop)
        if match is None or not match.group().isdigit() or len(match.group()) > _MAX_ACCOUNT:
            continue
        if not overlaps(spans, *match.span()) and _account_number(lowered, end, match):
            spans.append((match.start(), match.end(), BANK_ACCOUNT))
    return spans


def _account_number(lowered: str, word_end: int, match: re.Match[str]) -> bool:
    """Whether the number `match` after the account word ending at `word_end` is the account's
    number: not an amount, and for a word of `_AMBIGUOUS_ACCOUNT` named as a bank account."""
    if _AMOUNT_AFTER_RE.match(lowered, match.end()) or _AMOUNT_AFTER_RE.match(
        match.string, match.end()
    ):
        return False
    start = lowered.rfind(" ", 0, word_end) + 1
    if _NOT_BANK_BEFORE_RE.search(lowered, max(0, start - 14), start) or _NOT_BANK_AFTER_RE.match(
        lowered, word_end
    ):
        return False
    if lowered[start:word_end].strip("([\"'") not in _AMBIGUOUS_ACCOUNT:
        return True
    return bool(
        len(match.group()) >= _LONG_ACCOUNT
        or _NUMBERED_ACCOUNT_RE.search(lowered, max(0, start - 14), start)
        or _BANK_AFTER_RE.match(lowered, word_end)
        or _BANKING_BEFORE_RE.search(lowered, max(0, start - 40), start)
    )
