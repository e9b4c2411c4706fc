"""RouterAgent: hard constraints first, then the use-case utility; reasons and fallbacks."""

from __future__ import annotations

import math
from collections.abc import Sequence

import pytest

from mecrouter.agents.policies import violates_privacy
from mecrouter.agents.resource import ResourceAgent
from mecrouter.agents.router import POLICIES, RouterAgent
from mecrouter.config import Config, load_config
from mecrouter.errors import ConfigError, NoRouteError
from mecrouter.prediction import capability_fit, required_capability
from mecrouter.types import (
    CircuitState,
    ComputeTier,
    ContextAnalysis,
    DeviceInfo,
    InferenceRequest,
    ModelSize,
    NetworkMetrics,
    NetworkType,
    PrivacyLevel,
    ResourceState,
)

PHONE = DeviceInfo(
    device_id="phone", memory_mb=8192, battery_pct=80, local_models=("llama-3.2-1b-instruct",)
)


def ctx(**kw: object) -> ContextAnalysis:
    base: dict[str, object] = {
        "complexity_score": 0.1,
        "estimated_tokens": 40,
        "required_model_size": ModelSize.TINY,
        "latency_requirement": 3000,
        "privacy_level": PrivacyLevel.PUBLIC,
        "geographic_region": "eu-west-2",
        "estimated_output_tokens": 40,
        "use_case": "default",
    }
    base.update(kw)
    return ContextAnalysis(**base)  # type: ignore[arg-type]


def net(
    mec_rtt_ms: float = 27.7, cloud_rtt_ms: float = 53.5, connected: bool = True
) -> NetworkMetrics:
    return NetworkMetrics(NetworkType.FIVE_G, connected, mec_rtt_ms, cloud_rtt_ms, 200.0)


def state(
    config: Config,
    device: DeviceInfo = PHONE,
    network: NetworkMetrics | None = None,
    circuits: dict[str, CircuitState] | None = None,
) -> ResourceState:
    circuits = circuits or {}
    agent = ResourceAgent(config, circuit_state=lambda ep: circuits.get(ep, CircuitState.CLOSED))
    return agent.snapshot(device, network or net(), 0.0)


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


def test_phi_is_never_routed_to_cloud_even_when_cloud_is_best(config: Config) -> None:
    router = RouterAgent(config)
    hard = ctx(complexity_score=0.95, privacy_level=PrivacyLevel.REGULATED, use_case="healthcare")
    d = router.make_routing_decision(hard, state(config))
    assert d.selected_tier is not ComputeTier.CLOUD
    assert ComputeTier.CLOUD not in d.fallback_options
    assert "cloud (privacy regulated not allowed)" in d.reasoning
    # The same request without PHI does go to the cloud: the constraint is what decided.
    d_public = router.make_routing_decision(
        ctx(complexity_score=0.95, use_case="healthcare"), state(config)
    )
    assert d_public.selected_tier is ComputeTier.CLOUD


def test_regulated_data_stays_in_region(config: Config) -> None:
    router = RouterAgent(config)
    c = ctx(privacy_level=PrivacyLevel.REGULATED, geographic_region="us-west-2")
    d = router.make_routing_decision(c, state(config))
    assert d.selected_tier is ComputeTier.DEVICE
    assert all(not ep.startswith("mec-") for ep in d.fallback_endpoints)


def test_30ms_slo_with_60ms_mec_rtt_goes_to_device(config: Config) -> None:
    router = RouterAgent(config)
    d = router.make_routing_decision(
        ctx(latency_requirement=30), state(config, network=net(mec_rtt_ms=60, cloud_rtt_ms=90))
    )
    assert d.selected_tier is ComputeTier.DEVICE
    assert d.selected_endpoint == "device-llama-3.2-1b"


def test_open_circuit_is_skipped(config: Config) -> None:
    router = RouterAgent(config)
    c = ctx(complexity_score=0.6, use_case="healthcare")
    first = router.make_routing_decision(c, state(config))
    opened = state(config, circuits={first.selected_endpoint: CircuitState.OPEN})
    second = router.make_routing_decision(c, opened)
    assert second.selected_endpoint != first.selected_endpoint
    assert first.selected_endpoint not in second.fallback_endpoints


def test_offline_device_answers_alone(config: Config) -> None:
    router = RouterAgent(config)
    d = router.make_routing_decision(
        ctx(complexity_score=0.9), state(config, network=net(connected=False))
    )
    assert d.selected_tier is ComputeTier.DEVICE
    assert d.fallback_endpoints == []


