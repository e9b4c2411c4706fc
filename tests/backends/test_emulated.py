from __future__ import annotations

import asyncio
import itertools
from typing import Any

import pytest

from mecrouter.backends import Backend, GenerationRequest
from mecrouter.backends.emulated import EmulatedBackend
from mecrouter.config import EndpointConfig
from mecrouter.errors import BackendStatusError, BackendUnavailable
from mecrouter.types import ComputeTier, Message, ModelSize

FAST = 1e-4  # time_scale for tests that do not look at timing
SCALE = 0.05  # time_scale for tests that read what the backend sleeps (no real wait: see `slept`)


def make_endpoint(**overrides: Any) -> EndpointConfig:
    fields: dict[str, Any] = {
        "id": "mec-test-7b",
        "tier": ComputeTier.MEC,
        "model": "test-7b",
        "model_size": ModelSize.SMALL,
        "capability": 0.5,
        "ttft_ms": 100.0,
        "ttft_ref_tokens": 0,
        "prefill_ms_per_1k_tokens": 100.0,
        "decode_tokens_per_s": 100.0,
        "max_concurrency": 2,
    }
    fields.update(overrides)
    return EndpointConfig(**fields)


def make_request(n: int = 0, *, prompt_chars: int = 40, max_tokens: int = 10) -> GenerationRequest:
    return GenerationRequest(
        request_id=f"r{n}",
        prompt="x" * prompt_chars,
        model="test-7b",
        max_tokens=max_tokens,
    )


