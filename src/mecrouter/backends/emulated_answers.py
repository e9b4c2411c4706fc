"""What an emulated endpoint answers when a call sets OpenAI's generation options.

Deterministic stand-ins, so that tests can drive the whole OpenAI surface end to end:

- ``tools``: the endpoint calls a tool when ``tool_choice`` names one or is ``required``, or
  (``auto``) when the last user message mentions a tool's name (``get_weather`` or
  "get weather"); its arguments fill the tool's ``parameters`` schema with placeholder values.
  After a ``tool`` message it answers in text, quoting the tool's result.
- ``response_format``: JSON mode answers ``{"answer": <text>}``; a JSON schema gets an object
  with the schema's required properties (all of them when none is required), placeholder-valued.
- ``stop``: the text ends before the first stop sequence.
- ``seed``: the words are drawn from a generator seeded with it (the caller's choice).
- ``logprobs``: each token (a word with its leading space) gets a logprob and, with
  ``top_logprobs``, that many alternatives, the token itself first.
- ``n``: more answers drawn like the first.
"""

from __future__ import annotations

import hashlib
import json
import random
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final

from mecrouter.backends.base import Chunk, GenerationOptions, GenerationRequest
from mecrouter.types import Choice, Generation, StreamDelta

__all__ = ["Answer", "answer_of", "placeholder"]

WordDraw = Callable[[random.Random, int], tuple[str, ...]]

_TOKENS_PER_CHUNK: Final = 4
_ARGUMENT_CHARS_PER_CHUNK: Final = 16
_CHARS_PER_TOKEN: Final = 4
_MAX_SCHEMA_DEPTH: Final = 8
_QUOTED_RESULT_CHARS: Final = 200
_TOKEN: Final = re.compile(r"\s*\S+")


@dataclass(slots=True, frozen=True)
class Answer:
    """One shaped answer: the first choice, and the others when ``n`` asked for several."""

    text: str
    finish_reason: str
    tool_calls: tuple[dict[str, Any], ...]
    logprobs: dict[str, Any] | None
    more: tuple[Choice, ...]
    output_tokens: int

    def generation(
        self, model: str, input_tokens: int, latency_ms: float, ttft_ms: float
    ) -> Generation:
        return Generation(
            text=self.text,
            model=model,
            input_tokens=input_tokens,
            output_tokens=self.output_tokens,
            latency_ms=latency_ms,
            ttft_ms=ttft_ms,
            finish_reason=self.finish_reason,
            tool_calls=self.tool_calls,
            logprobs=self.logprobs,
            more_choices=self.more,
        )

    def chunks(self) -> list[Chunk]:
        """The first choice as a stream: tool-call fragments as OpenAI streams them, or the
        text a few tokens at a time (with their logprobs when asked)."""
        if self.tool_calls:
            return _tool_call_chunks(self.tool_calls[0])
        tokens = _TOKEN.findall(self.text)
        entries = self.logprobs["content"] if self.logprobs else None
        groups = [(0, 1)] + [
            (i, i + _TOKENS_PER_CHUNK) for i in range(1, len(tokens), _TOKENS_PER_CHUNK)
        ]
        out: list[Chunk] = []
        for start, end in groups:
            text = "".join(tokens[start:end])
            if not text:
                continue
            if entries is None:
                out.append(text)
            else:
                out.append(StreamDelta(text, logprobs={"content": entries[start:end]}))
        return out


