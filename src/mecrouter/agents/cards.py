"""Payment card numbers, as spans: the issuers' lengths and prefixes, then Luhn.

`contact` calls `card_spans` inside the short window around a long number.
"""

from __future__ import annotations

import re
from typing import Final

PAYMENT_CARD = "payment_card"

# Words that name a payment card: nearer before a card-shaped number than a thing's label, the
# number stays a card ("order 1182, card 4111 1111 1111 1111").
CARD_WORDS: Final = (
    "card", "karte", "carte", "tarjeta", "carta", "kaart", "kort", "karta", "visa",
    "mastercard", "amex", "kreditkarte", "cc",
)  # fmt: skip
_DIGIT_RUN_RE: Final = re.compile(r"\d+", re.ASCII)
_LUHN_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def luhn_valid(digits: str) -> bool:
    """True if `digits` passes the Luhn check that every payment card number satisfies."""
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = ord(ch) - 48
        total += _LUHN_DOUBLED[d] if i % 2 else d
    return total % 10 == 0


_MAESTRO: Final = ("5018", "5020", "5038", "5893", "6304", "6759", "6761", "6762", "6763")
_FOURTEEN_DIGIT_CARDS: Final = ("30", "36", "38", "39", *_MAESTRO)  # Diners Club, Maestro
_SEVENTEEN_DIGIT_CARDS: Final = (*_MAESTRO, "62", "6011", "65")  # UnionPay, Discover


def _is_card_number(digits: str) -> bool:
    # A run of one repeated digit (0000...) passes Luhn but is a placeholder, not a card. Cards
    # have 14-19 digits (the 13-digit Visa is long withdrawn); 13 digits are an EAN or an ISBN,
    # a tenth of which pass Luhn.
    if not 14 <= len(digits) <= 19 or digits.count(digits[0]) == len(digits):
        return False
    # 15 digits is American Express (34, 37) or an early JCB (1800, 2131) only: a 15-digit
    # thread id or counter that passes Luhn is no card; 14 digits is Diners Club (30, 36, 38, 39)
    # or Maestro only ("migration 48999820942024").
    if len(digits) == 15 and not digits.startswith(("34", "37", "1800", "2131")):
        return False
    if len(digits) == 14 and not digits.startswith(_FOURTEEN_DIGIT_CARDS):
        return False
    # 17 and 18 digits: only Maestro, UnionPay (62) and Discover (6011, 65) issue them ("evri
    # 21704589585349340" is a parcel).
    if len(digits) in (17, 18) and not digits.startswith(_SEVENTEEN_DIGIT_CARDS):
        return False
    # Any other length is a bank or travel card, whose first digit (ISO/IEC 7812's major industry
    # identifier) is 2 to 6: Mastercard's 2-series, Diners, JCB, Visa, Mastercard, Discover,
    # UnionPay, Maestro; or India's RuPay (81, 82). A 17-digit parcel number starting with 1 is
    # no card.
    if len(digits) != 15 and digits[0] not in "23456" and not digits.startswith(("81", "82")):
        return False
    return luhn_valid(digits)


def card_spans(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Where Luhn-valid card numbers sit in text[start:end].

    A card is one run of 14-19 digits, or groups of 3-6 digits after a first group of four, joined
    by one kind of separator (a space or a dash). Every start group is tried, so a card still
    counts when a CVV, an expiry or another number follows it after a single space.
    """
    runs = list(_DIGIT_RUN_RE.finditer(text, start, end))
    spans: list[tuple[int, int]] = []
    for i, first in enumerate(runs):
        if _glued(text, first.start() - 1):
            continue  # digits inside a hash or a code ("…cac5811741421582…") are no card
        if _is_card_number(first.group()) and not _glued(text, first.end()):
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
            if _is_card_number(digits) and not _glued(text, run.end()):
                spans.append((first.start(), run.end()))
                break
    return spans


def _glued(text: str, i: int) -> bool:
    """Whether text[i] is a letter or "_" (a number glued to it is part of a longer token)."""
    return 0 <= i < len(text) and (text[i].isalpha() or text[i] == "_")
