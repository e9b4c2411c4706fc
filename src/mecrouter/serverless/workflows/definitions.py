"""The two workflows in the Amazon States Language, as dicts, and the Lambda tasks they call.

Each Task state invokes its Lambda function directly: its ``Resource`` is the function's ARN as
given (in the CDK app, a token), so the function's input is the state's effective input and its
return value is the state's result, with no ``Payload`` wrapper to unpick. A handler's exception
reaches the workflow as an error named after its class (Lambda's ``errorType``), which is how
`TRANSIENT_ERROR` is retried and everything else goes to the failure task.

This module imports nothing but the standard library: the CDK app imports it to build the state
machines without loading the handlers (the router, boto3).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final

__all__ = [
    "BATCH_TASKS",
    "LAMBDA_ERRORS",
    "MAP_MAX_CONCURRENCY",
    "NEEDS",
    "OPTIMISATION_TASKS",
    "TRANSIENT_ERROR",
    "TaskSpec",
    "batch_routing_definition",
    "optimisation_definition",
]

NEEDS: Final = frozenset(
    {
        "reports:read",  # GetObject on the reports bucket
        "reports:write",  # PutObject on the reports bucket
        "decisions:read",  # Query/Scan/GetItem on the store's tables and their indexes
        "decisions:write",  # PutItem/UpdateItem/BatchWriteItem on the store's tables
        "events:put",  # PutEvents on the default event bus
        "bedrock:invoke",  # Converse/ConverseStream (a `backend: bedrock` endpoint)
        "metrics:put",  # CloudWatch PutMetricData
        "secrets:read",  # GetSecretValue (an endpoint's `api_key_secret`)
    }
)
"""What a task's function may need, in the words of the CDK app's grants."""

TRANSIENT_ERROR: Final = "TransientWorkflowError"
"""The handlers' own retryable error (`runtime.TransientWorkflowError`): AWS throttled or
unreachable, the store failing."""

LAMBDA_ERRORS: Final = (
    "Lambda.ServiceException",
    "Lambda.AWSLambdaException",
    "Lambda.SdkClientException",
    "Lambda.TooManyRequestsException",
)
"""What Lambda's service (not the handler) raises when an invocation fails: always retried."""

MAP_MAX_CONCURRENCY: Final = 10
"""Chunks routed at once: each runs several requests at once, so this bounds the load on the
endpoints (and the Lambda concurrency one batch takes)."""

_MODULE: Final = "mecrouter.serverless.workflows"


@dataclass(frozen=True)
class TaskSpec:
    """One Task state and the Lambda function behind it: the state's ``name`` (also the key of
    its ARN), the handler's dotted path, and the permissions (`NEEDS`) its role must grant."""

    name: str
    handler: str
    needs: frozenset[str]

    def __post_init__(self) -> None:
        unknown = self.needs - NEEDS
        if unknown:
            raise ValueError(f"task {self.name}: unknown needs {sorted(unknown)}")


BATCH_TASKS: Final = (
    TaskSpec("ValidateBatch", f"{_MODULE}.batch.validate_batch", frozenset({"reports:read"})),
    TaskSpec(
        "RouteChunk",
        f"{_MODULE}.batch.route_chunk",
        frozenset(
            {"reports:read", "reports:write", "decisions:write", "bedrock:invoke", "secrets:read"}
        ),
    ),
    TaskSpec(
        "WriteReport",
        f"{_MODULE}.batch.write_report",
        frozenset({"reports:read", "reports:write"}),
    ),
    TaskSpec("RecordFailure", f"{_MODULE}.batch.record_failure", frozenset({"reports:write"})),
)
"""The batch routing workflow's tasks, in the order they run."""

