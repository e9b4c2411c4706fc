"""CacheAgent: response-cache keys, TTL, LRU and privacy; the MEC model placement book."""

from __future__ import annotations

from typing import Any

import pytest

from mecrouter.agents.cache import CacheAgent
from mecrouter.agents.placement import ModelState
from mecrouter.agents.response_cache import (
    CachedResponse,
    MemoryCacheStorage,
    cache_key,
    normalise_prompt,
)
from mecrouter.config import Config, load_config
from mecrouter.types import ComputeTier, Message, PrivacyLevel

PUBLIC = PrivacyLevel.PUBLIC
REGULATED = PrivacyLevel.REGULATED


def _endpoint(ep_id: str, model: str, memory_gb: float, load_time_s: float) -> dict[str, Any]:
    return {
        "id": ep_id,
        "tier": "mec",
        "node": "n1",
        "model": model,
        "model_size": "small",
        "capability": 0.5,
        "ttft_ms": 100,
        "decode_tokens_per_s": 50,
        "memory_gb": memory_gb,
        "load_time_s": load_time_s,
    }


def make_config(*, ttl_s: float = 300.0, max_entries: int = 100) -> Config:
    """One 40 GB node: a (15 GB) and b (20 GB) hot, c (20 GB) warm, huge (80 GB) cold."""
    net = {"mec_rtt_ms": 10, "cloud_rtt_ms": 50, "bandwidth_mbps": 100}
    return load_config(
        {
            "cache_ttl_s": ttl_s,
            "cache_max_entries": max_entries,
            "mec_nodes": [{"id": "n1", "region": "r", "memory_gb": 40, "hot_models": ["a", "b"]}],
            "endpoints": [
                _endpoint("n1-a", "a", 15, 10),
                _endpoint("n1-b", "b", 20, 20),
                _endpoint("n1-c", "c", 20, 30),
                _endpoint("n1-huge", "huge", 80, 90),
                {
                    "id": "cloud-x",
                    "tier": "cloud",
                    "model": "x",
                    "model_size": "large",
                    "capability": 0.8,
                    "ttft_ms": 300,
                    "decode_tokens_per_s": 30,
                },
            ],
            "network_profiles": {k: net for k in ("5g", "lte", "wifi", "offline")},
            "use_cases": {
                "default": {
                    "latency_slo_ms": 3000,
                    "weights": {"latency": 1, "quality": 1, "cost": 1},
                }
            },
        }
    )


def response(text: str = "hello", now: float = 0.0) -> CachedResponse:
    return CachedResponse(text, "a", ComputeTier.MEC, "n1-a", 5, 7, now)


# --------------------------------------------------------------------------- keys


def test_key_ignores_case_and_whitespace_differences() -> None:
    assert normalise_prompt("  Hello\n\tWORLD  ") == "hello world"
    assert cache_key("What is  5G?") == cache_key("  what is 5g?\n")


def test_key_changes_with_model_temperature_max_tokens_and_text() -> None:
    base = cache_key("hi", "auto", 0.0, 100)
    assert cache_key("hi", "mistral-7b-instruct", 0.0, 100) != base
    assert cache_key("hi", "auto", 0.7, 100) != base
    assert cache_key("hi", "auto", 0.0, 101) != base
    assert cache_key("bye", "auto", 0.0, 100) != base
    assert cache_key("hi", "auto", 0.0, 100) == base
    assert len(base) == 64


def test_key_changes_with_answer_options_and_partition() -> None:
    base = cache_key("hi", "auto", 0.0, 100)
    tools = [{"type": "function", "function": {"name": "lookup"}}]
    assert cache_key("hi", "auto", 0.0, 100, options={"seed": None, "stop": None}) == base
    keyed = {
        cache_key("hi", "auto", 0.0, 100, options=options)
        for options in (
            {"seed": 7},
            {"seed": 8},
            {"stop": ["\n"]},
            {"tools": tools},
            {"tools": tools, "tool_choice": "required"},
            {"response_format": {"type": "json_object"}},
        )
    }
    assert len(keyed) == 6 and base not in keyed
    assert cache_key("hi", "auto", 0.0, 100, partition="key:mk_1") != base
    assert cache_key("hi", "auto", 0.0, 100, partition="key:mk_1") != cache_key(
        "hi", "auto", 0.0, 100, partition="key:mk_2"
    )


def test_key_for_messages_keeps_roles_and_normalises_content() -> None:
    as_models = [Message(role="user", content="Hi  THERE")]
    as_dicts = [{"role": "user", "content": "hi there"}]
    assert cache_key(as_models) == cache_key(as_dicts)
    assert cache_key([{"role": "system", "content": "hi there"}]) != cache_key(as_dicts)
    assert cache_key(as_dicts) != cache_key("hi there")


# --------------------------------------------------------------------------- response cache