def test_offline_without_local_model_has_no_route(config: Config) -> None:
    router = RouterAgent(config)
    bare = DeviceInfo(device_id="bare", local_models=())
    with pytest.raises(NoRouteError) as info:
        router.make_routing_decision(
            ctx(), state(config, device=bare, network=net(connected=False))
        )
    assert info.value.reasons["device-llama-3.2-1b"] == "model not on device"
    assert info.value.reasons["cloud-nova-pro"] == "offline"


def test_low_battery_and_small_memory_rule_out_the_device(config: Config) -> None:
    router = RouterAgent(config)
    tired = PHONE.model_copy(update={"battery_pct": 5.0})
    cands = {c.endpoint.id: c for c in router.evaluate(ctx(), state(config, device=tired))}
    assert cands["device-llama-3.2-1b"].blocked.startswith("battery 5%")
    small = PHONE.model_copy(update={"memory_mb": 1024})
    cands = {c.endpoint.id: c for c in router.evaluate(ctx(), state(config, device=small))}
    assert "needs 1500 MB" in cands["device-llama-3.2-1b"].blocked


def test_complex_request_goes_to_a_more_capable_model(config: Config) -> None:
    router = RouterAgent(config)
    easy = router.make_routing_decision(ctx(complexity_score=0.05), state(config))
    hard = router.make_routing_decision(ctx(complexity_score=0.95), state(config))
    cap = {ep.id: ep.capability for ep in config.endpoints}
    assert cap[hard.selected_endpoint] > cap[easy.selected_endpoint]
    needed = required_capability(0.95)
    assert capability_fit(0.83, needed) > capability_fit(0.4, needed)


def test_budget_is_a_hard_cap(config: Config) -> None:
    router = RouterAgent(config)
    req = InferenceRequest(content="x", cost_budget=0.0)
    d = router.make_routing_decision(ctx(complexity_score=0.95), state(config), request=req)
    assert d.estimated_cost == 0.0
    assert d.selected_tier is ComputeTier.DEVICE


def test_in_tier_load_balancing_prefers_the_less_loaded_node(config: Config) -> None:
    agent = ResourceAgent(config)
    for _ in range(20):
        agent.on_dispatch("mec-lon-mistral-7b")
    snap = agent.snapshot(PHONE, net(), 0.0)
    ranked = RouterAgent(config).optimize_load_balancing(ComputeTier.MEC, ctx(), snap)
    order = [ep for ep, _ in ranked]
    assert order.index("mec-man-mistral-7b") < order.index("mec-lon-mistral-7b")


def test_fallback_chain_leaves_the_failed_location_first(config: Config) -> None:
    router = RouterAgent(config)
    d = router.make_routing_decision(
        ctx(complexity_score=0.5, use_case="automotive"), state(config)
    )
    chosen_node = config.endpoint(d.selected_endpoint).node or d.selected_tier.value
    first_fallback = config.endpoint(d.fallback_endpoints[0])
    assert (first_fallback.node or first_fallback.tier.value) != chosen_node
    assert len(d.fallback_endpoints) <= config.resilience.max_fallbacks
    assert d.fallback_options  # tiers of the chain, in order


def test_handle_failover_excludes_the_failed_tier(config: Config) -> None:
    router = RouterAgent(config)
    d = router.handle_failover(ComputeTier.MEC, ctx(complexity_score=0.6), state(config))
    assert d.selected_tier is not ComputeTier.MEC
    assert not any(ep.startswith("mec-") for ep in d.fallback_endpoints)


def test_decision_carries_scores_reasoning_and_confidence(config: Config) -> None:
    d = RouterAgent(config).make_routing_decision(
        ctx(use_case="gaming", latency_requirement=50), state(config)
    )
    assert d.selected_endpoint in d.scores
    assert 0.0 < d.confidence_score < 1.0
    assert "SLO" in d.reasoning and d.selected_endpoint in d.reasoning
    as_json = d.to_dict()
    assert as_json["selected_tier"] == d.selected_tier.value
    assert set(as_json) >= {
        "selected_model",
        "fallback_options",
        "estimated_latency",
        "estimated_cost",
    }


