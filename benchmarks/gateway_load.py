"""Bounded load for an OpenAI-compatible chat endpoint, run as its own process.

    python benchmarks/gateway_load.py --url http://127.0.0.1:8000/v1/chat/completions \
        --model auto --requests 300 --concurrency 1 --warmup 30 --json

Sends non-streaming chat completions (short prompt, ``max_tokens`` 16) from ``--concurrency``
workers until ``--requests`` have been answered or ``--max-wall-s`` has passed, whichever comes
first, then prints one summary: count, errors, wall seconds, req/s, latency p50/p90/p99 ms and the
first few error messages. The client is aiohttp (on uvloop when installed) because an
``httpx.AsyncClient`` saturates a core at ~300 req/s and would measure itself, not the server.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import statistics
import sys
import time
from dataclasses import asdict, dataclass, field

import aiohttp

__all__ = ["LoadResult", "run_load"]

_PROMPT = "Reply with one short sentence: what is an edge data centre?"
_MAX_ERRORS_KEPT = 5
_ERROR_BODY_CHARS = 200


@dataclass
class LoadResult:
    label: str
    requested: int
    concurrency: int
    count: int = 0
    errors: int = 0
    wall_s: float = 0.0
    rps: float = 0.0
    p50_ms: float = 0.0
    p90_ms: float = 0.0
    p99_ms: float = 0.0
    mean_ms: float = 0.0
    max_ms: float = 0.0
    hit_wall_limit: bool = False
    first_errors: list[str] = field(default_factory=list)


@dataclass
class _Run:
    """Shared state of one measured run: the next request number and what came back."""

    url: str
    body: tuple[bytes, bytes]  # JSON before and after the request's number in the prompt
    headers: dict[str, str]
    requests: int
    deadline: float
    issued: int = 0
    latencies_s: list[float] = field(default_factory=list)
    errors: int = 0
    first_errors: list[str] = field(default_factory=list)
    hit_wall_limit: bool = False

    def take(self) -> bytes | None:
        """The next request's body, or None when the run is over. Every prompt is different,
        so no proxy can answer from a response cache."""
        if self.issued >= self.requests:
            return None
        if time.perf_counter() >= self.deadline:
            self.hit_wall_limit = True
            return None
        self.issued += 1
        return self.body[0] + str(self.issued).encode() + self.body[1]

    def fail(self, message: str) -> None:
        self.errors += 1
        if len(self.first_errors) < _MAX_ERRORS_KEPT:
            self.first_errors.append(message)


async def _one(session: aiohttp.ClientSession, run: _Run, body: bytes) -> None:
    t0 = time.perf_counter()
    try:
        async with session.post(run.url, data=body, headers=run.headers) as resp:
            payload = await resp.read()
    except (aiohttp.ClientError, TimeoutError) as exc:
        run.fail(f"{type(exc).__name__}: {exc}")
        return
    elapsed = time.perf_counter() - t0
    # A substring test, not json.loads: parsing every answer would spend the client's CPU.
    if resp.status != 200 or b'"choices"' not in payload:
        text = payload[:_ERROR_BODY_CHARS].decode(errors="replace")
        run.fail(f"HTTP {resp.status}: {text}")
        return
    run.latencies_s.append(elapsed)


async def _worker(session: aiohttp.ClientSession, run: _Run) -> None:
    while (body := run.take()) is not None:
        await _one(session, run, body)


async def _drive(session: aiohttp.ClientSession, run: _Run, concurrency: int) -> float:
    t0 = time.perf_counter()
    async with asyncio.TaskGroup() as tg:
        for _ in range(concurrency):
            tg.create_task(_worker(session, run))
    return time.perf_counter() - t0


def _summarise(label: str, run: _Run, concurrency: int, wall_s: float) -> LoadResult:
    result = LoadResult(label=label, requested=run.requests, concurrency=concurrency)
    result.count = len(run.latencies_s)
    result.errors = run.errors
    result.first_errors = run.first_errors
    result.hit_wall_limit = run.hit_wall_limit
    result.wall_s = round(wall_s, 3)
    result.rps = round(result.count / wall_s, 1) if wall_s > 0 else 0.0
    ms = [s * 1000.0 for s in run.latencies_s]
    if len(ms) >= 2:
        cuts = statistics.quantiles(ms, n=100, method="inclusive")
        result.p50_ms, result.p90_ms, result.p99_ms = (round(cuts[i], 3) for i in (49, 89, 98))
    elif ms:
        result.p50_ms = result.p90_ms = result.p99_ms = round(ms[0], 3)
    if ms:
        result.mean_ms = round(statistics.fmean(ms), 3)
        result.max_ms = round(max(ms), 3)
    return result


async def run_load(args: argparse.Namespace) -> LoadResult:
    """Warm up (not counted), then one measured run bounded by count and wall time."""
    marker = "@@N@@"
    template = json.dumps(
        {
            "model": args.model,
            "messages": [{"role": "user", "content": f"{_PROMPT} (run {os.getpid()}, #{marker})"}],
            "max_tokens": args.max_tokens,
            "stream": False,
        }
    ).encode()
    before, _, after = template.partition(marker.encode())
    body = (before, after)
    headers = {"Content-Type": "application/json"}
    if args.api_key:
        headers["Authorization"] = f"Bearer {args.api_key}"
    connector = aiohttp.TCPConnector(limit=args.concurrency, force_close=False)
    timeout = aiohttp.ClientTimeout(total=args.timeout_s)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        started = time.perf_counter()
        if args.warmup:
            warm_body = (before.replace(b"(run ", b"(warm-up run "), after)
            warm = _Run(args.url, warm_body, headers, args.warmup, started + args.max_wall_s)
            await _drive(session, warm, args.concurrency)
        run = _Run(args.url, body, headers, args.requests, time.perf_counter() + args.max_wall_s)
        wall_s = await _drive(session, run, args.concurrency)
    return _summarise(args.label, run, args.concurrency, wall_s)


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True, help="full chat completions URL")
    p.add_argument("--model", required=True)
    p.add_argument("--api-key", default="", help="sent as 'Authorization: Bearer ...'")
    p.add_argument("--label", default="")
    p.add_argument("--requests", type=int, default=300)
    p.add_argument("--concurrency", type=int, default=1)
    p.add_argument("--warmup", type=int, default=0, help="requests sent first and not counted")
    p.add_argument("--max-tokens", type=int, default=16)
    p.add_argument("--timeout-s", type=float, default=30.0, help="per-request timeout")
    p.add_argument("--max-wall-s", type=float, default=60.0, help="cap on each of warm-up and run")
    p.add_argument("--json", action="store_true", help="print the summary as one JSON line")
    args = p.parse_args(argv)
    if args.requests < 1 or args.concurrency < 1 or args.max_wall_s <= 0:
        p.error("--requests, --concurrency and --max-wall-s must be positive")
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    with contextlib.suppress(ImportError):
        import uvloop

        asyncio.set_event_loop_policy(uvloop.EventLoopPolicy())
    result = asyncio.run(run_load(args))
    if args.json:
        print(json.dumps(asdict(result)), flush=True)
    else:
        for key, value in asdict(result).items():
            print(f"{key:>14}: {value}")
    return 0 if result.count else 1


if __name__ == "__main__":
    sys.exit(main())
