"""Record stores, opened by config: ``open_store(config.store)`` or ``open_store("memory://")``.

The `store:` section of the config (`mecrouter.config.StoreConfig`) names a backend; `STORES` maps
each backend name to the factory that builds it, and a ``--store URL`` on the command line
(`resolve_store`) replaces the section. The faces (gateway, demo, CLI) never name a store class.

To add a backend: a class that satisfies ``Store``, its settings model in the config's
`StoreConfig` union, its factory here, and its URL form in `stores.url`. Stores with heavy
dependencies (boto3, redis) import them inside their factory so that importing this package stays
cheap.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Final

from mecrouter.config import (
    DynamoDBStoreConfig,
    MemoryStoreConfig,
    SQLiteStoreConfig,
    StoreConfig,
)
from mecrouter.errors import ConfigError
from mecrouter.stores.base import Store
from mecrouter.stores.group_commit import GroupCommit
from mecrouter.stores.memory import MemoryStore
from mecrouter.stores.outbox import OutboxStore
from mecrouter.stores.sqlite import SQLiteStore
from mecrouter.stores.url import STORE_URL_FORMS, parse_store_url, resolve_store, sqlite_url

__all__ = [
    "DEFAULT_SQLITE_PATH",
    "STORES",
    "STORE_URL_FORMS",
    "GroupCommit",
    "MemoryStore",
    "OutboxStore",
    "SQLiteStore",
    "Store",
    "StoreFactory",
    "check_store",
    "describe_store",
    "open_store",
    "parse_store_url",
    "resolve_store",
    "sqlite_url",
    "start_store",
]

LOCAL_COPY_DAYS: Final = 1.0
"""How long the dynamodb store's outbox file keeps its copies of shipped records (for reads of
this node's recent decisions) before its shipper drops them."""
DEFAULT_SQLITE_PATH: Final = "mecrouter-decisions.sqlite3"
"""The sqlite store's file when the config gives no `path`: in the working directory."""

StoreFactory = Callable[[StoreConfig], Store]
"""Builds a store from its `store:` section; no I/O happens until the store's first call."""


def _sqlite(settings: StoreConfig) -> Store:
    if not isinstance(settings, SQLiteStoreConfig):
        raise TypeError(f"the sqlite factory got {settings.backend} settings")
    path = settings.path or DEFAULT_SQLITE_PATH
    return SQLiteStore(path, retention_days=settings.retention_days)


def _memory(settings: StoreConfig) -> Store:
    if not isinstance(settings, MemoryStoreConfig):
        raise TypeError(f"the memory factory got {settings.backend} settings")
    return MemoryStore(retention_days=settings.retention_days)


def _dynamodb(settings: StoreConfig) -> Store:
    if not isinstance(settings, DynamoDBStoreConfig):
        raise TypeError(f"the dynamodb factory got {settings.backend} settings")
    check_store(settings)
    from mecrouter.stores.dynamodb import DynamoDBStore

    remote = DynamoDBStore(
        table_prefix=settings.table_prefix,
        region=settings.region,
        endpoint_url=settings.endpoint_url,
        retention_days=settings.retention_days,
        max_concurrency=settings.max_concurrency,
        create_tables=settings.create_tables,
    )
    if settings.outbox is None:
        return remote
    local_days = min(LOCAL_COPY_DAYS, settings.retention_days)
    local = SQLiteStore(settings.outbox, retention_days=local_days, outbox=True)
    return OutboxStore(local, remote)


STORES: Mapping[str, StoreFactory] = MappingProxyType(
    {"sqlite": _sqlite, "memory": _memory, "dynamodb": _dynamodb}
)


def open_store(settings: StoreConfig | str) -> Store:
    """The store a `store:` section (or a store URL, see `parse_store_url`) describes.

    Raises `ConfigError` for an unknown backend or a bad URL. The caller owns the store and
    closes it (``await store.aclose()``).
    """
    if isinstance(settings, str):
        settings = parse_store_url(settings)
    try:
        factory = STORES[settings.backend]
    except KeyError:
        known = ", ".join(sorted(STORES))
        raise ConfigError(
            "store.backend", f"unknown store backend {settings.backend!r} (known: {known})"
        ) from None
    return factory(settings)


def check_store(settings: StoreConfig) -> None:
    """What opening the store would refuse, found without opening it or touching the network:
    the dynamodb store without boto3, or with no AWS region anywhere (`ConfigError`)."""
    if not isinstance(settings, DynamoDBStoreConfig):
        return
    try:
        from mecrouter.aws.clients import aws_client
        from mecrouter.stores.dynamodb import DynamoDBStore  # noqa: F401
    except ImportError as exc:
        raise ConfigError(
            "store.backend", "the dynamodb store needs boto3: pip install 'mecrouter[aws]'"
        ) from exc
    aws_client("dynamodb", region=settings.region, endpoint_url=settings.endpoint_url)


async def start_store(store: Store) -> None:
    """Start a store's background work, if it has any (the outbox store's shipper, which then
    ships what an earlier run left); a long-lived face calls this once it runs."""
    start = getattr(store, "start", None)
    if start is not None:
        await start()


def describe_store(settings: StoreConfig) -> str:
    """Where the records go, for a person: ``sqlite file x.db`` or ``memory (lost at exit)``."""
    if isinstance(settings, SQLiteStoreConfig):
        return f"sqlite file {settings.path or DEFAULT_SQLITE_PATH}"
    if isinstance(settings, MemoryStoreConfig):
        return "memory (records are lost when the process stops)"
    if isinstance(settings, DynamoDBStoreConfig):
        where = f"dynamodb tables {settings.table_prefix}RoutingDecisions, ResourceMetrics"
        return where + (f" through outbox {settings.outbox}" if settings.outbox else "")
    return str(settings.backend)