def test_stored_response_is_served_until_ttl_then_expires() -> None:
    agent = CacheAgent(make_config(ttl_s=10))
    key = cache_key("q")
    assert agent.store(key, response(), privacy=PUBLIC, device_id="d1", now=100.0)
    hit = agent.lookup(key, privacy=PUBLIC, device_id="d2", now=109.9)
    assert hit is not None and hit.text == "hello"
    assert agent.lookup(key, privacy=PUBLIC, device_id="d2", now=110.0) is None
    assert (agent.stats.hits, agent.stats.misses, agent.stats.expired) == (1, 1, 1)


def test_lru_bound_evicts_least_recently_used() -> None:
    agent = CacheAgent(make_config(max_entries=2))
    for name in ("k1", "k2"):
        agent.store(name, response(name), privacy=PUBLIC, device_id="d", now=0.0)
    assert agent.lookup("k1", privacy=PUBLIC, device_id="d", now=1.0) is not None  # k1 now fresh
    agent.store("k3", response("k3"), privacy=PUBLIC, device_id="d", now=2.0)
    assert agent.stats.evictions == 1
    assert agent.lookup("k2", privacy=PUBLIC, device_id="d", now=3.0) is None
    assert agent.lookup("k1", privacy=PUBLIC, device_id="d", now=3.0) is not None
    assert agent.lookup("k3", privacy=PUBLIC, device_id="d", now=3.0) is not None


def test_memory_storage_never_exceeds_its_bound() -> None:
    storage = MemoryCacheStorage(3)
    agent = CacheAgent(make_config(max_entries=3), storage=storage)
    for i in range(10):
        agent.store(f"k{i}", response(), privacy=PUBLIC, device_id="d", now=float(i))
    assert len(storage) == 3
    assert agent.stats.evictions == 7


def test_zero_max_entries_disables_caching() -> None:
    agent = CacheAgent(make_config(max_entries=0))
    assert not agent.store("k", response(), privacy=PUBLIC, device_id="d", now=0.0)
    assert agent.lookup("k", privacy=PUBLIC, device_id="d", now=0.0) is None


def test_shared_cache_refuses_regulated_entries_and_lookups() -> None:
    agent = CacheAgent(make_config())
    key = cache_key("my diagnosis is ...")
    assert not agent.store(key, response(), privacy=REGULATED, device_id="d1", now=0.0)
    assert agent.lookup(key, privacy=REGULATED, device_id="d1", now=1.0) is None
    assert agent.lookup(key, privacy=PUBLIC, device_id="d1", now=1.0) is None
    assert agent.stats.refused_private == 2


def test_sensitive_request_is_not_served_a_shared_public_entry() -> None:
    agent = CacheAgent(make_config())
    agent.store("k", response(), privacy=PUBLIC, device_id="d1", now=0.0)
    assert agent.lookup("k", privacy=PrivacyLevel.SENSITIVE, device_id="d1", now=1.0) is None


def test_device_cache_serves_regulated_entry_only_to_the_same_device() -> None:
    agent = CacheAgent(make_config(), location="device")
    key = cache_key("my diagnosis is ...")
    assert agent.store(key, response("private"), privacy=REGULATED, device_id="d1", now=0.0)
    hit = agent.lookup(key, privacy=REGULATED, device_id="d1", now=1.0)
    assert hit is not None and hit.text == "private"
    assert agent.lookup(key, privacy=REGULATED, device_id="d2", now=1.0) is None
    assert agent.lookup(key, privacy=PUBLIC, device_id="d1", now=1.0) is None
    assert agent.stats.refused_private == 0


def test_invalidate_removes_the_entry() -> None:
    agent = CacheAgent(make_config())
    agent.store("k", response(), privacy=PUBLIC, device_id="d", now=0.0)
    agent.invalidate("k", privacy=PUBLIC, device_id="d")
    assert agent.lookup("k", privacy=PUBLIC, device_id="d", now=1.0) is None


# --------------------------------------------------------------------------- placement book


def test_initial_states_follow_config() -> None:
    agent = CacheAgent(make_config())
    assert agent.placement.hot_models("n1") == ("a", "b")
    assert agent.placement.is_hot("n1", "a") and not agent.placement.is_hot("n1", "c")
    assert agent.placement.load_time_s("n1", "a") == 0.0
    assert agent.placement.load_time_s("n1", "c") == 30.0
    assert agent.placement.load_time_s("n1", "huge") is None
    assert agent.placement.load_time_s("n1", "x") is None  # a cloud model
    assert agent.placement.model_state("n1", "huge") is ModelState.COLD
    assert agent.placement.memory_used_gb("n1") == 35.0


