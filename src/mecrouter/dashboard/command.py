"""`mecrouter dashboard`: Streamlit on 127.0.0.1 (or `--host`), over a decision store and,
when given, a gateway. Streamlit runs as a child process (`python -m streamlit run`), so it
stops when this command does."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from typing import Annotated

import typer

from mecrouter.dashboard.source import DEFAULT_RUNS, DEFAULT_STORE

__all__ = ["dashboard", "streamlit_command"]

_APP = Path(__file__).with_name("app.py")


def streamlit_command(
    *, store: str, gateway: str | None, api_key: str | None, config: str | None, host: str,
    port: int, refresh_s: float, runs_dir: str,
) -> list[str]:  # fmt: skip
    """The command line that serves the dashboard (what tests and `make demo` start)."""
    own = ["--store", store, "--refresh-s", str(refresh_s), "--runs-dir", runs_dir]
    for flag, value in (("--gateway", gateway), ("--api-key", api_key), ("--config", config)):
        if value:
            own += [flag, value]
    return [
        sys.executable, "-m", "streamlit", "run", str(_APP),
        "--server.address", host, "--server.port", str(port), "--server.headless", "true",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        "--client.toolbarMode", "minimal",
        "--", *own,
    ]  # fmt: skip


def dashboard(
    store: Annotated[
        str,
        typer.Option(
            help="The decision store: a SQLite path or sqlite:///path, or "
            "dynamodb://table-prefix[?region=R]"
        ),
    ] = DEFAULT_STORE,
    gateway: Annotated[
        str | None, typer.Option(help="The gateway's URL, for circuits, placement and scores")
    ] = None,
    api_key: Annotated[
        str | None,
        typer.Option(envvar="MECROUTER_API_KEY", help="Key for a gateway that needs one"),
    ] = None,
    config: Annotated[
        str | None, typer.Option(help="YAML config for prices (default: the shipped one)")
    ] = None,
    host: Annotated[
        str, typer.Option(help="Address to listen on (0.0.0.0 only when you mean it)")
    ] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8501,
    refresh_s: Annotated[float, typer.Option(min=1.0, help="Live page refresh (s)")] = 5.0,
    runs_dir: Annotated[
        str, typer.Option(help="Where What-if runs write their reports")
    ] = DEFAULT_RUNS,
) -> None:
    """Open the operator's dashboard: live routing, decisions, cost, placement and what-if."""
    try:
        import streamlit  # noqa: F401
    except ImportError:
        typer.echo("error: the dashboard needs Streamlit: pip install 'mecrouter[dashboard]'",
                   err=True)  # fmt: skip
        raise typer.Exit(2) from None
    from mecrouter.dashboard.source import DashboardError, open_source

    try:
        open_source(store)  # a bad store is said here, before a browser opens on an error
    except DashboardError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    command = streamlit_command(
        store=store, gateway=gateway, api_key=api_key, config=config, host=host, port=port,
        refresh_s=refresh_s, runs_dir=runs_dir,
    )  # fmt: skip
    typer.echo(f"mecrouter dashboard on http://{host}:{port} (Ctrl-C stops it)")
    try:
        raise typer.Exit(subprocess.call(command))
    except KeyboardInterrupt:
        raise typer.Exit(0) from None
