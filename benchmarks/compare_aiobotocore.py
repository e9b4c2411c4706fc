"""Issue 20's measurement: boto3 in a bounded thread pool (the project's choice, see
``src/mecrouter/backends/bedrock.py``) against aiobotocore, side by side in one asyncio program,
both calling the project's Bedrock emulator over loopback.

Modes, in alternating rounds (the order flips each round) for each concurrency:

* A: a boto3 ``bedrock-runtime`` client called through ``loop.run_in_executor`` on a
  ``ThreadPoolExecutor`` of 16 threads (the client has 16 pooled connections);
* B: an aiobotocore client with the same settings, awaited directly.

Both use ``Config(max_pool_connections=16, retries={"mode": "adaptive", "max_attempts": 3})``,
model ``amazon.nova-micro-v1:0``, a short user message and ``maxTokens=16``; Converse, and
ConverseStream (boto3's event stream read in the pool one event per hop, as the backend does,
against aiobotocore's ``async for``). Per round: throughput, p50/p99 latency per call, the p99
lateness of a task that sleeps 1 ms in a loop (event-loop lag) and this process's CPU time per
call (``time.process_time``, all threads). The table shows the median over rounds and B/A.

Run it from a separate venv, NOT with ``make bench``: aiobotocore pins botocore to an older
range than the project's own boto3/botocore, so it cannot be installed in the project's venv::

    python3 -m venv .venv-aiobotocore && .venv-aiobotocore/bin/pip install aiobotocore boto3
    .venv-aiobotocore/bin/python benchmarks/compare_aiobotocore.py   # from the repository root

The emulator runs from the project's venv (``--mecrouter``, default ``.venv/bin/mecrouter``),
one per ``--time-scale`` (0.0001: answers at once, so the client's own cost shows; 0.01: a call
lasts a few ms, so calls overlap), on a free port of 127.0.0.1, and is stopped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from importlib import metadata
from pathlib import Path
from typing import Any

import boto3
from aiobotocore.session import get_session
from botocore.config import Config

MODEL = "amazon.nova-micro-v1:0"
POOL = 16
MESSAGES = [{"role": "user", "content": [{"text": "Where should this request run?"}]}]
INFERENCE = {"maxTokens": 16}
HEALTH_TIMEOUT_S = 60.0
ROUND_TIMEOUT_S = 120.0
LAG_MAX_TICKS = 1_000_000
ROOT = Path(__file__).resolve().parent.parent


def _config() -> Config:
    return Config(
        max_pool_connections=POOL,
        retries={"mode": "adaptive", "max_attempts": 3},
        connect_timeout=5,
        read_timeout=60,
    )


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Emulator:
    """``mecrouter emulate --tier cloud --api bedrock`` on a free loopback port."""

    def __init__(self, mecrouter: str, time_scale: float, logdir: Path) -> None:
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        argv = [mecrouter, "emulate", "--tier", "cloud", "--api", "bedrock"]
        argv += ["--host", "127.0.0.1", "--port", str(self.port), "--time-scale", repr(time_scale)]
        self._log = open(logdir / f"emulator-{time_scale}.log", "wb")  # noqa: SIM115
        self._process = subprocess.Popen(argv, stdout=self._log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + HEALTH_TIMEOUT_S
        while True:
            if self._process.poll() is not None:
                raise RuntimeError(f"emulator exited with {self._process.returncode}")
            health = self.url + "/healthz"
            with contextlib.suppress(OSError), urllib.request.urlopen(health, timeout=1) as answer:
                if answer.status == 200:
                    return
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError("emulator not healthy in time")
            time.sleep(0.1)

    def stop(self) -> None:
        if self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(10)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait(10)
        self._log.close()


# ------------------------------------------------------------------------------ one call


def boto3_converse(client: Any, pool: ThreadPoolExecutor) -> Callable[[], Awaitable[None]]:
    async def call() -> None:
        loop = asyncio.get_running_loop()
        response = await loop.run_in_executor(
            pool,
            lambda: client.converse(modelId=MODEL, messages=MESSAGES, inferenceConfig=INFERENCE),
        )
        assert response["output"]["message"]["content"][0]["text"]

    return call


def boto3_stream(client: Any, pool: ThreadPoolExecutor) -> Callable[[], Awaitable[None]]:
    end = object()

    async def call() -> None:
        loop = asyncio.get_running_loop()
        response = await loop.run_in_executor(
            pool,
            lambda: client.converse_stream(
                modelId=MODEL, messages=MESSAGES, inferenceConfig=INFERENCE
            ),
        )
        events = response["stream"]
        iterator = iter(events)
        text = 0
        try:
            for _ in range(10_000):  # bounded; a 16-token answer is a few dozen events
                event = await loop.run_in_executor(pool, lambda: next(iterator, end))
                if event is end:
                    break
                if "contentBlockDelta" in event:
                    text += 1
        finally:
            events.close()
        assert text

    return call


def aio_converse(client: Any) -> Callable[[], Awaitable[None]]:
    async def call() -> None:
        response = await client.converse(
            modelId=MODEL, messages=MESSAGES, inferenceConfig=INFERENCE
        )
        assert response["output"]["message"]["content"][0]["text"]

    return call


def aio_stream(client: Any) -> Callable[[], Awaitable[None]]:
    async def call() -> None:
        response = await client.converse_stream(
            modelId=MODEL, messages=MESSAGES, inferenceConfig=INFERENCE
        )
        events = response["stream"]
        text = 0
        try:
            async for event in events:
                if "contentBlockDelta" in event:
                    text += 1
        finally:
            events.close()
        assert text

    return call


# ------------------------------------------------------------------------------ one round


async def _lag_probe(stop: asyncio.Event, lags: list[float]) -> None:
    """Sleep 1 ms in a loop; record how late each wake-up is (ms)."""
    loop = asyncio.get_running_loop()
    for _ in range(LAG_MAX_TICKS):
        if stop.is_set():
            return
        due = loop.time() + 0.001
        await asyncio.sleep(0.001)
        lags.append((loop.time() - due) * 1000.0)


def _quantile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))]


async def run_round(call: Callable[[], Awaitable[None]], calls: int, concurrency: int) -> dict:
    latencies: list[float] = []
    errors = 0
    remaining = calls

    async def worker() -> None:
        nonlocal remaining, errors
        while remaining > 0:
            remaining -= 1
            started = time.perf_counter()
            try:
                await call()
            except Exception as exc:  # noqa: BLE001 - counted and shown, never hidden
                errors += 1
                if errors <= 3:
                    print(f"  error: {type(exc).__name__}: {exc}", file=sys.stderr)
                continue
            latencies.append((time.perf_counter() - started) * 1000.0)

    stop, lags = asyncio.Event(), []
    probe = asyncio.create_task(_lag_probe(stop, lags))
    await asyncio.sleep(0.01)  # the probe is ticking before the calls start
    cpu0, wall0 = time.process_time(), time.perf_counter()
    await asyncio.wait_for(asyncio.gather(*(worker() for _ in range(concurrency))), ROUND_TIMEOUT_S)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    stop.set()
    await probe
    done = max(1, len(latencies))
    return {
        "calls_s": len(latencies) / wall,
        "p50_ms": _quantile(latencies, 0.50) if latencies else float("nan"),
        "p99_ms": _quantile(latencies, 0.99) if latencies else float("nan"),
        "lag_p99_ms": _quantile(lags, 0.99) if lags else float("nan"),
        "cpu_ms_call": cpu * 1000.0 / done,
        "errors": errors,
    }


# ------------------------------------------------------------------------------ the run

METRICS = ("calls_s", "p50_ms", "p99_ms", "lag_p99_ms", "cpu_ms_call")


async def measure(url: str, args: argparse.Namespace) -> list[tuple[str, int, dict, dict]]:
    pool = ThreadPoolExecutor(POOL, thread_name_prefix="bedrock")
    sync_client = boto3.session.Session().client(
        "bedrock-runtime", region_name="us-east-1", endpoint_url=url, config=_config()
    )
    session = get_session()
    rows = []
    try:
        async with session.create_client(
            "bedrock-runtime", region_name="us-east-1", endpoint_url=url, config=_config()
        ) as aio_client:
            kinds = {"converse": (boto3_converse(sync_client, pool), aio_converse(aio_client))}
            if args.stream:
                kinds["stream"] = (boto3_stream(sync_client, pool), aio_stream(aio_client))
            idle_stop, idle_lags = asyncio.Event(), []
            idle = asyncio.create_task(_lag_probe(idle_stop, idle_lags))
            await asyncio.sleep(0.5)
            idle_stop.set()
            await idle
            print(f"  idle loop: lag p99 {_quantile(idle_lags, 0.99):.3f} ms")
            for kind, (a, b) in kinds.items():
                for call in (a, b):  # warm up: connections open, the parsers' caches filled
                    await run_round(call, args.warmup, POOL)
                for concurrency in args.concurrency:
                    per_mode: dict[str, list[dict]] = {"A": [], "B": []}
                    for r in range(args.rounds):
                        order = (("A", a), ("B", b)) if r % 2 == 0 else (("B", b), ("A", a))
                        for mode, call in order:
                            per_mode[mode].append(await run_round(call, args.calls, concurrency))
                    med = {
                        mode: {m: statistics.median(x[m] for x in results) for m in METRICS}
                        | {"errors": sum(x["errors"] for x in results)}
                        for mode, results in per_mode.items()
                    }
                    rows.append((kind, concurrency, med["A"], med["B"]))
                    _print_row(kind, concurrency, med["A"], med["B"])
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
        sync_client.close()
    return rows


def _header() -> None:
    print(
        f"  {'op':<9}{'conc':>5} {'mode':<14}{'calls/s':>9}{'p50 ms':>9}{'p99 ms':>9}"
        f"{'lag p99':>9}{'cpu ms/call':>12}{'err':>5}"
    )


def _print_row(kind: str, concurrency: int, a: dict, b: dict) -> None:
    for label, row in (("A boto3+pool", a), ("B aiobotocore", b)):
        print(
            f"  {kind:<9}{concurrency:>5} {label:<14}{row['calls_s']:>9.0f}{row['p50_ms']:>9.2f}"
            f"{row['p99_ms']:>9.2f}{row['lag_p99_ms']:>9.2f}{row['cpu_ms_call']:>12.3f}"
            f"{row['errors']:>5}"
        )
    ratio = {m: (b[m] / a[m] if a[m] else float("nan")) for m in METRICS}
    print(
        f"  {kind:<9}{concurrency:>5} {'B/A':<14}{ratio['calls_s']:>9.2f}{ratio['p50_ms']:>9.2f}"
        f"{ratio['p99_ms']:>9.2f}{ratio['lag_p99_ms']:>9.2f}{ratio['cpu_ms_call']:>12.2f}"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mecrouter", default=str(ROOT / ".venv" / "bin" / "mecrouter"))
    parser.add_argument("--time-scale", type=float, nargs="+", default=[0.0001, 0.01])
    parser.add_argument("--concurrency", type=int, nargs="+", default=[1, 32])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--calls", type=int, default=300)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--no-stream", dest="stream", action="store_false")
    args = parser.parse_args()
    os.environ["AWS_ACCESS_KEY_ID"] = "AKIDEXAMPLE"
    os.environ["AWS_SECRET_ACCESS_KEY"] = "not-a-secret"
    os.environ.pop("AWS_SESSION_TOKEN", None)
    os.environ.pop("AWS_PROFILE", None)
    versions = {p: metadata.version(p) for p in ("aiobotocore", "botocore", "boto3", "aiohttp")}
    print(
        f"python {sys.version.split()[0]}, {os.cpu_count()} CPUs, asyncio default loop; "
        + ", ".join(f"{p} {v}" for p, v in versions.items())
    )
    print(
        f"{args.rounds} rounds x {args.calls} calls per mode and setting (alternating), pool "
        f"{POOL} threads / {POOL} connections; medians over rounds; lag = p99 lateness of a "
        f"1 ms sleep; cpu = this process, all threads"
    )
    with tempfile.TemporaryDirectory(prefix="compare-aiobotocore-") as tmp:
        for scale in args.time_scale:
            emulator = Emulator(args.mecrouter, scale, Path(tmp))
            try:
                print(f"\n--time-scale {scale} (emulator {emulator.url})")
                _header()
                asyncio.run(measure(emulator.url, args))
            finally:
                emulator.stop()


if __name__ == "__main__":
    main()
