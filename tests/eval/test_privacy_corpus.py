"""The synthetic privacy corpus: deterministic, as large and as covered as promised, labelled by
the guide, and every identifier valid by its official check. The checkers below are written here
from the specifications, apart from the generator's code (validation forms where the generator
computes check digits; the Verhoeff tables derived from the dihedral group, not copied)."""

from __future__ import annotations

import calendar
import json
import os
import re
import subprocess
import sys
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from functools import reduce
from itertools import pairwise
from pathlib import Path

import pytest

from mecrouter.errors import InvalidRequestError
from mecrouter.eval import privacy_templates_dev
from mecrouter.eval.privacy_corpus import (
    ENTITY_TYPES,
    HEALTH_CATEGORIES,
    SPLITS,
    Entity,
    LabelledPrompt,
    generate_corpus,
    level_of,
    read_corpus,
    write_corpus,
)

LANGS = {"en", "de", "fr", "es", "it", "nl", "pl", "pt", "sv", "no", "da", "fi"}
HEALTH_LANGS = {"en", "de", "fr", "es"}
DOMAINS = {"healthcare", "legal", "finance", "insurance", "hr", "travel", "automotive", "general"}
DOMAINS |= {"iot", "code", "maths"}
PASSPORT_WORDS = {"en": "passport", "de": "reisepass", "fr": "passeport", "es": "pasaporte"}
PASSPORT_WORDS |= {"it": "passaporto", "nl": "paspoort", "pl": "paszport", "pt": "passaporte"}
PASSPORT_WORDS |= {"sv": "pass", "no": "passnummer", "da": "pasnummer", "fi": "passin"}
WRITE = "import pathlib, mecrouter.eval.privacy_corpus as m; m.write_corpus(pathlib.Path())"
VARIED_FORMS = ("iban", "us_ssn", "se_personnummer", "fr_nir", "payment_card", "uk_nino", "nl_bsn")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    return write_corpus(tmp_path_factory.mktemp("privacy"), seed=0)


@pytest.fixture(scope="module")
def corpus(written: list[Path]) -> list[LabelledPrompt]:
    return [p for path in written for p in read_corpus(path)]


def plain(value: str) -> str:
    return re.sub(r"[\s.\-/+]", "", value)


def luhn_ok(number: str) -> bool:
    total = 0
    for i, c in enumerate(reversed(number)):
        n = int(c) * (1 + i % 2)
        total += n // 10 + n % 10
    return total % 10 == 0


def _d5(j: int, k: int) -> int:  # the dihedral group D5, as Verhoeff numbers it
    return (j + k) % 5 + 5 * (k >= 5) if j < 5 else (j - k) % 5 + 5 * (k < 5)


# Verhoeff's position permutation: position i applies it i times
_P1 = (1, 5, 7, 6, 2, 8, 3, 0, 9, 4)
_PERMS = [[reduce(lambda x, _: _P1[x], range(i), j) for j in range(10)] for i in range(8)]


def verhoeff_ok(number: str) -> bool:
    check = 0
    for i, c in enumerate(reversed(number)):
        check = _d5(check, _PERMS[i % 8][int(c)])
    return check == 0


IBAN_LENGTHS = {"DE": 22, "AT": 20, "CH": 21, "FR": 27, "ES": 24, "IT": 27, "NL": 18, "BE": 16}
IBAN_LENGTHS |= {"PL": 28, "PT": 25, "SE": 24, "NO": 15, "DK": 18, "FI": 18, "GB": 22, "IE": 22}


def iban_ok(value: str) -> bool:
    s = value.replace(" ", "")
    if IBAN_LENGTHS.get(s[:2]) != len(s) or not s[2:4].isdigit():
        return False
    return int("".join(str(int(c, 36)) for c in s[4:] + s[:4])) % 97 == 1


def weighted(number: str, weights: Iterable[int]) -> int:
    return sum(int(d) * w for d, w in zip(number, weights, strict=False))


def is_date(year: int, month: int, day: int) -> bool:
    return 1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1]


