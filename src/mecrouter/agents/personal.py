"""Names, dates of birth and postal addresses, as spans: the identifiers that are words.

Each runs only behind a cheap gate in `privacy`: a birth word for dates of birth, a digit and a
street word for addresses, some other personal data for names (a name alone is not a finding).
"""

from __future__ import annotations

import re
from typing import Final

from mecrouter.agents.folding import folded_words
from mecrouter.agents.nearby import find_all

Span = tuple[int, int, str]

PERSON_NAME = "person_name"
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


_UP = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞİŁŃŇŐŒŘŚŞŠŢŤŮŰŹŻŽ"
_LOW = "a-zß-öø-ÿāăąćčďđēęěğıłńňőœřśşšţťůűźżž"
# A capitalised word; a double-barrelled one is one word ("Anne-Marie", "Insulin-Pens").
_CAP_WORD = rf"(?:Mc|Mac|O['’]|D['’])?[{_UP}][{_LOW}'’]+(?:-[{_UP}]?[{_LOW}'’]+)*-?"
_PARTICLE = r"(?:(?:de|da|del|der|di|van|von|le|la|dos|das|ten|af)\s+)?"

# ------------------------------------------------------------------------------- names

# A name never runs over a line break. (The capital first lets most positions fail at once.)
_NAME_RE = re.compile(
    rf"(?=[{_UP}])(?<![\w.-])({_CAP_WORD})(?:[ \t]+{_PARTICLE}{_CAP_WORD}){{1,2}}"
)
_LABELLED_NAME_RE = re.compile(
    r"(?<![\w])(?:Mrs?|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Hr|Fr|M|Mme|Mlle|Sr|Sra|Srta|Dña?|Don|Sig|"
    r"Sig\.ra|Client|Re|Name|Patient|Patientin|Patiente|Paciente|Nom|Nombre|Klient|Klientin|"
    r"Cliente|Employee|Mitarbeiter|Mitarbeiterin|Applicant|Tenant|Insured|Versicherte[rn]?|"
    r"Assuré|Asegurado|Titular|Holder|Account holder|Beneficiary)"
    rf"(?i:\s+name)?\.?:?\s+({_CAP_WORD}(?:[ \t]+{_PARTICLE}{_CAP_WORD}){{0,2}})(?![\w])"
)
# Capitalised words that start sentences or name things other than people, in en/de/fr/es.
_NOT_NAMES: Final = frozenset(
    """
    The This That These Those There Their They Then When What Where Which Who Why How Please
    Dear Hello Hi Thanks Thank Yes No Not And But Or If In On At For From To With Without By
    Of As Is Are Was Were Be It Its My Our Your His Her We You I Me Can Could Would Should
    Will May Might Must Do Does Did Have Has Had Also After Before Since Until While During
    Today Tomorrow Yesterday Monday Tuesday Wednesday Thursday Friday Saturday Sunday January
    February March April June July August September October November December Mr Mrs Ms Dr Sir
    Madam Patient Client Name Re Subject Date Note Notes Summary Report Letter Dear Attn
    Attention Regards Best Kind Der Die Das Ein Eine Und Oder Sehr Geehrte Geehrter Herr Frau
    Liebe Lieber Mit Bitte Ich Wir Sie Er Es Am Im Vom Zum Zur Januar Februar März Mai Juni
    Juli Oktober Dezember Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag Le La
    Mon Tue Tues Wed Thur Thurs Fri Sat Feb Apr Jul Aug Sep Sept Oct Nov Dec
    Les Un Une Des Du Et Ou Pour Avec Sans Monsieur Madame Cher Chère Bonjour Merci Je Nous
    Vous Il Elle Janvier Février Mars Avril Juin Juillet Août Septembre Octobre Novembre
    Décembre Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche El Los Las Una Unos Y Con Sin
    Señor Señora Estimado Estimada Hola Gracias Yo Nosotros Usted Enero Febrero Marzo Abril
    Mayo Junio Julio Agosto Septiembre Octubre Noviembre Diciembre Lunes Martes Miércoles
    Jueves Viernes Sábado Domingo New York London Paris Berlin Madrid United States Kingdom
    Street Road Avenue University Hospital Clinic Bank Insurance Company Ltd Inc GmbH Tax
    Office Court Department Ministry Health Service National Social Security Medicare Medicaid
    Account Number Passport Card Birth Born Email Phone Mobile Address Please Can Update Send
    Check Review Write Draft Summarise Summarize Translate Help
    San Santa Santo Saint Sainte St Nueva Nuevo Vieja Viejo Villa Ciudad Puerto Port Fort Mount
    Bad Neu Alt Sankt
    Millionen Milliarden Tausend Hundert Prozent Menschen Personen Patienten Patientinnen Einwohner
    Bewohner Kinder Frauen Männer Beschäftigte Teilnehmende Fälle Station Praxis Klinik Apotheke
    Kategorie Tabelle Statistik Therapie Medizin Abteilung Aufnahme Aufnahmen
    Welche Welcher Welches Wie Was Warum Wann Wo Woran Wieso Kann Kannst Können Könnten Gibt
    Ist Sind Hat Haben Für Bei Auf Aus Nach Über Unter Vor Zu Als Auch Wenn Dass Ob Diese
    Dieser Dieses Alle Jede Jeder Hier Nun Jetzt Heute Quel Quelle Quels Quelles Comment
    Pourquoi Quand Où Est Peux Pouvez Voici Ce Cette Ces Dans Sur Par Mais Donc Qué Cuál Cuáles
    Cómo Por Cuándo Dónde Puedes Podrías Hay Es Son Este Esta Estos Estas En Para Pero
    """.split()  # noqa: SIM905
)

