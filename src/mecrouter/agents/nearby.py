"""What stands just before a number in a text: the words that say whose or what it is.

A phone word, an account word or a thing's label ("order", "tracking number", "Sachnummer")
right before a number decides what the number is; these helpers find them, on the lower-cased
text, for `contact` and `identifiers`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from functools import cache
from typing import Final

__all__ = [
    "find_all", "labelled_thing", "leading_date", "text_before", "thing_label_before",
    "word_before", "word_ends",
]  # fmt: skip

# Labels after which a number is an id of a thing, not a phone (unless a phone word is nearer).
_THING_ID_WORDS: Final = (
    "serial", "serie", "s/n", "sn", "seriennummer", "order", "ordre", "ordine", "orden",
    "bestell", "pedido", "commande", "zamówien", "varenr", "artikel", "art.-nr", "sku", "item",
    "invoice", "rechnung", "facture", "factura", "fattura", "faktura", "tracking", "sendung",
    "ticket", "case", "build", "job", "batch", "lot", "part", "model", "device", "node",
    "teilenummer", "teile-nr", "teilenr", "référence", "pièce", "referencia", "pieza",
    "product", "produkt", "produit", "producto", "stock", "inventory", "container", "seal",
    "booking", "barcode", "ean", "gtin", "sscc", "nve", "pallet", "palette", "consignment",
    "shipment", "waybill", "lieferschein", "sendungsnummer", "colis", "envío", "partia",
    "przewoz", "frakt", "label", "etiqueta", "etikett", "étiquette", "sachnummer", "material",
    "parcel", "paket", "paquete", "auftrag", "réf.", "réf ", "ref.", "ref ", "cod.", "codice",
    "tilaus", "tuote", "lasku", "factuur", "fatura", "encomenda", "série", "version", "firmware",
    "release", "revision", "suivi", "seguimiento", "rastreio", "sporing", "spårning",
    "seuranta", "przesyłk", "zending", "verzending", "pezzo", "pezzi", "onderdeel", "peça",
    "część", "części", "reservedel", "varenummer", "artikkel", "osa ", "osanumero", "varaosa",
    "meeting id", "call id", "conference id", "passcode", "kundennummer", "kunden-nr",
    "customer number", "customer no", "customer id", "matricola", "seryjny", "sarjanumero",
    "meter", "zähler", "compteur", "contador", "contatore", "licznik", "wodomierz", "mätare",
    "måler", "vandmåler", "vesimittari", "målepunkt", "mätar", "contract", "contrat", "contrato",
    "contratto", "vertrag", "umow", "kontrakt", "claim", "permit", "voucher", "coupon",
    "gutschein", "dossier", "expediente",
    "reference", "referenz", "riferimento", "referentie", "kenmerk", "betalingskenmerk",
    "referens", "viite", "policy", "polic", "polis", "polise", "apólice", "bestilling",
    "beställning", "sagsnummer", "asiakasnumero", "kundenummer", "kundnummer", "projekt",
    "project", "verwendungszweck", "imei",
)  # fmt: skip
_THING_LABEL_CHARS: Final = 24
# A calendar date in numbers with a four-digit year: 2023-08-25, 25.08.2023, 08/25/2023.
_DAY: Final = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH: Final = r"(?:0?[1-9]|1[0-2])"
_NUMERIC_DATE_RE: Final = re.compile(
    rf"(?:19|20)\d\d([./-]){_MONTH}\1{_DAY}(?!\d)"
    rf"|{_DAY}([./-]){_MONTH}\2(?:19|20)\d\d(?!\d)|{_MONTH}([./-]){_DAY}\3(?:19|20)\d\d(?!\d)"
)


def leading_date(number: str) -> int:
    """How long the calendar date is that `number` opens with ("2023-08-25", "25.08.2023
    14:22"), 0 if none: a date after "Calls on" or "Call log" is no phone number."""
    date = _NUMERIC_DATE_RE.match(number)
    return 0 if date is None else date.end()


def text_before(lowered: str, start: int, chars: int) -> str:
    """The `chars` characters before `start`, less a word the cut leaves a piece of: in
    "X-RateLimit-Reset: 1767314388" the 40 characters before the number start inside
    "RateLimit", whose piece "telimit" must not count as the phone word "tel"."""
    begin = max(0, start - chars)
    while 0 < begin < start and lowered[begin - 1].isalnum():
        begin += 1
    return lowered[begin:start]


_SEPARATORS_RE: Final = re.compile(r"[^\w/.-]+")


def word_before(
    lowered: str, start: int, words: tuple[str, ...], chars: int, unless: tuple[str, ...] = ()
) -> int:
    """How near (in characters) the nearest of `words` starts a word before `start`; -1 if none
    does in the `chars` characters before it. The word starts are tried from the nearest back,
    each against all of `words` at once (`str.startswith` with a tuple); a word that starts with
    one of `unless` is none of them ("telemetry" is no "tel")."""
    window = " " + _SEPARATORS_RE.sub(" ", text_before(lowered, start, chars))
    heads, other = _heads(words), _heads(unless)
    i = window.rfind(" ")
    while i >= 0:
        if window.startswith(heads, i) and not window.startswith(other, i):
            return len(window) - i
        i = window.rfind(" ", 0, i)
    return -1


@cache
def _heads(words: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(" " + word for word in words)


def thing_label_before(lowered: str, start: int) -> int:
    """How near (in characters) a label naming an id of a thing (order, part, product, container,
    tracking... `_THING_ID_WORDS`) starts a word before `start`; -1 if none is that near.

    A number so labelled is that thing's id whatever its shape: "product code 79-71-26" is no sort
    code and "tracking number 5179 9214 1833" no Aadhaar number. A number in a list that follows
    the label shares it: "part numbers 123-45-6789, 231-55-1024 and 402-11-8765"."""
    near = word_before(lowered, start, _THING_ID_WORDS, _THING_LABEL_CHARS)
    if near >= 0:
        return near
    first = _list_start(lowered, start)
    if first == start:
        return -1
    label = word_before(lowered, first, _THING_ID_WORDS, _THING_LABEL_CHARS)
    return -1 if label < 0 else label + start - first


# Words that may stand between a thing's label and its number: "order no. 4411", "ticket #",
# "order_id=".
_NUMBER_WORDS: Final = frozenset(
    """
    no nos nr nro n number numbers nummer nummern numéro numéros numero numeri número números num
    núm id code codes ref reference is was as som är er ist war est es era é è jest
    """.split()  # noqa: SIM905
)


def labelled_thing(lowered: str, start: int) -> bool:
    """A thing's label (`thing_label_before`) names the number at `start`: nothing but number
    words, numbers and list joins stands between them ("order no. 23640161489"). In "case 4411:
    PESEL 85010112345" the id's own name stands between, so the label is another number's."""
    near = thing_label_before(lowered, start)
    if near < 0:
        return False
    words = re.findall(r"[^\W\d_]+", lowered[max(0, start - near) : start])
    return all(w in _NUMBER_WORDS or w in _LIST_JOINS for w in words[1:])


# Words that join the items of a list; a list is looked for this far back.
_LIST_JOINS: Final = frozenset(
    "and or und oder et ou y o e en of og och eller ja tai i oraz lub &".split()  # noqa: SIM905
)
_LIST_CHARS: Final = 200


def _list_start(lowered: str, start: int) -> int:
    """Where the list of numbers that ends at `start` begins (`start` if none does): items with
    a digit, each perhaps with a note in brackets ("365 483 908 (bolts, 533 kg), 077 069 256"),
    joined by commas or "and"."""
    first, depth = start, 0
    head = max(0, start - _LIST_CHARS)
    for token in reversed(list(re.finditer(r"\S+", lowered[head:start]))):
        word = token.group()
        opened, closed = word.count("("), word.count(")")
        depth += closed - opened
        if depth < 0:
            return first
        if depth > 0 or opened or closed:
            continue  # a note in brackets
        bare = word.strip(",;:")
        if not (any(c.isdigit() for c in bare) or bare in _LIST_JOINS or not bare):
            return first
        first = head + token.start()
    return first


def find_all(lowered: str, needles: Iterable[str]) -> Iterator[tuple[int, str]]:
    """(offset, needle) of every occurrence of each of `needles` in `lowered`, needle by needle."""
    for needle in needles:
        i = lowered.find(needle)
        while i >= 0:
            yield i, needle
            i = lowered.find(needle, i + 1)


def word_ends(
    lowered: str, words: tuple[str, ...], *, whole: bool = False, unless: tuple[str, ...] = ()
) -> list[int]:
    """End offsets of every occurrence of `words` in `lowered` that starts a word (and, when
    `whole`, also ends one: "conta" is Portuguese for account, "container" is not), but not of
    a word that starts with one of `unless`."""
    return [
        i + len(w)
        for i, w in find_all(lowered, words)
        if (i == 0 or not lowered[i - 1].isalnum())
        and not (whole and i + len(w) < len(lowered) and lowered[i + len(w)].isalnum())
        and not lowered.startswith(unless, i)
    ]
