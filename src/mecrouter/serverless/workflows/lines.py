"""One line of a batch file: an OpenAI chat completion request, to an `InferenceRequest`.

A line is the body the gateway's ``POST /v1/chat/completions`` accepts, with mecrouter's routing
hints under ``routing`` (``use_case``, ``latency_slo_ms``, ``privacy``, ``device``...), or an
OpenAI Batch API line (``{"custom_id", "method", "url", "body"}``) around such a body, whose
``custom_id`` is kept in the results. The gateway's own translation (`gateway.translate`) sits in
a layer above this package, so the mapping here is the plain one: OpenAI's generation options to
the request's fields, and `mecrouter.types.parse_request` for the validation. Streaming is
refused: a batch's answers go to a file.
"""

from __future__ import annotations

import json
from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any, Final

from mecrouter.errors import InvalidRequestError
from mecrouter.types import InferenceRequest, parse_request

__all__ = ["BatchLine", "parse_line"]

# OpenAI's name -> the request's field
_OPTIONS: Final = {
    "model": "model",
    "max_tokens": "max_tokens",
    "max_completion_tokens": "max_tokens",
    "temperature": "temperature",
    "top_p": "top_p",
    "stop": "stop",
    "seed": "seed",
    "n": "n",
    "tools": "tools",
    "tool_choice": "tool_choice",
    "response_format": "response_format",
    "logprobs": "logprobs",
    "top_logprobs": "top_logprobs",
    "user": "end_user",
}
# routing hint -> the request's field (the gateway's `extra_body={"routing": ...}`)
_HINTS: Final = {
    "use_case": "use_case",
    "latency_slo_ms": "latency_slo_ms",
    "latency_requirement": "latency_requirement",
    "cost_budget": "cost_budget",
    "privacy": "privacy",
    "device": "device_info",
    "region": "region",
    "allowed_tiers": "allowed_tiers",
    "complexity_hint": "complexity_hint",
}
_CHAT_URL: Final = "/v1/chat/completions"


@dataclass(frozen=True)
class BatchLine:
    """A line that parsed: its number (from 1), the request, and the caller's ``custom_id``."""

    number: int
    request: InferenceRequest
    custom_id: str | None = None


def parse_line(raw: bytes, number: int, use_cases: Collection[str], request_id: str) -> BatchLine:
    """The request on line ``number``; `InvalidRequestError` naming the field if it is not one.
    ``request_id`` is used unless the line's body names its own (``metadata.request_id``)."""
    try:
        data = json.loads(raw)
    except json.JSONDecodeError as exc:
        raise InvalidRequestError("line", f"not JSON ({exc.msg})") from None
    except ValueError:  # bytes that are not UTF-8
        raise InvalidRequestError("line", "not UTF-8 text") from None
    if not isinstance(data, dict):
        raise InvalidRequestError("line", "not a JSON object")
    custom_id: str | None = None
    if "body" in data and "messages" not in data:
        custom_id, data = _batch_api_body(data)
    fields = _request_fields(data)
    fields.setdefault("request_id", request_id)
    return BatchLine(number, parse_request(fields, use_cases), custom_id)


def _batch_api_body(line: Mapping[str, Any]) -> tuple[str | None, dict[str, Any]]:
    url = line.get("url", _CHAT_URL)
    if url != _CHAT_URL:
        raise InvalidRequestError("url", f"{url!r}: a batch routes {_CHAT_URL} requests only")
    body = line["body"]
    if not isinstance(body, dict):
        raise InvalidRequestError("body", "not a JSON object")
    custom_id = line.get("custom_id")
    return (None if custom_id is None else str(custom_id)), body


def _request_fields(body: Mapping[str, Any]) -> dict[str, Any]:
    """The `InferenceRequest` fields of an OpenAI chat body; unknown names are refused."""
    if body.get("stream"):
        raise InvalidRequestError("stream", "a batch cannot stream; leave it out or false")
    messages = body.get("messages")
    if not isinstance(messages, list) or not messages:
        raise InvalidRequestError("messages", "a non-empty list of messages is required")
    fields: dict[str, Any] = {"messages": [_message(m, i) for i, m in enumerate(messages)]}
    for name, value in body.items():
        if name in ("messages", "stream", "stream_options") or value is None:
            continue
        if name == "routing":
            fields.update(_hint_fields(value))
        elif name == "metadata" and isinstance(value, dict) and "request_id" in value:
            fields["request_id"] = str(value["request_id"])
        elif name in _OPTIONS:
            fields[_OPTIONS[name]] = [value] if name == "stop" and isinstance(value, str) else value
        else:
            raise InvalidRequestError(name, "not a chat completion option a batch accepts")
    return fields


def _hint_fields(hints: Any) -> dict[str, Any]:
    if not isinstance(hints, dict):
        raise InvalidRequestError("routing", "not a JSON object")
    unknown = sorted(set(hints) - set(_HINTS))
    if unknown:
        known = ", ".join(_HINTS)
        raise InvalidRequestError(f"routing.{unknown[0]}", f"not a routing hint (known: {known})")
    return {_HINTS[name]: value for name, value in hints.items() if value is not None}


def _message(message: Any, index: int) -> dict[str, Any]:
    """A chat message with its content as text (a list of text parts joined)."""
    if not isinstance(message, dict):
        raise InvalidRequestError(f"messages[{index}]", "not a JSON object")
    content = message.get("content")
    if isinstance(content, list):
        texts = [p.get("text") for p in content if isinstance(p, dict) and p.get("type") == "text"]
        if len(texts) != len(content) or not all(isinstance(t, str) for t in texts):
            raise InvalidRequestError(f"messages[{index}].content", "only text parts are routed")
        content = "\n".join(str(t) for t in texts)
    return {**message, "content": "" if content is None else content}