def in_ranges(n: int, *ranges: tuple[int, int]) -> bool:
    return any(lo <= n <= hi for lo, hi in ranges)


def ssn_ok(v: str) -> bool:
    m = re.fullmatch(r"(\d{3})([- ]?)(\d\d)\2(\d{4})", v)
    return (
        bool(m) and in_ranges(int(m[1]), (1, 665), (667, 899)) and m[3] != "00" and m[4] != "0000"
    )


def itin_ok(v: str) -> bool:
    m = re.fullmatch(r"9\d\d([- ]?)(\d\d)\1\d{4}", v)
    return bool(m) and in_ranges(int(m[2]), (50, 65), (70, 88), (90, 92), (94, 99))


MBI_A = "[AC-HJKMNP-RT-Y]"  # letters but B I L O S Z
MBI = re.compile(
    f"[1-9]{MBI_A}[0-9AC-HJKMNP-RT-Y]\\d{MBI_A}[0-9AC-HJKMNP-RT-Y]\\d{MBI_A}{{2}}\\d\\d"
)


def nino_ok(v: str) -> bool:
    m = re.fullmatch(r"([A-CEGHJ-PR-TW-Z][A-CEGHJ-NPR-TW-Z])\d{6}[A-D]", v.replace(" ", ""))
    return bool(m) and m[1] not in ("BG", "GB", "KN", "NK", "NT", "TN", "ZZ")


def nhs_ok(v: str) -> bool:
    n = plain(v)
    check = 11 - weighted(n[:9], (10, 9, 8, 7, 6, 5, 4, 3, 2)) % 11
    return len(n) == 10 and check != 10 and check % 11 == int(n[9])


def de_tax_id_ok(v: str) -> bool:
    n = plain(v)
    counts = Counter(n[:10])
    twice = [d for d, c in counts.items() if c > 1]  # one digit two or three times, not in a row
    if len(n) != 11 or n[0] == "0" or len(twice) != 1 or counts[twice[0]] > 3:
        return False
    if twice[0] * 3 in n[:10]:
        return False
    product = 10  # ISO 7064 MOD 11,10: the check digit brings the running sum to 1
    for d in n[:10]:
        product = 2 * ((int(d) + product) % 10 or 10) % 11
    return (int(n[10]) + product) % 10 == 1


def nir_ok(v: str) -> bool:
    n = v.replace(" ", "")
    if not re.fullmatch(r"[12]\d{4}(\d\d|2A|2B)\d{8}", n) or not 1 <= int(n[3:5]) <= 12:
        return False
    return int(n[13:]) == 97 - int(n[:13].replace("2A", "19").replace("2B", "18")) % 97


def dni_ok(v: str) -> bool:
    m = re.fullmatch(r"([XYZ]-?|)(\d{7,8})-?([A-Z])", v.replace(".", ""))
    number = str("XYZ".find(m[1][:1])) + m[2] if m and m[1] else m[2] if m else ""
    return bool(m) and len(number) == 8 and "TRWAGMYFPDXBNJZSQVHLCKE"[int(number) % 23] == m[3]


ODD = (1, 0, 5, 7, 9, 13, 15, 17, 19, 21, 2, 4, 18, 20, 11, 3, 6, 8, 12, 14, 16, 10, 22, 25, 24, 23)


def fiscal_code_ok(v: str) -> bool:  # the odd table indexed by letter, digits read as A-J
    m = re.fullmatch(r"[A-Z]{6}\d\d[ABCDEHLMPRST](\d\d)[A-Z]\d{3}[A-Z]", v)
    if not m or not in_ranges(int(m[1]), (1, 31), (41, 71)):
        return False
    value = [int(c) if c.isdigit() else ord(c) - 65 for c in v[:15]]
    total = sum(ODD[x] if i % 2 == 0 else x for i, x in enumerate(value))
    return chr(65 + total % 26) == v[15]


def pesel_ok(v: str) -> bool:
    century, month = divmod(int(v[2:4]), 20)
    year = {0: 1900, 1: 2000, 4: 1800}.get(century, 0) + int(v[:2])
    return weighted(v, (1, 3, 7, 9, 1, 3, 7, 9, 1, 3, 1)) % 10 == 0 and is_date(
        year, month, int(v[4:6])
    )


