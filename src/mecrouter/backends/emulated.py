"""A stand-in endpoint whose latency, capacity and failures follow an endpoint's profile.

There is no MEC hardware in a test run or a demo, so this backend plays the part: it waits out the
network round trip, queues for one of ``max_concurrency`` slots, waits the profile's TTFT for the
prompt size, then decodes ``max_tokens`` words at the profile's rate. Everything random (jitter,
failures, the words) comes from one ``random.Random`` seeded by ``seed`` and a stable hash of the
endpoint id, and is drawn when a call starts, so the same seed and the same sequence of calls give
the same texts and the same error pattern however the calls interleave.

``time_scale`` shrinks every real sleep (tests run at 1/100 speed) while the reported
``latency_ms``/``ttft_ms`` stay in emulated milliseconds. Faults for tests and demos are injected
with ``set_fault`` and removed with ``clear_fault``.
"""

from __future__ import annotations

import asyncio
import math
import random
import time
import zlib
from collections.abc import AsyncIterator
from dataclasses import dataclass

from mecrouter.backends.base import Chunk, GenerationRequest
from mecrouter.backends.emulated_answers import Answer, answer_of
from mecrouter.config import EndpointConfig
from mecrouter.errors import BackendStatusError, BackendUnavailable
from mecrouter.types import ComputeTier, Generation

__all__ = ["EmulatedBackend", "Fault"]

_WORDS_PER_CHUNK = 4
_CHARS_PER_TOKEN = 4

_VOCABULARY = (
    "the", "a", "model", "edge", "network", "request", "answer", "data", "is", "can", "will",
    "should", "runs", "routes", "returns", "uses", "keeps", "sends", "fast", "local", "small",
    "large", "nearby", "private", "cloud", "device", "node", "latency", "token", "result",
    "quickly", "safely", "often", "here", "there", "with", "from", "to", "of", "and", "for",
    "on", "in", "this", "that", "each", "every", "user", "signal", "cache", "tier", "cost",
    "budget", "path", "link", "service", "update", "stream", "context", "reply",
)  # fmt: skip


@dataclass(slots=True, frozen=True)
class Fault:
    """An injected misbehaviour; the default instance is a healthy endpoint."""

    down: bool = False
    slow_factor: float = 1.0
    error_rate: float | None = None
    hang: bool = False
    stall_after_first_chunk: bool = False


@dataclass(slots=True, frozen=True)
class _Plan:
    """Every random choice of one call, drawn before its first await. ``answer`` is set when
    the call has OpenAI options (tools, JSON, stop, logprobs, n...); ``words`` are then its
    first choice's tokens, which pace its decoding."""

    words: tuple[str, ...]
    ttft_jitter: float
    decode_jitter: float
    failure_draw: float
    answer: Answer | None = None

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass(slots=True, frozen=True)
class _Schedule:
    """The emulated milliseconds one call spends in each phase (already slowed by faults)."""

    network_ms: float
    prefill_ms: float
    decode_ms: float
    fails: bool


