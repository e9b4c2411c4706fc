"""The operator's dashboard in a real browser: the emulated tiers and the gateway on 127.0.0.1
take traffic from the official `openai` SDK, then `mecrouter dashboard` (Streamlit) serves the
gateway's store and headless Debian chromium, driven by Playwright, checks that each page shows
what the store holds. Each page's screenshot lands in `test-artifacts/dashboard/`."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import openai
import pytest

from mecrouter.config import load_config
from mecrouter.dashboard.command import streamlit_command
from mecrouter.gateway.auth import KeyStore
from mecrouter.gateway.topology import LocalTopology, Process, free_port, mecrouter_command

try:
    from playwright.sync_api import Browser, Locator, Page, sync_playwright
except ImportError:
    pytest.skip(
        "the dashboard's browser test needs Playwright: pip install playwright",
        allow_module_level=True,
    )

CHROMIUM = shutil.which("chromium")
if CHROMIUM is None:
    pytest.skip(
        "the dashboard's browser test needs Debian's chromium: apt-get install chromium",
        allow_module_level=True,
    )

ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts" / "dashboard"
TIME_SCALE = 0.01  # emulated tiers 100x faster than their profiles
USE_CASES = ("gaming", "automotive", "healthcare", "iot")
REQUESTS = 40
PHONE = {"device_id": "phone-dash", "memory_mb": 8192, "local_models": ["llama-3.2-1b-instruct"]}
VIEWPORT = {"width": 1400, "height": 900}
RENDER_TIMEOUT_S = 30.0
STORE_TIMEOUT_S = 30.0
DASHBOARD_TIMEOUT_S = 60.0
WHATIF_TIMEOUT_S = 120.0


@dataclass(frozen=True)
class Dashboard:
    url: str
    store: Path


@pytest.fixture(scope="module")
def dashboard(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Dashboard]:
    """The tiers, the gateway (with an API key) after `REQUESTS` completions, and the dashboard
    over the gateway's store; all stopped at the end of the module."""
    tmp = tmp_path_factory.mktemp("dashboard")
    topo = LocalTopology(load_config(), time_scale=TIME_SCALE, gateway_args=())
    with KeyStore(topo.keys_db) as keys:
        secret, _ = keys.create("dashboard-e2e")
    with topo:
        _send_traffic(topo.gateway_url, secret)
        _wait_stored(topo.decisions_db, REQUESTS)
        port = free_port()
        command = streamlit_command(
            store=str(topo.decisions_db), gateway=topo.gateway_url, api_key=secret, config=None,
            host="127.0.0.1", port=port, refresh_s=2.0, runs_dir=str(tmp / "runs"),
        )  # fmt: skip
        url = f"http://127.0.0.1:{port}"
        server = Process("dashboard", command, f"{url}/_stcore/health", tmp / "dashboard.log")
        try:
            server.start()
            server.wait_ready(DASHBOARD_TIMEOUT_S)  # terminate, then kill, in stop()
            yield Dashboard(url, topo.decisions_db)
        finally:
            server.stop()


def _send_traffic(gateway_url: str, secret: str) -> None:
    client = openai.OpenAI(
        base_url=f"{gateway_url}/v1", api_key=secret, max_retries=0, timeout=30.0
    )
    for i in range(REQUESTS):
        use_case = USE_CASES[i % len(USE_CASES)]
        routing: dict[str, Any] = {"use_case": use_case}
        if i % 2:
            routing["device"] = PHONE  # half of them may answer on the device
        done = client.chat.completions.create(
            model="auto",
            messages=[{"role": "user", "content": f"Request {i} of the {use_case} dashboard test"}],
            max_tokens=40,
            extra_body={"routing": routing},
        )
        assert done.choices[0].message.content
    client.close()


def _wait_stored(db: Path, expected: int) -> None:
    """The gateway writes its records asynchronously: wait until the store holds them all."""
    deadline = time.monotonic() + STORE_TIMEOUT_S
    count = 0
    while time.monotonic() < deadline:
        if db.exists():
            count = _query(db, "SELECT COUNT(*) FROM routing_decisions")[0][0]
            if count >= expected:
                return
        time.sleep(0.1)
    raise AssertionError(f"the store holds {count} of {expected} decisions after the timeout")


def _query(db: Path, sql: str, args: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return list(conn.execute(sql, args).fetchall())
    finally:
        conn.close()


@pytest.fixture(scope="module")
def browser(dashboard: Dashboard) -> Iterator[Browser]:
    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True)
        try:
            yield chromium
        finally:
            chromium.close()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=VIEWPORT)  # type: ignore[arg-type]
    try:
        yield context.new_page()
    finally:
        context.close()


# --- Helpers --------------------------------------------------------------------------------


