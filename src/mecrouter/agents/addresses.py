"""Postal addresses as a small grammar: a street part, a locality with a postcode, and at most
three comma-separated parts between them ("Apt. 873", a district, a county).

A street part is a house number next to capitalised street words, in either order
("221 Baker Street", "Mohauptring 29/48", "Rotonda Barzini, 477", "1, rue de la Paix"), a lower
case street type with its name ("rue Léger"), or a flat, unit or house label ("Flat 86Z",
"H.No. 37"). A locality is a postcode in one of the common national outlines next to a place
name, before or after it, with an optional state or province code ("61779 Mühldorf am Inn",
"Lake Benjamintown, ID 53218", "7592 VO, Een", "Srikakulam-400129", "West Carole, E18 2ST").
Neither part alone is an address; a Brazilian CEP with its state ("46355-290 Martins / TO"), an
Italian CAP with its province ("10028, Valle Sauglio (TO)") and a Chinese or Japanese address,
each specific enough, stand alone. A four-digit postcode that reads as a year (1900-2099) does
not count, so "Version 2, 2024 Release" is no address.
"""

from __future__ import annotations

import re
from typing import Final

from mecrouter.agents.identifiers import Span
from mecrouter.agents.names import LOWER, UPPER
from mecrouter.agents.nearby import text_before
from mecrouter.agents.personal import PERSON_WORDS

POSTAL_ADDRESS = "postal_address"

