"""What every page draws from: the store, the gateway (optional) and the config, opened once
per dashboard process (`st.cache_resource`), and the helpers that turn a failure into a message
on the page instead of a traceback."""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import streamlit as st

from mecrouter.config import Config, load_config
from mecrouter.dashboard.gateway_client import GatewayClient
from mecrouter.dashboard.source import (
    DEFAULT_RUNS,
    DEFAULT_STORE,
    DashboardError,
    DecisionSource,
    open_source,
)
from mecrouter.errors import MecrouterError

__all__ = [
    "NO_DECISIONS", "Context", "context_from_args", "explained", "guarded", "parse_args",
    "window_end",
]  # fmt: skip

REFRESH_S: Final = 5.0


@dataclass(frozen=True, slots=True)
class Context:
    store_url: str
    gateway_url: str | None
    api_key: str | None
    config_path: str | None
    refresh_s: float
    runs_dir: Path

    def source(self) -> DecisionSource:
        return _source(self.store_url)

    def gateway(self) -> GatewayClient | None:
        return _gateway(self.gateway_url, self.api_key) if self.gateway_url else None

    def config(self) -> Config:
        return _config(self.config_path)


@st.cache_resource(show_spinner=False)
def _source(url: str) -> DecisionSource:
    return open_source(url)


@st.cache_resource(show_spinner=False)
def _gateway(url: str, api_key: str | None) -> GatewayClient:
    return GatewayClient(url, api_key)


@st.cache_resource(show_spinner=False)
def _config(path: str | None) -> Config:
    try:
        return load_config(path)
    except MecrouterError as exc:
        raise DashboardError(f"cannot read the config {path}: {exc}") from exc


def parse_args(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="mecrouter dashboard", add_help=False)
    parser.add_argument("--store", default=DEFAULT_STORE)
    parser.add_argument("--gateway", default=None)
    parser.add_argument("--api-key", default=None)
    parser.add_argument("--config", default=None)
    parser.add_argument("--refresh-s", type=float, default=REFRESH_S)
    parser.add_argument("--runs-dir", default=DEFAULT_RUNS)
    return parser.parse_args(argv)


def context_from_args(argv: list[str]) -> Context:
    args = parse_args(argv)
    return Context(
        store_url=args.store,
        gateway_url=args.gateway,
        api_key=args.api_key,
        config_path=args.config,
        refresh_s=max(1.0, args.refresh_s),
        runs_dir=Path(args.runs_dir),
    )


@contextmanager
def explained() -> Iterator[None]:
    """Show a `DashboardError` (or any `MecrouterError`) as a message on the page."""
    try:
        yield
    except MecrouterError as exc:
        st.error(str(exc), icon=":material/error:")


def guarded(draw: Callable[[Context], None], ctx: Context) -> None:
    with explained():
        draw(ctx)


def window_end(source: DecisionSource, window_s: float) -> tuple[float, bool]:
    """Where a window of `window_s` ends: now, or the newest decision when nothing happened in
    the last `window_s` (a store from yesterday's run still shows its last traffic); and
    whether that is now."""
    now = time.time()
    newest = source.newest_timestamp()
    if newest is None or newest >= now - window_s:
        return now, True
    return newest + 1e-6, False


NO_DECISIONS: Final = (
    "No decisions yet: run `make demo` (it writes the demo's store and prints the command"
    " that opens it), or send traffic to `mecrouter serve --store ...`."
)
