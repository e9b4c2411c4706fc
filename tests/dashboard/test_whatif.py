"""The What-if page's runs give `mecrouter simulate`'s numbers for the same arguments, report
their progress, and refuse bad arguments by name."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mecrouter.dashboard.source import DashboardError
from mecrouter.dashboard.whatif import WhatIf, check, policy_choices, start_run

ARGS = WhatIf("iot", ("mecrouter", "cloud-only"), requests=150, seed=3, fault="mec-outage")


def test_a_run_in_the_background_matches_the_command(tmp_path: Path) -> None:
    run = start_run(ARGS, tmp_path / "page")
    assert run.total == 2
    deadline = time.monotonic() + 120
    while run.running and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not run.running and run.error is None and run.report is not None
    assert run.done == 2 and run.progress == 1.0
    command = ARGS.command(tmp_path / "cli").split()[1:]  # after "mecrouter"
    cli = [sys.executable, "-c", "from mecrouter.cli import main; main()", *command]
    done = subprocess.run(
        [*cli, "--workers", "1"], capture_output=True, text=True, timeout=180, check=False
    )
    assert done.returncode == 0, done.stderr
    page = json.loads((tmp_path / "page" / "results.json").read_text())
    cli = json.loads((tmp_path / "cli" / "results.json").read_text())
    assert _numbers(page) == _numbers(cli)
    assert "node_outage" in json.dumps(page)  # the fault asked for, not the scenario's own


def _numbers(results: object) -> object:
    """The results without the wall-clock times, which differ run to run."""
    if isinstance(results, dict):
        return {k: _numbers(v) for k, v in results.items() if "wall" not in k}
    if isinstance(results, list):
        return [_numbers(v) for v in results]
    return results


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (WhatIf("nowhere"), "unknown scenario 'nowhere'"),
        (WhatIf("iot", fault="meteor"), "unknown fault 'meteor'"),
        (WhatIf("iot", ("teleport",)), "unknown policy 'teleport'"),
        (WhatIf("iot", requests=0), "requests must be between"),
    ],
)
def test_bad_arguments_are_refused_by_name(args: WhatIf, message: str) -> None:
    with pytest.raises(DashboardError, match=message):
        check(args)


def test_the_scenarios_own_policies_come_first() -> None:
    choices = policy_choices("iot")
    assert choices[0] == "mecrouter" and "oracle" in choices and len(set(choices)) == len(choices)
