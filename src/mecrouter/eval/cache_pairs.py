"""Look-up pairs for the semantic-cache study, built from RouterBench questions.

The questions are RouterBench's (``routerbench/{arc_challenge,winograde,mbpp}_{train,test}.csv``):
each row's prompt is a fixed few-shot prefix plus one question. The question is what a user
would send, so it is what gets embedded: the shared prefix alone fills MiniLM's 256 word pieces
and would make every prompt look alike. The right answer of a question is its gold letter for
ARC and Winogrande (the most common first letter among the models marked correct; rows no model
got right are dropped) and the task itself for MBPP (its answer is a program).

Every base question is cached; probes then look it up. Kinds (deterministic under a seed):

* ``reword`` (positive, same answer): the instruction rephrased, synonyms from a fixed list
  swapped at random, option labels restyled (``A)`` -> ``(A)``/``A.``, order kept), an MBPP
  task re-framed ("Create a function to ..."). Never only case or whitespace: the exact cache
  already catches that.
* ``synonym`` (positive): one synonym swapped, nothing else ("because" -> "since"): the
  smallest meaning-preserving edit.
* ``neighbour`` (negative): the question itself with its own entry removed, so the nearest
  *other* question is what would be served (same-template ARC questions, MBPP tasks worded
  alike).
* ``twin`` (negative): the same, for Winogrande questions whose twin (same options, sentence
  mostly equal, other answer) is cached.
* ``shuffle`` (negative): a multiple-choice question with its options reordered so that the
  right letter moves. The meaning is kept, the answer is not: a cached "B" is now wrong.
* ``antonym`` (negative): an MBPP task with one word flipped (maximum/minimum, first/last,
  even/odd, ...): a different program. Skipped when the flip is itself a question in the data.

`DataReader` records the files it opens; a train reader refuses ``*_test.csv`` outright.
"""

from __future__ import annotations

import ast
import csv
import random
import re
import sys
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher
from pathlib import Path
from typing import Literal

from mecrouter.agents.response_cache import normalise_prompt
from mecrouter.errors import ConfigError

__all__ = ["DATASETS", "POSITIVE_KINDS", "DataReader", "Item", "Probe", "Split", "build_probes"]

Split = Literal["train", "test"]
DATASETS = ("arc_challenge", "winograde", "mbpp")
POSITIVE_KINDS = frozenset({"reword", "synonym"})
_LETTER = re.compile(r"\s*\(?([A-E])(?![A-Za-z])")
_OPTION = re.compile(r"^([A-E])\) (.*)$")
_MBPP_HEAD = re.compile(
    r"^write an? (?:python )?function (to|that) (.*)$", re.IGNORECASE | re.DOTALL
)
_SYNONYMS = (
    ("which of the following", "which one of the following"),
    ("best explains", "most accurately explains"),
    ("best describes", "most accurately describes"),
    ("most likely", "most probably"),
    ("scientists", "researchers"),
    ("because", "since"),
    ("wanted to", "wished to"),
    ("check whether", "determine whether"),
    ("check if", "determine if"),
    ("given", "provided"),
    ("find the", "get the"),
    ("calculate", "compute"),
    ("remove", "delete"),
    ("convert", "transform"),
    ("what is", "what's"),
    ("write a function", "write a Python function"),
    ("an object", "a thing"),
    ("students", "pupils"),
)
_ANTONYMS = (
    ("maximum", "minimum"), ("minimum", "maximum"), ("largest", "smallest"),
    ("smallest", "largest"), ("first", "last"), ("last", "first"), ("even", "odd"),
    ("odd", "even"), ("sum", "product"), ("product", "sum"), ("ascending", "descending"),
    ("descending", "ascending"), ("uppercase", "lowercase"), ("lowercase", "uppercase"),
    ("increasing", "decreasing"), ("decreasing", "increasing"), ("longest", "shortest"),
    ("shortest", "longest"), ("max", "min"), ("min", "max"), ("left", "right"),
    ("right", "left"), ("upper", "lower"), ("lower", "upper"),
)  # fmt: skip
_OPTION_STYLES = ("({letter}) {text}", "{letter}. {text}", "{letter}: {text}", "{letter}) {text}")
_MC_INSTRUCTIONS = (
    "Answer with only the letter of the correct option ({plain}).",
    "Reply with one letter ({plain}) and no explanation.\nAnswer:",
    "Choose the correct option and give just its letter: {plain}.",
    "Which option is right? Respond with {plain} only, no explanation.",
)
_MBPP_FRAMES = (
    "Write a Python function {link} {rest}",
    "Create a function {link} {rest}",
    "Implement a function {link} {rest}",
    "Please write a function {link} {rest}",
    "I need a function {link} {rest}",
)

