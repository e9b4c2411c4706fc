"""The same properties through `aws_cdk.assertions` (the CDK's own matchers), stack by stack."""

from __future__ import annotations

from synthesis import Synthesised

PREFIX = "mecrouter-"


def test_data_stack_encryption_pitr_and_private_buckets(synthesised: Synthesised) -> None:
    from aws_cdk.assertions import Match, Template

    data = Template.from_json(synthesised.template(f"{PREFIX}data"))
    data.resource_count_is("AWS::DynamoDB::Table", 2)
    data.all_resources_properties(
        "AWS::DynamoDB::Table",
        {
            "PointInTimeRecoverySpecification": {"PointInTimeRecoveryEnabled": True},
            "SSESpecification": Match.object_like({"SSEEnabled": True, "SSEType": "KMS"}),
            "BillingMode": "PAY_PER_REQUEST",
        },
    )
    data.all_resources_properties(
        "AWS::S3::Bucket",
        {
            "PublicAccessBlockConfiguration": {
                "BlockPublicAcls": True,
                "BlockPublicPolicy": True,
                "IgnorePublicAcls": True,
                "RestrictPublicBuckets": True,
            }
        },
    )
    data.all_resources_properties("AWS::KMS::Key", {"EnableKeyRotation": True})
    data.all_resources_properties("AWS::SecretsManager::Secret", {"KmsKeyId": Match.any_value()})


def test_api_and_observability_through_the_cdk_matchers(synthesised: Synthesised) -> None:
    from aws_cdk.assertions import Match, Template

    api = Template.from_json(synthesised.template(f"{PREFIX}api"))
    api.has_resource_properties(
        "AWS::ApiGatewayV2::Route", {"RouteKey": "$default", "AuthorizationType": "CUSTOM"}
    )
    api.has_resource_properties(
        "AWS::ApiGatewayV2::Stage",
        {"DefaultRouteSettings": Match.object_like({"ThrottlingRateLimit": 50})},
    )
    api.all_resources_properties("AWS::Lambda::Function", {"PackageType": "Image"})
    obs = Template.from_json(synthesised.template(f"{PREFIX}observability"))
    obs.resource_count_is("AWS::CloudWatch::Alarm", 5)
    obs.has_resource_properties("AWS::SNS::Topic", {"KmsMasterKeyId": Match.any_value()})
    flows = Template.from_json(synthesised.template(f"{PREFIX}workflows"))
    flows.resource_count_is("AWS::StepFunctions::StateMachine", 2)
    flows.all_resources_properties(
        "AWS::StepFunctions::StateMachine",
        {
            "TracingConfiguration": {"Enabled": True},
            "LoggingConfiguration": Match.object_like({"Level": "ALL"}),
        },
    )
    flows.has_resource_properties(
        "AWS::StepFunctions::StateMachine", {"StateMachineType": "EXPRESS"}
    )
    flows.has_resource_properties(
        "AWS::StepFunctions::StateMachine", {"StateMachineType": "STANDARD"}
    )
