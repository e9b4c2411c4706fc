"""Health vocabulary in English, German, French and Spanish for the privacy detector.

What it is: folded words (`LEXICON_WORDS`, one set test on a text's words) and folded phrases
(`LEXICON_PHRASES`, each a substring test on the padded folded text) naming health content that
makes a prompt about someone's health private: mental health, addiction, sexual and reproductive
health, genetics, disability and general physical health (conditions, operations, hospital stays,
medications by name and class, and symptoms: "chest pain", "Atemnot", "de la fièvre"). The
vocabulary is data, in ``health_lexicon.txt`` beside this module: one section of words and one of
phrases per language and category ("en mental words", "de addiction phrases", ...), so that a
reader can review it by category.

How words were chosen (precision first): a single word is listed only if, in its language, it is
health content in nearly every sense ("sertraline", "chemotherapy", "Mukoviszidose"). A word with
a common other sense appears only inside phrases that pin the health sense: "depression" (the Great
Depression, a tropical depression) as "my depression", "postnatal depression"; "cancer" (a star
sign, the Tropic of Cancer) as "breast cancer", "has cancer"; "stroke" (golf, swimming, "a stroke
of luck") as "had a stroke last", "stroke patient"; "bipolar" (transistors, world politics) as
"bipolar disorder"; "wheelchair" (accessible hotels) as "a wheelchair user"; "pip" (the Python
installer) as "pip assessment"; "lithium" (batteries) as "taking lithium"; "ssri" (an npm package)
as "an ssri"; illicit drug names (news, policy) as "addicted to cocaine". No word is shorter than
three letters, and no measurement or generic care word (health, doctor, hospital, clinic,
treatment, diagnosis, heart rate, blood pressure, glucose) is listed alone. Phrases were checked
against ordinary text (software, sport, cooking, travel, weather, history) and narrowed where an
idiom or another sense matched. The vocabulary was written from general medical and linguistic
knowledge, not from the evaluation corpus.

Notation: words are written once with their inflections, "stem:a,b" giving stem, stema, stemb.
Words are matched as `folding.fold_text` leaves them, lower case ("Épilepsie" -> "épilepsie");
every word or phrase with accents also gets its accentless spellings ("diabète" -> "diabete";
German "ä" -> "ae" and "a", "ß" -> "ss"), since they are common misspellings. Phrases are written
folded (lower case, apostrophes and hyphens as spaces: "crohn s disease", "long covid", "d un
avc"), separated by "|"; each gets a leading space, so it matches at a word start, and it matches
as a prefix at its end ("gambling addict" also finds "addiction")
unless it ends with "$", which stands for a trailing space (a word end, or punctuation). The first
word of every phrase is a whole word, so phrases can be indexed by their first word.
"""

from __future__ import annotations

import unicodedata
from typing import Final

from mecrouter.textdata import read_sections

__all__ = ["LEXICON_PHRASES", "LEXICON_WORDS"]

# The blocks, per language and category, live in health_lexicon.txt beside this module.
_LANGUAGES: Final = ("en", "de", "fr", "es")
_CATEGORIES: Final = ("mental", "addiction", "sexual", "genetic", "disability", "general")
_TEXT: Final = read_sections("mecrouter.agents", "health_lexicon.txt")
_BLOCKS: Final = {
    (lang, cat): (_TEXT[f"{lang} {cat} words"], _TEXT[f"{lang} {cat} phrases"])
    for lang in _LANGUAGES
    for cat in _CATEGORIES
}

_TRANSLIT_DE: Final = str.maketrans(
    {"ä": "ae", "ö": "oe", "ü": "ue", "Ä": "Ae", "Ö": "Oe", "Ü": "Ue"}
)
_LIGATURES: Final = str.maketrans({"ß": "ss", "œ": "oe", "Œ": "Oe", "æ": "ae", "Æ": "Ae"})


def _strip_accents(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.translate(_LIGATURES))
    return unicodedata.normalize(
        "NFC", "".join(c for c in decomposed if not unicodedata.combining(c))
    )


def _spellings(text: str) -> set[str]:
    """`text` as written, without accents, and with German umlauts as ae/oe/ue."""
    if text.isascii():
        return {text}
    return {text, _strip_accents(text), _strip_accents(text.translate(_TRANSLIT_DE))}


def _check(item: str) -> None:
    for ch in item:
        if ch.isascii() and not (ch.islower() or ch.isdigit() or ch in " $"):
            raise ValueError(f"not in folded form: {item!r}")


def _words(block: str) -> set[bytes]:
    """'stem:a,b' gives stem, stema, stemb, each in all its spellings."""
    out: set[bytes] = set()
    for item in block.split():
        stem, _, suffixes = item.partition(":")
        for word in (stem, *(stem + s for s in suffixes.split(",") if s)):
            _check(word)
            if len(word) < 3 or "$" in word:
                raise ValueError(f"not a word: {word!r}")
            for spelling in _spellings(word):
                out.add(spelling.encode())
    return out


def _phrases(block: str) -> set[bytes]:
    """'a b | c  d$' gives b" a b" and b" c  d ", each in all its spellings. Inner
    spaces are kept: "graves  disease" is how "Graves' disease" folds."""
    out: set[bytes] = set()
    for item in block.split("|"):
        phrase = item.strip()
        if not phrase:
            continue
        _check(phrase)
        if "\n" in phrase or phrase.startswith(" ") or "$" in phrase[:-1]:
            raise ValueError(f"malformed phrase: {phrase!r}")
        end = " " if phrase.endswith("$") else ""
        for spelling in _spellings(phrase.rstrip("$")):
            out.add(f" {spelling}{end}".encode())
    return out


LEXICON_WORDS: Final[frozenset[bytes]] = frozenset(
    word for word_block, _ in _BLOCKS.values() for word in _words(word_block)
)
LEXICON_PHRASES: Final[tuple[bytes, ...]] = tuple(
    sorted({phrase for _, phrase_block in _BLOCKS.values() for phrase in _phrases(phrase_block)})
)
