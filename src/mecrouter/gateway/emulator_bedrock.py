"""The tier emulator's Amazon Bedrock face: the Converse API on the wire, offline.

``mecrouter emulate --api bedrock`` serves ``POST /model/{modelId}/converse`` (JSON) and
``POST /model/{modelId}/converse-stream`` (AWS event stream, ``application/vnd.amazon.eventstream``)
so that an unmodified boto3 ``bedrock-runtime`` client, given ``endpoint_url`` and any credentials,
talks to the emulated endpoints as it would to Bedrock: its request is SigV4-signed (the signature
is required, not verified), its errors are parsed from ``x-amzn-ErrorType`` and its stream by
botocore's own event-stream decoder, which checks every CRC.

Shapes follow the Converse API reference: a request has ``messages`` (role and content blocks),
optional ``system`` blocks and ``inferenceConfig`` (maxTokens, temperature, topP, stopSequences);
an answer has ``output.message``, ``stopReason``, ``usage`` and ``metrics.latencyMs``; a stream is
messageStart, contentBlockDelta..., contentBlockStop, messageStop, metadata. Text content is
emulated, and a forced tool (``toolChoice.tool``, how a JSON answer is asked for), whose input
the emulated model writes to the tool's schema; other tool use and images are refused with a
ValidationException naming the field.

The event-stream encoder is written here (a prelude of total and header lengths with its CRC32,
string headers, the JSON payload and a CRC32 of the whole message): botocore ships a decoder only,
and the AWS CRT's encoder would add a native dependency for thirty lines.
"""

from __future__ import annotations

import secrets
import struct
import time
import zlib
from collections.abc import AsyncGenerator, Iterable
from typing import Any, Final, Literal, cast

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator
from starlette.requests import Request
from starlette.responses import Response, StreamingResponse

from mecrouter.backends.base import Chunk, GenerationOptions, GenerationRequest, chunk_text
from mecrouter.backends.emulated import EmulatedBackend
from mecrouter.errors import BackendError, BackendUnavailable
from mecrouter.gateway.wire import dumps

__all__ = [
    "EVENT_STREAM_TYPE",
    "ConverseRequest",
    "converse",
    "converse_stream",
    "event_message",
]

EVENT_STREAM_TYPE: Final = "application/vnd.amazon.eventstream"
_JSON_TYPE: Final = "application/json"
_STRING: Final = 7  # the event-stream header value type of a UTF-8 string
_STOP_REASONS: Final = {
    "stop": "end_turn",
    "length": "max_tokens",
    "tool_calls": "tool_use",
    "content_filter": "content_filtered",
}
_DEFAULT_MAX_TOKENS: Final = 512
_CHARS_PER_TOKEN: Final = 4


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class _TextBlock(_Strict):
    text: str


class ConverseMessage(_Strict):
    role: Literal["user", "assistant"]
    content: list[_TextBlock] = Field(min_length=1)


class InferenceConfig(_Strict):
    maxTokens: int | None = Field(default=None, ge=1)
    temperature: float | None = Field(default=None, ge=0.0, le=1.0)
    topP: float | None = Field(default=None, ge=0.0, le=1.0)
    stopSequences: list[str] = Field(default_factory=list, max_length=4)


class _ToolSpec(_Strict):
    name: str = Field(min_length=1)
    description: str | None = None
    inputSchema: dict[str, Any]


class _Tool(_Strict):
    toolSpec: _ToolSpec


class ToolConfig(_Strict):
    """Only a forced tool is emulated (how JSON answers are asked for): its input is the
    answer, shaped by its schema."""

    tools: list[_Tool] = Field(min_length=1)
    toolChoice: dict[str, Any] | None = None

    def forced(self) -> _ToolSpec:
        name = ((self.toolChoice or {}).get("tool") or {}).get("name")
        for tool in self.tools:
            if tool.toolSpec.name == name:
                return tool.toolSpec
        raise ValueError("only a forced tool (toolChoice.tool naming one of tools) is emulated")


