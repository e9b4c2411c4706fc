"""`mecrouter train-quality` and `mecrouter eval-quality`: fit on train splits, judge on test.

Training reads ``*_train.csv`` only: `load_train` refuses a ``*_test.csv`` path, the files opened
are logged, and `eval_quality` checks that log before it opens the test files, which happens
only after every model is trained.
"""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.progress import Progress
from rich.table import Table

from mecrouter.errors import MecrouterError
from mecrouter.progress import progress_bar

if TYPE_CHECKING:  # numpy and the data loader are imported when a command runs
    import numpy as np
    import numpy.typing as npt

    from mecrouter.quality.data import RouterBenchSplit

    F64 = npt.NDArray[np.float64]
    Predict = Callable[[Progress, Sequence[str]], F64]
    Scorer = Callable[[RouterBenchSplit, Sequence[str]], F64]

__all__ = ["eval_quality", "train_quality"]

_console = Console(width=None if sys.stdout.isatty() else 150)
_CHUNK = 64  # prompts per embedding batch shown on the progress bar
LOBO_FILE = "leave-one-benchmark-out.json"

DataOpt = Annotated[
    Path | None,
    typer.Option(help="Data folder (or its routerbench/ folder); default: the project's data/"),
]


def train_quality(
    data: DataOpt = None,
    out: Annotated[Path, typer.Option(help="Where to write the fast model (.npz)")] = Path(
        "fast_model.npz"
    ),
    seed: Annotated[int, typer.Option(help="Random seed (same data and seed, same file)")] = 0,
    embedding_out: Annotated[
        Path | None, typer.Option(help="Also train the MiniLM heads and write them here (.npz)")
    ] = None,
    labels: Annotated[
        Path | None,
        typer.Option(
            help="Your own labelled prompts (CSV: prompt, model, correct or score[, use_case]): "
            "write the quality calibration they teach instead of training the predictor"
        ),
    ] = None,
    calibration_out: Annotated[
        Path, typer.Option(help="Where --labels writes the calibration (quality.calibration_path)")
    ] = Path("quality-calibration.json"),
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="YAML config (default: the shipped one)")
    ] = None,
) -> None:
    """Train the fast quality predictor on RouterBench train splits and write it to --out; with
    --labels, calibrate it on your own labelled prompts instead."""
    from mecrouter.embedding import available
    from mecrouter.quality.data import OpenedFiles, load_train
    from mecrouter.quality.model import train_embedding, train_fast

    if labels is not None:
        with _user_errors():
            _calibrate(labels, calibration_out, config)
        return

    if embedding_out is not None and not available():
        raise typer.BadParameter(
            "the embedding extra is not installed: pip install 'mecrouter[embeddings]'",
            param_hint="--embedding-out",
        )
    with _user_errors():
        log = OpenedFiles()
        train = load_train(_train_source(data), log=log)
        with _progress() as progress:
            task = progress.add_task("fast model", total=1)
            fast = train_fast(train, seed=seed)
            progress.advance(task)
            fast.save(out)
            if embedding_out is not None:
                vectors = _encode(progress, "embed train", train.prompts)
                train_embedding(train, seed=seed, vectors=vectors).save(embedding_out)
        if log.held_out():
            raise AssertionError(f"training opened held-out files: {log.held_out()}")
    used = ", ".join(p.name for p in log.paths)
    _console.print(f"trained on {len(train)} prompts ({used}); seed {seed}")
    _console.print(f"fast model: [bold]{out}[/bold] ({out.stat().st_size:,} bytes)")
    if embedding_out is not None:
        _console.print(f"embedding model: [bold]{embedding_out}[/bold]")


