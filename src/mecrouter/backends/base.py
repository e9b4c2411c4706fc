"""The contract every inference backend implements.

A backend runs inference for one endpoint (one model at one place). Subclasses/implementations
override three methods:

- ``generate(request)``: one whole completion. Raise a ``BackendError`` subclass on failure
  (``BackendUnavailable`` when the endpoint cannot be reached, ``BackendStatusError`` for an error
  answer, ``BackendTimeout`` when its own timeout fires); never let a library exception escape.
- ``stream(request)``: the same completion as an async iterator of text chunks.
- ``aclose()``: release connections. Must be idempotent.

Deadlines are the caller's: the pipeline wraps calls in ``asyncio.timeout`` and a backend must
leave cancellation alone (clean up and re-raise ``CancelledError``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import Protocol, runtime_checkable

from mecrouter.types import Generation, Message

__all__ = ["Backend", "GenerationRequest"]


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
    network_rtt_ms: float = 0.0
    device_id: str = ""


@runtime_checkable
class Backend(Protocol):
    async def generate(self, request: GenerationRequest) -> Generation: ...

    def stream(self, request: GenerationRequest) -> AsyncIterator[str]: ...

    async def aclose(self) -> None: ...
