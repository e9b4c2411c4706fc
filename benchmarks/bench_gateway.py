"""Gateway overhead: the same bounded load straight to an upstream, through `mecrouter serve`, and
through LiteLLM's proxy, side by side in one run.

Run with `make bench`. The upstream is `mecrouter emulate --tier cloud` at time scale 1e-9 (an
OpenAI-compatible server that answers at once), so what the proxies add is their own cost. Two
phases, each sent by `gateway_load.py` in its own process (aiohttp; httpx would be the bottleneck):

1. added latency: concurrency 1, 300 requests after 30 warm-up; added p50/p99 = through - direct;
2. throughput: concurrency 32, up to 4,000 requests (1,000 for LiteLLM) capped at 20 s of wall time.

Every request carries a different prompt (see `gateway_load.py`), so neither proxy can answer from
a response cache: what is measured is the proxying path. mecrouter runs as in production: API
keys on (a key with a rate limit), every decision recorded to its SQLite file; once with one
worker (`mecrouter`) and once with `--workers 2` (`mecrouter-2w`). Targets (issue 22), for one
worker: added p50 <= 1.5 ms and <= 0.12x LiteLLM's, req/s >= 900 and >= 0.35x the direct
upstream's; RSS <= 150 MB per worker. The machine has 2 cores shared by the load generator, the
proxies and the upstream, so only ratios measured in one run count.

LiteLLM lives in its own venv, `.venv-litellm` (built here on first use, pinned, stamped), so its
many pinned dependencies never touch `.venv`; the test skips if it cannot be installed or started.
Knobs for development: `BENCH_GATEWAY_UPSTREAM=stand-in` replaces `mecrouter emulate` with the tiny
aiohttp server at the bottom of this file; `BENCH_GATEWAY_TARGETS=direct,litellm` leaves one out.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
MECROUTER = str(Path(sys.executable).with_name("mecrouter"))
LITELLM_VERSION = "1.106.2"  # newer releases need a certifi the registry here lacks
LITELLM_VENV = ROOT / ".venv-litellm"
LITELLM_KEY = "sk-bench-gateway"
PROMPT_MODEL_TIER = "cloud"

LATENCY_REQUESTS, LATENCY_WARMUP = 300, 30
THROUGHPUT_CONCURRENCY, THROUGHPUT_WARMUP, THROUGHPUT_WALL_S = 32, 64, 20.0
TARGET_ADDED_P50_MS = 1.5
TARGET_ADDED_P50_FRACTION = 0.12  # of LiteLLM's
TARGET_RPS = 900.0
TARGET_RPS_FRACTION = 0.35  # of the direct upstream's
TARGET_RSS_MB = 150.0


@dataclass(frozen=True)
class Target:
    """One server under test: how to start it, when it is ready, and what to send it."""

    name: str
    argv: tuple[str, ...]
    ready_url: str
    base_url: str  # up to and including /v1
    model: str
    env: Mapping[str, str] = field(default_factory=dict)
    api_key: str = ""
    start_timeout_s: float = 30.0
    throughput_requests: int = 4_000


class TargetFailed(RuntimeError):
    """A server exited or did not become ready in time; the message ends with its log's tail."""

    def __init__(self, target: str, message: str) -> None:
        super().__init__(f"{target} {message}")
        self.target = target


# ---------------------------------------------------------------- processes


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _child_env(extra: Mapping[str, str]) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k.upper() not in {"DATABASE_URL"}}
    env["NO_PROXY"] = env["no_proxy"] = "127.0.0.1,localhost"
    env.update(extra)
    return env


def _log_tail(path: Path, lines: int = 15) -> str:
    try:
        return "\n".join(path.read_text(errors="replace").splitlines()[-lines:])
    except OSError:
        return "<no log>"


