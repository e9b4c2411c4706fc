"""The IAM policies of docs/aws.md name the actions the code calls, and nothing more.

Every AWS part (the DynamoDB store, S3 reports and models, Secrets Manager keys, CloudWatch and
EventBridge publishers) runs once against moto's server while botocore's calls are recorded; each
call's IAM action must be granted in the documented policies (or, for the store's optional table
creation, in its documented table), and every action those policies grant must be one the code
called, except the few that only a condition the test cannot reach needs (named below). The
Bedrock policy has its own test (tests/gateway/test_bedrock_iam.py).
"""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

sys.path.insert(0, str(Path(__file__).parent.parent / "stores"))
from records import decision, metric

pytest.importorskip("boto3")
import botocore.client

from mecrouter.aws.clients import aws_client
from mecrouter.aws.cloudwatch import CloudWatchPublisher
from mecrouter.aws.eventbridge import CircuitChange, EventBridgePublisher
from mecrouter.aws.s3 import cached_download, check_bucket, parse_s3_url, upload_folder
from mecrouter.aws.secrets import RefreshingSecret
from mecrouter.stores.dynamodb import DynamoDBStore
from moto_fixtures import Moto

DOC = Path(__file__).resolve().parents[2] / "docs" / "aws.md"
# The IAM action an operation needs, where it is not the operation's own name.
ACTION_OF = {
    "s3:HeadBucket": "s3:ListBucket",
    "s3:HeadObject": "s3:GetObject",
    "s3:CreateMultipartUpload": "s3:PutObject",
    "s3:UploadPart": "s3:PutObject",
    "s3:CompleteMultipartUpload": "s3:PutObject",
}
PREFIX_OF = {"monitoring": "cloudwatch"}  # CloudWatch signs as "monitoring"
# Granted for cases this test does not reach: a versioned bucket, an upload that fails midway.
ONLY_CONDITIONAL = {"s3:GetObjectVersion", "s3:AbortMultipartUpload"}


@pytest.fixture
def called(monkeypatch: pytest.MonkeyPatch) -> Iterator[set[str]]:
    actions: set[str] = set()
    make_call = botocore.client.BaseClient._make_api_call

    def recording(client: Any, operation: str, params: Any) -> Any:
        service = client.meta.service_model.signing_name
        name = f"{PREFIX_OF.get(service, service)}:{operation}"
        actions.add(ACTION_OF.get(name, name))
        return make_call(client, operation, params)

    monkeypatch.setattr(botocore.client.BaseClient, "_make_api_call", recording)
    yield actions


def _documented() -> tuple[set[str], set[str]]:
    """(actions the JSON policies grant, other actions named in the page's tables)."""
    text = DOC.read_text()
    granted: set[str] = set()
    for block in re.findall(r"```json\n(.*?)```", text, re.DOTALL):
        for statement in json.loads(block).get("Statement", ()):  # other JSON: events
            action = statement["Action"]
            granted.update([action] if isinstance(action, str) else action)
    named = set(re.findall(r"`([a-z0-9-]+:[A-Za-z]+)`", text))
    return granted, named - granted


async def _exercise_dynamodb(moto: Moto) -> None:
    store = DynamoDBStore(table_prefix="iam-", endpoint_url=moto.url, create_tables=True)
    await store.write_decisions([decision("a", feedback_score=-1.0)])
    await store.write_metrics([metric()])
    await store.set_feedback("d-a", 0.5)
    await store.get_decision("d-a")
    await store.query_decisions(user_id="alice")
    await store.query_decisions(since=0.0, until=2_000.0)
    await store.count_decisions()
    await store.query_metrics("mec:mec-1/llama")
    await store.purge_expired(now=1e12)
    await store.aclose()


def _exercise_s3(moto: Moto, tmp_path: Path) -> None:
    client = aws_client("s3", endpoint_url=moto.url)
    report = tmp_path / "report"
    report.mkdir()
    (report / "summary.md").write_text("# report\n")
    (report / "big.bin").write_bytes(b"\0" * (9 * 1024 * 1024))  # multipart above 8 MB
    out = parse_s3_url("s3://reports/run-1/", field="--out")
    check_bucket(out, field="--out", client=client)
    upload_folder(report, out, field="--out", client=client)
    cached_download(
        "s3://reports/run-1/summary.md", field="quality.model_path", cache_dir=tmp_path / "c",
        client=client,
    )  # fmt: skip


async def _exercise_monitoring(moto: Moto) -> None:
    metrics = CloudWatchPublisher(aws_client("cloudwatch", endpoint_url=moto.url))
    metrics.observe(decision("m"))
    await metrics.flush()
    events = EventBridgePublisher(aws_client("events", endpoint_url=moto.url))
    events.put(CircuitChange("mec-1", "mec", "CLOSED", "OPEN", 1.0e9))
    await events.flush()


async def test_the_documented_policies_grant_what_the_code_calls_and_no_more(
    moto: Moto, tmp_path: Path, called: set[str]
) -> None:
    setup = aws_client("s3", endpoint_url=moto.url)
    setup.create_bucket(
        Bucket="reports", CreateBucketConfiguration={"LocationConstraint": "eu-west-2"}
    )
    aws_client("secretsmanager", endpoint_url=moto.url).create_secret(
        Name="prod/vllm", SecretString='{"api_key": "k"}'
    )
    called.clear()

    await _exercise_dynamodb(moto)
    _exercise_s3(moto, tmp_path)
    secret = RefreshingSecret(
        "prod/vllm#api_key",
        field="endpoints[0].api_key_secret",
        client=aws_client("secretsmanager", endpoint_url=moto.url),
    )
    assert secret.load() == "k"
    await _exercise_monitoring(moto)

    granted, named = _documented()
    granted = {a for a in granted if not a.startswith("bedrock:")}
    # create_tables: true only; the docs' table names them, the JSON policy leaves them out
    optional = {"dynamodb:CreateTable", "dynamodb:DescribeTable", "dynamodb:UpdateTimeToLive"}
    assert optional <= named
    assert called - granted - optional == set(), "called but not granted"
    assert granted - called - ONLY_CONDITIONAL == set(), "granted but never called"
    assert {"dynamodb:PutItem", "s3:PutObject", "events:PutEvents"} <= called  # it did run
