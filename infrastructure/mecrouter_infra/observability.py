"""ObservabilityStack: a CloudWatch dashboard of the gateway's metrics (namespace ``mecrouter``,
published by `mecrouter.aws.cloudwatch`) and of the API, and alarms to an SNS topic.

Alarms: SLO attainment below the target (average over 15 minutes), any circuit open, the failed
share of requests over 5%, the API's 5xx answers, and the API's throttling (more than 50 429s in
5 minutes, counted from the access log: an HTTP API has no metric of its own for them). A
metric that is not published (no traffic) leaves an alarm in INSUFFICIENT_DATA, not in ALARM:
silence is no outage here, the API's own alarms cover a gateway that stopped answering.
"""

from __future__ import annotations

from typing import Any

import aws_cdk as cdk
from aws_cdk import aws_cloudwatch as cw
from aws_cdk import aws_cloudwatch_actions as cw_actions
from aws_cdk import aws_sns as sns
from aws_cdk import aws_sns_subscriptions as subscriptions
from constructs import Construct

from mecrouter_infra.api import ApiStack
from mecrouter_infra.data import DataStack
from mecrouter_infra.params import Params

__all__ = ["NAMESPACE", "TIERS", "ObservabilityStack"]

NAMESPACE = "mecrouter"
TIERS = ("device", "mec", "cloud")
_PERIOD = cdk.Duration.minutes(1)


def _metric(name: str, stat: str, **dimensions: str) -> cw.Metric:
    return cw.Metric(
        namespace=NAMESPACE, metric_name=name, statistic=stat, period=_PERIOD,
        dimensions_map=dimensions,
    )  # fmt: skip


class ObservabilityStack(cdk.Stack):
    def __init__(
        self,
        scope: Construct,
        construct_id: str,
        params: Params,
        data: DataStack,
        api: ApiStack,
        **kw: Any,
    ) -> None:
        super().__init__(scope, construct_id, **kw)
        self.topic = sns.Topic(
            self,
            "Alarms",
            topic_name=f"{params.prefix}alarms",
            master_key=data.key,
            enforce_ssl=True,
        )
        if params.alarm_email:
            self.topic.add_subscription(subscriptions.EmailSubscription(params.alarm_email))
        self.alarms = self._alarms(params, api)
        self.dashboard = self._dashboard(params, api)

    def _alarms(self, params: Params, api: ApiStack) -> list[cw.Alarm]:
        use_case_slo = cw.MathExpression(
            expression=f"AVG({_search('UseCase', 'SLOAttainment', 'Average', 300)})",
            period=cdk.Duration.minutes(5),
            label="SLO attainment, worst use case",
        )
        failed = cw.MathExpression(
            expression="100 * failed / MAX([requests, 1])",
            using_metrics={
                "failed": _sum_over_tiers("FailedRequests"),
                "requests": _sum_over_tiers("Requests"),
            },
            period=cdk.Duration.minutes(5),
        )
        circuits = cw.MathExpression(
            expression=f"MAX({_search('Endpoint', 'CircuitState', 'Maximum', 60)})",
            period=_PERIOD,
        )
        at_least = cw.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD
        specs: list[tuple[str, cw.IMetric, float, int, cw.ComparisonOperator]] = [
            ("SloAttainment", use_case_slo, params.slo_target_percent, 3,
             cw.ComparisonOperator.LESS_THAN_THRESHOLD),
            ("CircuitOpen", circuits, 2, 1, at_least),
            ("ErrorRate", failed, 5, 3, cw.ComparisonOperator.GREATER_THAN_THRESHOLD),
            ("Api5xx", api.api.metric_server_error(period=cdk.Duration.minutes(5)), 5, 1,
             cw.ComparisonOperator.GREATER_THAN_THRESHOLD),
            ("Throttles", api.throttled, 50, 1, cw.ComparisonOperator.GREATER_THAN_THRESHOLD),
        ]  # fmt: skip
        alarms = []
        for name, metric, threshold, periods, comparison in specs:
            alarm = cw.Alarm(
                self,
                name,
                alarm_name=f"{params.prefix}{name}",
                metric=metric,
                threshold=threshold,
                evaluation_periods=periods,
                comparison_operator=comparison,
                treat_missing_data=cw.TreatMissingData.MISSING,
            )
            alarm.add_alarm_action(cw_actions.SnsAction(self.topic))
            alarms.append(alarm)
        return alarms

    def _dashboard(self, params: Params, api: ApiStack) -> cw.Dashboard:
        board = cw.Dashboard(self, "Dashboard", dashboard_name=f"{params.prefix}gateway")
        latency = [_metric("Latency", "p95", Tier=t) for t in TIERS]
        board.add_widgets(
            cw.GraphWidget(title="p95 latency per tier (ms)", left=latency, width=12),
            cw.GraphWidget(
                title="Requests per tier", left=[_metric("Requests", "Sum", Tier=t) for t in TIERS],
                width=12,
            ),
        )  # fmt: skip
        board.add_widgets(
            cw.GraphWidget(
                title="SLO attainment per use case (%)",
                left=[cw.MathExpression(
                    expression=_search("UseCase", "SLOAttainment", "Average", 60), period=_PERIOD)],
                width=8,
            ),
            cw.GraphWidget(
                title="Fallbacks and failures",
                left=[_sum_over_tiers("Fallbacks"), _sum_over_tiers("FailedRequests")],
                width=8,
            ),
            cw.GraphWidget(
                title="Cost (USD)", left=[_metric("CostUSD", "Sum", Tier=t) for t in TIERS], width=8
            ),
        )  # fmt: skip
        board.add_widgets(
            cw.GraphWidget(
                title="Circuit state per endpoint (0 closed, 1 half-open, 2 open)",
                left=[cw.MathExpression(
                    expression=_search("Endpoint", "CircuitState", "Maximum", 60), period=_PERIOD)],
                width=12,
            ),
            cw.GraphWidget(
                title="API: requests, 4xx, 5xx",
                left=[api.api.metric_count(), api.api.metric_client_error(),
                      api.api.metric_server_error()],
                width=12,
            ),
            cw.AlarmStatusWidget(alarms=self.alarms, title="Alarms", width=24),
        )  # fmt: skip
        return board


def _search(dimension: str, name: str, stat: str, period_s: int) -> str:
    """Every series of metric ``name`` in the namespace, one per value of ``dimension``."""
    return f"SEARCH('{{{NAMESPACE},{dimension}}} MetricName=\"{name}\"', '{stat}', {period_s})"


def _sum_over_tiers(name: str) -> cw.MathExpression:
    metrics = {f"{name.lower()}_{t}": _metric(name, "Sum", Tier=t) for t in TIERS}
    return cw.MathExpression(
        expression=" + ".join(f"FILL({k}, 0)" for k in metrics),
        using_metrics=metrics,
        label=name,
        period=_PERIOD,
    )