# --------------------------------------------------------------------------- data


@dataclass(frozen=True, slots=True)
class Item:
    """One base question: the text a user would send and the key of its right answer."""

    dataset: str
    sample_id: str
    text: str
    answer: str
    stem: str = ""
    options: tuple[tuple[str, str], ...] = ()
    gold: str = ""


@dataclass(frozen=True, slots=True)
class Probe:
    """One look-up of the study; ``leave_out`` removes its base from the cache meanwhile."""

    text: str
    kind: str
    dataset: str
    answer: str
    base: int
    leave_out: bool = False

    @property
    def positive(self) -> bool:
        return self.kind in POSITIVE_KINDS


class DataReader:
    """Reads RouterBench CSVs and records every file it opens.

    A reader made for ``split="train"`` refuses the held-out ``*_test.csv`` files outright, so
    the threshold choice cannot see them even by mistake.
    """

    def __init__(self, folder: Path, split: Split) -> None:
        self.folder = folder
        self.split: Split = split
        self.opened: list[Path] = []

    def items(self, limit: int | None = None) -> list[Item]:
        """The usable questions of every dataset, at most ``limit`` per dataset, file order."""
        out: list[Item] = []
        for dataset in DATASETS:
            rows = self._rows(self.folder / "routerbench" / f"{dataset}_{self.split}.csv")
            found = _items(dataset, rows)
            out.extend(found[:limit] if limit is not None else found)
        return out

    def _rows(self, path: Path) -> list[dict[str, str]]:
        if path.name.endswith("_test.csv") and self.split != "test":
            raise ConfigError(
                "data", f"{path.name} is held out; a {self.split} reader won't open it"
            )
        self.opened.append(path)
        csv.field_size_limit(sys.maxsize)
        try:
            with path.open(newline="", encoding="utf-8") as fh:
                return list(csv.DictReader(fh))
        except OSError as exc:
            raise ConfigError("data", f"cannot read {path}: {exc}") from exc


def _items(dataset: str, rows: list[dict[str, str]]) -> list[Item]:
    models = [c for c in rows[0] if f"{c}|model_response" in rows[0]] if rows else []
    seen: set[str] = set()
    out: list[Item] = []
    for row in rows:
        if row["sample_id"] in seen:
            continue
        seen.add(row["sample_id"])
        prompt = ast.literal_eval(row["prompt"])[-1]
        if dataset == "mbpp":
            text = prompt.strip()
            out.append(Item(dataset, row["sample_id"], text, row["sample_id"], stem=text))
            continue
        item = _choice_item(dataset, row, prompt.split("\n\n")[-1], models)
        if item is not None:
            out.append(item)
    return out


def _choice_item(dataset: str, row: dict[str, str], text: str, models: list[str]) -> Item | None:
    lines = text.split("\n")
    options = [m.groups() for m in map(_OPTION.match, lines) if m]
    first = next((i for i, line in enumerate(lines) if _OPTION.match(line)), None)
    if first is None:
        return None
    votes: Counter[str] = Counter()
    for model in models:
        if row.get(model, "").strip() in ("1", "1.0"):
            responses = ast.literal_eval(row.get(f"{model}|model_response") or "['']")
            match = _LETTER.match(str(responses[0]) if responses else "")
            if match:
                votes[match.group(1)] += 1
    letters = {letter for letter, _ in options}
    ranked = [v for v in sorted(votes.items(), key=lambda lv: (-lv[1], lv[0])) if v[0] in letters]
    if not ranked:
        return None  # no model got it right: the gold letter is unknown
    gold = ranked[0][0]
    stem = "\n".join(lines[:first])
    answer = f"{row['sample_id']}={gold}"
    return Item(
        dataset, row["sample_id"], text, answer, stem, tuple((a, b) for a, b in options), gold
    )


# --------------------------------------------------------------------------- probes


def build_probes(items: Sequence[Item], rng: random.Random) -> list[Probe]:
    """Per question: a rewording, a one-synonym edit, its hard negatives (module docstring)."""
    twins = _twin_indices(items)
    known = {normalise_prompt(item.text) for item in items}
    probes: list[Probe] = []
    for i, item in enumerate(items):
        probes.append(Probe(_reword(item, rng), "reword", item.dataset, item.answer, i))
        swapped = _one_synonym(item.text, rng)
        if swapped is not None:
            probes.append(Probe(swapped, "synonym", item.dataset, item.answer, i))
        kind = "twin" if i in twins else "neighbour"
        probes.append(Probe(item.text, kind, item.dataset, item.answer, i, leave_out=True))
        if len(item.options) >= 2:
            text, answer = _shuffle(item, rng)
            probes.append(Probe(text, "shuffle", item.dataset, answer, i))
        elif item.dataset == "mbpp":
            flipped = _antonym(item.text)
            if flipped is not None and normalise_prompt(flipped) not in known:
                probes.append(Probe(flipped, "antonym", item.dataset, f"{item.answer}~", i))
    return probes


