"""What the pipeline does with the caches: which requests may use them and under which key, the
semantic layer and the prompt embedding that feeds it (and the embedding quality predictor), and
keeping each fresh answer for later.

Only a deterministic request (temperature 0, or a seed given) whose answer is one text (no tool
calls, logprobs or several choices, which the caches cannot keep) is answered from a cache or
kept in one: replaying one sampled answer to every later asker would turn sampling off. Entries
live in a partition (`config.cache_partition`): the API key that asked (`key`, the default), its
tenant (`tenant`), or everyone (`shared`); a request without an owner (no API keys) is in the
shared one.
"""

from __future__ import annotations

import json
import logging
import math
from dataclasses import dataclass, replace
from typing import Any, Final, Protocol

from mecrouter import embedding
from mecrouter.agents.cache import CacheAgent
from mecrouter.agents.context import request_text
from mecrouter.agents.response_cache import CachedResponse, cache_key
from mecrouter.agents.semantic_cache import DEFAULT_THRESHOLD as DEFAULT_SEMANTIC_THRESHOLD
from mecrouter.agents.semantic_cache import SemanticCache, SemanticHit
from mecrouter.config import Config, EndpointConfig
from mecrouter.pipeline.inflight import InFlight
from mecrouter.quality.model import EmbeddingQualityModel, embedding_text
from mecrouter.types import (
    ComputeTier,
    ContextAnalysis,
    Generation,
    InferenceRequest,
    PrivacyLevel,
    required_capabilities,
)

__all__ = [
    "ANSWER_OPTIONS", "EmbeddingPath", "SharedCache", "keep_answer", "request_cache_key",
    "semantic_layer",
]  # fmt: skip

log = logging.getLogger(__name__)
_HINT = "pip install 'mecrouter[embeddings]'"
ANSWER_OPTIONS: Final = ("seed", "stop", "response_format", "top_p")
"""Request fields besides prompt, model, temperature and length that shape a one-text answer:
part of the cache key whenever the request carries them (a request with tools never reaches the
key: see `cacheable`)."""
_TEXT_ANSWERS: Final = frozenset({"seed", "stop", "json_mode", "json_schema"})
"""Capabilities whose answers are still one text, which the caches can keep."""


class SharedCache(Protocol):
    """An exact cache other processes share (the gateway's Redis, `gateway.shared`): asked after
    a local miss, filled with every fresh answer. Only public answers go there (a shared cache
    keeps no private one, and the shared store may sit outside the device and the MEC node)."""

    async def cache_get(self, key: str) -> CachedResponse | None: ...

    def cache_put(self, key: str, response: CachedResponse, ttl_s: float) -> None: ...


def deterministic(req: InferenceRequest) -> bool:
    """Whether asking again should give the same answer: temperature 0, or a seed given."""
    return req.temperature == 0 or req.seed is not None


def partition_of(req: InferenceRequest, partition: str) -> str:
    """The name of the cache partition `req` reads and writes under the configured scheme."""
    if partition == "shared" or req.owner_id is None:
        return ""
    if partition == "tenant" and req.tenant:
        return f"tenant:{req.tenant}"
    return f"key:{req.owner_id}"


def cacheable(req: InferenceRequest) -> bool:
    """Whether `req` may be answered from a cache or fill one: deterministic, and its answer one
    text (the caches keep text only: tool calls, logprobs and several choices are more)."""
    return deterministic(req) and required_capabilities(req) <= _TEXT_ANSWERS


def request_cache_key(req: InferenceRequest, partition: str) -> str | None:
    """The exact cache's key for `req`, or None when it may not use a cache (`cacheable`)."""
    if not cacheable(req):
        return None
    return cache_key(
        req.messages or req.content,
        req.model or "auto",
        req.temperature,
        req.max_tokens,
        options=_options(req),
        partition=partition_of(req, partition),
    )


def _options(req: InferenceRequest) -> dict[str, Any]:
    """The answer-shaping options `req` gives (whichever of ANSWER_OPTIONS it carries)."""
    given = {name: _plain(getattr(req, name, None)) for name in ANSWER_OPTIONS}
    return {name: value for name, value in given.items() if value is not None}


def _plain(value: Any) -> Any:
    """A request option as JSON-ready data (pydantic models dumped)."""
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    dump = getattr(value, "model_dump", None)
    return dump(mode="json") if callable(dump) else value


def semantic_layer(config: Config) -> SemanticCache | None:
    """The semantic cache layer, when configured and the embedding model is installed."""
    sc = config.semantic_cache
    if not sc.enabled:
        return None
    if not embedding.available():
        log.warning("semantic_cache.enabled but the embedding model is not installed: %s", _HINT)
        return None
    threshold = sc.threshold if sc.threshold is not None else DEFAULT_SEMANTIC_THRESHOLD
    return SemanticCache(threshold=threshold, ttl_s=config.cache_ttl_s, max_entries=sc.max_entries)


