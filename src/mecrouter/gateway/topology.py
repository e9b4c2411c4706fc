"""The whole system as processes on loopback: three emulated tiers and the gateway.

`LocalTopology` starts `mecrouter emulate` once per tier and `mecrouter serve` with a config whose
endpoints point at those emulators over HTTP (the `openai_http` backend), waits until each
answers its health check, and stops them all (terminate, then kill) however the block exits.
`mecrouter demo --http`, the end-to-end tests and the gateway benchmark all use it.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import Any, Final

import httpx
import yaml

from mecrouter.config import Config
from mecrouter.types import ComputeTier, NetworkType

__all__ = [
    "LocalTopology", "Process", "RedisProcess", "child_pids", "free_port", "http_config",
    "mecrouter_command", "rss_mb",
]  # fmt: skip

_READY_TIMEOUT_S = 30.0
# What boto3 signs with when the gateway calls the Bedrock emulator: never valid anywhere, and no
# instance-metadata lookup (which would wait on a link-local address).
_PLACEHOLDER_AWS: Final = {
    "AWS_ACCESS_KEY_ID": "AKIDMECROUTEREMULATOR",
    "AWS_SECRET_ACCESS_KEY": "emulator-placeholder",
    "AWS_EC2_METADATA_DISABLED": "true",
}
_STOP_TIMEOUT_S = 10.0


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def child_pids(pid: int) -> list[int]:
    """The processes whose parent is `pid` (Linux: read from /proc), e.g. `serve --workers`'s."""
    found = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(stat.parent.name))
    return found


def rss_mb(pid: int) -> float | None:
    """A process's resident memory in MB (Linux: /proc), None when it is gone."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    except OSError:
        return None
    return None


def mecrouter_command() -> list[str]:
    """How to run the `mecrouter` CLI of this interpreter's environment."""
    script = Path(sys.executable).parent / "mecrouter"
    if script.exists():
        return [str(script)]
    return [sys.executable, "-c", "from mecrouter.cli import main; main()"]


def http_config(
    config: Config,
    base_urls: Mapping[ComputeTier, str],
    backends: Mapping[ComputeTier, str] | None = None,
) -> dict[str, Any]:
    """`config` with every endpoint of the given tiers served over HTTP at that tier's URL, by
    the tier's backend in `backends` (``openai_http`` unless named, e.g. ``bedrock``)."""
    raw = config.model_dump(mode="json", exclude_none=True)
    for ep in raw["endpoints"]:
        tier = ComputeTier(ep["tier"])
        url = base_urls.get(tier)
        if url is not None:
            ep["backend"], ep["base_url"] = (backends or {}).get(tier, "openai_http"), url
    return raw


