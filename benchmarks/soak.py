"""The soak run (`make soak`, not in CI): a fixed request rate through two gateway replicas that
share a Redis, for `--minutes` (10 by default), with faults on a schedule; it reports latency
p50/p99 and each replica's RSS per window, the RSS trend, and what became of every request.

    python benchmarks/soak.py --minutes 10 --rate 40 --out report/soak

The faults repeat every `--cycle-s` (120 s by default), each for a tenth of the cycle: the MEC
tier killed and restarted, the cloud 4x slower, the cloud failing 30% of its calls, Redis
restarted, and a replica SIGKILLed and started again. Requests go through
`mecrouter.gateway.chaos` (its round-robin balancer and its count: answered, failed cleanly,
cut, lost). Writes `soak.json` and `soak.md` to `--out`; exits 1 when a request was lost or an
RSS trend over the run's second half exceeds `--max-rss-growth-mb-per-min`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import statistics
import sys
import threading
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import httpx
import numpy as np

from mecrouter.config import load_config
from mecrouter.gateway.auth import KeyStore
from mecrouter.gateway.chaos import Balancer, Fault, Tally, run_load
from mecrouter.gateway.topology import LocalTopology, Process, RedisProcess, rss_mb
from mecrouter.types import ComputeTier

WINDOW_S = 30.0


def _body(i: int) -> dict[str, Any]:
    body: dict[str, Any] = {
        "model": "auto",
        "messages": [{"role": "user", "content": f"Soak {i}: summarise the sensor digest."}],
        "max_tokens": 16,
        "routing": {"use_case": ("gaming", "default", "iot", "automotive")[i % 4]},
    }
    if i % 4 == 1:
        body["stream"] = True
    return body


class RssSampler(threading.Thread):
    """Each replica's RSS every `every_s`, as (seconds since start, replica, MB)."""

    def __init__(self, gateways: list[Process], every_s: float = 5.0) -> None:
        super().__init__(daemon=True)
        self.gateways, self.every_s = gateways, every_s
        self.samples: list[tuple[float, int, float]] = []
        self.stopped = threading.Event()
        self.started_at = time.monotonic()

    def run(self) -> None:
        while not self.stopped.wait(self.every_s):
            at = time.monotonic() - self.started_at
            for i, gateway in enumerate(self.gateways):
                pid = gateway.popen.pid if gateway.popen is not None else None
                rss = rss_mb(pid) if pid is not None else None
                if rss is not None:
                    self.samples.append((at, i, rss))


def _schedule(topo: LocalTopology, redis: RedisProcess, rate: float, minutes: float,
              cycle_s: float) -> list[Fault]:  # fmt: skip
    """The faults, by the request count at which each starts and ends."""
    mec = topo.emulators[ComputeTier.MEC]
    cloud = topo.emulator_url(ComputeTier.CLOUD)
    victim = topo.gateways[1]

    async def fault(**spec: Any) -> None:
        async with httpx.AsyncClient() as client:
            (await client.post(f"{cloud}/admin/fault", json=spec)).raise_for_status()

    async def clear() -> None:
        async with httpx.AsyncClient() as client:
            (await client.delete(f"{cloud}/admin/fault")).raise_for_status()

    async def restart(process: Process) -> None:
        await asyncio.to_thread(process.start)
        await asyncio.to_thread(process.wait_ready)

    async def kill(process: Process) -> None:
        if process.popen is not None:
            os.kill(process.popen.pid, signal.SIGKILL)
            await asyncio.to_thread(process.popen.wait)
            process.popen = None

    step = cycle_s / 10.0
    plan: list[tuple[float, str, Callable[[], Awaitable[None]]]] = []
    for start in np.arange(0.0, minutes * 60.0, cycle_s):
        plan += [
            (start + 1 * step, "MEC killed", lambda: asyncio.to_thread(mec.stop)),
            (start + 2 * step, "MEC restarted", lambda: restart(mec)),
            (start + 3 * step, "cloud 4x slower", lambda: fault(slow_factor=4.0)),
            (start + 4 * step, "cloud fails 30%", lambda: fault(error_rate=0.3)),
            (start + 5 * step, "cloud healed", clear),
            (start + 6 * step, "Redis stopped", lambda: asyncio.to_thread(redis.stop)),
            (start + 7 * step, "Redis restarted", lambda: asyncio.to_thread(redis.start)),
            (start + 8 * step, "replica 2 SIGKILLed", lambda: kill(victim)),
            (start + 9 * step, "replica 2 restarted", lambda: restart(victim)),
        ]
    return [Fault(round(at * rate), name, action) for at, name, action in plan]


