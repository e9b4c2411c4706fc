"""The store as the dashboard reads it: SQL aggregates equal the same sums over the rows, filters
in SQL equal the same filters in Python (what DynamoDB's source applies), and the file is only
ever read."""

from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest
from seeded import ROWS, seed_store

from mecrouter.dashboard.source import (
    DashboardError,
    DecisionFilter,
    SqliteSource,
    bucket_rows,
    matches,
    open_source,
)
from mecrouter.dashboard.summary import CloudPrice, cloud_only_savings


@pytest.fixture(scope="module")
def store(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("src") / "decisions.sqlite3"
    seed_store(path)
    return path


def _all_rows(source: SqliteSource) -> list[dict[str, object]]:
    newest = source.newest_timestamp()
    assert newest is not None
    return source.window(newest - 3600, newest + 1, ("*", "tier", "model")).rows


@pytest.mark.parametrize("group", ["tier", "use_case", "model", "policy"])
def test_sql_buckets_equal_the_sums_over_the_rows(store: Path, group: str) -> None:
    source = SqliteSource(store)
    rows = _all_rows(source)
    since = min(float(r["timestamp"]) for r in rows)  # type: ignore[arg-type]
    in_sql = source.buckets(since, since + 3600, 7.0, group)
    in_python = bucket_rows(rows, since, 7.0, group)
    assert len(in_sql) == len(in_python)
    for a, b in zip(in_sql, in_python, strict=True):
        assert (a["bucket"], a["grp"]) == (b["bucket"], b["grp"])
        for key in ("requests", "cost_usd", "input_tokens", "successes", "fallbacks"):
            assert a[key] == pytest.approx(b[key]), key


@pytest.mark.parametrize(
    "flt",
    [
        DecisionFilter(tiers=("cloud",)),
        DecisionFilter(outcome="failure"),
        DecisionFilter(outcome="fallback", use_cases=("healthcare",)),
        DecisionFilter(models=("llama-3.2-1b-instruct",), user_id="user-1"),
    ],
)
def test_sql_filters_equal_the_python_filters(store: Path, flt: DecisionFilter) -> None:
    source = SqliteSource(store)
    in_sql = [r["decision_id"] for r in source.page(flt, 0, 1000)]
    in_python = [r["decision_id"] for r in _all_rows(source) if matches(r, flt)]
    assert in_sql == in_python and in_sql


def test_pages_do_not_overlap(store: Path) -> None:
    source = SqliteSource(store)
    first = [r["decision_id"] for r in source.page(DecisionFilter(), 0, 10)]
    second = [r["decision_id"] for r in source.page(DecisionFilter(), 10, 10)]
    assert len(first) == len(second) == 10 and not set(first) & set(second)


def test_an_unknown_outcome_is_refused_by_name() -> None:
    with pytest.raises(DashboardError, match="outcome must be one of"):
        DecisionFilter(outcome="maybe").where()


def test_reading_never_writes_the_file(store: Path) -> None:
    before = hashlib.sha256(store.read_bytes()).hexdigest()
    source = open_source(f"sqlite:///{store}")
    _all_rows(source)  # type: ignore[arg-type]
    source.facets()
    assert hashlib.sha256(store.read_bytes()).hexdigest() == before


def test_savings_price_every_recorded_token_at_the_cloud_price() -> None:
    price = CloudPrice("cloud-x", "x", per_1k_input_usd=0.001, per_1k_output_usd=0.004)
    buckets = [
        {"requests": 2, "cost_usd": 0.001, "input_tokens": 1000, "output_tokens": 500},
        {"requests": 1, "cost_usd": 0.0, "input_tokens": 500, "output_tokens": 0},
    ]
    s = cloud_only_savings(buckets, price)
    assert s.requests == 3
    assert s.cloud_only_usd == pytest.approx(0.0015 + 0.002)
    assert s.saving_usd == pytest.approx(0.0035 - 0.001)
    assert s.saving_share == pytest.approx((0.0035 - 0.001) / 0.0035)


def test_the_command_refuses_a_missing_store_before_starting(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-c", "from mecrouter.cli import main; main()", "dashboard", "--store",
         str(tmp_path / "none.db")],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    assert done.returncode == 2
    assert "no store at" in done.stderr and "Traceback" not in done.stderr


def test_rows_of_the_seeded_store(store: Path) -> None:
    assert len(SqliteSource(store).page(DecisionFilter(), 0, 1000)) == len(ROWS) + 4


def test_gateway_totals_sum_the_counters_over_their_labels() -> None:
    from mecrouter.dashboard.summary import gateway_totals

    samples = [
        ("mecrouter_requests_total", {"tier": "mec", "outcome": "success"}, 7.0),
        ("mecrouter_requests_total", {"tier": "cloud", "outcome": "error"}, 2.0),
        ("mecrouter_requests_created", {"tier": "mec", "outcome": "success"}, 1.7e9),
        ("mecrouter_fallbacks_total", {}, 3.0),
        ("mecrouter_cost_usd_total", {"tier": "cloud"}, 0.25),
        ("mecrouter_cost_usd_total", {"tier": "mec"}, 0.5),
    ]
    totals = gateway_totals(samples)
    assert (totals.requests, totals.failed, totals.fallbacks) == (9.0, 2.0, 3.0)
    assert totals.spend_usd == 0.75 and totals.http_errors == 0.0