def _open(page: Page, dashboard: Dashboard, path: str, ready: str) -> None:
    """Open the page at `path` and wait until `ready` (a selector) is shown and it settled."""
    page.goto(f"{dashboard.url}/{path}")
    page.locator(ready).first.wait_for(timeout=RENDER_TIMEOUT_S * 1000)
    _settle(page)


def _settle(page: Page, charts: int = 0) -> None:
    """Wait until Streamlit is idle (no running indicator, no stale element) for a moment, with
    `charts` Vega-Lite charts drawn, and every image loaded."""
    deadline = time.monotonic() + RENDER_TIMEOUT_S
    quiet = 0
    while quiet < 3:
        if time.monotonic() > deadline:
            raise AssertionError(f"{page.url} still rendering after {RENDER_TIMEOUT_S:.0f} s")
        busy = page.locator('[data-testid="stStatusWidget"], [data-stale="true"]').count()
        drawn = page.locator('[data-testid="stVegaLiteChart"] svg.marks').count()
        images = page.evaluate("[...document.images].every(i => i.complete)")
        quiet = quiet + 1 if not busy and drawn >= charts and images else 0
        page.wait_for_timeout(200)


def _screenshot(page: Page, name: str, charts: int = 0) -> None:
    """A full-page PNG: Streamlit scrolls inside its main block, so the viewport is made as tall
    as that block for the shot, then put back."""
    _settle(page, charts)
    height = page.evaluate(
        "Math.max(...['stMain', 'stMainBlockContainer', 'stAppViewContainer'].map("
        "id => document.querySelector(`[data-testid=${id}]`)?.scrollHeight ?? 0))"
    )
    page.set_viewport_size({"width": VIEWPORT["width"], "height": max(VIEWPORT["height"], height)})
    try:
        _settle(page, charts)
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    finally:
        page.set_viewport_size(VIEWPORT)  # type: ignore[arg-type]


def _metrics(page: Page) -> dict[str, str]:
    """Each `st.metric` shown, as {label: value}."""
    shown = {}
    for metric in page.locator('[data-testid="stMetric"]').all():
        label = metric.locator('[data-testid="stMetricLabel"]').inner_text().strip()
        shown[label] = metric.locator('[data-testid="stMetricValue"]').inner_text().strip()
    return shown


def _grid_cells(frame: Locator, column: int | None = None) -> list[str]:
    """The texts of a dataframe's rendered cells (of one column if given; glide-data-grid
    renders on a canvas and mirrors the visible cells into an accessible table)."""
    prefix = "glide-cell-" if column is None else f"glide-cell-{column}-"
    return [t.strip() for t in frame.locator(f'[data-testid^="{prefix}"]').all_inner_texts()]


def _report_row(page: Page, header: str, first_cell: str) -> dict[str, str]:
    """The row of the first report table with a `header` column whose first cell is
    `first_cell`, as {column: cell}."""
    row: dict[str, str] | None = page.evaluate(
        """([header, first]) => {
            for (const table of document.querySelectorAll('[data-testid="stMain"] table')) {
                const heads = [...table.querySelectorAll('th')].map(th => th.innerText.trim());
                if (!heads.includes(header)) continue;
                for (const tr of table.querySelectorAll('tbody tr')) {
                    const cells = [...tr.querySelectorAll('td')].map(td => td.innerText.trim());
                    if (cells[0] === first)
                        return Object.fromEntries(heads.map((h, i) => [h, cells[i]]));
                }
            }
            return null;
        }""",
        [header, first_cell],
    )
    assert row is not None, f"no report table with {header!r} and a row {first_cell!r}"
    return row


def _fixed(value: float, decimals: int) -> str:
    """As report.md writes a number."""
    return f"{round(value, decimals) + 0.0:.{decimals}f}".replace("-", "\u2212")


# --- Pages ----------------------------------------------------------------------------------


def test_live_shows_the_stores_count_and_tier_mix(page: Page, dashboard: Dashboard) -> None:
    count = _query(dashboard.store, "SELECT COUNT(*) FROM routing_decisions")[0][0]
    tiers = {
        str(tier)
        for (tier,) in _query(
            dashboard.store,
            "SELECT DISTINCT COALESCE(NULLIF(actual_tier, ''), selected_tier)"
            " FROM routing_decisions",
        )
    }
    assert count >= REQUESTS and tiers
    _open(page, dashboard, "", '[data-testid="stMetric"]')  # Live is the app's root page
    assert page.get_by_role("heading", name="Live").first.is_visible()
    metrics = _metrics(page)
    assert metrics["Decisions"] == f"{count:,}", metrics
    assert metrics["Success"].endswith("%")
    page.get_by_text("The gateway since it started").wait_for(timeout=RENDER_TIMEOUT_S * 1000)
    metrics = _metrics(page)
    assert metrics["Served"] == f"{count:,}", metrics  # its /metrics counted what the store holds
    mix = page.locator('[data-testid="stVegaLiteChart"]').filter(has_text="Tier mix")
    mix.locator("svg.marks").wait_for(timeout=RENDER_TIMEOUT_S * 1000)
    labels = set(mix.inner_text().split())
    assert tiers <= labels, f"tier mix shows {labels}, the store holds {tiers}"
    _screenshot(page, "live", charts=3)