# A capitalised word ("Mühldorf", "LenoirBourg", "Xangri-Lá"); and the small words street and
# place names hold in the corpus languages ("am Inn", "da Cruz da Prata", "de la").
_WORD = rf"[{UPPER}][{LOWER}'’]+(?:-?[{UPPER}][{LOWER}'’]+|-[{LOWER}'’]+)*"
_SMALL = (
    r"(?:de|del|della|dei|di|da|das|do|dos|la|las|le|les|los|el|du|des|sur|sous|en|y|e|am|an|"
    r"im|in|auf|bei|der|den|van|von|het|op|aan|ter|ten|upon|on|the|of|and)"
)
_WORDS = rf"{_WORD}\.?(?:[ \t]+(?:{_WORD}|{_SMALL}(?=[ \t]+[{UPPER}]))){{0,4}}"
# After a house number and a space, a street with no type word has two words or more ("12
# Baker Street"): "91 Plätze, 9105 Belegungstage" counts beds and days.
_WORDS2 = rf"{_WORD}\.?(?:[ \t]+(?:{_WORD}|{_SMALL}(?=[ \t]+[{UPPER}]))){{1,4}}"
_PLACE = rf"{_WORD}(?:[ \t]+(?:{_WORD}|{_SMALL}(?=[ \t]+[{UPPER}]))){{0,3}}"
# House numbers: 12, 12a, 86Z, 29/48, 7-2, 5 bis.
_HOUSE = (
    r"\d{1,5}(?:[A-Za-z](?![\w]))?(?:[ \t]?[/-][ \t]?\d{1,4}[A-Za-z]?)?(?![.,]\d)"
    r"(?:[ \t]+(?:bis|ter))?"
)
_TYPE_LOWER = (
    r"(?:rue|avenue|av\.|boulevard|bd|chemin|allée|impasse|place|quai|route|cours|passage|"
    r"calle|c/|avenida|avda\.?|paseo|plaza|camino|carrer|via|viale|piazza|corso|largo|vicolo|"
    r"contrada|rua|travessa|praça|alameda|estrada|ulica|ul\.|aleja|al\.|plac|pl\.|os\.)"
)
_UNIT = r"(?:H\.?[ \t]?No\.?|House[ \t]+No\.?|Flat|Unit|Apt\.?|Apartment|Studio|Suite|PSC)"
# After the street: a second number or a flat, floor or door ("124 473", "Apt. 873", "Piano 0").
_TAIL = rf"(?:[ \t]+{_HOUSE})?(?:[ \t]+[{UPPER}][{LOWER}]{{0,11}}\.?[ \t]*{_HOUSE}){{0,2}}"
_STREET = (
    rf"(?:{_HOUSE},[ \t]+(?:{_TYPE_LOWER}[ \t]+)?{_WORDS}"  # 1, rue Hardy; 98/843, Panchal
    rf"|{_HOUSE}[ \t]+(?:{_TYPE_LOWER}[ \t]+{_WORDS}|{_WORDS2})"  # 12 Baker Street
    rf"|(?:{_TYPE_LOWER}[ \t]+)?{_WORDS},?[ \t]+(?:n[º°o.][ \t]*)?{_HOUSE}"  # Ringweg 29/48
    rf"|{_TYPE_LOWER}[ \t]+(?:{_SMALL}[ \t]+)*{_WORDS}"  # rue de Launay
    rf"|{_UNIT}[ \t]*{_HOUSE}\w*(?:,?[ \t]+{_HOUSE}[ \t]+{_WORDS})?"  # Flat 86Z, H.No. 37
    rf"|US[NS]?[NV]?[ \t]+{_WORD})"  # a US Navy ship: USS Davis, FPO AA 11924
    rf"{_TAIL}"
)
# What may stand between the street and the locality: a district or town without digits, a
# flat or floor with its number.
_PART = (
    rf"(?:[{UPPER}][^\n,;:!?\d]{{0,40}}|[{UPPER}][{LOWER}]{{0,11}}\.?[ \t]*{_HOUSE}\w*"
    rf"|{_HOUSE}\w*)"
)
_NOT_YEAR = r"(?!19\d\d(?!\d)|20\d\d(?!\d))"
_POSTCODE_LETTERS = (
    r"(?:[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[ABD-HJLNP-UW-Z]{2}(?![\w])"  # UK: E18 2ST
    r"|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d(?![\w]))"  # Canada: K8V 8L4
)
_POSTCODE = (
    r"(?:\d{5}(?:-\d{3,4})?(?!\d)|\d{8}(?!\d)|\d{4}[ \t]?[A-Z]{2}(?![\w])|\d\d-\d{3}(?!\d)"
    rf"|\d{{4}}-\d{{3}}(?!\d)|\d{{3}}[ \t]\d\d(?!\d)|\d{{6}}(?!\d)|{_NOT_YEAR}\d{{4}}(?!\d)"
    rf"|{_POSTCODE_LETTERS})"
)
_REGION = r"(?:[A-Z]{2,4}|\([A-Z]{2}\))"
# A thing's label is no place before a six-digit PIN: "Lot 271244", "Charge 904050".
_THING = (
    r"(?:Lot|Lote|Lotto|Batch|Charge|Partia|Order|Serial|Ref|Job|Run|Build|Item|Part|Code|Ticket"
    r"|Case|Model|Type|Typ|Version|Level|Node|Sensor|Device)\b"
)
_LOCALITY = (
    rf"(?:{_POSTCODE},?[ \t]+{_PLACE}(?:[ \t]*(?:\([A-Z]{{2}}\)|/[ \t]*[A-Z]{{2}}))?"
    # Four or five digits after a place need a state ("Sydney NSW 2000", "Lake Ann, ID 53218"),
    # where an Indian PIN or a British or Canadian postcode need not: "Throttles 6679" and
    # "Invocations 38175" are counts.
    rf"|{_PLACE},?[ \t]+{_REGION},?[ \t]+{_POSTCODE}(?![ \t]?[.,]?\d)"
    rf"|(?!{_THING}){_PLACE},?[ \t]+(?:\d{{6}}(?![ \t]?[.,]?\d)|{_POSTCODE_LETTERS})"
    rf"|{_PLACE}-\d{{6}}(?!\d)"  # Srikakulam-400129
    rf"|(?:[ADF]PO[ \t]+)?{_REGION},?[ \t]+{_POSTCODE}(?![ \t]?[.,]?\d)"
    rf"|{_POSTCODE}(?![ \t]?[.,]?\d))"
)
_SEPARATOR = r"[ \t]*(?:,|\n)[ \t]*"
_BETWEEN = rf"(?:{_PART}{_SEPARATOR}){{0,3}}?"
_ADDRESS_RE: Final = re.compile(
    rf"(?<![\w/.-])(?<!\d:){_STREET}{_SEPARATOR}{_BETWEEN}{_LOCALITY}(?![\w-])"  # not 14:10
    # Specific enough alone: a CEP with its state, a CAP with its province.
    rf"|(?<![\w/.-])\d{{5}}-?\d{{3}}[ \t]+(?:{_SMALL}[ \t]+)?{_PLACE}"
    r"[ \t]*/[ \t]*[A-Z]{2}(?![\w])"
    rf"|(?<![\w/.-])\d{{5}},?[ \t]+{_PLACE}[ \t]*\([A-Z]{{2}}\)"
    # Japanese: 16丁目6番13号; Chinese: a province or city, a road, a six-digit postcode.
    r"|\d{1,3}丁目\d{1,3}(?:番地?|-)\d{1,3}号?"
    r"|[\u4e00-\u9fff]{2,}(?:省|市|自治区|特别行政区|县|区)[\u4e00-\u9fff\w]{1,30}?(?:路|街|道|巷)"
    r"[\u4e00-\u9fff\w]{0,8}[ \t]?\d{6}(?!\d)"
)
_POSTCODE_HINT_RE: Final = re.compile(
    rf"(?<![\w.,/])(?<!\d-)(?:\d{{5}}(?:-\d{{3,4}})?|\d{{8}}|{_NOT_YEAR}\d{{4}}"
    r"|\d{4}[ \t]?[A-Z]{2}|\d{4}-\d{3}|\d{6}"
    r"|\d\d-\d{3}|\d{3}[ \t]\d\d|[A-Z]{1,2}\d[A-Z\d]?[ \t]?\d[A-Z]{2}|[A-Z]\d[A-Z][ \t]?\d[A-Z]\d)"
    r"(?![\w-])"
)
# A date is no street: "27 October 2023, 22749 kWh" and "Jan 88626, Feb 136442" open with a
# day and a month, or a month and a number ("12 March Street" keeps its street word).
_MONTHS = (
    "jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|january|february|march|april|may|june|"
    "july|august|september|october|november|december|januar|februar|märz|mai|juni|juli|"
    "oktober|dezember|janvier|février|mars|avril|juin|juillet|août|septembre|octobre|novembre|"
    "décembre|enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|octubre|noviembre|"
    "diciembre"
)
_DATE_START_RE: Final = re.compile(
    rf"(?i:\d{{1,2}}(?:st|nd|rd|th|er|\.)?[ \t]+(?:de[ \t]+)?(?:{_MONTHS})\b\.?"
    rf"|(?:{_MONTHS})\.?[ \t]+\d)"
    r"(?![ \t]+(?:Street|St|Road|Rd|Avenue|Ave|Lane|Drive|Way|Court|Place|Square)\b)"
)
_BEFORE_POSTCODE = 130  # characters: a street, three parts and a place name
_AFTER_POSTCODE = 60  # a place name after the postcode, a province or state code
_PART_START_RE: Final = re.compile(r"[,\n][ \t]*")
_CJK_MARKS: Final = ("丁目", "路", "街", "道", "巷")
# A four-digit run or the digit-letter outline of a British or Canadian postcode.
_DIGIT_RUN_RE: Final = re.compile(r"\d{4}|\d[A-Z]{2}(?![a-z])|[A-Z]\d[A-Z]")