def _wait_ready(proc: subprocess.Popen[bytes], target: Target, log: Path) -> float:
    """Poll the ready URL until 200; the seconds it took. Raises TargetFailed."""
    t0 = time.monotonic()
    while time.monotonic() - t0 < target.start_timeout_s:
        if proc.poll() is not None:
            raise TargetFailed(target.name, f"exited with {proc.returncode}:\n{_log_tail(log)}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(target.ready_url, timeout=2) as resp,
        ):
            if resp.status == 200:
                return time.monotonic() - t0
        time.sleep(0.1)
    raise TargetFailed(
        target.name, f"not ready after {target.start_timeout_s:.0f} s:\n{_log_tail(log)}"
    )


def _stop(proc: subprocess.Popen[bytes]) -> None:
    """SIGTERM the process group we started, then SIGKILL it if it lingers."""
    if proc.poll() is not None:
        return
    for sig, wait_s in ((signal.SIGTERM, 10.0), (signal.SIGKILL, 5.0)):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, sig)
        with contextlib.suppress(subprocess.TimeoutExpired):
            proc.wait(timeout=wait_s)
            return


@contextlib.contextmanager
def _running(
    targets: list[Target], log_dir: Path, pids: dict[str, int] | None = None
) -> Iterator[dict[str, float]]:
    """Start all targets at once, wait for each, yield start-up seconds (and fill `pids`);
    always stop them."""
    procs: list[subprocess.Popen[bytes]] = []
    try:
        started: list[tuple[Target, subprocess.Popen[bytes], Path]] = []
        for target in targets:
            log = log_dir / f"{target.name}.log"
            with log.open("wb") as out:
                proc = subprocess.Popen(
                    target.argv,
                    stdin=subprocess.DEVNULL,
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env=_child_env(target.env),
                    cwd=log_dir,
                    start_new_session=True,
                )
            procs.append(proc)
            started.append((target, proc, log))
            if pids is not None:
                pids[target.name] = proc.pid
        yield {t.name: _wait_ready(p, t, log) for t, p, log in started}
    finally:
        for proc in reversed(procs):
            _stop(proc)


# ---------------------------------------------------------------- LiteLLM


def ensure_litellm(venv: Path = LITELLM_VENV) -> Path:
    """`litellm` from its own venv, installing it once (idempotent through a stamp file)."""
    exe = venv / "bin" / "litellm"
    stamp = venv / f".installed-litellm-{LITELLM_VERSION}"
    if stamp.exists() and exe.exists():
        return exe
    python = venv / "bin" / "python"
    pip = [str(python), "-m", "pip", "install", "--quiet"]
    steps = (
        [sys.executable, "-m", "venv", "--clear", str(venv)],
        [*pip, "--upgrade", "pip"],
        # httptools: the same uvicorn HTTP parser our gateway gets from uvicorn[standard].
        [*pip, f"litellm[proxy]=={LITELLM_VERSION}", "httptools"],
    )
    for argv in steps:
        done = subprocess.run(argv, capture_output=True, text=True, timeout=900, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(argv[:5])} failed: {done.stderr.strip()[-800:]}")
    stamp.touch()
    return exe


def _litellm_config(upstream: Target, path: Path) -> Path:
    """One OpenAI-compatible model on the upstream; everything off that a bare proxy can skip."""
    config = {
        "model_list": [
            {
                "model_name": upstream.model,
                "litellm_params": {
                    "model": f"openai/{upstream.model}",
                    "api_base": upstream.base_url,
                    "api_key": "sk-dummy",
                },
                # Prices, as our gateway has them from its config: cost tracking finds them
                # here instead of missing the model in the cost map on every request.
                "model_info": {"input_cost_per_token": 3.5e-8, "output_cost_per_token": 1.4e-7},
            }
        ],
        "litellm_settings": {
            "set_verbose": False,
            "json_logs": False,
            "request_timeout": 30,
            "num_retries": 0,
            "telemetry": False,
        },
        "general_settings": {
            "disable_spend_logs": True,
            "disable_error_logs": True,
            "background_health_checks": False,
        },
        "router_settings": {"routing_strategy": "simple-shuffle"},
    }
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    return path


