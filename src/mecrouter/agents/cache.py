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

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING

from mecrouter.agents.placement import CacheStrategy, DeploymentStatus, NodeModel, PlacementBook
from mecrouter.agents.response_cache import (
    CachedResponse,
    CacheLocation,
    CacheStats,
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

    Its two parts are attributes: `responses` (the exact cache) and `placement` (which model is
    hot, warm or cold where; the router reads its `load_time_s` for every MEC candidate). The
    agent's own methods are the request path's look-ups and the specification's interface.
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
        self.responses = ResponseCache(
            ttl_s=config.cache_ttl_s,
            max_entries=config.cache_max_entries,
            location=location,
            storage=storage,
        )
        self.placement = PlacementBook(config, now)

    @property
    def location(self) -> CacheLocation:
        return self.responses.location

    @property
    def ttl_s(self) -> float:
        """How long an exact entry lives."""
        return self.responses.ttl_s

    @property
    def semantic(self) -> SemanticCache | None:
        return self._semantic

    @property
    def stats(self) -> CacheStats:
        return self.responses.stats

    def lookup(
        self, key: str, *, privacy: PrivacyLevel, device_id: str, now: float
    ) -> CachedResponse | None:
        """The live cached answer for ``key`` visible to this request, or None."""
        return self.responses.lookup(key, privacy=privacy, device_id=device_id, now=now)

    def store(
        self,
        key: str,
        response: CachedResponse,
        *,
        privacy: PrivacyLevel,
        device_id: str,
        now: float,
    ) -> bool:
        """Keep ``response`` under ``key``; False when privacy forbids this cache to keep it."""
        return self.responses.store(key, response, privacy=privacy, device_id=device_id, now=now)

    def invalidate(self, key: str, *, privacy: PrivacyLevel, device_id: str) -> None:
        self.responses.invalidate(key, privacy=privacy, device_id=device_id)

    def deploy_model(self, model_id: str, node_id: str, now: float) -> DeploymentStatus:
        return self.placement.deploy_model(model_id, node_id, now)

    def note_model_use(self, node_id: str, model_id: str, now: float) -> None:
        """A MEC node's model served a call: a model that was not hot counts as a miss and is
        deployed; either way its use is counted (what placement decides on)."""
        placement = self.placement
        if not placement.is_hot(node_id, model_id):
            placement.record_miss(node_id, model_id)
            placement.deploy_model(model_id, node_id, now)
        placement.record_use(node_id, model_id, now)

    def manage_cache_strategy(self, usage: Mapping[NodeModel, int]) -> CacheStrategy:
        return self.placement.manage_cache_strategy(usage)

    def preload_models(
        self, predictions: Sequence[tuple[str, str, float]], *, now: float | None = None
    ) -> list[DeploymentStatus]:
        return self.placement.preload_models(predictions, now=now)

    def cleanup_unused_models(
        self, node_id: str | None, now: float, idle_s: float
    ) -> list[NodeModel]:
        return self.placement.cleanup_unused_models(node_id, now, idle_s)

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
