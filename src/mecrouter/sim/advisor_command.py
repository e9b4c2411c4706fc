"""`mecrouter simulate --reasoner-accuracy 0.5,0.8,0.95`: the advisor study (`advisor_study`)
over the named scenarios, printed and written to `--out` as advisor.md and advisor.json."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markdown import Markdown

from mecrouter.config import Config

__all__ = ["parse_accuracies", "study_advisor"]

_console = Console()


def parse_accuracies(text: str) -> list[float]:
    """Comma-separated probabilities in [0, 1]; anything else is a usage error."""
    try:
        values = [float(part) for part in text.split(",") if part.strip()]
    except ValueError:
        values = []
    if not values or any(not 0.0 <= v <= 1.0 for v in values):
        raise typer.BadParameter(
            f"expected comma-separated probabilities in [0, 1], got {text!r}",
            param_hint="--reasoner-accuracy",
        )
    return values


def study_advisor(
    names: list[str],
    accuracies: str,
    requests: int,
    seed: int,
    config: Config,
    data: Path | None,
    out: str,
) -> None:
    """Run the study on each scenario and write its report to the local folder `out`."""
    from mecrouter.datadir import data_dir
    from mecrouter.sim.advisor_study import advisor_markdown, advisor_study, write_advisor_study
    from mecrouter.sim.workloads import WORKLOADS

    values = parse_accuracies(accuracies)
    if out.lower().startswith("s3://"):
        raise typer.BadParameter("the advisor study writes to a local folder", param_hint="--out")
    folder = data_dir(data)
    studies = []
    for name in names:
        wl = WORKLOADS[name]
        studies.append(
            advisor_study(wl, n=requests, seed=seed, accuracies=values, config=config, data=folder)
        )
    path = write_advisor_study(studies, Path(out))
    _console.print(Markdown(advisor_markdown(studies)))
    _console.print(f"report: [bold]{path}[/bold]")
