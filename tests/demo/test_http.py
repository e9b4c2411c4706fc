"""`mecrouter demo --http`: real processes on 127.0.0.1 answer and record every request, and are
all gone when the command returns."""

from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

from mecrouter.scenarios import SCENARIOS
from mecrouter.types import ComputeTier

REQUESTS = 10
STOPPED = re.compile(
    r"^stopped (?P<name>\S+) \(pid (?P<pid>\d+), http://(?P<host>[\d.]+):(?P<port>\d+)\)$"
)
RECORDED = re.compile(
    r"(?P<n>\d+) of (?P<sent>\d+) requests recorded by the gateway in (?P<db>\S+) "
    r"\((?P<lost>\d+) lost\); logs in (?P<logs>\S+)"
)


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def _listening(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) == 0


def test_http_demo_answers_records_everything_and_leaves_no_process(tmp_path: Path) -> None:
    out = tmp_path / "report"
    argv = ["demo", "--http", "--requests", str(REQUESTS), "--seed", "5", "--out", str(out)]
    cmd = [sys.executable, "-c", "from mecrouter.cli import main; main()", *argv]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=120, check=False)
    text = " ".join(done.stdout.split())  # rich may wrap the long lines
    recorded = RECORDED.search(text)
    assert recorded is not None, done.stdout + done.stderr
    try:
        assert done.returncode == 0, done.stdout + done.stderr
        sent = REQUESTS * len(SCENARIOS)
        assert (int(recorded["n"]), int(recorded["sent"]), int(recorded["lost"])) == (sent, sent, 0)
        with sqlite3.connect(recorded["db"]) as db:
            assert db.execute("SELECT count(*) FROM routing_decisions").fetchone()[0] == sent
        report = (out / "http-report.md").read_text(encoding="utf-8")
        rows = [line for line in report.splitlines() if line.startswith("| ")][2:]
        assert [row.split("|")[5].strip() for row in rows] == ["100.0%"] * len(SCENARIOS)
        assert (out / "http-latency.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

        stopped = [m for line in done.stdout.splitlines() if (m := STOPPED.match(line))]
        names = {m["name"] for m in stopped}
        assert names == {"gateway"} | {f"emulate-{tier.value}" for tier in ComputeTier}
        assert {m["host"] for m in stopped} == {"127.0.0.1"}
        assert not [m["name"] for m in stopped if _alive(int(m["pid"]))]
        assert not [m["name"] for m in stopped if _listening(int(m["port"]))]
    finally:
        shutil.rmtree(recorded["logs"], ignore_errors=True)
