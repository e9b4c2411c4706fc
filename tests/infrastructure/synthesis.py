"""What the session's synthesis of the CDK app gives the tests (its fixture is in conftest.py)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any


@dataclass
class Synthesised:
    outdir: Path
    stacks: Any  # mecrouter_infra.Stacks

    def template(self, stack_name: str) -> dict[str, Any]:
        data: dict[str, Any] = json.loads((self.outdir / f"{stack_name}.template.json").read_text())
        return data

    def templates(self) -> dict[str, dict[str, Any]]:
        return {s.stack_name: self.template(s.stack_name) for s in self.stacks.all()}