@pytest.fixture
def slept(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """The seconds of every ``asyncio.sleep`` asked for during the test, which returns at once.

    What the backend waits is read here, not off the wall clock; how long those sleeps really
    take on a loaded machine is for ``benchmarks/bench_emulated.py``.
    """
    asked: list[float] = []
    real_sleep = asyncio.sleep

    async def record(delay: float, result: Any = None) -> Any:
        asked.append(delay)
        return await real_sleep(0, result)

    monkeypatch.setattr(asyncio, "sleep", record)
    return asked


def emulated_ms(slept: list[float], time_scale: float = SCALE) -> float:
    """The emulated milliseconds those sleeps stand for."""
    return sum(slept) * 1000.0 / time_scale


async def outcomes(backend: EmulatedBackend, count: int) -> list[str]:
    """The text of each call, or the name of the error it raised."""
    out = []
    for n in range(count):
        try:
            out.append((await backend.generate(make_request(n))).text)
        except BackendStatusError as exc:
            out.append(f"error {exc.status}")
    return out


async def test_generate_stream_and_aclose_keep_the_backend_contract() -> None:
    """Used only through the Backend interface, as the pipeline uses it."""
    backend: Backend = EmulatedBackend(make_endpoint(), seed=5, time_scale=FAST)
    twin: Backend = EmulatedBackend(make_endpoint(), seed=5, time_scale=FAST)
    result = await backend.generate(make_request(max_tokens=9))
    chunks = [chunk async for chunk in twin.stream(make_request(max_tokens=9))]
    assert (result.model, result.output_tokens, result.finish_reason) == ("test-7b", 9, "stop")
    assert 0.0 < result.ttft_ms < result.latency_ms
    assert "".join(chunks) == result.text
    await backend.aclose()
    await twin.aclose()


def test_rejects_non_positive_time_scale() -> None:
    with pytest.raises(ValueError, match="time_scale"):
        EmulatedBackend(make_endpoint(), time_scale=0.0)


async def test_reported_latency_is_exactly_the_profile_without_jitter() -> None:
    backend = EmulatedBackend(make_endpoint(), time_scale=FAST, jitter_sigma=0.0)
    request = GenerationRequest(
        request_id="r", prompt="x" * 4000, model="test-7b", max_tokens=100, network_rtt_ms=50.0
    )
    result = await backend.generate(request)
    # 1000 prompt tokens: ttft 100 + 100 ms/1k prefill; 100 tokens at 100 tokens/s.
    assert result.input_tokens == 1000
    assert result.output_tokens == 100
    assert result.ttft_ms == pytest.approx(50.0 + 200.0)
    assert result.latency_ms == pytest.approx(250.0 + 1000.0)
    assert result.model == "test-7b"


async def test_the_backend_sleeps_the_latency_it_reports_scaled_by_time_scale(
    slept: list[float],
) -> None:
    backend = EmulatedBackend(make_endpoint(), seed=3, time_scale=SCALE)
    request = GenerationRequest(
        request_id="r", prompt="x" * 4000, model="test-7b", max_tokens=100, network_rtt_ms=50.0
    )
    result = await backend.generate(request)
    assert result.latency_ms == pytest.approx(1250.0, rel=0.35)  # lognormal jitter, sigma 0.1
    assert result.latency_ms != 1250.0  # the jitter did apply
    assert len(slept) == 3  # network, prefill, decode
    assert slept[0] == pytest.approx(50.0 / 1000.0 * SCALE)  # the round trip, unjittered
    assert emulated_ms(slept) == pytest.approx(result.latency_ms)


async def test_call_beyond_max_concurrency_queues_for_a_slot() -> None:
    time_scale = 0.05
    backend = EmulatedBackend(make_endpoint(max_concurrency=2), time_scale=time_scale)
    tasks = [asyncio.create_task(backend.generate(make_request(n))) for n in range(3)]
    await asyncio.sleep(0)
    assert backend.in_flight == 3
    results = sorted(await asyncio.gather(*tasks), key=lambda g: g.ttft_ms)
    assert backend.in_flight == 0
    fastest_service_ms = min(r.latency_ms for r in results[:2])
    assert results[1].ttft_ms < 150.0  # got a slot at once
    assert results[2].ttft_ms > results[1].ttft_ms + 0.8 * fastest_service_ms  # waited for one


async def test_same_seed_and_requests_give_same_texts_and_error_pattern() -> None:
    endpoint = make_endpoint(failure_rate=0.5)
    first = await outcomes(EmulatedBackend(endpoint, seed=7, time_scale=FAST), 12)
    second = await outcomes(EmulatedBackend(endpoint, seed=7, time_scale=FAST), 12)
    other_seed = await outcomes(EmulatedBackend(endpoint, seed=8, time_scale=FAST), 12)
    assert first == second
    assert first != other_seed
    assert 0 < first.count("error 500") < 12


async def test_text_has_exactly_max_tokens_words() -> None:
    backend = EmulatedBackend(make_endpoint(), time_scale=FAST)
    result = await backend.generate(make_request(max_tokens=37))
    assert len(result.text.split()) == 37
    assert result.output_tokens == 37
    assert result.text[0].isupper() and result.text.endswith(".")


async def test_input_tokens_come_from_messages_when_prompt_is_empty() -> None:
    backend = EmulatedBackend(make_endpoint(), time_scale=FAST)
    request = GenerationRequest(
        request_id="r",
        prompt="",
        model="test-7b",
        max_tokens=5,
        messages=(Message(role="user", content="y" * 400),),
    )
    assert (await backend.generate(request)).input_tokens == 100


async def test_failure_rate_one_always_raises_status_500_after_ttft(slept: list[float]) -> None:
    backend = EmulatedBackend(make_endpoint(failure_rate=1.0), time_scale=SCALE, jitter_sigma=0.0)
    for n in range(3):
        slept.clear()
        with pytest.raises(BackendStatusError) as info:
            await backend.generate(make_request(n))
        # the prefill of 10 tokens (ttft 100 ms + 100 ms per 1k tokens), then no decoding
        assert emulated_ms(slept) == pytest.approx(101.0)
        assert info.value.status == 500
        assert info.value.endpoint == "mec-test-7b"
        assert info.value.tier == "mec"
    assert backend.in_flight == 0


async def test_error_rate_fault_overrides_failure_rate_until_cleared() -> None:
    backend = EmulatedBackend(make_endpoint(failure_rate=1.0), time_scale=FAST)
    backend.set_fault(error_rate=0.0)
    assert (await backend.generate(make_request())).output_tokens == 10
    backend.clear_fault()
    with pytest.raises(BackendStatusError):
        await backend.generate(make_request())


async def test_down_fault_raises_unavailable_without_waiting(slept: list[float]) -> None:
    backend = EmulatedBackend(make_endpoint(ttft_ms=5_000.0), time_scale=1.0)
    backend.set_fault(down=True)
    request = GenerationRequest(
        request_id="r", prompt="x", model="test-7b", max_tokens=5, network_rtt_ms=40.0
    )
    with pytest.raises(BackendUnavailable) as info:
        await backend.generate(request)
    assert info.value.endpoint == "mec-test-7b"
    with pytest.raises(BackendUnavailable):
        await anext(backend.stream(request))
    assert slept == []  # refused before the round trip, like a refused connection
    assert backend.in_flight == 0


async def test_hang_fault_never_answers_and_is_cancelled_by_timeout() -> None:
    backend = EmulatedBackend(make_endpoint(), time_scale=FAST)
    backend.set_fault(hang=True)
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.05):
            await backend.generate(make_request())
    with pytest.raises(TimeoutError):
        async with asyncio.timeout(0.05):
            async for _ in backend.stream(make_request()):
                pass
    assert backend.in_flight == 0
    backend.clear_fault()
    assert (await backend.generate(make_request())).output_tokens == 10


