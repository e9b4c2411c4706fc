"""`mecrouter demo`: run the four seed scenarios, print the tables, write the report.

The output ends with the paths of the report and of its plot, then (in-process) one headline line
per scenario: mecrouter against cloud-only, from this run's figures.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from mecrouter.gateway.commands import check_store_url, store_option
from mecrouter.progress import progress_bar

if TYPE_CHECKING:  # the run's modules are imported when it starts, so the CLI starts quickly
    from rich.progress import Progress

    from mecrouter.config import Config, StoreConfig
    from mecrouter.demo.inprocess import PolicyResult
    from mecrouter.demo.report import Outcome
    from mecrouter.scenarios import Scenario

__all__ = ["demo"]

_console = Console(width=None if sys.stdout.isatty() else 150)
_DB_NAME = "decisions.sqlite3"


def demo(
    requests: Annotated[int, typer.Option(min=10, max=5000, help="Requests per scenario")] = 300,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same requests)")] = 1,
    out: Annotated[
        Path, typer.Option(help="Folder for the report and its plot (created if missing)")
    ] = Path("report/demo"),
    store: Annotated[
        str | None,
        typer.Option(
            "--store",
            metavar="URL",
            callback=check_store_url,
            help="Where decision records go: sqlite:///relative/path.db, "
            "sqlite:////absolute/path.db or memory:// (default: the config's store: section; "
            "without a path there, a fresh decisions.sqlite3 in --out)",
        ),
    ] = None,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db", metavar="PATH", help="SQLite file for the records: --store sqlite:///PATH"
        ),
    ] = None,
    http: Annotated[
        bool,
        typer.Option(
            "--http", help="Run the tiers and the gateway as processes and drive them over HTTP"
        ),
    ] = False,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="YAML config (default: the shipped one)")
    ] = None,
) -> None:
    """Run the gaming, automotive, healthcare and IoT scenarios against every baseline."""
    from mecrouter.config import load_config
    from mecrouter.stores import resolve_store

    url = store_option(store, db)
    if http and url is not None:
        option = "--db" if db is not None else "--store"
        raise typer.BadParameter(
            "the --http demo's gateway records in its work folder", param_hint=option
        )
    cfg = load_config(config)
    _check_folder(out, "--out")
    if http:
        _http_demo(cfg, requests, seed, out)
        return
    settings = resolve_store(cfg.store, url)
    option = "--db" if db is not None else "--store" if store is not None else "store.path"
    _inprocess_demo(cfg, requests, seed, out, _demo_store(settings, out, option))


def _check_folder(folder: Path, option: str) -> None:
    """Create `folder` now, so that a bad path fails before the run rather than after it."""
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise typer.BadParameter(
            f"cannot use folder {str(folder)!r}: {exc.strerror}", param_hint=option
        ) from exc


def _say(text: str) -> None:
    """A plain line, never wrapped nor styled: scripts and tests read these."""
    _console.print(text, soft_wrap=True, markup=False, highlight=False)


def _demo_store(settings: StoreConfig, out: Path, option: str) -> StoreConfig:
    """The store the demo records into. A sqlite store without a path gets the report folder's
    own file, started afresh with each run; one with a path gets its folder created."""
    from mecrouter.config import SQLiteStoreConfig

    if not isinstance(settings, SQLiteStoreConfig) or settings.path == ":memory:":
        return settings
    if settings.path is not None:
        _check_folder(Path(settings.path).parent, option)
        return settings
    db_path = out / _DB_NAME
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    return settings.model_copy(update={"path": str(db_path)})


def _inprocess_demo(
    cfg: Config, requests: int, seed: int, out: Path, settings: StoreConfig
) -> None:
    from mecrouter.demo.inprocess import DEMO_POLICIES
    from mecrouter.stores import describe_store

    where = describe_store(settings)
    _console.print(f"Decision records go to [bold]{where}[/bold]")
    with _progress() as progress:

        def start(scenario: Scenario) -> Any:
            task = progress.add_task(scenario.name, total=requests * len(DEMO_POLICIES))
            return lambda: progress.advance(task)

        outcome, stored = asyncio.run(_run_recorded(cfg, settings, requests, seed, start))
    for scenario, results in outcome:
        _console.print(_policy_table(cfg, scenario, results))
    sent = sum(r.sent for _, results in outcome for r in results)
    lost = sent - stored
    colour = "green" if lost == 0 else "red"
    recorded = f"{stored} of {sent} requests recorded in {where} ({lost} lost)"
    _console.print(f"[{colour}]{recorded}[/{colour}]")
    _report(cfg, outcome, out, f"{requests} requests per scenario, seed {seed}. {recorded}.")
    _dashboard_hint(settings)
    if lost:
        raise typer.Exit(1)


def _dashboard_hint(settings: StoreConfig) -> None:
    """The command that opens the operator's dashboard on the records just written."""
    path = getattr(settings, "path", None)
    if settings.backend == "sqlite" and path not in (None, ":memory:"):
        _say(f"dashboard: mecrouter dashboard --store {path}")
    elif settings.backend == "dynamodb":
        prefix = getattr(settings, "table_prefix", "")
        _say(f"dashboard: mecrouter dashboard --store dynamodb://{prefix}")


