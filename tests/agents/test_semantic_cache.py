"""SemanticCache: nearest answers per tenant and privacy partition; TTL, LRU and guards."""

from __future__ import annotations

import math

import numpy as np
import pytest

from mecrouter.agents.cache import CacheAgent
from mecrouter.agents.response_cache import CachedResponse
from mecrouter.agents.semantic_cache import SemanticCache, answer_guard
from mecrouter.config import load_config
from mecrouter.errors import ConfigError, InvalidRequestError
from mecrouter.types import ComputeTier, PrivacyLevel

PUBLIC = PrivacyLevel.PUBLIC
INTERNAL = PrivacyLevel.INTERNAL
SENSITIVE = PrivacyLevel.SENSITIVE
REGULATED = PrivacyLevel.REGULATED

X = [1.0, 0.0, 0.0, 0.0]
Y = [0.0, 1.0, 0.0, 0.0]


def answer(text: str) -> CachedResponse:
    return CachedResponse(text, "m", ComputeTier.CLOUD, "ep", 10, 5, 0.0)


def near(cosine: float) -> list[float]:
    """A unit vector whose cosine with X is ``cosine``."""
    return [cosine, math.sqrt(1.0 - cosine * cosine), 0.0, 0.0]


def make(**kwargs: object) -> SemanticCache:
    defaults: dict[str, object] = {"threshold": 0.9, "ttl_s": 100.0, "max_entries": 10}
    defaults.update(kwargs)
    return SemanticCache(**defaults)  # type: ignore[arg-type]


def add(
    cache: SemanticCache,
    vector: list[float],
    key: str,
    *,
    ns: str = "",
    privacy: PrivacyLevel = PUBLIC,
    device: str = "",
    now: float = 0.0,
    text: str | None = None,
) -> bool:
    return cache.add(
        vector,
        key,
        answer(key),
        namespace=ns,
        privacy=privacy,
        device_id=device,
        now=now,
        text=text,
    )


def find(
    cache: SemanticCache,
    vector: list[float],
    *,
    ns: str = "",
    privacy: PrivacyLevel = PUBLIC,
    device: str = "",
    now: float = 1.0,
    text: str | None = None,
) -> str | None:
    hit = cache.lookup(vector, namespace=ns, privacy=privacy, device_id=device, now=now, text=text)
    return None if hit is None else hit.key


def test_similar_vector_is_served_with_its_similarity() -> None:
    cache = make()
    add(cache, X, "q1")
    hit = cache.lookup(near(0.95), namespace="", privacy=PUBLIC, device_id="", now=1.0)
    assert hit is not None and hit.key == "q1" and hit.response.text == "q1"
    assert hit.similarity == pytest.approx(0.95, abs=1e-6)
    assert find(cache, Y) is None
    assert (cache.stats.hits, cache.stats.misses) == (1, 1)


def test_threshold_edge_similarity_equal_to_threshold_is_a_hit() -> None:
    vector = [3.0, 4.0, 0.0, 0.0]  # cosine with X: float32(0.6) >= 0.6
    assert find_with_threshold(vector, 0.6) == "q1"
    assert find_with_threshold(vector, 0.6000001) is None


def find_with_threshold(vector: list[float], threshold: float) -> str | None:
    cache = make(threshold=threshold)
    add(cache, X, "q1")
    return find(cache, vector)


def test_vectors_are_normalised_so_scale_does_not_matter() -> None:
    cache = make()
    add(cache, [5.0, 0.0, 0.0, 0.0], "q1")
    assert find(cache, [0.0001, 0.0, 0.0, 0.0]) == "q1"


def test_lookup_only_sees_its_own_namespace() -> None:
    cache = make()
    add(cache, X, "a-answer", ns="tenant-a")
    assert find(cache, X, ns="tenant-b") is None
    assert find(cache, X, ns="") is None
    assert find(cache, X, ns="tenant-a") == "a-answer"


def test_invalidate_forgets_the_key_only_in_that_namespace() -> None:
    cache = make()
    add(cache, X, "k", ns="a")
    add(cache, X, "k", ns="b")
    cache.invalidate("k", namespace="a")
    assert find(cache, X, ns="a") is None
    assert find(cache, X, ns="b") == "k"
    assert len(cache) == 1