def eval_quality(
    data: DataOpt = None,
    out: Annotated[Path, typer.Option(help="Folder for results.json and the PNG")] = Path(
        "quality-report"
    ),
    seed: Annotated[int, typer.Option(help="Random seed (training and the random mix)")] = 0,
    embedding: Annotated[
        bool, typer.Option(help="Also evaluate the MiniLM embedding predictor (slow on CPU)")
    ] = True,
) -> None:
    """Train on the train splits, then compare routers and baselines on the test splits only."""
    from mecrouter.eval.quality import (
        MEC_VS_CLOUD,
        estimated_costs,
        leave_one_benchmark_out,
        plot_curves,
    )
    from mecrouter.quality.data import OpenedFiles, load_test, load_train
    from mecrouter.quality.model import TIER_MODELS

    with _user_errors():
        folder = _data_folder(data)
        log = OpenedFiles()
        train = load_train(folder, log=log)
        with _progress() as progress:
            predictors = _train_predictors(progress, train, seed=seed, embedding=embedding)
            if log.held_out():  # nothing trained may have seen a test file
                raise AssertionError(f"training opened held-out files: {log.held_out()}")
            test = load_test(folder, log=log)
            predictions = {name: fn(progress, test.prompts) for name, fn in predictors.items()}
            scorers = _lobo_scorers(progress, MEC_VS_CLOUD, seed)
            lobo = leave_one_benchmark_out(train, test, scorers, MEC_VS_CLOUD, seed=seed)
        results = _evaluate_all(test, predictions, estimated_costs(train, TIER_MODELS), seed)
        out.mkdir(parents=True, exist_ok=True)
        (out / "results.json").write_text(json.dumps(_jsonable(results), indent=2) + "\n")
        (out / LOBO_FILE).write_text(json.dumps(_jsonable(lobo), indent=2) + "\n")
        png = plot_curves(results, out / "quality-cost.png")
    _print_results(results)
    _console.print(_lobo_table(lobo))
    _console.print(
        f"results: [bold]{out / 'results.json'}[/bold], [bold]{out / LOBO_FILE}[/bold], "
        f"figure: [bold]{png}[/bold]"
    )


# --------------------------------------------------------------------------- helpers


def _train_predictors(
    progress: Progress, train: RouterBenchSplit, *, seed: int, embedding: bool
) -> dict[str, Predict]:
    from mecrouter.embedding import available
    from mecrouter.quality.model import train_embedding, train_fast

    task = progress.add_task("train fast", total=1)
    fast = train_fast(train, seed=seed)
    progress.advance(task)

    def predict_fast(progress: Progress, prompts: Sequence[str]) -> F64:
        task = progress.add_task("predict fast", total=len(prompts))
        pred = fast.predict_many(prompts)
        progress.advance(task, len(prompts))
        return pred

    predictors: dict[str, Predict] = {"fast": predict_fast}
    if not embedding:
        return predictors
    if not available():
        _console.print("[yellow]embedding extra not installed: evaluating the fast path only")
        return predictors
    vectors = _encode(progress, "embed train", train.prompts)
    embed = train_embedding(train, seed=seed, vectors=vectors)

    def predict_embed(progress: Progress, prompts: Sequence[str]) -> F64:
        return embed.predict_vectors(_encode(progress, "embed test", prompts))

    predictors["embedding"] = predict_embed
    return predictors


def _encode(progress: Progress, label: str, prompts: Sequence[str]) -> F64:
    import numpy as np

    from mecrouter.embedding import DIM, shared_embedder
    from mecrouter.quality.model import embedding_text

    embedder = shared_embedder()
    task = progress.add_task(label, total=len(prompts))
    out = np.empty((len(prompts), DIM), dtype=np.float64)
    for start in range(0, len(prompts), _CHUNK):
        chunk = [embedding_text(p) for p in prompts[start : start + _CHUNK]]
        out[start : start + len(chunk)] = embedder.encode(chunk)
        progress.advance(task, len(chunk))
    return out


def _calibrate(labels: Path, out: Path, config_path: Path | None) -> None:
    from mecrouter.agents.learning import QualityBeliefs
    from mecrouter.config import load_config
    from mecrouter.eval.calibration import calibrate, read_labels

    config = load_config(config_path)
    rows = read_labels(labels, (ep.model for ep in config.endpoints), config.use_cases)
    beliefs = QualityBeliefs.from_config(config.quality)  # with the config's calibration, if any
    calibrate(config, rows, beliefs)
    beliefs.save(out)
    table = Table(
        title=f"quality calibration from {len(rows)} labelled prompts", title_justify="left"
    )
    for col in ("task type / model", "observations", "good", "expected", "factor"):
        table.add_column(col, justify="left" if col == "task type / model" else "right")
    for key, b in beliefs.snapshot().items():
        table.add_row(key, str(b["observations"]), f"{b['good']:.1f}", f"{b['expected']:.1f}",
                      f"{b['factor']:.3f}")  # fmt: skip
    _console.print(table)
    _console.print(
        f"calibration: [bold]{out}[/bold] (set quality.calibration_path to it; /v1/feedback adds "
        "to it while the gateway runs)"
    )


