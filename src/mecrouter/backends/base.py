"""The contract every inference backend implements.

A backend runs inference for one endpoint (one model at one place). Subclasses/implementations
override three methods:

- ``generate(request)``: one whole completion. Raise a ``BackendError`` subclass on failure
  (``BackendUnavailable`` when the endpoint cannot be reached, ``BackendStatusError`` for an error
  answer, ``BackendTimeout`` when its own timeout fires); never let a library exception escape.
- ``stream(request)``: the same completion as an async iterator of chunks: ``str`` for text, a
  ``StreamDelta`` for what text cannot carry (tool-call fragments, logprobs, finish reason).
- Honour ``request.options`` (OpenAI's tools, response_format, stop, seed, logprobs, n, user)
  or translate them to the upstream's format; the router sends an endpoint only the options its
  config says it supports (``EndpointConfig.supports``).
- ``aclose()``: release connections. Must be idempotent.

Deadlines are the caller's: the pipeline wraps calls in ``asyncio.timeout`` and a backend must
leave cancellation alone (clean up and re-raise ``CancelledError``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Any, Protocol, TypeAlias, runtime_checkable

from mecrouter.types import (
    Generation,
    InferenceRequest,
    Message,
    StreamDelta,
    required_capabilities,
)

__all__ = [
    "Backend",
    "Chunk",
    "GenerationOptions",
    "GenerationRequest",
    "chunk_text",
    "generation_options",
]

Chunk: TypeAlias = str | StreamDelta


def chunk_text(part: Chunk) -> str:
    """The text a streamed chunk carries."""
    return part if isinstance(part, str) else part.content


@dataclass(slots=True, frozen=True)
class GenerationOptions:
    """OpenAI's generation options of one request, in OpenAI's shapes (None/empty: not set)."""

    tools: tuple[dict[str, Any], ...] = ()
    tool_choice: str | dict[str, Any] | None = None
    response_format: dict[str, Any] | None = None
    stop: tuple[str, ...] = ()
    seed: int | None = None
    logprobs: bool = False
    top_logprobs: int | None = None
    n: int = 1
    end_user: str | None = None  # OpenAI's ``user``

    def openai_fields(self) -> dict[str, Any]:
        """The options as fields of an OpenAI request body (only those set)."""
        fields: dict[str, Any] = {
            "tools": list(self.tools),
            "tool_choice": self.tool_choice,
            "response_format": self.response_format,
            "stop": list(self.stop),
            "seed": self.seed,
            "logprobs": self.logprobs,
            "top_logprobs": self.top_logprobs,
            "n": self.n if self.n > 1 else None,
            "user": self.end_user,
        }
        return {k: v for k, v in fields.items() if v not in (None, [], False)}


def generation_options(req: InferenceRequest) -> GenerationOptions | None:
    """`req`'s options for the backend; None (the common case, one test) when it sets none."""
    if req.end_user is None and not required_capabilities(req):
        return None
    return GenerationOptions(
        tools=req.tools,
        tool_choice=req.tool_choice,
        response_format=req.response_format,
        stop=req.stop,
        seed=req.seed,
        logprobs=req.logprobs,
        top_logprobs=req.top_logprobs,
        n=req.n,
        end_user=req.end_user,
    )


@dataclass(slots=True, frozen=True)
class GenerationRequest:
    """What a backend is asked to do.

    ``network_rtt_ms`` is the round trip the router expects between the device and this endpoint:
    emulated backends wait it out to stand in for the network; real backends ignore it.
    ``device_id`` names the requesting device (an emulated device-tier endpoint gives each device
    its own capacity).
    """

    request_id: str
    prompt: str
    model: str
    max_tokens: int
    messages: tuple[Message, ...] = ()
    temperature: float | None = None
    top_p: float | None = None
    network_rtt_ms: float = 0.0
    device_id: str = ""
    options: GenerationOptions | None = None


@runtime_checkable
class Backend(Protocol):
    async def generate(self, request: GenerationRequest) -> Generation: ...

    def stream(self, request: GenerationRequest) -> AsyncIterator[Chunk]: ...

    async def aclose(self) -> None: ...
