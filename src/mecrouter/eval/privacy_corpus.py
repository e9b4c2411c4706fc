"""A labelled privacy corpus whose labels no detector wrote: synthetic, seeded, in JSON lines.

Every label is what the generator put in, given a level by the labelling guide of
`mecrouter.privacy_labels` (`level_of`); no detector runs here.

Spans are code-point offsets, ``text[start:end] == value``; a ``health`` span is the whole
statement (``category`` from `HEALTH_CATEGORIES`; en, de, fr, es only), a ``bank_account`` span the
whole "sort code ..., account ..." phrase (only both numbers name an account). Negatives
(``negative=True``: public, no entities) are number-heavy texts private to no one: telemetry,
vitals with neither person nor condition, maths, code, logs, order and tracking numbers, meeting
dates, near misses (16 digits failing Luhn, IBANs with a wrong check, 9-digit order ids).

The split is by template: each frame and each health statement of `privacy_templates` belongs to
one split, so rules tuned on train meet unseen wording in test; values are drawn alike for both.
Faker (the optional ``mecrouter[corpus]`` extra, imported by `generate_corpus` only) writes names,
addresses, phones, emails, cards, cities and companies; identifiers come from `privacy_ids`, built
from their specifications. No date depends on today: a seed gives the same bytes on any day.
"""

from __future__ import annotations

import json
import random
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import asdict, dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

from mecrouter.eval import privacy_ids as ids
from mecrouter.eval import privacy_templates as tpl
from mecrouter.eval import privacy_templates_dev as tpl_dev
from mecrouter.privacy_labels import (
    ENTITY_TYPES,
    HEALTH_CATEGORIES,
    LEVELS,
    MEDICAL_IDS,
    NATIONAL_IDS,
    SPLITS,
    Entity,
    LabelledPrompt,
    level_of,
    read_corpus,
)

if TYPE_CHECKING:
    from faker import Faker

__all__ = [
    "ENTITY_TYPES", "HEALTH_CATEGORIES", "LEVELS", "MEDICAL_IDS", "NATIONAL_IDS", "SPLITS",
    "Entity", "LabelledPrompt", "generate_corpus", "level_of", "read_corpus", "write_corpus",
]  # fmt: skip

_BASE_PROMPTS: Final = 34  # prompts per positive template ...
_PER_ID_CHOICE: Final = 6  # ... and this many more per identifier type its {id} may be
_NEGATIVES_PER_SPLIT: Final = 1050
_SLOT: Final = re.compile(r"\{([^{}]+)\}")
_HEADER: Final = re.compile(r"(\S+) (\w+)(?:/(\w+))?: (.*)", re.DOTALL)
_RANGE: Final = re.compile(r"(-?[\d.]+)-(-?[\d.]+)(?::(\d+))?")
_DATE_TOKEN: Final = re.compile(r"YYYY|MON|DD|MM|D|M")
_CATEGORY_CODES: Final = MappingProxyType(dict(zip("MASGDH", HEALTH_CATEGORIES, strict=True)))
_ALIASES: Final = MappingProxyType(
    {"name": "person_name", "card": "payment_card", "bank": "bank_account"}
    | {"mrn": "medical_record_number", "dob": "date_of_birth", "address": "postal_address"}
)
_CARD_TYPES: Final = ("visa16", "visa16", "mastercard", "mastercard", "amex", "discover", "jcb16")


def _lists(text: str) -> Mapping[str, tuple[str, ...]]:
    return MappingProxyType(
        {k: tuple(v.split(",")) for k, v in (i.split(":") for i in text.split())}
    )


_LANG_LOCALES: Final = _lists(
    "en:en_GB,en_US,en_AU,en_CA,en_IE,en_IN de:de_DE,de_AT,de_CH fr:fr_FR,fr_CH es:es_ES,es_MX"
    " it:it_IT nl:nl_NL,nl_BE pl:pl_PL pt:pt_PT,pt_BR sv:sv_SE no:no_NO da:da_DK fi:fi_FI"
)
# What a template's {id} may be: its group's identifiers, by default its language's own.
_ID_GROUPS: Final = _lists(
    "nat:us_ssn,us_itin,uk_nino,in_aadhaar,in_pan,ca_sin,au_tfn,cn_resident_id,jp_my_number"
    " med:uk_nhs,us_mbi,au_medicare eu:se_personnummer,de_tax_id,no_fodselsnummer,dk_cpr,"
    "fi_hetu,nl_bsn,pl_pesel,fr_nir,es_nie,es_dni,it_fiscal_code,br_cpf de:de_tax_id fr:fr_nir"
    " es:es_dni,es_nie it:it_fiscal_code nl:nl_bsn pl:pl_pesel pt:br_cpf sv:se_personnummer"
    " no:no_fodselsnummer da:dk_cpr fi:fi_hetu"
)