def _reword(item: Item, rng: random.Random) -> str:
    """A rewording that keeps the answer and is never equal under `normalise_prompt`."""
    stem = _swap_synonyms(item.stem, rng)
    if not item.options:
        return _reword_task(stem, item.text, rng)
    style = rng.choice(_OPTION_STYLES)
    options = "\n".join(style.format(letter=a, text=b) for a, b in item.options)
    letters = [a for a, _ in item.options]
    plain = ", ".join(letters[:-1]) + f" or {letters[-1]}"
    stem = rng.choice(("{s}", "Question: {s}", "{s}")).format(s=stem)
    return f"{stem}\n{options}\n{rng.choice(_MC_INSTRUCTIONS).format(plain=plain)}"


def _reword_task(stem: str, original: str, rng: random.Random) -> str:
    match = _MBPP_HEAD.match(stem)
    frames = list(_MBPP_FRAMES)
    rng.shuffle(frames)
    for frame in frames:
        if match:
            text = frame.format(link=match.group(1), rest=match.group(2))
        else:
            text = f"{frame.split(' {link}')[0]} for this task: {stem}"
        if rng.random() < 0.5:
            text = text.rstrip(".") + ("?" if frame.startswith("Could") else "")
        if normalise_prompt(text) != normalise_prompt(original):
            return text
    return f"Task: {stem}"


def _swap_synonyms(text: str, rng: random.Random) -> str:
    for old, new in _SYNONYMS:
        pattern = _word_pattern(old)
        if pattern.search(text) and rng.random() < 0.5:
            text = _replace(pattern, new, text)
    return text


def _one_synonym(text: str, rng: random.Random) -> str | None:
    """``text`` with one (seeded) applicable synonym swapped, once; None if none applies."""
    found = [(old, new) for old, new in _SYNONYMS if _word_pattern(old).search(text)]
    if not found:
        return None
    old, new = rng.choice(found)
    return _replace(_word_pattern(old), new, text, count=1)


def _word_pattern(words: str) -> re.Pattern[str]:
    return re.compile(rf"\b{re.escape(words)}\b", re.IGNORECASE)


def _replace(pattern: re.Pattern[str], new: str, text: str, count: int = 0) -> str:
    """Replace matches of ``pattern`` by ``new``, capitalised where the match was."""

    def swap(match: re.Match[str]) -> str:
        return _same_case(match.group(0), new)

    return pattern.sub(swap, text, count=count)


def _same_case(found: str, new: str) -> str:
    return new[:1].upper() + new[1:] if found[:1].isupper() else new


def _shuffle(item: Item, rng: random.Random) -> tuple[str, str]:
    """The options reordered so the right one moves; the probe's right answer is its new letter."""
    texts = [b for _, b in item.options]
    letters = [a for a, _ in item.options]
    gold = letters.index(item.gold)
    target = rng.choice([i for i in range(len(texts)) if i != gold])
    others = [t for i, t in enumerate(texts) if i != gold]
    rng.shuffle(others)
    others.insert(target, texts[gold])
    options = "\n".join(f"{a}) {b}" for a, b in zip(letters, others, strict=True))
    rest = item.text.split("\n")[len(item.stem.split("\n")) + len(texts) :]
    text = "\n".join([item.stem, options, *rest])
    return text, f"{item.sample_id}={letters[target]}"


def _antonym(text: str) -> str | None:
    """The task with its first antonym-list word flipped (a different program), or None."""
    for old, new in _ANTONYMS:
        pattern = _word_pattern(old)
        if pattern.search(text):
            return _replace(pattern, new, text, count=1)
    return None


def _twin_indices(items: Sequence[Item]) -> set[int]:
    """Winogrande questions with a twin: same options, sentence mostly equal, other answer."""
    groups: dict[tuple[tuple[str, str], ...], list[int]] = {}
    for i, item in enumerate(items):
        if item.dataset == "winograde":
            groups.setdefault(item.options, []).append(i)
    twins: set[int] = set()
    for members in groups.values():
        for pos, i in enumerate(members):
            for j in members[pos + 1 :]:
                a, b = items[i], items[j]
                if a.gold != b.gold and _word_ratio(a.stem, b.stem) >= 0.75:
                    twins.update((i, j))
    return twins


def _word_ratio(a: str, b: str) -> float:
    return SequenceMatcher(None, a.split(), b.split(), autojunk=False).ratio()
