"""`mecrouter serve --store URL`: the gateway records every decision into the store the URL names
(and `--db PATH` is its alias), overriding the config's `store:` section."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
import yaml
from typer.testing import CliRunner

from mecrouter.config import load_config
from mecrouter.stores import MemoryStore, SQLiteStore

PHONE = {"device_id": "phone-7", "memory_mb": 8192, "local_models": ["llama-3.2-1b-instruct"]}
CHAT = {
    "model": "auto",
    "max_tokens": 4,
    "messages": [{"role": "user", "content": "Greet the player at the tavern door."}],
    "routing": {"device": PHONE},
}


def _served_app(argv: list[str], monkeypatch: pytest.MonkeyPatch) -> Any:
    """The ASGI app `mecrouter serve ...` would run (uvicorn is not started), and its output."""
    from mecrouter.cli import app

    started: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda asgi, **kw: started.update(app=asgi, **kw))
    result = CliRunner().invoke(app, ["serve", "--no-auth", *argv])
    assert result.exit_code == 0, result.output
    return started["app"].app, result.output  # inside the BodyTimeout wrapper


async def _one_decision(app: Any) -> tuple[str, Any]:
    """Serve one chat completion; the decision id, and the store it was recorded in."""
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            r = await client.post("/v1/chat/completions", json=CHAT)
            assert r.status_code == 200, r.text
            decision_id = r.headers["x-mecrouter-decision-id"]
            store = app.state.gw.router.store
            record = await store.get_decision(decision_id)
            assert record is not None and record.success
            assert await store.count_decisions() == 1
    return decision_id, store


async def test_store_memory_records_in_memory_and_writes_no_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app, output = _served_app(["--store", "memory://"], monkeypatch)
    assert "decisions: memory" in " ".join(output.split())
    _, store = await _one_decision(app)
    assert isinstance(store, MemoryStore)
    assert list(tmp_path.iterdir()) == []  # not even the default sqlite file


@pytest.mark.parametrize("option", ["--store", "--db"])
async def test_store_sqlite_url_or_db_records_into_that_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, option: str
) -> None:
    monkeypatch.chdir(tmp_path)
    value = "sqlite:///records/d.sqlite3" if option == "--store" else "records/d.sqlite3"
    app, _ = _served_app([option, value], monkeypatch)
    decision_id, store = await _one_decision(app)
    assert isinstance(store, SQLiteStore)
    with sqlite3.connect(tmp_path / "records" / "d.sqlite3") as db:  # relative to the cwd
        rows = db.execute("SELECT decision_id FROM routing_decisions").fetchall()
    assert rows == [(decision_id,)]
    assert not (tmp_path / "mecrouter-decisions.sqlite3").exists()


async def test_the_url_overrides_the_configs_store_section(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    raw = load_config().model_dump(mode="json", exclude_none=True)
    raw["store"] = {"backend": "sqlite", "path": "from-config.sqlite3", "retention_days": 2}
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(raw), encoding="utf-8")
    absolute = tmp_path / "abs" / "from-url.sqlite3"
    app, _ = _served_app(["--config", str(config), "--store", f"sqlite:///{absolute}"], monkeypatch)
    _, store = await _one_decision(app)
    assert store.path == str(absolute) and store.retention_s == 2 * 86_400.0
    assert absolute.is_file() and not (tmp_path / "from-config.sqlite3").exists()


async def test_without_a_url_the_configs_store_section_is_used(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    raw = load_config().model_dump(mode="json", exclude_none=True)
    raw["store"] = {"backend": "memory"}
    config = tmp_path / "config.yaml"
    config.write_text(yaml.safe_dump(raw), encoding="utf-8")
    app, _ = _served_app(["--config", str(config)], monkeypatch)
    _, store = await _one_decision(app)
    assert isinstance(store, MemoryStore)
    assert [p.name for p in tmp_path.iterdir()] == ["config.yaml"]