# Roles that lead a name in notes and records ("Driver Ashley Boyle", "Mieterin Anna Roth"): not
# part of a three-word run, yet surnames elsewhere ("Adam Driver", "Karl Kunde").
_LEADERS: Final = _NOT_NAMES | frozenset(
    """
    Driver Employee Applicant Tenant Member Customer Player Student Pupil Resident Passenger
    Traveller Traveler Claimant Caller Nurse Carer Fahrer Fahrerin Mitarbeiter Mitarbeiterin
    Kunde Kundin Mieter Mieterin Schüler Schülerin Chauffeur Salarié Salariée Locataire Adhérent
    Adhérente Élève Conductor Conductora Empleado Empleada Inquilino Inquilina Alumno Alumna
    """.split()  # noqa: SIM905
)

# Words that lead places and firms, never a person's first name: a run they lead is no person
# ("North Liam" and "Lake Carrie" are towns, "Supplier Olsson" a firm). "West" and "North" are
# surnames, but last in a name.
_PLACE_OR_FIRM_LEADS: Final = frozenset(
    """
    North South East West New Lake Port Fort Mount Saint Santa San Nueva Nuevo Villa Vila Bad
    Sankt Nowa Nowy Porto Lago Monte Supplier Vendor Distributor Wholesaler Manufacturer
    Pharmacy Warehouse Depot Lab Laboratory Laboratories Site Store Plant Factory Großhandel
    Lieferant Händler Hersteller Firma Lager Fournisseur Pharmacie Laboratoire Entrepôt Proveedor
    Farmacia Laboratorio Laboratorios Almacén Distribuidor Fabricante Grupo Grupa Fundacja
    Fundación Spółdzielnia Stowarzyszenie Hermanos Comercial Corporación Industrias Royal
    """.split()  # noqa: SIM905
)
# ... words that end a place ("Eoin Ville", "Cedar Falls"), and word endings no name has
# ("Jenniferfurt", "North Cameronmouth", "Aliciaview"; "-ville" ends surnames: Melville).
_PLACE_ENDS: Final = frozenset(
    "Ville City Town Village Falls Springs Heights Beach Bay Harbor Harbour Valley Creek".split()  # noqa: SIM905
)
_PLACE_SUFFIXES: Final = tuple(
    "furt mouth view shire haven borough burgh town side stad".split()  # noqa: SIM905
)


def _place_word(word: str) -> bool:
    return len(word) > 6 and word.lower().endswith(_PLACE_SUFFIXES)


# Words inside a firm's name ("Jennings Group", "Stichting Scheer", "Lehmann Giger GmbH", whose
# run ends at "Gmb"), and Spanish plural nouns of action, which name firms ("Distribuciones
# Toledo"; not the singular: Concepción, Asunción and Visitación are women's names).
_FIRM_WORDS: Final = frozenset(
    """
    Group Groep Gruppen Gruppe Holding GmbH GesbR GbR Sàrl Lda Ltda Ltd Inc Corp Stichting
    Koninklijke Despacho Club Oy Oyj Tmi Osk Ay Comm ApS Sp
    """.split()  # noqa: SIM905
)
# A run that opens with a surname's particle is a surname alone ("De Backer", "Di Taro").
_PARTICLES: Final = frozenset("De Di Da Du Van Von Del Dos Das Den Der Ten Ter".split())  # noqa: SIM905
_FIRM_NOUN_ENDS: Final = ("ciones", "siones")


def _firm(text: str, words: list[str], end: int) -> bool:
    glued = re.match(r"[A-Za-z]*", text[end : end + 4])
    last = words[-1] + (glued.group() if glued else "")
    return last.rstrip(".") in _FIRM_WORDS or any(
        w in _FIRM_WORDS or w.endswith(_FIRM_NOUN_ENDS) for w in words[:-1]
    )