OPTIMISATION_TASKS: Final = (
    TaskSpec(
        "AnalyseMonitor", f"{_MODULE}.optimise.analyse_monitor", frozenset({"decisions:read"})
    ),
    TaskSpec("RecommendPlacement", f"{_MODULE}.optimise.recommend_placement", frozenset()),
    TaskSpec("ApplyPlacement", f"{_MODULE}.optimise.apply_placement", frozenset({"events:put"})),
    TaskSpec(
        "RecordOptimisation",
        f"{_MODULE}.optimise.record_optimisation",
        frozenset({"reports:write"}),
    ),
    TaskSpec(
        "RecordOptimisationFailure",
        f"{_MODULE}.optimise.record_failure",
        frozenset({"reports:write"}),
    ),
)
"""The optimisation loop's tasks, in the order they run."""


# --------------------------------------------------------------------------- shared pieces


def _retry() -> list[dict[str, Any]]:
    """Lambda's own failures with a longer backoff, then the handler's transient error."""
    return [
        {
            "ErrorEquals": list(LAMBDA_ERRORS),
            "IntervalSeconds": 2,
            "MaxAttempts": 6,
            "BackoffRate": 2.0,
        },
        {
            "ErrorEquals": [TRANSIENT_ERROR],
            "IntervalSeconds": 1,
            "MaxAttempts": 3,
            "BackoffRate": 2.0,
        },
    ]


def _catch(failure_state: str) -> list[dict[str, Any]]:
    """Anything left after the retries: the error under ``$.error``, then ``failure_state``."""
    return [{"ErrorEquals": ["States.ALL"], "ResultPath": "$.error", "Next": failure_state}]


def _task(arn: str, **fields: Any) -> dict[str, Any]:
    return {"Type": "Task", "Resource": arn, **fields}


def _arns_for(tasks: tuple[TaskSpec, ...], arns: Mapping[str, str]) -> dict[str, str]:
    """Each task's ARN; a `KeyError` naming the first task ``arns`` lacks."""
    out: dict[str, str] = {}
    for spec in tasks:
        if spec.name not in arns:
            raise KeyError(f"no Lambda function ARN for task {spec.name!r}")
        out[spec.name] = arns[spec.name]
    return out


# --------------------------------------------------------------------------- batch routing


def batch_routing_definition(arns: Mapping[str, str]) -> dict[str, Any]:
    """Route a JSONL file of chat requests: validate, route its chunks (a Map), report.

    The execution's input is ``{"bucket", "key", "output_prefix"}`` (and optionally
    ``"chunk_lines"``); its output is the report's summary (``report_key`` and counts).
    """
    arn = _arns_for(BATCH_TASKS, arns)
    return {
        "Comment": "mecrouter batch routing: a JSONL file of chat requests through the Router",
        "StartAt": "ValidateBatch",
        "States": {
            "ValidateBatch": _task(
                arn["ValidateBatch"],
                ResultPath="$.batch",
                Retry=_retry(),
                Catch=_catch("RecordFailure"),
                Next="RouteChunks",
            ),
            "RouteChunks": _route_chunks(arn["RouteChunk"]),
            "WriteReport": _task(
                arn["WriteReport"],
                Parameters={"batch.$": "$.batch", "execution.$": "$$.Execution.Name"},
                ResultPath="$.report",
                OutputPath="$.report",
                Retry=_retry(),
                Catch=_catch("RecordFailure"),
                End=True,
            ),
            "RecordFailure": _task(
                arn["RecordFailure"],
                Parameters={"input.$": "$", "execution.$": "$$.Execution.Name"},
                ResultPath="$.failure",
                Retry=_retry(),
                Next="BatchFailed",
            ),
            "BatchFailed": {
                "Type": "Fail",
                "Error": "BatchFailed",
                "Cause": "a task failed after its retries; its error is in failure.json under "
                "the batch's output prefix",
            },
        },
    }


