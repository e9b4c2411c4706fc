"""One synthesis of the CDK app for all the infrastructure tests (about 20 s: the CDK runs in a
Node process), without AWS credentials. Skipped with the reason when aws-cdk-lib or Node.js is
missing, except under CI, where that fails."""

from __future__ import annotations

import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from synthesis import Synthesised

INFRA = Path(__file__).resolve().parents[2] / "infrastructure"


def _require(condition: bool, reason: str) -> None:
    if not condition:
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)


@pytest.fixture(scope="session")
def synthesised(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Synthesised]:
    _require(shutil.which("node") is not None, "the CDK needs Node.js (node) on PATH")
    try:
        import aws_cdk as cdk
    except ImportError:
        _require(False, "aws-cdk-lib is not installed (make venv installs it)")
    sys.path.insert(0, str(INFRA))
    from mecrouter_infra import build

    outdir = tmp_path_factory.mktemp("cdk.out")
    app = cdk.App(outdir=str(outdir))
    stacks = build(app)
    app.synth()
    yield Synthesised(outdir, stacks)
