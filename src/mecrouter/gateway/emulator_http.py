"""How the tier emulator answers one call over HTTP: a completion as JSON or an SSE stream,
backend failures as OpenAI errors with a fitting status, and a call abandoned when its client
leaves (as vLLM aborts a request whose client is gone)."""

from __future__ import annotations

import asyncio
import contextlib
import math
import time
from collections.abc import AsyncGenerator, Coroutine
from dataclasses import dataclass
from typing import Any, Final, TypeVar, cast

from fastapi import Request
from pydantic import ValidationError
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from mecrouter.backends.base import Chunk, GenerationRequest, chunk_text
from mecrouter.backends.emulated import EmulatedBackend
from mecrouter.errors import BackendError, BackendUnavailable
from mecrouter.gateway.wire import (
    SSE_DONE,
    ChatCompletionRequest,
    choices_of,
    chunk,
    completion,
    completion_id,
    delta_chunk,
    dumps,
    error_body,
    sse,
    usage,
    validation_error,
)

__all__ = [
    "ENDPOINT_HEADER",
    "JSON_TYPE",
    "ClientGone",
    "backend_error",
    "complete",
    "error",
    "json_response",
    "stream",
    "validation_error_response",
]

ENDPOINT_HEADER: Final = "x-mecrouter-emulated-endpoint"
JSON_TYPE: Final = "application/json"
_CHARS_PER_TOKEN = 4  # EmulatedBackend's prompt-token estimate, reused for streamed usage
_UNAVAILABLE_RETRY_AFTER_S = 1
_MAX_RECEIVES = 10_000

T = TypeVar("T")


class ClientGone(Exception):
    """The client disconnected before the backend answered."""


async def complete(
    request: Request, backend: EmulatedBackend, call: GenerationRequest, *, watch: bool
) -> Response:
    """The whole answer as one chat completion; `watch` abandons it if the client leaves."""
    work = backend.generate(call)
    generation = await (_unless_disconnected(request, work) if watch else work)
    body = completion(
        completion_id(),
        generation.model,
        generation.text,
        prompt_tokens=generation.input_tokens,
        completion_tokens=generation.output_tokens,
        finish_reason=generation.finish_reason,
        choices=choices_of(generation),
    )
    return Response(
        dumps(body), media_type=JSON_TYPE, headers={ENDPOINT_HEADER: backend.endpoint.id}
    )


