"""DataStack: the KMS key, the DynamoDB tables the runtime expects, the S3 bucket for models,
reports and the gateway's config, and the secrets (API key hashes, upstream keys)."""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_dynamodb as dynamodb
from aws_cdk import aws_iam as iam
from aws_cdk import aws_kms as kms
from aws_cdk import aws_s3 as s3
from aws_cdk import aws_s3_deployment as s3deploy
from aws_cdk import aws_secretsmanager as secretsmanager
from constructs import Construct

from mecrouter.stores.dynamodb_tables import table_definitions
from mecrouter_infra.gateway_config import gateway_config
from mecrouter_infra.nag import acknowledge
from mecrouter_infra.params import Params

__all__ = ["CONFIG_KEY", "DataStack", "objects_arn"]

CONFIG_KEY = "config/mecrouter.yaml"
_TTL_ATTRIBUTE = {"RoutingDecisions": "expires_at", "ResourceMetrics": "ttl"}


class DataStack(cdk.Stack):
    """What outlives a deployment: retained on `cdk destroy` (see docs/deploy.md)."""

    def __init__(self, scope: Construct, construct_id: str, params: Params, **kw: Any) -> None:
        super().__init__(scope, construct_id, **kw)
        self.key = kms.Key(
            self,
            "Key",
            alias=f"alias/{params.prefix}data",
            enable_key_rotation=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
            description="mecrouter: decisions, metrics, reports, secrets, logs and alarms",
        )
        self.key.grant_encrypt_decrypt(iam.ServicePrincipal(f"logs.{params.region}.amazonaws.com"))
        self.tables = {short: self._table(short, d) for short, d in _definitions(params)}
        self.decisions = self.tables["RoutingDecisions"]
        self.decision_indexes = tuple(
            index["IndexName"]
            for short, d in _definitions(params)
            if short == "RoutingDecisions"
            for index in d.get("GlobalSecondaryIndexes", [])
        )
        self.metrics = self.tables["ResourceMetrics"]
        # A name of our own (not a generated one), so that other stacks' policies name its
        # objects by this pattern rather than by a cross-stack export.
        self.bucket_name = f"{params.prefix}artifacts-{cdk.Aws.ACCOUNT_ID}-{params.region}"
        self.bucket = self._bucket()
        self.keys_secret = secretsmanager.Secret(
            self,
            "ApiKeyHashes",
            secret_name=f"{params.prefix}api-key-hashes",
            description="mecrouter API keys: a JSON object of key id to the key's SHA-256 hex",
            encryption_key=self.key,
            secret_string_value=cdk.SecretValue.unsafe_plain_text("{}"),  # no key: all refused
        )
        self.upstream_secret = secretsmanager.Secret(
            self,
            "UpstreamKeys",
            secret_name=f"{params.prefix}upstream-keys",
            description="API keys of the MEC nodes' servers: a JSON object of endpoint id to key",
            encryption_key=self.key,
            secret_string_value=cdk.SecretValue.unsafe_plain_text("{}"),
        )
        for secret in (self.keys_secret, self.upstream_secret):
            acknowledge(
                secret,
                "AwsSolutions-SMG4",
                "API keys are issued and rotated by the operator (docs/deploy.md); Secrets "
                "Manager has no rotation function for third-party keys",
            )
        config_text = gateway_config(params, f"{params.prefix}upstream-keys")
        self.config_deployment = s3deploy.BucketDeployment(
            self,
            "GatewayConfig",
            sources=[s3deploy.Source.data(CONFIG_KEY, config_text)],
            destination_bucket=self.bucket,
            prune=False,
            retain_on_delete=True,
        )
        self.config_url = f"s3://{self.bucket_name}/{CONFIG_KEY}"
        _acknowledge_bucket_deployment(self)

    def _table(self, short: str, definition: dict[str, Any]) -> dynamodb.Table:
        def attribute(name: str) -> dynamodb.Attribute:
            kinds = {
                a["AttributeName"]: a["AttributeType"] for a in definition["AttributeDefinitions"]
            }
            kind = (
                dynamodb.AttributeType.STRING
                if kinds[name] == "S"
                else dynamodb.AttributeType.NUMBER
            )
            return dynamodb.Attribute(name=name, type=kind)

        keys = {k["KeyType"]: k["AttributeName"] for k in definition["KeySchema"]}
        table = dynamodb.Table(
            self,
            short,
            table_name=definition["TableName"],
            partition_key=attribute(keys["HASH"]),
            sort_key=attribute(keys["RANGE"]),
            billing_mode=dynamodb.BillingMode.PAY_PER_REQUEST,
            encryption=dynamodb.TableEncryption.CUSTOMER_MANAGED,
            encryption_key=self.key,
            point_in_time_recovery_specification=dynamodb.PointInTimeRecoverySpecification(
                point_in_time_recovery_enabled=True
            ),
            time_to_live_attribute=_TTL_ATTRIBUTE[short],
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        for index in definition.get("GlobalSecondaryIndexes", []):
            index_keys = {k["KeyType"]: k["AttributeName"] for k in index["KeySchema"]}
            table.add_global_secondary_index(
                index_name=index["IndexName"],
                partition_key=attribute(index_keys["HASH"]),
                sort_key=attribute(index_keys["RANGE"]),
            )
        return table

    def _bucket(self) -> s3.Bucket:
        logs = s3.Bucket(
            self,
            "AccessLogs",
            encryption=s3.BucketEncryption.S3_MANAGED,  # log delivery cannot write with a KMS key
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )
        acknowledge(logs, "AwsSolutions-S1", "the access-log bucket itself: logging it into itself "
                    "would loop")  # fmt: skip
        return s3.Bucket(
            self,
            "Artifacts",
            bucket_name=self.bucket_name,
            encryption=s3.BucketEncryption.KMS,
            encryption_key=self.key,
            bucket_key_enabled=True,
            block_public_access=s3.BlockPublicAccess.BLOCK_ALL,
            enforce_ssl=True,
            versioned=True,
            server_access_logs_bucket=logs,
            server_access_logs_prefix="artifacts/",
            removal_policy=cdk.RemovalPolicy.RETAIN,
        )


def objects_arn(data: DataStack, key: str) -> str:
    """The ARN of the artifacts bucket's object ``key`` (a pattern with ``*``), by its name."""
    return f"arn:{cdk.Aws.PARTITION}:s3:::{data.bucket_name}/{key}"


def _definitions(params: Params) -> list[tuple[str, dict[str, Any]]]:
    out = []
    for definition in table_definitions(params.prefix):
        short = definition["TableName"].removeprefix(params.prefix)
        out.append((short, definition))
    return out


_BUCKET_DEPLOYMENT_FINDINGS = (
    "AwsSolutions-L1",
    "AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/"
    "AWSLambdaBasicExecutionRole]",
    "AwsSolutions-IAM5[Action::kms:GenerateDataKey*]",
    "AwsSolutions-IAM5[Action::kms:ReEncrypt*]",
    "AwsSolutions-IAM5[Action::s3:Abort*]",
    "AwsSolutions-IAM5[Action::s3:DeleteObject*]",
    "AwsSolutions-IAM5[Action::s3:GetBucket*]",
    "AwsSolutions-IAM5[Action::s3:GetObject*]",
    "AwsSolutions-IAM5[Action::s3:List*]",
    "AwsSolutions-IAM5[Resource::<Artifacts82DD59A1.Arn>/*]",
)
# and CDK's asset bucket (its bootstrap's default qualifier), named with the stack's region:
_ASSETS_BUCKET_FINDING = (
    "AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:s3:::cdk-hnb659fds-assets-"
    "<AWS::AccountId>-{region}/*]"
)


def _acknowledge_bucket_deployment(stack: cdk.Stack) -> None:
    """The function behind CDK's BucketDeployment (which writes the gateway's config) is CDK's
    own, one per stack, and runs only during a deployment: its runtime, managed policy and
    wildcard grants on the two buckets it copies between are CDK's, not ours to narrow."""
    for child in stack.node.children:
        if child.node.id.startswith("Custom::CDKBucketDeployment"):
            assets = _ASSETS_BUCKET_FINDING.format(region=stack.region)
            for rule in (*_BUCKET_DEPLOYMENT_FINDINGS, assets):
                acknowledge(child, rule, "CDK's BucketDeployment function, run only while "
                            "deploying: its runtime and grants are CDK's own")  # fmt: skip
