"""`mecrouter simulate`: run scenarios through every policy and write the report."""

from __future__ import annotations

import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

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

if TYPE_CHECKING:
    from mecrouter.aws.s3 import S3Url
    from mecrouter.config import Config
    from mecrouter.sim.results import ScenarioResult

__all__ = ["simulate"]

_console = Console()

# The command's options (typer reads them from the annotations).
_ScenarioOpt = Annotated[
    str | None, typer.Option(help="gaming | automotive | healthcare | iot | mixed")
]
_AllOpt = Annotated[bool, typer.Option("--all", help="Run every scenario")]
_RequestsOpt = Annotated[int, typer.Option(min=100, max=5_000_000, help="Requests per scenario")]
_SeedOpt = Annotated[int, typer.Option(help="Random seed (same seed, same report)")]
_OutOpt = Annotated[
    str, typer.Option(help="Folder for report.md, results.json, plots; or s3://bucket/prefix")
]
_PoliciesOpt = Annotated[
    str | None, typer.Option(help="Comma-separated subset of the policies (default: all)")
]
_FaultOpt = Annotated[
    str,
    typer.Option(
        help="Faults to inject: 'scenario' (its own), 'none', 'mec-outage', 'mec-partition',"
        " 'cloud-slowdown' or 'mec-network-slowdown' (30% to 60% of the run)"
    ),
]
_WorkersOpt = Annotated[
    int, typer.Option(min=1, max=64, help="Processes running policies in parallel")
]
_DataOpt = Annotated[
    Path | None, typer.Option(help="The measured data folder (default: the project's data/)")
]
_ConfigOpt = Annotated[
    Path | None, typer.Option("--config", "-c", help="YAML config (default: the shipped one)")
]
_ReasonerOpt = Annotated[
    str | None,
    typer.Option(
        "--reasoner-accuracy",
        help="Study the advisor instead (routing.reasoner): mecrouter with it off, then on at "
        "each of these ASSUMED accuracies, e.g. 0.5,0.8,0.95; writes advisor.md",
    ),
]
_DEFAULT_WORKERS = min(2, os.cpu_count() or 1)


def simulate(
    scenario: _ScenarioOpt = None,
    all_scenarios: _AllOpt = False,
    requests: _RequestsOpt = 100_000,
    seed: _SeedOpt = 1,
    out: _OutOpt = "report",
    policies: _PoliciesOpt = None,
    workers: _WorkersOpt = _DEFAULT_WORKERS,
    data: _DataOpt = None,
    config: _ConfigOpt = None,
    reasoner_accuracy: _ReasonerOpt = None,
    fault: _FaultOpt = "scenario",
) -> None:
    """Compare routing policies on simulated tiers driven by real traces; write a report."""
    from mecrouter.config import load_config
    from mecrouter.datadir import data_dir
    from mecrouter.sim.report import write_report

    names = _scenario_names(scenario, all_scenarios)
    _check_fault(fault)
    if reasoner_accuracy is not None:
        from mecrouter.sim.advisor_command import study_advisor

        study_advisor(names, reasoner_accuracy, requests, seed, load_config(config), data, out)
        return
    asked = _asked_policies(policies)
    destination = _s3_destination(out)  # checked before the run, which may take minutes
    started = time.perf_counter()
    results = _run_scenarios(
        names, asked, requests=requests, seed=seed, config=load_config(config),
        data=data_dir(data), workers=workers, fault=fault,
    )  # fmt: skip
    wall = time.perf_counter() - started
    report = (
        write_report(results, Path(out)) if destination is None else _upload(results, destination)
    )
    simulated = requests * sum(len(_chosen(name, asked)) for name in names)
    _print_speed(simulated, len(names), wall, workers)
    _print_prediction_error(results)
    _console.print(f"report: [bold]{report}[/bold]")


def _check_fault(fault: str) -> None:
    from mecrouter.sim.workloads import FAULTS

    if fault not in FAULTS:
        known = ", ".join(FAULTS)
        _console.print(f"[red]error:[/red] --fault must be one of {known}, not {fault!r}")
        raise typer.Exit(2)


def _s3_destination(out: str) -> S3Url | None:
    """None for a local folder; for ``s3://bucket/prefix`` the URL, once its bucket answers."""
    if not out.lower().startswith("s3://"):
        return None
    try:
        from mecrouter.aws.s3 import check_bucket, parse_s3_url
    except ImportError as exc:  # boto3 is the optional `aws` extra
        from mecrouter.errors import ConfigError

        raise ConfigError("--out", "s3:// needs boto3: pip install 'mecrouter[aws]'") from exc
    url = parse_s3_url(out, field="--out")
    check_bucket(url, field="--out")
    return url


