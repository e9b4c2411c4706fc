"""Which of mecrouter's modules run compiled (`make fast`: mypyc) and whether any is stale.

A compiled module is a `.so` beside its `.py` source, and Python loads it instead of the source.
Edit the source without compiling again and the old code would still run: `stale` finds such
modules, and importing mecrouter warns about them.
"""

from __future__ import annotations

import warnings
from importlib.machinery import EXTENSION_SUFFIXES
from pathlib import Path

__all__ = ["compiled", "stale", "warn_if_stale"]

_PACKAGE = Path(__file__).resolve().parent


def _pairs(root: Path) -> list[tuple[Path, Path]]:
    """(compiled module, its source) for every compiled module under `root`."""
    out = []
    for suffix in EXTENSION_SUFFIXES:
        for so in root.rglob(f"*{suffix}"):
            source = so.with_name(so.name[: -len(suffix)] + ".py")
            if source.exists():
                out.append((so, source))
    return sorted(out)


def compiled(root: Path = _PACKAGE) -> list[str]:
    """The modules under `root` that run compiled, as paths of their sources relative to it."""
    return [source.relative_to(root).as_posix() for _, source in _pairs(root)]


def stale(root: Path = _PACKAGE) -> list[str]:
    """The compiled modules whose source changed after they were compiled."""
    return [
        source.relative_to(root).as_posix()
        for so, source in _pairs(root)
        if source.stat().st_mtime > so.stat().st_mtime
    ]


def warn_if_stale(root: Path = _PACKAGE) -> None:
    old = stale(root)
    if old:
        warnings.warn(
            f"compiled modules older than their sources, so the old code runs: {', '.join(old)}; "
            "run `make fast` to compile them again or `make pure` to run the sources",
            RuntimeWarning,
            stacklevel=2,
        )
