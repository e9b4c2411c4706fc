"""One synthesis of the CDK app for all the infrastructure tests (about 20 s: the CDK runs in a
Node process), without AWS credentials. Skipped with the reason when aws-cdk-lib or Node.js is
missing, except under CI, where that fails."""

from __future__ import annotations

import json
import os
import shutil
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

INFRA = Path(__file__).resolve().parents[2] / "infrastructure"


@dataclass
class Synthesised:
    outdir: Path
    stacks: Any  # mecrouter_infra.Stacks

    def template(self, stack_name: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.outdir / f"{stack_name}.template.json").read_text())
        return data

    def templates(self) -> dict[str, dict[str, Any]]:
        return {s.stack_name: self.template(s.stack_name) for s in self.stacks.all()}


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