def _route_chunks(route_chunk_arn: str) -> dict[str, Any]:
    """The Map over ValidateBatch's chunks, each routed by RouteChunk."""
    return {
        "Type": "Map",
        "ItemsPath": "$.batch.chunks",
        "ItemSelector": {
            "bucket.$": "$.batch.bucket",
            "key.$": "$.batch.key",
            "etag.$": "$.batch.etag",
            "output_prefix.$": "$.batch.output_prefix",
            "execution.$": "$$.Execution.Name",
            "chunk.$": "$$.Map.Item.Value",
        },
        "MaxConcurrency": MAP_MAX_CONCURRENCY,
        "ItemProcessor": {
            "ProcessorConfig": {"Mode": "INLINE"},
            "StartAt": "RouteChunk",
            "States": {
                "RouteChunk": _task(route_chunk_arn, Retry=_retry(), End=True),
            },
        },
        # the chunks' summaries stay out of the state: WriteReport reads their files
        "ResultPath": None,
        "Catch": _catch("RecordFailure"),
        "Next": "WriteReport",
    }


# --------------------------------------------------------------------------- optimisation


def optimisation_definition(arns: Mapping[str, str]) -> dict[str, Any]:
    """Analyse the last hour of decisions, plan the MEC placement, publish it, record the run.

    The execution's input is whatever triggers it (a scheduled event); ``now`` (epoch s) and
    ``window_s`` in it override the execution's start time and the hour.
    """
    arn = _arns_for(OPTIMISATION_TASKS, arns)
    failed = "RecordOptimisationFailure"
    return {
        "Comment": "mecrouter optimisation loop: monitor analysis to MEC placement events",
        "StartAt": "AnalyseMonitor",
        "States": {
            "AnalyseMonitor": _task(
                arn["AnalyseMonitor"],
                Parameters={
                    "trigger.$": "$",
                    "execution.$": "$$.Execution.Name",
                    "started.$": "$$.Execution.StartTime",
                },
                ResultPath="$.analysis",
                Retry=_retry(),
                Catch=_catch(failed),
                Next="RecommendPlacement",
            ),
            "RecommendPlacement": _task(
                arn["RecommendPlacement"],
                Parameters={"usage.$": "$.analysis.usage", "now.$": "$.analysis.run.window_end"},
                ResultPath="$.plan",
                Retry=_retry(),
                Catch=_catch(failed),
                Next="AnyActions",
            ),
            "AnyActions": _skip_an_empty_plan("ApplyPlacement", "RecordOptimisation"),
            "ApplyPlacement": _task(
                arn["ApplyPlacement"],
                Parameters={"actions.$": "$.plan.actions", "run.$": "$.analysis.run"},
                ResultPath="$.applied",
                Retry=_retry(),
                Catch=_catch(failed),
                Next="RecordOptimisation",
            ),
            "RecordOptimisation": _task(
                arn["RecordOptimisation"],
                ResultPath="$.record",
                OutputPath="$.record",
                Retry=_retry(),
                Catch=_catch(failed),
                End=True,
            ),
            **_optimisation_failure(arn[failed]),
        },
    }


def _skip_an_empty_plan(apply: str, record: str) -> dict[str, Any]:
    """The Choice: publish a plan with actions, go straight to the record otherwise."""
    rule = {"Variable": "$.plan.action_count", "NumericGreaterThan": 0, "Next": apply}
    return {"Type": "Choice", "Choices": [rule], "Default": record}


def _optimisation_failure(record_failure_arn: str) -> dict[str, Any]:
    """RecordOptimisationFailure, then the Fail state."""
    return {
        "RecordOptimisationFailure": _task(
            record_failure_arn,
            Parameters={
                "error.$": "$.error",
                "execution.$": "$$.Execution.Name",
                "started.$": "$$.Execution.StartTime",
            },
            ResultPath="$.failure",
            Retry=_retry(),
            Next="OptimisationFailed",
        ),
        "OptimisationFailed": {
            "Type": "Fail",
            "Error": "OptimisationFailed",
            "Cause": "a task failed after its retries; its error is in the reports bucket "
            "under optimisation/failures/",
        },
    }
