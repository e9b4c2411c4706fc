"""The gateway at another commit against this tree's, side by side in one run (not in `make bench`).

    .venv/bin/python benchmarks/ab_gateway.py --base HEAD~3 --rounds 5

Checks `--base` out into a temporary git worktree, starts one upstream (`mecrouter emulate`,
answering at once) and two gateways on it exactly as `bench_gateway.py` does (keys on, every
decision recorded): the base one with `PYTHONPATH` on the worktree's `src/`, the other from this
tree. Then, for each round, the same loads go to the upstream, the base and this tree in turn:
concurrency 1 (300 requests) and concurrency 32 (3,000). Prints, per server, the median over the
rounds of p50 latency, req/s and CPU per request (user + system, from /proc, the server and its
children), and each round's figure, so the spread shows. On a noisy VM only the medians of one
run compare.
"""

from __future__ import annotations

import argparse
import contextlib
import dataclasses
import io
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

from bench_gateway import ROOT, Target, _running, mecrouter_target, run_load, upstream_target

from mecrouter.gateway.topology import child_pids

_LOADS = ((1, 300, 30), (32, 3_000, 64))  # concurrency, requests, warm-up
_TICK = os.sysconf("SC_CLK_TCK")


def _cpu_s(pid: int) -> float:
    total = 0.0
    for p in (pid, *child_pids(pid)):
        fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
        total += (int(fields[11]) + int(fields[12])) / _TICK
    return total


def _measure(
    targets: list[Target], pids: dict[str, int], rounds: int
) -> dict[tuple[str, int], list]:
    results: dict[tuple[str, int], list[tuple[float, float, float]]] = {}
    for _ in range(rounds):
        for concurrency, requests, warmup in _LOADS:
            for target in targets:
                pid = pids.get(target.name)
                before = _cpu_s(pid) if pid else 0.0
                with contextlib.redirect_stdout(io.StringIO()):
                    load = run_load(
                        target, requests=requests, concurrency=concurrency, warmup=warmup, wall_s=15
                    )
                if load["errors"]:
                    raise SystemExit(
                        f"{target.name}: {load['errors']} errors: {load['first_errors']}"
                    )
                cpu_ms = 1000 * ((_cpu_s(pid) if pid else 0.0) - before) / max(load["count"], 1)
                results.setdefault((target.name, concurrency), []).append(
                    (load["p50_ms"], load["rps"], cpu_ms)
                )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base", required=True, help="the commit to compare against")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ab-gateway-") as tmp:
        work, tree = Path(tmp), Path(tmp) / "base"
        add = ["git", "-C", str(ROOT), "worktree", "add", "--detach", str(tree), args.base]
        subprocess.run(add, check=True, capture_output=True)
        try:
            upstream = upstream_target(work, "emulate")
            (work / "b").mkdir()
            base = dataclasses.replace(
                mecrouter_target(upstream, work),
                name="base",
                env={"PYTHONPATH": str(tree / "src")},
            )
            this = dataclasses.replace(mecrouter_target(upstream, work / "b"), name="this tree")
            pids: dict[str, int] = {}
            with _running([upstream], work), _running([base, this], work, pids):
                results = _measure([upstream, base, this], pids, args.rounds)
        finally:
            remove = ["git", "-C", str(ROOT), "worktree", "remove", "--force", str(tree)]
            subprocess.run(remove, check=False, capture_output=True)
    for (name, concurrency), rows in results.items():
        p50, rps, cpu = (statistics.median(r[i] for r in rows) for i in range(3))
        each = [round(r[0] if concurrency == 1 else r[1], 2) for r in rows]
        print(
            f"{name:10} c={concurrency:<3} p50 {p50:8.3f} ms  req/s {rps:7.1f}  "
            f"CPU {cpu:.3f} ms/request  each round: {each}"
        )


if __name__ == "__main__":
    sys.exit(main())