class ConverseRequest(_Strict):
    """The body of ``converse`` and ``converse-stream`` (text content, a forced tool)."""

    messages: list[ConverseMessage] = Field(min_length=1)
    system: list[_TextBlock] = Field(default_factory=list)
    inferenceConfig: InferenceConfig = Field(default_factory=InferenceConfig)
    toolConfig: ToolConfig | None = None
    additionalModelRequestFields: dict[str, Any] | None = None

    @model_validator(mode="after")
    def _tool_is_forced(self) -> ConverseRequest:
        if self.toolConfig is not None:
            self.toolConfig.forced()
        return self

    def forced_tool(self) -> _ToolSpec | None:
        return None if self.toolConfig is None else self.toolConfig.forced()

    def prompt(self) -> str:
        blocks = [b.text for b in self.system]
        blocks += [b.text for m in self.messages for b in m.content]
        return "\n".join(blocks)


# ------------------------------------------------------------------------------ event stream


def event_message(
    payload: dict[str, Any], *, event_type: str, message_type: str = "event"
) -> bytes:
    """One AWS event-stream message: ``:event-type`` (or ``:exception-type`` when
    `message_type` is "exception"), ``:content-type`` and ``:message-type`` headers, a JSON
    payload, and the prelude and message CRC32s botocore checks."""
    kind = ":exception-type" if message_type == "exception" else ":event-type"
    headers = _headers(
        ((kind, event_type), (":content-type", _JSON_TYPE), (":message-type", message_type))
    )
    body = dumps(payload)
    prelude = struct.pack(">II", 12 + len(headers) + len(body) + 4, len(headers))
    message = prelude + struct.pack(">I", zlib.crc32(prelude)) + headers + body
    return message + struct.pack(">I", zlib.crc32(message))


def _headers(pairs: Iterable[tuple[str, str]]) -> bytes:
    out = bytearray()
    for name, value in pairs:
        raw_name, raw_value = name.encode(), value.encode()
        out += struct.pack(">B", len(raw_name)) + raw_name
        out += struct.pack(">BH", _STRING, len(raw_value)) + raw_value
    return bytes(out)


# ------------------------------------------------------------------------------ errors


def aws_error(status: int, error_type: str, message: str) -> Response:
    """An error as Bedrock's restJson1 protocol writes it: botocore reads ``x-amzn-ErrorType``."""
    headers = {"x-amzn-ErrorType": f"{error_type}:", "x-amzn-RequestId": secrets.token_hex(16)}
    return Response(
        dumps({"message": message}), status_code=status, media_type=_JSON_TYPE, headers=headers
    )


def _validation_error(exc: ValidationError) -> Response:
    first = exc.errors()[0]
    field = ".".join(str(part) for part in first["loc"]) or "body"
    return aws_error(400, "ValidationException", f"{field}: {first['msg']}")


def _backend_error(exc: BackendError) -> tuple[int, str]:
    if isinstance(exc, BackendUnavailable):
        return 503, "ServiceUnavailableException"
    if exc.status == 429:
        return 429, "ThrottlingException"
    return 500, "InternalServerException"


def _unsigned(request: Request) -> Response | None:
    """Bedrock answers an unsigned call 403; the signature itself is not checked here."""
    if request.headers.get("authorization", "").startswith("AWS4-HMAC-SHA256 "):
        return None
    return aws_error(403, "AccessDeniedException", "the request is not signed with SigV4")


# ------------------------------------------------------------------------------ handlers


async def _parse(request: Request) -> ConverseRequest | Response:
    refused = _unsigned(request)
    if refused is not None:
        return refused
    try:
        return ConverseRequest.model_validate_json(await request.body())
    except ValidationError as exc:
        return _validation_error(exc)


def _call(request: Request, body: ConverseRequest, model: str, rtt_ms: float) -> GenerationRequest:
    config = body.inferenceConfig
    stop = tuple(config.stopSequences)
    tool = body.forced_tool()
    response_format = None
    if tool is not None:  # the emulated model answers the tool's schema as JSON
        schema = tool.inputSchema.get("json") or {"type": "object"}
        response_format = {
            "type": "json_schema",
            "json_schema": {"name": tool.name, "schema": schema},
        }
    options = GenerationOptions(stop=stop, response_format=response_format)
    return GenerationRequest(
        request_id=request.headers.get("x-request-id") or secrets.token_hex(8),
        prompt=body.prompt(),
        model=model,
        max_tokens=config.maxTokens or _DEFAULT_MAX_TOKENS,
        temperature=config.temperature,
        top_p=config.topP,
        network_rtt_ms=rtt_ms,
        options=options if stop or tool is not None else None,
    )


