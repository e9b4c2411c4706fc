"""Bounded time over real HTTP: every tier behind the gateway hangs, and the request still ends
within its deadline (the tiers are emulator processes reached through the OpenAI HTTP backend,
whose own read timeout must not outlast the deadline)."""

from __future__ import annotations

import time

import httpx

from mecrouter.breaker import request_deadline_ms
from mecrouter.config import load_config
from mecrouter.gateway.auth import KeyStore
from mecrouter.gateway.topology import LocalTopology

PHONE = {"device_id": "phone-deadline", "memory_mb": 8192, "local_models": []}
MARGIN_S = 1.0  # writing the 503, the event loop's scheduling on a loaded machine


def test_a_request_to_hanging_tiers_over_http_ends_within_its_deadline() -> None:
    config = load_config()
    topo = LocalTopology(config, time_scale=0.01, gateway_args=())
    with KeyStore(topo.keys_db) as keys:
        secret, _ = keys.create("deadline")
    body = {
        "model": "auto",
        "messages": [{"role": "user", "content": "Summarise the match so far."}],
        "routing": {"use_case": "gaming", "device": PHONE},
    }
    headers = {"authorization": f"Bearer {secret}"}
    with topo, httpx.Client(base_url=topo.gateway_url, headers=headers, timeout=120) as client:
        decision = client.post("/v1/route", json=body).json()
        slowest_ms = max(decision["predicted_latency_ms"].values())
        slo_ms = config.use_case("gaming").latency_slo_ms
        deadline_s = request_deadline_ms(slo_ms, slowest_ms, config.resilience) / 1000.0
        for tier in topo.emulators:
            admin = f"{topo.emulator_url(tier)}/admin/fault"
            httpx.post(admin, json={"hang": True}).raise_for_status()
        started = time.monotonic()
        answer = client.post("/v1/chat/completions", json=body)
        waited_s = time.monotonic() - started
    assert answer.status_code == 503, answer.text
    assert waited_s <= deadline_s + MARGIN_S, (waited_s, deadline_s)
