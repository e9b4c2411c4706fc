"""The dashboard on ten million decisions: time to the first rendered chart in a real browser.

Run with `make bench`. The store is made once by `make_decision_store.py` (synthetic values,
about 5 GB and 5 minutes on 2 cores) and kept in `.bench-cache/`. The dashboard is served by
`mecrouter dashboard`'s own command line on 127.0.0.1 and its Live page opened in headless
Chromium (Debian's `chromium`, through Playwright), once on the 10-million store and once on a
1,000-decision store of the same generator, side by side in one run: the time from navigation
to the first chart on the page (`stVegaLiteChart`) after the server is up. A third server runs
the smallest Streamlit page with a chart (`BASELINE`): what Streamlit and Chromium cost on this
machine before the dashboard does anything.

The ratios are the targets, since they hold on any machine: the big store against the small one
(the queries are bounded: near 1) and against the baseline page. The issue's absolute target,
under 3 s on the big store, is printed as met or missed: on this 2-core VM the baseline page
alone takes about 3 s.
"""

from __future__ import annotations

import importlib.util
import shutil
import socket
import statistics
import subprocess
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest

from mecrouter.dashboard.command import streamlit_command

ROOT = Path(__file__).resolve().parents[1]
CACHE = ROOT / ".bench-cache"
BIG = 10_000_000
SMALL = 1_000
LOADS = 3  # page loads per store, alternating
TARGET_S = 3.0
BASELINE = """import pandas as pd
import streamlit as st

st.metric("requests", 1)
st.bar_chart(pd.DataFrame({"requests": [1, 2, 3]}))
"""


def _generator() -> Any:
    spec = importlib.util.spec_from_file_location("mds", ROOT / "benchmarks/make_decision_store.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _store(rows: int) -> Path:
    path = CACHE / f"decisions-{rows}.sqlite3"
    if not path.exists():
        CACHE.mkdir(exist_ok=True)
        print(f"\nmaking {path.name} ({rows:,} synthetic decisions) ...", flush=True)
        _generator().make_store(path, rows=rows, days=7.0, seed=0)
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _command(store: Path | None, tmp: Path, port: int) -> list[str]:
    """The dashboard on `store`, or the baseline page when `store` is None."""
    command = streamlit_command(
        store=str(store), gateway=None, api_key=None, config=None, host="127.0.0.1",
        port=port, refresh_s=60.0, runs_dir=str(tmp / "runs"),
    )  # fmt: skip
    if store is None:
        baseline = tmp / "baseline.py"
        baseline.write_text(BASELINE, encoding="utf-8")
        command[command.index("run") + 1] = str(baseline)
        command = command[: command.index("--")]
    return command


@contextmanager
def _served(store: Path | None, tmp: Path) -> Iterator[str]:
    port = _free_port()
    proc = subprocess.Popen(
        _command(store, tmp, port), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{url}/_stcore/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            time.sleep(0.2)
        else:
            pytest.fail("the dashboard did not start within 60 s")
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _first_chart_s(browser: Any, url: str) -> float:
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    try:
        started = time.perf_counter()
        page.goto(url)
        page.wait_for_selector('[data-testid="stVegaLiteChart"]', timeout=60_000)
        return time.perf_counter() - started
    finally:
        page.close()


@pytest.mark.bench
def test_ten_million_decisions_open_to_a_chart_as_fast_as_a_thousand(tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    sync_api = pytest.importorskip("playwright.sync_api", reason="pip install playwright")
    if chromium is None:
        pytest.skip("needs Debian's chromium: apt-get install chromium")
    servers: dict[str, Path | None] = {"10M": _store(BIG), "1k": _store(SMALL), "baseline": None}
    times: dict[str, list[float]] = {name: [] for name in servers}
    with sync_api.sync_playwright() as pw, ExitStack() as stack:
        browser = pw.chromium.launch(executable_path=chromium, headless=True)
        urls = {name: stack.enter_context(_served(s, tmp_path)) for name, s in servers.items()}
        for url in urls.values():
            _first_chart_s(browser, url)  # the first load imports the app's modules
        for _ in range(LOADS):  # side by side: one load of each, in turn
            for name, url in urls.items():
                times[name].append(_first_chart_s(browser, url))  # Live is the first page: /
        browser.close()
    big, small, base = (statistics.median(times[k]) for k in ("10M", "1k", "baseline"))
    every = "; ".join(f"{k} " + " ".join(f"{t:.2f}" for t in v) for k, v in times.items())
    verdict = "met" if big < TARGET_S else "MISSED"
    print(
        f"\nfirst chart, median of {LOADS} loads: 10M decisions {big:.2f} s, 1k {small:.2f} s,"
        f" baseline page {base:.2f} s; 10M/1k {big / small:.2f}, 10M/baseline {big / base:.2f};"
        f" under {TARGET_S:.0f} s on 10M: {verdict} (every load: {every})"
    )
    assert big / small < 1.5  # bounded queries: ten million decisions cost what a thousand do
    assert big / base < 2.0  # the dashboard adds less than Streamlit's own page costs
