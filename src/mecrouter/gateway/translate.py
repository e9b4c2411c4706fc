"""From an OpenAI chat request (plus mecrouter's routing hints) to an `InferenceRequest`.

Hints travel two ways so that OpenAI clients need no change: in the body as
``extra_body={"routing": {...}}`` and as ``x-mecrouter-*`` headers (handy for a proxy or a
service mesh to set). The body wins where both are given. A problem is reported with the name
the client used (``routing.device.battery_pct``, ``x-mecrouter-latency-slo-ms``), not ours.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import orjson

from mecrouter.errors import InvalidRequestError
from mecrouter.gateway.wire import ChatCompletionRequest
from mecrouter.types import InferenceRequest, parse_request

__all__ = ["HINT_HEADERS", "ROUTING_FIELDS", "to_inference_request"]

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
# header -> routing hint
HINT_HEADERS: Final = {f"x-mecrouter-{k.replace('_', '-')}": k for k in ROUTING_FIELDS}
_NUMERIC_HINTS: Final = {"latency_slo_ms", "cost_budget", "complexity_hint"}
# InferenceRequest field -> what the client called it (for error messages)
_CLIENT_NAMES: Final = {
    **{field: f"routing.{hint}" for hint, field in ROUTING_FIELDS.items()},
    "content": "messages",
    "max_tokens": "max_tokens",
    "temperature": "temperature",
    "user_id": "user",
    "request_id": "x-request-id",
}


def to_inference_request(
    body: ChatCompletionRequest,
    headers: Mapping[str, str],
    *,
    user_id: str,
    request_id: str | None,
    pinned_model: str | None,
) -> InferenceRequest:
    """Validate hints and body together into one request; raise `InvalidRequestError` naming
    the client's field."""
    hints = _header_hints(headers)
    body_hints = body.routing or {}
    unknown = sorted(set(body_hints) - set(ROUTING_FIELDS))
    if unknown:
        known = ", ".join(ROUTING_FIELDS)
        raise InvalidRequestError(f"routing.{unknown[0]}", f"unknown routing hint; known: {known}")
    hints.update(body_hints)
    data: dict[str, Any] = {ROUTING_FIELDS[k]: v for k, v in hints.items() if v is not None}
    data["messages"] = [
        {"role": m.role, "content": m.text()} for m in body.messages if m.text().strip()
    ]
    data["content"] = data["messages"][-1]["content"]
    data["user_id"] = body.user or user_id
    if request_id:
        data["request_id"] = request_id
    if body.output_tokens is not None:
        data["max_tokens"] = body.output_tokens
    if body.temperature is not None:
        data["temperature"] = body.temperature
    if pinned_model is not None:
        data["model"] = pinned_model
    try:
        return parse_request(data)
    except InvalidRequestError as exc:
        raise InvalidRequestError(_client_name(exc.field), exc.message) from exc


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


def _client_name(field: str) -> str:
    head, _, rest = field.partition(".")
    name = _CLIENT_NAMES.get(head, head)
    if head == "device_info" and rest:
        return f"{name}.{rest}"
    if head == "messages" and rest:
        return f"messages.{rest}"
    return name