def may_hold_postal_address(text: str) -> bool:
    """False when `postal_address_spans(text)` must be empty: no run of four digits, or no comma,
    line break or CJK street mark for the parts to stand apart."""
    if _DIGIT_RUN_RE.search(text) is None and "丁目" not in text:
        return False
    return "," in text or "\n" in text or "/" in text or any(m in text for m in _CJK_MARKS)


def _postcode_ends(text: str) -> list[int]:
    """Where each postcode-shaped token with a comma or line break before it ends: every
    address the grammar knows ends at or just after one, within `_AFTER_POSTCODE` characters."""
    ends = []
    for match in _POSTCODE_HINT_RE.finditer(text):
        before = text[max(0, match.start() - _BEFORE_POSTCODE) : match.start()]
        if "," in before or "\n" in before or "/" in text[match.end() : match.end() + 4]:
            ends.append(match.end())
    return ends


def postal_address_spans(text: str) -> list[Span]:
    """A street part and a locality, or one of the addresses that stand alone.

    The grammar is tried only in a window around each postcode-shaped token, which keeps a
    prompt full of numbers cheap. The leftmost match may start too early, at a number that is
    no house number ("7. Juni 1972, Klappstr. 7-2, 61779 ..."); then the tightest match with the
    same end follows it, so that the caller, which drops spans overlapping earlier findings,
    still keeps the address.
    """
    spans: list[Span] = []
    if any(mark in text for mark in _CJK_MARKS):
        windows = [(0, len(text))]
    else:
        windows = []
        for end in _postcode_ends(text):  # merged, so that no stretch is scanned twice
            low = max(0, end - _BEFORE_POSTCODE)
            if windows and low <= windows[-1][1]:
                windows[-1] = (windows[-1][0], end + _AFTER_POSTCODE)
            else:
                windows.append((low, end + _AFTER_POSTCODE))
    done = 0
    for low, high in windows:
        for match in _ADDRESS_RE.finditer(text, max(low, done), high):
            start, end = match.span()
            if _DATE_START_RE.match(text, start):
                continue
            spans.append((start, end, POSTAL_ADDRESS))
            done = end
            tightest = start
            for part in _PART_START_RE.finditer(text, start + 1, end):
                inner = _ADDRESS_RE.match(text, part.end())
                if inner is not None and inner.end() == end:
                    tightest = part.end()
            if tightest > start:
                spans.append((tightest, end, POSTAL_ADDRESS))
    return spans