@dataclass(frozen=True, slots=True)
class _Template:
    slug: str
    lang: str
    domain: str
    ids: tuple[str, ...]  # what its {id} may be
    frame: str
    negative: bool
    split: str


@dataclass(frozen=True, slots=True)
class _Data:
    """`privacy_templates` parsed."""

    templates: tuple[_Template, ...]
    health: Mapping[tuple[str, str, str, str], Sequence[tuple[str, bool]]]  # lang, split, ...
    labels: Mapping[tuple[str, str], Sequence[str]]  # identifier type, lang
    asks: Mapping[str, Sequence[str]]
    date_formats: Mapping[str, Sequence[str]]
    months: Mapping[str, Sequence[str]]


def _templates(blocks: Mapping[str, str], negative: bool, split: str = "") -> list[_Template]:
    """Blocks alternate between train and test in the order written, unless `split` names
    the one split they all belong to."""
    found = []
    for lang, block in blocks.items():
        for chunk in ("\n" + block.strip()).split("\n@")[1:]:
            m = _HEADER.fullmatch(" ".join(chunk.split("\n")))
            if m is None:
                raise ValueError(f"not a template block: {chunk[:60]!r}")
            frame = m[4].replace(" ~~ ", "\n\n").replace(" ~ ", "\n")
            group = m[3] or lang
            if "{id}" in frame and group not in _ID_GROUPS:
                raise ValueError(f"{m[1]}: {{id}} needs a group (nat, med, eu): {group!r} has none")
            choices = _ID_GROUPS[group] if "{id}" in frame else ()
            found.append((m[1], lang, m[2], choices, frame))
    return [_Template(*t, negative, split or SPLITS[i % 2]) for i, t in enumerate(found)]


def _health() -> dict[tuple[str, str, str, str], list[tuple[str, bool]]]:
    """(statement, only about women) by language, split, category, slot: `privacy_templates`'s
    lines alternate between train and test by language, category and slot (a women-only line
    joins its predecessor's split); `privacy_templates_dev`'s are all dev, dev5 to dev7, dev9 or
    dev10."""
    bank: defaultdict[tuple[str, str, str, str], list[tuple[str, bool]]] = defaultdict(list)
    seen: Counter[tuple[str, str, str]] = Counter()
    for blocks, only in (
        (tpl.HEALTH, ""),
        (tpl_dev.HEALTH_DEV, "dev"),
        (tpl_dev.HEALTH_DEV5, "dev5"),
        (tpl_dev.HEALTH_DEV6, "dev6"),
        (tpl_dev.HEALTH_DEV7, "dev7"),
        (tpl_dev.HEALTH_DEV9, "dev9"),
        (tpl_dev.HEALTH_DEV10, "dev10"),
    ):
        for lang, block in blocks.items():
            for line in block.strip().splitlines():
                code, text = line.split(" ", 1)
                key = (lang, _CATEGORY_CODES[code[0]], "health" if code[1] == "n" else "health_i")
                seen[key] += code[2:] != "f"
                split = only or SPLITS[(seen[key] - 1) % 2]
                bank[lang, split, key[1], key[2]].append((text, code[2:] == "f"))
    return dict(bank)


