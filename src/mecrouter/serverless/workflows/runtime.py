"""What every task handler shares: the environment, the config, the store, S3 as JSON, and the
two kinds of failure a workflow tells apart.

A handler raises `TransientWorkflowError` when trying again may help (AWS throttled, a 5xx,
unreachable, the store failing): the workflow retries it with backoff. It raises
`WorkflowInputError` when it cannot (an object missing or refused, a malformed input, a bad
config): the workflow records the error at once. Clients are made once per process (a warm
Lambda reuses them) by `mecrouter.aws.clients.aws_client`, so ``AWS_ENDPOINT_URL`` applies.
"""

from __future__ import annotations

import functools
import json
import os
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any, Final

from botocore.exceptions import (
    BotoCoreError,
    ClientError,
    ConnectionClosedError,
    ConnectTimeoutError,
    EndpointConnectionError,
    ReadTimeoutError,
)

from mecrouter.aws.clients import aws_client
from mecrouter.config import Config, DynamoDBStoreConfig, load_config
from mecrouter.errors import ConfigError, StoreError
from mecrouter.serverless.config_source import config_path
from mecrouter.stores import Store, open_store, parse_store_url

__all__ = [
    "CONFIG_ENV",
    "EVENT_BUS_ENV",
    "REPORTS_BUCKET_ENV",
    "STORE_URL_ENV",
    "TIME_SCALE_ENV",
    "TransientWorkflowError",
    "WorkflowInputError",
    "client",
    "epoch_of",
    "event_bus",
    "get_bytes",
    "get_json",
    "mapping",
    "open_workflow_store",
    "put_bytes",
    "put_json",
    "reports_bucket",
    "time_scale",
    "translated",
    "workflow_config",
]

STORE_URL_ENV: Final = "MECROUTER_STORE_URL"
REPORTS_BUCKET_ENV: Final = "MECROUTER_REPORTS_BUCKET"
CONFIG_ENV: Final = "MECROUTER_CONFIG"
EVENT_BUS_ENV: Final = "MECROUTER_EVENT_BUS"
TIME_SCALE_ENV: Final = "MECROUTER_TIME_SCALE"

_TRANSIENT_CODES: Final = frozenset(
    {
        "SlowDown",
        "Throttling",
        "ThrottlingException",
        "ThrottledException",
        "TooManyRequestsException",
        "ProvisionedThroughputExceededException",
        "RequestLimitExceeded",
        "RequestTimeout",
        "InternalError",
        "InternalFailure",
        "InternalException",
        "ServiceUnavailable",
        "ServiceUnavailableException",
    }
)
_UNREACHABLE: Final = (
    EndpointConnectionError,
    ConnectTimeoutError,
    ReadTimeoutError,
    ConnectionClosedError,
)


class TransientWorkflowError(Exception):
    """Worth trying again: the workflows retry an error of this class name (`TRANSIENT_ERROR`)
    with backoff."""


class WorkflowInputError(Exception):
    """Trying again will not help: a bad input, a missing or refused object, a bad config."""


@contextmanager
def translated(doing: str) -> Iterator[None]:
    """Turn boto3's and the store's errors inside the block into the two workflow errors,
    saying what was being done."""
    try:
        yield
    except ClientError as exc:
        error = exc.response.get("Error", {})
        code = str(error.get("Code", ""))
        status = int(exc.response.get("ResponseMetadata", {}).get("HTTPStatusCode") or 0)
        message = f"{doing}: {code} {error.get('Message', '')}".rstrip()
        if code in _TRANSIENT_CODES or status >= 500 or status == 429:
            raise TransientWorkflowError(message) from exc
        raise WorkflowInputError(message) from exc
    except _UNREACHABLE as exc:
        raise TransientWorkflowError(f"{doing}: {exc}") from exc
    except BotoCoreError as exc:
        raise WorkflowInputError(f"{doing}: {type(exc).__name__}: {exc}") from exc
    except StoreError as exc:
        raise TransientWorkflowError(f"{doing}: {exc}") from exc
    except ConfigError as exc:
        raise WorkflowInputError(f"{doing}: {exc}") from exc


