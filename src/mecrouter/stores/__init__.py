"""Record stores, looked up by config name: ``open_store("sqlite", "var/mecrouter.db")``.

Add a store by writing a class that satisfies ``Store`` and a factory in ``STORES``; the pipeline
never names a store class. Stores with heavy dependencies (boto3, redis) import them inside their
factory so that importing this package stays cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType

from mecrouter.errors import ConfigError
from mecrouter.stores.base import Store
from mecrouter.stores.group_commit import GroupCommit
from mecrouter.stores.memory import MemoryStore
from mecrouter.stores.sqlite import SQLiteStore

__all__ = [
    "STORES",
    "GroupCommit",
    "MemoryStore",
    "SQLiteStore",
    "Store",
    "StoreFactory",
    "open_store",
]

StoreFactory = Callable[[str | None, float], Store]
"""Builds a store from a path (None when the config gives none) and a retention in days."""


def _sqlite(path: str | None, retention_days: float) -> Store:
    if not path:
        raise ConfigError("store.path", "the sqlite store needs a file path (or ':memory:')")
    return SQLiteStore(path, retention_days=retention_days)


def _memory(path: str | None, retention_days: float) -> Store:
    del path  # nothing to open: the records live in this process
    return MemoryStore(retention_days=retention_days)


STORES: Mapping[str, StoreFactory] = MappingProxyType({"sqlite": _sqlite, "memory": _memory})


def open_store(kind: str, path: str | None = None, *, retention_days: float = 30.0) -> Store:
    """The store named ``kind`` in config; no I/O happens until its first call."""
    try:
        factory = STORES[kind]
    except KeyError:
        known = ", ".join(sorted(STORES))
        raise ConfigError("store", f"unknown store kind {kind!r} (known: {known})") from None
    return factory(path, retention_days)
