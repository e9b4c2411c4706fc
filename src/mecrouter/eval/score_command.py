"""`mecrouter quality score`: one number per prompt, for any evaluator to rank prompts by.

Reads JSON lines ``{"prompt": "..."}`` on stdin and writes, line for line, how much each prompt
needs the strong model rather than the weak one (`quality.score.strong_need`). Every input line
is checked before anything is written: a bad line ends the command with exit code 2 and names
the line, so stdout never holds a partial or misaligned answer.
"""

from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.markup import escape

from mecrouter.errors import MecrouterError

__all__ = ["quality_app", "score"]

quality_app = typer.Typer(
    no_args_is_help=True, help="The quality predictor's answers for other tools."
)
_err = Console(stderr=True)


class Predictor(enum.StrEnum):
    FAST = "fast"
    EMBEDDING = "embedding"
    BEST = "best"


@quality_app.command()
def score(
    weak: Annotated[
        str, typer.Option(help="The cheaper RouterBench model, e.g. mistralai/mixtral-8x7b-chat")
    ],
    strong: Annotated[
        str, typer.Option(help="The stronger RouterBench model, e.g. gpt-4-1106-preview")
    ],
    model: Annotated[
        Predictor, typer.Option(help="The predictor; best is the one mecrouter ranks by")
    ] = Predictor.BEST,
    data: Annotated[
        Path | None,
        typer.Option(
            help="Data folder with routerbench/*_train.csv, for a pair the shipped predictors "
            "do not cover (default: the project's data/)"
        ),
    ] = None,
) -> None:
    """Score JSON lines {"prompt": ...} from stdin: P(strong right) - P(weak right), one per line.

    Higher means the strong model is more needed."""
    from mecrouter.quality.score import read_prompts, strong_need

    try:
        prompts = read_prompts(sys.stdin.buffer)
        need = strong_need(
            prompts, weak, strong, model=model.value, data=data,
            on_stage=lambda message: _err.print(f"{message} ...", highlight=False),
        )  # fmt: skip
    except MecrouterError as exc:
        _err.print(f"[red]error:[/red] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    sys.stdout.write("".join(f"{value:.8f}\n" for value in need.tolist()))
