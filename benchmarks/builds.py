"""The compiled build of this tree, for benchmarks that compare it with the pure sources."""

from __future__ import annotations

import hashlib
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def compiled_tree() -> Path:
    """A copy of this tree's `src/` with `make fast`'s modules compiled by mypyc, built once per
    source hash under `.bench-cache/`."""
    modules = subprocess.run(
        ["make", "-s", "-C", str(ROOT), "fast-list"], check=True, capture_output=True, text=True
    ).stdout.split()
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes())
    for path in sorted((ROOT / "src").rglob("*.py")):
        digest.update(str(path.relative_to(ROOT)).encode() + path.read_bytes())
    tree = ROOT / ".bench-cache" / f"fast-{digest.hexdigest()[:16]}"
    if not (tree / "built").exists():
        shutil.rmtree(tree, ignore_errors=True)
        shutil.copytree(
            ROOT / "src", tree / "src", ignore=shutil.ignore_patterns("*.so", "__pycache__")
        )
        shutil.copy2(ROOT / "pyproject.toml", tree)
        mypyc = Path(sys.executable).with_name("mypyc")
        print(f"\nbuilding {len(modules)} modules with mypyc in {tree} (several minutes)")
        subprocess.run(
            [str(mypyc), "--config-file", "pyproject.toml", *modules],
            cwd=tree, check=True, capture_output=True,
        )  # fmt: skip
        (tree / "built").touch()
    return tree / "src"