# A firm's premises named just before an address ("Our warehouse is at 244 Industrial Way",
# "Unser Lager: ..., Industriestraße 139", "La tienda de la Avenida de la Constitución 14", a
# legal form: "Acme Ltd, 12 Commerce Street") make it a business's address, no one's; unless a
# home word or a word for a person stands there too ("Office closed, I live at 12 Elm Road",
# "Acme Ltd, employee: 12 Elm Road"), or a name (`privacy._scan`).
_BUSINESS_BEFORE_RE: Final = re.compile(
    r"(?<!\w)(?:warehouse|store|shop|office|offices|branch|plant|factory|depot|hq|headquarters|"
    r"showroom|outlet|premises|restaurant|hotel|supermarket|dealership|workshop|"
    r"lager|filiale|geschäft|laden|büro|werk|fabrik|niederlassung|standort|zentrale|"
    r"entrepôt|magasin|boutique|bureau|bureaux|usine|agence|siège|succursale|"
    r"almacén|tienda|oficina|oficinas|fábrica|sucursal|sede|"
    r"negozio|magazzino|ufficio|stabilimento|"
    r"ltd|llc|inc|plc|gmbh|ag|sas|sarl|s\.l\.|s\.a\.|bv|nv|spa|srl)(?!\w)",
)
_HOME_RE: Final = re.compile(
    r"(?<!\w)(?:home|live|lives|living|resident|wohne|wohnt|wohnhaft|zuhause|privat|habite|"
    r"domicile|vivo|vive|domicilio|abito)(?!\w)"
)
BUSINESS_CHARS: Final = 40
_SENTENCE_END_RE: Final = re.compile(r"\n|[.!?;]\s")
_WORD_RE: Final = re.compile(r"\w+")


def business_address(lowered: str, start: int) -> bool:
    """Whether the address at `start` is a firm's: its premises or legal form named within
    `BUSINESS_CHARS` before it in its sentence and line, and no home word there."""
    before = _SENTENCE_END_RE.split(text_before(lowered, start, BUSINESS_CHARS))[-1]
    if _BUSINESS_BEFORE_RE.search(before) is None or _HOME_RE.search(before) is not None:
        return False
    return PERSON_WORDS.isdisjoint(w.encode() for w in _WORD_RE.findall(before))


def names_premises(run: str) -> bool:
    """Whether a capitalised run names a firm's premises or form ("Unser Lager", "Acme Ltd")."""
    return _BUSINESS_BEFORE_RE.search(run.lower()) is not None
