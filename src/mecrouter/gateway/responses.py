"""The gateway's answers in OpenAI's shapes: chat and text completions, and the SSE stream of a
streamed chat completion, each with headers that say where the request went."""

from __future__ import annotations

import time
from collections.abc import AsyncIterator
from typing import Any, Final

from fastapi.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from mecrouter.backends.base import chunk_text
from mecrouter.errors import BackendError
from mecrouter.gateway.admission import charge
from mecrouter.gateway.auth import ApiKey
from mecrouter.gateway.state import GatewayState
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
)
from mecrouter.pipeline import Completion, StreamingCompletion

__all__ = ["completion_response", "routing_headers", "sse_response", "text_completion_response"]

_CHARS_PER_TOKEN: Final = 4


def routing_headers(done: Completion | StreamingCompletion) -> dict[str, str]:
    """Where the request went: tier, model, endpoint, fallbacks used, decision and request id."""
    decision = done.decision
    if isinstance(done, Completion):
        rec = done.record
        tier, model, endpoint, fallbacks = (
            rec.actual_tier,
            rec.actual_model,
            rec.actual_endpoint,
            rec.fallbacks_used,
        )
    else:
        ep = done.endpoint
        tier, model, endpoint, fallbacks = ep.tier.value, ep.model, ep.id, done.fallbacks_used
    return {
        "x-mecrouter-tier": tier,
        "x-mecrouter-model": model,
        "x-mecrouter-endpoint": endpoint,
        "x-mecrouter-fallbacks": str(fallbacks),
        "x-mecrouter-decision-id": decision.decision_id,
        "x-request-id": decision.request_id,
    }


def completion_response(done: Completion) -> Response:
    rec = done.record
    gen = done.generation
    payload = completion(
        completion_id(),
        rec.actual_model,
        done.text,
        prompt_tokens=rec.input_tokens or max(1, len(done.text) // _CHARS_PER_TOKEN),
        completion_tokens=rec.output_tokens,
        finish_reason=gen.finish_reason if gen else "stop",
        choices=choices_of(gen) if gen else None,
    )
    return Response(dumps(payload), media_type="application/json", headers=routing_headers(done))


def text_completion_response(done: Completion) -> Response:
    """The legacy `/v1/completions` body."""
    rec = done.record
    payload: dict[str, Any] = {
        "id": f"cmpl-{completion_id()[9:]}",
        "object": "text_completion",
        "created": int(time.time()),
        "model": rec.actual_model,
        "choices": _text_choices(done),
        "usage": usage(rec.input_tokens, rec.output_tokens),
    }
    return Response(dumps(payload), media_type="application/json", headers=routing_headers(done))


def _text_choices(done: Completion) -> list[dict[str, Any]]:
    """Every choice of the answer (several when the request asked for ``n``), as legacy text."""
    gen = done.generation
    answers = [(done.text, gen.finish_reason if gen else "stop")]
    if gen is not None:
        answers += [(c.text, c.finish_reason) for c in gen.more_choices]
    return [
        {"index": i, "text": text, "finish_reason": finish, "logprobs": None}
        for i, (text, finish) in enumerate(answers)
    ]


class _ClosingStream(StreamingResponse):
    """A streamed response that closes the answer's stream however the response ends: if the
    client leaves before the body starts, the event generator never runs its `finally`."""

    def __init__(self, streamed: StreamingCompletion, events: AsyncIterator[bytes], **kw: Any):
        super().__init__(events, **kw)
        self._streamed = streamed

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._streamed.aclose()  # idempotent: records a stream cut short


def sse_response(
    state: GatewayState,
    key: ApiKey | None,
    body: ChatCompletionRequest,
    streamed: StreamingCompletion,
) -> StreamingResponse:
    return _ClosingStream(
        streamed,
        _sse_events(state, key, body, streamed),
        media_type="text/event-stream",
        headers={**routing_headers(streamed), "cache-control": "no-cache"},
    )


async def _sse_events(
    state: GatewayState,
    key: ApiKey | None,
    body: ChatCompletionRequest,
    streamed: StreamingCompletion,
) -> AsyncIterator[bytes]:
    cid, model, created = completion_id(), streamed.endpoint.model, int(time.time())
    sent: list[str] = []
    finish_reason = "stop"
    try:
        yield sse(chunk(cid, model, created, role="assistant", content=""))
        async for part in streamed:
            if not isinstance(part, str):
                finish_reason = part.finish_reason or finish_reason
                if not (part.content or part.tool_calls or part.logprobs):
                    continue  # only the finish reason, sent with the last chunk
            sent.append(chunk_text(part))
            yield sse(delta_chunk(cid, model, created, part))
    except BackendError as exc:
        state.metrics.error(502, "upstream_failed_mid_stream")
        yield sse(error_body(str(exc), type_="server_error", code="upstream_failed_mid_stream"))
        return
    finally:
        await streamed.aclose()
    # Streams carry no token counts from every upstream: estimate them as the record does.
    prompt_tokens = max(1, sum(len(m.text()) for m in body.messages) // _CHARS_PER_TOKEN)
    completion_tokens = max(1, len("".join(sent)) // _CHARS_PER_TOKEN)
    yield sse(chunk(cid, model, created, finish_reason=finish_reason))
    if body.include_usage:
        yield sse(chunk(cid, model, created, usage_=usage(prompt_tokens, completion_tokens)))
    yield SSE_DONE
    spent = streamed.endpoint.price.cost_usd(prompt_tokens, completion_tokens)
    charge(state, key, spent + streamed.decision.advisor_cost_usd)