def _windows(
    tally: Tally, rss: list[tuple[float, int, float]], total_s: float
) -> list[dict[str, Any]]:
    rows = []
    for start in np.arange(0.0, total_s, WINDOW_S):
        ms = [m for at, m in tally.latencies if start <= at < start + WINDOW_S]
        row: dict[str, Any] = {"from_s": float(start), "answered": len(ms)}
        if len(ms) >= 2:
            cuts = statistics.quantiles(ms, n=100, method="inclusive")
            row |= {"p50_ms": round(cuts[49], 1), "p99_ms": round(cuts[98], 1)}
        for replica in (0, 1):
            mb = [v for at, i, v in rss if i == replica and start <= at < start + WINDOW_S]
            if mb:
                row[f"rss_mb_{replica + 1}"] = round(max(mb), 1)
        rows.append(row)
    return rows


def _trend(rss: list[tuple[float, int, float]], replica: int, after_s: float = 0.0) -> float | None:
    """RSS slope in MB per minute from `after_s` on (least squares), None with too few samples.
    The second half of a run is what tells a leak (still growing) from a warm-up (caches and
    the recent-decisions ring filling to their bounds, then flat)."""
    points = [(at, mb) for at, i, mb in rss if i == replica and at >= after_s]
    if len(points) < 4:
        return None
    at, mb = np.array(points).T
    return float(np.polyfit(at / 60.0, mb, 1)[0])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--rate", type=float, default=40.0, help="requests per second")
    parser.add_argument("--cycle-s", type=float, default=120.0)
    parser.add_argument("--time-scale", type=float, default=0.05)
    parser.add_argument("--max-rss-growth-mb-per-min", type=float, default=2.0)
    parser.add_argument("--out", type=Path, default=Path("report/soak"))
    args = parser.parse_args(argv)
    topo = LocalTopology(load_config(), time_scale=args.time_scale, replicas=2)
    redis = RedisProcess(topo.workdir)
    topo.gateway_args = ("--state", redis.url)
    with KeyStore(topo.keys_db) as keys:
        secret, _ = keys.create("soak")
    redis.start()
    try:
        with topo:
            sampler = RssSampler(topo.gateways)
            sampler.start()
            total = round(args.rate * args.minutes * 60.0)
            faults = _schedule(topo, redis, args.rate, args.minutes, args.cycle_s)
            balancer = Balancer(topo.gateway_urls, {"authorization": f"Bearer {secret}"})

            def progress(tally: Tally) -> None:
                if tally.sent % 1000 == 0:
                    print(f"{tally.sent}/{total} sent: {tally.summary()}", file=sys.stderr)

            tally = asyncio.run(run_load(
                balancer, _body, total=total, concurrency=64, bound_s=args.minutes * 60.0 + 60.0,
                faults=faults, rate_per_s=args.rate, progress=progress,
            ))  # fmt: skip
            sampler.stopped.set()
    finally:
        redis.stop()
    result = {
        "minutes": args.minutes, "rate_per_s": args.rate, "cycle_s": args.cycle_s,
        "outcomes": tally.summary(), "lost_examples": tally.lost_examples,
        "windows": _windows(tally, sampler.samples, args.minutes * 60.0),
        "rss_trend_mb_per_min": [_trend(sampler.samples, r) for r in (0, 1)],
        "rss_trend_second_half_mb_per_min": [
            _trend(sampler.samples, r, args.minutes * 30.0) for r in (0, 1)
        ],
    }  # fmt: skip
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "soak.json").write_text(json.dumps(result, indent=2))
    (args.out / "soak.md").write_text(_markdown(result))
    print(_markdown(result))
    trends = [t for t in result["rss_trend_second_half_mb_per_min"] if t is not None]
    grew = any(t > args.max_rss_growth_mb_per_min for t in trends)
    return 1 if tally.lost or grew else 0


def _slopes(values: list[float | None]) -> str:
    return ", ".join("n/a" if v is None else f"{v:+.2f}" for v in values)


def _markdown(result: dict[str, Any]) -> str:
    o = result["outcomes"]
    lines = [
        f"# Soak: {result['minutes']:g} min at {result['rate_per_s']:g} req/s, faults every "
        f"{result['cycle_s']:g} s",
        "",
        f"sent {o['sent']}, answered {o['answered']}, failed cleanly {o['failed_cleanly']}, "
        f"cut {o['cut']}, **lost {o['lost']}**, resent by the balancer {o['retried_by_balancer']}",
        "",
        f"failures by status and code: {o['failures'] or 'none'}",
        "",
        "RSS trend (MB/min, least squares; replica 1, replica 2, which is restarted every cycle):"
        " whole run "
        + _slopes(result["rss_trend_mb_per_min"])
        + "; second half "
        + _slopes(result["rss_trend_second_half_mb_per_min"]),
        "",
        "| from s | answered | p50 ms | p99 ms | RSS 1 MB | RSS 2 MB |",
        "|---|---|---|---|---|---|",
    ]
    for w in result["windows"]:
        lines.append(
            f"| {w['from_s']:g} | {w['answered']} | {w.get('p50_ms', '')} | {w.get('p99_ms', '')}"
            f" | {w.get('rss_mb_1', '')} | {w.get('rss_mb_2', '')} |"
        )
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    sys.exit(main())
