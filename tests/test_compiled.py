"""`make fast` leaves compiled modules beside their sources: found, and warned about when stale."""

from __future__ import annotations

import os
import warnings
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

import pytest

from mecrouter.compiled import compiled, stale, warn_if_stale

SUFFIX = EXTENSION_SUFFIXES[0]


def _module(root: Path, name: str, *, so_age_s: float | None) -> None:
    """A source `name`.py, and (unless `so_age_s` is None) a compiled module that much older."""
    source = root / f"{name}.py"
    source.parent.mkdir(parents=True, exist_ok=True)
    source.write_text("x = 1\n")
    if so_age_s is not None:
        so = root / f"{name}{SUFFIX}"
        so.write_bytes(b"\x7fELF")
        t = source.stat().st_mtime
        os.utime(so, (t - so_age_s, t - so_age_s))


def test_compiled_modules_are_found_and_only_an_older_one_is_stale(tmp_path: Path) -> None:
    _module(tmp_path, "sim/engine", so_age_s=-10.0)  # compiled after its last edit
    _module(tmp_path, "agents/router", so_age_s=10.0)  # edited after it was compiled
    _module(tmp_path, "config", so_age_s=None)  # never compiled
    (tmp_path / f"orphan{SUFFIX}").write_bytes(b"")  # no source: not one of ours
    assert compiled(tmp_path) == ["agents/router.py", "sim/engine.py"]
    assert stale(tmp_path) == ["agents/router.py"]
    with pytest.warns(RuntimeWarning, match=r"agents/router\.py.*make fast.*make pure"):
        warn_if_stale(tmp_path)


def test_no_warning_when_nothing_is_stale(tmp_path: Path) -> None:
    _module(tmp_path, "sim/engine", so_age_s=-10.0)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        warn_if_stale(tmp_path)
