"""WorkflowsStack: the Step Functions workflows (`mecrouter.serverless.workflows`), off the hot
path: batch routing of a file (Standard) and the hourly optimisation loop (Express, on an
EventBridge schedule). One function per task, from the project's image, each with the grants
its `TaskSpec.needs` names and nothing else.

Per-request routing never goes through Step Functions: a state transition costs tens of
milliseconds and $25 per million (Standard) or about $1 per million requests plus duration
(Express) on top of the Lambda call, while the gateway decides in microseconds (docs/deploy.md).
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_events as events
from aws_cdk import aws_events_targets as targets
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from aws_cdk import aws_stepfunctions as sfn
from constructs import Construct

from mecrouter.serverless.workflows import (
    BATCH_TASKS,
    OPTIMISATION_TASKS,
    TaskSpec,
    batch_routing_definition,
    optimisation_definition,
)
from mecrouter_infra.data import DataStack
from mecrouter_infra.functions import image_function, retention
from mecrouter_infra.grants import grant
from mecrouter_infra.nag import acknowledge
from mecrouter_infra.params import Params

__all__ = ["WorkflowsStack"]


class WorkflowsStack(cdk.Stack):
    def __init__(
        self, scope: Construct, construct_id: str, params: Params, data: DataStack, **kw: Any
    ) -> None:
        super().__init__(scope, construct_id, **kw)
        self._params, self._data = params, data
        self.functions: dict[str, lambda_.DockerImageFunction] = {
            spec.name: self._function(spec) for spec in (*BATCH_TASKS, *OPTIMISATION_TASKS)
        }
        arns = {name: fn.function_arn for name, fn in self.functions.items()}
        self.batch = self._state_machine(
            "BatchRouting", batch_routing_definition(arns), sfn.StateMachineType.STANDARD
        )
        self.optimisation = self._state_machine(
            "Optimisation", optimisation_definition(arns), sfn.StateMachineType.EXPRESS
        )
        events.Rule(
            self,
            "Hourly",
            schedule=events.Schedule.rate(cdk.Duration.hours(1)),
            targets=[targets.SfnStateMachine(self.optimisation)],
        )
        acknowledge(
            self,
            "AwsSolutions-IAM5[Resource::*]",
            "X-Ray's PutTraceSegments / PutTelemetryRecords and the state machines' log "
            "delivery actions (logs:CreateLogDelivery ...) take no resource but '*'",
        )

    def _function(self, spec: TaskSpec) -> lambda_.DockerImageFunction:
        p, d = self._params, self._data
        fn = image_function(
            self,
            spec.name,
            handler=spec.handler,
            key=d.key,
            retention_days=p.retention_days,
            memory_mb=2048 if spec.name == "RouteChunk" else 1024,
            timeout=cdk.Duration.minutes(10 if spec.name == "RouteChunk" else 2),
            environment={
                "MECROUTER_CONFIG": d.config_url,
                "MECROUTER_STORE_URL": f"dynamodb://{p.prefix}?region={p.region}&outbox=none",
                "MECROUTER_REPORTS_BUCKET": d.bucket_name,
            },
        )
        grant(fn, spec.needs, p, d)
        return fn

    def _state_machine(
        self, name: str, definition: dict[str, Any], kind: sfn.StateMachineType
    ) -> sfn.StateMachine:
        group = logs.LogGroup(
            self,
            f"{name}Logs",
            encryption_key=self._data.key,
            retention=retention(self._params.retention_days),
            removal_policy=cdk.RemovalPolicy.DESTROY,
        )
        machine = sfn.StateMachine(
            self,
            name,
            state_machine_name=f"{self._params.prefix}{name}",
            state_machine_type=kind,
            definition_body=sfn.DefinitionBody.from_string(
                cdk.Stack.of(self).to_json_string(definition)
            ),
            logs=sfn.LogOptions(
                destination=group, level=sfn.LogLevel.ALL, include_execution_data=True
            ),
            tracing_enabled=True,
        )
        names = {state["Resource"] for state in _task_states(definition)}
        invoked = [fn.function_arn for fn in self.functions.values() if fn.function_arn in names]
        machine.add_to_role_policy(
            iam.PolicyStatement(actions=["lambda:InvokeFunction"], resources=invoked)
        )
        return machine


def _task_states(definition: dict[str, Any]) -> list[dict[str, Any]]:
    """Every Task state of a definition, inside Map states too."""
    found = []
    for state in definition["States"].values():
        if state["Type"] == "Task":
            found.append(state)
        for inner in ("ItemProcessor", "Iterator"):
            if inner in state:
                found += _task_states(state[inner])
    return found
