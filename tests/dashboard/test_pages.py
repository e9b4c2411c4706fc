"""Each page's logic under Streamlit's AppTest, against a seeded store whose numbers are known
(`seeded.ROWS`): what the page shows is checked against what the store holds."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from seeded import ROWS, seed_store
from streamlit.testing.v1 import AppTest

from mecrouter.config import load_config
from mecrouter.dashboard.views.cost import cloud_prices

TIMEOUT_S = 30


def _page(store: str, name: str, *extra: str) -> None:
    import importlib

    from mecrouter.dashboard.views.context import context_from_args, guarded

    module = importlib.import_module(f"mecrouter.dashboard.views.{name}")
    guarded(module.draw, context_from_args(["--store", store, *extra]))


def _run(store: Path | str, name: str, *extra: str) -> AppTest:
    at = AppTest.from_function(_page, args=(str(store), name, *extra), default_timeout=TIMEOUT_S)
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def _metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("dash") / "decisions.sqlite3"
    seed_store(path)
    return path


def test_live_shows_the_stores_counts_rates_and_spend(store: Path) -> None:
    at = _run(store, "live")
    shown = _metrics(at)
    n = len(ROWS) + 4  # the baseline's decisions count on the Live page too
    assert shown["Decisions"] == f"{n:,}"
    successes = sum(r[5] for r in ROWS) + 4  # the baseline's rows copy ROWS[-1], a success
    assert shown["Success"] == f"{successes / n:.1%}"
    spend = sum(r[7] for r in ROWS) + 4 * ROWS[-1][7]
    assert shown["Spend"] == f"${spend:,.4f}"
    [table] = at.table
    frame = table.value
    gaming_device = frame[(frame["use case"] == "gaming") & (frame.tier == "device")]
    latencies = [r[4] for r in ROWS if r[0] == "device"]
    assert gaming_device["p50 ms"].iloc[0] == round(np.percentile(latencies, 50))
    assert gaming_device["p95 ms"].iloc[0] == round(np.percentile(latencies, 95))
    assert gaming_device["SLO ms"].iloc[0] == 200


def test_decisions_pages_newest_first_and_shows_one_in_full(store: Path) -> None:
    at = _run(store, "decisions")
    [table] = at.dataframe
    assert len(table.value) == len(ROWS) + 4
    assert list(table.value.decision_id[:2]) == ["dec-mecrouter-0", "dec-cloud-only-0"]
    at.text_input(key="decision_id").input("dec-mecrouter-3").run()
    assert not at.exception
    assert "reason 3: device meets the gaming SLO" in [t.value for t in at.text]
    shown = [m.value for m in at.markdown]
    assert any("`device-llama-1b`" in m and "`mec` → `cloud`" in m for m in shown)
    assert any("open with `--gateway URL`" in c.value for c in at.caption)


def test_decisions_filter_by_tier_and_outcome(store: Path) -> None:
    at = _run(store, "decisions")
    at.multiselect(key="f_tier").set_value(["cloud"]).run()
    at.selectbox(key="f_outcome").set_value("failed").run()
    [table] = at.dataframe
    assert list(table.value.decision_id) == ["dec-mecrouter-20"]


def test_cost_prices_the_cloud_only_counterfactual_from_recorded_tokens(store: Path) -> None:
    at = _run(store, "cost")
    shown = _metrics(at)
    assert at.selectbox(key="cost_policy").value == "mecrouter"
    assert shown["Requests"] == f"{len(ROWS):,}"
    assert shown["Spent"] == f"${sum(r[7] for r in ROWS):,.4f}"
    price = next(p for p in cloud_prices(load_config()) if p.model == "amazon.nova-lite-v1:0")
    assert at.selectbox(key="cost_cloud").value == price  # the cloud model most answered
    cloud = sum(r[8] * price.per_1k_input_usd + r[9] * price.per_1k_output_usd for r in ROWS) / 1000
    assert shown["Cloud-only would cost"] == f"${cloud:,.4f}"
    assert any("Assumptions" in c.value for c in at.caption)


def test_an_empty_store_explains_how_to_fill_it(tmp_path: Path) -> None:
    path = tmp_path / "empty.sqlite3"
    _empty(path)
    for page in ("live", "decisions", "cost"):
        at = _run(path, page)
        assert any("make demo" in i.value for i in at.info), page


def _empty(path: Path) -> None:
    import asyncio

    from mecrouter.stores.sqlite import SQLiteStore

    async def create() -> None:
        store = await SQLiteStore.open(path)
        await store.aclose()

    asyncio.run(create())


def test_a_missing_store_is_a_message_not_a_traceback(tmp_path: Path) -> None:
    at = _run(tmp_path / "nowhere.sqlite3", "live")
    [error] = at.error
    assert "no store at" in error.value and "make demo" in error.value


def test_placement_without_a_gateway_says_how_to_connect_one(store: Path) -> None:
    at = _run(store, "placement")
    assert any("--gateway" in i.value for i in at.info)


def test_a_gateway_that_does_not_answer_is_a_message(store: Path) -> None:
    at = _run(store, "placement", "--gateway", "http://127.0.0.1:9")
    [error] = at.error
    assert "does not answer" in error.value


def test_what_if_runs_in_the_background_and_then_shows_the_report(
    store: Path, tmp_path: Path
) -> None:
    import time

    at = _run(store, "whatif_page", "--runs-dir", str(tmp_path / "runs"))
    assert "iot" in at.selectbox(key="wi_scenario").options
    at.selectbox(key="wi_scenario").set_value("iot")
    at.number_input(key="wi_requests").set_value(60)
    at.selectbox(key="wi_fault").set_value("none")
    at.multiselect(key="wi_policies").set_value(["mecrouter", "cloud-only"])
    at.button[0].click().run()
    assert not at.exception
    run = at.session_state["whatif_run"]
    deadline = time.monotonic() + 60
    while run.running and time.monotonic() < deadline:
        time.sleep(0.1)
    assert run.error is None and run.report is not None
    at.run()
    assert any("Done in" in s.value for s in at.success)
    shown = "\n".join(m.value for m in at.markdown)
    assert "mecrouter" in shown and "cloud-only" in shown and "|" in shown  # the report's tables
    assert (tmp_path / "runs").is_dir()