def _lobo_scorers(progress: Progress, pair: tuple[str, str], seed: int) -> dict[str, Scorer]:
    """What the leave-one-benchmark-out evaluation compares for `pair` (weak, strong): the fast
    predictor trained for it (what `quality score --model fast` ranks by), prompt length, and
    chance."""
    import numpy as np

    from mecrouter.quality.model import train_fast

    task = progress.add_task("leave-one-out", total=None)

    def fast(train: RouterBenchSplit, prompts: Sequence[str]) -> F64:
        p = train_fast(train, seed=seed, models=pair).predict_many(prompts)
        progress.advance(task)
        return p[:, 1] - p[:, 0]

    def length(train: RouterBenchSplit, prompts: Sequence[str]) -> F64:
        return np.array([len(p) for p in prompts], dtype=np.float64)

    def chance(train: RouterBenchSplit, prompts: Sequence[str]) -> F64:
        return np.random.default_rng(seed).random(len(prompts))

    return {"fast": fast, "prompt length": length, "random": chance}


def _evaluate_all(
    test: RouterBenchSplit, predictions: Mapping[str, F64], est_cost: F64, seed: int
) -> dict[str, Any]:
    import numpy as np

    from mecrouter.eval.quality import evaluate_rows
    from mecrouter.quality.data import DATASETS

    results: dict[str, Any] = {}
    datasets = np.array(test.datasets)
    for name in (*[d for d in DATASETS if d in test.datasets], "overall"):
        mask = np.ones(len(test), dtype=bool) if name == "overall" else datasets == name
        rows = test.where(mask)
        preds = {k: v[mask] for k, v in predictions.items()}
        results[name] = evaluate_rows(rows, preds, est_cost, seed=seed)
    return results


def _train_source(data: Path | None) -> Path:
    """A data folder, or one ``*_train.csv``; a held-out path is refused before anything."""
    from mecrouter.quality.data import is_held_out

    if data is not None and is_held_out(data):
        raise typer.BadParameter(
            f"{data.name} is a held-out evaluation file; training never reads *_test.csv",
            param_hint="--data",
        )
    if data is not None and data.is_file():
        return data
    return _data_folder(data)


def _data_folder(data: Path | None) -> Path:
    from mecrouter.datadir import data_dir
    from mecrouter.quality.data import is_held_out

    if data is not None and is_held_out(data):
        raise typer.BadParameter(f"{data} is a file; give the data folder", param_hint="--data")
    return data_dir(data)


@contextmanager
def _user_errors() -> Iterator[None]:
    """Bad data or options end the command with one line and exit code 2, never a traceback."""
    try:
        yield
    except MecrouterError as exc:
        _console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc
    except OSError as exc:  # e.g. --out in a folder we may not write to
        _console.print(f"[red]error:[/red] {exc}")
        raise typer.Exit(2) from exc


def _progress() -> Progress:
    return progress_bar(_console, label_width=14, transient=True)


def _jsonable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


# --------------------------------------------------------------------------- printing


def _print_results(results: Mapping[str, Any]) -> None:
    for name, res in results.items():
        _console.print(_points_table(name, res))
    _console.print(_summary_table(results))
    _console.print(_predictor_table(results))


def _pct(value: float | None) -> str:
    return "-" if value is None or not math.isfinite(value) else f"{100 * value:.1f}%"


def _usd_1k(value: float) -> str:
    return f"{1000 * value:.3f}"


def _points_table(name: str, res: Mapping[str, Any]) -> Table:
    from mecrouter.quality.model import TIER_MODELS

    table = Table(title=f"{name}: test split, {res['rows']} prompts", title_justify="left")
    for col in ("router / baseline", "dev/mec/cloud %", "accuracy", "$ per 1k", "vs cloud $",
                "random mix acc", "random mix $ per 1k"):  # fmt: skip
        table.add_column(col, justify="left" if col == "router / baseline" else "right")
    cloud_cost = res["single"][TIER_MODELS[-1]]["cost_usd"]
    for k, (model, v) in enumerate(res["single"].items()):
        shares = ["0", "0", "0"]
        shares[min(_tier_index(k), 2)] = "100"
        table.add_row(f"always {model}", "/".join(shares), _pct(v["accuracy"]),
                      _usd_1k(v["cost_usd"]), _pct(v["cost_usd"] / cloud_cost), "", "")  # fmt: skip
    for router, data in res["routers"].items():
        for p in data["three_tier"]["points"]:
            tiers = _tier_shares(p["shares"])
            table.add_row(
                f"mecrouter-{router} w=${p['wtp_usd']:g}",
                "/".join(f"{100 * s:.0f}" for s in tiers),
                _pct(p["accuracy"]),
                _usd_1k(p["cost_usd"]),
                _pct(p["cost_usd"] / cloud_cost),
                _pct(p["random_mix"]["accuracy"]),
                _usd_1k(p["random_mix"]["cost_usd"]),
            )
    orc = res["oracle"]["three_tier"]
    table.add_row("oracle (cheapest correct)", "", _pct(orc["accuracy"]), _usd_1k(orc["cost_usd"]),
                  _pct(orc["cost_usd"] / cloud_cost), "", "")  # fmt: skip
    return table


