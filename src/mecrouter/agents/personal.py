"""Dates of birth and postal addresses, as spans (names are in `names`), and the words that
point at a person, by which `about` tells whom health content is about.

Each runs only behind a cheap gate in `privacy`: a birth word for dates of birth, a digit and a
street word for addresses.
"""

from __future__ import annotations

import re
from typing import Final

from mecrouter.agents.folding import folded_words
from mecrouter.agents.identifiers import Span
from mecrouter.agents.names import CAP_WORD, LOWER, UPPER
from mecrouter.agents.nearby import find_all

DATE_OF_BIRTH = "date_of_birth"
POSTAL_ADDRESS = "postal_address"

# Words that point at a person, in en/de/fr/es, folded: personal pronouns and possessives (and,
# since Spanish drops its pronouns, the first person of its commonest verbs), relatives, and the
# roles a letter or a note is about. German, French and Spanish third-person pronouns also stand
# for things ("elle" for "la maladie"); next to health words they mostly mean a person, and the
# independently written negatives of the corpus's dev split lost nothing by them.
PERSON_WORDS: Final = frozenset(
    w.encode()
    for w in """
    i me my mine myself we he she his her him hers himself herself patient client son
    daughter mother father mum mom dad wife husband partner brother sister friend colleague
    boyfriend girlfriend grandmother grandfather grandma grandpa aunt uncle cousin niece nephew
    baby child kid fiance fiancee employee claimant applicant tenant passenger traveller traveler
    ich mein meine meinen meinem meiner meines mir mich wir uns er sie ihm ihn ihr sein seine
    seinen seiner patientin klient klientin sohn tochter passagier passagierin
    mutter vater mama papa ehefrau ehemann partnerin bruder schwester freund freundin kollege
    kollegin mitarbeiter mitarbeiterin oma opa kind
    je j moi mon ma mes me m nous nos il elle lui sa ses patiente cliente fils fille mère
    père mari femme
    frère sœur ami amie collègue salarié salariée enfant passager passagère
    yo mi mis conmigo mío mía nosotros nosotras él ella su sus paciente hijo hija
    madre padre pasajero pasajera
    marido esposa esposo hermano hermana amigo amiga compañero compañera novio novia tengo estoy
    soy llevo llevamos vivo voy pasé tuve sufro padezco tomo necesito estuve nos perdí
    fumo bebo puedo siento sentí noto empecé dejé
    """.split()  # noqa: SIM905
)

# The words of `PERSON_WORDS` by which a writer speaks of themselves. Health content is about the
# writer only when one of them stands in its sentence (see `about.about_someone`): "I am
# preparing a talk. What are the signs of mania?" asks about an illness. "Our", "notre",
# "unser", "nuestro" are in neither set: they speak of a group ("our works council", "notre
# mairie"), and "our son" counts by its noun.
FIRST_PERSON_WORDS: Final = frozenset(
    w.encode()
    for w in """
    i me my mine myself we ich mein meine meinen meinem meiner meines mir mich wir uns je j moi
    mon ma mes me m nous nos yo mi mis conmigo mío mía nosotros nosotras tengo estoy soy llevo
    llevamos vivo voy pasé tuve sufro padezco tomo necesito estuve perdí fumo bebo puedo
    siento sentí noto empecé dejé
    """.split()  # noqa: SIM905
)

# A field of a note whose clause has no subject ("Assessment: has autism and an EHCP.",
# "Befund: hat seit 2019 eine Depression.") is about the person the note is about. A question
# ("Q: is autism inherited?") is not, so the clause must end without a question mark, and nor is
# a count ("annual totals: tested 1735, resistant 212").
_NOTE_CLAUSE_RE: Final = re.compile(
    r":\s*(?:has|had|is|was|carries|needs|uses|takes|developed|disclosed|reports|reported"
    r"|recovering|registered|confirmed|tested|going through|diagnosed|known|lives|suffers"
    r"|undergoing|started|receiving|awaiting|attends|hat|hatte|ist|war|leidet|trägt|nimmt|braucht"
    r"|a\s+eu|est|souffre|présente|porte|prend|suit|tiene|tuvo|padece|sufre|presenta|toma"
    r"|necesita|lleva)\s(?!\d+(?:[.,']\d{3})*\s*[,;])[^.?!\n]*(?![^.!\n]*\?)",
    re.IGNORECASE,
)