def test_reasoning_is_formatted_once_from_the_deciding_numbers(config: Config) -> None:
    d = RouterAgent(config).make_routing_decision(
        ctx(use_case="gaming", latency_requirement=50), state(config)
    )
    first = d.reasoning
    best = d.selected_endpoint
    assert first.startswith(f"mecrouter: {d.selected_tier.value}/{d.selected_model} on {best}")
    runner_up = sorted(d.scores, key=d.scores.__getitem__, reverse=True)[1]
    assert f"beat {runner_up} ({d.scores[best]:.3f} vs {d.scores[runner_up]:.3f})" in first
    assert d.reasoning is first  # rendered once, then kept
    assert d.to_dict()["reasoning"] == first
    d.reasoning = "overridden by an operator"
    assert d.reasoning == "overridden by an operator"


def test_tier_scores_cover_every_tier(config: Config) -> None:
    scores = RouterAgent(config).calculate_tier_scores(ctx(), state(config))
    assert set(scores) == {"device", "mec", "cloud"}
    assert all(0.0 < v <= 1.0 for v in scores.values())


def test_baselines_ignore_privacy_but_not_physics(config: Config) -> None:
    phi = ctx(privacy_level=PrivacyLevel.REGULATED)
    cloud_only = RouterAgent(config, policy="cloud-only").make_routing_decision(phi, state(config))
    assert cloud_only.selected_tier is ComputeTier.CLOUD
    with pytest.raises(NoRouteError):
        RouterAgent(config, policy="mec-only").make_routing_decision(
            phi, state(config, network=net(connected=False))
        )


class _FakeWorld:
    """A world whose truth is given: each endpoint's (TTFT, total, quality factor)."""

    def __init__(self, truth: dict[str, tuple[float, float, float]]) -> None:
        self.truth = truth
        self.asked: list[list[str]] = []

    def true_latencies_ms(self, endpoint_ids: Sequence[str]) -> list[tuple[float, float, float]]:
        self.asked.append(list(endpoint_ids))
        return [self.truth.get(e, (5_000.0, 9_000.0, 1.0)) for e in endpoint_ids]


def test_every_registered_policy_routes_a_request_by_its_own_name(config: Config) -> None:
    assert {"mecrouter", "cloud-only", "mec-only", "round-robin", "oracle"} <= set(POLICIES)
    endpoints = {ep.id for ep in config.endpoints}
    for name in POLICIES:
        router = RouterAgent(config, policy=name, world=_FakeWorld({}), seed=1)
        d = router.make_routing_decision(ctx(complexity_score=0.5), state(config))
        assert router.policy.name == name
        assert d.selected_endpoint in endpoints and d.reasoning.startswith(f"{name}:")


def test_random_policy_is_deterministic_under_a_seed(config: Config) -> None:
    picks = []
    for _ in range(2):
        router = RouterAgent(config, policy="random", seed=7)
        picks.append(
            [
                router.make_routing_decision(ctx(), state(config)).selected_endpoint
                for _ in range(10)
            ]
        )
    assert picks[0] == picks[1]
    assert len(set(picks[0])) > 1


def test_unknown_policy_is_a_config_error_naming_the_known_ones(config: Config) -> None:
    with pytest.raises(ConfigError, match="unknown policy 'fastest'; known: mecrouter, "):
        RouterAgent(config, policy="fastest")


def test_the_oracle_without_a_world_is_refused_by_name(config: Config) -> None:
    with pytest.raises(ConfigError, match="policy 'oracle' needs the world's true latencies"):
        RouterAgent(config, policy="oracle")


def test_the_oracle_ranks_by_the_worlds_truth_not_the_prediction(config: Config) -> None:
    context = ctx(use_case="gaming", latency_requirement=50, complexity_score=0.4)
    predicted = RouterAgent(config).make_routing_decision(context, state(config))
    # The world says the predicted best would fail now, one other endpoint is instant, and the
    # rest are slow.
    cands = RouterAgent(config).evaluate(context, state(config))
    usable = [c.endpoint.id for c in cands if c.usable]
    other = next(e for e in usable if e != predicted.selected_endpoint)
    inf = float("inf")
    world = _FakeWorld({predicted.selected_endpoint: (inf, inf, 1.0), other: (1.0, 2.0, 1.0)})
    oracle = RouterAgent(config, policy="oracle", world=world)
    d = oracle.make_routing_decision(context, state(config))
    assert d.selected_endpoint == other
    assert predicted.selected_endpoint not in [d.selected_endpoint, *d.fallback_endpoints]
    assert d.predicted_latency_ms[other] == 2.0  # the true total, for attempt timeouts
    assert world.asked and predicted.selected_endpoint in world.asked[0]


def test_round_robin_starts_one_endpoint_further_each_request(config: Config) -> None:
    router = RouterAgent(config, policy="round-robin")
    firsts = [router.plan(ctx(), state(config))[0][0] for _ in range(6)]
    assert len(set(firsts)) >= 3 and firsts[0] != firsts[1]