def cpf_ok(v: str) -> bool:
    n = plain(v)
    digits_ok = all(weighted(n, range(k + 1, 1, -1)) * 10 % 11 % 10 == int(n[k]) for k in (9, 10))
    return len(n) == 11 and len(set(n)) > 1 and digits_ok


def cn_id_ok(v: str) -> bool:
    weights = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
    ok = re.fullmatch(r"\d{17}[\dX]", v) and is_date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    return bool(ok) and "10X98765432"[weighted(v[:17], weights) % 11] == v[17]


def my_number_ok(v: str) -> bool:
    n = plain(v)
    r = sum(int(n[11 - k]) * (k + 1 if k <= 6 else k - 5) for k in range(1, 12)) % 11
    return len(n) == 12 and int(n[11]) == (0 if r <= 1 else 11 - r)


def personnummer_ok(v: str) -> bool:
    m = re.fullmatch(r"(\d\d)?(\d\d)(\d\d)(\d\d)([-+]?)(\d{4})", v)
    if not m or not luhn_ok("".join(m.groups()[1:4]) + m[6]):
        return False
    years = [int(m[1] + m[2])] if m[1] else [1900 + int(m[2]), 2000 + int(m[2])]
    years = [y for y in years if is_date(y, int(m[3]), int(m[4]))]
    return bool(years) and (m[5] != "+" or 2025 - years[0] >= 100)


def fodselsnummer_ok(v: str) -> bool:
    n = plain(v)
    year = int(n[4:6]) + (1900 if int(n[6:9]) < 500 else 2000)
    k1 = weighted(n, (3, 7, 6, 1, 8, 9, 4, 5, 2, 1)) % 11 == 0
    k2 = weighted(n, (5, 4, 3, 2, 7, 6, 5, 4, 3, 2, 1)) % 11 == 0
    return len(n) == 11 and k1 and k2 and is_date(year, int(n[2:4]), int(n[:2]))


def cpr_ok(v: str) -> bool:
    n = plain(v)
    yy, c7 = int(n[4:6]), int(n[6])
    year = yy + (2000 if (c7 in (4, 9) and yy <= 36) or (5 <= c7 <= 8 and yy <= 57) else 1900)
    mod11 = weighted(n, (4, 3, 2, 7, 6, 5, 4, 3, 2, 1)) % 11 == 0
    return len(n) == 10 and mod11 and is_date(year, int(n[2:4]), int(n[:2]))


def hetu_ok(v: str) -> bool:
    m = re.fullmatch(r"(\d\d)(\d\d)(\d\d)([-+A-FU-Y])(\d{3})([0-9A-Y])", v)
    if not m or not 2 <= int(m[5]) <= 899:
        return False
    century = 1800 if m[4] == "+" else 2000 if m[4] in "ABCDEF" else 1900
    ok_date = is_date(century + int(m[3]), int(m[2]), int(m[1]))
    return ok_date and "0123456789ABCDEFHJKLMNPRSTUVWXY"[int(v[:6] + m[5]) % 31] == m[6]


def bank_account_ok(v: str) -> bool:
    numbers = [plain(n) for n in re.findall(r"\d[\d-]*\d", v)]
    if len(numbers) != 2:
        return False
    if len(numbers[0]) == 6:  # a British sort code and an 8-digit account
        return len(numbers[1]) == 8
    d = [int(c) for c in numbers[0]]  # an ABA routing number: 3 7 1 weights, sum mod 10 = 0
    aba = len(d) == 9 and (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + sum(d[2::3])) % 10
    return aba == 0 and 8 <= len(numbers[1]) <= 12


