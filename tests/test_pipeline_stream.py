"""Streaming through the pipeline: failover before the first chunk, one record however it ends."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest

from mecrouter.backends.base import GenerationRequest
from mecrouter.backends.emulated import EmulatedBackend
from mecrouter.config import Config, load_config
from mecrouter.errors import AllEndpointsFailed, BackendStatusError
from mecrouter.pipeline import Router
from mecrouter.stores.memory import MemoryStore

TIME_SCALE = 0.02


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


def request(content: str = "Describe the storm over the harbour.", **kw: Any) -> dict[str, Any]:
    device = {"device_id": "phone-1", "memory_mb": 8192, "local_models": ["llama-3.2-1b-instruct"]}
    return {"content": content, "device_info": device, **kw}


def emulated(router: Router, endpoint_id: str) -> EmulatedBackend:
    backend = router.backends[endpoint_id].inner
    assert isinstance(backend, EmulatedBackend)
    return backend


class BreaksAfterFirstChunk(EmulatedBackend):
    """Sends one chunk, then fails like a server dying mid-answer."""

    async def _broken(self, request: GenerationRequest) -> AsyncIterator[str]:
        yield "partial answer"
        raise BackendStatusError("HTTP 500: died", tier="mec", endpoint=self.endpoint.id)

    def stream(self, request: GenerationRequest) -> AsyncIterator[str]:
        return self._broken(request)


async def test_stream_yields_the_answer_and_records_it(config: Config) -> None:
    store = MemoryStore()
    router = Router.from_config(config, store=store, time_scale=TIME_SCALE)
    streamed = await router.stream(request(max_tokens=24))
    chunks = [part async for part in streamed]
    await router.aclose()
    assert len(chunks) > 1 and len("".join(chunks).split()) == 24
    [record] = await store.query_decisions()
    assert record.success and record.actual_endpoint == streamed.endpoint.id
    assert 0 < record.ttft_ms <= record.latency_ms
    assert record.output_tokens > 0


async def test_stream_fails_over_before_the_first_chunk(config: Config) -> None:
    store = MemoryStore()
    router = Router.from_config(config, store=store, time_scale=TIME_SCALE)
    planned = await router.route(request(use_case="healthcare"))
    emulated(router, planned.selected_endpoint).set_fault(down=True)
    streamed = await router.stream(request(use_case="healthcare"))
    text = await streamed.text()
    await router.aclose()
    assert text and streamed.endpoint.id == planned.fallback_endpoints[0]
    assert streamed.fallbacks_used == 1
    [record] = await store.query_decisions()
    assert record.success and record.fallbacks_used == 1


async def test_failure_after_the_first_chunk_ends_the_stream_with_an_error(
    config: Config,
) -> None:
    store = MemoryStore()
    router = Router.from_config(config, store=store, time_scale=TIME_SCALE)
    planned = await router.route(request())
    guarded = router.backends[planned.selected_endpoint]
    guarded.inner = BreaksAfterFirstChunk(config.endpoint(planned.selected_endpoint))
    streamed = await router.stream(request())
    received: list[str] = []
    with pytest.raises(BackendStatusError):
        async for part in streamed:
            received.append(part)
    await router.aclose()
    assert received == ["partial answer"]
    [record] = await store.query_decisions()
    assert not record.success and "failed mid-stream" in record.error


async def test_closing_a_stream_early_releases_the_endpoint_and_records_it(
    config: Config,
) -> None:
    store = MemoryStore()
    router = Router.from_config(config, store=store, time_scale=TIME_SCALE)
    streamed = await router.stream(request(max_tokens=200))
    backend = emulated(router, streamed.endpoint.id)
    await anext(aiter(streamed))
    assert backend.in_flight == 1
    await streamed.aclose()
    await router.aclose()
    assert backend.in_flight == 0
    [record] = await store.query_decisions()
    assert not record.success and record.error == "cancelled by the client"


async def test_cancelled_complete_is_recorded(config: Config) -> None:
    store = MemoryStore()
    router = Router.from_config(config, store=store, time_scale=1.0)  # real time: slow enough
    task = asyncio.create_task(router.complete(request(use_case="iot", request_id="gone")))
    await asyncio.sleep(0.05)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    await router.aclose()
    [record] = await store.query_decisions()
    assert record.request_id == "gone" and record.error == "cancelled by the client"


async def test_stream_with_every_endpoint_down_raises_and_records(config: Config) -> None:
    store = MemoryStore()
    router = Router.from_config(config, store=store, time_scale=TIME_SCALE)
    for backend in router.backends.values():
        assert isinstance(backend.inner, EmulatedBackend)
        backend.inner.set_fault(down=True)
    with pytest.raises(AllEndpointsFailed):
        await router.stream(request())
    await router.aclose()
    [record] = await store.query_decisions()
    assert not record.success


async def test_a_cached_answer_streams_as_one_chunk(config: Config) -> None:
    router = Router.from_config(config, store=MemoryStore(), time_scale=TIME_SCALE)
    first = await router.complete(request("What is the capital of France?", temperature=0))
    streamed = await router.stream(request("What is the capital of France?", temperature=0))
    chunks = [part async for part in streamed]
    await router.aclose()
    assert chunks == [first.text] and streamed.decision.policy == "cache"


async def test_a_stream_closed_before_it_was_read_still_releases_and_records(
    config: Config,
) -> None:
    store = MemoryStore()
    router = Router.from_config(config, store=store, time_scale=TIME_SCALE)
    streamed = await router.stream(request(max_tokens=200))
    backend = emulated(router, streamed.endpoint.id)
    assert backend.in_flight == 1
    await streamed.aclose()  # e.g. the client left before the response body started
    await streamed.aclose()  # and closing twice is harmless
    assert [part async for part in streamed] == []
    await router.aclose()
    assert backend.in_flight == 0
    [record] = await store.query_decisions()
    assert not record.success and record.error == "cancelled by the client"
