"""A completion delivered as a stream of chunks, with its outcome recorded at the end.

Chunks are text (``str``) or, for what text cannot carry (tool-call fragments, logprobs, the
finish reason), a `StreamDelta`; the recorded text is the text of both.

The pipeline fails over only before the first chunk: once text has reached the client it cannot
be taken back, so a failure after that ends the stream with an error (as OpenAI-compatible
gateways do). `StreamingCompletion` owns the open backend stream: iterating it yields the text,
and however the iteration ends (finished, failed, deadline, or closed early because the client
went away) the stream is closed and `on_done` is called exactly once, so every request still
leaves one record.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass

from mecrouter.backends.base import Backend, Chunk, GenerationRequest, chunk_text
from mecrouter.config import EndpointConfig
from mecrouter.errors import BackendError, BackendTimeout
from mecrouter.pipeline.inflight import InFlight
from mecrouter.resilience import Clock
from mecrouter.types import Generation, RoutingDecision

__all__ = [
    "StreamOutcome",
    "StreamingCompletion",
    "open_stream",
    "streamed_generation",
]

_REPLAY_DEADLINE_S = 60.0
_CHARS_PER_TOKEN = 4


async def open_stream(
    backend: Backend, request: GenerationRequest
) -> tuple[AsyncIterator[Chunk], Chunk]:
    """Start a backend stream and wait for its first chunk ("" if it ends at once). On any
    failure, including cancellation, the stream is closed before the error propagates."""
    chunks = backend.stream(request)
    try:
        first = await anext(chunks, "")
    except BaseException:
        await chunks.aclose()  # type: ignore[attr-defined]
        raise
    return chunks, first


@dataclass(slots=True)
class StreamOutcome:
    """How a stream ended: the text sent, when the first chunk came, and the error if any."""

    text: str
    first_chunk_at: float  # monotonic seconds
    finished_at: float
    error: str = ""  # "" = served completely
    cancelled: bool = False  # closed early by the consumer (client disconnect)


def streamed_generation(s: InFlight, outcome: StreamOutcome) -> Generation:
    """What a stream served completely amounts to (token counts estimated from the text)."""
    return Generation(
        text=outcome.text,
        model=s.decision.selected_model if s.ep is None else s.ep.model,
        input_tokens=max(1, len(s.req.content) // _CHARS_PER_TOKEN),
        output_tokens=max(1, len(outcome.text) // _CHARS_PER_TOKEN),
        latency_ms=(outcome.finished_at - s.started) * 1000.0,
        ttft_ms=(outcome.first_chunk_at - s.started) * 1000.0,
    )


class StreamingCompletion:
    """The decision, the endpoint actually serving, and (by iterating) the answer's chunks."""

    def __init__(
        self,
        *,
        decision: RoutingDecision,
        endpoint: EndpointConfig,
        fallbacks_used: int,
        chunks: AsyncIterator[Chunk],
        first_chunk: Chunk,
        first_chunk_at: float,
        deadline_at: float,
        monotonic: Callable[[], float],
        on_done: Callable[[StreamOutcome], Awaitable[None]],
    ) -> None:
        self.decision = decision
        self.endpoint = endpoint
        self.fallbacks_used = fallbacks_used
        self._chunks = chunks
        self._first = first_chunk
        self._first_at = first_chunk_at
        self._deadline_at = deadline_at
        self._monotonic = monotonic
        self._on_done = on_done
        self._iterator: AsyncIterator[Chunk] | None = None
        self._started = False  # iteration began (its `finally` will report the outcome)

    @classmethod
    def replay(
        cls, text: str, decision: RoutingDecision, endpoint: EndpointConfig, clock: Clock
    ) -> StreamingCompletion:
        """An answer already in hand (a cache hit, recorded already) as a one-chunk stream."""

        async def nothing_more() -> AsyncIterator[Chunk]:
            return
            yield  # an empty async generator

        async def already_recorded(outcome: StreamOutcome) -> None:
            return None

        now = clock.monotonic()
        return cls(
            decision=decision,
            endpoint=endpoint,
            fallbacks_used=0,
            chunks=nothing_more(),
            first_chunk=text,
            first_chunk_at=now,
            deadline_at=now + _REPLAY_DEADLINE_S,
            monotonic=clock.monotonic,
            on_done=already_recorded,
        )

    def __aiter__(self) -> AsyncIterator[Chunk]:
        if self._iterator is None:
            self._iterator = self._iterate()
        return self._iterator

    async def aclose(self) -> None:
        """Stop early (e.g. the client left): close the upstream stream and record it. Safe to
        call at any time, also before iterating and more than once."""
        if not self._started:  # a generator never started skips its `finally`: do its work
            self._started = True
            outcome = StreamOutcome("", self._first_at, 0.0, error="closed early", cancelled=True)
            await self._finish(outcome, [])
            return
        if self._iterator is not None:
            await self._iterator.aclose()  # type: ignore[attr-defined]

    async def text(self) -> str:
        """Consume the whole stream and return its text."""
        return "".join([chunk_text(part) async for part in self])

    async def _iterate(self) -> AsyncIterator[Chunk]:
        if self._started:  # closed before it began: nothing more to give
            return
        self._started = True
        parts: list[Chunk] = []
        outcome = StreamOutcome("", self._first_at, 0.0, error="closed early", cancelled=True)
        try:
            if self._first:
                parts.append(self._first)
                yield self._first
            async for part in self._rest():
                parts.append(part)
                yield part
            outcome.error, outcome.cancelled = "", False
        except BackendError as exc:
            outcome.error, outcome.cancelled = f"failed mid-stream: {exc}", False
            raise
        finally:
            await self._finish(outcome, parts)

    async def _finish(self, outcome: StreamOutcome, parts: list[Chunk]) -> None:
        """Close the upstream stream and report the outcome (once)."""
        with contextlib.suppress(BackendError, TimeoutError):
            await self._chunks.aclose()  # type: ignore[attr-defined]
        text = "".join([chunk_text(p) for p in parts])
        outcome.text, outcome.finished_at = text, self._monotonic()
        await self._on_done(outcome)

    async def _rest(self) -> AsyncIterator[Chunk]:
        """The chunks after the first, each within what is left of the request's deadline."""
        while True:
            remaining_s = self._deadline_at - self._monotonic()
            try:
                async with asyncio.timeout(max(remaining_s, 0.0)):
                    part = await anext(self._chunks)
            except StopAsyncIteration:
                return
            except TimeoutError as exc:
                raise BackendTimeout(
                    "stream ran past the request deadline",
                    tier=self.endpoint.tier.value,
                    endpoint=self.endpoint.id,
                ) from exc
            if part:
                yield part