def test_entries_are_only_visible_at_the_same_privacy_level() -> None:
    cache = make()
    add(cache, X, "public", privacy=PUBLIC)
    assert find(cache, X, privacy=INTERNAL) is None
    add(cache, Y, "internal", privacy=INTERNAL)
    assert find(cache, Y, privacy=PUBLIC) is None
    assert find(cache, Y, privacy=INTERNAL) == "internal"
    assert find(cache, X, privacy=PUBLIC) == "public"


def test_shared_cache_refuses_private_entries_and_lookups() -> None:
    cache = make()
    for level in (SENSITIVE, REGULATED):
        assert not add(cache, X, "secret", privacy=level, device="d1")
        assert find(cache, X, privacy=level, device="d1") is None
    assert len(cache) == 0
    assert cache.stats.refused_private == 4


def test_device_cache_serves_private_entry_only_to_the_same_device() -> None:
    cache = make(location="device")
    assert add(cache, X, "phi", privacy=REGULATED, device="d1")
    assert find(cache, X, privacy=REGULATED, device="d1") == "phi"
    assert find(cache, X, privacy=REGULATED, device="d2") is None
    assert find(cache, X, privacy=SENSITIVE, device="d1") is None
    assert find(cache, X, privacy=PUBLIC, device="d1") is None


def test_entry_expires_after_ttl_and_is_reclaimed() -> None:
    cache = make(ttl_s=10.0)
    add(cache, X, "q1", now=0.0)
    assert find(cache, X, now=9.999) == "q1"
    assert find(cache, X, now=10.0) is None
    assert cache.stats.expired == 1
    assert len(cache) == 0


def test_expired_entry_never_wins_over_a_live_one() -> None:
    cache = make(ttl_s=10.0)
    add(cache, X, "old", now=0.0)
    add(cache, near(0.95), "fresh", now=5.0)
    assert find(cache, X, now=12.0) == "fresh"


def test_lru_evicts_the_least_recently_used_entry() -> None:
    cache = make(max_entries=2)
    add(cache, X, "a")
    add(cache, Y, "b")
    assert find(cache, X) == "a"  # a is now the most recently used
    add(cache, [0.0, 0.0, 1.0, 0.0], "c")
    assert find(cache, Y) is None
    assert find(cache, X) == "a"
    assert cache.stats.evictions == 1
    assert len(cache) == 2


def test_lru_bound_counts_entries_across_namespaces() -> None:
    cache = make(max_entries=2)
    add(cache, X, "a", ns="t1")
    add(cache, X, "b", ns="t2")
    add(cache, X, "c", ns="t3")
    assert find(cache, X, ns="t1") is None
    assert find(cache, X, ns="t3") == "c"
    assert len(cache) == 2


def test_storing_an_existing_key_replaces_it_without_eviction() -> None:
    cache = make(max_entries=1)
    add(cache, X, "k")
    cache.add(Y, "k", answer("new"), namespace="", privacy=PUBLIC, device_id="", now=0.0)
    hit = cache.lookup(Y, namespace="", privacy=PUBLIC, device_id="", now=1.0)
    assert hit is not None and hit.response.text == "new"
    assert find(cache, X) is None
    assert cache.stats.evictions == 0


def test_equal_similarities_are_broken_by_the_smallest_key() -> None:
    for order in (["k2", "k1", "k3"], ["k3", "k1", "k2"], ["k1", "k3", "k2"]):
        cache = make()
        for key in order:
            add(cache, X, key)
        assert find(cache, X) == "k1"


def test_zero_max_entries_disables_the_layer() -> None:
    cache = make(max_entries=0)
    assert not add(cache, X, "k")
    assert find(cache, X) is None


def test_zero_vector_is_never_stored_or_served() -> None:
    cache = make()
    assert not add(cache, [0.0, 0.0, 0.0, 0.0], "k")
    add(cache, X, "x")
    assert find(cache, [0.0, 0.0, 0.0, 0.0]) is None


def test_wrong_dimension_is_an_invalid_request() -> None:
    cache = make()
    add(cache, X, "x")
    with pytest.raises(InvalidRequestError, match="dimensions"):
        add(cache, [1.0, 0.0], "y")


def test_bad_settings_are_rejected() -> None:
    with pytest.raises(InvalidRequestError):
        make(threshold=1.5)
    with pytest.raises(InvalidRequestError):
        make(ttl_s=-1.0)


