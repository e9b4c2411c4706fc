"""Which of the corpus's twelve languages a text is written in, as far as telling a word for a
person from the same word in another language needs it.

The words that point at a person (`personal.PERSON_WORDS`) are English, German, French and
Spanish; some of them are common words of another corpus language: the Spanish "son" (are) is
the English "son", the Italian "il" (the) the French "il", the Danish and Norwegian "er" (is) the
German "er", the English "kind" (what kind of) the German "Kind". "¿Cuáles son los síntomas de la
diabetes?" asks about an illness; read with an English "son" it was about someone. A vote of
each language's commonest words (the homographs themselves left out) names the text's language;
a homograph counts as no one only when the vote names a language in which it is a common word,
and a tie names none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Final

__all__ = ["HOMOGRAPHS", "foreign_person_words"]

# Common words, folded, that tell the corpus's languages apart (none of them a homograph below).
_COMMON: Final = {
    lang: frozenset(w.encode() for w in words.split())
    for lang, words in {
        "en": "the and of to is are what how with for this that was have has you my do does",
        "de": "der die das und ist nicht mit für ein eine wie auf bei dem den sind hat",
        "fr": "le les des est et une pour dans qui avec sur pas sont au aux ce quel quelle",
        "es": "el los las una para con por del como cuáles cuál qué está hay sus muy tiene",
        "it": "lo gli della delle di che è per con una sono nel degli dei alla quali quanti",
        "nl": "het een van niet voor met hoe wat zijn op bij ook dat",
        "pt": "os as do da dos das em um uma não para com é quais são",
        "pl": "w z na się jest nie do że jak od dla czy ile oraz",
        "sv": "och är att det som för med på av hur vad inte",
        # Norwegian and Danish, one vote: their common words are mostly the same
        "no/da": "og det som for med på av af hvordan hva hvad ikke hvor mange",
        "fi": "ja on ei se että kuinka mikä ovat miten",
    }.items()
}
# Words for a person that are a common word of these languages.
_FOREIGN_IN: Final = {
    w.encode(): frozenset(langs.split())
    for w, langs in {
        "son": "es",
        "il": "it",
        "er": "no/da nl",
        "je": "nl pl",
        "su": "it",
        "nos": "pt",
        "sa": "sv it",
        "ma": "it pl",
        "mes": "es",
        "ich": "pl",
        "kind": "en",
        "fumo": "it",
        "noto": "it",
    }.items()
}
HOMOGRAPHS: Final = frozenset(_FOREIGN_IN)


def _language(words: Sequence[bytes]) -> str | None:
    """The language whose common words `words` hold most of; None on a tie or none."""
    present = set(words)
    votes = sorted(((len(common & present), lang) for lang, common in _COMMON.items()))
    (second, _), (best, lang) = votes[-2], votes[-1]
    return lang if best > second else None


def foreign_person_words(words: Sequence[bytes]) -> frozenset[bytes]:
    """The words for a person in `words` that, in the text's language, are common words
    instead ("son" in Spanish, "il" in Italian, "kind" in English)."""
    found = HOMOGRAPHS.intersection(words)
    if not found:
        return frozenset()
    lang = _language(words)
    return frozenset(w for w in found if lang in _FOREIGN_IN[w])