def _report(cfg: Config, outcome: Outcome, out: Path, run: str) -> None:
    from mecrouter.demo.report import headline, write_report

    headlines = [h for s, results in outcome if (h := headline(cfg, s, results)) is not None]
    report, plot = write_report(cfg, outcome, out, run=run, headlines=headlines)
    _say(f"report: {report}")
    _say(f"plot: {plot}")
    for h in headlines:
        _say(h.line())


def _policy_table(cfg: Config, scenario: Scenario, results: list[PolicyResult]) -> Table:
    from mecrouter.demo.report import POLICY_COLUMNS, policy_row, scenario_title

    table = Table(title=scenario_title(cfg, scenario), title_justify="left")
    for col in POLICY_COLUMNS:
        table.add_column(col, justify="left" if col == "policy" else "right")
    for res in results:
        cells = policy_row(res.policy, res.summary(cfg))
        if res.policy == "mecrouter":
            cells[0] = f"[bold]{cells[0]}[/bold]"
        table.add_row(*cells)
    return table


def _http_demo(cfg: Config, requests: int, seed: int, out: Path) -> None:
    from mecrouter.demo.http import run_http_demo  # the HTTP client libraries, only when asked
    from mecrouter.demo.report import HTTP_COLUMNS, http_row, write_http_report

    _console.print("Starting 3 emulated tiers and the gateway on 127.0.0.1 ...")
    with _progress() as progress:

        def start(scenario: Scenario) -> Any:
            task = progress.add_task(scenario.name, total=requests)
            return lambda: progress.advance(task)

        run = asyncio.run(run_http_demo(cfg, n=requests, seed=seed, on_scenario_start=start))
    table = Table(title="mecrouter over HTTP (openai SDK -> gateway -> emulated tiers)")
    for col in HTTP_COLUMNS:
        table.add_column(col, justify="left" if col == "scenario" else "right")
    for res in run.results:
        table.add_row(*http_row(res))
    _console.print(table)
    for res in run.results:
        for error in res.errors[:3]:
            _console.print(f"[red]{res.scenario.name}: {error}[/red]")
    sent = sum(res.sent for res in run.results)
    lost = sent - run.recorded
    colour = "green" if lost == 0 else "red"
    recorded = (
        f"{run.recorded} of {sent} requests recorded by the gateway in "
        f"{run.topo.decisions_db} ({lost} lost); logs in {run.topo.workdir}"
    )
    _console.print(f"[{colour}]{recorded}[/{colour}]")
    for proc in run.processes:
        _say(f"stopped {proc.name} (pid {proc.pid}, {proc.url})")
    about = f"{requests} requests per scenario, seed {seed}. {recorded}."
    report, plot = write_http_report(run.results, out, run=about)
    _say(f"report: {report}")
    _say(f"plot: {plot}")
    _say(f"dashboard: mecrouter dashboard --store {run.topo.decisions_db}")
    if lost:
        raise typer.Exit(1)


def _progress() -> Progress:
    return progress_bar(_console, label_width=24)


async def _run_recorded(
    cfg: Config,
    settings: StoreConfig,
    requests: int,
    seed: int,
    on_scenario_start: Callable[[Scenario], Callable[[], None]],
) -> tuple[Outcome, int]:
    """The scenarios run into one store; with how many records this run added to it."""
    from mecrouter.demo.inprocess import run_demo
    from mecrouter.stores import open_store

    store = open_store(settings)
    try:
        before = await store.count_decisions()
        outcome = await run_demo(
            cfg, n=requests, seed=seed, store=store, on_scenario_start=on_scenario_start
        )
        return outcome, await store.count_decisions() - before
    finally:
        await store.aclose()
