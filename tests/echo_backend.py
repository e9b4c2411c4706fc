"""A backend for tests that answers with the last message it was sent and keeps every request
(`seen`): what an endpoint received is then visible, e.g. whether it got placeholders."""

from __future__ import annotations

from collections.abc import AsyncIterator

from mecrouter.backends.base import Chunk, GenerationRequest
from mecrouter.types import Generation, StreamDelta


class Echo:
    """Echoes the last message; streams it in `chunk`-character pieces (so placeholders arrive
    split) then a finish; appends each request to `seen`."""

    def __init__(self, seen: list[GenerationRequest] | None = None, chunk: int = 3) -> None:
        self.seen: list[GenerationRequest] = [] if seen is None else seen
        self.chunk = chunk

    async def generate(self, request: GenerationRequest) -> Generation:
        self.seen.append(request)
        return Generation(request.messages[-1].content, request.model, 10, 10, 1.0, 1.0)

    async def stream(self, request: GenerationRequest) -> AsyncIterator[Chunk]:
        self.seen.append(request)
        text = request.messages[-1].content
        for i in range(0, len(text), self.chunk):
            yield text[i : i + self.chunk]
        yield StreamDelta(finish_reason="stop")

    async def aclose(self) -> None:
        return None