def test_default_config_models_are_hot_where_listed_and_warm_elsewhere_on_their_node() -> None:
    config = load_config()
    agent = CacheAgent(config)
    mec = [ep for ep in config.endpoints if ep.tier is ComputeTier.MEC]
    hot_models = {node.id: node.hot_models for node in config.mec_nodes}
    hot = [ep for ep in mec if ep.model in hot_models[ep.node]]
    warm = [ep for ep in mec if ep not in hot]
    assert hot and warm  # the default config has both kinds
    for ep in hot:
        assert agent.placement.model_state(ep.node, ep.model) is ModelState.HOT
        assert agent.placement.load_time_s(ep.node, ep.model) == 0.0  # serves at once
    for ep in warm:
        assert agent.placement.model_state(ep.node, ep.model) is ModelState.WARM
        assert agent.placement.load_time_s(ep.node, ep.model) == ep.load_time_s > 0.0


def test_deploy_that_does_not_fit_evicts_the_least_used_model() -> None:
    agent = CacheAgent(make_config())
    for t in range(5):
        agent.placement.record_use("n1", "a", float(t))
    agent.placement.record_use("n1", "b", 1.0)
    status = agent.deploy_model("c", "n1", now=10.0)
    assert status.deployed and status.state is ModelState.HOT
    assert status.evicted == ("b",)
    assert status.load_time_s == 30.0 and status.ready_at == 40.0
    assert set(agent.placement.hot_models("n1")) == {"a", "c"}
    assert agent.placement.memory_used_gb("n1") == 35.0


def test_deploy_already_hot_model_costs_nothing() -> None:
    agent = CacheAgent(make_config())
    status = agent.deploy_model("a", "n1", now=5.0)
    assert status.deployed and status.load_time_s == 0.0 and status.evicted == ()


def test_cold_model_cannot_be_deployed() -> None:
    agent = CacheAgent(make_config())
    status = agent.deploy_model("huge", "n1", now=0.0)
    assert not status.deployed and status.state is ModelState.COLD
    assert agent.placement.hot_models("n1") == ("a", "b")
    assert not agent.deploy_model("a", "no-such-node", now=0.0).deployed


def test_pinned_models_are_never_evicted() -> None:
    agent = CacheAgent(make_config())
    agent.placement.pin("n1", "a")
    agent.placement.pin("n1", "b")
    status = agent.deploy_model("c", "n1", now=1.0)
    assert not status.deployed and status.state is ModelState.WARM
    assert agent.placement.hot_models("n1") == ("a", "b")


def test_cleanup_evicts_idle_models_only() -> None:
    agent = CacheAgent(make_config(), now=0.0)
    agent.placement.record_use("n1", "a", 90.0)
    evicted = agent.cleanup_unused_models("n1", now=100.0, idle_s=60.0)
    assert evicted == [("n1", "b")]
    assert agent.placement.hot_models("n1") == ("a",)
    assert agent.cleanup_unused_models(None, now=200.0, idle_s=60.0) == [("n1", "a")]


def test_preload_follows_predictions_by_demand() -> None:
    agent = CacheAgent(make_config())
    agent.placement.record_use("n1", "a", 1.0)  # b is the least used hot model
    statuses = agent.preload_models(
        [("n1", "a", 5.0), ("n1", "c", 50.0), ("n1", "huge", 100.0), ("n1", "b", 0.0)], now=2.0
    )
    by_model = {s.model: s for s in statuses}
    assert by_model["c"].deployed and by_model["c"].evicted == ("b",)
    assert not by_model["huge"].deployed
    assert by_model["a"].deployed and by_model["a"].load_time_s == 0.0
    assert not by_model["b"].deployed
    assert set(agent.placement.hot_models("n1")) == {"a", "c"}


def test_preload_never_evicts_a_more_demanded_prediction() -> None:
    agent = CacheAgent(make_config())
    statuses = agent.preload_models([("n1", "b", 90.0), ("n1", "a", 80.0), ("n1", "c", 10.0)])
    assert [s.deployed for s in statuses] == [True, True, False]
    assert set(agent.placement.hot_models("n1")) == {"a", "b"}


def test_manage_cache_strategy_picks_the_most_used_models_that_fit() -> None:
    agent = CacheAgent(make_config())
    strategy = agent.manage_cache_strategy({("n1", "c"): 40, ("n1", "a"): 30, ("n1", "b"): 2})
    assert strategy.hot["n1"] == ("c", "a")
    assert strategy.to_load == (("n1", "c"),)
    assert strategy.to_evict == (("n1", "b"),)
    assert agent.placement.hot_models("n1") == ("a", "b")  # a plan, not an action


def test_misses_are_counted_per_node_and_model() -> None:
    agent = CacheAgent(make_config())
    agent.placement.record_miss("n1", "c")
    agent.placement.record_miss("n1", "c")
    assert agent.placement.miss_counts() == {("n1", "c"): 2}


@pytest.mark.parametrize("location", ["shared", "device"])
def test_location_is_reported(location: str) -> None:
    agent = CacheAgent(make_config(), location="device" if location == "device" else "shared")
    assert agent.location == location
