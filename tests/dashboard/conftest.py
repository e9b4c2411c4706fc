"""Streamlit's AppTest runs each script as `__main__` and leaves it there: put the real one back
after each test, or processes spawned later (the store's writer test) cannot import it."""

from __future__ import annotations

import sys

import pytest


@pytest.fixture(autouse=True)
def _keep_main(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "__main__", sys.modules["__main__"])