CHECKS: dict[str, Callable[[str], bool]] = {
    "payment_card": lambda v: 13 <= len(plain(v)) <= 19 and luhn_ok(plain(v)),
    "iban": iban_ok,
    "bank_account": bank_account_ok,
    "us_ssn": ssn_ok,
    "us_itin": itin_ok,
    "us_mbi": lambda v: bool(MBI.fullmatch(v.replace("-", ""))),
    "uk_nino": nino_ok,
    "uk_nhs": nhs_ok,
    "de_tax_id": de_tax_id_ok,
    "fr_nir": nir_ok,
    "es_dni": lambda v: v[0].isdigit() and dni_ok(v),
    "es_nie": lambda v: v[0] in "XYZ" and dni_ok(v),
    "it_fiscal_code": fiscal_code_ok,
    "pl_pesel": lambda v: bool(re.fullmatch(r"\d{11}", v)) and pesel_ok(v),
    "nl_bsn": lambda v: (
        len(plain(v)) == 9 and weighted(plain(v), (9, 8, 7, 6, 5, 4, 3, 2, -1)) % 11 == 0
    ),
    "in_aadhaar": lambda v: bool(re.fullmatch(r"[2-9]\d{11}", plain(v))) and verhoeff_ok(plain(v)),
    "in_pan": lambda v: bool(re.fullmatch(r"[A-Z]{3}P[A-Z]\d{4}[A-Z]", v)),
    "ca_sin": lambda v: bool(re.fullmatch(r"[0-79]\d{8}", plain(v))) and luhn_ok(plain(v)),
    "au_tfn": lambda v: (
        len(plain(v)) == 9 and weighted(plain(v), (1, 4, 3, 7, 5, 8, 6, 9, 10)) % 11 == 0
    ),
    "au_medicare": lambda v: (
        bool(re.fullmatch(r"[2-6]\d{8}[1-9]", plain(v)))
        and weighted(plain(v), (1, 3, 7, 9, 1, 3, 7, 9)) % 10 == int(plain(v)[8])
    ),
    "br_cpf": cpf_ok,
    "cn_resident_id": cn_id_ok,
    "jp_my_number": my_number_ok,
    "se_personnummer": personnummer_ok,
    "no_fodselsnummer": fodselsnummer_ok,
    "dk_cpr": cpr_ok,
    "fi_hetu": hetu_ok,
    "passport": lambda v: bool(re.fullmatch(r"[A-Z0-9]{7,9}", v)),
}


PUBLISHED = [  # (type, a value the issuer or a standard publishes as valid)
    ("payment_card", "4111 1111 1111 1111"), ("iban", "GB82 WEST 1234 5698 7654 32"),
    ("iban", "DE89370400440532013000"), ("uk_nhs", "943 476 5919"), ("uk_nino", "AB 12 34 56 C"),
    ("us_mbi", "1EG4-TE5-MK73"), ("es_dni", "12345678Z"), ("es_nie", "X1234567L"),
    ("it_fiscal_code", "RSSMRA85T10A562S"), ("pl_pesel", "44051401359"), ("nl_bsn", "111222333"),
    ("ca_sin", "046 454 286"), ("au_tfn", "123 456 782"), ("au_medicare", "2123 45670 1"),
    ("br_cpf", "529.982.247-25"), ("cn_resident_id", "11010519491231002X"),
    ("se_personnummer", "811218-9876"), ("fi_hetu", "131052-308T"), ("de_tax_id", "86095742719"),
    ("jp_my_number", "123456789018"), ("bank_account", "routing 021000021, account 12345678"),
]  # fmt: skip


NO_CHECK_DIGIT = {"uk_nino", "us_mbi"}  # format rules only


@pytest.mark.parametrize(("kind", "value"), PUBLISHED)
def test_checkers_pass_published_values_and_fail_a_changed_digit(kind: str, value: str) -> None:
    assert CHECKS[kind](value) and verhoeff_ok("2363") and not verhoeff_ok("2364")
    if kind in NO_CHECK_DIGIT:
        return
    i = min(i for i, c in enumerate(value) if c.isdigit())  # a digit every check covers
    changed = value[:i] + str((int(value[i]) + 5) % 10) + value[i + 1 :]
    assert not CHECKS[kind](changed)


