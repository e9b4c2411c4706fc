"""ApiStack: the gateway on Lambda behind an API Gateway HTTP API, with the key authorizer in
front and the API's throttling as the rate limit.

Routes: every path goes to the gateway through the authorizer (``$default``), but ``GET
/healthz`` and ``GET /readyz``, which answer without a key as the gateway does. An authorizer's
answer is cached for five minutes per key, so a removed key is refused within that time. The
stage writes an access log line per request (JSON) to a log group of its own.
"""

from __future__ import annotations

import json
from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_apigatewayv2 as apigw
from aws_cdk import aws_apigatewayv2_authorizers as authorizers
from aws_cdk import aws_apigatewayv2_integrations as integrations
from aws_cdk import aws_logs as logs
from constructs import Construct

from mecrouter_infra.data import DataStack
from mecrouter_infra.functions import image_function, retention
from mecrouter_infra.grants import GATEWAY_NEEDS, allow, grant
from mecrouter_infra.nag import acknowledge
from mecrouter_infra.params import Params

__all__ = ["ApiStack"]

_ACCESS_LOG_FORMAT = {
    "requestId": "$context.requestId",
    "ip": "$context.identity.sourceIp",
    "time": "$context.requestTime",
    "method": "$context.httpMethod",
    "path": "$context.path",
    "status": "$context.status",
    "latencyMs": "$context.responseLatency",
    "keyId": "$context.authorizer.key_id",
    "error": "$context.error.message",
}


class ApiStack(cdk.Stack):
    def __init__(
        self, scope: Construct, construct_id: str, params: Params, data: DataStack, **kw: Any
    ) -> None:
        super().__init__(scope, construct_id, **kw)
        self.gateway = image_function(
            self,
            "Gateway",
            handler="mecrouter.serverless.gateway.handler",
            key=data.key,
            retention_days=params.retention_days,
            memory_mb=2048,  # the router's models load at a cold start; CPU scales with memory
            timeout=cdk.Duration.seconds(29),  # the HTTP API gives up at 30 s
            environment={"MECROUTER_CONFIG": data.config_url},
        )
        self.authorizer_fn = image_function(
            self,
            "KeyAuthorizer",
            handler="mecrouter.serverless.authorizer.handler",
            key=data.key,
            retention_days=params.retention_days,
            memory_mb=512,
            timeout=cdk.Duration.seconds(5),
            environment={"MECROUTER_KEYS_SECRET": data.keys_secret.secret_arn},
        )
        needs = GATEWAY_NEEDS | (
            {"secrets:read"} if any(e.api_key for e in params.mec_endpoints) else set()
        )
        grant(self.gateway, needs, params, data)
        allow(self.authorizer_fn, ["secretsmanager:GetSecretValue"], [data.keys_secret.secret_arn])
        allow(self.authorizer_fn, ["kms:Decrypt"], [data.key.key_arn])
        self.api = self._api(params)
        cdk.CfnOutput(self, "Url", value=self.api.api_endpoint + "/v1")
        _suppress_tracing(self)

    def _api(self, params: Params) -> apigw.HttpApi:
        authorizer = authorizers.HttpLambdaAuthorizer(
            "KeyAuthorizer",
            self.authorizer_fn,
            response_types=[authorizers.HttpLambdaResponseType.SIMPLE],
            identity_source=["$request.header.Authorization"],
            results_cache_ttl=cdk.Duration.minutes(5),
        )
        integration = integrations.HttpLambdaIntegration("Gateway", self.gateway)
        api = apigw.HttpApi(
            self,
            "Api",
            api_name=f"{params.prefix}gateway",
            default_authorizer=authorizer,
            default_integration=integration,
            create_default_stage=False,
        )
        for path in ("/healthz", "/readyz"):
            routes = api.add_routes(
                path=path,
                methods=[apigw.HttpMethod.GET],
                integration=integration,
                authorizer=apigw.HttpNoneAuthorizer(),
            )
            for route in routes:
                reason = "health checks answer without a key, as the gateway's own do"
                acknowledge(route, "AwsSolutions-APIG4", reason)
        access_logs = logs.LogGroup(self, "AccessLogs", retention=retention(params.retention_days))
        stage = apigw.HttpStage(
            self,
            "Stage",
            http_api=api,
            stage_name="$default",
            auto_deploy=True,
            throttle=apigw.ThrottleSettings(
                rate_limit=params.throttle_rate_per_s, burst_limit=params.throttle_burst
            ),
        )
        cfn_stage = stage.node.default_child
        assert isinstance(cfn_stage, apigw.CfnStage)
        cfn_stage.access_log_settings = apigw.CfnStage.AccessLogSettingsProperty(
            destination_arn=access_logs.log_group_arn, format=json.dumps(_ACCESS_LOG_FORMAT)
        )
        throttled = logs.MetricFilter(
            self,
            "Throttled",
            log_group=access_logs,
            metric_namespace="mecrouter",
            metric_name="ApiThrottled",
            filter_pattern=logs.FilterPattern.string_value("$.status", "=", "429"),
            metric_value="1",
            default_value=0,
        )
        self.throttled = throttled.metric(statistic="Sum", period=cdk.Duration.minutes(5))
        return api


def _suppress_tracing(stack: cdk.Stack) -> None:
    acknowledge(
        stack,
        "AwsSolutions-IAM5[Resource::*]",
        "X-Ray's PutTraceSegments and PutTelemetryRecords (active tracing) and CloudWatch's "
        "PutMetricData take no resource but '*'; PutMetricData is bound to the mecrouter "
        "namespace by a condition",
    )
