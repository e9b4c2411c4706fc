"""mecrouter's AWS CDK app: one stack per concern.

- ``<prefix>data``: KMS key, DynamoDB tables, S3 bucket (with the gateway's config), secrets;
- ``<prefix>api``: the gateway on Lambda behind an HTTP API with a key authorizer;
- ``<prefix>workflows``: Step Functions for batch routing and the optimisation loop;
- ``<prefix>observability``: CloudWatch dashboard, alarms, SNS topic.

`build` adds cdk-nag's AwsSolutions checks to every stack; a finding without a suppression (each
with its reason, beside the resource) is an error at synthesis.
"""

from __future__ import annotations

import aws_cdk as cdk

from mecrouter_infra.api import ApiStack
from mecrouter_infra.data import DataStack
from mecrouter_infra.nag import add_checks
from mecrouter_infra.observability import ObservabilityStack
from mecrouter_infra.params import Params
from mecrouter_infra.workflows import WorkflowsStack

__all__ = ["FEATURE_FLAGS", "Stacks", "build"]

# Set by `build` (so `cdk synth` and the tests agree): server access logs are allowed by a bucket
# policy, not the legacy log-delivery ACL.
FEATURE_FLAGS = {"@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy": True}


class Stacks:
    def __init__(self, data: DataStack, api: ApiStack, workflows: WorkflowsStack,
                 observability: ObservabilityStack) -> None:  # fmt: skip
        self.data, self.api, self.workflows, self.observability = (
            data,
            api,
            workflows,
            observability,
        )

    def all(self) -> list[cdk.Stack]:
        return [self.data, self.api, self.workflows, self.observability]


def build(app: cdk.App, params: Params | None = None) -> Stacks:
    """Every stack of the deployment, with the checks attached."""
    for flag, value in FEATURE_FLAGS.items():
        app.node.set_context(flag, value)
    params = params or Params.from_context(app.node)
    env = cdk.Environment(region=params.region)
    p = params.prefix
    data = DataStack(app, f"{p}data", params, env=env)
    api = ApiStack(app, f"{p}api", params, data, env=env)
    workflows = WorkflowsStack(app, f"{p}workflows", params, data, env=env)
    observability = ObservabilityStack(app, f"{p}observability", params, data, api, env=env)
    add_checks(app)
    return Stacks(data, api, workflows, observability)