def _load() -> _Data:
    labels = (line.split(" ", 2) for line in ids.ID_LABELS.strip().splitlines())
    asks: defaultdict[str, list[str]] = defaultdict(list)
    for line in tpl.ASKS.strip().splitlines():
        asks[line[:2]] += line[3:].split("|")
    return _Data(
        templates=(
            *_templates(tpl.POSITIVE, False),
            *_templates(tpl.NEGATIVE, True),
            *_templates(tpl_dev.POSITIVE_DEV, False, "dev"),
            *_templates(tpl_dev.NEGATIVE_DEV, True, "dev"),
            *_templates(tpl_dev.NEGATIVE_DEV2, True, "dev2"),
            *_templates(tpl_dev.NEGATIVE_DEV3, True, "dev3"),
            *_templates(tpl_dev.NEGATIVE_DEV4, True, "dev4"),
            *_templates(tpl_dev.POSITIVE_DEV5, False, "dev5"),
            *_templates(tpl_dev.NEGATIVE_DEV5, True, "dev5"),
            *_templates(tpl_dev.POSITIVE_DEV6, False, "dev6"),
            *_templates(tpl_dev.NEGATIVE_DEV6, True, "dev6"),
            *_templates(tpl_dev.POSITIVE_DEV7, False, "dev7"),
            *_templates(tpl_dev.NEGATIVE_DEV7, True, "dev7"),
            *_templates(tpl_dev.NEGATIVE_DEV8, True, "dev8"),
            *_templates(tpl_dev.POSITIVE_DEV9, False, "dev9"),
            *_templates(tpl_dev.NEGATIVE_DEV9, True, "dev9"),
            *_templates(tpl_dev.POSITIVE_DEV10, False, "dev10"),
            *_templates(tpl_dev.NEGATIVE_DEV10, True, "dev10"),
            *_templates(tpl_dev.NEGATIVE_DEV11, True, "dev11"),
            *_templates(tpl_dev.NEGATIVE_DEV12, True, "dev12"),
            *_templates(tpl_dev.NEGATIVE_DEV13, True, "dev13"),
            *_templates(tpl_dev.NEGATIVE_DEV14, True, "dev14"),
            *_templates(tpl_dev.NEGATIVE_DEV15, True, "dev15"),
            *_templates(tpl_dev.NEGATIVE_DEV16, True, "dev16"),
        ),
        health=_health(),
        labels={(kind, lang): names.split("|") for kind, lang, names in labels},
        asks=asks,
        date_formats={lang: f.split("|") for lang, f in tpl.DATE_FORMATS.items()},
        months={lang: names.split() for lang, names in tpl.MONTHS.items()},
    )


@dataclass(slots=True)
class _Context:
    """One prompt being written: where its values come from, and the values already drawn (a
    slot written twice keeps its value)."""

    rng: random.Random
    fake: Faker
    person: ids.Person
    template: _Template
    data: _Data
    id_type: str
    category: str
    values: dict[str, tuple[str, str, str]] = field(default_factory=dict)


def _ranged(rng: random.Random, arg: str) -> str:
    """``lo-hi``: an integer; ``lo-hi:places``: a number with that many decimals."""
    m = _RANGE.fullmatch(arg)
    if m is None:
        raise ValueError(f"not a range: {arg!r}")
    if m[3] is None:
        return str(rng.randint(int(m[1]), int(m[2])))
    return f"{rng.uniform(float(m[1]), float(m[2])):.{int(m[3])}f}"


def _timestamp(rng: random.Random, arg: str) -> str:
    moment = datetime(2024, 1, 1) + timedelta(seconds=rng.randrange(63_072_000))
    return f"{moment:%Y-%m-%dT%H:%M:%SZ}"


# Unlabelled numbers, drawn afresh at every use.
_NUMBERS: Final[Mapping[str, Callable[[random.Random, str], str]]] = MappingProxyType(
    {
        "n": _ranged,
        "f": _ranged,
        "z": lambda rng, arg: ids.pattern(rng, f"{arg}#"),
        "A": lambda rng, arg: ids.pattern(rng, f"{arg}@"),
        "x": lambda rng, arg: "".join(rng.choices("0123456789abcdef", k=int(arg))),
        "ts": _timestamp,
        "time": lambda rng, arg: f"{rng.randint(6, 22):02d}:{rng.randrange(0, 60, 5):02d}",
        "isbn": lambda rng, arg: ids.isbn(rng),
        "badcard": lambda rng, arg: ids.bad_card(rng),
        "badiban": lambda rng, arg: ids.bad_iban(rng, arg or "DE"),
    }
)


def _date_text(ctx: _Context, day: date) -> str:
    lang = ctx.template.lang
    month_names = ctx.data.months.get(lang, ())
    parts = {"YYYY": str(day.year), "DD": f"{day.day:02d}", "MM": f"{day.month:02d}"}
    parts |= {"D": str(day.day), "M": str(day.month)}
    parts["MON"] = month_names[day.month - 1] if month_names else ""
    return _DATE_TOKEN.sub(lambda m: parts[m[0]], ctx.rng.choice(ctx.data.date_formats[lang]))


