"""What durable decision records cost: the gateway before group commit and with it, side by side.

Run with `make bench` (or `pytest -m bench benchmarks/bench_durability.py -s`). Every target is
`mecrouter serve` in front of the same `mecrouter emulate --tier cloud` at time scale 1e-9 (an
upstream that answers at once, so the gateway's own cost is what shows), each with its own SQLite
file, sent the same bounded load by `gateway_load.py` (see bench_gateway.py):

* ``before``: this repository's code just before group commit came in (extracted with
  ``git archive`` from the parent of the commit that added ``stores/group_commit.py``, or from
  ``BENCH_DURABILITY_BASELINE=<rev>``): records written 64 at a time, after the response;
* ``commit+0ms``: the current code, ``record_commit_delay_ms: 0`` (the default);
* ``commit+2ms``: the current code, ``record_commit_delay_ms: 2``.

Phase 1 is concurrency 1 (100 requests after 10 warm-up), phase 2 concurrency 32 (up to 600
requests after 32 warm-up, capped at 5 s), each in 5 rounds that load every target in turn; the
table shows medians over the rounds, the added p50 and the ratios taken against ``before`` within
each round. The machine's cores are shared by the load generator, the gateway and the upstream
(and whatever else runs), so only differences measured in one run mean anything; nothing is
asserted on them.
"""

from __future__ import annotations

import os
import statistics
import subprocess
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest
import yaml
from bench_gateway import (
    MECROUTER,
    ROOT,
    Target,
    _cloud_config,
    _free_port,
    _running,
    run_load,
    upstream_target,
)

ROUNDS = 5
LATENCY_REQUESTS, LATENCY_WARMUP = 100, 10  # per target and round
LOAD_CONCURRENCY, LOAD_REQUESTS, LOAD_WARMUP, LOAD_WALL_S = 32, 600, 32, 5.0
GROUP_COMMIT_MODULE = "src/mecrouter/stores/group_commit.py"


def _git(*args: str) -> bytes:
    return subprocess.run(["git", *args], cwd=ROOT, capture_output=True, check=True).stdout


def baseline_src(work: Path) -> Path:
    """The `src` folder of the code before group commit, extracted under `work`."""
    rev = os.environ.get("BENCH_DURABILITY_BASELINE", "")
    if not rev:
        added = _git("log", "--diff-filter=A", "--format=%H", "--", GROUP_COMMIT_MODULE).split()
        if not added:
            pytest.skip(f"no commit adds {GROUP_COMMIT_MODULE} in this checkout's history")
        rev = added[-1].decode() + "^"
    with tarfile.open(fileobj=BytesIO(_git("archive", rev, "src"))) as tar:
        tar.extractall(work / "baseline", filter="data")
    return work / "baseline" / "src"


def gateway_target(
    name: str,
    upstream: Target,
    work: Path,
    extra: dict[str, Any],
    env: dict[str, str],
    src: Path | None = None,
) -> Target:
    """`mecrouter serve` in front of `upstream`, with the shipped config of `src` (a tree's
    `src/`; default: the installed one) and `extra` on top."""
    port = _free_port()
    config = _cloud_config({"backend": "openai_http", "base_url": upstream.base_url}, src)
    config.pop("record_commit_delay_ms", None)  # the code before group commit refuses the key
    path = work / f"{name}.yaml"
    path.write_text(yaml.safe_dump({**config, **extra}, sort_keys=False))
    argv = (MECROUTER, "serve", "--config", str(path), "--host", "127.0.0.1", "--port", str(port))
    argv += ("--db", str(work / f"{name}.sqlite3"), "--no-auth")
    return Target(
        name=name,
        argv=argv,
        ready_url=f"http://127.0.0.1:{port}/healthz",
        base_url=f"http://127.0.0.1:{port}/v1",
        model="auto",
        env=env,
    )


def _measure(gateways: list[Target], concurrency: int) -> dict[str, list[dict[str, Any]]]:
    """ROUNDS rounds, each target loaded in turn within a round: a neighbour's burst of CPU
    use lands on one round of every target rather than on all of one target's requests."""
    requests, warmup, wall_s = (
        (LATENCY_REQUESTS, LATENCY_WARMUP, 30.0)
        if concurrency == 1
        else (LOAD_REQUESTS, LOAD_WARMUP, LOAD_WALL_S)
    )
    runs: dict[str, list[dict[str, Any]]] = {t.name: [] for t in gateways}
    for _ in range(ROUNDS):
        for t in gateways:
            result = run_load(
                t, requests=requests, concurrency=concurrency, warmup=warmup, wall_s=wall_s
            )
            runs[t.name].append(result)
    return runs


def _row(name: str, runs: list[dict[str, Any]], base: list[dict[str, Any]]) -> str:
    p50 = statistics.median(r["p50_ms"] for r in runs)
    added = statistics.median(r["p50_ms"] - b["p50_ms"] for r, b in zip(runs, base, strict=True))
    ratio = statistics.median(r["p50_ms"] / b["p50_ms"] for r, b in zip(runs, base, strict=True))
    rps = statistics.median(r["rps"] for r in runs)
    rps_ratio = statistics.median(r["rps"] / b["rps"] for r, b in zip(runs, base, strict=True))
    errors = sum(r["errors"] for r in runs)
    return (
        f"{name:<11} {p50:>8.2f} {added:>8.2f} {ratio:>7.3f} {rps:>8.1f} {rps_ratio:>7.3f} "
        f"{errors:>7}"
    )


def _table(results: dict[int, dict[str, list[dict[str, Any]]]]) -> str:
    """Medians over the rounds; +p50 and the ratios are against `before` in the same round."""
    head = f"{'target':<11} {'p50 ms':>8} {'+p50 ms':>8} {'x p50':>7} {'req/s':>8} {'x req/s':>7}"
    head += f" {'errors':>7}"
    rows: list[str] = []
    for concurrency, runs in results.items():
        rows += [f"concurrency {concurrency} (median of {ROUNDS} rounds)", head, "-" * len(head)]
        rows += [_row(name, r, runs["before"]) for name, r in runs.items()]
    return "\n".join(rows)


@pytest.mark.bench
def test_group_commit_cost_against_the_code_before_it() -> None:
    with tempfile.TemporaryDirectory(prefix="bench-durability-") as tmp:
        work = Path(tmp)
        before_src = baseline_src(work)
        before_env = {"PYTHONPATH": str(before_src)}
        upstream = upstream_target(work, "emulate")
        gateways = [  # each with the config its own code ships
            gateway_target("before", upstream, work, {}, before_env, src=before_src),
            gateway_target("commit+0ms", upstream, work, {"record_commit_delay_ms": 0}, {}),
            gateway_target("commit+2ms", upstream, work, {"record_commit_delay_ms": 2}, {}),
        ]
        with _running([upstream], work), _running(gateways, work):
            results = {c: _measure(gateways, c) for c in (1, LOAD_CONCURRENCY)}
    print(_table(results))
    for runs in results.values():
        for name, rounds in runs.items():
            assert all(r["count"] > 0 and r["errors"] == 0 for r in rounds), (name, rounds)
