"""Text folding for the privacy detector and the complexity model: one cheap pass per request.

`detection_text` undoes disguises (NFKC, invisible characters, non-ASCII digits and hyphens);
`fold_text` then makes one pass with `bytes.translate` (after `str.lower` for a non-ASCII text):
lower-case words, and a "number shape" where every digit is a 0, every capital an A and number
separators vanish (see `privacy`).
"""

from __future__ import annotations

import unicodedata
from typing import Final, NamedTuple

__all__ = ["FOLD", "FoldedText", "detection_text", "fold_text", "folded_words"]


def _fold_table() -> bytes:
    """ASCII letters and digits survive (letters lower-cased), other ASCII becomes a space.

    Bytes >= 0x80 are kept: they are parts of non-ASCII letters, which belong to words.
    """
    out = bytearray(range(256))
    for b in range(128):
        ch = chr(b)
        out[b] = ord(ch.lower()) if ch.isalnum() else 0x20
    return bytes(out)


FOLD: Final = _fold_table()
_ASCII: Final = frozenset(map(chr, range(128)))
# Non-ASCII punctuation that would otherwise glue words together ("patient’s", "insulin—now"),
# and hyphens that look like "-" (NFKC leaves them: U+2010, U+2012, U+2212, U+FE63).
_UNICODE_BREAKS: Final = dict.fromkeys(
    "\u2019\u2018\u201c\u201d\u2014\u2013\u2015\u00bf\u00a1\u00ab\u00bb\u201e\u201a\u2039\u203a",
    " ",
)  # and the Spanish opening marks, guillemets and low quotes ("¿Me", "«moi»", "„Ich")
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
    # FOLD lower-cases ASCII only: a non-ASCII text is lower-cased first ("Übersetze", "État").
    folded = (raw if text.isascii() else text.lower().encode("utf-8", "ignore")).translate(FOLD)
    return FoldedText(
        b" " + folded + b" ",
        folded.split(),
        raw.translate(_SHAPE, _NUMBER_SEPARATORS),
        raw,
        text,
    )


def folded_words(text: str) -> int:
    """How many words `text` folds to."""
    return len(text.encode().translate(FOLD).split())
