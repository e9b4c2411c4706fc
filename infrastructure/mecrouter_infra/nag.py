"""cdk-nag (v3): the AwsSolutions pack as a policy-validation plugin, and the one way this app
acknowledges a finding: beside the resource, with its reason (`acknowledge`)."""

from __future__ import annotations

import aws_cdk as cdk
from cdk_nag import AwsSolutionsChecks
from constructs import IConstruct

__all__ = ["acknowledge", "add_checks"]


def acknowledge(scope: IConstruct, rule: str, reason: str) -> None:
    """Acknowledge cdk-nag's ``rule`` (e.g. ``AwsSolutions-IAM5`` or a granular
    ``AwsSolutions-IAM5[Resource::*]``) on ``scope`` and everything under it."""
    cdk.Validations.of(scope).acknowledge(cdk.Acknowledgment(id=rule, reason=reason))


def add_checks(app: cdk.App) -> None:
    """AwsSolutions on every stack of ``app``: an unacknowledged finding fails the synthesis."""
    cdk.Validations.of(app).add_plugins(AwsSolutionsChecks(app, verbose=True))
