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
from typing import Any, Literal

import orjson
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

__all__ = [
    "SSE_DONE",
    "ChatCompletionRequest",
    "ChatMessage",
    "FeedbackRequest",
    "StreamOptions",
    "chunk",
    "completion",
    "completion_id",
    "dumps",
    "error_body",
    "sse",
    "validation_error",
]

SSE_DONE = b"data: [DONE]\n\n"


class ChatMessage(BaseModel):
    """One message; ``content`` may be a string or a list of OpenAI content parts."""

    model_config = ConfigDict(extra="ignore")
    role: Literal["system", "user", "assistant", "tool", "developer"]
    content: str | list[dict[str, Any]] | None = None
    name: str | None = None

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
    n: int = Field(default=1, ge=1, le=1)
    stream: bool = False
    stream_options: StreamOptions | None = None
    user: str | None = Field(default=None, max_length=256)
    routing: dict[str, Any] | None = None  # mecrouter's extension (extra_body={"routing": ...})

    @field_validator("messages")
    @classmethod
    def _some_text(cls, messages: list[ChatMessage]) -> list[ChatMessage]:
        if not any(m.text().strip() for m in messages):
            raise ValueError("at least one message must have text content")
        return messages

    @property
    def output_tokens(self) -> int | None:
        """``max_completion_tokens`` (the newer name) wins over ``max_tokens``."""
        return self.max_completion_tokens or self.max_tokens

    @property
    def include_usage(self) -> bool:
        return self.stream_options is not None and self.stream_options.include_usage


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
) -> dict[str, Any]:
    """A whole ``chat.completion`` object."""
    return {
        "id": cid,
        "object": "chat.completion",
        "created": int(time.time()) if created is None else created,
        "model": model,
        "choices": [
            {
                "index": 0,
                "message": {"role": "assistant", "content": text},
                "finish_reason": finish_reason,
                "logprobs": None,
            }
        ],
        "usage": usage(prompt_tokens, completion_tokens),
        "system_fingerprint": None,
    }


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
    delta: dict[str, str] = {}
    if role is not None:
        delta["role"] = role
    if content is not None:
        delta["content"] = content
    body["choices"] = [
        {"index": 0, "delta": delta, "finish_reason": finish_reason, "logprobs": None}
    ]
    return body


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
    first = exc.errors(include_url=False, include_context=False, include_input=False)[0]
    if first["type"] == "json_invalid":
        return f"the body is not valid JSON: {first['msg']}", None, "invalid_json"
    param = ".".join(str(part) for part in first["loc"]) or None
    return f"{param or 'body'}: {first['msg']}", param, "invalid_value"