def note_clauses(text: str) -> list[tuple[int, int]]:
    """Word ranges [start, end) of the subjectless clauses of a note's fields in `text`."""
    if ":" not in text:
        return []
    return [
        (folded_words(text[: m.start()]), folded_words(text[: m.end()]))
        for m in _NOTE_CLAUSE_RE.finditer(text)
    ]


# ------------------------------------------------------------------------------- dates of birth

BIRTH_WORDS: Final = frozenset(
    """
    dob birth born birthdate birthday né née nee geboren geburtsdatum geb nacimiento nacido
    nacida født född syntynyt nascita nato nata geboortedatum urodzenia urodzony urodzona
    nascimento nascido nascida fødselsdato födelsedatum syntymäaika naissance
    """.split()  # noqa: SIM905
)
_MONTH_DATE = (
    rf"\d{{1,2}}(?:st|nd|rd|th|er|º|\.)?\s+(?:de\s+|of\s+)?"
    rf"[{UPPER}{LOWER}]{{3,10}}\.?,?\s+(?:de\s+)?\d{{4}}"
)
_DATE_RE = re.compile(
    r"(?<!\d)(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2}"
    rf"|{_MONTH_DATE}|[{UPPER}{LOWER}]{{3,10}}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})(?!\d)"
)
_BIRTH_RE = re.compile(
    r"(?i:\bd\.?o\.?b\b|date\s+of\s+birth|birth\s*date|\bborn\b|\bn[ée]e?\b|geboren|geburtsdatum|"
    r"\bgeb\b|fecha\s+de\s+nacimiento|f\.\s*nac|nacid[oa]|født|fødselsdato|född|födelsedatum|"
    r"syntynyt|syntymäaika|data\s+di\s+nascita|(?-i:\b[Nn]at[oa]\b)|geboortedatum|geboren\s+op|"
    r"data\s+urodzenia|urodzon[ya]|data\s+de\s+nascimento|nascid[oa]|date\s+de\s+naissance)"
)
_DATE_AFTER_CHARS = 32


def dob_spans(text: str, lowered: str) -> list[Span]:
    """A date in a common format within a few words after a birth word."""
    spans: list[Span] = []
    starts = {lowered.rfind(" ", 0, max(0, i - 12)) + 1 for i in _birth_word_ends(lowered)}
    for start in sorted(starts):
        label = _BIRTH_RE.search(text, start, start + 40)
        if label is None:
            continue
        date = _DATE_RE.search(text, label.end(), label.end() + _DATE_AFTER_CHARS)
        if date is None or any(s <= date.start() < e for s, e, _ in spans):
            continue
        if not _ANIMAL_BEFORE_RE.search(text, max(0, label.start() - 24), label.start()):
            spans.append((date.start(), date.end(), DATE_OF_BIRTH))  # not "Foal born on ..."
    return spans


_BIRTH_STEMS: Final = (
    "d.o.b",
    "dob",
    "birth",
    "born",
    "né",
    "nee",
    "geb",
    "nac",
    "født",
    "fødsel",
    "född",
    "födelse",
    "syntym",
    "syntyn",
    "nascit",
    "nato",
    "nata",
    "geboorte",
    "urodz",
    "nascid",
    "nascim",
    "naissance",
)


# An animal's birth is no one's date of birth ("Foal born on ...", "Unser Hund, geboren am":
# German nouns are capitalised wherever they stand), nor is a thing's right before the birth word
# ("Our project was born on ...", "La empresa, nacida el"; not "I work at a startup; I was born",
# nor "Anna Brand, born": a thing's noun is lower-case, but in German).
_ANIMALS = (
    r"calf|calves|foals?|lambs?|piglets?|kittens?|pupp(?:y|ies)|cubs?|chicks?|litter|heifer|herd|"
    r"animal|livestock|kalb|kälber|fohlen|lamm|lämmer|ferkel|welpen?|tier|rind|veaux?|poulain|"
    r"agneaux?|porcelets?|chiots?|chatons?|génisse|portée|terneros?|potros?|corderos?|lechón|"
    r"cachorros?|camada|vitell[oi]|puledr[oi]|agnell[oi]|cuccioli|dogs?|cats?|horses?|pets?|"
    r"hund|katze|pferd|chien|chat|cheval|perro|gato|caballo|cane|gatto"
)
_TIERE = r"Hund|Hündin|Katze|Kater|Pferd|Stute|Kalb|Kälber|Fohlen|Lamm|Ferkel|Welpen?|Tier|Rind"
_THINGS = (
    r"project|brand|company|firm|startup|start-up|business|product|app|idea|band|club|movement|"
    r"website|podcast|channel|projet|marque|entreprise|société|idée|produit|proyecto|marca|"
    r"empresa|producto|progetto|azienda|prodotto|Projekt|Marke|Firma|Unternehmen|Idee|Produkt|"
    r"Verein"
)
_ANIMAL_BEFORE_RE: Final = re.compile(
    rf"(?:(?<![\w-])(?:{_ANIMALS}|{_TIERE})|(?:^|[.!?\n])\s*(?i:{_ANIMALS}))\b[^.\n]*$"
    rf"|(?<![\w-])(?:{_THINGS})(?:,|\s+(?:was|is|were|est|fue|è|wurde|ist|war))?\s*$"
)


