"""From an OpenAI chat request (plus mecrouter's routing hints) to an `InferenceRequest`.

Hints travel two ways so that OpenAI clients need no change: in the body as
``extra_body={"routing": {...}}`` and as ``x-mecrouter-*`` headers (handy for a proxy or a
service mesh to set). The body wins where both are given, except where that would loosen what
a header asked for: the stricter ``privacy`` applies, ``allowed_tiers`` are intersected, and two
different use cases are an error (a use case carries a privacy floor). A problem is reported
with the name the client used (``routing.device.battery_pct``, ``x-mecrouter-latency-slo-ms``),
not ours.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Collection, Mapping
from typing import Any, Final, TypeVar

import orjson

from mecrouter.errors import InvalidRequestError
from mecrouter.gateway.wire import ChatCompletionRequest, ChatMessage
from mecrouter.types import (
    ComputeTier,
    InferenceRequest,
    PrivacyLevel,
    enum_member,
    parse_request,
    use_case_name,
)

__all__ = [
    "HINT_HEADERS",
    "ROUTING_FIELDS",
    "generation_options_of",
    "message_of",
    "to_inference_request",
]

_E = TypeVar("_E", bound=enum.Enum)

# routing hint -> InferenceRequest field
ROUTING_FIELDS: Final = {
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
_HINTS_OF_FIELDS: Final = {field: hint for hint, field in ROUTING_FIELDS.items()}
_HEADER_OF_HINT: Final = {k: f"x-mecrouter-{k.replace('_', '-')}" for k in ROUTING_FIELDS}
# header -> routing hint
HINT_HEADERS: Final = {header: hint for hint, header in _HEADER_OF_HINT.items()}
_NUMERIC_HINTS: Final = {"latency_slo_ms", "cost_budget", "complexity_hint"}
# InferenceRequest field -> what the client called it (for error messages), hints aside
_CLIENT_NAMES: Final = {
    "content": "messages",
    "max_tokens": "max_tokens",
    "temperature": "temperature",
    "top_p": "top_p",
    "user_id": "user",
    "end_user": "user",
    "request_id": "x-request-id",
}


def to_inference_request(
    body: ChatCompletionRequest,
    headers: Mapping[str, str],
    *,
    user_id: str,
    request_id: str | None,
    pinned_model: str | None,
    use_cases: Collection[str],
) -> InferenceRequest:
    """Validate hints and body together into one request; raise `InvalidRequestError` naming
    the client's field. `use_cases` are the config's: the request's must be one of them."""
    hints, names = _hints(body, headers, use_cases)
    data: dict[str, Any] = {ROUTING_FIELDS[k]: v for k, v in hints.items() if v is not None}
    data["messages"] = [message_of(m) for m in body.messages if m.text().strip() or m.tool_calls]
    data["content"] = next(m["content"] for m in reversed(data["messages"]) if m["content"])
    data["user_id"] = body.user or user_id
    data.update(generation_options_of(body))
    if request_id:
        data["request_id"] = request_id
    if body.output_tokens is not None:
        data["max_tokens"] = body.output_tokens
    if body.temperature is not None:
        data["temperature"] = body.temperature
    if body.top_p is not None:
        data["top_p"] = body.top_p
    if pinned_model is not None:
        data["model"] = pinned_model
    try:
        return parse_request(data, use_cases)
    except InvalidRequestError as exc:
        raise InvalidRequestError(_client_name(exc.field, names), exc.message) from exc


def message_of(m: ChatMessage) -> dict[str, Any]:
    out: dict[str, Any] = {"role": m.role, "content": m.text()}
    if m.tool_calls:
        out["tool_calls"] = m.tool_calls
    if m.tool_call_id is not None:
        out["tool_call_id"] = m.tool_call_id
    if m.name is not None:
        out["name"] = m.name
    return out


def generation_options_of(body: ChatCompletionRequest) -> dict[str, Any]:
    """The OpenAI options the endpoint is asked to honour, only those the client set."""
    options: dict[str, Any] = {}
    if body.tools:
        options["tools"] = [t.model_dump(exclude_none=True, by_alias=True) for t in body.tools]
    if body.tool_choice is not None:
        choice = body.tool_choice
        options["tool_choice"] = choice if isinstance(choice, str) else choice.model_dump()
    if body.response_format is not None and body.response_format.type != "text":
        options["response_format"] = body.response_format.model_dump(
            exclude_none=True, by_alias=True
        )
    if body.stop:
        options["stop"] = body.stop_sequences
    if body.seed is not None:
        options["seed"] = body.seed
    if body.logprobs:
        options["logprobs"] = True
        options["top_logprobs"] = body.top_logprobs
    if body.n > 1:
        options["n"] = body.n
    if body.user is not None:
        options["end_user"] = body.user
    return options