def _email(ctx: _Context) -> str:
    first, last = (ids.ascii_letters(n).lower() for n in (ctx.person.first, ctx.person.last))
    if ctx.rng.random() < 0.3 or not first or not last:
        return ctx.fake.email()
    number = ctx.rng.randint(1, 99)
    user = ctx.rng.choice((f"{first}.{last}", f"{first[0]}{last}", f"{first}{last}{number}"))
    return f"{user}@{ctx.fake.free_email_domain()}"


def _card(ctx: _Context) -> str:
    local = ctx.person.locale in ("pt_PT", "zh_CN")  # Faker has their own issuers' types only
    number = ctx.fake.credit_card_number(None if local else ctx.rng.choice(_CARD_TYPES))
    cuts = (4, 10) if len(number) == 15 else range(4, len(number), 4)
    return ids.split(ctx.rng, number, cuts, (" ", " ", "-", ""))


def _city(ctx: _Context) -> str:
    if ctx.person.locale == "it_IT":  # its city() lists a set, in an order PYTHONHASHSEED sets
        return ctx.fake.postcode_city_province().split(", ", 1)[1].rsplit(" (", 1)[0]
    return ctx.fake.city()


def _label(ctx: _Context) -> str:
    names = ctx.data.labels.get((ctx.id_type, ctx.template.lang))
    return ctx.rng.choice(names or ctx.data.labels[ctx.id_type, "en"])


# Unlabelled words, drawn once per prompt.
_FILLERS: Final[Mapping[str, Callable[[_Context], str]]] = MappingProxyType(
    {
        "city": _city,
        "company": lambda c: c.fake.company(),
        "date": lambda c: _date_text(c, date(2023, 1, 1) + timedelta(days=c.rng.randrange(1095))),
        "ask": lambda c: c.rng.choice(c.data.asks[c.template.lang]),
        "idlabel": _label,
    }
)
# Labelled values that Faker writes, or that the person is.
_PERSONAL_DATA: Final[Mapping[str, Callable[[_Context], str]]] = MappingProxyType(
    {
        "name": lambda c: f"{c.person.first} {c.person.last}",
        "email": _email,
        "phone": lambda c: c.fake.phone_number(),
        "card": _card,
        "address": lambda c: c.fake.address().replace("\n", ", "),
        "dob": lambda c: _date_text(c, c.person.birth),
    }
)


def _health_statement(slot: str, code: str, ctx: _Context) -> tuple[str, str, str]:
    category = _CATEGORY_CODES[code] if code else ctx.category
    t = ctx.template
    group = ctx.data.health[t.lang, t.split, category, slot]
    statement = ctx.rng.choice([text for text, women in group if ctx.person.female or not women])
    return _render(statement, ctx)[0], "health", category


def _draw(slot: str, ctx: _Context) -> tuple[str, str, str]:
    """(value, entity type or "", health category or "") of a slot that keeps its value."""
    name, _, arg = slot.partition(":")
    kind = name.rstrip("0123456789")
    if kind in _FILLERS:
        return _FILLERS[kind](ctx), "", ""
    if kind in ("health", "health_i"):
        return _health_statement(kind, arg, ctx)
    entity_type = ctx.id_type if kind == "id" else _ALIASES.get(kind, kind)
    if entity_type in ids.IDENTIFIERS:
        return ids.IDENTIFIERS[entity_type](ctx.rng, ctx.person), entity_type, ""
    return _PERSONAL_DATA[kind](ctx), entity_type, ""


def _fill(slot: str, ctx: _Context) -> tuple[str, str, str]:
    if "|" in slot:
        return ctx.rng.choice(slot.split("|")), "", ""
    kind, _, arg = slot.partition(":")
    if kind in _NUMBERS:
        return _NUMBERS[kind](ctx.rng, arg), "", ""
    if slot not in ctx.values:
        ctx.values[slot] = _draw(slot, ctx)
    return ctx.values[slot]


def _render(frame: str, ctx: _Context) -> tuple[str, list[Entity]]:
    """`frame` with its slots filled, and the entities at their offsets."""
    pieces: list[str] = []
    entities: list[Entity] = []
    end = offset = 0
    for m in _SLOT.finditer(frame):
        pieces.append(frame[end : m.start()])
        offset += m.start() - end
        value, entity_type, category = _fill(m[1], ctx)
        if entity_type:
            entities.append(Entity(entity_type, offset, offset + len(value), value, category))
        pieces.append(value)
        offset += len(value)
        end = m.end()
    pieces.append(frame[end:])
    return "".join(pieces), entities