def test_many_entries_grow_then_compact_and_stay_exact() -> None:
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((300, 16)).astype(np.float32)
    cache = SemanticCache(threshold=0.99, ttl_s=100.0, max_entries=1000)
    for i, vector in enumerate(vectors):
        key = f"k{i:03d}"
        cache.add(vector, key, answer(key), namespace="", privacy=PUBLIC, device_id="", now=0.0)
    for i in range(0, 290):
        cache.invalidate(f"k{i:03d}", namespace="")
    for i in range(290, 300):
        hit = cache.lookup(vectors[i], namespace="", privacy=PUBLIC, device_id="", now=1.0)
        assert hit is not None and hit.key == f"k{i:03d}"
    assert len(cache) == 10


# --------------------------------------------------------------------------- guards

QUESTION = "Which gas do plants absorb?\nA) oxygen\nB) carbon dioxide\nC) helium\nAnswer:"
SHUFFLED = "Which gas do plants absorb?\nA) carbon dioxide\nB) oxygen\nC) helium\nAnswer:"
RESTYLED = "Which gas do plants absorb?\n(A) Oxygen\n(B) carbon  dioxide\n(C) helium\nAnswer:"


def test_answer_guard_sees_shuffled_options_and_changed_numbers_but_not_label_style() -> None:
    assert answer_guard(QUESTION) != answer_guard(SHUFFLED)
    assert answer_guard(QUESTION) == answer_guard(RESTYLED)
    assert answer_guard("Add 3 and 4.") != answer_guard("Add 3 and 5.")
    assert answer_guard("Add 3 and 4.") == answer_guard("Please add 3 and 4!")
    assert answer_guard("Write a haiku about rain.") == ""


def test_shuffled_options_are_not_served_even_at_cosine_one() -> None:
    cache = make(threshold=0.5)
    add(cache, X, "q", text=QUESTION)
    assert find(cache, X, text=SHUFFLED) is None
    assert find(cache, X, text=RESTYLED) == "q"


def test_small_edit_is_refused_but_a_rewording_is_served() -> None:
    cache = make(threshold=0.5, max_edit_words=3)
    add(cache, X, "max", text="Write a function to find the maximum of a list.")
    assert find(cache, X, text="Write a function to find the minimum of a list.") is None
    assert cache.stats.refused_edit == 1
    reworded = "I need some Python code that can find the maximum of a list, please."
    assert find(cache, X, text=reworded) == "max"
    assert find(cache, X, text="write a function to find the MAXIMUM of a list") == "max"


def test_small_edit_guard_off_serves_the_edit() -> None:
    cache = make(threshold=0.5, max_edit_words=0)
    add(cache, X, "max", text="Write a function to find the maximum of a list.")
    assert find(cache, X, text="Write a function to find the minimum of a list.") == "max"


def test_entry_stored_with_options_is_not_served_to_a_lookup_without_text() -> None:
    cache = make(threshold=0.5)
    add(cache, X, "q", text=QUESTION)
    assert find(cache, X) is None


# --------------------------------------------------------------------------- CacheAgent


def _agent(semantic: SemanticCache | None, location: str = "shared") -> CacheAgent:
    return CacheAgent(load_config(None), semantic=semantic, location=location)  # type: ignore[arg-type]


def test_agent_delegates_and_counts_semantic_hits_and_misses() -> None:
    agent = _agent(make())
    assert agent.semantic is not None
    kw = {"namespace": "t", "privacy": PUBLIC, "device_id": "", "now": 0.0}
    assert agent.store_similar(X, "key1", answer("cached"), **kw)  # type: ignore[arg-type]
    hit = agent.lookup_similar(near(0.95), **kw)  # type: ignore[arg-type]
    assert hit is not None and hit.response.text == "cached"
    assert agent.lookup_similar(Y, **kw) is None  # type: ignore[arg-type]
    assert (agent.stats.semantic_hits, agent.stats.semantic_misses) == (1, 1)
    assert (agent.stats.hits, agent.stats.misses) == (0, 0)
    agent.invalidate_similar("key1", namespace="t")
    assert agent.lookup_similar(X, **kw) is None  # type: ignore[arg-type]


def test_agent_without_semantic_layer_neither_stores_nor_serves() -> None:
    agent = _agent(None)
    kw = {"namespace": "", "privacy": PUBLIC, "device_id": "", "now": 0.0}
    assert not agent.store_similar(X, "k", answer("a"), **kw)  # type: ignore[arg-type]
    assert agent.lookup_similar(X, **kw) is None  # type: ignore[arg-type]
    assert agent.semantic is None
    assert agent.stats.semantic_misses == 0


def test_agent_refuses_a_semantic_layer_in_another_location() -> None:
    with pytest.raises(ConfigError, match="location"):
        _agent(make(location="device"), location="shared")
