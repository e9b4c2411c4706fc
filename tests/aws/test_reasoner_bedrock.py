"""The advisor over real HTTP: the `bedrock` backend (boto3, SigV4, dummy credentials) asks the
Bedrock emulator (`mecrouter emulate --api bedrock`, on 127.0.0.1) for a verdict through a
forced tool whose input schema is the verdict's, and the answer is parsed and recorded. The
emulated model fills a schema's enum with its first value: the learned pick, listed first."""

from __future__ import annotations

from collections.abc import Iterator
from importlib import resources
from typing import Any

import pytest
import yaml

from mecrouter.config import load_config
from mecrouter.gateway.topology import Process, free_port, mecrouter_command
from mecrouter.pipeline import Router
from mecrouter.stores.memory import MemoryStore

pytest.importorskip("boto3")

NOVA_PRO = "amazon.nova-pro-v1:0"


@pytest.fixture(scope="module")
def emulator(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    port = free_port()
    argv = [*mecrouter_command(), "emulate", "--tier", "cloud", "--api", "bedrock"]
    argv += ["--port", str(port), "--time-scale", "0.01"]
    log = tmp_path_factory.mktemp("bedrock") / "emulator.log"
    process = Process("bedrock", argv, f"http://127.0.0.1:{port}/healthz", log)
    process.start()
    try:
        process.wait_ready()
        yield f"http://127.0.0.1:{port}"
    finally:
        process.stop()


async def test_nova_pro_on_the_wire_gives_a_parsed_recorded_verdict(
    emulator: str, aws_env: dict[str, str]
) -> None:
    text = resources.files("mecrouter").joinpath("default_config.yaml").read_text("utf-8")
    raw: dict[str, Any] = yaml.safe_load(text)
    raw["routing"] = {
        "reasoner": {
            "backend": "bedrock", "model": NOVA_PRO, "region": "us-east-1",
            "base_url": emulator, "margin": 1.0, "expected_ms": 50, "timeout_ms": 2000,
        }
    }  # fmt: skip
    store = MemoryStore()
    router = Router.from_config(load_config(raw), store=store, time_scale=0.02)
    learned = await router.route({"content": "What is the capital of Australia?"})
    done = await router.complete({"content": "What is the capital of Australia?"})
    await router.aclose()
    assert router.advisor is not None and router.advisor.outcomes["agreed"] == 1
    assert done.decision.advisor_verdict == "agreed"
    assert done.decision.advisor_reasoning == "example"  # the emulator's placeholder string
    assert done.record.actual_endpoint == learned.selected_endpoint
    stored = await store.get_decision(done.decision.decision_id)
    assert stored is not None and stored.advisor_verdict == "agreed"