def _birth_word_ends(lowered: str) -> list[int]:
    return [i for i, _ in find_all(lowered, _BIRTH_STEMS)]


# ------------------------------------------------------------------------------- addresses

_STREET_EN = (
    r"Street|St|Road|Rd|Avenue|Ave|Lane|Ln|Drive|Dr|Boulevard|Blvd|Way|Court|Ct|Place|Pl|Terrace|"
    r"Close|Crescent|Square|Sq|Parkway|Pkwy|Highway|Hwy|Gardens|Grove|Row|Mews"
)
_STREET_SUFFIX = (
    r"straße|strasse|str\.|weg|allee|platz|gasse|ring|damm|ufer|chaussee|straat|laan|gracht|kade|"
    r"dijk|singel|plein|gatan|vägen|gränd|torget|gata|gate|gaten|veien|vegen|vei|veg|gade|vej|"
    r"stræde|katu|tie|kuja|polku|väylä"
)
_STREET_PREFIX = (
    r"[Rr]ue|[Aa]venue|[Bb]oulevard|[Cc]hemin|[Aa]llée|[Ii]mpasse|[Qq]uai|Calle|C/|Avenida|Avda\.?|"
    r"Plaza|Paseo|Camino|Carrer|Via|Viale|Piazza|Corso|Largo|Vicolo|Rua|Travessa|Praça|Alameda|"
    r"ul\.|ulica|al\.|aleja|pl\.|plac|Straße|Strasse"
)
# Words that end like a street ("-tie", the Finnish road; "-gate", the Norwegian street; "-gade",
# the Danish) and are none: "Sortie 12", "Garantie 2 Jahre", "Partie 3", "Aggregate 4",
# "Brigade 3".
_NOT_STREETS = (
    r"Partie|Sortie|Garantie|Repartie|Amnistie|Dynastie|Modestie|D[ée]mo[ck]ratie|Diplomatie|"
    r"Bürokratie|Aggregate|Delegate|Surrogate|Navigate|Investigate|Propagate|Tailgate|"
    r"Floodgate|Brigade|Renegade|Sitzplatz|Parkplatz|Stellplatz|Tabellenplatz|Arbeitsplatz|"
    r"Listenplatz|Startplatz|Studienplatz|Ausbildungsplatz|Liegeplatz|Stehplatz"
)
# Units after a number: a distance, a weight or a time is no house number.
_UNITS = r"km|m|cm|mm|mi|kg|g|t|h|min|s|std|%|€|kw|kwh"
_ADDRESS_RE = re.compile(
    rf"(?<![\w.])\d{{1,5}}[A-Za-z]?,?\s+(?:{CAP_WORD}\s+){{1,3}}(?:{_STREET_EN})\b\.?"
    rf"|(?<!\w)(?=[{UPPER}])(?!(?:{_NOT_STREETS})\b)[{UPPER}][{LOWER}-]*(?:{_STREET_SUFFIX})"
    r"(?:\s+\d{1,4}(?:\s?[a-zA-Z])?\b)"
    rf"(?!\s*(?:{_UNITS})\b)"  # "Fahrtweg 26 km" is a distance
    rf"|(?<!\w)[{UPPER}][{LOWER}]+[\s-]+(?:Straße|Strasse|Weg|Allee|Platz|Gasse|Ring)\s+\d{{1,4}}\b"
    rf"|(?<![\w.])\d{{1,4}}(?:\s?(?:bis|ter))?,?\s+(?:{_STREET_PREFIX})\s+[\w'’ -]{{2,40}}"
    rf"|(?<!\w)(?:{_STREET_PREFIX})\s+(?:(?:de|del|la|los|das|dos|di|della|do|da)\s+)*"
    rf"[{UPPER}][\w'’. -]{{1,40}}?,?\s*(?:n[º°o.]\s*)?\d{{1,4}}\b"
    rf"(?!:\d\d|\s*(?:{_UNITS}|minut[io]s?|minutes?|ore|horas?)\b)"  # "Via Garibaldi alle 15:05"
)
_POSTCODE_RE = re.compile(
    rf"(?:,\s*|\n)(?:\d{{5}}|\d{{4}}\s?[A-Z]{{2}}|\d\d-\d{{3}}|\d{{4}}-\d{{3}}|\d{{3}}\s\d\d)\s+[{UPPER}][{LOWER}]+"
    r"|(?<![\w])[A-Z]{1,2}\d[A-Z\d]?\s\d[ABD-HJLNP-UW-Z]{2}(?!\w)"
    r"|(?<![\w])[A-Z][a-z]+,\s+[A-Z]{2}\s+\d{5}(?:-\d{4})?(?!\d)"
)
STREET_WORDS: Final = frozenset(
    """
    street st road rd avenue ave lane ln drive boulevard blvd way court ct place pl terrace
    close crescent square sq parkway pkwy highway hwy gardens grove row mews rue chemin allée
    impasse quai calle c avenida avda plaza paseo camino carrer via viale piazza corso largo
    vicolo rua travessa praça alameda ul ulica al aleja plac straße strasse str weg allee
    platz gasse ring address adresse dirección indirizzo adres endereço adress osoite
    """.split()  # noqa: SIM905
)
STREET_SUFFIXES: Final = tuple(
    s.encode()
    for s in (  # noqa: SIM905
        "straße strasse weg allee platz gasse damm straat laan gracht gatan vägen "
        "gata gate veien vegen vei gade vej katu tie kuja"
    ).split()
)


