"""Whom health content is about: someone, or no one.

The privacy detector (`privacy`) finds health content by its words; whether a text is personal
then turns on whom it is about. "What are the signs of bipolar disorder?" asks about an illness,
and "Ward 7 admitted 38 patients with pneumonia" counts a population, where "I was diagnosed
with bipolar disorder", "Her genetic test was positive" and a bare clinical note ("Alcohol
dependence since 2019") are about someone. `about_someone` decides that for health content the
rules found; `may_be_about_someone` decides whether the trained stage is asked at all.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from typing import Final

from mecrouter.agents.asking import QUESTION_WORDS, REQUEST_WORDS
from mecrouter.agents.folding import FoldedText, folded_words
from mecrouter.agents.health_terms import HEALTH_WORDS, PHRASE_HEADS, PHRASES_BY_HEAD
from mecrouter.agents.identifiers import Span
from mecrouter.agents.language import HOMOGRAPHS, foreign_person_words
from mecrouter.agents.names import LOWER, UPPER
from mecrouter.agents.personal import FIRST_PERSON_WORDS, PERSON_WORDS, note_clauses

__all__ = ["about_someone", "asks", "may_be_about_someone"]


# Health content alone is about no one when the text asks something (a question mark, a request
# verb or a question word first) or counts a population, and no word for a person
# (`PERSON_WORDS`) or name stands within this many words of it: "What are the signs of bipolar
# disorder?" asks about an illness, where "I was diagnosed with bipolar disorder", "Her genetic
# test was positive" and a bare clinical note ("Alcohol dependence since 2019") are about
# someone.
_ABOUT_WINDOW: Final = 15
# The writer, right after a request verb, is only who asks: "make me a dosing table".
_ASKED_FOR: Final = frozenset((b"me", b"mir", b"moi", b"uns", b"nous"))
# After one of these, "I" is a Roman numeral, not the writer: "stage I", "nivel I", "Typ I".
_NUMBERED: Final = frozenset(
    w.encode()
    for w in """
    type stage grade level phase class category step typ stufe grad phase klasse stade classe
    niveau tipo estadio grado nivel fase clase
    """.split()  # noqa: SIM905
)
# A number of these, "212 patients", "14 Beschäftigte", "72% of adults", is a population, not
# someone (`_population`).
_GROUP_WORDS: Final = frozenset(
    w.encode()
    for w in """
    patients people persons adults children kids women men staff employees workers participants
    subjects residents cases admissions attendances users respondents volunteers students pupils
    members deaths births donors referrals carers nurses doctors
    patienten personen menschen erwachsene kinder frauen männer beschäftigte mitarbeitende
    teilnehmende teilnehmer fälle einwohner bewohner todesfälle geburten schüler
    personnes adultes enfants femmes hommes salariés employés participants cas résidents
    habitants décès naissances élèves
    pacientes personas adultos niños mujeres hombres empleados trabajadores participantes casos
    residentes habitantes muertes nacimientos alumnos
    """.split()  # noqa: SIM905
)
# A group this many or more is a population ("2 children" may be a family); a count of a group
# no family is ("2 admissions", "0 deaths", "1 Fälle") is one at any number.
_POPULATION_COUNT: Final = 3
_FAMILY_GROUPS: Final = frozenset(
    w.encode()
    for w in """
    people persons adults children kids women men personen menschen erwachsene kinder frauen
    männer personnes adultes enfants femmes hommes personas adultos niños mujeres hombres
    """.split()  # noqa: SIM905
)


# A person word after one of these is anyone, not someone: "write a letter for a patient with
# schizophrenia", "the odds of an affected child when two parents are carriers".
_ANYONE_BEFORE: Final = frozenset(
    w.encode()
    for w in """
    a an any each every one un une chaque ein eine einen einem einer eines jede jeder jedes jeden
    una uno cada
    """.split()  # noqa: SIM905
)
# After one of these, "ex" is a person ("my ex", "mon ex", "mi ex", "meine Ex").
_POSSESSIVES: Final = frozenset(
    w.encode()
    for w in """
    my his her your mon ma son sa ton ta mi su tu mein meine sein seine ihr ihre
    """.split()  # noqa: SIM905
)
# ... and after one of these, a patient is someone.
_DEFINITE: Final = frozenset(
    w.encode()
    for w in """
    the this that le la l ce cet cette der die das den dem des dieser diese diesen diesem el los
    las este esta ese esa
    """.split()  # noqa: SIM905
)
# Words for a person that are pieces of a firm's or a place's name, after a capitalised word:
# a legal form in capitals ("Dupont SA", "Borges - ME"), a Danish district letter ("Viby J";
# not "J'ai"), a partner or son of the firm ("Egli & Partner", "Durand et Fils"), and the
# Polish "i" of "i syn" (and son) and "j" of "Sp.j." (a general partnership).
_NAME_PIECE_RE: Final = re.compile(
    rf"(?=[{UPPER}])(?:[{UPPER}][{LOWER}]+\.?(?:\s+-)?\s+(?:(?P<form>SA|ME|EI|J|M)(?![\w'’])"
    r"|(?:&|und|and|et|e|y)\s+(?P<firm>Partners?|Fils|Filhos|Hijos|Söhne|Sons|Nephew)\b"
    r"|(?P<pl>i)\s+(?:syn|synowie)\b|Sp\.\s?(?P<spj>j)\.)"
    # ... and the letters of a code ("ME/2026/23859", "IL-6", "ER-12")
    r"|(?<![\w/-])(?P<code>[A-Z]{1,4})(?=[/-]?\d))"
)


_PIECE_WORDS: Final = frozenset(
    w.encode()
    for w in """
    sa me j m partner fils i nephew il er my ma mi su we sie ihr uns ich je yo el mon mes ses
    """.split()  # noqa: SIM905
)
# The writer as a group: "we", "wir", "nous" are an organisation as often as a couple ("we open
# at 8", "brauchen wir eine Spalte"), so they count beside health words in their sentence
# (`about_someone`) but do not make a text that asks one the trained stage may read.
_GROUP_WRITER: Final = frozenset(
    w.encode()
    for w in "we us wir uns nous nos nosotros nosotras llevamos".split()  # noqa: SIM905
)


# Words for a person named in a pair with another ("from mother to child", "mother-to-child",
# "von Mutter zu Kind", "de madre a hijo"), which speaks of a way an illness passes, not of
# anyone; and "patient" before a noun it qualifies ("the patient journey", "patient safety").
_PAIR_JOINS: Final = frozenset(w.encode() for w in ("to", "zu", "a", "à"))
_PATIENT_QUALIFIES: Final = frozenset(
    w.encode()
    for w in """
    journey journeys experience experiences safety portal portals pathway pathways flow
    satisfaction education outcomes records data survey surveys feedback numbers volume volumes
    groups population information leaflet leaflets advocacy transport access engagement charter
    rights choice participation
    """.split()  # noqa: SIM905
)
_PAIR_NOUNS: Final = frozenset(
    w.encode()
    for w in """
    mother father child baby son daughter parent patient nurse doctor mutter vater kind mère
    père enfant madre padre hijo hija
    """.split()  # noqa: SIM905
)
# Words for a person that are units after a number: "m" (of "I'm", "M. Dupont") in "435 m", "j"
# (of "j'ai") in "12 j" (French days).
_UNIT_LETTERS: Final = frozenset((b"m", b"j"))
# "Its" in French, Spanish and German is also "his" and "her": a possessive before what an
# illness, a drug or a record has is no one ("l'asthme et ses causes", "su tratamiento de
# primera línea", "seine Nebenwirkungen", "la ressource FHIR Patient et ses champs").
_ITS: Final = frozenset(
    w.encode()
    for w in "son sa ses su sus sein seine seinen seiner".split()  # noqa: SIM905
)
_WHAT_A_THING_HAS: Final = frozenset(
    w.encode()
    for w in """
    cause causes origine origines mécanisme mécanismes effet effets traitement traitements
    complications facteurs prévalence incidence diagnostic pronostic évolution rôle fonction
    champs propriétés indications contre-indications posologie dosage
    causa causas origen mecanismo mecanismos efecto efectos tratamiento tratamientos
    complicaciones factores prevalencia incidencia diagnóstico pronóstico evolución papel función
    campos propiedades indicaciones contraindicaciones posología dosis
    ursache ursachen wirkung wirkungen nebenwirkungen mechanismus behandlung therapie
    komplikationen faktoren prävalenz inzidenz diagnose prognose verlauf rolle funktion felder
    eigenschaften indikationen kontraindikationen dosierung
    """.split()  # noqa: SIM905
)
# The French impersonal "il": "il y a", "il faut", "il reste", "il s'agit" name no one.
_IMPERSONAL_AFTER_IL: Final = frozenset(
    w.encode()
    for w in """
    y faut fallait faudra reste restait existe semble suffit vaut convient manque
    """.split()  # noqa: SIM905
)
# The words for a person that `_no_one` may find point at no one.
_MAY_BE_NO_ONE: Final = _PIECE_WORDS | HOMOGRAPHS | _PAIR_NOUNS | _ITS


# How each of `_PIECE_WORDS` is written when it is a piece of a name or a code (in capitals
# unless said here): the pattern is looked for only where one of these stands in the text.
_PIECE_SPELLINGS: Final = {
    b"partner": ("Partner",),
    b"fils": ("Fils",),
    b"nephew": ("Nephew",),
    b"i": (" i syn", "I-", "I/"),
    b"j": ("J", "Sp."),
}


def _name_pieces(text: str, words: set[bytes] | frozenset[bytes]) -> set[int]:
    """Word indexes of the person words in `text` that are pieces of a name (`_NAME_PIECE_RE`),
    for a text whose person words are `words`."""
    if not any(
        spelling in text
        for w in _PIECE_WORDS.intersection(words)
        for spelling in _PIECE_SPELLINGS.get(w, (w.decode().upper(),))
    ):
        return set()
    return {
        folded_words(text[: m.start(group)])
        for m in _NAME_PIECE_RE.finditer(text)
        for group in ("form", "firm", "pl", "spj", "code")
        if m.start(group) >= 0
    }


# A sentence with one of these is about a population: "how do I compute the incidence of
# tuberculosis per 100,000?" asks a method, so the writer's words in it count for nothing.
_POPULATION_WORDS: Final = frozenset(
    w.encode()
    for w in """
    incidence prevalence population populations epidemiology epidemiological inzidenz prävalenz
    bevölkerung epidemiologie prévalence épidémiologie incidencia prevalencia población
    epidemiología
    """.split()  # noqa: SIM905
)


def _health_positions(folded: FoldedText) -> list[int]:
    """Word indexes of the health words, phrases and patients in `folded`."""
    at = [i for i, w in enumerate(folded.words) if w in HEALTH_WORDS or w == b"patient"]
    padded = folded.padded
    for head in PHRASE_HEADS.intersection(folded.words):
        for phrase in PHRASES_BY_HEAD[head]:
            k = padded.find(phrase)
            while k >= 0:  # words before it (punctuation leaves runs of spaces in `padded`)
                at.append(len(padded[: k + 1].split()))
                k = padded.find(phrase, k + 1)
    return at


_SENTENCE_END_RE: Final = re.compile(r"[.?!]+\s+|\n")


def _sentence_ends(text: str) -> list[int]:
    """Per sentence end in `text`, how many folded words come before it (one pass)."""
    ends: list[int] = []
    words, previous = 0, 0
    for match in _SENTENCE_END_RE.finditer(text):
        words += folded_words(text[previous : match.start()])
        ends.append(words)
        previous = match.start()
    return ends


def about_someone(folded: FoldedText, names: list[Span]) -> bool:
    """Whether health content is about someone (see `_ABOUT_WINDOW`): a person word or name
    within that many words of it or in its sentence, where the writer's own words
    (`FIRST_PERSON_WORDS`) count only in the same sentence."""
    if not asks(folded) and not _population(folded) and not _readings(folded):
        return True  # a statement about no population
    words = folded.words
    no_one = _no_one(folded, PERSON_WORDS.intersection(words))
    people = [
        i
        for i, w in enumerate(words)
        if (w in PERSON_WORDS or (w == b"ex" and i and words[i - 1] in _POSSESSIVES))
        and w not in FIRST_PERSON_WORDS
        and not (i and words[i - 1] in _ANYONE_BEFORE)
        and i not in no_one
    ]
    named = [folded_words(folded.text[:start]) for start, _, _ in names]
    writer = [
        i
        for i, w in enumerate(words)
        if w in FIRST_PERSON_WORDS
        and not (w in _ASKED_FOR and i and words[i - 1] in REQUEST_WORDS)
        and not (w == b"i" and _not_the_writer(words, i))
        and i not in no_one
    ]
    notes = note_clauses(folded.text)
    if not people and not named and not writer and not notes:
        return False
    health = _health_positions(folded)
    if any(a <= h < b for h in health for a, b in notes):
        return True
    ends = _sentence_ends(folded.text)
    # "patient" is both, and is someone alone only as "the patient" ("the patient's chart"): "a
    # patient simulator", "a nurse-to-patient ratio" and "no patient data" name no one. A person
    # word counts within the window or anywhere in the health content's sentence ("my ex is
    # going for full custody and saying ..., but the truth is: on methadone maintenance"); a
    # name, a guess from capitals ("Apuntes de Biología"), within the window only.
    if any(
        (abs(h - p) <= _ABOUT_WINDOW or bisect_right(ends, h) == bisect_right(ends, p))
        and (h != p or (p and words[p - 1] in _DEFINITE))
        for h in health
        for p in people
    ) or any(abs(h - p) <= _ABOUT_WINDOW for h in health for p in named):
        return True
    if not writer:
        return False
    populated = {bisect_right(ends, i) for i, w in enumerate(words) if w in _POPULATION_WORDS}
    for p in writer:
        sentence = bisect_right(ends, p)
        if sentence in populated:
            continue
        if any(abs(h - p) <= _ABOUT_WINDOW and bisect_right(ends, h) == sentence for h in health):
            return True
    return False


# A lower-case "i" is the Italian "the", the Polish "and" and the Nordic "in" as often as a
# careless "I" ("Spiega i sintomi del diabete", "insulina i metformina", "diabetes i Sverige"): it
# is the writer only before a word that follows "I" in English ("i have", "i was", "i'm").
_LOWER_I_RE: Final = re.compile(r"(?<![\w'’.-])i(?![\w.-])")
_AFTER_I: Final = frozenset(
    w.encode()
    for w in """
    m ve d ll am have had has was were think thought feel felt need needed want wanted got get
    take took can cant couldnt cannot don dont didn didnt did do will would wont should could
    just really also still never always been went go started stopped know knew hope guess keep
    kept tried try used use suffer suffered struggle struggled live lived lost found find
    believe noticed notice seem seemed hate love like wonder wish mean recently only actually
    honestly finally usually sometimes often even already must may might kind barely
    """.split()  # noqa: SIM905
)


def _foreign_i(folded: FoldedText) -> set[int]:
    """Word indexes of the lower-case "i"s in `folded` that are no English "I" (`_AFTER_I`)."""
    text, words = folded.text, folded.words
    if " i " not in text and not text.startswith("i ") and "\ni " not in text:
        return set()
    at = (folded_words(text[: m.start()]) for m in _LOWER_I_RE.finditer(text))
    return {k for k in at if k + 1 >= len(words) or words[k + 1] not in _AFTER_I}


def _no_one(folded: FoldedText, found: set[bytes] | frozenset[bytes]) -> set[int]:
    """Word indexes of the words for a person in `folded` (`found` are those it holds) that
    point at no one: pieces of a firm's or a town's name or of a code (`_NAME_PIECE_RE`), a
    unit after a number (`_UNIT_LETTERS`), the impersonal French "il" ("il faut",
    `_IMPERSONAL_AFTER_IL`), a lower-case "i" that is no English "I"
    (`_foreign_i`), the common words of the text's language (`language.foreign_person_words`),
    and nouns in a pair or qualifying another (`_generic`)."""
    at = _name_pieces(folded.text, found)
    if b"i" in found:
        at |= _foreign_i(folded)
    words = folded.words
    if not _UNIT_LETTERS.isdisjoint(found):  # "435 m", "12 j": metres, minutes, days
        at |= {
            k for k, w in enumerate(words) if w in _UNIT_LETTERS and k and words[k - 1].isdigit()
        }
    if b"il" in found:  # "il faut", "il y a", "il s'agit"
        at |= {
            k
            for k, w in enumerate(words[:-1])
            if w == b"il"
            and (words[k + 1] in _IMPERSONAL_AFTER_IL or words[k + 1 : k + 3] == [b"s", b"agit"])
        }
    if not _ITS.isdisjoint(found):  # "ses causes", "su tratamiento"
        at |= {
            k for k, w in enumerate(words[:-1]) if w in _ITS and words[k + 1] in _WHAT_A_THING_HAS
        }
    foreign = foreign_person_words(words)
    if foreign:
        at |= {k for k, w in enumerate(words) if w in foreign}
    if not _PAIR_NOUNS.isdisjoint(found):
        at |= _generic(words)
    return at


def _generic(words: list[bytes]) -> set[int]:
    """Word indexes of the person nouns in a pair ("mother to child") and of a "patient" that
    qualifies the noun after it ("patient safety")."""
    at: set[int] = set()
    for k in range(len(words) - 1):
        w, after = words[k], words[k + 1]
        if w == b"patient" and after in _PATIENT_QUALIFIES:
            at.add(k)
        elif (
            w in _PAIR_NOUNS
            and after in _PAIR_JOINS
            and k + 2 < len(words)
            and words[k + 2] in _PAIR_NOUNS
        ):
            at |= {k, k + 2}
    return at


def _not_the_writer(words: list[bytes], i: int) -> bool:
    """Whether the "i" at `i` is no "I": a Roman numeral ("stage I"), an abbreviation ("I.E.",
    "i.v."; not "i.m.", which folds as "I'm" does), or a Nordic "in" before a number ("i 10
    år")."""
    after = words[i + 1] if i + 1 < len(words) else b""
    return bool((i and words[i - 1] in _NUMBERED) or after in (b"e", b"v") or after[:1].isdigit())


def may_be_about_someone(folded: FoldedText) -> bool:
    """Whether anything in `folded` may be about someone: a word for a person anywhere (not a
    group's "we", `_GROUP_WRITER`, nor one that points at no one, `_no_one`), or a text that
    neither asks, counts a population nor records readings. The trained stage is asked only
    then (`privacy.detect_privacy`)."""
    if not asks(folded) and not _population(folded) and not _readings(folded):
        return True
    found = PERSON_WORDS.intersection(folded.words) - _GROUP_WRITER
    if not found or not found <= _MAY_BE_NO_ONE:
        return bool(found)
    no_one = _no_one(folded, found)
    return any(w in found and k not in no_one for k, w in enumerate(folded.words))


def asks(folded: FoldedText) -> bool:
    """Whether `folded` asks something: a question mark, a request verb, or a question word
    first."""
    words = folded.words
    return (
        "?" in folded.text
        or not REQUEST_WORDS.isdisjoint(words)
        or bool(words and words[0] in QUESTION_WORDS)
    )


def _population(folded: FoldedText) -> bool:
    """Whether `folded` counts a population: a population word, or a number at most one word
    before a group word ("2 admissions", "38 patients", "72% of adults"; a group that may be a
    family, "2 children", from `_POPULATION_COUNT` on)."""
    words = folded.words
    if not _POPULATION_WORDS.isdisjoint(words):
        return True
    if _GROUP_WORDS.isdisjoint(words):
        return False
    return any(
        w in _GROUP_WORDS and any(_count(n, w) for n in words[max(0, i - 2) : i])
        for i, w in enumerate(words)
    )


# A text of readings ("Ventilator log 14:05: PEEP 5 cmH2O, FiO2 40%", "stock: insulin glargine
# 40 pens, sertraline 50 mg 12 packs") has at least this many numbers, making at least this share
# of its words, and a number within this many words after each of its health words: it records
# measurements or stock, not someone, unless a person stands near (as when it asks).
_READING_NUMBERS: Final = 3
_READING_SHARE: Final = 0.25
_READING_NEAR: Final = 3


def _readings(folded: FoldedText) -> bool:
    words = folded.words
    # A number, or a code ending in one ("lotto T66250", "batch WN4429"; not "HbA1c").
    numbers = {i for i, w in enumerate(words) if w[:1].isdigit() or w[-1:].isdigit()}
    if len(numbers) < max(_READING_NUMBERS, _READING_SHARE * len(words)):
        return False
    return all(
        any(j in numbers for j in range(h + 1, h + 1 + _READING_NEAR))
        for h in _health_positions(folded)
    )


def _count(word: bytes, group: bytes) -> bool:
    return word.isdigit() and (group not in _FAMILY_GROUPS or int(word) >= _POPULATION_COUNT)