def _hints(
    body: ChatCompletionRequest, headers: Mapping[str, str], use_cases: Collection[str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """The hints of headers and body merged, and each hint's name as the client wrote it."""
    from_headers = _header_hints(headers)
    from_body = body.routing or {}
    unknown = sorted(set(from_body) - set(ROUTING_FIELDS))
    if unknown:
        known = ", ".join(ROUTING_FIELDS)
        raise InvalidRequestError(f"routing.{unknown[0]}", f"unknown routing hint; known: {known}")
    names = {hint: _HEADER_OF_HINT[hint] for hint in from_headers}
    names.update((hint, f"routing.{hint}") for hint in from_body)
    hints = {**from_headers, **from_body}
    for hint in _NO_LOOSENING.keys() & from_headers.keys() & from_body.keys():
        if from_headers[hint] is not None and from_body[hint] is not None:
            hints[hint] = _NO_LOOSENING[hint](from_headers[hint], from_body[hint], use_cases)
    return hints, names


def _stricter_privacy(header: Any, body: Any, _: Collection[str]) -> PrivacyLevel:
    return max(
        _member(PrivacyLevel, header, "privacy", header=True),
        _member(PrivacyLevel, body, "privacy"),
    )


def _common_tiers(header: Any, body: Any, _: Collection[str]) -> Any:
    if not isinstance(body, list | tuple) or not body:
        return body  # validation reports it, naming the body's field
    allowed = {_member(ComputeTier, t, "allowed_tiers", header=True) for t in header}
    common = allowed & {_member(ComputeTier, t, "allowed_tiers") for t in body}
    if not common:
        raise InvalidRequestError(
            "routing.allowed_tiers",
            f"no tier left: {_HEADER_OF_HINT['allowed_tiers']} allows only "
            + ", ".join(sorted(allowed)),
        )
    return sorted(common)


def _same_use_case(header: Any, body: Any, use_cases: Collection[str]) -> Any:
    if not isinstance(header, str) or not isinstance(body, str):
        return body  # validation reports it
    try:
        ours = use_case_name(header, use_cases)
    except InvalidRequestError as exc:
        raise InvalidRequestError(_HEADER_OF_HINT["use_case"], exc.message) from exc
    try:
        theirs = use_case_name(body, use_cases)
    except InvalidRequestError as exc:
        raise InvalidRequestError("routing.use_case", exc.message) from exc
    if ours != theirs:
        raise InvalidRequestError(
            "routing.use_case",
            f"{body!r} conflicts with {_HEADER_OF_HINT['use_case']}: {header!r}; a request has one "
            "use case (and its privacy floor)",
        )
    return ours


def _member(kind: type[_E], value: Any, hint: str, *, header: bool = False) -> _E:
    try:
        return enum_member(kind, value)
    except ValueError as exc:
        raise InvalidRequestError(
            _HEADER_OF_HINT[hint] if header else f"routing.{hint}", str(exc)
        ) from exc


# Hints a body may not loosen when a header gave them too: hint -> how the two combine.
_NO_LOOSENING: Final[dict[str, Callable[[Any, Any, Collection[str]], Any]]] = {
    "privacy": _stricter_privacy,
    "allowed_tiers": _common_tiers,
    "use_case": _same_use_case,
}


def _header_hints(headers: Mapping[str, str]) -> dict[str, Any]:
    hints: dict[str, Any] = {}
    for header, hint in HINT_HEADERS.items():
        raw = headers.get(header)
        if raw is None:
            continue
        hints[hint] = _header_value(header, hint, raw.strip())
    return hints


def _header_value(header: str, hint: str, raw: str) -> Any:
    if hint == "device":
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError as exc:
            raise InvalidRequestError(header, "must be a JSON object") from exc
    if hint == "allowed_tiers":
        return [t.strip() for t in raw.split(",") if t.strip()]
    if hint in _NUMERIC_HINTS:
        try:
            return float(raw) if hint != "latency_slo_ms" else int(raw)
        except ValueError as exc:
            raise InvalidRequestError(header, f"must be a number, got {raw!r}") from exc
    return raw


def _client_name(field: str, hint_names: Mapping[str, str]) -> str:
    head, _, rest = field.partition(".")
    hint = _HINTS_OF_FIELDS.get(head)
    name = hint_names.get(hint, f"routing.{hint}") if hint else _CLIENT_NAMES.get(head, head)
    if head == "device_info" and rest:
        return f"{name}.{rest}"
    if head == "messages" and rest:
        return f"messages.{rest}"
    return name
