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
    assert "3 kept, 0 broken" in done.stdout


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


# --------------------------------------------------------------------------- stores by config

STORES_PACKAGE = PACKAGE / "stores"
# Modules that may still build a store class themselves, and why; each entry must still be needed.
STORE_CONSTRUCTION_EXEMPT: dict[str, set[str]] = {}


def _store_classes() -> set[str]:
    """The classes of `mecrouter.stores` that implement the Store contract (not the Protocol)."""
    found = set()
    for path in sorted(STORES_PACKAGE.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ClassDef):
                continue
            bases = {ast.unparse(base) for base in node.bases}
            methods = {
                item.name
                for item in node.body
                if isinstance(item, ast.FunctionDef | ast.AsyncFunctionDef)
            }
            if "write_decisions" in methods and not bases & {"Protocol", "typing.Protocol"}:
                found.add(node.name)
    return found


def _store_constructions(source: str, classes: set[str]) -> set[str]:
    """Store classes this source calls: ``SQLiteStore(...)``, ``stores.MemoryStore(...)`` or a
    constructor classmethod such as ``SQLiteStore.open(...)``."""
    found = set()
    for node in ast.walk(ast.parse(source)):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        named = {func.id} if isinstance(func, ast.Name) else set()
        if isinstance(func, ast.Attribute):
            named = {func.attr, ast.unparse(func.value).rsplit(".", 1)[-1]}
        found |= named & classes
    return found


def test_store_classes_are_found() -> None:
    assert {"SQLiteStore", "MemoryStore"} <= _store_classes()
    assert "Store" not in _store_classes() and "GroupCommit" not in _store_classes()


@pytest.mark.parametrize(
    ("source", "found"),
    [
        ("store = SQLiteStore(path)", {"SQLiteStore"}),
        ("store = stores.memory.MemoryStore()", {"MemoryStore"}),
        ("store = await SQLiteStore.open(path)", {"SQLiteStore"}),
        ("store = open_store(config.store)", set()),
        ("x: SQLiteStore | None = None", set()),  # naming the type is not building one
    ],
)
def test_the_store_rule_sees_calls_not_names(source: str, found: set[str]) -> None:
    assert _store_constructions(source, {"SQLiteStore", "MemoryStore"}) == found


def test_only_the_stores_package_constructs_a_store_class() -> None:
    """Faces open stores through `mecrouter.stores.open_store` (config `store:` or --store URL),
    so a new backend is a config change, never an edit to the gateway, demo or CLI."""
    classes = _store_classes()
    built = {
        str(path.relative_to(PACKAGE)): names
        for path in _sources()
        if not path.is_relative_to(STORES_PACKAGE)
        and (names := _store_constructions(path.read_text(encoding="utf-8"), classes))
    }
    assert built == STORE_CONSTRUCTION_EXEMPT