def _upload(results: list[ScenarioResult], url: S3Url) -> str:
    """Write the report to a temporary folder and upload every file of it under ``url``; the
    folder is kept (and named in the error) if the upload fails."""
    from mecrouter.aws.s3 import upload_folder
    from mecrouter.errors import ConfigError
    from mecrouter.progress import progress_bar
    from mecrouter.sim.report import write_report

    folder = Path(tempfile.mkdtemp(prefix="mecrouter-report-"))
    write_report(results, folder)
    total = sum(1 for p in folder.rglob("*") if p.is_file())
    started = time.perf_counter()
    try:
        with progress_bar(_console, label_width=12) as bar:
            task = bar.add_task("upload", total=total)
            uploaded = upload_folder(
                folder, url, field="--out", on_file=lambda _: bar.advance(task)
            )
    except ConfigError as exc:
        raise ConfigError(exc.field, f"{exc.message}; the report is kept in {folder}") from exc
    shutil.rmtree(folder, ignore_errors=True)
    size_mb = sum(f.size_bytes for f in uploaded) / 1e6
    _console.print(
        f"uploaded {len(uploaded)} files ({size_mb:.2f} MB) to {url} "
        f"in {time.perf_counter() - started:.1f} s"
    )
    return str(url.child("report.md"))


def _scenario_names(scenario: str | None, all_scenarios: bool) -> list[str]:
    """The scenarios to run: every one, or the one named (a bad choice is a usage error)."""
    from mecrouter.sim.workloads import WORKLOADS

    if all_scenarios == (scenario is not None):
        raise typer.BadParameter("give exactly one of --scenario NAME or --all")
    names = list(WORKLOADS) if all_scenarios else [str(scenario)]
    for name in names:
        if name not in WORKLOADS:
            raise typer.BadParameter(
                f"unknown scenario {name!r}; known: {', '.join(WORKLOADS)}", param_hint="--scenario"
            )
    return names


def _asked_policies(policies: str | None) -> tuple[str, ...]:
    """The policies named on the command line (none: each scenario's own or the default set)."""
    from mecrouter.agents.policies import POLICIES

    asked = tuple(p.strip() for p in policies.split(",")) if policies else ()
    unknown = [p for p in asked if p not in POLICIES]
    if unknown:
        raise typer.BadParameter(
            f"unknown policy {unknown[0]!r}; known: {', '.join(POLICIES)}",
            param_hint="--policies",
        )
    return asked


def _chosen(name: str, asked: tuple[str, ...]) -> tuple[str, ...]:
    from mecrouter.sim.engine import scenario_policies
    from mecrouter.sim.workloads import WORKLOADS

    return scenario_policies(WORKLOADS[name], asked)


def _run_scenarios(
    names: list[str],
    asked: tuple[str, ...],
    *,
    requests: int,
    seed: int,
    config: Config,
    data: Path,
    workers: int,
    fault: str = "scenario",
) -> list[ScenarioResult]:
    """Run each scenario through its policies, with a progress bar per scenario."""
    from mecrouter.sim.engine import run_scenario
    from mecrouter.sim.workloads import with_fault, workload

    results = []
    with Progress(
        TextColumn("{task.description:<12}"),
        BarColumn(),
        MofNCompleteColumn(),
        TextColumn("policies"),
        TimeElapsedColumn(),
        console=_console,
    ) as progress:
        for name in names:
            task = progress.add_task(name, total=len(_chosen(name, asked)))

            def advance(_policy: str, task: TaskID = task) -> None:
                progress.advance(task)

            results.append(
                run_scenario(
                    with_fault(workload(name), fault),
                    n=requests,
                    seed=seed,
                    policies=_chosen(name, asked),
                    config=config,
                    data=data,
                    workers=workers,
                    on_policy_done=advance,
                )
            )
    return results


def _print_speed(simulated: int, n_scenarios: int, wall: float, workers: int) -> None:
    from mecrouter.compiled import compiled

    fast = compiled()
    _console.print(
        f"{simulated:,} simulated requests ({n_scenarios} scenario(s), each policy on each) "
        f"in {wall:.1f} s wall on {workers} worker(s): {simulated / wall:,.0f} per second, "
        + (
            f"compiled build ({len(fast)} modules)"
            if fast
            else "pure-Python build (`make fast` compiles it: about twice as fast)"
        )
    )


def _print_prediction_error(results: list[ScenarioResult]) -> None:
    """mecrouter's latency prediction error per tier that served (the report has every policy's)."""
    import math

    from mecrouter.sim.results import TIERS

    for result in results:
        run = result.policies.get("mecrouter")
        if run is None:
            continue
        s = run.summary
        cells = [
            f"{tier} bias {round(s[f'{tier}_pred_bias_pct']):+d}%, |error| p50 "
            f"{s[f'{tier}_pred_err_p50_pct']:.0f}% p95 {s[f'{tier}_pred_err_p95_pct']:.0f}%"
            for tier in TIERS
            if math.isfinite(s.get(f"{tier}_pred_err_p50_pct", math.nan))
        ]
        if cells:
            _console.print(
                f"{result.scenario}: mecrouter's latency predictions: {'; '.join(cells)}"
            )