@dataclass
class Process:
    """A child process with a health URL; `stop` is idempotent."""

    name: str
    argv: list[str]
    health_url: str
    log_path: Path
    popen: subprocess.Popen[bytes] | None = None

    def start(self, env: Mapping[str, str] | None = None) -> None:
        log = self.log_path.open("ab")  # a restart appends: the earlier run stays readable
        self.popen = subprocess.Popen(
            self.argv,
            stdout=log,
            stderr=subprocess.STDOUT,
            env={**os.environ, **(env or {})},
            start_new_session=True,  # a signal to us is not a signal to them
        )
        log.close()

    def wait_ready(self, timeout_s: float = _READY_TIMEOUT_S) -> None:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.popen is not None and self.popen.poll() is not None:
                raise RuntimeError(f"{self.name} exited at start:\n{self.log_tail()}")
            with contextlib.suppress(httpx.HTTPError):
                if httpx.get(self.health_url, timeout=1.0).status_code == 200:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"{self.name} not ready after {timeout_s:.0f} s:\n{self.log_tail()}")

    def stop(self) -> None:
        popen, self.popen = self.popen, None
        if popen is None or popen.poll() is not None:
            return
        popen.send_signal(signal.SIGTERM)  # uvicorn shuts down gracefully: records are flushed
        try:
            popen.wait(_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            popen.kill()
            popen.wait(_STOP_TIMEOUT_S)

    def log_tail(self, lines: int = 20) -> str:
        try:
            text = self.log_path.read_text(errors="replace")
        except OSError:
            return ""
        return "\n".join(text.splitlines()[-lines:])


@dataclass
class LocalTopology:
    """Emulated tiers + gateway on 127.0.0.1. Use as a context manager.

    `time_scale` speeds the emulators up (tests use 0.01); `network` picks the access network
    whose RTTs the MEC and cloud emulators add to every call; `gateway_args` are extra
    `mecrouter serve` options (by default `--no-auth`). `cloud_api="bedrock"` serves the cloud
    tier as Amazon Bedrock's Converse API and has the gateway call it with the `bedrock` backend
    (boto3, with placeholder credentials: the emulator needs a signature, not a valid one).
    `store_url` gives the gateway `--store` (e.g. a ``dynamodb://`` URL) instead of the SQLite
    file `decisions_db`. `replicas` starts that many gateways on ports of their own, sharing
    the key and decision files (give them ``--state`` in `gateway_args` to share the rest).
    """

    config: Config
    tiers: Sequence[ComputeTier] = tuple(ComputeTier)
    time_scale: float = 1.0
    network: NetworkType = NetworkType.FIVE_G
    gateway_args: Sequence[str] = ("--no-auth",)
    seed: int = 0
    cloud_api: str = "openai"
    store_url: str | None = None
    replicas: int = 1
    workdir: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="mecrouter-")))
    emulators: dict[ComputeTier, Process] = field(default_factory=dict)
    gateways: list[Process] = field(default_factory=list)

    @property
    def gateway(self) -> Process | None:
        """The first gateway (the only one unless `replicas` > 1)."""
        return self.gateways[0] if self.gateways else None

    @property
    def gateway_url(self) -> str:
        return self.gateway_urls[0]

    @property
    def gateway_urls(self) -> list[str]:
        assert self.gateways, "start the topology first"
        return [g.health_url.removesuffix("/healthz") for g in self.gateways]

    @property
    def decisions_db(self) -> Path:
        return self.workdir / "decisions.sqlite3"

    @property
    def keys_db(self) -> Path:
        return self.workdir / "keys.sqlite3"

    def emulator_url(self, tier: ComputeTier) -> str:
        return self.emulators[tier].health_url.removesuffix("/healthz")

    def start(self) -> LocalTopology:
        try:
            self._start_emulators()
            self._start_gateway()
        except BaseException:
            self.stop()
            raise
        return self

    def stop(self) -> None:
        """Gateways first (so they flush their records while the tiers still answer)."""
        for gateway in self.gateways:
            gateway.stop()
        for proc in self.emulators.values():
            proc.stop()

    def __enter__(self) -> LocalTopology:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stop()

    def _start_emulators(self) -> None:
        profile = self.config.network_profiles[self.network]
        rtt = {ComputeTier.DEVICE: 0.0, ComputeTier.MEC: profile.mec_rtt_ms}
        base = self._write_config(
            "base.yaml", self.config.model_dump(mode="json", exclude_none=True)
        )
        for tier in self.tiers:
            port = free_port()
            argv = [
                *mecrouter_command(), "emulate", "--tier", tier.value, "--port", str(port),
                "--rtt-ms", str(rtt.get(tier, profile.cloud_rtt_ms)),
                "--time-scale", str(self.time_scale), "--seed", str(self.seed),
                "--config", str(base), *self._api_args(tier),
            ]  # fmt: skip
            proc = Process(
                f"emulate-{tier.value}",
                argv,
                f"http://127.0.0.1:{port}/healthz",
                self.workdir / f"emulate-{tier.value}.log",
            )
            proc.start()
            self.emulators[tier] = proc
        for proc in self.emulators.values():
            proc.wait_ready()

    def _bedrock(self, tier: ComputeTier) -> bool:
        return tier is ComputeTier.CLOUD and self.cloud_api == "bedrock"

    def _api_args(self, tier: ComputeTier) -> list[str]:
        return ["--api", "bedrock"] if self._bedrock(tier) else []

    def _start_gateway(self) -> None:
        urls = {
            tier: self.emulator_url(tier) + ("" if self._bedrock(tier) else "/v1")
            for tier in self.emulators
        }
        backends = {tier: "bedrock" for tier in self.emulators if self._bedrock(tier)}
        config_path = self._write_config("gateway.yaml", http_config(self.config, urls, backends))
        for i in range(self.replicas):
            port = free_port()
            argv = [
                *mecrouter_command(), "serve", "--config", str(config_path), "--port", str(port),
                *(("--store", self.store_url) if self.store_url
                  else ("--db", str(self.decisions_db))),
                "--keys-db", str(self.keys_db), *self.gateway_args,
            ]  # fmt: skip
            name = "gateway" if i == 0 else f"gateway-{i + 1}"
            log = self.workdir / f"{name}.log"
            gateway = Process(name, argv, f"http://127.0.0.1:{port}/healthz", log)
            gateway.start(_PLACEHOLDER_AWS if backends else None)
            self.gateways.append(gateway)
        for gateway in self.gateways:
            gateway.wait_ready()

    def _write_config(self, name: str, data: dict[str, Any]) -> Path:
        path = self.workdir / name
        path.write_text(yaml.safe_dump(data, sort_keys=False))
        return path


class RedisProcess:
    """A `redis-server` of our own on a loopback port, without persistence, to stop and start
    again on the same port (the chaos test and `make soak` restart it)."""

    def __init__(self, workdir: Path, port: int | None = None) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise FileNotFoundError("redis-server is not on PATH (apt-get install redis-server)")
        self.port = port or free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self._args = [binary, "--port", str(self.port), "--bind", "127.0.0.1", "--save", "",
                      "--appendonly", "no", "--dir", str(workdir)]  # fmt: skip
        self._process: subprocess.Popen[bytes] | None = None

    def start(self, timeout_s: float = 10.0) -> None:
        self._process = subprocess.Popen(
            self._args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        deadline = time.monotonic() + timeout_s
        while not self._answers():
            if self._process.poll() is not None or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not start on port {self.port}")
            time.sleep(0.05)

    def _answers(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.5) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    def stop(self) -> None:
        process, self._process = self._process, None
        if process is None or process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(_STOP_TIMEOUT_S)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(_STOP_TIMEOUT_S)
