"""The OpenAI chat-completions wire format, shared by the gateway and the tier emulator.

Requests are validated with pydantic (unknown fields are ignored, as OpenAI-compatible servers
do, so newer SDKs keep working); responses are plain dicts serialised with orjson, because
building a pydantic model per streamed chunk would cost more than the routing decision. Errors
use OpenAI's shape, ``{"error": {"message", "type", "param", "code"}}``, so any OpenAI client
shows them as it would its own.
"""

from __future__ import annotations

import secrets
import time
from collections.abc import Sequence
from typing import Any, Literal

import orjson
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from mecrouter.types import Generation, StreamDelta

__all__ = [
    "SSE_DONE",
    "ChatCompletionRequest",
    "ChatMessage",
    "FeedbackRequest",
    "StreamOptions",
    "choice",
    "choices_of",
    "chunk",
    "completion",
    "completion_id",
    "delta_chunk",
    "dumps",
    "error_body",
    "sse",
    "validation_error",
]

SSE_DONE = b"data: [DONE]\n\n"


_FUNCTION_NAME = r"^[a-zA-Z0-9_-]{1,64}$"


class FunctionSpec(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = Field(pattern=_FUNCTION_NAME)
    description: str | None = None
    parameters: dict[str, Any] | None = None
    strict: bool | None = None


class ToolSpec(BaseModel):
    """One tool the model may call (OpenAI has only ``function`` tools on chat completions)."""

    model_config = ConfigDict(extra="ignore")
    type: Literal["function"]
    function: FunctionSpec


class NamedFunction(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = Field(pattern=_FUNCTION_NAME)


class NamedToolChoice(BaseModel):
    model_config = ConfigDict(extra="ignore")
    type: Literal["function"]
    function: NamedFunction


class JsonSchemaFormat(BaseModel):
    model_config = ConfigDict(extra="ignore")
    name: str = Field(pattern=_FUNCTION_NAME)
    description: str | None = None
    schema_: dict[str, Any] | None = Field(default=None, alias="schema")
    strict: bool | None = None


class ResponseFormat(BaseModel):
    """``text``, ``json_object`` (JSON mode) or ``json_schema`` (structured output)."""

    model_config = ConfigDict(extra="ignore")
    type: Literal["text", "json_object", "json_schema"]
    json_schema: JsonSchemaFormat | None = None

    @model_validator(mode="after")
    def _schema_given(self) -> ResponseFormat:
        if self.type == "json_schema" and self.json_schema is None:
            raise ValueError("json_schema is required when type is 'json_schema'")
        return self


class ChatMessage(BaseModel):
    """One message; ``content`` may be a string or a list of OpenAI content parts. An
    assistant message may carry the tool calls it made; a ``tool`` message answers one."""

    model_config = ConfigDict(extra="ignore")
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict[str, Any]] | None = None
    name: str | None = None
    tool_calls: list[dict[str, Any]] | None = Field(default=None, max_length=128)
    tool_call_id: str | None = Field(default=None, max_length=256)

    def text(self) -> str:
        """The message's text: string content, or its text parts joined (images are ignored)."""
        if isinstance(self.content, str):
            return self.content
        if not self.content:
            return ""
        return "".join(str(p.get("text", "")) for p in self.content if p.get("type") == "text")


class StreamOptions(BaseModel):
    model_config = ConfigDict(extra="ignore")
    include_usage: bool = False


class FeedbackRequest(BaseModel):
    """`POST /v1/feedback`: a user's judgement of the answer a decision produced."""

    model_config = ConfigDict(extra="forbid")
    decision_id: str = Field(min_length=1, max_length=256)
    score: float = Field(ge=0.0, le=1.0, strict=False)  # 1 = good answer, 0 = bad


class ChatCompletionRequest(BaseModel):
    """The fields of a chat completion request that mecrouter reads; others are ignored."""

    model_config = ConfigDict(extra="ignore")
    model: str = Field(min_length=1, max_length=256)
    messages: list[ChatMessage] = Field(min_length=1, max_length=1_000)
    max_tokens: int | None = Field(default=None, gt=0, le=1_000_000)
    max_completion_tokens: int | None = Field(default=None, gt=0, le=1_000_000)
    temperature: float | None = Field(default=None, ge=0.0, le=2.0)
    top_p: float | None = Field(default=None, ge=0.0, le=1.0)
    n: int = Field(default=1, ge=1, le=8)
    stream: bool = False
    stream_options: StreamOptions | None = None
    user: str | None = Field(default=None, max_length=256)
    tools: list[ToolSpec] | None = Field(default=None, max_length=128)
    tool_choice: Literal["none", "auto", "required"] | NamedToolChoice | None = None
    response_format: ResponseFormat | None = None
    stop: str | list[str] | None = None
    seed: int | None = Field(default=None, ge=-(2**63), le=2**63 - 1)
    logprobs: bool = False
    top_logprobs: int | None = Field(default=None, ge=0, le=20)
    routing: dict[str, Any] | None = None  # mecrouter's extension (extra_body={"routing": ...})

    @field_validator("messages")
    @classmethod
    def _some_text(cls, messages: list[ChatMessage]) -> list[ChatMessage]:
        if not any(m.text().strip() for m in messages):
            raise ValueError("at least one message must have text content")
        return messages

    @field_validator("stop")
    @classmethod
    def _stop_sequences(cls, stop: str | list[str] | None) -> str | list[str] | None:
        sequences = [stop] if isinstance(stop, str) else stop or []
        if len(sequences) > _MAX_STOP or any(not s for s in sequences):
            raise ValueError(f"at most {_MAX_STOP} non-empty stop sequences")
        return stop

    @model_validator(mode="after")
    def _consistent(self) -> ChatCompletionRequest:
        """Options that only make sense together, reported as OpenAI does (naming the field)."""
        both = self.max_tokens and self.max_completion_tokens
        if both and self.max_tokens != self.max_completion_tokens:
            raise _field_error("max_completion_tokens", "differs from max_tokens; send one")
        if self.top_logprobs is not None and not self.logprobs:
            raise _field_error("top_logprobs", "requires logprobs to be true")
        if self.tool_choice is not None and not self.tools:
            raise _field_error("tool_choice", "is only allowed when tools are given")
        if isinstance(self.tool_choice, NamedToolChoice) and self.tools:
            names = {t.function.name for t in self.tools}
            if self.tool_choice.function.name not in names:
                raise _field_error("tool_choice", "names a function that is not in tools")
        if self.stream and self.n > 1:
            raise _field_error("n", "must be 1 when streaming")
        return self

    @property
    def stop_sequences(self) -> list[str]:
        return [self.stop] if isinstance(self.stop, str) else list(self.stop or ())

    @property
    def output_tokens(self) -> int | None:
        """``max_completion_tokens`` (the newer name) wins over ``max_tokens``."""
        return self.max_completion_tokens or self.max_tokens

    @property
    def include_usage(self) -> bool:
        return self.stream_options is not None and self.stream_options.include_usage


_MAX_STOP = 4


def _field_error(field: str, message: str) -> PydanticCustomError:
    """A whole-body check's problem, reported under the field it is about."""
    return PydanticCustomError(
        "field_conflict", "{field}: {message}", {"field": field, "message": message}
    )


def completion_id() -> str:
    return f"chatcmpl-{secrets.token_hex(12)}"


def completion(
    cid: str,
    model: str,
    text: str,
    *,
    prompt_tokens: int,
    completion_tokens: int,
    finish_reason: str = "stop",
    created: int | None = None,
    choices: list[dict[str, Any]] | None = None,
) -> dict[str, Any]:
    """A whole ``chat.completion`` object: one text answer, or the given ``choices``."""
    return {
        "id": cid,
        "object": "chat.completion",
        "created": int(time.time()) if created is None else created,
        "model": model,
        "choices": choices or [choice(0, text, finish_reason)],
        "usage": usage(prompt_tokens, completion_tokens),
        "system_fingerprint": None,
    }


def choice(
    index: int,
    text: str,
    finish_reason: str,
    tool_calls: Sequence[dict[str, Any]] = (),
    logprobs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One choice of a completion; with tool calls its content is null, as OpenAI's is."""
    message: dict[str, Any] = {"role": "assistant", "content": text}
    if tool_calls:
        message["content"] = text or None
        message["tool_calls"] = list(tool_calls)
    return {
        "index": index,
        "message": message,
        "finish_reason": finish_reason,
        "logprobs": logprobs,
    }


def choices_of(gen: Generation) -> list[dict[str, Any]]:
    """The choices of a backend's answer (several when the request asked for ``n``)."""
    first = choice(0, gen.text, gen.finish_reason, gen.tool_calls, gen.logprobs)
    more = [
        choice(i, c.text, c.finish_reason, c.tool_calls, c.logprobs)
        for i, c in enumerate(gen.more_choices, start=1)
    ]
    return [first, *more]


def usage(prompt_tokens: int, completion_tokens: int) -> dict[str, int]:
    return {
        "prompt_tokens": prompt_tokens,
        "completion_tokens": completion_tokens,
        "total_tokens": prompt_tokens + completion_tokens,
    }


def chunk(
    cid: str,
    model: str,
    created: int,
    *,
    content: str | None = None,
    role: str | None = None,
    finish_reason: str | None = None,
    usage_: dict[str, int] | None = None,
    tool_calls: Sequence[dict[str, Any]] = (),
    logprobs: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One ``chat.completion.chunk``. With ``usage_`` it is the final usage-only chunk (empty
    ``choices``), as OpenAI sends when ``stream_options.include_usage`` is set."""
    body: dict[str, Any] = {
        "id": cid,
        "object": "chat.completion.chunk",
        "created": created,
        "model": model,
        "system_fingerprint": None,
    }
    if usage_ is not None:
        body["choices"] = []
        body["usage"] = usage_
        return body
    delta: dict[str, Any] = {}
    if role is not None:
        delta["role"] = role
    if content is not None:
        delta["content"] = content
    if tool_calls:
        delta["tool_calls"] = list(tool_calls)
    body["choices"] = [
        {"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": logprobs}
    ]
    return body


def delta_chunk(cid: str, model: str, created: int, part: str | StreamDelta) -> dict[str, Any]:
    """The chunk of one streamed part: text, or a `StreamDelta`'s tool calls and logprobs."""
    if isinstance(part, str):
        return chunk(cid, model, created, content=part)
    return chunk(
        cid,
        model,
        created,
        content=part.content or None,
        tool_calls=part.tool_calls,
        logprobs=part.logprobs,
    )


def sse(obj: dict[str, Any]) -> bytes:
    """One server-sent event carrying ``obj`` as JSON."""
    return b"data: " + orjson.dumps(obj) + b"\n\n"


def dumps(obj: Any) -> bytes:
    return orjson.dumps(obj)


def error_body(
    message: str,
    *,
    type_: str = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
) -> dict[str, Any]:
    """OpenAI's error shape; ``param`` names the offending field."""
    return {"error": {"message": message, "type": type_, "param": param, "code": code}}


def validation_error(exc: ValidationError) -> tuple[str, str | None, str]:
    """(message, param, code) of a body's first validation problem, for a 400 error body:
    ``invalid_json`` for unparsable JSON, else ``invalid_value`` naming the field."""
    first = exc.errors(include_url=False, include_input=False)[0]
    if first["type"] == "json_invalid":
        return f"the body is not valid JSON: {first['msg']}", None, "invalid_json"
    if first["type"] == "field_conflict":  # a whole-body check naming its field
        return first["msg"], str(first.get("ctx", {}).get("field")), "invalid_value"
    param = ".".join(str(part) for part in first["loc"]) or None
    return f"{param or 'body'}: {first['msg']}", param, "invalid_value"