async def converse(
    request: Request, backend: EmulatedBackend | None, model: str, rtt_ms: float
) -> Response:
    """``POST /model/{modelId}/converse``: the whole answer as one JSON document."""
    parsed = await _parse(request)
    if isinstance(parsed, Response):
        return parsed
    if backend is None:
        return aws_error(404, "ResourceNotFoundException", f"model {model!r} is not served here")
    started = time.perf_counter()
    try:
        generation = await backend.generate(_call(request, parsed, model, rtt_ms))
    except BackendError as exc:
        return aws_error(*_backend_error(exc), str(exc))
    tool = parsed.forced_tool()
    content: dict[str, Any] = {"text": generation.text}
    stop_reason = _STOP_REASONS.get(generation.finish_reason, "end_turn")
    if tool is not None:
        use = {
            "toolUseId": _tool_use_id(),
            "name": tool.name,
            "input": orjson.loads(generation.text),
        }
        content, stop_reason = {"toolUse": use}, "tool_use"
    body = {
        "output": {"message": {"role": "assistant", "content": [content]}},
        "stopReason": stop_reason,
        "usage": _usage(generation.input_tokens, generation.output_tokens),
        "metrics": {"latencyMs": round((time.perf_counter() - started) * 1000)},
    }
    return Response(dumps(body), media_type=_JSON_TYPE)


async def converse_stream(
    request: Request, backend: EmulatedBackend | None, model: str, rtt_ms: float
) -> Response:
    """``POST /model/{modelId}/converse-stream``: the answer as event-stream messages. A failure
    before the first token is an HTTP error; after it, an exception message ends the stream."""
    parsed = await _parse(request)
    if isinstance(parsed, Response):
        return parsed
    if backend is None:
        return aws_error(404, "ResourceNotFoundException", f"model {model!r} is not served here")
    call = _call(request, parsed, model, rtt_ms)
    upstream = cast(AsyncGenerator[Chunk, None], backend.stream(call))
    started = time.perf_counter()
    try:
        first = await anext(upstream, None)
    except BackendError as exc:
        await upstream.aclose()
        return aws_error(*_backend_error(exc), str(exc))
    prompt_tokens = max(1, len(call.prompt) // _CHARS_PER_TOKEN)
    tool = parsed.forced_tool()
    events = _events(first, upstream, prompt_tokens, started, None if tool is None else tool.name)
    return StreamingResponse(events, media_type=EVENT_STREAM_TYPE)


async def _events(
    first: Chunk | None,
    upstream: AsyncGenerator[Chunk, None],
    prompt_tokens: int,
    started: float,
    tool: str | None = None,
) -> AsyncGenerator[bytes, None]:
    """messageStart, the content block (text, or a forced tool's input), messageStop and
    metadata."""
    yield event_message({"role": "assistant"}, event_type="messageStart")
    if tool is not None:
        start = {
            "contentBlockIndex": 0,
            "start": {"toolUse": {"toolUseId": _tool_use_id(), "name": tool}},
        }
        yield event_message(start, event_type="contentBlockStart")
    tokens, finish = 0, ("tool_calls" if tool is not None else "stop")
    try:
        part = first
        while part is not None:
            if not isinstance(part, str) and tool is None:
                finish = part.finish_reason or finish
            text = chunk_text(part)
            if text:
                tokens += len(text.split())
                piece = {"toolUse": {"input": text}} if tool is not None else {"text": text}
                delta = {"contentBlockIndex": 0, "delta": piece}
                yield event_message(delta, event_type="contentBlockDelta")
            part = await anext(upstream, None)
    except BackendError as exc:
        failure = {"message": str(exc), "originalStatusCode": _backend_error(exc)[0]}
        yield event_message(
            failure, event_type="modelStreamErrorException", message_type="exception"
        )
        return
    finally:
        await upstream.aclose()
    yield event_message({"contentBlockIndex": 0}, event_type="contentBlockStop")
    stop = {"stopReason": _STOP_REASONS.get(finish, "end_turn")}
    yield event_message(stop, event_type="messageStop")
    metadata = {
        "usage": _usage(prompt_tokens, tokens),
        "metrics": {"latencyMs": round((time.perf_counter() - started) * 1000)},
    }
    yield event_message(metadata, event_type="metadata")


def _tool_use_id() -> str:
    return f"tooluse_{secrets.token_hex(11)}"


def _usage(input_tokens: int, output_tokens: int) -> dict[str, int]:
    return {
        "inputTokens": input_tokens,
        "outputTokens": output_tokens,
        "totalTokens": input_tokens + output_tokens,
    }