def test_greedy_latency_takes_the_least_predicted_latency(config: Config) -> None:
    context = ctx(complexity_score=0.5)
    fastest = min(
        (c for c in RouterAgent(config, policy="random").evaluate(context, state(config))
         if not c.blocked),
        key=lambda c: c.latency_ms,
    )  # fmt: skip
    chain, _ = RouterAgent(config, policy="greedy-latency").plan(context, state(config))
    assert chain[0] == fastest.endpoint.id


def test_a_busy_device_is_predicted_slower_only_for_that_device(config: Config) -> None:
    agent = ResourceAgent(config)
    agent.on_dispatch("device-llama-3.2-1b", "phone")  # the phone is already generating
    busy = agent.snapshot(PHONE, net(), 0.0)
    other = agent.snapshot(PHONE.model_copy(update={"device_id": "tablet"}), net(), 0.0)
    router = RouterAgent(config)
    lat = {
        name: {c.endpoint.id: c.latency_ms for c in router.evaluate(ctx(), snap)}
        for name, snap in (("busy", busy), ("other", other))
    }
    assert lat["busy"]["device-llama-3.2-1b"] > 1.5 * lat["other"]["device-llama-3.2-1b"]
    agent.on_finish("device-llama-3.2-1b", "phone")
    idle = agent.snapshot(PHONE, net(), 0.0)
    assert idle.device_resources.endpoints[0].queue_wait_ms == 0.0


def test_mecrouter_ranks_by_utility(config: Config) -> None:
    context = ctx(use_case="gaming", latency_requirement=50, complexity_score=0.4)
    router = RouterAgent(config)
    uc = config.use_case("gaming")
    ordered = router.policy.order(context, router.evaluate(context, state(config)), uc, router._rng)
    assert len(ordered) >= 3  # the device, MEC and cloud options that may serve the request
    utilities = [c.utility for c in ordered]
    assert utilities == sorted(utilities, reverse=True) and utilities[0] > utilities[-1]


def test_a_late_option_never_beats_one_in_time_on_quality_alone() -> None:
    from mecrouter.utility import UtilityWeights, latency_score, utility

    # A 50 ms SLO is late after 1 s (20 SLOs): from there each e-fold costs 1 more than the tail.
    assert latency_score(1_000.0, 50.0) - latency_score(2_000.0, 50.0) == pytest.approx(
        1.1 * math.log(2.0)
    )
    # A 500 ms SLO is late after 5 SLOs (2.5 s), not 1 s.
    assert latency_score(2_500.0, 500.0) - latency_score(5_000.0, 500.0) == pytest.approx(
        1.1 * math.log(2.0), rel=1e-3
    )
    assert latency_score(50.0, 50.0) == pytest.approx(0.75)
    assert latency_score(240.0, 50.0) > latency_score(10_000.0, 50.0)  # apart far past the SLO
    assert latency_score(2_000.0, 50.0) < latency_score(1_500.0, 50.0) < 0.0
    w = UtilityWeights(0.6, 0.3, 0.1, cost_ref_usd=0.001)
    fast_small = utility(w, 240.0, 50.0, quality=0.6, cost_usd=0.0)
    slow_big = utility(w, 10_000.0, 50.0, quality=1.0, cost_usd=0.0)
    assert fast_small > slow_big


def test_plan_is_the_decisions_chain_without_the_record(config: Config) -> None:
    for policy in ("mecrouter", "random", "device-first"):
        a, b = (
            RouterAgent(config, policy=policy, seed=3),
            RouterAgent(config, policy=policy, seed=3),
        )
        for complexity in (0.1, 0.5, 0.9):
            context = ctx(use_case="gaming", latency_requirement=50, complexity_score=complexity)
            d = a.make_routing_decision(context, state(config))
            chain, predicted = b.plan(context, state(config))
            assert chain == [d.selected_endpoint, *d.fallback_endpoints]
            assert predicted == [d.predicted_latency_ms[e] for e in chain]


