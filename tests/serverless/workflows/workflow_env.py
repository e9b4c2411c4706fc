"""The workflow tests' fixture and helpers: moto's server (S3, DynamoDB, EventBridge, SQS) with the
handlers' environment pointing at it, and each workflow's tasks as local functions behind fake
Lambda ARNs, for `asl_local.LocalStateMachine` to call."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable, Mapping
from typing import Any

import pytest

from mecrouter.aws.clients import aws_client
from mecrouter.serverless.workflows import TaskSpec
from mecrouter.stores.dynamodb import DynamoDBStore
from moto_fixtures import REGION, Moto

BUCKET = "mecrouter-reports"
TABLE_PREFIX = "wf-"
ACCOUNT = "123456789012"


def fake_arn(name: str) -> str:
    return f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:{name}"


def arns_of(tasks: tuple[TaskSpec, ...]) -> dict[str, str]:
    return {spec.name: fake_arn(spec.name) for spec in tasks}


def resolve(dotted: str) -> Callable[..., Any]:
    """The function a Lambda handler string names (``module.function``), as Lambda finds it."""
    module, _, name = dotted.rpartition(".")
    handler = getattr(importlib.import_module(module), name)
    assert callable(handler), dotted
    return handler  # type: ignore[no-any-return]


def handlers_of(
    tasks: tuple[TaskSpec, ...], replace: Mapping[str, Callable[..., Any]] | None = None
) -> dict[str, Callable[..., Any]]:
    """ARN -> handler for every task; ``replace`` swaps some (by task name) for test doubles."""
    replace = replace or {}
    return {fake_arn(s.name): replace.get(s.name) or resolve(s.handler) for s in tasks}


@pytest.fixture
def aws(moto: Moto, monkeypatch: pytest.MonkeyPatch) -> Moto:
    """moto with the reports bucket and the store's tables, and the handlers' environment."""
    store_url = f"dynamodb://{TABLE_PREFIX}?region={REGION}&endpoint_url={moto.url}&outbox=none"
    monkeypatch.setenv("AWS_ENDPOINT_URL", moto.url)
    monkeypatch.setenv("MECROUTER_STORE_URL", store_url)
    monkeypatch.setenv("MECROUTER_REPORTS_BUCKET", BUCKET)
    monkeypatch.setenv("MECROUTER_TIME_SCALE", "0.01")
    monkeypatch.delenv("MECROUTER_CONFIG", raising=False)
    monkeypatch.delenv("MECROUTER_EVENT_BUS", raising=False)
    s3(moto).create_bucket(Bucket=BUCKET, CreateBucketConfiguration={"LocationConstraint": REGION})
    store = dynamodb_store(moto, create_tables=True)
    asyncio.run(_ensure(store))
    return moto


async def _ensure(store: DynamoDBStore) -> None:
    await store.ensure_tables()
    await store.aclose()


def dynamodb_store(moto: Moto, *, create_tables: bool = False) -> DynamoDBStore:
    return DynamoDBStore(
        table_prefix=TABLE_PREFIX,
        region=REGION,
        endpoint_url=moto.url,
        create_tables=create_tables,
    )


def s3(moto: Moto) -> Any:
    return aws_client("s3", endpoint_url=moto.url, max_attempts=1)
