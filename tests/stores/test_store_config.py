"""The `store:` section and store URLs: validated like the rest of the config, one registry."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from mecrouter.config import (
    STORE_BACKENDS,
    MemoryStoreConfig,
    SQLiteStoreConfig,
    load_config,
)
from mecrouter.errors import ConfigError
from mecrouter.stores import (
    STORE_URL_FORMS,
    STORES,
    MemoryStore,
    SQLiteStore,
    open_store,
    parse_store_url,
    resolve_store,
    sqlite_url,
)

_BASE: dict[str, Any] = load_config().model_dump(mode="json", exclude={"store"})


def _load(**top: Any) -> Any:
    return load_config({**_BASE, **top})


def _error(**top: Any) -> ConfigError:
    with pytest.raises(ConfigError) as info:
        _load(**top)
    return info.value


def test_the_shipped_config_records_to_sqlite_at_the_default_file() -> None:
    assert load_config().store == SQLiteStoreConfig(path=None, retention_days=30.0)
    assert _load().store == SQLiteStoreConfig()  # a config without the section: the same


@pytest.mark.parametrize(
    ("section", "expected"),
    [
        ({"backend": "memory"}, MemoryStoreConfig()),
        ({"backend": "memory", "retention_days": 2}, MemoryStoreConfig(retention_days=2.0)),
        ({"backend": "sqlite", "path": "var/d.db"}, SQLiteStoreConfig(path="var/d.db")),
        ({"path": "/srv/d.db"}, SQLiteStoreConfig(path="/srv/d.db")),  # sqlite when unnamed
        ({"path": ":memory:"}, SQLiteStoreConfig(path=":memory:")),
    ],
)
def test_a_store_section_is_read(section: dict[str, Any], expected: object) -> None:
    assert _load(store=section).store == expected


def test_an_unknown_backend_is_an_error_listing_the_known_ones() -> None:
    err = _error(store={"backend": "postgres", "table": "records"})
    assert err.field == "store"
    assert "backend" in err.message and "'postgres'" in err.message
    assert "known: sqlite, memory, dynamodb" in err.message


def test_a_dynamodb_section_names_its_misspelt_field() -> None:
    err = _error(store={"backend": "dynamodb", "table": "records"})
    assert err.field == "store.dynamodb.table"


@pytest.mark.parametrize(
    ("path", "why"),
    [
        ("", "empty"),
        ("   ", "empty"),
        ("var/", "names a folder"),
        ("var/..", "names a folder"),
        ("a\x00b.db", "NUL"),
    ],
)
def test_a_bad_sqlite_path_is_an_error_naming_the_field(path: str, why: str) -> None:
    err = _error(store={"backend": "sqlite", "path": path})
    assert err.field == "store.sqlite.path" and why in err.message


@pytest.mark.parametrize(
    ("section", "field"),
    [
        ({"backend": "memory", "path": "d.db"}, "store.memory.path"),  # memory has no file
        ({"backend": "sqlite", "path": "d.db", "table": "x"}, "store.sqlite.table"),
        ({"backend": "sqlite", "retention_days": 0}, "store.sqlite.retention_days"),
    ],
)
def test_a_field_a_backend_does_not_have_or_a_bad_value_is_an_error(
    section: dict[str, Any], field: str
) -> None:
    assert _error(store=section).field == field


def test_the_old_top_level_retention_days_sets_the_stores() -> None:
    assert _load(retention_days=7).store == SQLiteStoreConfig(retention_days=7.0)
    err = _error(retention_days=7, store={"retention_days": 3})
    assert "store.retention_days" in err.message


def test_every_backend_the_config_accepts_has_a_factory_and_a_url_form() -> None:
    assert set(STORES) == set(STORE_BACKENDS)
    assert {form.split("://")[0] for form in STORE_URL_FORMS} == set(STORE_BACKENDS)


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("sqlite:///decisions.db", SQLiteStoreConfig(path="decisions.db")),
        ("sqlite:///var/run/d.sqlite3", SQLiteStoreConfig(path="var/run/d.sqlite3")),
        ("sqlite:////srv/mecrouter/d.db", SQLiteStoreConfig(path="/srv/mecrouter/d.db")),
        ("sqlite:///:memory:", SQLiteStoreConfig(path=":memory:")),
        ("SQLite:///d.db", SQLiteStoreConfig(path="d.db")),  # schemes ignore case
        ("memory://", MemoryStoreConfig()),
    ],
)
def test_a_store_url_names_a_section(url: str, expected: object) -> None:
    assert parse_store_url(url) == expected


@pytest.mark.parametrize("path", ["d.db", "var/d.db", "/srv/d.db"])
def test_sqlite_url_round_trips_relative_and_absolute_paths(path: str) -> None:
    assert parse_store_url(sqlite_url(Path(path))) == SQLiteStoreConfig(path=path)


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("decisions.db", "not a store URL"),
        ("postgres://db/records", "no store backend is called 'postgres'"),
        ("sqlite://", "followed by the file's path"),
        ("sqlite:///", "followed by the file's path"),
        ("sqlite://host/d.db", "followed by the file's path"),
        ("sqlite:///var/", "names a folder"),
        ("memory:///d.db", "has no path"),
        ("", "not a store URL"),
    ],
)
def test_a_bad_store_url_is_an_error_naming_the_accepted_forms(url: str, why: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_store_url(url)
    assert info.value.field == "store URL" and why in info.value.message
    assert all(form in info.value.message for form in STORE_URL_FORMS)


def test_a_url_replaces_the_section_but_keeps_its_retention() -> None:
    section = SQLiteStoreConfig(path="config.db", retention_days=3.0)
    assert resolve_store(section, None) is section
    assert resolve_store(section, "memory://") == MemoryStoreConfig(retention_days=3.0)
    assert resolve_store(section, "sqlite:///url.db") == SQLiteStoreConfig(
        path="url.db", retention_days=3.0
    )


@pytest.mark.parametrize(
    ("settings", "kind"),
    [(MemoryStoreConfig(retention_days=2.0), MemoryStore), ("sqlite:///:memory:", SQLiteStore)],
)
async def test_open_store_builds_the_named_backend_with_its_retention(
    settings: MemoryStoreConfig | str, kind: type[MemoryStore] | type[SQLiteStore]
) -> None:
    store = open_store(settings)
    assert isinstance(store, kind)
    expected_s = (2.0 if kind is MemoryStore else 30.0) * 86_400.0
    assert store.retention_s == expected_s
    await store.aclose()