def test_reusing_analyses_memoises_priors_without_changing_them(config: Config) -> None:
    fresh, reusing = RouterAgent(config), RouterAgent(config, reuses_analyses=True)
    estimates = {
        "mistralai/mistral-7b-chat": 0.4,
        "mistralai/mixtral-8x7b-chat": 0.7,
        "gpt-4-1106-preview": 0.99,
    }
    shared = dict(estimates)
    contexts = [
        ctx(complexity_score=c, quality=q)
        for c in (0.1, 0.5, 0.9)
        for q in (None, shared, shared, dict(estimates, **{"gpt-4-1106-preview": 0.5}))
    ]
    predicted = 0
    for context in contexts * 2:  # the second pass hits the memo
        a = [(c.endpoint.id, c.quality) for c in fresh.evaluate(context, state(config))]
        b = [(c.endpoint.id, c.quality) for c in reusing.evaluate(context, state(config))]
        assert a == b
        priors = fresh.prior_quality(context)
        for endpoint_id, quality in a:
            if quality:  # evaluated (not ruled out before any prediction)
                assert quality == priors[endpoint_id]
                predicted += context.quality is not None
    assert predicted > 0
    assert 0 < len(reusing._prior_memo) <= 9  # one per (estimates object, complexity)


def test_tools_request_skips_endpoints_without_tool_support(config: Config) -> None:
    """Fast and simple: the device would answer, but it cannot call tools; the reason says so."""
    router = RouterAgent(config)
    c = ctx(latency_requirement=30)
    fast = state(config, network=net(mec_rtt_ms=60, cloud_rtt_ms=90))
    plain = InferenceRequest(content="weather?", device_info=PHONE)
    tools = plain.model_copy(update={"tools": ({"type": "function", "function": {"name": "f"}},)})
    assert router.make_routing_decision(c, fast, request=plain).selected_tier is ComputeTier.DEVICE
    d = router.make_routing_decision(c, fast, request=tools)
    supported = {ep.id for ep in config.endpoints if "tools" in ep.supports}
    assert {d.selected_endpoint, *d.fallback_endpoints} <= supported
    assert "does not support tools" in d.reasoning


def test_unknown_capability_is_a_config_error() -> None:
    raw = load_config().model_dump(mode="json")
    raw["endpoints"][0]["supports"] = ["tools", "telepathy"]
    with pytest.raises(ConfigError, match="telepathy"):
        load_config(raw)


def _redacting(config: Config) -> Config:
    privacy = config.privacy.model_copy(update={"redact_for_cloud": True})
    return config.model_copy(update={"privacy": privacy})


def test_sensitive_data_goes_to_the_cloud_only_redacted_and_only_when_configured(
    config: Config,
) -> None:
    cloud_only = InferenceRequest(content="x", allowed_tiers=frozenset({ComputeTier.CLOUD}))
    sensitive = ctx(complexity_score=0.95, privacy_level=PrivacyLevel.SENSITIVE)
    with pytest.raises(NoRouteError, match="privacy sensitive not allowed"):  # off by default
        RouterAgent(config).make_routing_decision(sensitive, state(config), request=cloud_only)
    router = RouterAgent(_redacting(config))
    d = router.make_routing_decision(sensitive, state(config), request=cloud_only)
    assert d.selected_tier is ComputeTier.CLOUD
    assert "sensitive data redacted for cloud" in d.reasoning
    public = router.make_routing_decision(ctx(), state(config), request=cloud_only)
    assert "redacted" not in public.reasoning


def test_regulated_data_never_reaches_the_cloud_even_with_redaction(config: Config) -> None:
    router = RouterAgent(_redacting(config))
    phi = ctx(complexity_score=0.95, privacy_level=PrivacyLevel.REGULATED, use_case="healthcare")
    d = router.make_routing_decision(phi, state(config))
    assert d.selected_tier is not ComputeTier.CLOUD and ComputeTier.CLOUD not in d.fallback_options
    cloud_only = InferenceRequest(content="x", allowed_tiers=frozenset({ComputeTier.CLOUD}))
    with pytest.raises(NoRouteError, match="privacy regulated not allowed"):
        router.make_routing_decision(phi, state(config), request=cloud_only)


def test_violates_privacy_excuses_only_a_redacted_sensitive_request(config: Config) -> None:
    cloud = next(ep for ep in config.endpoints if ep.tier is ComputeTier.CLOUD)
    region = config.default_region
    assert violates_privacy(cloud, PrivacyLevel.SENSITIVE, region)
    assert not violates_privacy(cloud, PrivacyLevel.SENSITIVE, region, redacted=True)
    assert violates_privacy(cloud, PrivacyLevel.REGULATED, region, redacted=True)
    assert _redacting(config).privacy.redacts(PrivacyLevel.SENSITIVE, cloud.privacy_ceiling)
    assert not config.privacy.redacts(PrivacyLevel.SENSITIVE, cloud.privacy_ceiling)
