"""`mecrouter keys` and `mecrouter serve`'s start-up: secrets shown once, auth off only loudly."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any

import pytest
import uvicorn
from typer.testing import CliRunner

from mecrouter.gateway.auth import KeyStore, hash_secret
from mecrouter.gateway.topology import mecrouter_command

runner = CliRunner()


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [*mecrouter_command(), *args], capture_output=True, text=True, timeout=60, check=False
    )


def test_keys_create_list_revoke(tmp_path: Path) -> None:
    db = str(tmp_path / "keys.sqlite3")
    created = _cli("keys", "create", "--name", "game-backend", "--rpm", "120", "--keys-db", db)
    assert created.returncode == 0, created.stderr
    secret = created.stdout.strip()
    assert secret.startswith("mk-") and "shown once" in created.stderr
    with KeyStore(db) as store:
        [key] = store.list()
        assert store.verify(secret) is not None and key.rpm_limit == 120
    listed = _cli("keys", "list", "--keys-db", db)
    assert key.key_id in listed.stdout and "game-backend" in listed.stdout
    assert secret not in listed.stdout and hash_secret(secret) not in listed.stdout
    assert _cli("keys", "revoke", key.key_id, "--keys-db", db).returncode == 0
    with KeyStore(db) as store:
        assert store.verify(secret) is None
    assert "revoked" in _cli("keys", "list", "--keys-db", db).stdout


def test_bad_key_commands_fail_with_one_line_and_exit_2(tmp_path: Path) -> None:
    db = str(tmp_path / "keys.sqlite3")
    unknown = _cli("keys", "revoke", "mk_00000000", "--keys-db", db)
    assert unknown.returncode == 2 and "key_id" in unknown.stderr
    assert "Traceback" not in unknown.stderr
    bad = _cli("keys", "create", "--name", "x", "--rpm", "0", "--keys-db", db)
    assert bad.returncode == 2 and "rpm_limit" in bad.stderr and "Traceback" not in bad.stderr


@pytest.mark.parametrize(("flag", "warned"), [("--no-auth", True), (None, False)])
def test_serve_warns_loudly_only_when_auth_is_off(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, flag: str | None, warned: bool
) -> None:
    from mecrouter.cli import app

    started: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: started.update(kw))
    args = ["serve", "--port", "18999", "--keys-db", str(tmp_path / "k.sqlite3")]
    args += ["--db", str(tmp_path / "d.sqlite3")] + ([flag] if flag else [])
    result = runner.invoke(app, args)
    assert result.exit_code == 0, result.output
    assert ("authentication is DISABLED" in result.output) is warned
    assert started["host"] == "127.0.0.1" and started["port"] == 18999
