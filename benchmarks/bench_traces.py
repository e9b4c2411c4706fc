"""Loading the Azure conversation trace from disk, side by side with the csv module reading the
same file (the unit test `tests/sim/test_traces.py` checks what is loaded; this, how fast).

Run with `make bench`. Each run copies the trace to a fresh folder so the loader's cache cannot
answer; the figure to compare across machines is the ratio to the plain csv read.
"""

from __future__ import annotations

import csv
import shutil
import statistics
import time
from pathlib import Path

import pytest

from mecrouter.datadir import data_dir
from mecrouter.sim.traces import load_requests

REPEATS = 5
FILE = Path("requests") / "AzureLLMInferenceTrace_conv.csv"


def _csv_rows(path: Path) -> int:
    with path.open(newline="") as fh:
        return sum(1 for _ in csv.reader(fh)) - 1


@pytest.mark.bench
def test_loading_the_conversation_trace_against_a_plain_csv_read(tmp_path: Path) -> None:
    source = data_dir()
    ours, baseline = [], []
    for run in range(REPEATS):
        fresh = tmp_path / f"run{run}"
        (fresh / "requests").mkdir(parents=True)
        shutil.copy(source / FILE, fresh / FILE)
        started = time.perf_counter()
        rows = _csv_rows(fresh / FILE)
        baseline.append(time.perf_counter() - started)
        started = time.perf_counter()
        trace = load_requests("conv", fresh)
        ours.append(time.perf_counter() - started)
        assert len(trace) == rows
    ours_s, base_s = statistics.median(ours), statistics.median(baseline)
    print(
        f"\nconv trace ({rows} rows): load_requests {ours_s * 1000:.0f} ms, "
        f"csv.reader {base_s * 1000:.0f} ms, ratio {ours_s / base_s:.1f}x"
    )
    assert ours_s < 1.0  # the simulator loads it at start-up: well under a second
