"""`mecrouter eval-cache`: run the semantic cache study, choose the threshold, write the report.

The study itself (`mecrouter.eval.cache_study`) is imported when the command runs, so the CLI
starts without numpy or the embedding model.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.progress import Progress, TaskID
from rich.table import Table

from mecrouter.errors import ConfigError, MecrouterError
from mecrouter.progress import progress_bar

if TYPE_CHECKING:
    from mecrouter.eval.cache_study import Choice, CurvePoint, Encoder, SplitResult

__all__ = ["eval_cache"]

_console = Console(width=None if sys.stdout.isatty() else 150)


def _results(
    train: SplitResult,
    test: SplitResult,
    choice: Choice | None,
    *,
    seed: int,
    max_false_hit: float,
    lookup_ms: dict[int, float],
) -> dict[str, object]:
    from mecrouter.eval.cache_study import setting_name

    def split_json(res: SplitResult) -> dict[str, object]:
        curves = {setting_name(k): [asdict(p) for p in c] for k, c in res.curves.items()}
        return {"files": res.files, "items": res.items, "probes": res.probes, "curves": curves}

    at: dict[str, object] = {}
    if choice is not None:
        for name, res in (("train", train), ("test", test)):
            for edit in (choice.max_edit_words, None):
                point = _at(res.curves[edit], choice.point.threshold)
                at[f"{name}/{setting_name(edit)}"] = asdict(point)
    chosen = None if choice is None else {
        "threshold": choice.point.threshold, "max_edit_words": choice.max_edit_words
    }  # fmt: skip
    return {
        "seed": seed,
        "rule": f"max correct-hit rate s.t. false_hit_rate and wrong_share <= {max_false_hit}"
        " on train pairs",
        "chosen": chosen,
        "at_chosen": at,
        "lookup_ms": {str(k): v for k, v in lookup_ms.items()},
        "train": split_json(train),
        "test": split_json(test),
    }


def _at(curve: Sequence[CurvePoint], threshold: float) -> CurvePoint:
    return min(curve, key=lambda p: abs(p.threshold - threshold))


def _plot(train: SplitResult, test: SplitResult, choice: Choice | None, path: Path) -> None:
    """Hits, false hits (guards on) and per-kind false hits with vs without guards."""
    import matplotlib

    from mecrouter.eval.cache_pairs import POSITIVE_KINDS
    from mecrouter.eval.cache_study import EDIT_SETTINGS, setting_name

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    edit = choice.max_edit_words if choice is not None else EDIT_SETTINGS[-1]
    fig, axes = plt.subplots(1, 3, figsize=(17, 4.8))
    for res, style in ((train, "-"), (test, "--")):
        curve, xs = res.curves[edit], [p.threshold for p in res.curves[edit]]
        axes[0].plot(
            xs, [p.hit_rate for p in curve], "g" + style, label=f"all positives ({res.split})"
        )
        axes[0].plot(
            xs, [p.by_kind["reword"] for p in curve], "b" + style, label=f"rewordings ({res.split})"
        )
        axes[1].plot(
            xs,
            [p.false_hit_rate for p in curve],
            "r" + style,
            label=f"false-hit rate ({res.split})",
        )
        axes[1].plot(
            xs,
            [p.wrong_share for p in curve],
            "m" + style,
            label=f"wrong share of hits ({res.split})",
        )
    axes[1].axhline(0.01, color="grey", lw=0.8, ls=":")
    xs = [p.threshold for p in train.curves[edit]]
    for i, kind in enumerate(
        k for k in sorted(train.curves[edit][0].by_kind) if k not in POSITIVE_KINDS
    ):
        colour = f"C{i}"
        axes[2].plot(
            xs, [p.by_kind[kind] for p in train.curves[edit]], color=colour, label=f"{kind}, guards"
        )
        if None in train.curves:
            ys = [p.by_kind[kind] for p in train.curves[None]]
            axes[2].plot(xs, ys, color=colour, ls=":", label=f"{kind}, no guards")
    titles = (
        f"hit rate, {setting_name(edit)}",
        "false hits (guards on)",
        "false-hit rate per negative kind (train)",
    )
    for ax, title, top in zip(axes, titles, (1.02, 0.05, 1.02), strict=True):
        if choice is not None:
            ax.axvline(choice.point.threshold, color="k", lw=0.8)
        ax.set(xlabel="cosine threshold", ylabel="rate", title=title, ylim=(-0.002, top))
        ax.grid(alpha=0.3)
        ax.legend(fontsize=7)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def _table(train: SplitResult, test: SplitResult, choice: Choice | None) -> Table:
    from mecrouter.eval.cache_study import EDIT_SETTINGS, setting_name

    edit = choice.max_edit_words if choice is not None else EDIT_SETTINGS[-1]
    table = Table(title=f"semantic cache, {setting_name(edit)} (train chooses, test checks)")
    for col in ("threshold", "train hit", "train false-hit", "train wrong share"):
        table.add_column(col, justify="right")
    for col in ("test hit", "test false-hit", "test wrong share"):
        table.add_column(col, justify="right")
    marks = sorted({round(0.80 + 0.02 * i, 3) for i in range(10)} | _chosen_set(choice))
    for t in marks:
        a, b = _at(train.curves[edit], t), _at(test.curves[edit], t)
        style = "bold" if choice is not None and a.threshold == choice.point.threshold else None
        table.add_row(
            f"{a.threshold:.3f}",
            *(f"{v:.1%}" for v in (a.hit_rate, a.false_hit_rate, a.wrong_share)),
            *(f"{v:.1%}" for v in (b.hit_rate, b.false_hit_rate, b.wrong_share)),
            style=style,
        )
    return table


def _chosen_set(choice: Choice | None) -> set[float]:
    return set() if choice is None else {choice.point.threshold}


# --------------------------------------------------------------------------- command


def eval_cache(
    data: Annotated[
        Path | None, typer.Option(help="The measured data folder (default: the project's data/)")
    ] = None,
    out: Annotated[Path, typer.Option(help="Folder for results.json and the PNG")] = Path(
        "report/semantic-cache"
    ),
    seed: Annotated[int, typer.Option(help="Seed of the rewordings (same seed, same pairs)")] = 1,
    limit: Annotated[
        int | None, typer.Option(min=2, help="At most this many questions per dataset")
    ] = None,
    max_false_hit: Annotated[
        float, typer.Option(min=0.0, max=1.0, help="False-hit budget of the threshold rule")
    ] = 0.01,
    timing: Annotated[
        bool, typer.Option("--timing/--no-timing", help="Time look-ups at 1k/10k/100k entries")
    ] = True,
) -> None:
    """Measure the semantic cache's hit and false-hit rates; choose its threshold (train only)."""
    from mecrouter.datadir import data_dir
    from mecrouter.embedding import EmbeddingUnavailable, shared_embedder

    try:
        folder = data_dir(data)
        _check_files(folder)  # before the model loads: a wrong folder fails in a blink
        with _progress() as progress:
            encoder = shared_embedder()
            results = _run(folder, encoder, progress, seed=seed, limit=limit, mfh=max_false_hit)
            train, test, choice = results
            lookup_ms = _timing(progress) if timing else {}
    except (MecrouterError, EmbeddingUnavailable) as exc:
        _console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    out.mkdir(parents=True, exist_ok=True)
    report = _results(
        train, test, choice, seed=seed, max_false_hit=max_false_hit, lookup_ms=lookup_ms
    )
    (out / "results.json").write_text(json.dumps(report, indent=2) + "\n", encoding="utf-8")
    _plot(train, test, choice, out / "semantic-cache-threshold.png")
    _console.print(_table(train, test, choice))
    if choice is None:
        _console.print(f"no setting keeps both false-hit rates <= {max_false_hit:.1%} on train")
    else:
        _console.print(
            f"chosen: threshold [bold]{choice.point.threshold:.3f}[/bold], "
            f"max_edit_words {choice.max_edit_words} (train pairs only)"
        )
    if lookup_ms:
        _console.print(
            "look-up: " + ", ".join(f"{k:,} entries {v:.3f} ms" for k, v in lookup_ms.items())
        )
    _console.print(f"results: [bold]{out / 'results.json'}[/bold]")