def litellm_target(exe: Path, upstream: Target, work: Path) -> Target:
    port = _free_port()
    config = _litellm_config(upstream, work / "litellm.yaml")
    argv = (str(exe), "--config", str(config), "--host", "127.0.0.1", "--port", str(port))
    return Target(
        name="litellm",
        argv=(*argv, "--num_workers", "1"),
        ready_url=f"http://127.0.0.1:{port}/health/liveliness",
        base_url=f"http://127.0.0.1:{port}/v1",
        model=upstream.model,
        env={
            "LITELLM_MASTER_KEY": LITELLM_KEY,
            "LITELLM_LOCAL_MODEL_COST_MAP": "True",
            "LITELLM_LOG": "ERROR",  # also drops uvicorn's per-request access log
            "DISABLE_ADMIN_UI": "True",
        },
        api_key=LITELLM_KEY,
        start_timeout_s=90.0,
        throughput_requests=1_000,
    )


# ---------------------------------------------------------------- mecrouter targets


def _cloud_config(backend: dict[str, Any], src: Path | None = None) -> dict[str, Any]:
    """The shipped config (of the tree whose `src/` is given, else the installed one) with only
    the cloud endpoints, each updated with `backend`."""
    shipped = resources.files("mecrouter") if src is None else src / "mecrouter"
    text = shipped.joinpath("default_config.yaml").read_text()
    raw: dict[str, Any] = yaml.safe_load(text)
    raw["endpoints"] = [
        {**ep, **backend} for ep in raw["endpoints"] if ep["tier"] == PROMPT_MODEL_TIER
    ]
    return raw


def upstream_target(work: Path, kind: str) -> Target:
    port = _free_port()
    config = _cloud_config({"backend": "emulated"})
    path = work / "upstream.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    if kind == "stand-in":
        argv: tuple[str, ...] = (sys.executable, str(Path(__file__).resolve()), "--port", str(port))
    else:
        argv = (MECROUTER, "emulate", "--config", str(path), "--tier", PROMPT_MODEL_TIER)
        argv += ("--host", "127.0.0.1", "--port", str(port), "--time-scale", "1e-9")
    return Target(
        name="direct",
        argv=argv,
        ready_url=f"http://127.0.0.1:{port}/healthz",
        base_url=f"http://127.0.0.1:{port}/v1",
        model=config["endpoints"][0]["model"],
    )


def mecrouter_target(upstream: Target, work: Path, workers: int = 1) -> Target:
    """`mecrouter serve` with keys on (a key whose rate limit the load never reaches) and its
    decisions recorded to a SQLite file of its own."""
    from mecrouter.gateway.auth import KeyStore

    port = _free_port()
    config = _cloud_config({"backend": "openai_http", "base_url": upstream.base_url})
    name = "mecrouter" if workers == 1 else f"mecrouter-{workers}w"
    path = work / f"{name}.yaml"
    path.write_text(yaml.safe_dump(config, sort_keys=False))
    with KeyStore(work / f"{name}-keys.sqlite3") as keys:
        secret, _ = keys.create("bench", rpm_limit=10_000_000)
    argv = (MECROUTER, "serve", "--config", str(path), "--host", "127.0.0.1", "--port", str(port))
    argv += ("--keys-db", str(work / f"{name}-keys.sqlite3"), "--db", str(work / f"{name}.db"))
    return Target(
        name=name,
        argv=(*argv, "--workers", str(workers)),
        ready_url=f"http://127.0.0.1:{port}/healthz",
        base_url=f"http://127.0.0.1:{port}/v1",
        model="auto",
        api_key=secret,
    )


# ---------------------------------------------------------------- load and report


def _worker_rss_mb(pid: int) -> float:
    """The largest RSS among a server process and its children (the workers of `--workers`)."""
    from mecrouter.gateway.topology import child_pids, rss_mb

    return max(rss_mb(p) or 0.0 for p in (pid, *child_pids(pid)))