# A capitalised run right after a word of place is a place ("a community centre in West
# Vincentton", "at the Adrian Ville terminal"), not a person.
_PLACE_BEFORE_RE = re.compile(r"(?:^|\W)(?i:in|at|near|outside|around|en|à|nach)(?: the)?\s+$")
# ... and one right after an article is a thing ("beim Vergleich der Länder", "the Hash Sum
# check"): German capitalises every noun, and no language puts an article before a full name.
_ARTICLE_BEFORE_RE = re.compile(
    r"(?:^|\W)(?:the|der|die|das|den|dem|des|ein|eine|einer|einem|einen|eines|beim|zum|zur|vom|"
    r"im|am|ins|le|la|les|du|au|aux|el|los|las|del|al|un|una|uno)\s+$"
)


# ... and one right before a company's legal form is a company ("Großhandel Meister GbR",
# "Moss Clarke Ltd").
_COMPANY_AFTER_RE = re.compile(
    r",?\s+(?:&\s+(?:Co|Cie|Partner|Söhne|Sons)\.?\s+)?(?:GmbH|GbR|AG|KG|KGaA|OHG|UG|mbH|e\.V\.|"
    r"Ltd|Limited|LLC|LLP|Inc|PLC|plc|Corp|Group|SA|SAS|SARL|Sàrl|S\.A\.|S\.L\.|SL|SRL|BV|NV|"
    r"and Sons|& Sons|e Hijos|y Asociados|y asociados|& Partner|und Partner|Holding|"
    r"GesbR|GesmbH|OG|Sp\.|Sp\.k\.|S\.A|Oy|Oyj|Tmi|Osk|Ay|ry|AB|HB|KB|ApS|A/S|I/S|AS|ASA|"
    r"Gruppen|Groep|Gruppe|B\.V\.|N\.V\.|CV|VOF|Comm\.V|Lda|Ltda|S/A|ME|s\.r\.l\.|S\.p\.A\.|"
    r"SpA|e figli|S\.L\.L\.|S\.C\.P|A\.C\.|S\.Coop|Sàrl\.)(?![\w])"
)


# German abstract nouns and their plurals ("Vorlesung", "Packungen", "Gemeinschaft"), never a
# name this long.
_NOUN_SUFFIXES: Final = (
    "ung", "heit", "keit", "schaft", "tät", "ismus", "nis", "ungen", "heiten", "keiten", "schaften",
    "täten", "nisse",
)  # fmt: skip


# No name has a word this long; German compounds do ("Medikamentenkühlschrank").
_COMPOUND_LETTERS: Final = 17
# Heads of German compound nouns that end no name ("Bestandsliste", "Nachtschicht",
# "Unfallchirurgie", "Impfstoff"), in a word of nine letters or more (the few that are no name
# alone either, "Station", "Apotheke", are in `_NOT_NAMES`). Not "heim", "stelle" or "rate",
# which end names (Solheim, Estelle, Zarate).
_COMPOUND_HEADS: Final = tuple(
    """
    liste schicht station praxis klinik chirurgie stoff schrank bericht plan stand daten zahlen
    werte tage kosten preis gruppe kraft kräfte pflege dienst zeit raum amt leitung bereich
    abteilung medizin therapie kategorie aufnahme aufnahmen belegung quote untergrenze logger
    messung protokoll termin termine tabelle übersicht auswertung statistik apotheke
    """.split()  # noqa: SIM905
)


def _compound_noun(word: str) -> bool:
    return len(word) > 8 and word.lower().endswith(_COMPOUND_HEADS)


def _is_name(words: list[str]) -> bool:
    return not any(
        w in _NOT_NAMES
        or w.isupper()
        or (len(w) >= 8 and w.endswith(_NOUN_SUFFIXES))
        or max(map(len, w.split("-"))) >= _COMPOUND_LETTERS
        or _compound_noun(w)
        or _place_word(w)
        for w in words
    )


def name_spans(text: str) -> list[Span]:
    """Names after a title or label, and runs of two or three capitalised words."""
    spans: list[Span] = []
    for match in _LABELLED_NAME_RE.finditer(text):
        words = match.group(1).split()
        while words and words[-1] in _NOT_NAMES:
            words.pop()
        if words and words[0] not in _NOT_NAMES:
            start = match.start(1)
            spans.append((start, start + len(" ".join(words)), PERSON_NAME))
    for match in _NAME_RE.finditer(text):
        # A sentence's first word or a role may lead the run ("Does John Smith have...",
        # "Driver Ashley Boyle signed off"): drop it.
        start, rest = match.start(), match.group()
        if rest.split(maxsplit=1)[0] in _PLACE_OR_FIRM_LEADS:
            continue  # "Nueva República Democrática", "Supplier Olsson"
        while rest.split(maxsplit=1)[0] in _LEADERS and len(rest.split()) > 2:
            head = rest.split(maxsplit=1)[0]
            skip = len(rest) - len(rest[len(head) :].lstrip())
            start, rest = start + skip, rest[skip:]
        words = [w for w in rest.split() if w[0].isupper()]
        end = match.end()
        if len(words) >= 2 and _is_name(words) and not _other_than(text, words, start, end):
            spans.append((start, end, PERSON_NAME))
    return spans


