"""`mecrouter eval-privacy`: the privacy detector against the labelled corpus (recall per level,
entity type and language; the false-private rate on negatives; the detector's time);
`mecrouter privacy-train`: fit its trained stage on the tuning splits (all but test)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from mecrouter.errors import MecrouterError
from mecrouter.progress import progress_bar

if TYPE_CHECKING:
    from mecrouter.eval.privacy_eval import PrivacyEval, Rate

__all__ = ["eval_privacy", "privacy_corpus", "privacy_train"]

_console = Console(width=None if sys.stdout.isatty() else 150)
_err = Console(stderr=True, soft_wrap=True)  # an error message is never broken mid-line


def _pct(rate: Rate) -> str:
    share = rate.share
    return "—" if share is None else f"{share:.1%} ({rate.hits}/{rate.n})"


def _interval(rate: Rate) -> str:
    """The rate's bootstrap interval over templates, and how many templates it rests on."""
    if rate.templates is None:
        return "—"
    if rate.ci95 is None:
        return f"— ({rate.templates} template{'s' * (rate.templates != 1)})"
    low, high = rate.ci95
    return f"{low:.1%}–{high:.1%} ({rate.templates} templates)"


def _levels_table(res: PrivacyEval, name: str) -> Table:
    from mecrouter.eval.privacy_eval import TARGETS

    met = res.meets_targets()
    table = Table(title=f"privacy detector on {name}: {res.prompts} prompts")
    for col in ("measure", "result", "95% interval (templates)", "target", ""):
        table.add_column(col)
    rows = (
        ("regulated recall (called regulated)", res.regulated_recall, "regulated_recall", "≥"),
        ("sensitive recall (sensitive or more)", res.sensitive_recall, "sensitive_recall", "≥"),
        ("false-private on negatives", res.false_private, "false_private", "≤"),
    )
    for label, rate, key, op in rows:
        mark = (
            "no prompts"
            if key not in met
            else "[green]met[/green]"
            if met[key]
            else "[red]missed[/red]"
        )
        table.add_row(label, _pct(rate), _interval(rate), f"{op} {TARGETS[key]:.0%}", mark)
    return table


def _entity_table(res: PrivacyEval) -> Table:
    table = Table(title="per entity type (prompts holding it / prompts the detector flags)")
    for col in ("entity", "recall", "precision"):
        table.add_column(col)
    for kind in sorted(set(res.entity_recall) | set(res.entity_precision)):
        recall, precision = res.entity_recall.get(kind), res.entity_precision.get(kind)
        table.add_row(
            kind,
            "—" if recall is None else _pct(recall),
            "—" if precision is None else _pct(precision),
        )
    return table


def _language_table(res: PrivacyEval) -> Table:
    table = Table(title="per language")
    for col in ("lang", "regulated recall", "sensitive recall", "false-private"):
        table.add_column(col)
    for lang, rates in sorted(res.by_language.items()):
        cells = [rates.get(k) for k in ("regulated_recall", "sensitive_recall", "false_private")]
        table.add_row(lang, *("—" if r is None else _pct(r) for r in cells))
    return table


def _health_table(res: PrivacyEval) -> Table:
    table = Table(title="health content found, per category")
    table.add_column("category")
    table.add_column("recall")
    for category, rate in sorted(res.health_recall.items()):
        table.add_row(category, _pct(rate))
    return table


