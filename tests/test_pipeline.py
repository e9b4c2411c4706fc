"""The whole pipeline on emulated tiers: serving, failover, circuits, cache, degradation."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from mecrouter.backends.emulated import EmulatedBackend
from mecrouter.config import Config, load_config
from mecrouter.errors import AllEndpointsFailed, InvalidRequestError, NoRouteError
from mecrouter.pipeline import Router
from mecrouter.pipeline.caching import request_cache_key
from mecrouter.stores.memory import MemoryStore
from mecrouter.types import CircuitState, ComputeTier, InferenceRequest

TIME_SCALE = 0.02  # emulated tiers run 50x faster than their profiles


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


def request(content: str = "Summarise the match report in two lines.", **kw: Any) -> dict[str, Any]:
    device = {
        "device_id": "phone-1",
        "memory_mb": 8192,
        "local_models": ["llama-3.2-1b-instruct"],
        "network_type": "5g",
    }
    device.update(kw.pop("device", {}))
    return {"content": content, "device_info": device, **kw}


def make_router(config: Config, store: MemoryStore | None = None, **kw: Any) -> Router:
    return Router.from_config(config, store=store or MemoryStore(), time_scale=TIME_SCALE, **kw)


def emulated(router: Router, endpoint_id: str) -> EmulatedBackend:
    backend = router.backends[endpoint_id].inner
    assert isinstance(backend, EmulatedBackend)
    return backend


async def test_a_request_is_served_and_recorded(config: Config) -> None:
    store = MemoryStore()
    router = make_router(config, store)
    done = await router.complete(request(use_case="healthcare"))
    await router.aclose()
    assert done.text
    rec = done.record
    assert rec.success and rec.actual_endpoint == done.decision.selected_endpoint
    assert rec.latency_ms > 0
    assert rec.output_tokens == config.use_case("healthcare").output_tokens  # asked of the backend
    assert rec.cost_usd == pytest.approx(
        config.endpoint(rec.actual_endpoint).price.cost_usd(rec.input_tokens, rec.output_tokens)
    )
    stored = await store.get_decision(done.decision.decision_id)
    assert stored is not None and stored.reasoning == done.decision.reasoning


async def test_killed_endpoint_fails_over_to_the_first_fallback(config: Config) -> None:
    # How long the failover takes against the deadline: benchmarks/bench_pipeline.py.
    router = make_router(config)
    req = request(
        "Explain the trade-offs of three caching strategies step by step.", use_case="automotive"
    )
    planned = await router.route(req)
    killed = emulated(router, planned.selected_endpoint)
    killed.set_fault(down=True)
    done = await router.complete(req)
    await router.aclose()
    assert done.record.success and done.text
    assert done.record.actual_endpoint == planned.fallback_endpoints[0]
    assert done.record.fallbacks_used == 1
    assert killed.in_flight == 0


async def test_hanging_endpoint_times_out_and_fails_over(config: Config) -> None:
    router = make_router(config)
    req = request(use_case="healthcare")
    planned = await router.route(req)
    hung = emulated(router, planned.selected_endpoint)
    hung.set_fault(hang=True)
    done = await asyncio.wait_for(router.complete(req), 60.0)  # a guard against hanging the run
    await router.aclose()
    assert done.record.success and done.record.actual_endpoint != planned.selected_endpoint
    assert done.record.actual_endpoint == planned.fallback_endpoints[0]
    assert done.record.fallbacks_used == 1
    assert hung.in_flight == 0  # the hung attempt was cancelled, not left behind


async def test_circuit_opens_and_router_stops_choosing_the_endpoint(config: Config) -> None:
    router = make_router(config)
    req = request(use_case="healthcare")
    planned = await router.route(req)
    emulated(router, planned.selected_endpoint).set_fault(down=True)
    breaker = router.breakers[planned.selected_endpoint]
    for i in range(config.resilience.failure_threshold):  # pinned: nothing else may serve
        pinned = request(f"patient summary {i}", use_case="healthcare")
        with pytest.raises(AllEndpointsFailed):
            await router.complete({**pinned, "model": planned.selected_endpoint})
    assert breaker.state(router.clock.monotonic()) is CircuitState.OPEN
    after = await router.route(request("another one", use_case="healthcare"))
    await router.aclose()
    assert after.selected_endpoint != planned.selected_endpoint
    assert planned.selected_endpoint not in after.fallback_endpoints


async def test_all_endpoints_failing_raises_and_still_records(config: Config) -> None:
    store = MemoryStore()
    router = make_router(config, store)
    for backend in router.backends.values():
        assert isinstance(backend.inner, EmulatedBackend)
        backend.inner.set_fault(down=True)
    with pytest.raises(AllEndpointsFailed) as info:
        await router.complete(request(request_id="doomed"))
    await router.aclose()
    assert len(info.value.errors) == 1 + config.resilience.max_fallbacks
    records = await store.query_decisions()
    assert [r.request_id for r in records] == ["doomed"]
    assert not records[0].success and "failed on every endpoint" in records[0].error


async def test_no_route_is_recorded_with_reasons(config: Config) -> None:
    store = MemoryStore()
    router = make_router(config, store)
    offline_bare = request(
        device={"network_type": "offline", "connected": False, "local_models": []}
    )
    with pytest.raises(NoRouteError, match="model not on device"):
        await router.complete(offline_bare)
    await router.aclose()
    assert await store.count_decisions() == 1


async def test_offline_device_answers_alone(config: Config) -> None:
    router = make_router(config)
    done = await router.complete(
        request(
            "Prove the lemma step by step.", device={"network_type": "offline", "connected": False}
        )
    )
    await router.aclose()
    assert done.record.actual_tier == ComputeTier.DEVICE.value


def test_only_deterministic_requests_have_a_cache_key_in_their_owners_partition() -> None:
    def key(partition: str = "key", **kw: Any) -> str | None:
        return request_cache_key(InferenceRequest(content="hi", **kw), partition)

    assert key() is None and key(temperature=0.7) is None
    ann = key(temperature=0, owner_id="mk_ann", tenant="acme")
    al = key(temperature=0, owner_id="mk_al", tenant="acme")
    assert ann is not None and al is not None and ann != al
    assert key("tenant", temperature=0, owner_id="mk_ann", tenant="acme") == key(
        "tenant", temperature=0, owner_id="mk_al", tenant="acme"
    )
    assert key("tenant", temperature=0, owner_id="mk_ann") != key(
        "tenant", temperature=0, owner_id="mk_al"
    )  # a key without a tenant is its own
    assert key("shared", temperature=0, owner_id="mk_ann") == key("shared", temperature=0)


async def test_repeated_prompt_is_served_from_cache_but_phi_never_is(config: Config) -> None:
    router = make_router(config)
    first = await router.complete(request("What is the capital of France?", temperature=0))
    again = await router.complete(request("what is the   capital of France?", temperature=0))
    assert again.record.cache_hit and again.text == first.text and again.generation is None
    phi = "Patient MRN 4829103 glucose 310 mg/dL: adjust insulin?"
    await router.complete(request(phi, use_case="healthcare", temperature=0))
    phi_again = await router.complete(request(phi, use_case="healthcare", temperature=0))
    await router.aclose()
    assert not phi_again.record.cache_hit


async def test_phi_request_is_never_served_by_cloud_even_when_mec_is_down(config: Config) -> None:
    router = make_router(config)
    for ep in config.endpoints:
        if ep.tier is ComputeTier.MEC:
            emulated(router, ep.id).set_fault(down=True)
    done = await router.complete(
        request(
            "Patient MRN 4829103, blood pressure 150/95: explain the risk.", use_case="healthcare"
        )
    )
    await router.aclose()
    assert done.record.actual_tier == ComputeTier.DEVICE.value
    assert done.record.privacy_level == "regulated"


class _Crashing:
    """An agent whose method `crashing` raises; everything else is the wrapped agent's."""

    def __init__(self, inner: object, crashing: str) -> None:
        self._inner, self._crashing = inner, crashing

    def __getattr__(self, name: str) -> Any:
        if name == self._crashing:
            return self._boom
        return getattr(self._inner, name)

    @staticmethod
    def _boom(*args: object, **kwargs: object) -> None:
        raise RuntimeError("agent crashed")


