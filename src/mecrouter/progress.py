"""The progress bar every long command shows (one look across `demo`, `eval-quality`, ...)."""

from __future__ import annotations

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

__all__ = ["progress_bar"]


def progress_bar(console: Console, *, label_width: int = 16, transient: bool = False) -> Progress:
    """Label, bar, done/total and elapsed time, on `console` (stderr for the commands)."""
    return Progress(
        TextColumn(f"{{task.description:<{label_width}}}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=console,
        transient=transient,
    )