def keep_answer(
    cache: CacheAgent,
    embeddings: EmbeddingPath | None,
    s: InFlight,
    gen: Generation,
    now: float,
    shared: SharedCache | None = None,
) -> None:
    """Cache a fresh answer from `s.ep` if its request may be (and note the model's use on its
    MEC node); a public one also in `shared`."""
    ep = s.ep
    assert ep is not None  # set by the dispatcher before anything is served
    if ep.tier is ComputeTier.MEC:
        cache.note_model_use(ep.node, ep.model, now)
    if s.key is None:
        return
    response = CachedResponse(
        gen.text, ep.model, ep.tier, ep.id, gen.input_tokens, gen.output_tokens, now
    )
    privacy = s.context.privacy_level
    cache.store(s.key, response, privacy=privacy, device_id=s.req.device_info.device_id, now=now)
    if shared is not None and privacy is PrivacyLevel.PUBLIC:
        shared.cache_put(s.key, response, cache.ttl_s)
    if s.vector is not None and embeddings is not None:
        embeddings.remember(s, gen.text, ep, now)


def _namespace(req: InferenceRequest, partition: str) -> str:
    """The semantic cache's partition: the cache partition, and what else shapes the answer
    besides the prompt's meaning (model asked for, temperature, answer length, options), as the
    exact key has."""
    options = json.dumps(_options(req), sort_keys=True, default=repr)
    where = partition_of(req, partition)
    return f"{where}|{req.model or 'auto'}|{req.temperature}|{req.max_tokens}|{options}"


@dataclass(slots=True)
class EmbeddingPath:
    """The prompt embedding, computed off the event loop when a request's latency target can
    afford it (~15 ms on a CPU), and what it buys: a semantic-cache look-up, and the embedding
    quality predictor's estimates in place of the fast path's."""

    cache: CacheAgent
    quality: EmbeddingQualityModel | None
    quality_min_slo_ms: float
    semantic_min_slo_ms: float  # inf without a semantic layer
    partition: str = "key"  # config.cache_partition

    @classmethod
    def of(cls, config: Config, cache: CacheAgent) -> EmbeddingPath | None:
        wants_quality = config.quality.predictor == "embedding"
        if not wants_quality and cache.semantic is None:
            return None
        if not embedding.available():
            log.warning("quality.predictor is 'embedding' but the model is missing: %s", _HINT)
            return None
        quality = None
        if wants_quality:
            from mecrouter.quality.model import default_embedding_model

            quality = default_embedding_model()
        semantic = config.semantic_cache.min_slo_ms if cache.semantic is not None else math.inf
        return cls(
            cache, quality, config.quality.embedding_min_slo_ms, semantic, config.cache_partition
        )

    async def apply(
        self, req: InferenceRequest, context: ContextAnalysis, now: float
    ) -> tuple[ContextAnalysis, Any, SemanticHit | None]:
        """(context, prompt vector or None, semantic hit or None) for this request."""
        slo = context.latency_requirement
        use_quality = self.quality is not None and slo >= self.quality_min_slo_ms
        text = request_text(req)
        window = embedding_text(text)
        use_semantic = slo >= self.semantic_min_slo_ms and window == text and cacheable(req)
        if not use_quality and not use_semantic:
            return context, None, None
        try:
            vector = await embedding.shared_embedder().aencode(window)
        except Exception:  # the embedding path is an optimisation: it never fails a request
            log.exception("prompt embedding failed; routing on the fast estimates, no cache")
            return context, None, None
        if use_semantic:
            hit = self.cache.lookup_similar(
                vector,
                namespace=_namespace(req, self.partition),
                privacy=context.privacy_level,
                device_id=req.device_info.device_id,
                now=now,
                text=text,
            )
            if hit is not None:
                return context, vector, hit
        if use_quality and self.quality is not None:
            p = self.quality.predict_vectors(vector[None, :])[0].tolist()
            context = replace(context, quality=dict(zip(self.quality.models, p, strict=True)))
        return context, (vector if use_semantic else None), None

    def remember(self, s: InFlight, text: str, ep: EndpointConfig, now: float) -> None:
        """Index a fresh answer under its prompt's embedding."""
        if s.key is None:
            return
        self.cache.store_similar(
            s.vector,
            s.key,
            CachedResponse(text, ep.model, ep.tier, ep.id, 0, 0, now),
            namespace=_namespace(s.req, self.partition),
            privacy=s.context.privacy_level,
            device_id=s.req.device_info.device_id,
            now=now,
            text=request_text(s.req),
        )
