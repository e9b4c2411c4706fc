"""`eval-privacy`: the detector measured against labels it never wrote."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mecrouter.cli import app
from mecrouter.eval.privacy_eval import evaluate_privacy
from mecrouter.privacy_labels import Entity, LabelledPrompt
from mecrouter.types import PrivacyLevel

runner = CliRunner()


def _prompt(n: int, level: str, text: str, *types: str, lang: str = "en") -> LabelledPrompt:
    entities = tuple(
        Entity(t, 0, 1, text[:1], "mental_health" if t == "health" else "") for t in types
    )
    return LabelledPrompt(
        id=f"test-{lang}-t{n}-{n}",
        split="test",
        lang=lang,
        domain="general",
        level=level,
        text=text,
        entities=entities,
        template=f"t{n}",
        negative=level == "public",
    )


PROMPTS = [
    _prompt(1, "regulated", "passport X1 and depression", "passport", "health"),
    _prompt(2, "regulated", "IBAN and suicidal thoughts, born 1980", "date_of_birth", "health"),
    _prompt(3, "sensitive", "mail me at a@b.example", "email", lang="de"),
    _prompt(4, "sensitive", "call +44 20 7946 0958", "phone", lang="de"),
    _prompt(5, "public", "sensor 17: 21.4 C"),
    _prompt(6, "public", "order 123456789"),
]

# What a fake detector says of each text: one regulated prompt missed (called sensitive), one
# sensitive prompt called regulated (safe), one negative called sensitive (a false private).
SAYS = {
    PROMPTS[0].text: (PrivacyLevel.REGULATED, ("passport", "medical_term")),
    PROMPTS[1].text: (PrivacyLevel.SENSITIVE, ("medical_term",)),
    PROMPTS[2].text: (PrivacyLevel.REGULATED, ("email", "us_ssn")),
    PROMPTS[3].text: (PrivacyLevel.SENSITIVE, ("phone",)),
    PROMPTS[4].text: (PrivacyLevel.PUBLIC, ()),
    PROMPTS[5].text: (PrivacyLevel.SENSITIVE, ("phone",)),
}


def test_rates_follow_the_labels_not_the_detector() -> None:
    res = evaluate_privacy(PROMPTS, SAYS.__getitem__)
    assert (res.regulated_recall.hits, res.regulated_recall.n) == (1, 2)
    assert (res.sensitive_recall.hits, res.sensitive_recall.n) == (2, 2)  # regulated is safe
    assert (res.false_private.hits, res.false_private.n) == (1, 2)
    assert res.confusion["regulated"] == {"regulated": 1, "sensitive": 1}
    assert res.entity_recall["date_of_birth"].share == 0.0
    assert res.entity_recall["medical_term"].share == 1.0  # the corpus's "health"
    assert res.entity_precision["phone"].share == 0.5  # flagged twice, once on an order id
    assert res.entity_precision["us_ssn"].share == 0.0
    assert res.by_language["de"]["sensitive_recall"].share == 1.0
    assert res.health_recall["mental_health"].share == 1.0
    assert res.meets_targets() == {
        "regulated_recall": False,
        "sensitive_recall": True,
        "false_private": False,
    }
    assert {m["id"] for m in res.missed} == {PROMPTS[1].id, PROMPTS[5].id}
    json.dumps(res.to_json())  # the report is JSON


def test_level_rates_carry_an_interval_over_templates() -> None:
    # 20 negative templates of 10 prompts each; the detector flags every prompt of two of them.
    negatives = [
        dataclasses.replace(_prompt(t, "public", f"sensor {t}.{k}: 21.4 C"), id=f"n{t}-{k}")
        for t in range(20)
        for k in range(10)
    ]
    flagged = {p.text for p in negatives if p.template in {"t0", "t1"}}

    def detect(text: str) -> tuple[PrivacyLevel, tuple[str, ...]]:
        return (
            (PrivacyLevel.SENSITIVE, ("phone",)) if text in flagged else (PrivacyLevel.PUBLIC, ())
        )

    rate = evaluate_privacy(negatives, detect).false_private
    assert (rate.hits, rate.n, rate.templates) == (20, 200, 20)
    assert rate.ci95 is not None
    low, high = rate.ci95
    # Whole templates resample: a draw without either flagged template gives 0, and the upper
    # end is far above what 200 independent prompts would allow (about 14%).
    assert low == 0.0 and 0.2 < high < 0.35
    assert evaluate_privacy(negatives, detect).false_private.ci95 == rate.ci95  # seeded
    again = evaluate_privacy(negatives[:10], detect).false_private  # one template: no interval
    assert (again.templates, again.ci95) == (1, None)
    assert rate.to_json()["ci95"] == [low, high]


def test_a_negatives_only_split_is_judged_on_its_false_private_rate_alone(tmp_path: Path) -> None:
    negatives = [_prompt(5, "public", "sensor 17: 21.4 C"), _prompt(6, "public", "v1.2.3")]
    res = evaluate_privacy(negatives, lambda _: (PrivacyLevel.PUBLIC, ()))
    assert res.meets_targets() == {"false_private": True}
    corpus = _write(tmp_path / "neg.jsonl", negatives)
    args = ["eval-privacy", "--corpus", str(corpus), "--out", str(tmp_path), "--check"]
    done = runner.invoke(app, args)
    assert done.exit_code == 0, done.output
    assert "no prompts" in done.output and "missed" not in done.output


def _write(path: Path, prompts: list[LabelledPrompt]) -> Path:
    with path.open("w", encoding="utf-8") as f:
        for p in prompts:
            f.write(json.dumps(dataclasses.asdict(p), ensure_ascii=False) + "\n")
    return path


def test_the_command_reports_on_a_corpus_file(tmp_path: Path) -> None:
    corpus = _write(tmp_path / "mine.jsonl", PROMPTS)
    out = tmp_path / "out"
    done = runner.invoke(app, ["eval-privacy", "--corpus", str(corpus), "--out", str(out)])
    assert done.exit_code == 0, done.output
    assert "regulated recall" in done.output and "false-private" in done.output
    report = json.loads((out / "results.json").read_text(encoding="utf-8"))
    assert report["prompts"] == len(PROMPTS) and report["corpus"] == str(corpus)


def test_check_exits_1_exactly_when_a_target_is_missed(tmp_path: Path) -> None:
    # Met: an SSN kept regulated, an email kept sensitive, a sensor reading left public.
    met = [
        _prompt(1, "regulated", "Tax form for SSN 123-45-6789, please check it.", "us_ssn"),
        _prompt(2, "sensitive", "Write to jane.doe@example.org about the invoice.", "email"),
        _prompt(3, "public", "sensor 17: temp 21.4 C, humidity 40%, anomaly?"),
    ]
    # Missed: a "negative" holding an email is flagged private (false-private 100%).
    missed = [*met[:2], _prompt(4, "public", "ping jane.doe@example.org when sensor 17 is back")]
    for prompts, code in ((met, 0), (missed, 1)):
        corpus = _write(tmp_path / f"c{code}.jsonl", prompts)
        args = ["eval-privacy", "--corpus", str(corpus), "--out", str(tmp_path), "--check"]
        done = runner.invoke(app, args)
        assert done.exit_code == code, done.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--split", "validation"], "--split must be one of train, test, dev"),
        (["--corpus", "nowhere.jsonl"], "corpus file not found"),
    ],
)
def test_bad_options_are_named(args: list[str], message: str, tmp_path: Path) -> None:
    done = runner.invoke(app, ["eval-privacy", *args, "--out", str(tmp_path)])
    assert done.exit_code == 2
    assert message in done.output


def test_a_bad_corpus_line_is_named(tmp_path: Path) -> None:
    corpus = _write(tmp_path / "mine.jsonl", PROMPTS[:2])
    with corpus.open("a", encoding="utf-8") as f:
        f.write("{not json\n")
    done = runner.invoke(app, ["eval-privacy", "--corpus", str(corpus), "--out", str(tmp_path)])
    assert done.exit_code == 2
    assert "line 3" in done.output