class EmulatedBackend:
    """An in-process endpoint that behaves like ``endpoint``'s profile; see the module docstring.

    ``jitter_sigma`` is the sigma of the lognormal factor applied to TTFT and decode time
    (0 gives the profile's numbers exactly).
    """

    def __init__(
        self,
        endpoint: EndpointConfig,
        *,
        seed: int = 0,
        time_scale: float = 1.0,
        jitter_sigma: float = 0.1,
    ) -> None:
        if not time_scale > 0.0 or not math.isfinite(time_scale):
            raise ValueError(f"time_scale must be a positive finite number, got {time_scale}")
        if jitter_sigma < 0.0:
            raise ValueError(f"jitter_sigma must be >= 0, got {jitter_sigma}")
        self._endpoint = endpoint
        self._time_scale = time_scale
        self._jitter_sigma = jitter_sigma
        self._rng = random.Random((seed << 32) ^ zlib.crc32(endpoint.id.encode("utf-8")))
        self._slots = asyncio.Semaphore(endpoint.max_concurrency)
        self._device_slots: dict[str, asyncio.Semaphore] = {}
        self._in_flight = 0
        self._fault = Fault()

    @property
    def endpoint(self) -> EndpointConfig:
        return self._endpoint

    @property
    def in_flight(self) -> int:
        """Calls started and not yet finished, including those queued for a slot."""
        return self._in_flight

    def set_fault(
        self,
        *,
        down: bool = False,
        slow_factor: float = 1.0,
        error_rate: float | None = None,
        hang: bool = False,
        stall_after_first_chunk: bool = False,
    ) -> None:
        """Replace the current fault; calls already running keep the fault they started with.

        ``down`` refuses calls at once (like a refused connection), ``hang`` never answers,
        ``stall_after_first_chunk`` streams the first chunk and then nothing (a whole answer
        never comes), ``slow_factor`` multiplies every delay, ``error_rate`` overrides the profile's
        ``failure_rate``.
        """
        if not slow_factor > 0.0 or not math.isfinite(slow_factor):
            raise ValueError(f"slow_factor must be a positive finite number, got {slow_factor}")
        if error_rate is not None and not 0.0 <= error_rate <= 1.0:
            raise ValueError(f"error_rate must be within [0, 1], got {error_rate}")
        self._fault = Fault(down, slow_factor, error_rate, hang, stall_after_first_chunk)

    @property
    def fault(self) -> Fault:
        """The fault new calls start with (``Fault()`` when healthy)."""
        return self._fault

    def clear_fault(self) -> None:
        """Back to the healthy profile."""
        self._fault = Fault()

    async def generate(self, request: GenerationRequest) -> Generation:
        plan, fault = self._draw_plan(request), self._fault
        schedule = self._schedule(request, plan, fault)
        self._in_flight += 1
        try:
            await self._admit(fault)
            await self._sleep_ms(schedule.network_ms)
            slots = self._slots_for(request)
            queue_wait_ms = await self._acquire_slot(slots)
            try:
                await self._sleep_ms(schedule.prefill_ms)
                self._raise_if_failed(schedule)
                if fault.stall_after_first_chunk:
                    await _forever()
                await self._sleep_ms(schedule.decode_ms)
            finally:
                slots.release()
        finally:
            self._in_flight -= 1
        ttft_ms = schedule.network_ms + queue_wait_ms + schedule.prefill_ms
        if plan.answer is not None:
            input_tokens = _estimate_input_tokens(request)
            latency_ms = ttft_ms + schedule.decode_ms
            return plan.answer.generation(self._endpoint.model, input_tokens, latency_ms, ttft_ms)
        return Generation(
            text=plan.text,
            model=self._endpoint.model,
            input_tokens=_estimate_input_tokens(request),
            output_tokens=len(plan.words),
            latency_ms=ttft_ms + schedule.decode_ms,
            ttft_ms=ttft_ms,
        )

    def stream(self, request: GenerationRequest) -> AsyncIterator[Chunk]:
        """The text ``generate`` would return for this call, a few words per chunk.

        The random draws happen here, at the call, not at the first iteration, so that the call
        order alone fixes every outcome. A chunk is yielded once its words are decoded, so the
        chunks are paced by the decode rate and the last one lands when ``generate`` would have
        returned. The slot is held until the iterator finishes or is closed: consume it with
        ``contextlib.aclosing``.
        """
        plan, fault = self._draw_plan(request), self._fault
        schedule = self._schedule(request, plan, fault)
        return self._stream(plan, fault, schedule, self._slots_for(request))

    async def _stream(
        self, plan: _Plan, fault: Fault, schedule: _Schedule, slots: asyncio.Semaphore
    ) -> AsyncIterator[Chunk]:
        self._in_flight += 1
        try:
            await self._admit(fault)
            await self._sleep_ms(schedule.network_ms)
            await self._acquire_slot(slots)
            try:
                await self._sleep_ms(schedule.prefill_ms)
                self._raise_if_failed(schedule)
                ms_per_word = schedule.decode_ms / len(plan.words) if plan.words else 0.0
                chunks = _chunks(plan.words) if plan.answer is None else plan.answer.chunks()
                for i, chunk in enumerate(chunks):
                    await self._sleep_ms(ms_per_word * _words_in(chunk))
                    if i == 1 and fault.stall_after_first_chunk:
                        await _forever()
                    yield chunk
            finally:
                slots.release()
        finally:
            self._in_flight -= 1

    async def aclose(self) -> None:
        """Nothing to release: the emulator holds no connections."""

    def _draw_plan(self, request: GenerationRequest) -> _Plan:
        rng = random.Random(self._rng.getrandbits(64))
        ttft_jitter = rng.lognormvariate(0.0, self._jitter_sigma)
        decode_jitter = rng.lognormvariate(0.0, self._jitter_sigma)
        failure_draw = rng.random()
        options = request.options
        if options is None:
            words = _sentences(rng, max(0, request.max_tokens))
            return _Plan(words, ttft_jitter, decode_jitter, failure_draw)
        if options.seed is not None:  # the caller's seed alone fixes the answer
            rng = random.Random(options.seed)
        words = _sentences(rng, max(0, request.max_tokens))
        answer = answer_of(request, options, words, rng, _sentences)
        tokens = tuple(answer.text.split()) or ("",) * answer.output_tokens
        return _Plan(tokens, ttft_jitter, decode_jitter, failure_draw, answer)

    def _schedule(self, request: GenerationRequest, plan: _Plan, fault: Fault) -> _Schedule:
        ep = self._endpoint
        prefill_ms = ep.predicted_ttft_ms(_estimate_input_tokens(request)) * plan.ttft_jitter
        decode_ms = len(plan.words) / ep.decode_tokens_per_s * 1000.0 * plan.decode_jitter
        error_rate = ep.failure_rate if fault.error_rate is None else fault.error_rate
        return _Schedule(
            network_ms=max(0.0, request.network_rtt_ms) * fault.slow_factor,
            prefill_ms=prefill_ms * fault.slow_factor,
            decode_ms=decode_ms * fault.slow_factor,
            fails=plan.failure_draw < error_rate,
        )

    async def _admit(self, fault: Fault) -> None:
        """Refuse (``down``) or never answer (``hang``) before doing any work."""
        if fault.down:
            raise BackendUnavailable(
                "connection refused (emulated outage)",
                tier=self._endpoint.tier.value,
                endpoint=self._endpoint.id,
            )
        if fault.hang:
            await _forever()

    def _slots_for(self, request: GenerationRequest) -> asyncio.Semaphore:
        """A device-tier endpoint stands for the same model on many devices: each device has
        its own `max_concurrency` slots. Other tiers share one pool."""
        if self._endpoint.tier is not ComputeTier.DEVICE:
            return self._slots
        slots = self._device_slots.get(request.device_id)
        if slots is None:
            slots = asyncio.Semaphore(self._endpoint.max_concurrency)
            self._device_slots[request.device_id] = slots
        return slots

    async def _acquire_slot(self, slots: asyncio.Semaphore) -> float:
        """Take a concurrency slot; return the emulated milliseconds spent queueing for it."""
        if not slots.locked():
            await slots.acquire()
            return 0.0
        started_s = time.perf_counter()
        await slots.acquire()
        return (time.perf_counter() - started_s) * 1000.0 / self._time_scale

    def _raise_if_failed(self, schedule: _Schedule) -> None:
        if schedule.fails:
            raise BackendStatusError(
                "HTTP 500 (emulated failure)",
                tier=self._endpoint.tier.value,
                endpoint=self._endpoint.id,
                status=500,
            )

    async def _sleep_ms(self, emulated_ms: float) -> None:
        if emulated_ms > 0.0:
            await asyncio.sleep(emulated_ms * self._time_scale / 1000.0)