def _tier_index(k: int) -> int:
    from mecrouter.quality.model import DEFAULT_TIER_MODELS, TIER_MODELS

    model = TIER_MODELS[k]
    return next(i for i, ms in enumerate(DEFAULT_TIER_MODELS.values()) if model in ms)


def _tier_shares(shares: Mapping[str, float]) -> list[float]:
    from mecrouter.quality.model import TIER_MODELS

    out = [0.0, 0.0, 0.0]
    for k, model in enumerate(TIER_MODELS):
        out[_tier_index(k)] += shares[model]
    return out


def _summary_table(results: Mapping[str, Any]) -> Table:
    table = Table(
        title="Routing metrics on test (APGR/CPT: RouteLLM; AIQ: RouterBench; saved: cost saved vs"
        " always-cloud at 95% of its accuracy)",
        title_justify="left",
    )
    for col in ("dataset", "router", "MEC-v-cloud APGR [95% CI]", "CPT(50%)", "CPT(80%)", "AIQ",
                "saved@95%", "3-tier APGR", "3-tier AIQ", "3-tier saved@95%"):  # fmt: skip
        table.add_column(col, justify="left" if col in ("dataset", "router") else "right")
    for name, res in results.items():
        zero = res["zero_router"]
        rows = [("random mix", zero["mec_vs_cloud"], zero["three_tier"], (0.5, 0.8))]
        rows += [
            (f"mecrouter-{r}", d["mec_vs_cloud"], d["three_tier"], (d["mec_vs_cloud"]["cpt50"],
             d["mec_vs_cloud"]["cpt80"]))
            for r, d in res["routers"].items()
        ]  # fmt: skip
        for label, pair, tiers, (c50, c80) in rows:
            table.add_row(name, label, _apgr(pair), _pct(c50), _pct(c80),
                          f"{pair['aiq']:.3f}", _pct(pair["cost_saved_at_95pct_cloud"]),
                          f"{tiers['apgr']:.3f}", f"{tiers['aiq']:.3f}",
                          _pct(tiers["cost_saved_at_95pct_cloud"]))  # fmt: skip
    return table


def _lobo_table(lobo: Mapping[str, Any]) -> Table:
    weak, strong = lobo["pair"]
    table = Table(
        title=f"Leave one benchmark out: trained on the others' train splits, {weak} vs {strong}"
        " on the held-out test split (APGR [95% CI]; saved: vs always-strong at 95% of its"
        " accuracy)",
        title_justify="left",
    )
    for col in ("held out", "prompts", "scorer", "APGR [95% CI]", "saved@95%"):
        table.add_column(col, justify="left" if col in ("held out", "scorer") else "right")
    for name, fold in lobo["held_out"].items():
        for scorer, res in fold.items():
            if isinstance(res, dict):
                table.add_row(name, str(fold["prompts"]), scorer, _apgr(res),
                              _pct(res["cost_saved_at_95pct"]))  # fmt: skip
    return table


def _apgr(pair: Mapping[str, Any]) -> str:
    low, high = pair.get("apgr_95ci", (None, None))
    interval = "" if low is None or not math.isfinite(low) else f" [{low:.2f}, {high:.2f}]"
    return f"{pair['apgr']:.3f}{interval}"


def _predictor_table(results: Mapping[str, Any]) -> Table:
    from mecrouter.quality.model import TIER_MODELS

    table = Table(title="Predictor AUC on test (0.5 = no better than chance)", title_justify="left")
    table.add_column("dataset")
    table.add_column("predictor")
    for model in TIER_MODELS:
        table.add_column(model.split("/")[-1], justify="right")
    for name, res in results.items():
        for router, data in res["routers"].items():
            aucs = [data["predictor"][m]["auc"] for m in TIER_MODELS]
            table.add_row(name, router, *(f"{a:.3f}" for a in aucs))
    return table
