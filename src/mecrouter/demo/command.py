"""`mecrouter demo`: run the four seed scenarios, print the tables, write the report.

The output ends with the paths of the report and of its plot, then (in-process) one headline line
per scenario: mecrouter against cloud-only, from this run's figures.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from mecrouter.progress import progress_bar

if TYPE_CHECKING:  # the run's modules are imported when it starts, so the CLI starts quickly
    from rich.progress import Progress

    from mecrouter.config import Config
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
    db: Annotated[
        Path | None,
        typer.Option(help="SQLite file for the decision records (default: a fresh one in --out)"),
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

    cfg = load_config(config)
    _check_folder(out, "--out")
    if db is not None:
        _check_folder(db.parent, "--db")
    if http:
        _http_demo(cfg, requests, seed, out)
    else:
        _inprocess_demo(cfg, requests, seed, out, db)


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


def _inprocess_demo(cfg: Config, requests: int, seed: int, out: Path, db: Path | None) -> None:
    from mecrouter.demo.inprocess import DEMO_POLICIES, run_demo

    db_path = db or out / _DB_NAME
    if db is None:  # the report folder's own record file starts afresh with each run
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db_path}{suffix}").unlink(missing_ok=True)
    before = asyncio.run(_count(db_path))
    _console.print(f"Decision records go to [bold]{db_path}[/bold]")
    with _progress() as progress:

        def start(scenario: Scenario) -> Any:
            task = progress.add_task(scenario.name, total=requests * len(DEMO_POLICIES))
            return lambda: progress.advance(task)

        outcome = asyncio.run(
            run_demo(cfg, n=requests, seed=seed, db_path=db_path, on_scenario_start=start)
        )
    for scenario, results in outcome:
        _console.print(_policy_table(cfg, scenario, results))
    sent = sum(r.sent for _, results in outcome for r in results)
    stored = asyncio.run(_count(db_path)) - before
    lost = sent - stored
    colour = "green" if lost == 0 else "red"
    recorded = f"{stored} of {sent} requests recorded in {db_path} ({lost} lost)"
    _console.print(f"[{colour}]{recorded}[/{colour}]")
    _report(cfg, outcome, out, f"{requests} requests per scenario, seed {seed}. {recorded}.")
    if lost:
        raise typer.Exit(1)


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
    if lost:
        raise typer.Exit(1)


def _progress() -> Progress:
    return progress_bar(_console, label_width=24)


async def _count(db_path: Path) -> int:
    from mecrouter.stores.sqlite import SQLiteStore

    store = SQLiteStore(db_path)
    try:
        return await store.count_decisions()
    finally:
        await store.aclose()
