"""Person names, as spans: runs of capitalised words and names after a title or label, less the
runs that name a place, a firm or a thing.

`privacy` looks for them only where other personal data or health content is present (a name
alone is not a finding); `about` counts a name near health content as someone it is about.
"""

from __future__ import annotations

import re
from typing import Final

from mecrouter.agents.asking import QUESTION_WORDS, REQUEST_WORDS
from mecrouter.agents.identifiers import Span

__all__ = ["CAP_WORD", "LOWER", "PERSON_NAME", "UPPER", "name_spans"]

PERSON_NAME = "person_name"

UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆČĎĐĒĘĚĞİŁŃŇŐŒŘŚŞŠŢŤŮŰŹŻŽ"
LOWER = "a-zß-öø-ÿāăąćčďđēęěğıłńňőœřśşšţťůűźżž"
# A capitalised word; a double-barrelled one is one word ("Anne-Marie", "Insulin-Pens").
CAP_WORD = rf"(?:Mc|Mac|O['’]|D['’])?[{UPPER}][{LOWER}'’]+(?:-[{UPPER}]?[{LOWER}'’]+)*-?"
_PARTICLE = r"(?:(?:de|da|del|der|di|van|von|le|la|dos|das|ten|af)\s+)?"


# A name never runs over a line break. (The capital first lets most positions fail at once.)
_NAME_RE = re.compile(
    rf"(?=[{UPPER}])(?<![\w.-])({CAP_WORD})(?:[ \t]+{_PARTICLE}{CAP_WORD}){{1,2}}"
)
_LABELLED_NAME_RE = re.compile(
    r"(?<![\w])(?:Mrs?|Ms|Miss|Mx|Dr|Prof|Herr|Frau|Hr|Fr|M|Mme|Mlle|Sr|Sra|Srta|Dña?|Don|Sig|"
    r"Sig\.ra|Client|Re|Name|Patient|Patientin|Patiente|Paciente|Nom|Nombre|Klient|Klientin|"
    r"Cliente|Employee|Mitarbeiter|Mitarbeiterin|Applicant|Tenant|Insured|Versicherte[rn]?|"
    r"Assuré|Asegurado|Titular|Holder|Account holder|Beneficiary)"
    rf"(?i:\s+name)?\.?:?\s+({CAP_WORD}(?:[ \t]+{_PARTICLE}{CAP_WORD}){{0,2}})(?![\w])"
)
# Capitalised words that start sentences or name things other than people, in en/de/fr/es
# (and the medical specialties of a ward list, "Gen Med", and the documents a firm sends,
# "Lieferschein Eberhardt", in the twelve languages).
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
    Gen Med Surg Paeds Peds Ortho Cardio Resp Neuro Gastro Onc Haem Heme Renal Obs Gyn Gynae
    Psych Rehab Derm Uro Medicine Surgery Maternity Oncology Cardiology Geriatrics
    Paediatrics Pediatrics
    Lieferschein Rechnung Bestellung Auftrag Angebot Gutschrift Invoice Order Receipt Quotation
    Facture Commande Devis Factura Pedido Albarán Presupuesto Fattura Ordine Bolla Preventivo
    Factuur Bestelling Pakbon Offerte Fatura Encomenda Orçamento Faktura Zamówienie Följesedel
    Lasku Tilaus Rapport
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

# A request verb or a question word opening a run, with an article after it, leads a thing
# ("Calcula la Tasa de Mortalidad", "Spiega la Sindrome di Down"), not "Maria da Silva".
_ASKING: Final = REQUEST_WORDS | QUESTION_WORDS

