"""What a function's code calls, as IAM statements in its own role: one place for every grant
of the app, named by the workflows' `NEEDS` vocabulary (the gateway uses it too).

Statements go into the function's role, never through CDK's ``grant_*`` on a resource of the
data stack: those also edit the resource's policy (a KMS key's), which would make the data
stack depend on the stack of the function. The key's default policy trusts the account's IAM.
"""

from __future__ import annotations

from collections.abc import Iterable

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_lambda as lambda_

from mecrouter.backends.bedrock import iam_policy
from mecrouter_infra.data import CONFIG_KEY, DataStack, objects_arn
from mecrouter_infra.nag import acknowledge
from mecrouter_infra.params import Params

__all__ = ["DYNAMODB_ACTIONS", "GATEWAY_NEEDS", "allow", "grant"]

# What the DynamoDB store calls (docs/aws.md), and nothing else: no table creation.
DYNAMODB_ACTIONS = (
    "dynamodb:PutItem",
    "dynamodb:UpdateItem",
    "dynamodb:BatchWriteItem",
    "dynamodb:Query",
    "dynamodb:Scan",
)
GATEWAY_NEEDS = frozenset({"decisions:write", "bedrock:invoke", "metrics:put", "events:put"})


def allow(fn: lambda_.IFunction, actions: list[str], resources: list[str]) -> None:
    """One statement in the function's own role."""
    role = fn.role
    assert role is not None
    role.add_to_principal_policy(iam.PolicyStatement(actions=actions, resources=resources))


def grant(fn: lambda_.IFunction, needs: Iterable[str], params: Params, data: DataStack) -> None:
    """The config object and the key, which every function reads, and each of ``needs``."""
    allow(fn, ["s3:GetObject"], [objects_arn(data, CONFIG_KEY)])
    allow(fn, ["kms:Decrypt", "kms:GenerateDataKey"], [data.key.key_arn])
    for need in sorted(needs):
        _grant(fn, need, params, data)


def _grant(fn: lambda_.IFunction, need: str, params: Params, data: DataStack) -> None:
    partition = cdk.Aws.PARTITION
    if need == "reports:read":
        bucket = f"arn:{partition}:s3:::{data.bucket_name}"
        allow(fn, ["s3:GetObject", "s3:ListBucket"], [objects_arn(data, "*"), bucket])
    elif need == "reports:write":
        allow(fn, ["s3:PutObject", "s3:AbortMultipartUpload"], [objects_arn(data, "*")])
    elif need in ("decisions:read", "decisions:write"):
        tables = [data.decisions.table_arn, data.metrics.table_arn]
        indexes = [f"{data.decisions.table_arn}/index/{name}" for name in data.decision_indexes]
        allow(fn, list(DYNAMODB_ACTIONS), tables + indexes)
    elif need == "events:put":
        bus = cdk.Arn.format(
            cdk.ArnComponents(service="events", resource="event-bus", resource_name="default"),
            cdk.Stack.of(fn),
        )
        allow(fn, ["events:PutEvents"], [bus])
    elif need == "bedrock:invoke":
        policy = iam_policy(list(params.bedrock_models), params.region, cdk.Aws.ACCOUNT_ID)
        for statement in policy["Statement"]:
            allow(fn, statement["Action"], statement["Resource"])
    elif need == "secrets:read":
        allow(fn, ["secretsmanager:GetSecretValue"], [data.upstream_secret.secret_arn])
    elif need == "metrics:put":
        assert fn.role is not None
        fn.role.add_to_principal_policy(
            iam.PolicyStatement(
                actions=["cloudwatch:PutMetricData"],
                resources=["*"],  # PutMetricData has no resource; the namespace is the condition
                conditions={"StringEquals": {"cloudwatch:namespace": "mecrouter"}},
            )
        )
    else:
        raise ValueError(f"no grant for the need {need!r}")
    if need.startswith("reports:"):
        assert fn.role is not None
        pattern = (
            f"arn:<AWS::Partition>:s3:::{params.prefix}artifacts-<AWS::AccountId>-{params.region}/*"
        )
        acknowledge(
            fn.role,
            f"AwsSolutions-IAM5[Resource::{pattern}]",
            "the workflows read the batch files and write results and records under prefixes "
            "chosen per run in the reports bucket",
        )
