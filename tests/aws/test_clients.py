"""Where an AWS client's region comes from, and what a user without one is told."""

from __future__ import annotations

import os
import subprocess
import sys
from importlib import resources
from pathlib import Path

import pytest

from mecrouter.aws.clients import aws_client
from mecrouter.errors import ConfigError
from mecrouter.gateway.topology import free_port, mecrouter_command
from mecrouter.stores import open_store

pytest.importorskip("boto3")


def test_aws_region_is_read_as_the_other_sdks_and_lambda_read_it(
    aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.setenv("AWS_REGION", "ap-south-1")
    assert aws_client("dynamodb").meta.region_name == "ap-south-1"
    assert aws_client("dynamodb", region="us-east-2").meta.region_name == "us-east-2"


def test_no_region_anywhere_is_a_config_error_saying_where_to_give_one(
    aws_env: dict[str, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("AWS_DEFAULT_REGION")
    monkeypatch.delenv("AWS_REGION")
    with pytest.raises(ConfigError) as caught:
        open_store("dynamodb://prod-?outbox=none")
    assert caught.value.field == "region"
    assert "AWS_REGION" in caught.value.message and "?region=" in caught.value.message


def test_serve_without_a_region_says_so_before_it_starts(aws_env: dict[str, str]) -> None:
    env = {k: v for k, v in os.environ.items() if k not in ("AWS_REGION", "AWS_DEFAULT_REGION")}
    port = str(free_port())
    argv = [*mecrouter_command(), "serve", "--store", "dynamodb://p-?outbox=none", "--port", port]
    done = subprocess.run(argv, env=env, capture_output=True, text=True, timeout=60)
    assert done.returncode == 2
    assert "no AWS region" in done.stderr and "Traceback" not in done.stderr


def test_serve_without_boto3_for_an_enabled_aws_section_is_a_config_error(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import yaml

    from mecrouter.config import load_config
    from mecrouter.gateway.commands import _records

    raw = yaml.safe_load(resources.files("mecrouter").joinpath("default_config.yaml").read_text())
    raw["aws"]["cloudwatch"]["enabled"] = True
    (tmp_path / "c.yaml").write_text(yaml.safe_dump(raw))
    monkeypatch.setitem(sys.modules, "boto3", None)  # as if the aws extra were not installed
    with pytest.raises(ConfigError) as caught:
        _records(load_config(tmp_path / "c.yaml"), None)
    assert caught.value.field == "aws" and "pip install 'mecrouter[aws]'" in caught.value.message