# --------------------------------------------------------------------------- environment


def _env(name: str) -> str | None:
    return os.environ.get(name) or None


def reports_bucket() -> str:
    """``MECROUTER_REPORTS_BUCKET``; a `WorkflowInputError` if the function was not given it."""
    bucket = _env(REPORTS_BUCKET_ENV)
    if bucket is None:
        raise WorkflowInputError(f"{REPORTS_BUCKET_ENV} is not set")
    return bucket


def event_bus() -> str:
    """``MECROUTER_EVENT_BUS``, else the account's default bus."""
    return _env(EVENT_BUS_ENV) or "default"


def time_scale() -> float:
    raw = _env(TIME_SCALE_ENV) or "1.0"
    try:
        scale = float(raw)
    except ValueError:
        raise WorkflowInputError(f"{TIME_SCALE_ENV}={raw!r} is not a number") from None
    if not 0.0 < scale <= 100.0:
        raise WorkflowInputError(f"{TIME_SCALE_ENV}={raw!r} is not in (0, 100]")
    return scale


@functools.lru_cache(maxsize=4)
def _config_at(value: str | None) -> Config:
    return load_config(config_path(value))


def workflow_config() -> Config:
    """The config of ``MECROUTER_CONFIG``, else the packaged default (read once per process)."""
    with translated("reading the config"):
        return _config_at(_env(CONFIG_ENV))


def open_workflow_store(required: bool) -> Store:
    """The store of ``MECROUTER_STORE_URL``, written straight to (no outbox: Lambda's disk goes
    with the function); an in-memory store when unset, unless ``required``."""
    url = _env(STORE_URL_ENV)
    if url is None:
        if required:
            raise WorkflowInputError(f"{STORE_URL_ENV} is not set")
        return open_store("memory://")
    with translated(f"opening the store {STORE_URL_ENV}"):
        settings = parse_store_url(url)
        if isinstance(settings, DynamoDBStoreConfig):
            settings = settings.model_copy(update={"outbox": None})
        return open_store(settings)


def mapping(value: Any) -> dict[str, Any]:
    """``value`` if it is a JSON object, else an empty one (a part of an input left out)."""
    return value if isinstance(value, dict) else {}


def epoch_of(iso: str) -> float:
    """Seconds since the epoch of an ISO 8601 time (``$$.Execution.StartTime``)."""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        raise WorkflowInputError(f"{iso!r} is not an ISO 8601 time") from None
    return (moment if moment.tzinfo else moment.replace(tzinfo=UTC)).timestamp()


# --------------------------------------------------------------------------- clients and S3


@functools.lru_cache(maxsize=16)
def _client(service: str, region: str | None, endpoint: str | None) -> Any:
    return aws_client(service, max_pool_connections=16)


def client(service: str) -> Any:
    """This process's client for ``service`` (a new one if the region or endpoint changed)."""
    endpoint = _env(f"AWS_ENDPOINT_URL_{service.upper()}") or _env("AWS_ENDPOINT_URL")
    return _client(service, _env("AWS_REGION"), endpoint)


def get_bytes(bucket: str, key: str, **arguments: Any) -> tuple[bytes, dict[str, Any]]:
    """An object's body (or a ``Range`` of it) and its metadata (``ETag``...)."""
    with translated(f"reading s3://{bucket}/{key}"):
        response = client("s3").get_object(Bucket=bucket, Key=key, **arguments)
        body: bytes = response["Body"].read()
    return body, response


def get_json(bucket: str, key: str) -> Any:
    body, _ = get_bytes(bucket, key)
    try:
        return json.loads(body)
    except ValueError:
        raise WorkflowInputError(f"s3://{bucket}/{key} is not JSON") from None


def put_bytes(bucket: str, key: str, body: bytes, content_type: str) -> None:
    with translated(f"writing s3://{bucket}/{key}"):
        client("s3").put_object(Bucket=bucket, Key=key, Body=body, ContentType=content_type)


def put_json(bucket: str, key: str, document: Any) -> None:
    body = json.dumps(document, indent=1, sort_keys=True, allow_nan=False).encode("utf-8")
    put_bytes(bucket, key, body, "application/json")