async def stream(
    request: Request,
    body: ChatCompletionRequest,
    backend: EmulatedBackend,
    call: GenerationRequest,
    *,
    watch: bool,
) -> Response:
    """Wait for the first chunk, so that a failure before it is still an HTTP error status."""
    upstream = cast(AsyncGenerator[Chunk, None], backend.stream(call))
    work = _first_chunk(upstream)
    first = await (_unless_disconnected(request, work) if watch else work)
    head = _StreamHead(
        cid=completion_id(),
        model=backend.endpoint.model,
        created=int(time.time()),
        include_usage=body.include_usage,
        prompt_tokens=max(1, len(call.prompt) // _CHARS_PER_TOKEN),
    )
    headers = {ENDPOINT_HEADER: backend.endpoint.id, "cache-control": "no-cache"}
    return _EventStream(_events(head, first, upstream), upstream, headers)


class _EventStream(StreamingResponse):
    """An SSE response that closes its event generator and the backend stream whatever happens.

    Starlette cancels the sending task when the client disconnects; if that lands while a chunk
    is being sent, the generator is left suspended and the backend would hold its slot until the
    garbage collector ran. Closing both here releases it at once.
    """

    def __init__(
        self,
        events: AsyncGenerator[bytes, None],
        upstream: AsyncGenerator[Chunk, None],
        headers: dict[str, str],
    ) -> None:
        super().__init__(events, media_type="text/event-stream", headers=headers)
        self._events = events
        self._upstream = upstream

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._events.aclose()
            await self._upstream.aclose()


@dataclass(slots=True, frozen=True)
class _StreamHead:
    """What every chunk of one streamed completion repeats."""

    cid: str
    model: str
    created: int
    include_usage: bool
    prompt_tokens: int


async def _first_chunk(upstream: AsyncGenerator[Chunk, None]) -> Chunk | None:
    try:
        return await anext(upstream)
    except StopAsyncIteration:
        return None


async def _events(
    head: _StreamHead, first: Chunk | None, upstream: AsyncGenerator[Chunk, None]
) -> AsyncGenerator[bytes, None]:
    """Role chunk, content chunks, finish chunk, usage chunk (if asked), ``[DONE]``."""
    cid, model, created = head.cid, head.model, head.created
    async with contextlib.aclosing(upstream):
        yield sse(chunk(cid, model, created, role="assistant", content=""))
        completion_tokens, finish_reason = 0, "stop"
        try:
            async for part in _prepended(first, upstream):
                if not isinstance(part, str):
                    finish_reason = part.finish_reason or finish_reason
                    if not (part.content or part.tool_calls or part.logprobs):
                        continue  # the finish reason goes with the finish chunk
                completion_tokens += len(chunk_text(part).split())
                yield sse(delta_chunk(cid, model, created, part))
        except BackendError as exc:
            yield sse(_backend_error_body(exc)[1])
            return
        yield sse(chunk(cid, model, created, finish_reason=finish_reason))
        if head.include_usage:
            usage_ = usage(head.prompt_tokens, completion_tokens)
            yield sse(chunk(cid, model, created, usage_=usage_))
        yield SSE_DONE


async def _prepended(
    first: Chunk | None, upstream: AsyncGenerator[Chunk, None]
) -> AsyncGenerator[Chunk, None]:
    if first is not None:
        yield first
    async for part in upstream:
        yield part


async def _unless_disconnected(request: Request, work: Coroutine[Any, Any, T]) -> T:
    """Await ``work``, cancelling it (and raising ``ClientGone``) if the client goes first."""
    task = asyncio.create_task(work)
    watcher = asyncio.create_task(_disconnected(request))
    try:
        await asyncio.wait((task, watcher), return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
        if not task.done():
            task.cancel()
            await asyncio.wait((task,))
    if task.cancelled():
        raise ClientGone
    return task.result()


async def _disconnected(request: Request) -> None:
    """Return once the ASGI server reports the client gone (the body is already read)."""
    for _ in range(_MAX_RECEIVES):
        if (await request.receive())["type"] == "http.disconnect":
            return


def json_response(
    body: dict[str, Any], *, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(dumps(body), status_code=status, media_type=JSON_TYPE, headers=headers)


def error(
    status: int,
    message: str,
    *,
    type_: str = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
) -> Response:
    """An OpenAI error response."""
    return json_response(error_body(message, type_=type_, param=param, code=code), status=status)


def validation_error_response(exc: ValidationError) -> Response:
    message, param, code = validation_error(exc)
    return error(400, message, param=param, code=code)


def backend_error(exc: BackendError, endpoint_id: str) -> Response:
    """A backend failure before any answer: its status, with `retry-after` when it is busy."""
    status, body = _backend_error_body(exc)
    headers = {ENDPOINT_HEADER: endpoint_id}
    retry_after_s = exc.retry_after_s
    if retry_after_s is None and status in (429, 503):
        retry_after_s = _UNAVAILABLE_RETRY_AFTER_S
    if retry_after_s is not None:
        headers["retry-after"] = str(max(1, math.ceil(retry_after_s)))
    return json_response(body, status=status, headers=headers)


def _backend_error_body(exc: BackendError) -> tuple[int, dict[str, Any]]:
    """The HTTP status and OpenAI error body standing for a backend failure."""
    if isinstance(exc, BackendUnavailable):
        status, type_, code = 503, "service_unavailable", "endpoint_unavailable"
    else:
        status = exc.status if exc.status is not None and 400 <= exc.status <= 599 else 502
        type_, code = "server_error", "upstream_error"
    return status, error_body(str(exc), type_=type_, param=None, code=code)