def _other_than(text: str, words: list[str], start: int, end: int) -> bool:
    """Whether the run `words` at text[start:end] names a place, a firm or a thing rather
    than a person."""
    if words[0] in _PLACE_OR_FIRM_LEADS or words[-1] in _PLACE_ENDS:
        return True
    if (len(words) == 2 and words[0] in _PARTICLES) or _firm(text, words, end):
        return True
    return bool(
        _PLACE_BEFORE_RE.search(text, max(0, start - 16), start)
        or _ARTICLE_BEFORE_RE.search(text, max(0, start - 8), start)
        or _COMPANY_AFTER_RE.match(text, end)
    )


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
    rf"[{_UP}{_LOW}]{{3,10}}\.?,?\s+(?:de\s+)?\d{{4}}"
)
_DATE_RE = re.compile(
    r"(?<!\d)(?:\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2})|\d{4}[./-]\d{1,2}[./-]\d{1,2}"
    rf"|{_MONTH_DATE}|[{_UP}{_LOW}]{{3,10}}\.?\s+\d{{1,2}}(?:st|nd|rd|th)?,?\s+\d{{4}})(?!\d)"
)
_BIRTH_RE = re.compile(
    r"(?i:\bd\.?o\.?b\b|date\s+of\s+birth|birth\s*date|\bborn\b|\bn[ée]e?\b|geboren|geburtsdatum|"
    r"\bgeb\b|fecha\s+de\s+nacimiento|f\.\s*nac|nacid[oa]|født|fødselsdato|född|födelsedatum|"
    r"syntynyt|syntymäaika|data\s+di\s+nascita|\bnat[oa]\b|geboortedatum|geboren\s+op|"
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


# An animal's birth is no one's date of birth.
_ANIMALS = (
    r"calf|calves|foals?|lambs?|piglets?|kittens?|pupp(?:y|ies)|cubs?|chicks?|litter|heifer|herd|"
    r"animal|livestock|kalb|kälber|fohlen|lamm|lämmer|ferkel|welpen?|tier|rind|veaux?|poulain|"
    r"agneaux?|porcelets?|chiots?|chatons?|génisse|portée|terneros?|potros?|corderos?|lechón|"
    r"cachorros?|camada|vitell[oi]|puledr[oi]|agnell[oi]|cuccioli"
)
_ANIMAL_BEFORE_RE: Final = re.compile(
    rf"(?:(?<![\w-])(?:{_ANIMALS})|(?:^|[.!?\n])\s*(?i:{_ANIMALS}))\b[^.\n]*$"
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
# Units after a number: a distance, a weight or a time is no house number.
_UNITS = r"km|m|cm|mm|mi|kg|g|t|h|min|s|std|%|€|kw|kwh"
_ADDRESS_RE = re.compile(
    rf"(?<![\w.])\d{{1,5}}[A-Za-z]?,?\s+(?:{_CAP_WORD}\s+){{1,3}}(?:{_STREET_EN})\b\.?"
    rf"|(?<!\w)[{_UP}][{_LOW}-]*(?:{_STREET_SUFFIX})(?:\s+\d{{1,4}}(?:\s?[a-zA-Z])?\b)"
    rf"(?!\s*(?:{_UNITS})\b)"  # "Fahrtweg 26 km" is a distance
    rf"|(?<!\w)[{_UP}][{_LOW}]+[\s-]+(?:Straße|Strasse|Weg|Allee|Platz|Gasse|Ring)\s+\d{{1,4}}\b"
    rf"|(?<![\w.])\d{{1,4}}(?:\s?(?:bis|ter))?,?\s+(?:{_STREET_PREFIX})\s+[\w'’ -]{{2,40}}"
    rf"|(?<!\w)(?:{_STREET_PREFIX})\s+(?:(?:de|del|la|los|das|dos|di|della|do|da)\s+)*"
    rf"[{_UP}][\w'’. -]{{1,40}}?,?\s*(?:n[º°o.]\s*)?\d{{1,4}}\b"
)
_POSTCODE_RE = re.compile(
    rf"(?:,\s*|\n)(?:\d{{5}}|\d{{4}}\s?[A-Z]{{2}}|\d\d-\d{{3}}|\d{{4}}-\d{{3}}|\d{{3}}\s\d\d)\s+[{_UP}][{_LOW}]+"
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
