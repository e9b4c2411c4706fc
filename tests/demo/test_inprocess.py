"""`mecrouter demo` in-process: every request recorded, a report with its plot, one headline line
per scenario that agrees with the report's tables; bad input is a clear error with exit 2."""

from __future__ import annotations

import re
import sqlite3
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from mecrouter.demo.inprocess import DEMO_POLICIES
from mecrouter.scenarios import SCENARIOS, Scenario

REQUESTS = 10
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
HEADLINE = re.compile(
    r"^(?P<label>[\w-]+): p50 (?P<metric>TTFT|latency) (?P<p50>[+-]?\d+%|n/a) and cost "
    r"(?P<cost>[+-]?\d+%|n/a) vs cloud-only, SLO met (?P<slo>[\d.]+%) vs (?P<slo_base>[\d.]+%), "
    r"(?P<viol>\d+) privacy violations \(vs (?P<viol_base>\d+)\), "
    r"(?P<served>[\d.]+%) served \(vs (?P<served_base>[\d.]+%)\)$"
)


@dataclass(frozen=True)
class Run:
    out: Path
    exit_code: int
    lines: list[str]

    @property
    def report(self) -> str:
        return (self.out / "report.md").read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def run(tmp_path_factory: pytest.TempPathFactory) -> Run:
    from mecrouter.cli import app

    out = tmp_path_factory.mktemp("demo") / "report" / "demo"  # created by the command
    result = CliRunner().invoke(
        app, ["demo", "--requests", str(REQUESTS), "--seed", "7", "--out", str(out)]
    )
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return Run(out, result.exit_code, result.output.rstrip("\n").splitlines())


def _table(report: str, scenario: Scenario) -> dict[str, dict[str, str]]:
    """The scenario's policy table in report.md: policy -> column -> cell."""
    section = report.split(f"\n## {scenario.name}:", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    header = [c.strip() for c in rows[0].strip("|").split("|")]
    table = {}
    for row in rows[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        table[cells[0]] = dict(zip(header, cells, strict=True))
    return table


def _change(ours: str, base: str) -> float:
    return 100.0 * (float(ours) - float(base)) / float(base)


def test_every_request_of_every_policy_is_recorded(run: Run) -> None:
    assert run.exit_code == 0, "\n".join(run.lines)
    with sqlite3.connect(run.out / "decisions.sqlite3") as db:
        stored = db.execute("SELECT count(*) FROM routing_decisions").fetchone()[0]
    assert stored == REQUESTS * len(DEMO_POLICIES) * len(SCENARIOS)
    assert f"{stored} of {stored} requests recorded" in "\n".join(run.lines)


def test_output_ends_with_the_report_the_plot_headlines_and_the_dashboard(run: Run) -> None:
    tail = run.lines[-(len(SCENARIOS) + 3) :]
    assert tail[0] == f"report: {run.out / 'report.md'}"
    assert tail[1] == f"plot: {run.out / 'policies.png'}"
    assert (run.out / "policies.png").read_bytes()[:8] == PNG_MAGIC
    labels = [m.group("label") for line in tail[2:-1] if (m := HEADLINE.match(line))]
    assert labels == [s.use_case for s in SCENARIOS]
    for line in tail[2:-1]:
        assert f"- {line}\n" in run.report  # the report carries the same headline
    assert tail[-1] == f"dashboard: mecrouter dashboard --store {run.out / 'decisions.sqlite3'}"


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda s: s.use_case)
def test_headline_numbers_are_those_of_the_report_tables(run: Run, scenario: Scenario) -> None:
    line = next(x for x in run.lines if x.startswith(f"{scenario.use_case}: "))
    head = HEADLINE.match(line)
    assert head is not None, line
    table = _table(run.report, scenario)
    ours, base = table["mecrouter"], table["cloud-only"]
    assert (head["slo"], head["slo_base"]) == (ours["SLO met"], base["SLO met"])
    assert (head["viol"], head["viol_base"]) == (ours["privacy viol."], base["privacy viol."])
    assert (head["served"], head["served_base"]) == (ours["success"], base["success"])
    # the tables round ms to 1 and $ to 0.0001: the changes agree up to that rounding
    p50 = _change(ours["p50 ms"], base["p50 ms"])
    assert float(head["p50"].rstrip("%")) == pytest.approx(p50, abs=1.5)
    if float(base["$ per 1k req"]) >= 0.001:
        cost = _change(ours["$ per 1k req"], base["$ per 1k req"])
        assert float(head["cost"].rstrip("%")) == pytest.approx(cost, abs=3.0)


def test_mecrouter_keeps_phi_off_the_cloud_in_healthcare_and_cloud_only_does_not(run: Run) -> None:
    healthcare = next(s for s in SCENARIOS if s.use_case == "healthcare")
    table = _table(run.report, healthcare)
    assert table["mecrouter"]["privacy viol."] == "0"
    assert int(table["cloud-only"]["privacy viol."]) > 0
    assert table["mecrouter"]["success"] == "100.0%"  # and still served everyone


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    cmd = [sys.executable, "-c", "from mecrouter.cli import main; main()", "demo", *args]
    return subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--requests", "0"], "--requests"),
        (["--seed", "lots"], "--seed"),
        (["--out", "{file}"], "--out"),
        (["--db", "{file}/decisions.sqlite3"], "--db"),
        (["--config", "{missing}"], "cannot read config file"),
    ],
)
def test_bad_input_is_a_clear_error_with_exit_2(
    tmp_path: Path, args: list[str], message: str
) -> None:
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    paths = {"file": str(a_file), "missing": str(tmp_path / "missing.yaml")}
    argv = [arg.format(**paths) for arg in args]
    out = tmp_path / "out"
    done = _cli(*argv, *([] if "--out" in argv else ["--out", str(out)]))
    assert done.returncode == 2
    assert message in " ".join(done.stderr.split())  # rich may wrap the line
    assert "Traceback" not in done.stdout + done.stderr
    assert not (out / "report.md").exists()
