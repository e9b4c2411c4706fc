"""benchmarks/make_decision_store.py writes a file that the real SQLiteStore reads as its own.

The script is not part of the package, so it is loaded from its path beside the tests.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.util
import json
import sqlite3
import sys
from pathlib import Path
from types import ModuleType

import pytest

from mecrouter.config import load_config
from mecrouter.stores.sqlite import SQLiteStore
from mecrouter.types import DecisionRecord, PrivacyLevel

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "make_decision_store.py"
ROWS = 3_000
DAYS = 2.0
END = 1_700_000_000.0
TIERS = {"device", "mec", "cloud"}


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("make_decision_store", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


mds = _script()


@pytest.fixture(scope="module")
def store_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("store") / "decisions.sqlite"
    seen: list[int] = []
    assert mds.make_store(path, ROWS, DAYS, seed=7, end=END, progress=seen.append) == path
    assert seen and seen[-1] == ROWS and seen == sorted(seen)
    return path


async def _read(path: Path, limit: int) -> tuple[int, list[DecisionRecord]]:
    async with await SQLiteStore.open(path) as store:
        return await store.count_decisions(), await store.query_decisions(limit=limit)


def _schema(path: Path) -> tuple[list[tuple[str, str, str | None]], int, str]:
    with contextlib.closing(sqlite3.connect(path)) as conn:
        sql = "SELECT name, tbl_name, sql FROM sqlite_master WHERE type = 'index' ORDER BY name"
        indexes = conn.execute(sql).fetchall()
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    return indexes, version, mode


def test_the_real_store_reads_every_row_newest_first(store_path: Path) -> None:
    count, newest = asyncio.run(_read(store_path, 5))
    assert count == ROWS
    assert len(newest) == 5 and all(isinstance(r, DecisionRecord) for r in newest)
    stamps = [r.timestamp for r in newest]
    assert stamps == sorted(stamps, reverse=True)
    _, everything = asyncio.run(_read(store_path, ROWS))
    assert newest[0].timestamp == max(r.timestamp for r in everything)
    assert all(END - DAYS * 86_400 <= r.timestamp <= END for r in everything)
    assert len({r.request_id for r in everything}) == ROWS
    assert len({r.decision_id for r in everything}) == ROWS


def test_the_rows_keep_the_routers_rules(store_path: Path) -> None:
    config = load_config(None)
    endpoints = {ep.id: ep for ep in config.endpoints}
    _, records = asyncio.run(_read(store_path, ROWS))
    assert {r.selected_tier for r in records} == TIERS
    assert not [r for r in records if r.privacy_level == "regulated" and r.actual_tier == "cloud"]
    for r in records:
        ep = endpoints[r.selected_endpoint]
        assert (r.selected_tier, r.selected_model) == (ep.tier.value, ep.model)
        assert set(r.fallback_options) <= TIERS - {r.selected_tier}
        if not r.success:
            assert r.error and r.actual_endpoint == "" and not r.slo_met
            continue
        answered = endpoints[r.actual_endpoint]
        assert config.privacy.admits(PrivacyLevel(r.privacy_level), answered.privacy_ceiling)
        assert (r.fallbacks_used > 0) == (r.actual_tier != r.selected_tier)
        if not r.cache_hit:
            price = answered.price.cost_usd(r.input_tokens, r.output_tokens)
            assert r.cost_usd == pytest.approx(price)
            metric = r.latency_ms if r.use_case == "iot" else r.ttft_ms
            assert r.slo_met == (metric <= r.slo_ms)
    share = {k: sum(getattr(r, k) for r in records) / ROWS for k in ("success", "cache_hit")}
    assert 0.95 < share["success"] < 0.995 and 0.02 < share["cache_hit"] < 0.09


def test_the_file_has_the_stores_own_indexes_and_version(store_path: Path, tmp_path: Path) -> None:
    fresh = tmp_path / "fresh.sqlite"
    asyncio.run(_read(fresh, 0))  # opening creates the schema
    made, fresh_schema = _schema(store_path), _schema(fresh)
    assert made == fresh_schema
    assert made[2] == "wal"
    with contextlib.closing(sqlite3.connect(store_path)) as conn:
        raw = conn.execute("SELECT fallback_options, success FROM routing_decisions").fetchall()
    assert all(isinstance(json.loads(options), list) and ok in (0, 1) for options, ok in raw)


def test_the_same_seed_draws_the_same_rows(tmp_path: Path) -> None:
    a = mds.make_store(tmp_path / "a.sqlite", 200, 1.0, seed=3, end=END)
    b = mds.make_store(tmp_path / "b.sqlite", 200, 1.0, seed=3, end=END)
    assert asyncio.run(_read(a, 200)) == asyncio.run(_read(b, 200))


def test_an_existing_file_is_refused_unless_forced(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "taken.sqlite"
    out.write_text("keep me")
    assert mds.main([str(out), "--rows", "10"]) == 2
    assert "exists" in capsys.readouterr().err and out.read_text() == "keep me"
    with pytest.raises(FileExistsError):
        mds.make_store(out, 10, 1.0, seed=0)
    assert mds.main([str(out), "--rows", "10", "--force", "--seed", "1"]) == 0
    assert "10 synthetic decisions" in capsys.readouterr().err
    assert asyncio.run(_read(out, 0))[0] == 10
