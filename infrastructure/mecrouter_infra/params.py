"""The deployment's parameters, read from the CDK context (cdk.json, or `-c key=value`).

- ``mecrouter:prefix``: names of tables and other resources (``mecrouter-`` by default);
- ``mecrouter:region``: where Bedrock is called and the stacks deploy (the account is the CLI's);
- ``mecrouter:bedrockModels``: Bedrock model ids of the cloud tier, each one of the shipped
  config's cloud endpoints (``amazon.nova-micro-v1:0`` ...);
- ``mecrouter:mecEndpoints``: the MEC nodes' OpenAI-compatible servers, a list of
  ``{"id": <a shipped MEC endpoint id>, "baseUrl": "http://10.0.1.5:8000/v1"}``; an endpoint with
  ``"apiKey": true`` sends the key held in the stack's upstream-keys secret under its id;
- ``mecrouter:retentionDays``: how long decisions are kept (DynamoDB TTL) and logs;
- ``mecrouter:alarmEmail``: subscribed to the alarms' topic when given;
- ``mecrouter:sloTargetPercent``: the SLO attainment below which the alarm fires;
- ``mecrouter:throttleRatePerSecond`` and ``mecrouter:throttleBurst``: the HTTP API's limits.

A value of the wrong kind stops the synthesis with a message naming the key.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from constructs import Node

__all__ = ["MecEndpoint", "Params"]


@dataclass(frozen=True)
class MecEndpoint:
    id: str
    base_url: str
    api_key: bool = False


@dataclass(frozen=True)
class Params:
    prefix: str = "mecrouter-"
    region: str = "us-east-1"
    bedrock_models: tuple[str, ...] = ("amazon.nova-micro-v1:0", "amazon.nova-lite-v1:0")
    mec_endpoints: tuple[MecEndpoint, ...] = ()
    retention_days: int = 30
    alarm_email: str = ""
    slo_target_percent: float = 95.0
    throttle_rate_per_s: float = 50.0
    throttle_burst: int = 100

    @classmethod
    def from_context(cls, node: Node) -> Params:
        def get(key: str, kind: type, default: Any) -> Any:
            value = node.try_get_context(f"mecrouter:{key}")
            if value is None:
                return default
            if kind is float and isinstance(value, int) and not isinstance(value, bool):
                value = float(value)
            if not isinstance(value, kind) or isinstance(value, bool) is not (kind is bool):
                raise ValueError(f"context mecrouter:{key} must be a {kind.__name__}: {value!r}")
            return value

        defaults = cls()
        mec = tuple(_mec_endpoint(raw) for raw in get("mecEndpoints", list, []))
        return cls(
            prefix=get("prefix", str, defaults.prefix),
            region=get("region", str, defaults.region),
            bedrock_models=tuple(get("bedrockModels", list, list(defaults.bedrock_models))),
            mec_endpoints=mec,
            retention_days=get("retentionDays", int, defaults.retention_days),
            alarm_email=get("alarmEmail", str, defaults.alarm_email),
            slo_target_percent=get("sloTargetPercent", float, defaults.slo_target_percent),
            throttle_rate_per_s=get("throttleRatePerSecond", float, defaults.throttle_rate_per_s),
            throttle_burst=get("throttleBurst", int, defaults.throttle_burst),
        )


def _mec_endpoint(raw: Any) -> MecEndpoint:
    if not isinstance(raw, dict) or not isinstance(raw.get("id"), str):
        raise ValueError(f"context mecrouter:mecEndpoints: each needs an id and a baseUrl: {raw!r}")
    base_url = raw.get("baseUrl")
    if not isinstance(base_url, str) or not base_url.startswith(("http://", "https://")):
        raise ValueError(f"context mecrouter:mecEndpoints[{raw['id']}].baseUrl: an http(s) URL")
    return MecEndpoint(raw["id"], base_url, bool(raw.get("apiKey", False)))
