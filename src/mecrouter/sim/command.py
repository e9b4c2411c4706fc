"""`mecrouter simulate`: run scenarios through every policy and write the report."""

from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TaskID,
    TextColumn,
    TimeElapsedColumn,
)

__all__ = ["simulate"]

_console = Console()


def simulate(
    scenario: Annotated[
        str | None,
        typer.Option(help="gaming | automotive | healthcare | iot | mixed"),
    ] = None,
    all_scenarios: Annotated[bool, typer.Option("--all", help="Run every scenario")] = False,
    requests: Annotated[
        int, typer.Option(min=100, max=5_000_000, help="Requests per scenario")
    ] = 100_000,
    seed: Annotated[int, typer.Option(help="Random seed (same seed, same report)")] = 1,
    out: Annotated[Path, typer.Option(help="Folder for report.md, results.json, plots")] = Path(
        "report"
    ),
    policies: Annotated[
        str | None, typer.Option(help="Comma-separated subset of the policies (default: all)")
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, max=64, help="Processes running policies in parallel")
    ] = min(2, os.cpu_count() or 1),
    data: Annotated[
        Path | None, typer.Option(help="The measured data folder (default: ../shared/data)")
    ] = None,
    config: Annotated[
        Path | None, typer.Option("--config", "-c", help="YAML config (default: the shipped one)")
    ] = None,
) -> None:
    """Compare routing policies on simulated tiers driven by real traces; write a report."""
    from mecrouter.compiled import compiled
    from mecrouter.config import load_config
    from mecrouter.datadir import data_dir
    from mecrouter.sim.engine import DEFAULT_POLICIES, run_scenario
    from mecrouter.sim.policies import SIM_POLICIES
    from mecrouter.sim.report import write_report
    from mecrouter.sim.workloads import WORKLOADS, workload

    if all_scenarios == (scenario is not None):
        raise typer.BadParameter("give exactly one of --scenario NAME or --all")
    names = list(WORKLOADS) if all_scenarios else [str(scenario)]
    for name in names:
        if name not in WORKLOADS:
            raise typer.BadParameter(
                f"unknown scenario {name!r}; known: {', '.join(WORKLOADS)}", param_hint="--scenario"
            )
    asked = tuple(p.strip() for p in policies.split(",")) if policies else ()
    unknown = [p for p in asked if p not in SIM_POLICIES]
    if unknown:
        raise typer.BadParameter(
            f"unknown policy {unknown[0]!r}; known: {', '.join(SIM_POLICIES)}",
            param_hint="--policies",
        )

    def chosen(name: str) -> tuple[str, ...]:
        return asked or WORKLOADS[name].policies or DEFAULT_POLICIES

    cfg, folder = load_config(config), data_dir(data)
    results = []
    started = time.perf_counter()
    with Progress(
        TextColumn("{task.description:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("policies"),
        TimeElapsedColumn(),
        console=_console,
    ) as progress:
        for name in names:
            task = progress.add_task(name, total=len(chosen(name)))

            def advance(_policy: str, task: TaskID = task) -> None:
                progress.advance(task)

            results.append(
                run_scenario(
                    workload(name),
                    n=requests,
                    seed=seed,
                    policies=chosen(name),
                    config=cfg,
                    data=folder,
                    workers=workers,
                    on_policy_done=advance,
                )
            )
    wall = time.perf_counter() - started
    report = write_report(results, out)
    simulated = requests * sum(len(chosen(name)) for name in names)
    fast = compiled()
    _console.print(
        f"{simulated:,} simulated requests ({len(names)} scenario(s), each policy on each) "
        f"in {wall:.1f} s wall on {workers} worker(s): {simulated / wall:,.0f} per second, "
        + (
            f"compiled build ({len(fast)} modules)"
            if fast
            else "pure-Python build (`make fast` compiles it: about twice as fast)"
        )
    )
    _console.print(f"report: [bold]{report}[/bold]")