def _literals(*alternations: str) -> tuple[str, ...]:
    """The words an alternation of street names spells, without regex escapes and classes."""
    words = []
    for alternation in alternations:
        for item in alternation.replace("\\.?", "").replace("\\", "").split("|"):
            if item.startswith("["):  # "[Rr]ue": both spellings
                words += [item[1] + item[4:], item[2] + item[4:]]
            else:
                words.append(item)
    return tuple(words)


# What must stand in the text for `_ADDRESS_RE` to match: a street word spelled as the pattern
# spells it (a capitalised "Road", a "C/" or "ul."), or a word ending with a street suffix.
_STREET_LITERALS: Final = _literals(_STREET_EN, _STREET_PREFIX, "Weg|Allee|Platz|Gasse|Ring")
_SPELLINGS: Final = {  # folded word -> its spellings in the patterns
    key: tuple(w for w in _STREET_LITERALS if w.lower().rstrip("./").encode() == key)
    for key in {w.lower().rstrip("./").encode() for w in _STREET_LITERALS}
}
_STREET_KEYS: Final = frozenset(_SPELLINGS)
_SUFFIX_LITERALS: Final = _literals(_STREET_SUFFIX)


def may_hold_address(text: str, words: list[bytes], shape: bytes) -> bool:
    """False when `address_spans(text)` must be empty: no postcode outline in the number shape,
    no street word spelled as the patterns spell it and no street suffix before a number.

    `words` and `shape` are `privacy.fold_text`'s. In a non-ASCII text a street word may be
    glued to a character the fold keeps, so there the words are looked for in the text itself.
    """
    if (b"000" in shape and ("," in text or "\n" in text)) or b"0AA" in shape:
        return True  # a postcode after a comma or a line break, or a UK postcode
    if text.isascii():
        keys = _STREET_KEYS.intersection(words)
        if any(literal in text for key in keys for literal in _SPELLINGS[key]):
            return True
    elif any(literal in text for literal in _STREET_LITERALS):
        return True
    tokens = text.split()  # the same whitespace as the patterns' \s
    return any(
        tokens[i - 1].endswith(_SUFFIX_LITERALS)
        for i in range(1, len(tokens))
        if tokens[i][:1].isdigit()
    )


def address_spans(text: str) -> list[Span]:
    """A street number with a street word, or a postcode with a city."""
    spans = [(m.start(), m.end(), POSTAL_ADDRESS) for m in _ADDRESS_RE.finditer(text)]
    for match in _POSTCODE_RE.finditer(text):
        start = match.start() + (len(match.group()) - len(match.group().lstrip(",\n \t")))
        spans.append((start, match.end(), POSTAL_ADDRESS))
    return spans
