"""The gateway's route handlers: OpenAI's chat and text completions and model list, mecrouter's
decision, feedback and health endpoints, Prometheus metrics and the agents' insights.

A handler admits the request (`admission`), hands it to the shared `Router`, and answers in
OpenAI's shape (`responses`); if the client disconnects first, while sending its body or while
the pipeline works, the work is cancelled (and recorded as such) and the outcome is a 499,
counted and logged in one line.

Decisions, their records and feedback belong to the key that made the request: another key gets
the 404 of an unknown id; an admin key may read (not judge) every key's decisions.

A request asking for more output tokens than any endpoint it may go to gives
(`max_output_tokens`) is refused with 400 naming the field, as OpenAI refuses a `max_tokens`
above a model's limit; below that, each endpoint is asked for at most its own maximum.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from collections.abc import Awaitable
from typing import Annotated, Any, Final, TypeVar

import pydantic
from fastapi import FastAPI, Path, Request
from fastapi.responses import Response
from starlette.requests import ClientDisconnect

from mecrouter.gateway.admission import (
    AUTO_MODEL,
    admit,
    authorize,
    charge,
    inference_request,
    json_object,
    parse_chat,
    validate_chat,
    validation_api_error,
)
from mecrouter.gateway.auth import ApiKey
from mecrouter.gateway.errors import ApiError
from mecrouter.gateway.insights import insights
from mecrouter.gateway.metrics import CONTENT_TYPE
from mecrouter.gateway.openapi import operation
from mecrouter.gateway.outbox_metrics import store_status
from mecrouter.gateway.responses import completion_response, sse_response, text_completion_response
from mecrouter.gateway.state import GatewayState, circuit_states
from mecrouter.gateway.wire import ChatCompletionRequest, FeedbackRequest, dumps
from mecrouter.types import CircuitState, DecisionRecord

__all__ = ["SHORT_ROUTES", "add_routes", "openapi_with_key"]

log = logging.getLogger(__name__)

_T = TypeVar("_T")


def add_routes(app: FastAPI) -> None:
    """The routes, each with what the OpenAPI document says of it (`openapi.operation`)."""
    run = (400, 401, 402, 404, 413, 429, 503)
    for path, endpoint, method, operation_id, docs in (
        ("/v1/chat/completions", _chat_completions, "POST", "createChatCompletion",
         operation("Create a chat completion (routed)", body="ChatCompletionRequest",
                   errors=run, stream=True, hints=True)),
        ("/v1/completions", _completions, "POST", "createCompletion",
         operation("Create a text completion (routed as chat)", body="CompletionRequest",
                   errors=run, hints=True)),
        ("/v1/models", _models, "GET", "listModels",
         operation("List models", ok="ModelList", errors=(401,))),
        ("/v1/models/{model_id:path}", _model, "GET", "retrieveModel",
         operation("Retrieve a model", ok="Model", errors=(401, 404))),
        ("/v1/route", _route, "POST", "routeRequest",
         operation("Route a chat request without running it",
                   body="ChatCompletionRequest", errors=run, hints=True)),
        ("/v1/decisions/{decision_id}", _decision, "GET", "retrieveDecision",
         operation("A decision and its outcome", errors=(401, 404))),
        ("/v1/feedback", _feedback, "POST", "createFeedback",
         operation("Score an answer", body="FeedbackRequest",
                   errors=(400, 401, 402, 404, 409, 413, 429))),
        ("/v1/insights", insights, "GET", "retrieveInsights",
         operation("Placement, anomalies, recommendations, learning and circuits",
                   errors=(401,), keyed=False)),
        ("/healthz", _healthz, "GET", "healthz", operation("Liveness", keyed=False)),
        ("/readyz", _readyz, "GET", "readyz", operation("Readiness", errors=(503,), keyed=False)),
        ("/metrics", _metrics, "GET", "metrics",
         operation("Prometheus metrics", text=True, keyed=False)),
    ):  # fmt: skip
        app.add_api_route(path, endpoint, methods=[method], operation_id=operation_id, **docs)


async def _chat_completions(request: Request) -> Response:
    state: GatewayState = request.app.state.gw
    key = await admit(state, request)
    body = _within_output_limit(state, parse_chat(await _body(request)))
    req = inference_request(state, key, body, request)
    if body.stream:
        streamed = await _until_disconnect(request, state.router.stream(req))
        state.remember(streamed.decision, key)
        return sse_response(state, key, body, streamed)
    done = await _until_disconnect(request, state.router.complete(req))
    state.remember(done.decision, key)
    charge(state, key, done.record.cost_usd + done.record.advisor_cost_usd)
    return completion_response(done)


async def _completions(request: Request) -> Response:
    """The legacy text endpoint, mapped onto chat (non-streaming only)."""
    state: GatewayState = request.app.state.gw
    key = await admit(state, request)
    raw = json_object(await _body(request))
    prompt = raw.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise ApiError(400, "prompt must be a non-empty string", param="prompt")
    if raw.get("stream"):
        raise ApiError(400, "streaming is supported on /v1/chat/completions", param="stream")
    body = validate_chat({**raw, "messages": [{"role": "user", "content": prompt}]})
    _within_output_limit(state, body)
    done = await _until_disconnect(
        request, state.router.complete(inference_request(state, key, body, request))
    )
    state.remember(done.decision, key)
    charge(state, key, done.record.cost_usd + done.record.advisor_cost_usd)
    return text_completion_response(done)


async def _models(request: Request) -> Response:
    state: GatewayState = request.app.state.gw
    authorize(state, request)
    data = [_model_object(name) for name in _model_names(state)]
    return Response(dumps({"object": "list", "data": data}), media_type="application/json")


async def _model(
    model_id: Annotated[str, Path(examples=[AUTO_MODEL])], request: Request
) -> Response:
    """One model of `GET /v1/models` (`client.models.retrieve`); 404 for any other name."""
    state: GatewayState = request.app.state.gw
    authorize(state, request)
    if model_id not in _model_names(state):
        raise ApiError(
            404,
            f"the model {model_id!r} does not exist; use 'auto' or one of GET /v1/models",
            param="model",
            code="model_not_found",
        )
    return Response(dumps(_model_object(model_id)), media_type="application/json")


# The routes that carry the traffic, served past FastAPI's routing (`short_routes`); FastAPI
# keeps them too, for their OpenAPI documents.
SHORT_ROUTES: Final = {
    ("POST", "/v1/chat/completions"): _chat_completions,
    ("POST", "/v1/completions"): _completions,
}


def _model_names(state: GatewayState) -> list[str]:
    return [AUTO_MODEL, *sorted({ep.model for ep in state.config.endpoints})]


def _model_object(name: str) -> dict[str, Any]:
    return {"id": name, "object": "model", "created": 0, "owned_by": "mecrouter"}


async def _route(request: Request) -> Response:
    """The decision only: where this request would go and why (nothing is run)."""
    state: GatewayState = request.app.state.gw
    key = await admit(state, request)
    body = _within_output_limit(state, parse_chat(await _body(request)))
    decision = await state.router.route(inference_request(state, key, body, request))
    state.remember(decision, key)
    return Response(dumps(decision.to_dict()), media_type="application/json")


async def _decision(decision_id: str, request: Request) -> Response:
    state: GatewayState = request.app.state.gw
    key = authorize(state, request)
    found = await _find_decision(state, decision_id, key)
    return Response(dumps(found), media_type="application/json")


async def _feedback(request: Request) -> Response:
    """A user's score of an answer: kept on the decision's record and learned per (task type,
    model). Only the key that made the request may judge it (not its `user`, not an admin)."""
    state: GatewayState = request.app.state.gw
    key = await admit(state, request)
    try:
        body = FeedbackRequest.model_validate_json(await _body(request))
    except pydantic.ValidationError as exc:
        raise validation_api_error(exc) from exc
    record = await state.router.feedback(
        body.decision_id, body.score, owner_id=key.key_id if key else None
    )
    beliefs = state.router.beliefs
    learned = None
    if beliefs is not None:
        learned = beliefs.snapshot().get(f"{record.task_type or 'chat'}/{record.actual_model}")
    out = {
        "decision_id": body.decision_id,
        "score": body.score,
        "model": record.actual_model,
        "task_type": record.task_type or "chat",
        "learned": learned,
    }
    return Response(dumps(out), media_type="application/json")


async def _healthz() -> Response:
    return Response(dumps({"status": "ok"}), media_type="application/json")


async def _readyz(request: Request) -> Response:
    state: GatewayState | None = getattr(request.app.state, "gw", None)
    if state is None:
        raise ApiError(503, "starting", type_="service_unavailable")
    open_ = [e for e, s in circuit_states(state.router).items() if s is CircuitState.OPEN]
    if len(open_) == len(state.router.breakers):
        raise ApiError(503, "every endpoint's circuit is open", type_="service_unavailable")
    auth = state.keys is not None
    body: dict[str, Any] = {"status": "ready", "open_circuits": open_, "auth": auth}
    body["pid"] = os.getpid()  # which worker answered (`serve --workers`)
    store = store_status(state.router.store)
    if store is not None:  # the outbox: records wait while DynamoDB is away, none is lost
        body["store"] = dict(store)
    if state.shared is not None:  # Redis away: still ready, on this process's own state
        body["state"] = state.shared.status()
    return Response(dumps(body), media_type="application/json")


async def _metrics(request: Request) -> Response:
    state: GatewayState = request.app.state.gw
    if state.metrics_auth:
        authorize(state, request)
    return Response(state.metrics.render(), media_type=CONTENT_TYPE)


async def openapi_with_key(request: Request) -> Response:
    """The OpenAPI document, for callers with a key (`GatewaySettings.metrics_auth`)."""
    state: GatewayState = request.app.state.gw
    authorize(state, request)
    return Response(dumps(request.app.openapi()), media_type="application/json")


async def _find_decision(
    state: GatewayState, decision_id: str, key: ApiKey | None
) -> dict[str, Any]:
    """The decision (reasoning, scores, fallbacks) with its recorded outcome, if known and the
    caller's to read (its owner's, or any for an admin key or without keys)."""
    owner, decision = state.recent.get(decision_id, ("", None))
    await state.router.monitor.flush()
    record = await state.router.store.get_decision(decision_id)
    if key is not None and not key.admin:
        decision = decision if owner == key.key_id else None
        record = record if record is not None and record.owner_id == key.key_id else None
    if decision is None and record is None:
        raise ApiError(
            404, f"no decision {decision_id!r}", param="decision_id", code="decision_not_found"
        )
    out: dict[str, Any] = decision.to_dict() if decision else {"decision_id": decision_id}
    out["outcome"] = _outcome(record) if record else None
    return out


def _outcome(record: DecisionRecord) -> dict[str, Any]:
    fields = (
        "success", "error", "actual_tier", "actual_model", "actual_endpoint", "latency_ms",
        "ttft_ms", "input_tokens", "output_tokens", "cost_usd", "fallbacks_used", "cache_hit",
        "slo_met", "timestamp", "reasoning",
    )  # fmt: skip
    return {f: getattr(record, f) for f in fields}


async def _until_disconnect(request: Request, work: Awaitable[_T]) -> _T:
    """Run `work`, cancelling it if the client disconnects first (the pipeline records it)."""
    task = asyncio.ensure_future(work)
    watcher = asyncio.ensure_future(_disconnected(request))
    try:
        await asyncio.wait({task, watcher}, return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
    if not task.done():
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task
        raise _client_closed(request, "before the answer")
    return task.result()


async def _body(request: Request) -> bytes:
    """The request body; a client that leaves while sending it is a 499, not an error of ours."""
    try:
        return await request.body()
    except ClientDisconnect:
        raise _client_closed(request, "while sending its body") from None


def _client_closed(request: Request, when: str) -> ApiError:
    """The 499 outcome of a client that went away (logged in one line; the error handler
    counts it)."""
    log.info("client closed the request %s %s %s", request.method, request.url.path, when)
    return ApiError(499, "client closed the request", code="client_closed_request")


def _within_output_limit(state: GatewayState, body: ChatCompletionRequest) -> ChatCompletionRequest:
    """`body`, unless it asks for more output tokens than any endpoint it may go to gives."""
    asked = body.output_tokens
    if asked is None:
        return body
    eligible = [ep for ep in state.config.endpoints if body.model in (AUTO_MODEL, ep.model, ep.id)]
    most = max((ep.max_output_tokens for ep in eligible), default=asked)
    if asked <= most:
        return body
    field = "max_completion_tokens" if body.max_completion_tokens else "max_tokens"
    raise ApiError(
        400,
        f"{field} is too large: {asked}; the endpoints of model {body.model!r} give at most "
        f"{most} output tokens",
        param=field,
        code="invalid_value",
    )


async def _disconnected(request: Request) -> None:
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return