def test_same_seed_same_bytes_in_any_process(written: list[Path], tmp_path: Path) -> None:
    env = os.environ | {"PYTHONHASHSEED": "4711"}  # a Faker locale's city list once followed it
    subprocess.run([sys.executable, "-c", WRITE], cwd=tmp_path, env=env, check=True, timeout=120)
    again = [tmp_path / f"{split}.jsonl" for split in SPLITS]
    names = [f"{split}.jsonl" for split in SPLITS]
    assert [p.name for p in written] == names
    assert [p.read_bytes() for p in again] == [p.read_bytes() for p in written]
    assert sum(p.stat().st_size for p in written) < 30_000_000  # shipped in data/
    first = json.loads(written[0].read_text(encoding="utf-8").splitlines()[0])
    assert list(first) == [f.name for f in fields(LabelledPrompt)]


def test_another_seed_draws_other_values(corpus: list[LabelledPrompt]) -> None:
    other = generate_corpus(seed=1)
    assert [p.id for p in other] == [p.id for p in corpus]
    same = sum(a.text == b.text for a, b in zip(corpus, other, strict=True))
    assert same < len(corpus) // 50


def test_reading_needs_no_faker_and_gives_back_what_was_generated(
    written: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    generated = generate_corpus(seed=0)
    monkeypatch.setitem(sys.modules, "faker", None)  # importing Faker now fails
    assert [p for path in written for p in read_corpus(path)] == generated


def test_the_dev_split_changes_no_train_or_test_prompt(
    corpus: list[LabelledPrompt], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Dev and dev2 to dev16 were written after train and test had been used, each after the one
    before; adding them must not redraw what came before: without the newest split, the corpus
    is the same less that split, and without every dev split, it is train and test alone."""
    empty: Mapping[str, str] = {}
    monkeypatch.setattr(privacy_templates_dev, "NEGATIVE_DEV16", empty)
    without_dev16 = generate_corpus(seed=0)
    assert without_dev16 == [p for p in corpus if p.split != "dev16"]
    for name in (
        *("NEGATIVE_DEV15", "NEGATIVE_DEV14", "NEGATIVE_DEV13", "NEGATIVE_DEV12", "NEGATIVE_DEV11"),
        *("POSITIVE_DEV10", "NEGATIVE_DEV10", "HEALTH_DEV10"),
        *("POSITIVE_DEV9", "NEGATIVE_DEV9", "HEALTH_DEV9"),
        "NEGATIVE_DEV8",
        *("POSITIVE_DEV7", "NEGATIVE_DEV7", "HEALTH_DEV7"),
        *("POSITIVE_DEV6", "NEGATIVE_DEV6", "HEALTH_DEV6"),
        *("POSITIVE_DEV5", "NEGATIVE_DEV5", "HEALTH_DEV5", "NEGATIVE_DEV4", "NEGATIVE_DEV3"),
        *("NEGATIVE_DEV2", "POSITIVE_DEV", "NEGATIVE_DEV", "HEALTH_DEV"),
    ):
        monkeypatch.setattr(privacy_templates_dev, name, empty)
    without_dev = generate_corpus(seed=0)
    assert without_dev == [p for p in corpus if p.split in ("train", "test")]
    assert len(without_dev) < len(without_dev16) < len(corpus)


def test_a_bad_line_is_named_with_its_file(written: list[Path], tmp_path: Path) -> None:
    good = written[1].read_text(encoding="utf-8").splitlines()[0]
    broken = json.loads(good)
    broken["entities"][0]["start"] += 1
    for bad in ("{not json", json.dumps(broken), json.dumps({"id": "x"})):
        path = tmp_path / "bad.jsonl"
        path.write_text(f"{good}\n{bad}\n", encoding="utf-8")
        with pytest.raises(InvalidRequestError, match=r"line 2") as caught:
            read_corpus(path)
        assert str(path) in str(caught.value)


def test_sizes_per_split(corpus: list[LabelledPrompt]) -> None:
    for split in ("train", "test"):
        prompts = [p for p in corpus if p.split == split]
        assert sum(p.level != "public" for p in prompts if not p.negative) >= 2000
        assert sum(p.negative for p in prompts) >= 1000


def test_every_entity_type_has_30_prompts_in_each_split(corpus: list[LabelledPrompt]) -> None:
    counts = Counter((p.split, t) for p in corpus for t in {e.type for e in p.entities})
    short = {
        (s, t): counts[s, t] for s in ("train", "test") for t in ENTITY_TYPES if counts[s, t] < 30
    }
    assert short == {}


def test_every_language_and_domain_in_both_splits(corpus: list[LabelledPrompt]) -> None:
    for split in ("train", "test"):
        assert {p.lang for p in corpus if p.split == split and not p.negative} == LANGS
    assert {p.domain for p in corpus if p.split in ("train", "test")} == DOMAINS
    assert {p.lang for p in corpus if p.negative} == LANGS


def test_health_in_every_category_for_en_de_fr_es_only(corpus: list[LabelledPrompt]) -> None:
    seen = Counter(
        (p.split, p.lang, e.category) for p in corpus for e in p.entities if e.type == "health"
    )
    assert {lang for _, lang, _ in seen} == HEALTH_LANGS
    for split in ("train", "test"):
        for lang in HEALTH_LANGS:
            assert all(seen[split, lang, c] >= 3 for c in HEALTH_CATEGORIES), (split, lang)


def test_health_statements_are_split_like_templates(corpus: list[LabelledPrompt]) -> None:
    by_split = defaultdict(set)
    for p in corpus:
        by_split[p.split] |= {e.value for e in p.entities if e.type == "health"}
    assert by_split["train"] and not by_split["train"] & by_split["test"]
    assert by_split["dev"] and not by_split["dev"] & (by_split["train"] | by_split["test"])


def test_each_template_belongs_to_one_split_and_names_its_prompts(
    corpus: list[LabelledPrompt],
) -> None:
    splits = defaultdict(set)
    for p in corpus:
        splits[p.template].add(p.split)
    assert all(len(s) == 1 for s in splits.values())
    train_or_test = [s for s in splits.values() if s <= {"train", "test"}]
    assert 0.4 < sum(s == {"train"} for s in train_or_test) / len(train_or_test) < 0.6
    assert len({p.id for p in corpus}) == len(corpus)
    assert all(
        re.fullmatch(rf"{p.split}-{p.lang}-{re.escape(p.template)}-\d+", p.id) for p in corpus
    )


def test_offsets_match_values_and_do_not_overlap(corpus: list[LabelledPrompt]) -> None:
    for p in corpus:
        assert all(
            p.text[e.start : e.end] == e.value and e.value.strip() == e.value for e in p.entities
        )
        spans = sorted((e.start, e.end) for e in p.entities)
        assert all(a[1] <= b[0] for a, b in pairwise(spans)), p.id
        assert all((e.type == "health") == bool(e.category) for e in p.entities), p.id


def test_every_identifier_passes_its_official_check(corpus: list[LabelledPrompt]) -> None:
    failed = [
        (e.type, e.value)
        for p in corpus
        for e in p.entities
        if e.type in CHECKS and not CHECKS[e.type](e.value)
    ]
    assert failed == []


def test_identifiers_appear_in_several_written_forms(corpus: list[LabelledPrompt]) -> None:
    forms = defaultdict(set)
    for e in (e for p in corpus for e in p.entities):
        forms[e.type].add(re.sub(r"[0-9]", "9", re.sub(r"[A-Z]", "A", e.value)))
    for kind in VARIED_FORMS:
        assert len({"".join(c for c in f if not c.isalnum()) for f in forms[kind]}) >= 2, kind
    assert any("+" in e.value for p in corpus for e in p.entities if e.type == "se_personnummer")


def test_levels_follow_the_guide_and_names_never_stand_alone(corpus: list[LabelledPrompt]) -> None:
    assert all(p.level == level_of(p.entities) for p in corpus)
    assert all(p.level == "public" and not p.entities for p in corpus if p.negative)
    assert all(p.level != "public" for p in corpus if not p.negative)
    assert {p.level for p in corpus if p.split == "test"} == {"public", "sensitive", "regulated"}
    lonely_names = [p.id for p in corpus if {e.type for e in p.entities} == {"person_name"}]
    assert lonely_names == []


def _e(*types: str) -> list[Entity]:
    return [Entity(t, 0, 1, "x", "general" if t == "health" else "") for t in types]


@pytest.mark.parametrize(
    ("types", "level"),
    [
        ((), "public"), (("person_name",), "public"), (("email",), "sensitive"),
        (("date_of_birth", "person_name"), "sensitive"), (("iban", "payment_card"), "sensitive"),
        (("health",), "sensitive"), (("health", "person_name"), "regulated"),
        (("health", "phone"), "regulated"), (("health", "bank_account"), "regulated"),
        (("passport",), "regulated"), (("fi_hetu",), "regulated"), (("us_itin",), "regulated"),
        (("medical_record_number",), "regulated"), (("uk_nhs", "email"), "regulated"),
    ],
)  # fmt: skip
def test_level_of_hand_written_cases(types: tuple[str, ...], level: str) -> None:
    assert level_of(_e(*types)) == level


def test_passports_follow_the_word_for_passport(corpus: list[LabelledPrompt]) -> None:
    for p in corpus:
        for e in (e for e in p.entities if e.type == "passport"):
            assert PASSPORT_WORDS[p.lang] in p.text[max(0, e.start - 60) : e.start].lower(), p.id


def test_lengths_run_from_one_line_to_several_paragraphs(corpus: list[LabelledPrompt]) -> None:
    lengths = [len(p.text) for p in corpus if not p.negative]
    assert sum(100 <= n <= 600 for n in lengths) / len(lengths) > 0.8
    assert min(lengths) < 100 and max(lengths) > 600
    assert any("\n\n" in p.text for p in corpus)


def test_the_issues_four_examples_are_there(corpus: list[LabelledPrompt]) -> None:
    def has(p: LabelledPrompt, kind: str, category: str = "", words: str = "") -> bool:
        found = [
            e for e in p.entities if e.type == kind and (not category or e.category == category)
        ]
        return any(words.lower() in e.value.lower() for e in found)

    kinds = [
        lambda p: p.domain == "legal" and has(p, "passport") and has(p, "iban"),
        lambda p: (
            has(p, "se_personnummer")
            and has(p, "health", "mental_health", "sick leave for depression")
        ),
        lambda p: (
            has(p, "de_tax_id") and has(p, "health", "addiction", "Alkoholabhängigkeit behandelt")
        ),
        lambda p: has(p, "in_aadhaar") and has(p, "health", "mental_health", "suicidal thoughts"),
    ]
    assert all(any(kind(p) for p in corpus) for kind in kinds)


def test_negatives_hold_near_misses_that_fail_their_checks(corpus: list[LabelledPrompt]) -> None:
    # The dev writers' own digit runs ({z:16} in an SSCC) may pass Luhn by chance: not checked.
    texts = [p.text for p in corpus if p.negative and p.split in ("train", "test")]
    iban_shape = re.compile(r"\b(?:DE|FR)\d\d(?: ?[0-9A-Z]{4}){4}[0-9A-Z ]*\d")
    ibans = [m for t in texts for m in iban_shape.findall(t)]
    texts = [iban_shape.sub("", t) for t in texts]
    cards = [plain(m) for t in texts for m in re.findall(r"\b(?:\d{4}[ -]?){3}\d{4}\b", t)]
    assert len(cards) > 100 and not any(luhn_ok(c) for c in cards)
    assert len(ibans) > 100 and not any(iban_ok(i) for i in ibans)
    assert sum(bool(re.search(r"\b\d{9}\b", t)) for t in texts) > 300  # order ids


def test_an_id_slot_with_no_group_for_its_language_is_named(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """English has no national id of its own: a frame's {id} there needs a group."""
    frame = "@x-en-bad telecom: Verify {name}, {idlabel} {id}, before the SIM swap."
    monkeypatch.setattr(privacy_templates_dev, "POSITIVE_DEV10", {"en": frame})
    with pytest.raises(ValueError, match=r"x-en-bad: \{id\} needs a group"):
        generate_corpus(seed=0)