# Words that lead places and firms, never a person's first name: a run they lead is no person
# ("North Liam" and "Lake Carrie" are towns, "Supplier Olsson" a firm). "West" and "North" are
# surnames, but last in a name. Towns in the corpus's languages: "Lille Skensved", "Zielona
# Góra", "Borgo Valsugana", "Caldas da Rainha", "Sint Joost" (not the surnames Costa, Torre,
# Campo, Strand, which may lead a run of surnames).
_PLACE_OR_FIRM_LEADS: Final = frozenset(
    """
    North South East West New Lake Port Fort Mount Saint Santa San Nueva Nuevo Villa Vila Bad
    Sankt Nowa Nowy Porto Lago Monte Supplier Vendor Distributor Wholesaler Manufacturer
    Pharmacy Warehouse Depot Lab Laboratory Laboratories Site Store Plant Factory Großhandel
    Lieferant Händler Hersteller Firma Lager Fournisseur Pharmacie Laboratoire Entrepôt Proveedor
    Farmacia Laboratorio Laboratorios Almacén Distribuidor Fabricante Grupo Grupa Fundacja
    Fundación Spółdzielnia Stowarzyszenie Hermanos Hnos Comercial Corporación Industrias Royal
    Banca Banco Comercializadora Compañía Consultoría Desarrollo Desarrollos Proyectos Servicios
    Construcción Gabinet Gabinety Klantenservice Klantendienst Servicedesk Helpdesk Hotline
    Kundenservice Kundendienst Kundeservice Kundtjänst Kundservice Asiakaspalvelu Vaihde
    Atendimento Assistenza
    Klinikum Klinik Hôpital Hospital Ospedale Ziekenhuis Szpital Sjukhus Sykehus Sygehus Clínica
    Clinique Centre Center Centro Zentrum Station
    Lille Nørre Søndre Sønder Øster Vester Stara Stary Biała Biały Zielona Borgo Castel
    Castello Colle Pieve Poggio Badia Abbadia Abazia Bagni Lido Caldas Figueira Póvoa Castelo
    Ponta Ponte Rio São Praia Ribeira Paços Casa Vale Lagoa Sint Oud
    """.split()  # noqa: SIM905
)
# ... words that end a place ("Eoin Ville", "Cedar Falls", "Ribeira Grande", "Jelenia Góra",
# "Cividale Stazione", "Rios da Praia"; not Grande, Verde or Flores, which end surnames), Polish
# regions' adjectives in any gender ("Mińsk Mazowiecki", "Ruda Śląska"), and word endings no
# name has ("Jenniferfurt", "North Cameronmouth", "Aliciaview", "Hyderabad"; "-ville" ends
# surnames: Melville).
_PLACE_ENDS: Final = frozenset(
    """
    Ville City Town Village Falls Springs Heights Beach Bay Harbor Harbour Valley Creek Land
    Praia Pedras Dourados Norte Sul Oeste Leste Foz Paulista Maior Menor Novo Velho Velha
    Novas Novos Velhos Velhas Superiore Inferiore Sopra Sotto Vecchia Nuova Nuove Stazione
    Scalo Terme Lido Góra Góry Górne Górny Górnicza Wola Zdrój
    """.split()  # noqa: SIM905
)
_REGION_STEMS: Final = tuple(
    """
    mazowieck wielkopolsk śląsk podlask gdańsk szczecińsk świętokrzysk trybunalsk pomorsk
    kujawsk lubelsk małopolsk warmińsk mazursk
    """.split()  # noqa: SIM905
)
_PLACE_SUFFIXES: Final = tuple(
    "furt mouth view shire haven borough burgh town side stad stadt abad garh".split()  # noqa: SIM905
)


def _place_word(word: str) -> bool:
    lowered = word.lower()
    return (len(word) > 6 and lowered.endswith(_PLACE_SUFFIXES)) or lowered.startswith(
        _REGION_STEMS
    )


