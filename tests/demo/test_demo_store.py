"""The demo records into the store the config or --store names, opened once for the whole run."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from mecrouter.config import load_config
from mecrouter.demo.inprocess import DEMO_POLICIES, run_demo
from mecrouter.scenarios import SCENARIOS
from mecrouter.stores import open_store

REQUESTS = 10


async def test_every_policys_requests_land_in_one_memory_store_left_open() -> None:
    gaming = next(s for s in SCENARIOS if s.use_case == "gaming")
    store = open_store("memory://")
    outcome = await run_demo(load_config(), n=REQUESTS, seed=7, store=store, scenarios=[gaming])
    [(_, results)] = outcome
    assert [r.sent for r in results] == [REQUESTS] * len(DEMO_POLICIES)
    assert await store.count_decisions() == REQUESTS * len(DEMO_POLICIES)  # still open: ours
    await store.aclose()


def test_store_with_the_http_demo_is_refused_with_exit_2(tmp_path: Path) -> None:
    cmd = [sys.executable, "-c", "from mecrouter.cli import main; main()", "demo", "--http"]
    cmd += ["--store", "memory://", "--out", str(tmp_path / "out")]
    done = subprocess.run(cmd, capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 2
    assert "gateway records in its work folder" in " ".join(done.stderr.replace("│", " ").split())
    assert not (tmp_path / "out").exists()  # refused before anything ran