def _check_files(folder: Path) -> None:
    """Fail early, naming every missing file; existence only, nothing is read here."""
    from mecrouter.eval.cache_pairs import DATASETS

    missing = [
        str(folder / "routerbench" / f"{dataset}_{split}.csv")
        for split in ("train", "test")
        for dataset in DATASETS
        if not (folder / "routerbench" / f"{dataset}_{split}.csv").is_file()
    ]
    if missing:
        raise ConfigError("data", "missing RouterBench files: " + ", ".join(missing))


def _progress() -> Progress:
    return progress_bar(_console, label_width=16)


def _run(
    folder: Path, encoder: Encoder, progress: Progress, *, seed: int, limit: int | None, mfh: float
) -> tuple[SplitResult, SplitResult, Choice | None]:
    """Train first (a train-only reader), choose, then the held-out test split."""
    from mecrouter.eval.cache_pairs import DataReader
    from mecrouter.eval.cache_study import choose, run_split

    results: list[SplitResult] = []
    for split in ("train", "test"):
        task = progress.add_task(f"embed {split}", total=None)

        def report(done: int, total: int, task: TaskID = task) -> None:
            progress.update(task, completed=done, total=total)

        reader = DataReader(folder, split)
        results.append(run_split(reader, encoder, seed=seed, limit=limit, on_progress=report))
        if split == "train":
            choice = choose(results[0].curves, mfh)
    return results[0], results[1], choice


def _timing(progress: Progress) -> dict[int, float]:
    from mecrouter.eval.cache_study import measure_lookup_ms

    task = progress.add_task("time look-ups", total=1)
    lookup_ms = measure_lookup_ms()
    progress.update(task, completed=1)
    return lookup_ms