def answer_of(
    request: GenerationRequest,
    options: GenerationOptions,
    words: tuple[str, ...],
    rng: random.Random,
    draw_words: WordDraw,
) -> Answer:
    """The answer to `request` given its options; `words` is the plain answer already drawn."""
    tool = _tool_to_call(request, options)
    if tool is not None:
        call = _tool_call(tool, request)
        tokens = max(1, len(call["function"]["arguments"]) // _CHARS_PER_TOKEN)
        return Answer("", "tool_calls", (call,), None, (), tokens)
    first = _choice(request, options, words, rng)
    more = tuple(
        _choice(request, options, draw_words(rng, len(words)), rng) for _ in range(options.n - 1)
    )
    tokens = len(_TOKEN.findall(first.text))
    return Answer(first.text, first.finish_reason, (), first.logprobs, more, tokens)


def _choice(
    request: GenerationRequest,
    options: GenerationOptions,
    words: tuple[str, ...],
    rng: random.Random,
) -> Choice:
    text = _text(request, options, " ".join(words))
    cut = _cut(text, options.stop)
    logprobs = _logprobs(cut, options.top_logprobs or 0, rng) if options.logprobs else None
    return Choice(cut, "stop", (), logprobs)


def _text(request: GenerationRequest, options: GenerationOptions, plain: str) -> str:
    last = request.messages[-1] if request.messages else None
    if last is not None and last.role == "tool":
        plain = f"The tool returned: {last.content[:_QUOTED_RESULT_CHARS]}"
    kind = (options.response_format or {}).get("type")
    if kind == "json_object":
        return json.dumps({"answer": plain})
    if kind == "json_schema":
        schema = (options.response_format or {}).get("json_schema", {}).get("schema") or {}
        return json.dumps(placeholder(schema))
    return plain


def _cut(text: str, stop: tuple[str, ...]) -> str:
    at = min((i for i in (text.find(s) for s in stop) if i >= 0), default=len(text))
    return text[:at]


def _tool_to_call(request: GenerationRequest, options: GenerationOptions) -> dict[str, Any] | None:
    """The tool (its ``function``) the endpoint calls, if any."""
    if not options.tools or options.tool_choice == "none":
        return None
    if request.messages and request.messages[-1].role == "tool":
        return None  # the result is in: answer with it
    functions: list[dict[str, Any]] = [t.get("function", {}) for t in options.tools]
    choice = options.tool_choice
    if isinstance(choice, dict):
        wanted = choice.get("function", {}).get("name")
        return next((f for f in functions if f.get("name") == wanted), None)
    if choice == "required":
        return functions[0]
    users = [m.content for m in request.messages if m.role == "user"]
    asked = (users[-1] if users else request.prompt).lower()
    for function in functions:
        name = str(function.get("name", "")).lower()
        if name and (name in asked or name.replace("_", " ") in asked):
            return function
    return None


def _tool_call(function: dict[str, Any], request: GenerationRequest) -> dict[str, Any]:
    name = str(function.get("name", ""))
    arguments = json.dumps(placeholder(function.get("parameters") or {}))
    digest = hashlib.sha256(f"{request.request_id}/{name}".encode()).hexdigest()[:24]
    return {
        "id": f"call_{digest}",
        "type": "function",
        "function": {"name": name, "arguments": arguments},
    }


def _tool_call_chunks(call: dict[str, Any]) -> list[Chunk]:
    """A tool call as OpenAI streams it: id and name first, then the arguments in pieces,
    then the finish reason."""
    head = {**call, "index": 0, "function": {"name": call["function"]["name"], "arguments": ""}}
    arguments = call["function"]["arguments"]
    pieces = [
        arguments[i : i + _ARGUMENT_CHARS_PER_CHUNK]
        for i in range(0, len(arguments), _ARGUMENT_CHARS_PER_CHUNK)
    ]
    out: list[Chunk] = [StreamDelta(tool_calls=(head,))]
    out += [StreamDelta(tool_calls=({"index": 0, "function": {"arguments": p}},)) for p in pieces]
    out.append(StreamDelta(finish_reason="tool_calls"))
    return out


def placeholder(schema: dict[str, Any], depth: int = 0) -> Any:
    """A value of `schema`'s type: an object has its required properties (all when none is
    required), an enum its first value, numbers their minimum or 0, strings "example"."""
    if "const" in schema:
        return schema["const"]
    if schema.get("enum"):
        return schema["enum"][0]
    kind = schema.get("type", "object" if "properties" in schema else "string")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), "null")
    if depth >= _MAX_SCHEMA_DEPTH:
        return None
    if kind == "object":
        properties = schema.get("properties") or {}
        keys = schema.get("required") or list(properties)
        return {k: placeholder(properties.get(k) or {}, depth + 1) for k in keys}
    if kind == "array":
        item = placeholder(schema.get("items") or {}, depth + 1)
        return [item] * int(schema.get("minItems", 1))
    return _scalar(kind, schema)


def _scalar(kind: str, schema: dict[str, Any]) -> Any:
    if kind == "integer":
        return int(schema.get("minimum", 0))
    if kind == "number":
        return float(schema.get("minimum", 0.0))
    if kind == "boolean":
        return True
    return None if kind == "null" else "example"


def _logprobs(text: str, top: int, rng: random.Random) -> dict[str, Any]:
    """OpenAI's ``logprobs`` of a choice: each token's logprob (most near 0, a few lower) and
    `top` alternatives, drawn from the answer's other tokens."""
    tokens = _TOKEN.findall(text)
    content = []
    for token in tokens:
        logprob = -rng.expovariate(4.0)
        alternatives = [(token, logprob)]
        for other in rng.sample(tokens, min(max(0, top - 1), len(tokens))):
            alternatives.append((other, alternatives[-1][1] - rng.expovariate(1.0)))
        content.append(
            {**_entry(token, logprob), "top_logprobs": [_entry(*a) for a in alternatives[:top]]}
        )
    return {"content": content, "refusal": None}


def _entry(token: str, logprob: float) -> dict[str, Any]:
    return {"token": token, "logprob": round(logprob, 6), "bytes": list(token.encode("utf-8"))}
