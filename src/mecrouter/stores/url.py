"""Store URLs, the command line's way to name a store: ``sqlite:///decisions.db``, ``memory://``.

The forms follow SQLAlchemy's: after ``sqlite:///`` comes the file's path, so three slashes give a
path relative to the working directory (``sqlite:///var/decisions.db``) and four an absolute one
(``sqlite:////srv/mecrouter/decisions.db``). ``sqlite:///:memory:`` is a private in-memory SQLite
database. ``dynamodb://prod-`` names the DynamoDB tables ``prod-RoutingDecisions`` and
``prod-ResourceMetrics``, with optional ``region``, ``endpoint_url``, ``outbox`` (a file, or
``none`` to write straight to DynamoDB) and ``create_tables`` as query parameters. A URL replaces
the config's `store:` section except for the settings a URL does not carry (``retention_days``),
which stay the section's.
"""

from __future__ import annotations

import os
import urllib.parse
from collections.abc import Callable, Mapping
from types import MappingProxyType
from typing import Any, Final

import pydantic

from mecrouter.config import StoreConfig
from mecrouter.errors import ConfigError

__all__ = ["STORE_URL_FORMS", "parse_store_url", "resolve_store", "sqlite_url"]

STORE_URL_FORMS: Final = (
    "sqlite:///relative/path.db",
    "sqlite:////absolute/path.db",
    "memory://",
    "dynamodb://[table-prefix][?region=R&...]",
)
"""The accepted forms, as error messages and help texts list them."""

_STORE_CONFIG: Final = pydantic.TypeAdapter[StoreConfig](StoreConfig)
_FIELD: Final = "store URL"


def _sqlite_fields(rest: str) -> dict[str, Any]:
    if not rest.startswith("/") or rest == "/":
        raise ValueError("a sqlite URL is sqlite:/// followed by the file's path")
    return {"path": rest[1:]}


def _memory_fields(rest: str) -> dict[str, Any]:
    if rest:
        raise ValueError("a memory URL is exactly memory:// (it has no path)")
    return {}


_DYNAMODB_OPTIONS: Final = ("region", "endpoint_url", "outbox", "create_tables")


def _dynamodb_fields(rest: str) -> dict[str, Any]:
    prefix, _, query = rest.partition("?")
    fields: dict[str, Any] = {"table_prefix": prefix}
    for name, value in urllib.parse.parse_qsl(query, keep_blank_values=True, strict_parsing=False):
        if name not in _DYNAMODB_OPTIONS:
            raise ValueError(f"unknown option {name!r} (known: {', '.join(_DYNAMODB_OPTIONS)})")
        fields[name] = None if name == "outbox" and value in ("", "none") else value
    if "create_tables" in fields:
        fields["create_tables"] = fields["create_tables"].lower() in ("1", "true", "yes")
    return fields


# Per backend name: the config fields its URL's remainder (after "scheme://") gives.
_URL_FIELDS: Final[Mapping[str, Callable[[str], dict[str, Any]]]] = MappingProxyType(
    {"sqlite": _sqlite_fields, "memory": _memory_fields, "dynamodb": _dynamodb_fields}
)


def _refuse(url: str, why: str) -> ConfigError:
    accepted = ", ".join(STORE_URL_FORMS)
    return ConfigError(_FIELD, f"{url!r}: {why}; accepted forms: {accepted}")


def parse_store_url(url: str, *, retention_days: float = 30.0) -> StoreConfig:
    """The `store:` section a URL stands for; `ConfigError` naming the accepted forms if bad."""
    scheme, sep, rest = url.partition("://")
    scheme = scheme.lower()  # URL schemes are case-insensitive
    if not sep:
        raise _refuse(url, "not a store URL")
    if scheme not in _URL_FIELDS:
        raise _refuse(url, f"no store backend is called {scheme!r}")
    try:
        fields = _URL_FIELDS[scheme](rest)
        raw = {"backend": scheme, **fields, "retention_days": retention_days}
        return _STORE_CONFIG.validate_python(raw)
    except pydantic.ValidationError as exc:
        message = exc.errors()[0]["msg"].removeprefix("Value error, ")
        raise _refuse(url, message) from None
    except ValueError as exc:
        raise _refuse(url, str(exc)) from None


def resolve_store(section: StoreConfig, url: str | None) -> StoreConfig:
    """The store to open: the config's section, or the URL when one is given (keeping the
    section's ``retention_days``)."""
    if url is None:
        return section
    return parse_store_url(url, retention_days=section.retention_days)


def sqlite_url(path: str | os.PathLike[str]) -> str:
    """The URL of the sqlite store at ``path`` (what a ``--db PATH`` option means)."""
    return "sqlite:///" + os.fspath(path)
