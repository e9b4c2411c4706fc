"""The batch routing workflow end to end: its definition followed by the local interpreter, its
handlers calling S3 and DynamoDB on moto's server over HTTP, and the router on emulated tiers."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from typing import Any

from asl_local import Execution, LocalStateMachine
from workflow_env import BUCKET, arns_of, dynamodb_store, handlers_of, resolve, s3

from mecrouter.serverless.workflows import BATCH_TASKS, batch_routing_definition
from mecrouter.serverless.workflows.batch import chunk_key
from mecrouter.serverless.workflows.runtime import TransientWorkflowError
from moto_fixtures import Moto

PREFIX = "runs/r1"
DEVICE = {"device_id": "phone-1", "memory_mb": 8192, "network_type": "5g"}


def chat(text: str, **routing: Any) -> str:
    body = {
        "model": "auto",
        "messages": [{"role": "user", "content": text}],
        "max_tokens": 8,
        "routing": {"device": DEVICE, **routing},
    }
    return json.dumps(body)


LINES = [
    chat("Summarise the match report in two lines.", use_case="gaming"),
    chat("Explain how a heat pump works.", use_case="default"),
    '{"messages": [ not json',  # line 3
    json.dumps({"custom_id": "c-4", "body": json.loads(chat("Name three rivers."))}),
    "",  # line 5: blank, skipped
    json.dumps({"messages": [{"role": "user", "content": "hi"}], "temperature": 5}),  # line 6
    chat("Translate 'good morning' to French.", use_case="iot"),
    chat("List two prime numbers.", use_case="automotive"),
]


def put_batch(moto: Moto, lines: list[str], key: str = "in/batch.jsonl") -> dict[str, Any]:
    s3(moto).put_object(Bucket=BUCKET, Key=key, Body=("\n".join(lines) + "\n").encode())
    return {"bucket": BUCKET, "key": key, "output_prefix": PREFIX + "/", "chunk_lines": 2}


def run_batch(
    payload: dict[str, Any], replace: dict[str, Callable[..., Any]] | None = None
) -> Execution:
    definition = batch_routing_definition(arns_of(BATCH_TASKS))
    machine = LocalStateMachine(definition, handlers_of(BATCH_TASKS, replace))
    return machine.run(payload, name="exec-1")


def read_json(moto: Moto, key: str) -> Any:
    return json.loads(s3(moto).get_object(Bucket=BUCKET, Key=key)["Body"].read())


def read_rows(moto: Moto, key: str) -> list[dict[str, Any]]:
    body = s3(moto).get_object(Bucket=BUCKET, Key=key)["Body"].read()
    return [json.loads(line) for line in body.splitlines()]


def flaky(task: str, failures: int) -> Callable[..., Any]:
    """The task's handler, raising a transient error on its first ``failures`` calls."""
    real = resolve(next(s.handler for s in BATCH_TASKS if s.name == task))
    calls = {"n": 0}

    def handler(event: dict[str, Any], context: object) -> Any:
        calls["n"] += 1
        if calls["n"] <= failures:
            raise TransientWorkflowError(f"S3 said SlowDown (call {calls['n']})")
        return real(event, context)

    return handler


def test_a_batch_is_routed_chunked_recorded_and_reported(aws: Moto) -> None:
    run = run_batch(put_batch(aws, LINES))
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    assert run.visited == ["ValidateBatch", "RouteChunks", *["RouteChunk"] * 4, "WriteReport"]
    summary = run.output
    assert summary["report_key"] == f"{PREFIX}/report.json"
    assert (summary["requests"], summary["succeeded"], summary["failed"]) == (7, 5, 2)
    assert summary["invalid_lines"] == 2 and sum(summary["by_tier"].values()) == 5
    report = read_json(aws, summary["report_key"])
    assert report["chunks"] == 4 and report["source"] == f"s3://{BUCKET}/in/batch.jsonl"
    assert [f["line"] for f in report["failures"]] == [3, 6]
    assert report["failures"][0]["error"].startswith("line 3: invalid request: line: not JSON")
    assert "temperature" in report["failures"][1]["error"]  # the gateway's own 400, field named
    rows = [row for i in range(4) for row in read_rows(aws, chunk_key(PREFIX, i))]
    assert [row["line"] for row in rows] == [1, 2, 3, 4, 6, 7, 8]
    served = [row for row in rows if row["success"]]
    assert all(row["answer"] and row["tier"] and row["model"] for row in served)
    assert all(row["latency_ms"] > 0 and row["cost_usd"] >= 0 for row in served)
    assert rows[3]["custom_id"] == "c-4"
    assert report["cost_usd"] == round(sum(row["cost_usd"] for row in served), 10)
    stored = asyncio.run(_decision_ids(aws))  # every served request left its record
    assert {row["decision_id"] for row in served} <= stored


async def _decision_ids(moto: Moto) -> set[str]:
    store = dynamodb_store(moto)
    try:
        return {r.decision_id for r in await store.query_decisions(limit=100)}
    finally:
        await store.aclose()


def test_a_transient_failure_is_retried_and_the_run_succeeds(aws: Moto) -> None:
    payload = put_batch(aws, LINES[:2])
    run = run_batch(payload, {"RouteChunk": flaky("RouteChunk", failures=2)})
    assert run.status == "SUCCEEDED", (run.error, run.cause)
    assert run.attempts["RouteChunk"] == 3 and run.delays == [1, 2]  # backoff 1 s, then 2 s
    assert run.output["succeeded"] == 2 and run.caught == []


def test_a_task_that_keeps_failing_is_recorded_and_the_run_fails(aws: Moto) -> None:
    payload = put_batch(aws, LINES[:2])
    run = run_batch(payload, {"RouteChunk": flaky("RouteChunk", failures=100)})
    assert run.status == "FAILED" and run.error == "BatchFailed"
    assert run.attempts["RouteChunk"] == 4  # the first try and three retries
    assert run.caught == [("RouteChunks", "TransientWorkflowError")]
    assert run.visited[-2:] == ["RecordFailure", "BatchFailed"]
    failure = read_json(aws, f"{PREFIX}/failure.json")
    assert failure["error"] == "TransientWorkflowError" and failure["execution"] == "exec-1"
    assert failure["cause"]["errorMessage"] == "S3 said SlowDown (call 4)"


def test_a_missing_file_is_not_retried(aws: Moto) -> None:
    payload = {"bucket": BUCKET, "key": "in/nothing.jsonl", "output_prefix": PREFIX}
    run = run_batch(payload)
    assert run.status == "FAILED" and run.attempts["ValidateBatch"] == 1
    failure = read_json(aws, f"{PREFIX}/failure.json")
    assert failure["error"] == "WorkflowInputError"
    assert "in/nothing.jsonl" in failure["cause"]["errorMessage"]


def test_an_input_without_an_output_prefix_fails_into_the_reports_bucket(aws: Moto) -> None:
    run = run_batch({"bucket": BUCKET, "key": "in/batch.jsonl"})
    assert run.status == "FAILED" and run.visited[-2:] == ["RecordFailure", "BatchFailed"]
    failure = read_json(aws, "batch/failures/exec-1/failure.json")
    assert "output_prefix" in failure["cause"]["errorMessage"]