def run_load(target: Target, *, requests: int, concurrency: int, warmup: int, wall_s: float) -> Any:
    """One `gateway_load.py` run in its own process; its JSON summary."""
    argv = [sys.executable, str(HERE / "gateway_load.py"), "--json", "--label", target.name]
    argv += ["--url", f"{target.base_url}/chat/completions", "--model", target.model]
    argv += ["--requests", str(requests), "--concurrency", str(concurrency)]
    argv += ["--warmup", str(warmup), "--max-wall-s", str(wall_s), "--timeout-s", "30"]
    if target.api_key:
        argv += ["--api-key", target.api_key]
    done = subprocess.run(
        argv,
        capture_output=True,
        text=True,
        timeout=2 * wall_s + 60,
        check=False,
        env=_child_env({}),
    )
    lines = done.stdout.strip().splitlines()
    if not lines:
        raise RuntimeError(f"load generator printed nothing: {done.stderr.strip()[-800:]}")
    result = json.loads(lines[-1])
    print(f"[{'c=1' if concurrency == 1 else f'c={concurrency}'}] {lines[-1]}")
    return result


def _table(latency: dict[str, Any], throughput: dict[str, Any], rss: dict[str, float]) -> str:
    direct_l, direct_t = latency["direct"], throughput["direct"]
    head = (
        f"{'target':<12} {'p50 ms':>8} {'p99 ms':>8} {'+p50 ms':>8} {'+p99 ms':>8} "
        f"{'req/s c=32':>11} {'x direct':>9} {'p50 c=32':>9} {'errors':>7} {'RSS MB':>7}"
    )
    rows = [head, "-" * len(head)]
    for name, lat in latency.items():
        thr = throughput[name]
        added_p50 = lat["p50_ms"] - direct_l["p50_ms"]
        added_p99 = lat["p99_ms"] - direct_l["p99_ms"]
        rows.append(
            f"{name:<12} {lat['p50_ms']:>8.2f} {lat['p99_ms']:>8.2f} "
            f"{added_p50:>8.2f} {added_p99:>8.2f} "
            f"{thr['rps']:>11.1f} {thr['rps'] / direct_t['rps']:>9.3f} {thr['p50_ms']:>9.1f} "
            f"{lat['errors'] + thr['errors']:>7} {rss.get(name, float('nan')):>7.0f}"
        )
    return "\n".join(rows)


def _measure(targets: list[Target]) -> tuple[dict[str, Any], dict[str, Any]]:
    latency = {
        t.name: run_load(
            t, requests=LATENCY_REQUESTS, concurrency=1, warmup=LATENCY_WARMUP, wall_s=60.0
        )
        for t in targets
    }
    throughput = {
        t.name: run_load(
            t,
            requests=t.throughput_requests,
            concurrency=THROUGHPUT_CONCURRENCY,
            warmup=THROUGHPUT_WARMUP,
            wall_s=THROUGHPUT_WALL_S,
        )
        for t in targets
    }
    return latency, throughput


def _check_targets(
    latency: dict[str, Any], throughput: dict[str, Any], rss: dict[str, float]
) -> None:
    for name in latency:
        assert latency[name]["count"] > 0 and throughput[name]["count"] > 0, name
    for name in latency:
        if name != "litellm":
            errors = latency[name]["errors"] + throughput[name]["errors"]
            assert errors == 0, (name, latency[name]["first_errors"], throughput[name])
    if "mecrouter" not in latency or "litellm" not in latency:
        return
    direct = latency["direct"]["p50_ms"]
    ours, theirs = latency["mecrouter"]["p50_ms"] - direct, latency["litellm"]["p50_ms"] - direct
    ours_rps, direct_rps = throughput["mecrouter"]["rps"], throughput["direct"]["rps"]
    checks = {
        f"added p50 {ours:.2f} ms <= {TARGET_ADDED_P50_MS} ms": ours <= TARGET_ADDED_P50_MS,
        f"added p50 {ours / theirs:.3f}x LiteLLM's ({theirs:.2f} ms) <= "
        f"{TARGET_ADDED_P50_FRACTION}x": ours <= TARGET_ADDED_P50_FRACTION * theirs,
        f"{ours_rps:.0f} req/s >= {TARGET_RPS:.0f}": ours_rps >= TARGET_RPS,
        f"{ours_rps / direct_rps:.3f}x direct's req/s >= {TARGET_RPS_FRACTION}x": ours_rps
        >= TARGET_RPS_FRACTION * direct_rps,
        f"RSS per worker {max(rss.values()):.0f} MB <= {TARGET_RSS_MB:.0f} MB": max(rss.values())
        <= TARGET_RSS_MB,
    }
    for what, met in checks.items():
        print(f"{'met   ' if met else 'MISSED'} {what}")
    missed = [what for what, met in checks.items() if not met]
    assert not missed, missed