def _person(rng: random.Random, fake: Faker, locale: str) -> ids.Person:
    female = rng.random() < 0.5
    if locale in ("zh_CN", "ja_JP"):
        first, last = fake.first_romanized_name(), fake.last_romanized_name()
    elif female:
        first, last = fake.first_name_female(), fake.last_name_female()
    else:
        first, last = fake.first_name_male(), fake.last_name_male()
    start = date(1918, 1, 1) if rng.random() < 0.03 else date(1935, 1, 1)
    birth = start + timedelta(days=rng.randrange((date(2006, 12, 31) - start).days))
    return ids.Person(first, last, female, birth, locale)


def _locale(t: _Template, id_type: str, rng: random.Random) -> str:
    """The Faker locale of the person: the home of the prompt's identifier, if it has one."""
    named = [s for s in _SLOT.findall(t.frame) if s in ids.HOME_LOCALE]
    home = id_type or (named[0] if named else "")
    if home:
        return ids.HOME_LOCALE[home]
    if "{bank}" in t.frame:  # British and American accounts only
        return rng.choice(("en_GB", "en_US"))
    return rng.choice(_LANG_LOCALES[t.lang])


def _cycle(rng: random.Random, items: Sequence[str], n: int) -> list[str]:
    """`n` items, each run of len(items) a shuffle of all of them (balanced, not patterned)."""
    out: list[str] = []
    while len(out) < n:
        out += rng.sample(items, len(items))
    return out[:n]


def _template_prompts(
    t: _Template, count: int, rng: random.Random, fakers: Mapping[str, Faker], data: _Data
) -> Iterator[LabelledPrompt]:
    id_types = _cycle(rng, t.ids or ("",), count)
    categories = _cycle(rng, HEALTH_CATEGORIES, count)
    for k in range(count):
        locale = _locale(t, id_types[k], rng)
        person = _person(rng, fakers[locale], locale)
        ctx = _Context(rng, fakers[locale], person, t, data, id_types[k], categories[k])
        text, found = _render(t.frame, ctx)
        entities = tuple(found)
        yield LabelledPrompt(
            id=f"{t.split}-{t.lang}-{t.slug}-{k}",
            split=t.split,
            lang=t.lang,
            domain=t.domain,
            level=level_of(entities),
            text=text,
            entities=entities,
            template=t.slug,
            negative=t.negative,
        )


def generate_corpus(seed: int = 0) -> list[LabelledPrompt]:
    """The corpus of `seed`, split by split in `SPLITS` order (dev last, so that adding to it
    changes no train or test prompt); the same seed gives the same prompts."""
    from faker import Faker  # the optional `corpus` extra: reading the corpus needs no Faker

    data = _load()
    fakers: dict[str, Faker] = {}
    locales = {*ids.HOME_LOCALE.values(), *(x for v in _LANG_LOCALES.values() for x in v)}
    for locale in sorted(locales):
        fakers[locale] = Faker(locale)
        fakers[locale].seed_instance(f"{seed}/{locale}")
    rng = random.Random(seed)
    prompts: list[LabelledPrompt] = []
    for part in SPLITS:
        templates = [t for t in data.templates if t.split == part]
        per_negative = -(-_NEGATIVES_PER_SPLIT // max(1, sum(t.negative for t in templates)))
        for t in templates:
            count = per_negative if t.negative else _BASE_PROMPTS + _PER_ID_CHOICE * len(t.ids)
            prompts.extend(_template_prompts(t, count, rng, fakers, data))
    return prompts


def write_corpus(out_dir: Path, seed: int = 0) -> list[Path]:
    """`generate_corpus(seed)` as one ``<split>.jsonl`` per split in `out_dir` (returned in
    `SPLITS` order): one JSON object a line, keys in field order, UTF-8 text as is."""
    prompts = generate_corpus(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    paths = []
    for part in SPLITS:
        lines = (
            json.dumps(asdict(p), ensure_ascii=False) + "\n" for p in prompts if p.split == part
        )
        path = out_dir / f"{part}.jsonl"
        path.write_text("".join(lines), encoding="utf-8", newline="\n")
        paths.append(path)
    return paths
