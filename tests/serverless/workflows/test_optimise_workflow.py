"""The optimisation loop end to end: decisions in DynamoDB (moto's server, over HTTP) analysed,
a placement planned and published as EventBridge events (a rule delivers them to an SQS queue
the test reads), the run recorded in S3; an empty plan skips the publishing."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from asl_local import Execution, LocalStateMachine
from workflow_env import BUCKET, arns_of, dynamodb_store, handlers_of, s3

from mecrouter.aws.clients import aws_client
from mecrouter.serverless.workflows import OPTIMISATION_TASKS, optimisation_definition
from mecrouter.serverless.workflows.optimise import DETAIL_TYPE, record_key
from mecrouter.types import DecisionRecord
from moto_fixtures import Moto

NOW = 1_767_229_200.0  # 2026-01-01T01:00:00Z
WARM = ("mec-man-1", "mec-man-mixtral", "mixtral-8x7b-instruct")  # configured, not hot
HOT = ("mec-lon-1", "mec-lon-mistral-7b", "mistral-7b-instruct")


def decision(i: int, at: float, endpoint: str, model: str, tier: str = "mec") -> DecisionRecord:
    return DecisionRecord(
        request_id=f"r{i}",
        timestamp=at,
        user_id="u1",
        decision_id=f"d{i}",
        use_case="gaming",
        policy="mecrouter",
        selected_tier=tier,
        selected_model=model,
        selected_endpoint=endpoint,
        confidence_score=0.8,
        reasoning="test",
        fallback_options=[],
        estimated_latency_ms=100.0,
        estimated_cost_usd=0.0001,
        slo_ms=500.0,
        privacy_level="public",
        complexity_score=0.3,
        success=True,
        slo_met=True,
        actual_tier=tier,
        actual_model=model,
        actual_endpoint=endpoint,
        latency_ms=120.0 + i,
        cost_usd=0.0001,
    )


def seed(moto: Moto, records: list[DecisionRecord]) -> None:
    async def write() -> None:
        store = dynamodb_store(moto)
        try:
            await store.write_decisions(records)
        finally:
            await store.aclose()

    asyncio.run(write())


@pytest.fixture
def inbox(aws: Moto) -> Any:
    """Every placement event on the default bus lands in a queue; the result drains it."""
    sqs = aws_client("sqs", endpoint_url=aws.url)
    events = aws_client("events", endpoint_url=aws.url)
    url = sqs.create_queue(QueueName="placement")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    pattern = {"source": ["mecrouter"], "detail-type": [DETAIL_TYPE]}
    events.put_rule(Name="placement", EventPattern=json.dumps(pattern))
    events.put_targets(Rule="placement", Targets=[{"Id": "q", "Arn": arn["QueueArn"]}])

    def drain() -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        for _ in range(20):  # bounded: 200 messages at most
            got = sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages")
            if not got:
                break
            out += [json.loads(m["Body"]) for m in got]
            handles = [m["ReceiptHandle"] for m in got]
            entries = [{"Id": str(i), "ReceiptHandle": h} for i, h in enumerate(handles)]
            sqs.delete_message_batch(QueueUrl=url, Entries=entries)
        return out

    return drain


def run_loop(trigger: dict[str, Any]) -> Execution:
    definition = optimisation_definition(arns_of(OPTIMISATION_TASKS))
    machine = LocalStateMachine(definition, handlers_of(OPTIMISATION_TASKS))
    return machine.run(trigger, name="opt-1", start="2026-01-01T01:00:05.000Z")


def read_json(moto: Moto, key: str) -> Any:
    return json.loads(s3(moto).get_object(Bucket=BUCKET, Key=key)["Body"].read())


def test_usage_of_a_warm_model_is_planned_published_and_recorded(aws: Moto, inbox: Any) -> None:
    node, endpoint, model = WARM
    records = [decision(i, NOW - 600 + i, endpoint, model) for i in range(12)]
    records += [decision(100 + i, NOW - 300, HOT[1], HOT[2]) for i in range(3)]
    records += [decision(200, NOW - 7200, "mec-lon-mixtral", "mixtral-8x7b-instruct")]  # too old
    cloud = ("cloud-nova-lite", "amazon.nova-lite-v1:0", "cloud")
    records += [decision(300 + i, NOW - 60, *cloud) for i in range(5)]
    seed(aws, records)
    run = run_loop({"now": NOW, "window_s": 3600})
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    assert run.visited == [
        "AnalyseMonitor", "RecommendPlacement", "AnyActions", "ApplyPlacement",
        "RecordOptimisation",
    ]  # fmt: skip
    assert run.output["record_key"] == record_key(NOW, "opt-1")
    assert run.output["record_key"] == "optimisation/2026/01/01/010000Z-opt-1.json"
    record = read_json(aws, run.output["record_key"])
    assert record["analysis"]["decisions"] == 20  # the old one is outside the hour
    assert {"node_id": node, "model": model, "uses": 12} in record["analysis"]["usage"]
    patterns = record["analysis"]["patterns"]
    shares = {p["target"]: p["count"] for p in patterns if p["kind"] == "tier_share"}
    assert shares == {"mec": 15, "cloud": 5}
    actions = record["plan"]["actions"]
    assert {"action": "load", "node_id": node, "model": model, "uses": 12} in actions
    assert record["plan"]["action_count"] == len(actions) and not record["skipped_apply"]
    assert record["applied"]["published"] == len(actions)
    events = inbox()
    assert len(events) == len(actions)
    assert all(e["detail-type"] == DETAIL_TYPE and e["source"] == "mecrouter" for e in events)
    details = sorted((e["detail"]["action_id"], e["detail"]["model"]) for e in events)
    assert details == sorted((f"opt-1:{i}", a["model"]) for i, a in enumerate(actions))


def test_an_empty_plan_skips_publishing(aws: Moto, inbox: Any) -> None:
    seed(aws, [decision(i, NOW - 100, HOT[1], HOT[2]) for i in range(4)])  # already hot
    run = run_loop({"version": "0", "detail-type": "Scheduled Event", "source": "aws.events"})
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    assert "ApplyPlacement" not in run.visited and run.visited[-1] == "RecordOptimisation"
    record = read_json(aws, run.output["record_key"])
    assert record["plan"]["action_count"] == 0 and record["skipped_apply"]
    assert record["run"]["window_end"] == 1_767_229_205.0  # the execution's start time
    assert record["analysis"]["decisions"] == 4
    assert inbox() == []


def test_a_loop_without_a_store_records_its_failure(
    aws: Moto, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MECROUTER_STORE_URL")
    run = run_loop({"now": NOW})
    assert run.status == "FAILED" and run.error == "OptimisationFailed"
    assert run.attempts["AnalyseMonitor"] == 1  # an input error is not retried
    assert run.visited[-2:] == ["RecordOptimisationFailure", "OptimisationFailed"]
    failure = read_json(aws, "optimisation/failures/2026/01/01/opt-1.json")
    assert failure["error"] == "WorkflowInputError"
    assert "MECROUTER_STORE_URL" in failure["cause"]["errorMessage"]
