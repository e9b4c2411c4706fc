"""The config's sections for where records, metrics and shared state go: `store:`, `aws:` and
`state:`.

Part of `mecrouter.config`, which re-exports every name here; kept apart so that neither module
outgrows the 500-line limit.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any, Literal, get_args

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator

__all__ = [
    "STORE_BACKENDS",
    "AwsConfig",
    "CloudWatchConfig",
    "DynamoDBStoreConfig",
    "EventBridgeConfig",
    "MemoryStoreConfig",
    "SQLiteStoreConfig",
    "SharedStateConfig",
    "StoreConfig",
]

_STRICT = ConfigDict(extra="forbid", frozen=True)


class SQLiteStoreConfig(BaseModel):
    """Decision records in one SQLite file (WAL), which several gateway processes may share."""

    model_config = _STRICT
    backend: Literal["sqlite"] = "sqlite"
    # None: the command's own default file (`mecrouter-decisions.sqlite3` in the working
    # directory; the demo's `decisions.sqlite3` in its --out folder). ":memory:" is allowed.
    path: str | None = None
    retention_days: float = Field(default=30.0, gt=0.0)  # what `purge_expired` keeps

    @field_validator("path")
    @classmethod
    def _a_file_path(cls, path: str | None) -> str | None:
        if path is None:
            return None
        if not path.strip():
            raise ValueError("the path is empty: give a file, or leave `path` out")
        if "\x00" in path:
            raise ValueError("the path contains a NUL character")
        if path.endswith(("/", "\\")) or Path(path).name in ("", ".", ".."):
            raise ValueError(f"{path!r} names a folder; give a file such as decisions.sqlite3")
        return path


class MemoryStoreConfig(BaseModel):
    """Decision records in the process's memory: lost when it stops (tests, demos, dry runs)."""

    model_config = _STRICT
    backend: Literal["memory"] = "memory"
    retention_days: float = Field(default=30.0, gt=0.0)


class DynamoDBStoreConfig(BaseModel):
    """Decision records in DynamoDB (RoutingDecisions, ResourceMetrics), through a local outbox.

    Each record is committed to the ``outbox`` SQLite file (WAL) before the request is answered
    and shipped to DynamoDB in the background, so a slow or unreachable DynamoDB delays records
    but never loses one; `outbox: null` writes straight to DynamoDB (a Lambda function, whose
    disk does not outlive it).
    """

    model_config = _STRICT
    backend: Literal["dynamodb"] = "dynamodb"
    # Tables `<prefix>RoutingDecisions` and `<prefix>ResourceMetrics` (e.g. "prod-").
    table_prefix: str = Field(default="", max_length=200, pattern=r"^[A-Za-z0-9_.-]*$")
    region: str | None = None  # None: AWS_REGION, else AWS_DEFAULT_REGION, the profile
    endpoint_url: str | None = None  # None: AWS's (or AWS_ENDPOINT_URL_DYNAMODB)
    outbox: str | None = "mecrouter-outbox.sqlite3"
    create_tables: bool = False  # create missing tables (on-demand); production: the CDK app
    max_concurrency: int = Field(default=16, ge=1, le=256)  # threads and pooled connections
    retention_days: float = Field(default=30.0, gt=0.0)  # also the records' TTL attribute

    @field_validator("outbox")
    @classmethod
    def _outbox_file(cls, path: str | None) -> str | None:
        return SQLiteStoreConfig._a_file_path(path)


_STORE_MODELS = (SQLiteStoreConfig, MemoryStoreConfig, DynamoDBStoreConfig)
STORE_BACKENDS: tuple[str, ...] = tuple(
    get_args(m.model_fields["backend"].annotation)[0] for m in _STORE_MODELS
)
"""The store backends a config may name; `mecrouter.stores.STORES` has a factory for each."""


def _known_store_backend(raw: Any) -> Any:
    """Name an unknown backend with the known ones; a section without `backend` is sqlite."""
    if not isinstance(raw, dict):
        return raw
    backend = raw.get("backend", "sqlite")
    if backend not in STORE_BACKENDS:
        known = ", ".join(STORE_BACKENDS)
        raise ValueError(f"backend: unknown store backend {backend!r} (known: {known})")
    return {**raw, "backend": backend}


StoreConfig = Annotated[
    SQLiteStoreConfig | MemoryStoreConfig | DynamoDBStoreConfig,
    Field(discriminator="backend"),
    BeforeValidator(_known_store_backend),
]
"""The `store:` section: where decision records go. A new backend adds its model here and its
factory to `mecrouter.stores.STORES`."""


class CloudWatchConfig(BaseModel):  # the Monitor's metrics, aggregated, sent every interval
    model_config = ConfigDict(extra="forbid", frozen=True, regex_engine="python-re")
    enabled: bool = False
    namespace: str = Field(default="mecrouter", max_length=255, pattern=r"^(?!AWS/)[^:]")
    interval_s: float = Field(default=60.0, gt=0.0, le=3_600.0)
    endpoint_url: str | None = None  # None: AWS's (or AWS_ENDPOINT_URL_CLOUDWATCH)


class EventBridgeConfig(BaseModel):  # circuit changes and anomalies, source "mecrouter"
    model_config = _STRICT
    enabled: bool = False
    bus: str = Field(default="default", min_length=1, max_length=1_600)  # a name or an ARN
    interval_s: float = Field(default=1.0, gt=0.0, le=300.0)  # how often queued events are sent
    anomaly_check_s: float = Field(default=10.0, gt=0.0)  # how often the Monitor is asked
    endpoint_url: str | None = None  # None: AWS's (or AWS_ENDPOINT_URL_EVENTBRIDGE)


class AwsConfig(BaseModel):  # what the gateway publishes to AWS, off unless enabled (docs/aws.md)
    model_config = _STRICT
    region: str | None = None  # None: AWS_REGION, else AWS_DEFAULT_REGION, the profile
    cloudwatch: CloudWatchConfig = Field(default_factory=CloudWatchConfig)
    eventbridge: EventBridgeConfig = Field(default_factory=EventBridgeConfig)


_STATE_SCHEMES = ("redis://", "rediss://", "unix://")


class SharedStateConfig(BaseModel):
    """Where gateway replicas share rate limits, spend, circuits and revocations: a Redis URL,
    or None for each process's own memory, the embedded default (docs/operations.md)."""

    model_config = _STRICT
    url: str | None = None  # redis://host:6379/0, rediss:// (TLS) or unix:///path?db=0
    prefix: str = Field(default="mecrouter:", max_length=100, pattern=r"^[A-Za-z0-9_.:-]*$")
    # A Redis call slower than this is given up and the local state answers instead ...
    timeout_ms: float = Field(default=100.0, gt=0.0, le=10_000.0)
    # ... and Redis is not asked again for this long, so an outage costs one timeout a second.
    retry_after_s: float = Field(default=1.0, gt=0.0, le=60.0)
    # How often circuits and revocations are read from Redis.
    sync_interval_ms: float = Field(default=250.0, ge=10.0, le=5_000.0)

    @field_validator("url")
    @classmethod
    def _a_redis_url(cls, url: str | None) -> str | None:
        if url is not None and not url.startswith(_STATE_SCHEMES):
            schemes = ", ".join(_STATE_SCHEMES)
            raise ValueError(f"{url!r} is not a Redis URL (it starts with one of {schemes})")
        return url
