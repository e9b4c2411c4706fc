"""Where the measured data lives: the folder the simulator and the evaluations read.

The repository carries its data in ``data/`` (copied byte for byte from public sources; its
README gives each file's origin and licence). The first of these that is *given* is used:
an explicit folder (``--data``), then ``$MECROUTER_DATA``, then the package's own ``data/``
(a wheel built to carry it), then the ``data/`` of the checkout the package runs from. A given
folder that does not exist is an error rather than a silent fallback, so a typo never runs on
other data.
"""

from __future__ import annotations

import os
from pathlib import Path

from mecrouter.errors import ConfigError

__all__ = ["ENV_VAR", "data_dir"]

ENV_VAR = "MECROUTER_DATA"
_PACKAGE = Path(__file__).resolve().parent
# A folder is taken for the data when it holds this file (the data README lists every file).
_MARKER = "README.md"


def _defaults() -> list[tuple[str, Path]]:
    """The package's own data, then the data/ of the checkout (the folder with pyproject.toml)."""
    found = [("package data", _PACKAGE / "data")]
    for parent in _PACKAGE.parents:
        if (parent / "pyproject.toml").is_file():
            found.append(("checkout data", parent / "data"))
            break
    return found


def data_dir(explicit: str | Path | None = None) -> Path:
    """The measured-data folder: ``explicit``, ``$MECROUTER_DATA`` or the project's ``data/``."""
    if explicit is not None:
        candidates = [("argument", Path(explicit))]
    elif os.environ.get(ENV_VAR):
        candidates = [(f"${ENV_VAR}", Path(os.environ[ENV_VAR]))]
    else:
        candidates = [(how, path) for how, path in _defaults() if (path / _MARKER).is_file()]
    for _, path in candidates:
        if path.is_dir():
            return path
    tried = ", ".join(f"{how} {path}" for how, path in candidates) or ", ".join(
        f"{how} {path}" for how, path in _defaults()
    )
    raise ConfigError(
        "data",
        f"measured-data folder not found (tried: {tried}); pass --data or set {ENV_VAR}",
    )