def test_decisions_lists_them_and_opens_one(page: Page, dashboard: Dashboard) -> None:
    rows = _query(
        dashboard.store,
        "SELECT decision_id, reasoning, selected_endpoint FROM routing_decisions"
        " ORDER BY timestamp DESC",
    )
    shown = min(len(rows), 50)
    _open(page, dashboard, "decisions", '[data-testid="stDataFrame"]')
    page.get_by_text(f"decisions 1\u2013{shown}, newest first").wait_for()
    table = page.locator('[data-testid="stDataFrame"]').first
    assert table.locator("table").get_attribute("aria-rowcount") == str(shown + 1)  # + header
    newest, reasoning, endpoint = rows[0]
    assert newest in _grid_cells(table, column=2)  # column 0 selects the row

    box = page.get_by_label("Decision id")
    box.fill(newest)
    box.press("Enter")
    page.get_by_role("heading", name=f"Decision {newest}").wait_for()
    page.get_by_text("Candidates and their scores").wait_for()
    frames = page.locator('[data-testid="stDataFrame"]')
    frames.nth(1).wait_for(timeout=RENDER_TIMEOUT_S * 1000)  # the gateway gave the scores
    _settle(page)
    main = " ".join(page.locator('[data-testid="stMain"]').inner_text().split())
    assert " ".join(reasoning.split()) in main
    assert endpoint in _grid_cells(frames.nth(1), column=0)
    _screenshot(page, "decisions")


def test_cost_shows_the_saving(page: Page, dashboard: Dashboard) -> None:
    mecrouter = _query(
        dashboard.store, "SELECT COUNT(*) FROM routing_decisions WHERE policy = 'mecrouter'"
    )[0][0]
    _open(page, dashboard, "cost-savings", '[data-testid="stMetric"]')
    metrics = _metrics(page)
    assert re.fullmatch(r"-?\$-?[\d,]+\.\d{4}", metrics["Saved"]), metrics
    assert metrics["Requests"] == f"{mecrouter:,}", metrics
    _screenshot(page, "cost", charts=1)


def test_placement_shows_every_mec_node(page: Page, dashboard: Dashboard) -> None:
    nodes = {node.id for node in load_config().mec_nodes}
    assert nodes
    _open(page, dashboard, "placement-health", '[data-testid="stDataFrame"]')
    frame = page.locator('[data-testid="stDataFrame"]').first
    frame.locator('[data-testid^="glide-cell-0-"]').first.wait_for(state="attached")
    shown = set(_grid_cells(frame, column=0))
    assert nodes <= shown, f"placement shows {shown}, the config has {nodes}"
    _screenshot(page, "placement")


def test_whatif_gives_the_numbers_simulate_gives(
    page: Page, dashboard: Dashboard, tmp_path: Path
) -> None:
    out = tmp_path / "simulate"
    done = subprocess.run(
        [*mecrouter_command(), "simulate", "--scenario", "iot", "--requests", "200",
         "--seed", "1", "--fault", "none", "--out", str(out)],
        capture_output=True, text=True, timeout=WHATIF_TIMEOUT_S, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads((out / "results.json").read_text(encoding="utf-8"))
    ours = results["scenarios"][0]["policies"]["mecrouter"]["summary"]

    _open(page, dashboard, "what-if", '[data-testid="stForm"]')
    _choose(page, "Scenario", "iot")
    _choose(page, "Fault", "none")
    page.get_by_label("Requests per policy").fill("200")
    page.get_by_role("button", name="Run").click()
    page.get_by_text("Done in").wait_for(timeout=WHATIF_TIMEOUT_S * 1000)
    _settle(page)
    assert page.locator('[data-testid="stMain"] table').count() > 0
    row = _report_row(page, "p50 ms", "mecrouter")
    assert row["p50 ms"] == _fixed(ours["p50_ms"], 0), row
    assert row["success %"] == _fixed(ours["success_pct"], 1), row
    assert row["SLO met %"] == _fixed(ours["slo_pct"], 1), row
    _screenshot(page, "whatif")


def _choose(page: Page, label: str, option: str) -> None:
    page.locator('[data-testid="stSelectbox"]').filter(has_text=label).click()
    page.get_by_role("option", name=option, exact=True).click()
    assert page.get_by_role("combobox", name=label, exact=True).input_value() == option
