"""The command line: JSON decisions for scripts, clean one-line errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys

from typer.testing import CliRunner

from mecrouter.cli import app

runner = CliRunner()


def test_route_json_is_one_routing_decision_object() -> None:
    result = runner.invoke(
        app, ["route", "Greet the player", "--use-case", "gaming", "--slo-ms", "50", "--json"]
    )
    assert result.exit_code == 0, result.output
    decision = json.loads(result.output)
    assert decision["selected_tier"] == "device"
    assert {"selected_model", "confidence_score", "reasoning", "fallback_options"} <= set(decision)
    assert {"estimated_latency", "estimated_cost", "selected_endpoint"} <= set(decision)


def test_route_keeps_phi_off_the_cloud() -> None:
    result = runner.invoke(
        app, ["route", "Patient MRN 4829103 glucose 310", "--use-case", "healthcare", "--json"]
    )
    decision = json.loads(result.output)
    assert decision["selected_tier"] != "cloud" and "cloud" not in decision["fallback_options"]


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-c", "from mecrouter.cli import main; main()", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)


def test_bad_input_is_one_line_naming_the_field_and_exit_2() -> None:
    done = _run("route", "hello", "--battery", "140")
    assert done.returncode == 2
    assert "device_info.battery_pct" in done.stderr
    assert "Traceback" not in done.stderr + done.stdout


def test_unservable_request_explains_why_with_exit_2() -> None:
    done = _run("route", "hello", "--network", "offline", "--local-model", "none")
    assert done.returncode == 2
    assert "model not on device" in done.stderr and "Traceback" not in done.stderr


def test_route_use_case_is_matched_in_any_case() -> None:
    result = runner.invoke(
        app, ["route", "Discharge note: rest at home", "--use-case", "Healthcare", "--json"]
    )
    assert result.exit_code == 0, result.output
    assert json.loads(result.output)["selected_tier"] != "cloud"


def test_route_unknown_use_case_names_the_known_ones_and_exits_2() -> None:
    done = _run("route", "hello", "--use-case", "hospital")
    assert done.returncode == 2
    assert "use_case" in done.stderr and "healthcare" in done.stderr
    assert "Traceback" not in done.stderr
