"""The synthesised stacks hold the security properties the deployment promises: encryption at
rest with the deployment's key, point-in-time recovery, no public bucket, TLS only, no wildcard
action and no managed policy in our roles, the API behind its authorizer and throttled, and
the alarms wired to the topic. Read from the templates `cdk synth` writes."""

from __future__ import annotations

from collections import Counter
from typing import Any

from synthesis import Synthesised

from mecrouter.stores.dynamodb_tables import table_definitions

PREFIX = "mecrouter-"
LOG_DELIVERY = {
    "logs:CreateLogDelivery", "logs:GetLogDelivery", "logs:UpdateLogDelivery",
    "logs:DeleteLogDelivery", "logs:ListLogDeliveries", "logs:PutResourcePolicy",
    "logs:DescribeResourcePolicies", "logs:DescribeLogGroups",
}  # fmt: skip


def resources(template: dict[str, Any], kind: str) -> dict[str, dict[str, Any]]:
    return {k: v for k, v in template["Resources"].items() if v["Type"] == kind}


def props(template: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [r.get("Properties", {}) for r in resources(template, kind).values()]


def test_every_stack_is_synthesised_and_its_resources_counted(synthesised: Synthesised) -> None:
    counts = {name: len(t["Resources"]) for name, t in synthesised.templates().items()}
    print("resources per stack:", counts)
    assert set(counts) == {f"{PREFIX}{s}" for s in ("data", "api", "workflows", "observability")}
    assert all(n > 0 for n in counts.values())


def test_tables_are_the_runtimes_encrypted_with_pitr_and_ttl(synthesised: Synthesised) -> None:
    tables = {
        p["TableName"]: p
        for p in props(synthesised.template(f"{PREFIX}data"), "AWS::DynamoDB::Table")
    }
    for definition in table_definitions(PREFIX):
        table = tables[definition["TableName"]]
        assert table["KeySchema"] == definition["KeySchema"]
        indexes = {i["IndexName"] for i in table.get("GlobalSecondaryIndexes", [])}
        assert indexes == {i["IndexName"] for i in definition.get("GlobalSecondaryIndexes", [])}
        assert table["BillingMode"] == "PAY_PER_REQUEST"
        assert table["SSESpecification"]["SSEEnabled"] is True
        assert table["SSESpecification"]["SSEType"] == "KMS"
        assert "KMSMasterKeyId" in table["SSESpecification"]
        assert table["PointInTimeRecoverySpecification"]["PointInTimeRecoveryEnabled"] is True
        assert table["TimeToLiveSpecification"]["Enabled"] is True
    ttl = {name: t["TimeToLiveSpecification"]["AttributeName"] for name, t in tables.items()}
    assert ttl == {f"{PREFIX}RoutingDecisions": "expires_at", f"{PREFIX}ResourceMetrics": "ttl"}


def test_the_key_rotates_and_buckets_are_private_encrypted_and_tls_only(
    synthesised: Synthesised,
) -> None:
    data = synthesised.template(f"{PREFIX}data")
    assert all(k["EnableKeyRotation"] for k in props(data, "AWS::KMS::Key"))
    buckets = resources(data, "AWS::S3::Bucket")
    assert len(buckets) == 2  # artifacts, and its access logs
    for bucket in buckets.values():
        p = bucket["Properties"]
        block = p["PublicAccessBlockConfiguration"]
        assert all(block[k] for k in ("BlockPublicAcls", "BlockPublicPolicy", "IgnorePublicAcls",
                                      "RestrictPublicBuckets"))  # fmt: skip
        assert p["VersioningConfiguration"]["Status"] == "Enabled"
        assert p["BucketEncryption"]["ServerSideEncryptionConfiguration"]
    kms = [p for p in props(data, "AWS::S3::Bucket")
           if p["BucketEncryption"]["ServerSideEncryptionConfiguration"][0]
           ["ServerSideEncryptionByDefault"]["SSEAlgorithm"] == "aws:kms"]  # fmt: skip
    assert len(kms) == 1 and "LoggingConfiguration" in kms[0]
    policies = props(data, "AWS::S3::BucketPolicy")
    assert len(policies) == 2
    for policy in policies:
        denies = [s for s in policy["PolicyDocument"]["Statement"] if s["Effect"] == "Deny"]
        assert any(s["Condition"]["Bool"]["aws:SecureTransport"] == "false" for s in denies)


def test_no_role_has_a_wildcard_action_or_a_managed_policy(synthesised: Synthesised) -> None:
    for name, template in synthesised.templates().items():
        own_roles = {
            k for k, r in resources(template, "AWS::IAM::Role").items()
            if "BucketDeployment" not in k and "CustomResource" not in k
        }  # fmt: skip
        for key in own_roles:
            assert "ManagedPolicyArns" not in template["Resources"][key]["Properties"], (name, key)
        for policy in props(template, "AWS::IAM::Policy"):
            if not any(ref.get("Ref") in own_roles for ref in policy["Roles"]):
                continue
            for statement in policy["PolicyDocument"]["Statement"]:
                actions = statement["Action"]
                for action in [actions] if isinstance(actions, str) else actions:
                    assert action != "*" and not action.endswith(":*"), (name, action)
                if statement["Resource"] == "*":
                    # X-Ray, PutMetricData (bound by a namespace condition) and the log
                    # delivery actions of Step Functions' logging take no resource but "*"
                    allowed = {"xray:PutTraceSegments", "xray:PutTelemetryRecords",
                               "xray:GetSamplingRules", "xray:GetSamplingTargets",
                               "cloudwatch:PutMetricData", *LOG_DELIVERY}  # fmt: skip
                    assert set([actions] if isinstance(actions, str) else actions) <= allowed


def test_the_api_is_behind_the_authorizer_throttled_and_logged(synthesised: Synthesised) -> None:
    api = synthesised.template(f"{PREFIX}api")
    (authorizer,) = props(api, "AWS::ApiGatewayV2::Authorizer")
    assert authorizer["AuthorizerType"] == "REQUEST"
    assert authorizer["EnableSimpleResponses"] is True
    assert authorizer["IdentitySource"] == ["$request.header.Authorization"]
    routes = {r["RouteKey"]: r for r in props(api, "AWS::ApiGatewayV2::Route")}
    assert set(routes) == {"$default", "GET /healthz", "GET /readyz"}
    assert routes["$default"]["AuthorizationType"] == "CUSTOM"
    assert routes["GET /healthz"].get("AuthorizationType", "NONE") == "NONE"
    (stage,) = props(api, "AWS::ApiGatewayV2::Stage")
    throttle = stage["DefaultRouteSettings"]
    assert throttle["ThrottlingRateLimit"] == 50 and throttle["ThrottlingBurstLimit"] == 100
    assert "DestinationArn" in stage["AccessLogSettings"]
    functions = props(api, "AWS::Lambda::Function")
    assert {f["PackageType"] for f in functions} == {"Image"}
    assert all(f["TracingConfig"]["Mode"] == "Active" for f in functions)


def test_alarms_go_to_an_encrypted_topic(synthesised: Synthesised) -> None:
    obs = synthesised.template(f"{PREFIX}observability")
    (topic_key,) = resources(obs, "AWS::SNS::Topic")
    assert "KmsMasterKeyId" in obs["Resources"][topic_key]["Properties"]
    alarms = {p["AlarmName"]: p for p in props(obs, "AWS::CloudWatch::Alarm")}
    names = ("SloAttainment", "CircuitOpen", "ErrorRate", "Api5xx", "Throttles")
    assert set(alarms) == {f"{PREFIX}{n}" for n in names}
    for alarm in alarms.values():
        assert alarm["AlarmActions"] == [{"Ref": topic_key}]
    assert len(resources(obs, "AWS::CloudWatch::Dashboard")) == 1


def test_log_groups_are_encrypted_and_expire(synthesised: Synthesised) -> None:
    kinds: Counter[str] = Counter()
    for template in synthesised.templates().values():
        for group in props(template, "AWS::Logs::LogGroup"):
            assert "RetentionInDays" in group
            kinds["encrypted" if "KmsKeyId" in group else "plain"] += 1
    assert kinds["encrypted"] >= 2
