"""The Bedrock backend's IAM policy names exactly the actions its code needs."""

from __future__ import annotations

import ast
import inspect
import json
import re
from pathlib import Path

import pytest

from mecrouter.config import load_config
from mecrouter.types import ComputeTier

pytest.importorskip("boto3")
import botocore.session

from mecrouter.backends import bedrock

DOC = Path(__file__).resolve().parents[2] / "docs" / "aws.md"


def _client_calls() -> set[str]:
    """Every `self._client.<operation>(...)` in the backend's source."""
    tree = ast.parse(inspect.getsource(bedrock))
    return {
        node.func.attr
        for node in ast.walk(tree)
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and isinstance(node.func.value, ast.Attribute)
        and node.func.value.attr == "_client"
    }


def test_the_policy_names_exactly_the_operations_the_code_calls() -> None:
    assert _client_calls() == set(bedrock.IAM_ACTIONS)
    service = botocore.session.get_session().get_service_model("bedrock-runtime")
    operations = {re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower() for name in service.operation_names}
    assert set(bedrock.IAM_ACTIONS) <= operations
    policy = bedrock.iam_policy(["amazon.nova-micro-v1:0"], "us-east-1")
    (statement,) = policy["Statement"]
    assert statement["Action"] == sorted(bedrock.IAM_ACTIONS.values())
    assert not any("*" in action for action in statement["Action"])


def test_the_documented_policy_is_the_shipped_configs() -> None:
    models = [e.model for e in load_config().endpoints if e.tier is ComputeTier.CLOUD]
    documented = re.search(r"```json\n(.*?)```", DOC.read_text(), re.DOTALL)
    assert documented is not None
    assert json.loads(documented.group(1)) == bedrock.iam_policy(models, "us-east-1")


def test_an_inference_profile_also_needs_its_own_arn() -> None:
    policy = bedrock.iam_policy(["us.amazon.nova-pro-v1:0"], "us-east-1", account="123456789012")
    assert policy["Statement"][0]["Resource"] == [
        "arn:aws:bedrock:us-east-1:123456789012:inference-profile/us.amazon.nova-pro-v1:0",
        "arn:aws:bedrock:*::foundation-model/amazon.nova-pro-v1:0",
    ]
