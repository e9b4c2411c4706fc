"""`mecrouter simulate`: a report from a small run; clear errors for bad options."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mecrouter.cli import app
from mecrouter.compiled import compiled

runner = CliRunner()


def test_simulate_writes_the_report_json_and_plots(tmp_path: Path) -> None:
    out = tmp_path / "report"
    result = runner.invoke(
        app,
        ["simulate", "--scenario", "iot", "--requests", "300", "--out", str(out),
         "--policies", "mecrouter,cloud-only,oracle", "--workers", "1"],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "900 simulated requests" in result.output
    build = "compiled build" if compiled() else "pure-Python build"  # what the speed is of
    assert build in result.output
    assert "iot: mecrouter's latency predictions: " in result.output  # how wrong, per tier
    assert "|error| p50" in result.output
    report = (out / "report.md").read_text()
    assert "| mecrouter |" in report and "mecrouter vs cloud-only" in report
    assert ("compiled build (`make fast`" in report) == bool(compiled())
    figures = json.loads((out / "results.json").read_text())
    assert figures["compiled_modules"] == compiled()
    assert json.dumps(figures).count('"mecrouter"') >= 1
    assert (out / "iot-latency-cdf.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["simulate"], "exactly one of --scenario"),
        (["simulate", "--scenario", "chess"], "unknown scenario"),
        (["simulate", "--scenario", "iot", "--policies", "psychic"], "unknown policy"),
        (["simulate", "--scenario", "iot", "--requests", "5"], "requests"),
    ],
)
def test_bad_options_exit_2_with_a_message(args: list[str], message: str) -> None:
    result = runner.invoke(app, args)
    assert result.exit_code == 2
    assert message in result.output
