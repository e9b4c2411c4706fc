"""Bounded time over real HTTP: every tier behind the gateway hangs, and the request still ends
within its deadline (the tiers are emulator processes reached through the OpenAI HTTP backend,
whose own read timeout must not outlast the deadline)."""

from __future__ import annotations

import contextlib
import time
from collections.abc import Iterator

import httpx
import openai
import pytest

from mecrouter.breaker import request_deadline_ms
from mecrouter.config import load_config
from mecrouter.gateway.auth import KeyStore
from mecrouter.gateway.topology import LocalTopology

PHONE = {"device_id": "phone-deadline", "memory_mb": 8192, "local_models": []}
MARGIN_S = 1.0  # writing the 503, the event loop's scheduling on a loaded machine


ROUTING = {"use_case": "gaming", "device": PHONE}
MESSAGES = [{"role": "user", "content": "Summarise the match so far."}]
BODY = {"model": "auto", "messages": MESSAGES, "routing": ROUTING}


@contextlib.contextmanager
def _hanging_tiers() -> Iterator[tuple[LocalTopology, str, float]]:
    """The gateway and its tiers as processes, with a key; yields (topology, the key, the
    request's deadline in s) once every tier hangs."""
    config = load_config()
    topo = LocalTopology(config, time_scale=0.01, gateway_args=())
    with KeyStore(topo.keys_db) as keys:
        secret, _ = keys.create("deadline")
    with topo:
        headers = {"authorization": f"Bearer {secret}"}
        decision = httpx.post(f"{topo.gateway_url}/v1/route", json=BODY, headers=headers).json()
        slowest_ms = max(decision["predicted_latency_ms"].values())
        slo_ms = config.use_case("gaming").latency_slo_ms
        deadline_s = request_deadline_ms(slo_ms, slowest_ms, config.resilience) / 1000.0
        for tier in topo.emulators:
            admin = f"{topo.emulator_url(tier)}/admin/fault"
            httpx.post(admin, json={"hang": True}).raise_for_status()
        yield topo, secret, deadline_s


def test_a_request_to_hanging_tiers_over_http_ends_within_its_deadline() -> None:
    with _hanging_tiers() as (topo, secret, deadline_s):
        headers = {"authorization": f"Bearer {secret}"}
        started = time.monotonic()
        answer = httpx.post(
            f"{topo.gateway_url}/v1/chat/completions", json=BODY, headers=headers, timeout=120
        )
        waited_s = time.monotonic() - started
    assert answer.status_code == 503, answer.text
    assert waited_s <= deadline_s + MARGIN_S, (waited_s, deadline_s)


def test_the_openai_sdk_does_not_retry_a_request_whose_deadline_is_spent() -> None:
    """The SDK retries every 5xx twice by default (after `retry-after`): a 503 that comes when the
    deadline is spent says `x-should-retry: false`, or the caller waits three deadlines."""
    with _hanging_tiers() as (topo, secret, deadline_s):
        client = openai.OpenAI(base_url=f"{topo.gateway_url}/v1", api_key=secret, timeout=120)
        started = time.monotonic()
        with pytest.raises(openai.APIStatusError) as caught:
            client.chat.completions.create(
                model="auto",
                messages=MESSAGES,  # type: ignore[arg-type]
                extra_body={"routing": ROUTING},
            )
        waited_s = time.monotonic() - started
    assert caught.value.status_code == 503
    assert caught.value.response.headers["x-should-retry"] == "false"
    assert waited_s <= deadline_s + MARGIN_S, (waited_s, deadline_s)
