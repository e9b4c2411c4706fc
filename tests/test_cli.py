"""The command line: JSON decisions for scripts, clean one-line errors with exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mecrouter.cli import app
from mecrouter.stores import STORE_URL_FORMS

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


def _one_line(stderr: str) -> str:
    """The error text with rich's panel borders and line wrapping taken out."""
    return " ".join(stderr.replace("│", " ").split())


@pytest.mark.parametrize("command", ["serve", "demo"])
@pytest.mark.parametrize(
    "url", ["postgres://db/records", "decisions.sqlite3", "sqlite://", "memory:///x"]
)
def test_a_bad_store_url_names_the_option_and_the_accepted_forms_with_exit_2(
    command: str, url: str
) -> None:
    result = runner.invoke(app, [command, "--store", url])
    assert result.exit_code == 2
    error = _one_line(result.output)
    assert "Invalid value for '--store'" in error and repr(url) in error
    assert all(form in error for form in STORE_URL_FORMS), error
    assert result.exception is None or isinstance(result.exception, SystemExit)


def test_store_and_its_alias_db_together_are_refused_with_exit_2(tmp_path: Path) -> None:
    done = _run("serve", "--store", "memory://", "--db", str(tmp_path / "d.sqlite3"))
    assert done.returncode == 2
    assert "give --store or --db, not both" in _one_line(done.stderr)
    assert "Traceback" not in done.stderr + done.stdout
    assert not (tmp_path / "d.sqlite3").exists()
