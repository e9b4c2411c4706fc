"""`mecrouter serve` as real processes: two replicas on two ports sharing one Redis behave as one
gateway; `--workers 2` runs two processes on one port; SIGTERM drains a stream in flight, keeps
its record and exits 0."""

from __future__ import annotations

import contextlib
import signal
import sqlite3
import threading
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mecrouter.config import load_config
from mecrouter.gateway.auth import KeyStore
from mecrouter.gateway.topology import LocalTopology, child_pids
from redis_server import RedisServer, local_redis

FAST = 0.01  # the emulated tiers' time scale where nothing needs to take long


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[LocalTopology, str]]:
    """Two `serve --state` processes (and the emulated tiers), with one key for the tests."""
    with local_redis(tmp_path_factory.mktemp("redis")) as server:
        topo = _replicas(server, time_scale=FAST)
        with KeyStore(topo.keys_db) as keys:
            secret, _ = keys.create("two replicas", rpm_limit=4)
        with topo:
            yield topo, secret


def _replicas(server: RedisServer, **kw: Any) -> LocalTopology:
    config = load_config()
    config = config.model_copy(update={"state": config.state.model_copy(
        update={"prefix": server.prefix})})  # fmt: skip
    return LocalTopology(config, replicas=2, gateway_args=("--state", server.url), **kw)


def _chat(**kw: Any) -> dict[str, Any]:
    return {"model": "auto", "messages": [{"role": "user", "content": "Hello there"}], **kw}


def test_two_serve_processes_with_one_redis_share_one_rate_limit(
    replicas: tuple[LocalTopology, str],
) -> None:
    topo, secret = replicas
    a, b = topo.gateway_urls
    auth = {"authorization": f"Bearer {secret}"}
    codes = [
        httpx.post(f"{url}/v1/route", json=_chat(), headers=auth, timeout=10).status_code
        for url in (a, b, a, b, a, b)
    ]
    assert codes == [200, 200, 200, 200, 429, 429]  # 8 would pass without sharing
    for url in (a, b):
        state = httpx.get(f"{url}/readyz", timeout=5).json()["state"]
        assert state["connected"] is True


def _open_circuits(url: str) -> list[str]:
    found: list[str] = httpx.get(f"{url}/readyz", timeout=5).json()["open_circuits"]
    return found


def test_a_circuit_opened_by_one_process_opens_in_the_other(
    replicas: tuple[LocalTopology, str],
) -> None:
    """The cloud tier dies: the replica that finds out opens its circuit, and so does the other
    within about a second."""
    topo, _ = replicas
    a, b = topo.gateway_urls
    with KeyStore(topo.keys_db) as keys:
        secret, _ = keys.create("circuits")
    time.sleep(1.1)  # the replicas read the key file at most once a second
    topo.emulators[next(t for t in topo.emulators if t.value == "cloud")].stop()
    auth = {"authorization": f"Bearer {secret}"}
    pinned = _chat(model="amazon.nova-pro-v1:0")
    for _ in range(8):  # only a is asked, pinned to the dead tier: a clean 503 each time
        r = httpx.post(f"{a}/v1/chat/completions", json=pinned, headers=auth, timeout=20)
        assert r.status_code == 503 and r.json()["error"]["code"], r.text
        if "cloud-nova-pro" in _open_circuits(a):
            break
    assert "cloud-nova-pro" in _open_circuits(a)
    deadline = time.monotonic() + 1.5
    while "cloud-nova-pro" not in _open_circuits(b) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "cloud-nova-pro" in _open_circuits(b)


def test_sigterm_drains_a_stream_in_flight_keeps_its_record_and_exits_0() -> None:
    topo = LocalTopology(
        load_config(),
        time_scale=1.0,
        gateway_args=("--no-auth", "--workers", "2", "--drain-s", "20"),
    )
    body = _chat(model="amazon.nova-pro-v1:0", stream=True, max_tokens=80)
    chunks: list[str] = []
    started = threading.Event()
    done_at: list[float] = []

    def stream(url: str) -> None:
        with httpx.stream("POST", f"{url}/v1/chat/completions", json=body, timeout=30) as r:
            for line in r.iter_lines():
                if line.startswith("data: "):
                    chunks.append(line)
                    started.set()
        done_at.append(time.monotonic())

    with topo:
        assert topo.gateway is not None and topo.gateway.popen is not None
        popen = topo.gateway.popen
        deadline = time.monotonic() + 10
        while len(child_pids(popen.pid)) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        assert len(child_pids(popen.pid)) == 2  # two workers under the supervisor
        reader = threading.Thread(target=stream, args=(topo.gateway_url,))
        reader.start()
        assert started.wait(20), "no first chunk"
        popen.send_signal(signal.SIGTERM)
        signalled_at = time.monotonic()
        reader.join(30)
        assert not reader.is_alive()
        assert popen.wait(30) == 0
        with pytest.raises(httpx.ConnectError):  # no longer accepting
            httpx.get(f"{topo.gateway_url}/healthz", timeout=2)
    assert chunks[-1] == "data: [DONE]" and done_at[0] > signalled_at  # drained, not done before
    assert not any('"error"' in c for c in chunks)
    with contextlib.closing(sqlite3.connect(topo.decisions_db)) as db:
        [(stored,)] = db.execute("SELECT count(*) FROM routing_decisions WHERE success").fetchall()
    assert stored == 1
