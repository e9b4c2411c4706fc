"""The served OpenAPI document (`GET /openapi.json`): request bodies, parameters and errors.

Handlers read and validate their bodies themselves (to answer with OpenAI's error JSON), so
FastAPI cannot see them; each route declares instead what its operation takes and answers with
`operation(...)`, and `install` adds the component schemas: those of the wire models, generated
from them so the document follows every field added there, and OpenAI's error shape. FastAPI's
422 responses are dropped: a bad request is a 400 here.
"""

from __future__ import annotations

import copy
from typing import Any, Final

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse
from pydantic.json_schema import models_json_schema

from mecrouter.gateway.translate import HINT_HEADERS
from mecrouter.gateway.wire import ChatCompletionRequest, FeedbackRequest

__all__ = ["install", "operation"]

_REF: Final = "#/components/schemas/{model}"
_BEARER: Final = "bearerAuth"
_ERROR: Final = {
    "type": "object",
    "description": "OpenAI's error shape; `param` names the offending field.",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["message", "type", "param", "code"],
            "properties": {
                "message": {"type": "string"},
                "type": {"type": "string"},
                "param": {"type": ["string", "null"]},
                "code": {"type": ["string", "null"]},
            },
        }
    },
}
_MODEL: Final = {
    "type": "object",
    "required": ["id", "object", "created", "owned_by"],
    "properties": {
        "id": {"type": "string"},
        "object": {"const": "model"},
        "created": {"type": "integer"},
        "owned_by": {"type": "string"},
    },
}
_MODEL_LIST: Final = {
    "type": "object",
    "required": ["object", "data"],
    "properties": {
        "object": {"const": "list"},
        "data": {"type": "array", "items": {"$ref": _REF.format(model="Model")}},
    },
}
_EXAMPLES: Final[dict[str, Any]] = {
    "ChatCompletionRequest": {
        "model": "auto",
        "messages": [{"role": "user", "content": "Greet the player at the tavern door."}],
        "max_tokens": 64,
        "routing": {"latency_slo_ms": 800, "privacy": "public"},
    },
    "CompletionRequest": {"model": "auto", "prompt": "Say hello.", "max_tokens": 16},
    "FeedbackRequest": {"decision_id": "3f9c2a7d1e4b", "score": 1.0},
}
_WHY: Final = {
    400: "invalid body, parameter or routing hint",
    401: "missing, invalid or revoked API key",
    402: "the key's spend budget is used up",
    404: "unknown model or decision",
    409: "feedback already given for this decision",
    413: "request body over the size limit",
    429: "the key's rate limit is reached (see retry-after)",
    503: "no endpoint can serve the request now (see retry-after and x-should-retry)",
}


def operation(
    summary: str,
    *,
    body: str | None = None,
    ok: str | None = None,
    errors: tuple[int, ...] = (),
    stream: bool = False,
    hints: bool = False,
    text: bool = False,
    keyed: bool = True,
) -> dict[str, Any]:
    """`add_api_route` arguments documenting one operation: its `summary`, its JSON `body` and
    200 (`ok`) component schemas, its error statuses, whether it may stream (SSE), take routing
    hint headers, answer plain `text`, and need an API key (`keyed`)."""
    extra: dict[str, Any] = {}
    if body is not None:
        content = _json(_ref(body))
        content["application/json"]["example"] = _EXAMPLES[body]
        extra["requestBody"] = {"required": True, "content": content}
    if hints:
        extra["parameters"] = [_header(h, "a routing hint") for h in sorted(HINT_HEADERS)]
        extra["parameters"].append(_header("x-request-id", "the request's id, kept on its record"))
    if keyed:
        extra["security"] = [{_BEARER: []}, {}]
    responses: dict[int | str, dict[str, Any]] = {
        status: {"description": _WHY[status], "content": _json(_ref("ErrorResponse"))}
        for status in errors
    }
    answer = _json(_ref(ok)) if ok is not None else {}
    if stream:
        answer["text/event-stream"] = {"schema": {"type": "string"}}
    if answer:
        responses[200] = {"content": answer}
    kwargs: dict[str, Any] = {"summary": summary, "openapi_extra": extra, "responses": responses}
    if text:
        kwargs["response_class"] = PlainTextResponse
    return kwargs


def install(app: FastAPI) -> None:
    """Serve FastAPI's document completed with the component schemas and security scheme."""
    build = app.openapi

    def document() -> dict[str, Any]:
        if app.openapi_schema is None:
            _complete(build())
        return app.openapi_schema or {}

    app.openapi = document  # type: ignore[method-assign]


def component_schemas() -> dict[str, Any]:
    """The wire models' JSON schemas (as validated) and the documented response shapes."""
    models = [(m, "validation") for m in (ChatCompletionRequest, FeedbackRequest)]
    _, top = models_json_schema(models, ref_template=_REF)  # type: ignore[arg-type]
    schemas: dict[str, Any] = dict(top["$defs"])
    schemas["CompletionRequest"] = _completion_request(schemas["ChatCompletionRequest"])
    schemas.update(ErrorResponse=_ERROR, Model=_MODEL, ModelList=_MODEL_LIST)
    return schemas


def _completion_request(chat: dict[str, Any]) -> dict[str, Any]:
    """`POST /v1/completions`: a chat request whose `messages` is one non-empty `prompt`, never
    streamed."""
    schema = copy.deepcopy(chat)
    schema["title"] = "CompletionRequest"
    schema["description"] = "A text completion request: mapped onto chat (non-streaming)."
    props = {k: v for k, v in schema["properties"].items() if k != "messages"}
    props["prompt"] = {"type": "string", "minLength": 1, "pattern": r"\S"}
    props["stream"] = {"type": "boolean", "enum": [False], "default": False}
    schema["properties"] = props
    schema["required"] = [r for r in schema.get("required", []) if r != "messages"] + ["prompt"]
    return schema


def _complete(doc: dict[str, Any]) -> None:
    components = doc.setdefault("components", {})
    schemas = components.setdefault("schemas", {})
    for name in ("HTTPValidationError", "ValidationError"):
        schemas.pop(name, None)
    schemas.update(component_schemas())
    components["securitySchemes"] = {_BEARER: {"type": "http", "scheme": "bearer"}}
    for item in doc.get("paths", {}).values():
        for op in item.values():
            op.get("responses", {}).pop("422", None)


def _ref(name: str) -> dict[str, str]:
    return {"$ref": _REF.format(model=name)}


def _json(schema: dict[str, Any]) -> dict[str, Any]:
    return {"application/json": {"schema": schema}}


def _header(name: str, description: str) -> dict[str, Any]:
    return {
        "name": name,
        "in": "header",
        "required": False,
        "description": description,
        "schema": {"type": "string"},
    }
