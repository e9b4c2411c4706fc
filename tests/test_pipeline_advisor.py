"""The advisor in the pipeline (`pipeline.advisor`): consulted on close calls only, bounded by
its timeout, guarded by its own breaker, overruling by reordering the chain, and its verdict
recorded on the decision and in the store. A scripted backend stands in for Nova Pro."""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import AsyncIterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
import yaml

from mecrouter.backends.base import Chunk, GenerationRequest
from mecrouter.config import Config, load_config
from mecrouter.errors import BackendUnavailable
from mecrouter.pipeline import Router
from mecrouter.pipeline.advisor import Advisor, advisor_price
from mecrouter.stores import open_store
from mecrouter.stores.memory import MemoryStore
from mecrouter.types import Generation

TIME_SCALE = 0.02
# The default use case's SLO is 3 s: a short prompt leaves seconds of slack.
PROMPT = "Write a function to find the second largest number in a list."


class Scripted:
    """Answers each advisor call as `answer(request)` says, after `delay_s`; or raises."""

    def __init__(self, pick: str = "learned", delay_s: float = 0.0, text: str | None = None):
        self.pick, self.delay_s, self.text = pick, delay_s, text
        self.seen: list[GenerationRequest] = []
        self.fail = False

    async def generate(self, request: GenerationRequest) -> Generation:
        self.seen.append(request)
        await asyncio.sleep(self.delay_s)
        if self.fail:
            raise BackendUnavailable("advisor down")
        enum = self.enum(request)
        choice = enum[0] if self.pick == "learned" else enum[1]
        text = self.text or json.dumps({"choice": choice, "reasoning": f"{choice} fits best"})
        return Generation(text, request.model, 100, 20, 1.0, 1.0)

    @staticmethod
    def enum(request: GenerationRequest) -> list[str]:
        assert request.options is not None and request.options.response_format is not None
        schema = request.options.response_format["json_schema"]["schema"]
        return list(schema["properties"]["choice"]["enum"])

    async def stream(self, request: GenerationRequest) -> AsyncIterator[Chunk]:
        raise NotImplementedError
        yield ""

    async def aclose(self) -> None:
        return None


def config_with(**reasoner: Any) -> Config:
    text = resources.files("mecrouter").joinpath("default_config.yaml").read_text("utf-8")
    raw: dict[str, Any] = yaml.safe_load(text)
    raw["routing"] = {"reasoner": {"backend": "bedrock", "margin": 1.0, **reasoner}}
    return load_config(raw)


def request(content: str = PROMPT, **kw: Any) -> dict[str, Any]:
    device = {"device_id": "phone-1", "memory_mb": 8192, "network_type": "5g"}
    return {"content": content, "device_info": device, "use_case": "default", **kw}


def router_with(config: Config, backend: Scripted, store: Any = None) -> Router:
    """A router whose advisor calls `backend` (its own config's reasoner is off)."""
    router = Router.from_config(load_config(), store=store or MemoryStore(), time_scale=TIME_SCALE)
    router.advisor = Advisor(config, backend, router.router_agent, router.clock)
    return router


async def test_it_is_off_by_default() -> None:
    router = Router.from_config(load_config(), store=MemoryStore(), time_scale=TIME_SCALE)
    done = await router.complete(request())
    await router.aclose()
    assert router.advisor is None
    assert done.decision.advisor_verdict == done.record.advisor_verdict == ""
    assert "advisor" not in done.decision.reasoning


async def test_agreement_keeps_the_learned_decision_and_is_recorded() -> None:
    backend = Scripted(pick="learned")
    router = router_with(config_with(), backend)
    learned = await router.route(request())
    done = await router.complete(request())
    await router.aclose()
    d = done.decision
    assert len(backend.seen) == 1
    assert d.advisor_verdict == "agreed" == done.record.advisor_verdict
    assert d.selected_endpoint == learned.selected_endpoint == done.record.actual_endpoint
    assert d.advisor_reasoning == f"{learned.selected_endpoint} fits best"
    assert d.reasoning.endswith(f"; advisor agreed: {d.advisor_reasoning}")
    asked = backend.seen[0]
    assert asked.messages[0].role == "system" and asked.temperature == 0.0
    assert PROMPT not in asked.messages[1].content  # only the router's conclusions are sent


