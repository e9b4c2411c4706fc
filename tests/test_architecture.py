"""The layout keeps the architecture visible: layered imports, no cycles, small pieces.

The layering and acyclicity contracts live in pyproject.toml (`[tool.importlinter]`) and are
checked by import-linter; the size rules (STYLE.md: modules <= 500 lines, functions <= 60) are
checked here, and each failure lists every offender.
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGE = ROOT / "src" / "mecrouter"
MAX_MODULE_LINES = 500
MAX_FUNCTION_LINES = 60


def _sources() -> list[Path]:
    return sorted(PACKAGE.rglob("*.py"))


def _long_functions(source: str) -> list[tuple[str, int, int]]:
    """(name, first line, length) of every function longer than the limit, nested ones too."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef):
            length = (node.end_lineno or node.lineno) - node.lineno + 1
            if length > MAX_FUNCTION_LINES:
                found.append((node.name, node.lineno, length))
    return found


def test_the_import_contracts_hold() -> None:
    lint = Path(sys.executable).with_name("lint-imports")
    done = subprocess.run(
        [str(lint), "--config", str(ROOT / "pyproject.toml"), "--no-cache"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stdout[-4000:] + done.stderr[-2000:]
    assert "2 kept, 0 broken" in done.stdout


def test_no_module_is_over_the_line_limit() -> None:
    sources = _sources()
    assert len(sources) > 40  # the package was found
    long = {
        str(path.relative_to(PACKAGE)): n
        for path in sources
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_MODULE_LINES
    }
    assert long == {}


def test_no_function_is_over_the_line_limit() -> None:
    long = {
        f"{path.relative_to(PACKAGE)}:{line} {name}": length
        for path in _sources()
        for name, line, length in _long_functions(path.read_text(encoding="utf-8"))
    }
    assert long == {}


@pytest.mark.parametrize(
    ("body_lines", "flagged"), [(MAX_FUNCTION_LINES - 1, False), (MAX_FUNCTION_LINES, True)]
)
def test_the_function_rule_counts_from_def_to_the_last_line(body_lines: int, flagged: bool) -> None:
    source = "def f():\n" + "    x = 1\n" * body_lines
    assert bool(_long_functions(source)) is flagged