async def _forever() -> None:
    """Never return: a future resolved by nobody (cancelling the caller ends it)."""
    await asyncio.get_running_loop().create_future()


def _estimate_input_tokens(request: GenerationRequest) -> int:
    prompt = request.prompt or "\n".join(m.content for m in request.messages)
    return max(1, len(prompt) // _CHARS_PER_TOKEN)


def _sentences(rng: random.Random, n_words: int) -> tuple[str, ...]:
    """``n_words`` vocabulary words grouped into capitalised sentences ending with a full stop."""
    words: list[str] = []
    while len(words) < n_words:
        length = min(rng.randint(6, 14), n_words - len(words))
        sentence = rng.choices(_VOCABULARY, k=length)
        sentence[0] = sentence[0].capitalize()
        sentence[-1] += "."
        words.extend(sentence)
    return tuple(words)


def _words_in(chunk: Chunk) -> int:
    if isinstance(chunk, str):
        return len(chunk.split())
    return max(1, len(chunk.content.split()))


def _chunks(words: tuple[str, ...]) -> list[str]:
    """The first word alone (the first token), then groups of a few; they join back to the text."""
    groups = [words[:1]] + [
        words[i : i + _WORDS_PER_CHUNK] for i in range(1, len(words), _WORDS_PER_CHUNK)
    ]
    return [("" if i == 0 else " ") + " ".join(g) for i, g in enumerate(groups) if g]
