"""The gateway's config for the deployment: the shipped config with the deployment's endpoints.

- cloud: the shipped cloud endpoints whose model is one of ``bedrockModels``, on Bedrock in the
  deployment's region;
- MEC: the shipped MEC endpoints named in ``mecEndpoints``, each at its node's ``baseUrl``
  (``openai_http``), its key (when ``apiKey``) read from the upstream-keys secret;
- device: none (a device decides for itself, with the library embedded);
- decisions to the stack's DynamoDB tables, the Monitor's metrics to CloudWatch and circuit
  changes and anomalies to EventBridge.

The result is checked with mecrouter's own config loader at synthesis, so a bad parameter stops
`cdk synth` with the loader's message rather than a gateway that cannot start.
"""

from __future__ import annotations

import tempfile
from importlib import resources
from pathlib import Path
from typing import Any

import yaml

from mecrouter.config import load_config
from mecrouter_infra.params import Params

__all__ = ["gateway_config"]


def gateway_config(params: Params, upstream_keys_secret: str) -> str:
    """The config as YAML text. ``upstream_keys_secret`` is the secret's name (a plain string,
    not a token: it goes into the text)."""
    shipped = resources.files("mecrouter").joinpath("default_config.yaml").read_text()
    raw: dict[str, Any] = yaml.safe_load(shipped)
    by_id = {ep["id"]: ep for ep in raw["endpoints"]}
    endpoints = [
        _bedrock(ep, params.region) for ep in raw["endpoints"] if _wanted_cloud(ep, params)
    ]
    for mec in params.mec_endpoints:
        shipped_ep = by_id.get(mec.id)
        if shipped_ep is None or shipped_ep["tier"] != "mec":
            mec_ids = sorted(i for i, ep in by_id.items() if ep["tier"] == "mec")
            raise ValueError(f"mecrouter:mecEndpoints: {mec.id!r} is none of {mec_ids}")
        endpoint = {**shipped_ep, "backend": "openai_http", "base_url": mec.base_url}
        if mec.api_key:
            endpoint["api_key_secret"] = f"{upstream_keys_secret}#{mec.id}"
        endpoints.append(endpoint)
    missing = set(params.bedrock_models) - {ep["model"] for ep in endpoints}
    if missing:
        raise ValueError(
            f"mecrouter:bedrockModels: no shipped cloud endpoint for {sorted(missing)}"
        )
    raw["endpoints"] = endpoints
    raw["store"] = {
        "backend": "dynamodb",
        "table_prefix": params.prefix,
        "region": params.region,
        "retention_days": params.retention_days,
        "outbox": None,  # straight to DynamoDB: a function's disk does not outlive it
    }
    raw["aws"] = {
        "region": params.region,
        "cloudwatch": {"enabled": True, "interval_s": 10.0},
        "eventbridge": {"enabled": True},
    }
    text = yaml.safe_dump(raw, sort_keys=False)
    _check(text)
    return text


def _wanted_cloud(endpoint: dict[str, Any], params: Params) -> bool:
    return bool(endpoint["tier"] == "cloud" and endpoint["model"] in params.bedrock_models)


def _bedrock(endpoint: dict[str, Any], region: str) -> dict[str, Any]:
    return {**endpoint, "backend": "bedrock", "region": region}


def _check(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "mecrouter.yaml"
        path.write_text(text)
        load_config(path)