# Words inside a firm's name ("Jennings Group", "Stichting Scheer", "Lehmann Giger GmbH", whose
# run ends at "Gmb"; the words of an industry, "Leo Pharma", "Abbott Laboratories", and the
# pharmaceutical and medical firms whose names read like people's, "Novo Nordisk", "Fresenius
# Kabi", but not those that are surnames too, Sandoz, Lilly, Merck, Bayer), and Spanish plural
# nouns of action, which name firms ("Distribuciones Toledo"; not the singular: Concepción,
# Asunción and Visitación are women's names).
_FIRM_WORDS: Final = frozenset(
    """
    Group Groupe Groep Gruppen Gruppe Holding GmbH GesbR GbR Sàrl Lda Ltda Ltd Inc Corp Stichting
    Koninklijke Despacho Club Oy Oyj Tmi Osk Ay Ky Comm CommV ApS Sp International Logistics
    Transport Nederland Deutschland Schweiz Österreich Belgique Italia Polska
    Sverige Norge Danmark Suomi Benelux
    Pharma Pharmaceuticals Pharmaceutical Farma Farmaceutici Farmacéutica Arzneimittel Labs
    Laboratories Laboratoires Laboratorien Healthcare Medical Medizintechnik Diagnostics
    Diagnostica Therapeutics Biotech Biosciences Sciences Biologics Vaccines Oncology Generics
    Nordisk Ingelheim Squibb Kabi Aventis Hexal Zeneca Glaxo Viatris Mylan Idec Biogen Sanofi
    Pfizer Novartis Teva Gilead Medtronic Olympus Stada Ratiopharm Octapharma Servier Almirall
    Grifols Recordati Hikma Healthineers Respironics Prodesfarma
    Campus Pen Penfill KwikPen FlexTouch SoloStar Solostar
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
    rf",?\s+(?:-\s+)?(?:&\s+(?:Co|Cie|Partner|Söhne|Sons|[{UPPER}][{LOWER}]+)\.?\s+)?(?:GmbH|GbR|AG|KG|KGaA|OHG|UG|mbH|"
    r"e\.V\.|e\.G\.|eG|Ltd|Limited|LLC|LLP|Inc|PLC|plc|Corp|Group|SA|SAS|SARL|Sàrl|S\.A\.|S\.L\.|"
    r"SL|SRL|BV|NV|Holding|GesbR|GesmbH|OG|Sp\.|Sp\.k\.|Sp\.j\.|s\.c\.|S\.A|Oy|Oyj|Tmi|Osk|Ay|Ky|"
    r"ry|AB|HB|KB|ApS|A/S|I/S|AS|ASA|Gruppen|Groep|Gruppe|B\.V\.|N\.V\.|CV|VOF|Comm\.V|CommV|Lda|"
    r"Ltda|S/A|ME|EI|EIRELI|s\.r\.l\.|S\.p\.A\.|SpA|S\.L\.L\.|S\.L\.U\.|S\.L\.N\.E|S\.C\.P|"
    r"S\.Com|A\.C\.|S\.Coop|Sàrl\.|"
    # ... and the partners and sons of a firm ("Egli & Partner", "Durand et Fils")
    r"(?:&|and|und|et|e|y|i)\s+(?:Co|Cie|Partners?|Söhne|Sons|Nephew|Fils|Filhos|Hijos|[Ff]igli|"
    r"Asociados|asociados|syn))(?![\w])"
)


# ... and one right before a unit of stock is a product ("40 Lantus Solostar pens", "12 Omnipod
# Dash Packungen"): no one's name is counted in pens.
_COUNTED_AFTER_RE = re.compile(
    r"\s+(?i:units?|pens?|packs?|packets?|boxes|vials?|cartridges?|strips?|sensors?|inhalers?|"
    r"tablets?|capsules?|doses|ampoules?|syringes?|needles?|kits?|pumps?|devices?|bottles?|"
    r"stück|stk|packungen|ampullen|flaschen|schachteln|einheiten|sensoren|teststreifen|"
    r"kartuschen|inhalatoren|tabletten|boîtes|stylos|flacons|unités|cartouches|capteurs|"
    r"bandelettes|seringues|comprimés|cajas|plumas|viales|unidades|envases|cartuchos|sensores|"
    r"tiras|ampollas|jeringas|comprimidos|dosis|confezioni|penne|fiale|unità|cartucce|sensori|"
    r"strisce|flaconi|compresse|dosi|scatole|stuks|verpakkingen|pennen|eenheden|szt|sztuk|"
    r"opakowań|opakowania|fiolek|st|förpackningar|pennor|enheter|enheder|pakker|penner|kpl|"
    r"pakkausta)(?![\w])"
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
        tokens = rest.split(maxsplit=2)
        if tokens[0] in _PLACE_OR_FIRM_LEADS:
            continue  # "Nueva República Democrática", "Supplier Olsson"
        if tokens[1].islower() and tokens[0].lower().encode() in _ASKING:
            continue  # a request and an article: "Calcula la Tasa de Mortalidad"
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
        or _COUNTED_AFTER_RE.match(text, end)
    )