async def test_slow_factor_multiplies_every_delay(slept: list[float]) -> None:
    endpoint = make_endpoint()
    request = GenerationRequest(
        request_id="r", prompt="x" * 40, model="test-7b", max_tokens=10, network_rtt_ms=20.0
    )
    normal = await EmulatedBackend(endpoint, time_scale=SCALE).generate(request)
    normal_sleeps = list(slept)
    slept.clear()
    slow_backend = EmulatedBackend(endpoint, time_scale=SCALE)
    slow_backend.set_fault(slow_factor=3.0)
    slow = await slow_backend.generate(request)
    assert slow.text == normal.text
    assert slow.ttft_ms == pytest.approx(3 * normal.ttft_ms)
    assert slow.latency_ms == pytest.approx(3 * normal.latency_ms)
    assert len(slept) == len(normal_sleeps) == 3
    assert slept == pytest.approx([3 * s for s in normal_sleeps])  # each phase, not only the sum
    assert emulated_ms(slept) == pytest.approx(slow.latency_ms)


def test_set_fault_rejects_nonsense() -> None:
    backend = EmulatedBackend(make_endpoint())
    with pytest.raises(ValueError, match="slow_factor"):
        backend.set_fault(slow_factor=0.0)
    with pytest.raises(ValueError, match="error_rate"):
        backend.set_fault(error_rate=1.5)


async def test_stream_yields_the_text_generate_returns_for_the_same_seed() -> None:
    endpoint = make_endpoint()
    request = make_request(max_tokens=23)
    generated = await EmulatedBackend(endpoint, seed=11, time_scale=FAST).generate(request)
    chunks = [c async for c in EmulatedBackend(endpoint, seed=11, time_scale=FAST).stream(request)]
    assert len(chunks) > 3
    assert "".join(chunks) == generated.text
    assert all(1 <= len(c.split()) <= 4 for c in chunks)


async def test_stream_is_paced_by_the_decode_rate(slept: list[float]) -> None:
    backend = EmulatedBackend(make_endpoint(), time_scale=SCALE, jitter_sigma=0.0)
    arrivals_ms, words = [], []
    async for chunk in backend.stream(make_request(max_tokens=20)):
        arrivals_ms.append(emulated_ms(slept))
        words.append(len(chunk.split()))
    # ttft 101 ms (10 prompt tokens), then 20 tokens at 100 tokens/s: 10 ms per word.
    assert sum(words) == 20 and len(arrivals_ms) == len(words) > 3
    assert arrivals_ms[0] == pytest.approx(101.0 + 10.0 * words[0])
    gaps = [b - a for a, b in itertools.pairwise(arrivals_ms)]
    assert gaps == pytest.approx([10.0 * n for n in words[1:]])
    assert arrivals_ms[-1] == pytest.approx(301.0)


async def test_stream_failure_raises_before_any_chunk() -> None:
    backend = EmulatedBackend(make_endpoint(failure_rate=1.0), time_scale=FAST)
    chunks: list[str] = []
    with pytest.raises(BackendStatusError):
        async for chunk in backend.stream(make_request()):
            chunks.append(chunk)
    assert chunks == []
    assert backend.in_flight == 0
