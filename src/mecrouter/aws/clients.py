"""boto3 clients as every AWS part of mecrouter makes them: one way to pick the region, the
endpoint and the retry policy.

Credentials come from boto3's default chain (environment, profile, SSO, instance or task role);
nothing here reads or stores them. The endpoint is AWS's unless given: a VPC endpoint, LocalStack,
or moto's server in the tests. boto3 also honours ``AWS_ENDPOINT_URL`` and per-service variables
such as ``AWS_ENDPOINT_URL_DYNAMODB``. Retries use botocore's adaptive mode (exponential backoff
with jitter, plus client-side rate limiting once AWS throttles).
"""

from __future__ import annotations

import os
from typing import Any

from mecrouter.errors import ConfigError

__all__ = ["MissingAwsExtra", "aws_client", "require_boto3"]


class MissingAwsExtra(ConfigError):
    """boto3 is not installed: the AWS parts need ``pip install 'mecrouter[aws]'`` (a config
    error, so the command line reports it in one line)."""


def require_boto3(feature: str, field: str = "aws") -> None:
    """Raise `MissingAwsExtra` naming ``feature`` (and the config ``field`` that asked for it)
    if boto3 cannot be imported."""
    try:
        import boto3  # noqa: F401
    except ImportError as exc:
        hint = f"{feature} needs boto3: pip install 'mecrouter[aws]'"
        raise MissingAwsExtra(field, hint) from exc


def aws_client(
    service: str,
    *,
    region: str | None = None,
    endpoint_url: str | None = None,
    max_pool_connections: int = 10,
    max_attempts: int = 3,
    connect_timeout_s: float = 5.0,
    read_timeout_s: float = 60.0,
) -> Any:
    """A boto3 client for ``service`` (thread-safe: share one per process and service).

    ``region`` None (or ``"local"``) takes ``AWS_REGION`` (what Lambda and the other AWS SDKs
    read), else boto3's chain (``AWS_DEFAULT_REGION``, the profile); no region at all is a
    `ConfigError` saying where to give one. ``max_pool_connections`` should match the threads
    that will share the client.
    """
    require_boto3(f"the AWS {service} client")
    import boto3
    from botocore.config import Config
    from botocore.exceptions import NoRegionError

    config = Config(
        retries={"mode": "adaptive", "max_attempts": max_attempts},
        max_pool_connections=max_pool_connections,
        connect_timeout=connect_timeout_s,
        read_timeout=read_timeout_s,
    )
    if region in (None, "", "local"):
        region = os.environ.get("AWS_REGION") or None
    try:
        return boto3.session.Session().client(
            service, region_name=region, endpoint_url=endpoint_url or None, config=config
        )
    except NoRegionError:
        raise ConfigError(
            "region",
            f"no AWS region for {service}: give `region` (in the config, or ?region= in a"
            " dynamodb:// store URL), or set AWS_REGION",
        ) from None