def eval_privacy(
    split: Annotated[
        str,
        typer.Option(
            help="Which split of the shipped corpus: test (held out), train, dev, or dev2 to dev16"
            " (dev2 to dev4, dev8, dev11 to dev16: negatives only)"
        ),
    ] = "test",
    corpus: Annotated[
        Path | None,
        typer.Option(help="A corpus file of your own (JSON lines, the shipped format) instead"),
    ] = None,
    data: Annotated[
        Path | None, typer.Option(help="The data folder (default: the project's data/)")
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder for results.json")] = Path("report/privacy"),
    check: Annotated[bool, typer.Option("--check", help="Exit 1 when a target is missed")] = False,
) -> None:
    """Measure the privacy detector on the labelled corpus: recall per level, entity type and
    language, the false-private rate on negatives, and its time per prompt."""
    from mecrouter.datadir import data_dir
    from mecrouter.eval.privacy_eval import evaluate_privacy
    from mecrouter.privacy_labels import SPLITS, read_corpus

    if split not in SPLITS:
        _err.print(f"[red]error:[/red] --split must be one of {', '.join(SPLITS)}, not {split!r}")
        raise typer.Exit(2)
    try:
        path = corpus if corpus is not None else data_dir(data) / "privacy" / f"{split}.jsonl"
        if not path.is_file():
            raise MecrouterError(f"corpus file not found: {path}")
        prompts = read_corpus(path)
        with progress_bar(_err, transient=True) as progress:
            task = progress.add_task("detecting", total=len(prompts))
            result = evaluate_privacy(prompts, on_progress=lambda k: progress.advance(task, k))
    except (MecrouterError, OSError) as exc:
        _err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    out.mkdir(parents=True, exist_ok=True)
    report = {"corpus": str(path), **result.to_json()}
    (out / "results.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    name = path.name if corpus is not None else f"the {split} split ({path.name})"
    for table in (
        _levels_table(result, name),
        _entity_table(result),
        _language_table(result),
        _health_table(result),
    ):
        _console.print(table)
    t = result.detect_us
    if t:
        _console.print(
            f"detector time per prompt: p50 {t['p50']:.1f} µs, p99 {t['p99']:.1f} µs "
            f"(mean {t['mean_chars']:.0f} characters; `make bench` times 200-character prompts)"
        )
    _console.print(f"results: {out / 'results.json'}")
    if check and not all(result.meets_targets().values()):
        raise typer.Exit(1)


def privacy_corpus(
    out: Annotated[Path, typer.Option(help="Folder for train, test and dev .jsonl")] = Path(
        "data/privacy"
    ),
    seed: Annotated[int, typer.Option(help="Seed (same seed and Faker version, same files)")] = 0,
) -> None:
    """Generate the synthetic, labelled privacy corpus (needs `pip install 'mecrouter[corpus]'`,
    which brings Faker); the shipped data/privacy/ was written with seed 0."""
    try:
        import faker  # noqa: F401
    except ImportError as exc:
        _err.print(
            "[red]error:[/red] the corpus generator needs Faker: pip install 'mecrouter[corpus]'"
        )
        raise typer.Exit(2) from exc
    from mecrouter.eval.privacy_corpus import write_corpus

    try:
        paths = write_corpus(out, seed=seed)
    except (MecrouterError, OSError) as exc:
        _err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    _console.print(f"corpus: {', '.join(map(str, paths))} (seed {seed})")


def privacy_train(
    data: Annotated[
        Path | None, typer.Option(help="The data folder (default: the project's data/)")
    ] = None,
    model: Annotated[
        Path | None,
        typer.Option(help="Where to write the model (default: the shipped privacy_model.npz)"),
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder for cv.json")] = Path("report/privacy-train"),
) -> None:
    """Fit the privacy detector's trained stage (health content the lexicon misses) on the
    corpus's tuning splits (all but test) and three RouterBench train files (ordinary prompts),
    choose its threshold by cross-validation grouped by template, and write it; no test split is
    read."""
    from mecrouter.agents.privacy_model import MODEL_PATH
    from mecrouter.datadir import data_dir
    from mecrouter.eval.privacy_train import fit_health_model, general_prompts, grouped_cv
    from mecrouter.privacy_labels import TUNING_SPLITS, read_corpus

    try:
        folder = data_dir(data)
        prompts = [
            p for split in TUNING_SPLITS for p in read_corpus(folder / "privacy" / f"{split}.jsonl")
        ]
        general = general_prompts(folder / "routerbench")
    except (MecrouterError, OSError) as exc:
        _err.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    fitted = fit_health_model(prompts, general, progress=_console.print)
    target = model if model is not None else MODEL_PATH
    fitted.model.save(target)
    cv = grouped_cv(prompts, fitted)
    for name, result in cv.items():
        _console.print(_levels_table(result, f"train+dev, templates held out ({name})"))
    out.mkdir(parents=True, exist_ok=True)
    report = {"fit": fitted.report, **{name: r.to_json() for name, r in cv.items()}}
    (out / "cv.json").write_text(
        json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    _console.print(f"model: {target}; cross-validation: {out / 'cv.json'}")
