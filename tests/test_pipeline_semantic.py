"""The embedding path in the pipeline: semantic cache hits and the MiniLM quality estimates.

One module, one model load (~7 s): every test shares the process's embedder."""

from __future__ import annotations

from typing import Any

import pytest

from mecrouter import embedding
from mecrouter.config import Config, load_config
from mecrouter.pipeline import Router
from mecrouter.stores.memory import MemoryStore

pytestmark = pytest.mark.skipif(not embedding.available(), reason="embeddings extra missing")


@pytest.fixture(scope="module")
def config() -> Config:
    base = load_config()
    return base.model_copy(
        update={
            "semantic_cache": base.semantic_cache.model_copy(update={"enabled": True}),
            "quality": base.quality.model_copy(update={"predictor": "embedding"}),
        }
    )


def ask(content: str, user: str = "alice", **kw: Any) -> dict[str, Any]:
    """A deterministic request (only those use a cache) owned by the API key `user`."""
    return {"content": content, "owner_id": user, "use_case": "default", "temperature": 0, **kw}


async def test_a_reworded_question_is_answered_from_the_semantic_cache(config: Config) -> None:
    async with Router.from_config(config, store=MemoryStore(), time_scale=1e-4) as router:
        first = await router.complete(ask("What is the capital city of Australia?"))
        assert first.record.cache_hit is False
        reworded = "Could you please tell me which city is the capital of the country of Australia?"
        again = await router.complete(ask(reworded))
        assert again.record.cache_hit is True and again.text == first.text
        assert "semantic cache hit" in again.decision.reasoning
        other_tenant = await router.complete(ask(reworded, user="bob"))
        assert other_tenant.record.cache_hit is False
        different = await router.complete(ask("What is the capital city of Austria?"))
        assert different.record.cache_hit is False  # one word apart: the edit guard refuses
        sampled = await router.complete(ask(reworded, temperature=0.8))
        assert sampled.record.cache_hit is False


async def test_private_prompts_never_enter_the_shared_semantic_cache(config: Config) -> None:
    async with Router.from_config(config, store=MemoryStore(), time_scale=1e-4) as router:
        phi = "Patient MRN 4829103 has chest pain: what should the nurse check first?"
        await router.complete(ask(phi, use_case="healthcare"))
        again = await router.complete(ask(phi + " Please answer briefly.", use_case="healthcare"))
        assert again.record.cache_hit is False
        assert router.cache.semantic is not None and len(router.cache.semantic) == 0
        assert router.cache.semantic.stats.refused_private >= 1


async def test_the_embedding_quality_path_runs_only_when_the_budget_allows(config: Config) -> None:
    from mecrouter.quality.model import default_embedding_model
    from mecrouter.types import InferenceRequest

    text = "Write a function to find the second largest number in a list."
    async with Router.from_config(config, store=MemoryStore(), time_scale=1e-4) as router:
        path = router._embeddings
        assert path is not None
        fast = router.context_agent.analyze_request(InferenceRequest(content=text))
        tight_req = InferenceRequest(content=text, latency_slo_ms=100)
        loose_req = InferenceRequest(content=text, latency_slo_ms=2000)
        tight, _, _ = await path.apply(
            tight_req, router.context_agent.analyze_request(tight_req), 0
        )
        loose, _, _ = await path.apply(
            loose_req, router.context_agent.analyze_request(loose_req), 0
        )
        assert tight.quality == fast.quality  # 100 ms: no time for MiniLM, the fast estimate
        assert loose.quality is not None and loose.quality != fast.quality
        expected = default_embedding_model().predict_vectors(
            embedding.shared_embedder().encode([text])
        )[0]
        got = [loose.quality[m] for m in default_embedding_model().models]
        assert got == pytest.approx(expected.tolist(), abs=1e-5)
        decision = await router.route(ask(text, latency_slo_ms=2000))
        assert "predicted P(good answer)" in decision.reasoning


async def test_a_failing_embedder_never_fails_the_request(
    config: Config, monkeypatch: pytest.MonkeyPatch
) -> None:
    class Broken:
        async def aencode(self, text: str) -> Any:
            raise RuntimeError("torch fell over")

    monkeypatch.setattr(embedding, "shared_embedder", lambda: Broken())
    async with Router.from_config(config, store=MemoryStore(), time_scale=1e-4) as router:
        done = await router.complete(ask("What is the capital city of Australia?"))
        assert done.record.success and not done.record.cache_hit
