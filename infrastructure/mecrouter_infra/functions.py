"""Lambda functions from the project's container image (the Dockerfile's ``lambda`` stage): one
image asset for all of them, each with its own handler, role, log group and grants.

A role is made here, not by CDK's defaults: it holds no AWS managed policy, only what the
function's code calls (`Grants`), and its logs go to a log group of its own, encrypted with the
deployment's key and kept for the retention period.
"""

from __future__ import annotations

from pathlib import Path

import aws_cdk as cdk
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_lambda as lambda_
from aws_cdk import aws_logs as logs
from constructs import Construct

__all__ = ["REPO_ROOT", "image_function", "retention"]

REPO_ROOT = Path(__file__).resolve().parents[2]
_RETENTION = {
    1: logs.RetentionDays.ONE_DAY,
    7: logs.RetentionDays.ONE_WEEK,
    30: logs.RetentionDays.ONE_MONTH,
    90: logs.RetentionDays.THREE_MONTHS,
    365: logs.RetentionDays.ONE_YEAR,
}


def retention(days: int) -> logs.RetentionDays:
    """The nearest log retention at or above ``days`` that CloudWatch Logs offers."""
    for limit in sorted(_RETENTION):
        if days <= limit:
            return _RETENTION[limit]
    return logs.RetentionDays.TEN_YEARS


def image_function(
    scope: Construct,
    construct_id: str,
    *,
    handler: str,
    key: kms.IKey,
    retention_days: int,
    memory_mb: int = 1024,
    timeout: cdk.Duration | None = None,
    environment: dict[str, str] | None = None,
) -> lambda_.DockerImageFunction:
    """A function running ``handler`` (a dotted path) from the project's image."""
    log_group = logs.LogGroup(
        scope,
        f"{construct_id}Logs",
        encryption_key=key,
        retention=retention(retention_days),
        removal_policy=cdk.RemovalPolicy.DESTROY,
    )
    role = iam.Role(
        scope,
        f"{construct_id}Role",
        assumed_by=iam.ServicePrincipal("lambda.amazonaws.com"),
        description=f"mecrouter {construct_id}: only what {handler} calls",
    )
    log_group.grant_write(role)
    code = lambda_.DockerImageCode.from_image_asset(
        str(REPO_ROOT),
        target="lambda",
        cmd=[handler],
        exclude=[
            ".venv*",
            ".git",
            "**/cdk.out",
            "report",
            ".tools",
            "node_modules",
            ".bench-cache",
        ],
    )
    return lambda_.DockerImageFunction(
        scope,
        construct_id,
        code=code,
        role=role,
        log_group=log_group,
        memory_size=memory_mb,
        timeout=timeout or cdk.Duration.seconds(30),
        architecture=lambda_.Architecture.X86_64,
        tracing=lambda_.Tracing.ACTIVE,
        environment={
            "MECROUTER_CACHE_DIR": "/tmp/mecrouter-cache",  # a function may write /tmp only
            **(environment or {}),
        },
    )