async def test_overruling_serves_the_advisors_choice_with_the_learned_pick_next() -> None:
    backend = Scripted(pick="rival")
    router = router_with(config_with(), backend)
    learned = await router.route(request())
    done = await router.complete(request())
    await router.aclose()
    rival = Scripted.enum(backend.seen[0])[1]
    d = done.decision
    assert d.advisor_verdict == "overruled" == done.record.advisor_verdict
    assert d.selected_endpoint == rival == done.record.actual_endpoint != learned.selected_endpoint
    assert d.fallback_endpoints[0] == learned.selected_endpoint
    assert sorted(d.fallback_endpoints) == sorted(
        [learned.selected_endpoint, *(e for e in learned.fallback_endpoints if e != rival)]
    )
    assert done.record.selected_endpoint == rival
    assert "advisor overruled" in done.record.reasoning


async def test_a_slow_advisor_times_out_and_the_learned_answer_is_served_in_time() -> None:
    backend = Scripted(pick="rival", delay_s=10.0)
    router = router_with(config_with(timeout_ms=150, expected_ms=100), backend)
    learned = await router.route(request())
    started = time.perf_counter()
    done = await router.complete(request())
    elapsed = time.perf_counter() - started
    await router.aclose()
    assert done.decision.advisor_verdict == "timeout" == done.record.advisor_verdict
    assert done.record.actual_endpoint == learned.selected_endpoint
    assert 0.15 <= elapsed < 2.0  # the timeout, then the (fast, emulated) answer


async def test_the_timeout_never_outlasts_the_slo_slack() -> None:
    backend = Scripted(delay_s=10.0)
    router = router_with(config_with(timeout_ms=60_000, expected_ms=100), backend)
    started = time.perf_counter()
    done = await router.complete(request(latency_slo_ms=1200))
    elapsed = time.perf_counter() - started
    await router.aclose()
    assert done.decision.advisor_verdict == "timeout"
    assert elapsed < 1.5  # at most the 1.2 s SLO minus the slower option's prediction


async def test_repeated_failures_open_its_breaker_and_it_is_then_skipped() -> None:
    backend = Scripted()
    backend.fail = True
    router = router_with(config_with(failure_threshold=2, open_seconds=60), backend)
    verdicts = []
    for _ in range(4):
        done = await router.complete(request())
        assert done.record.success  # the request never pays for the advisor's failure
        verdicts.append(done.decision.advisor_verdict)
    await router.aclose()
    assert verdicts == ["error", "error", "circuit_open", "circuit_open"]
    assert len(backend.seen) == 2
    assert router.advisor is not None and router.advisor.outcomes["circuit_open"] == 2