@pytest.mark.bench
def test_gateway_overhead_vs_litellm() -> None:
    targets = "direct,mecrouter,mecrouter-2w,litellm"
    wanted = os.environ.get("BENCH_GATEWAY_TARGETS", targets).split(",")
    t0 = time.monotonic()
    try:
        exe = ensure_litellm()
    except (RuntimeError, OSError, subprocess.TimeoutExpired) as exc:
        pytest.skip(f"LiteLLM could not be installed in {LITELLM_VENV}: {exc}")
    print(f"\nLiteLLM {LITELLM_VERSION} ready in {time.monotonic() - t0:.1f} s ({exe})")
    with tempfile.TemporaryDirectory(prefix="bench-gateway-") as tmp:
        work = Path(tmp)
        upstream = upstream_target(work, os.environ.get("BENCH_GATEWAY_UPSTREAM", "emulate"))
        proxies = [mecrouter_target(upstream, work)] if "mecrouter" in wanted else []
        proxies += [mecrouter_target(upstream, work, 2)] if "mecrouter-2w" in wanted else []
        proxies += [litellm_target(exe, upstream, work)] if "litellm" in wanted else []
        pids: dict[str, int] = {}
        with _running([upstream], work):
            try:
                with _running(proxies, work, pids) as startup_s:
                    print("start-up s:", {k: round(v, 1) for k, v in startup_s.items()})
                    latency, throughput = _measure([upstream, *proxies])
                    rss = {n: _worker_rss_mb(pid) for n, pid in pids.items() if "mecrouter" in n}
            except TargetFailed as exc:
                if exc.target != "litellm":
                    raise
                pytest.skip(f"LiteLLM proxy did not start: {exc}")
    print(_table(latency, throughput, rss))
    _check_targets(latency, throughput, rss)


# ---------------------------------------------------------------- stand-in upstream


def _stand_in_main(argv: list[str]) -> None:
    """A minimal OpenAI-compatible chat server (aiohttp), for developing this bench."""
    import argparse
    import uuid

    from aiohttp import web

    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    port = parser.parse_args(argv).port

    async def chat(request: web.Request) -> web.Response:
        body = await request.json()
        return web.json_response(
            {
                "id": f"chatcmpl-{uuid.uuid4().hex}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": body.get("model", "stand-in"),
                "choices": [
                    {
                        "index": 0,
                        "message": {"role": "assistant", "content": "An edge data centre."},
                        "finish_reason": "stop",
                    }
                ],
                "usage": {"prompt_tokens": 14, "completion_tokens": 5, "total_tokens": 19},
            }
        )

    async def models(_: web.Request) -> web.Response:
        return web.json_response({"object": "list", "data": [{"id": "stand-in"}]})

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/v1/chat/completions", chat)
    app.router.add_get("/v1/models", models)
    app.router.add_get("/healthz", healthz)
    with contextlib.suppress(ImportError):
        import uvloop

        uvloop.install()
    web.run_app(app, host="127.0.0.1", port=port, access_log=None, print=None)


if __name__ == "__main__":
    _stand_in_main(sys.argv[1:])
