"""CacheAgent: the response cache and the model placement book of the MEC nodes.

Two jobs that share one question, "what can be answered without new work?":

* The **response cache** (`mecrouter.agents.response_cache`) answers a repeated request without
  inference; private data is only ever kept by a device-local cache, in the requesting device's
  namespace.
* The **placement book** (`mecrouter.agents.placement`) tracks which model is hot, warm or cold
  on each MEC node, and decides loads and evictions from usage.

An optional semantic layer (`mecrouter.agents.semantic_cache.SemanticCache`) answers reworded
prompts: the caller tries `lookup` (exact) first, then `lookup_similar` with the prompt's
embedding; the agent only delegates and counts.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from mecrouter.agents.placement import PlacementBook
from mecrouter.agents.response_cache import (
    CachedResponse,
    CacheLocation,
    CacheStorage,
    ResponseCache,
    cache_key,
)
from mecrouter.agents.semantic_cache import SemanticCache, SemanticHit
from mecrouter.config import Config
from mecrouter.errors import ConfigError
from mecrouter.types import PrivacyLevel

if TYPE_CHECKING:
    import numpy.typing as npt

__all__ = ["CacheAgent"]


class CacheAgent:
    """Response cache plus model placement book for the MEC nodes of one config.

    ``location="device"`` makes a device-local cache, the only kind that may keep private
    answers. ``now`` is the time the initial hot set counts as loaded.

    The exact-cache and placement operations are the parts' own bound methods, not forwarding
    ones: the router asks `load_time_s` for every MEC candidate of every decision.
    """

    cache_key = staticmethod(cache_key)

    def __init__(
        self,
        config: Config,
        *,
        location: CacheLocation = "shared",
        storage: CacheStorage | None = None,
        now: float = 0.0,
        semantic: SemanticCache | None = None,
    ) -> None:
        if semantic is not None and semantic.location != location:
            raise ConfigError(
                "cache", f"semantic layer location {semantic.location!r} != cache's {location!r}"
            )
        self._semantic = semantic
        self.responses = responses = ResponseCache(
            ttl_s=config.cache_ttl_s,
            max_entries=config.cache_max_entries,
            location=location,
            storage=storage,
        )
        self.stats = responses.stats
        self.lookup = responses.lookup
        self.store = responses.store
        self.invalidate = responses.invalidate
        self.placement = book = PlacementBook(config, now)
        self.is_hot = book.is_hot
        self.hot_models = book.hot_models
        self.model_state = book.model_state
        self.load_time_s = book.load_time_s
        self.memory_used_gb = book.memory_used_gb
        self.miss_counts = book.miss_counts
        self.usage_counts = book.usage_counts
        self.record_use = book.record_use
        self.record_miss = book.record_miss
        self.pin = book.pin
        self.unpin = book.unpin
        self.deploy_model = book.deploy_model
        self.manage_cache_strategy = book.manage_cache_strategy
        self.preload_models = book.preload_models
        self.cleanup_unused_models = book.cleanup_unused_models

    @property
    def location(self) -> CacheLocation:
        return self.responses.location

    @property
    def semantic(self) -> SemanticCache | None:
        return self._semantic

    def lookup_similar(
        self,
        vector: npt.ArrayLike,
        *,
        namespace: str,
        privacy: PrivacyLevel,
        device_id: str,
        now: float,
        text: str | None = None,
    ) -> SemanticHit | None:
        """The semantic layer's answer for a prompt embedding (None without a semantic layer).

        Pass the embedded prompt as ``text`` so the layer's guards apply (see `SemanticCache`).
        """
        if self._semantic is None:
            return None
        hit = self._semantic.lookup(
            vector, namespace=namespace, privacy=privacy, device_id=device_id, now=now, text=text
        )
        if hit is None:
            self.stats.semantic_misses += 1
        else:
            self.stats.semantic_hits += 1
        return hit

    def store_similar(
        self,
        vector: npt.ArrayLike,
        key: str,
        response: CachedResponse,
        *,
        namespace: str,
        privacy: PrivacyLevel,
        device_id: str,
        now: float,
        text: str | None = None,
    ) -> bool:
        """Index ``response`` under its prompt embedding; False without a layer or when refused."""
        if self._semantic is None:
            return False
        return self._semantic.add(
            vector,
            key,
            response,
            namespace=namespace,
            privacy=privacy,
            device_id=device_id,
            now=now,
            text=text,
        )

    def invalidate_similar(self, key: str, *, namespace: str) -> None:
        """Drop ``key`` from the semantic layer too: a flagged answer must not return reworded."""
        if self._semantic is not None:
            self._semantic.invalidate(key, namespace=namespace)