class Manual:
    """A clock the test moves."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def time(self) -> float:
        return self.now

    def monotonic(self) -> float:
        return self.now


async def test_after_open_seconds_one_good_answer_closes_its_breaker() -> None:
    backend, clock = Scripted(), Manual()
    router = router_with(config_with(failure_threshold=1, open_seconds=30), backend)
    router.advisor = Advisor(config_with(failure_threshold=1, open_seconds=30), backend,
                             router.router_agent, clock)  # fmt: skip
    backend.fail = True
    assert (await router.complete(request())).decision.advisor_verdict == "error"
    assert (await router.complete(request())).decision.advisor_verdict == "circuit_open"
    clock.now += 31  # half-open: the next close call probes it
    backend.fail = False
    assert (await router.complete(request())).decision.advisor_verdict == "agreed"
    assert (await router.complete(request())).decision.advisor_verdict == "agreed"
    await router.aclose()
    assert len(backend.seen) == 3


async def test_an_unparsable_answer_keeps_the_learned_decision() -> None:
    backend = Scripted(text="I would pick the cheaper one.")
    router = router_with(config_with(), backend)
    learned = await router.route(request())
    done = await router.complete(request())
    await router.aclose()
    assert done.decision.advisor_verdict == "unparsable"
    assert done.decision.advisor_reasoning == ""
    assert done.record.actual_endpoint == learned.selected_endpoint


async def test_it_is_not_asked_when_the_call_is_not_close_or_the_budget_is_short() -> None:
    backend = Scripted(pick="rival")
    not_close = router_with(config_with(margin=0.0), backend)
    done = await not_close.complete(request())
    await not_close.aclose()
    assert done.decision.advisor_verdict == "skipped_margin"
    assert "advisor" not in done.decision.reasoning
    short = router_with(config_with(expected_ms=600_000), backend)
    done = await short.complete(request())
    await short.aclose()
    assert done.decision.advisor_verdict == "skipped_budget"
    assert "advisor skipped_budget" in done.decision.reasoning
    assert backend.seen == []


async def test_the_verdict_and_reasoning_survive_a_sqlite_round_trip(tmp_path: Path) -> None:
    store = open_store(f"sqlite:///{tmp_path / 'decisions.db'}")
    router = router_with(config_with(), Scripted(pick="rival"), store=store)
    done = await router.complete(request())
    await router.aclose()
    await store.aclose()
    reopened = open_store(f"sqlite:///{tmp_path / 'decisions.db'}")
    stored = await reopened.get_decision(done.decision.decision_id)
    await reopened.aclose()
    assert stored is not None
    assert stored.advisor_verdict == "overruled"
    assert stored.advisor_reasoning == done.decision.advisor_reasoning != ""
    assert stored.actual_endpoint == done.decision.selected_endpoint
    assert done.decision.to_dict()["advisor_verdict"] == "overruled"
    json.dumps(done.decision.to_dict())  # still JSON-ready


def test_from_config_builds_the_named_backend(aws_env: dict[str, str]) -> None:
    pytest.importorskip("boto3")
    config = config_with(base_url="http://127.0.0.1:9")
    router = Router.from_config(config, store=MemoryStore())
    assert router.advisor is not None
    assert type(router.advisor.backend).__name__ == "BedrockBackend"
    asyncio.run(router.aclose())


async def test_the_gateway_counts_the_verdicts() -> None:
    from mecrouter.gateway.metrics import GatewayMetrics

    router = router_with(config_with(), Scripted(pick="rival"))
    done = await router.complete(request())
    await router.aclose()
    metrics = GatewayMetrics(dict)
    metrics.observe(done.record)
    text = metrics.render().decode()
    assert 'mecrouter_advisor_verdicts_total{verdict="overruled"} 1.0' in text


async def test_what_asking_cost_is_recorded_and_priced_as_the_models_endpoint() -> None:
    config = config_with()
    router = router_with(config, Scripted("learned"))
    done = await router.complete(request())
    await router.aclose()
    nova_pro = next(ep for ep in load_config().endpoints if ep.model == "amazon.nova-pro-v1:0")
    assert done.decision.advisor_verdict == "agreed"
    assert done.record.advisor_cost_usd == nova_pro.price.cost_usd(100, 20) > 0  # its tokens
    assert done.record.cost_usd != done.record.advisor_cost_usd  # the inference's own, apart
    assert advisor_price(config, "us.amazon.nova-pro-v1:0") == nova_pro.price
    assert advisor_price(config, "no-such-model").cost_usd(1000, 1000) == 0.0


async def test_a_keys_spend_includes_what_asking_the_advisor_cost(tmp_path: Path) -> None:
    import httpx

    from mecrouter.gateway.app import GatewaySettings, create_app
    from mecrouter.gateway.auth import KeyStore

    router = router_with(config_with(), Scripted("learned"))
    keys = KeyStore(tmp_path / "keys.sqlite3")
    secret, key = keys.create("advised", budget_usd=10.0)
    app = create_app(GatewaySettings(keys_db=tmp_path / "keys.sqlite3"), router=router, keys=keys)
    body = {"model": "auto", "messages": [{"role": "user", "content": PROMPT}]}
    headers = {"authorization": f"Bearer {secret}", "x-mecrouter-use-case": "default"}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as client:
            answered = await client.post("/v1/chat/completions", json=body, headers=headers)
            decision_id = answered.headers["x-mecrouter-decision-id"]
            record = await router.store.get_decision(decision_id)
            plain = keys.spent_usd(key.key_id)
            streamed = await client.post(
                "/v1/chat/completions", json={**body, "stream": True}, headers=headers
            )
            assert streamed.status_code == 200
    assert answered.status_code == 200 and record is not None
    assert record.advisor_verdict == "agreed" and record.advisor_cost_usd > 0
    assert plain == pytest.approx(record.cost_usd + record.advisor_cost_usd)
    assert keys.spent_usd(key.key_id) - plain >= record.advisor_cost_usd