async def test_failing_agents_degrade_without_failing_the_request(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    router = make_router(config)
    # Wrapped rather than patched: the compiled build (`make fast`) makes RouterAgent a native
    # class, whose instances take no new attributes.
    monkeypatch.setattr(router, "context_agent", _Crashing(router.context_agent, "analyze_request"))
    monkeypatch.setattr(
        router, "router_agent", _Crashing(router.router_agent, "make_routing_decision")
    )
    done = await router.complete(request())
    await router.aclose()
    assert done.record.success
    assert done.decision.policy == "static"
    assert done.record.actual_tier == ComputeTier.DEVICE.value


async def test_bad_input_raises_one_clear_error(config: Config) -> None:
    router = make_router(config)
    with pytest.raises(InvalidRequestError) as info:
        await router.complete(request(device={"battery_pct": 140}))
    assert info.value.field == "device_info.battery_pct"
    with pytest.raises(InvalidRequestError) as info:
        await router.complete({"content": "x", "cost_budget": -1})
    assert info.value.field == "cost_budget"
    await router.aclose()


async def test_no_request_is_lost_when_a_tier_dies_mid_run(config: Config) -> None:
    store = MemoryStore()
    router = make_router(config, store)
    prompts = [
        request(f"Compare route options {i} step by step for the convoy.", use_case="automotive")
        for i in range(60)
    ]

    async def send(i: int, req: dict[str, Any]) -> bool:
        await asyncio.sleep(i * 0.005)
        if i == 30:
            for ep in config.endpoints:
                if ep.tier is ComputeTier.MEC:
                    emulated(router, ep.id).set_fault(down=True)
        done = await router.complete(InferenceRequest.model_validate(req))
        return done.record.success

    results = await asyncio.gather(*(send(i, r) for i, r in enumerate(prompts)))
    await router.aclose()
    assert all(results)
    assert await store.count_decisions() == 60


async def test_probe_marks_a_dead_endpoint_unhealthy(config: Config) -> None:
    router = make_router(config)
    emulated(router, "cloud-nova-pro").set_fault(down=True)
    health = await router.probe(timeout_s=1.0)
    await router.aclose()
    assert health["cloud-nova-pro"] is False
    assert health["cloud-nova-micro"] is True
    assert not router.resource_agent.estimate("cloud-nova-pro").healthy


async def test_top_p_reaches_the_endpoint_and_parts_the_cache_key() -> None:
    from echo_backend import Echo

    config = load_config()
    echoes = {ep.id: Echo() for ep in config.endpoints}
    router = Router(config, backends=dict(echoes), store=MemoryStore())
    ask = {
        "content": "Name three moons.",
        "messages": [{"role": "user", "content": "Name three moons."}],
    }
    await router.complete({**ask, "top_p": 0.25})
    await router.aclose()
    [sent] = [r for e in echoes.values() for r in e.seen]
    assert sent.top_p == 0.25
    seeded = InferenceRequest.model_validate({**ask, "seed": 7})
    keys = {
        request_cache_key(seeded.model_copy(update={"top_p": p}), "shared")
        for p in (None, 0.2, 0.9)
    }
    assert len(keys) == 3  # under a seed, another top_p is another answer
