"""The OpenAI-compatible gateway: `create_app(settings)` builds the FastAPI app.

Every inference request goes through the same `Router` pipeline as the library (context →
resources → cache → route → execute with failover → monitor), so an OpenAI client gets tier-aware
routing without changing a line. What the gateway adds is the HTTP boundary: API keys, per-key
rate limits and budgets, size limits, OpenAI-shaped errors (never a stack trace), response headers
that say where a request went, Prometheus metrics, and cancelling the upstream call when the
client goes away.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import time
from collections import OrderedDict
from collections.abc import AsyncIterator, Awaitable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final, TypeVar

import pydantic
from fastapi import FastAPI, Request
from fastapi.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from mecrouter.config import Config, load_config
from mecrouter.errors import (
    BackendError,
    StoreError,
)
from mecrouter.gateway.auth import ApiKey, KeyStore, RateLimiter, budget_exceeded
from mecrouter.gateway.errors import ApiError, BodyLimit, add_error_handlers
from mecrouter.gateway.metrics import CONTENT_TYPE, GatewayMetrics
from mecrouter.gateway.translate import to_inference_request
from mecrouter.gateway.wire import (
    SSE_DONE,
    ChatCompletionRequest,
    FeedbackRequest,
    chunk,
    completion,
    completion_id,
    dumps,
    error_body,
    sse,
    usage,
    validation_error,
)
from mecrouter.pipeline import Completion, Router, StreamingCompletion
from mecrouter.stores.sqlite import SQLiteStore
from mecrouter.types import CircuitState, DecisionRecord, InferenceRequest, RoutingDecision

__all__ = ["ApiError", "GatewaySettings", "create_app"]

log = logging.getLogger(__name__)
_T = TypeVar("_T")
_AUTO: Final = "auto"
_RECENT_DECISIONS: Final = 10_000
_SPEND_FLUSH_S: Final = 1.0
_CHARS_PER_TOKEN: Final = 4


class GatewaySettings(pydantic.BaseModel):
    """How a gateway runs; `mecrouter serve` fills it from its options."""

    model_config = pydantic.ConfigDict(frozen=True, extra="forbid")
    config_path: Path | None = None
    decisions_db: Path = Path("mecrouter-decisions.sqlite3")
    keys_db: Path = Path("mecrouter-keys.sqlite3")
    auth: bool = True
    max_body_bytes: int = pydantic.Field(default=1_048_576, gt=0)


@dataclass(slots=True)
class _State:
    """What the routes share; built in the lifespan."""

    config: Config
    router: Router
    metrics: GatewayMetrics
    keys: KeyStore | None
    limiter: RateLimiter = field(default_factory=RateLimiter)
    recent: OrderedDict[str, RoutingDecision] = field(default_factory=OrderedDict)
    models: dict[str, str] = field(default_factory=dict)  # name -> endpoint id or model

    def remember(self, decision: RoutingDecision) -> None:
        self.recent[decision.decision_id] = decision
        if len(self.recent) > _RECENT_DECISIONS:
            self.recent.popitem(last=False)


def create_app(
    settings: GatewaySettings,
    *,
    router: Router | None = None,
    keys: KeyStore | None = None,
) -> FastAPI:
    """The gateway. A `router`/`keys` passed in are used (and closed) instead of building them
    from `settings` (tests pass an emulated router)."""

    @contextlib.asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        state = _build_state(settings, router, keys)
        app.state.gw = state
        flusher = asyncio.create_task(_flush_spend_forever(state.keys))
        try:
            yield
        finally:
            flusher.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await flusher
            await state.router.aclose()
            await state.router.store.aclose()
            if state.keys is not None:
                await asyncio.to_thread(state.keys.close)

    app = FastAPI(
        title="mecrouter",
        summary="OpenAI-compatible gateway routing across device, MEC and cloud",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
    )
    add_error_handlers(app, _count_error)
    _add_routes(app)
    app.add_middleware(BodyLimit, max_bytes=settings.max_body_bytes)
    return app


def _count_error(request: Request, status: int, code: str | None) -> None:
    state: _State | None = getattr(request.app.state, "gw", None)
    if state is not None:
        state.metrics.error(status, code)


def _build_state(settings: GatewaySettings, router: Router | None, keys: KeyStore | None) -> _State:
    if router is None:
        config = load_config(settings.config_path)
        router = Router.from_config(config, store=SQLiteStore(settings.decisions_db))
    if keys is None and settings.auth:
        keys = KeyStore(settings.keys_db)
    state = _State(
        config=router.config,
        router=router,
        metrics=GatewayMetrics(lambda: _circuit_states(router)),
        keys=keys if settings.auth else None,
    )
    for ep in router.config.endpoints:
        state.models.setdefault(ep.model, ep.model)
        state.models.setdefault(ep.id, ep.id)
    router.monitor.add_listener(state.metrics.observe)
    return state


def _circuit_states(router: Router) -> dict[str, CircuitState]:
    now = router.clock.monotonic()
    return {ep_id: breaker.state(now) for ep_id, breaker in router.breakers.items()}


async def _flush_spend_forever(keys: KeyStore | None) -> None:
    if keys is None:
        return
    while True:
        await asyncio.sleep(_SPEND_FLUSH_S)
        try:
            await asyncio.to_thread(keys.flush)
        except StoreError:
            log.warning("could not save API key spend; will retry", exc_info=True)


# ---------------------------------------------------------------------------------- routes


def _add_routes(app: FastAPI) -> None:
    for path, endpoint, method in (
        ("/v1/chat/completions", _chat_completions, "POST"),
        ("/v1/completions", _completions, "POST"),
        ("/v1/models", _models, "GET"),
        ("/v1/route", _route, "POST"),
        ("/v1/decisions/{decision_id}", _decision, "GET"),
        ("/v1/feedback", _feedback, "POST"),
        ("/healthz", _healthz, "GET"),
        ("/readyz", _readyz, "GET"),
        ("/metrics", _metrics, "GET"),
    ):
        app.add_api_route(path, endpoint, methods=[method])


async def _chat_completions(request: Request) -> Response:
    state: _State = request.app.state.gw
    key = _authorize(state, request)
    body = _parse_chat(await request.body())
    req = _inference_request(state, key, body, request)
    if body.stream:
        streamed = await _until_disconnect(request, state.router.stream(req))
        state.remember(streamed.decision)
        return _sse_response(state, key, body, streamed)
    done = await _until_disconnect(request, state.router.complete(req))
    state.remember(done.decision)
    _charge(state, key, done.record)
    return _completion_response(done)


async def _completions(request: Request) -> Response:
    """The legacy text endpoint, mapped onto chat (non-streaming only)."""
    state: _State = request.app.state.gw
    key = _authorize(state, request)
    raw = _json_object(await request.body())
    prompt = raw.get("prompt")
    if not isinstance(prompt, str) or not prompt.strip():
        raise ApiError(400, "prompt must be a non-empty string", param="prompt")
    if raw.get("stream"):
        raise ApiError(400, "streaming is supported on /v1/chat/completions", param="stream")
    body = _validate_chat({**raw, "messages": [{"role": "user", "content": prompt}]})
    done = await _until_disconnect(
        request, state.router.complete(_inference_request(state, key, body, request))
    )
    state.remember(done.decision)
    _charge(state, key, done.record)
    payload = _text_completion(done)
    return Response(dumps(payload), media_type="application/json", headers=_headers(done))


async def _models(request: Request) -> Response:
    state: _State = request.app.state.gw
    _authorize(state, request, count=False)
    names = [_AUTO, *sorted({ep.model for ep in state.config.endpoints})]
    data = [{"id": n, "object": "model", "created": 0, "owned_by": "mecrouter"} for n in names]
    return Response(dumps({"object": "list", "data": data}), media_type="application/json")


async def _route(request: Request) -> Response:
    """The decision only: where this request would go and why (nothing is run)."""
    state: _State = request.app.state.gw
    key = _authorize(state, request)
    body = _parse_chat(await request.body())
    decision = await state.router.route(_inference_request(state, key, body, request))
    state.remember(decision)
    return Response(dumps(decision.to_dict()), media_type="application/json")


async def _decision(decision_id: str, request: Request) -> Response:
    state: _State = request.app.state.gw
    _authorize(state, request, count=False)
    return Response(dumps(await _find_decision(state, decision_id)), media_type="application/json")


async def _feedback(request: Request) -> Response:
    """A user's score of an answer: kept on the decision's record and learned per (task type,
    model). Only the key that made the request may judge it."""
    state: _State = request.app.state.gw
    key = _authorize(state, request)
    try:
        body = FeedbackRequest.model_validate_json(await request.body())
    except pydantic.ValidationError as exc:
        raise _validation_error(exc) from exc
    record = await state.router.feedback(
        body.decision_id, body.score, user_id=key.key_id if key else None
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
    state: _State | None = getattr(request.app.state, "gw", None)
    if state is None:
        raise ApiError(503, "starting", type_="service_unavailable")
    open_ = [e for e, s in _circuit_states(state.router).items() if s is CircuitState.OPEN]
    if len(open_) == len(state.router.breakers):
        raise ApiError(503, "every endpoint's circuit is open", type_="service_unavailable")
    body = {"status": "ready", "open_circuits": open_, "auth": state.keys is not None}
    return Response(dumps(body), media_type="application/json")


async def _metrics(request: Request) -> Response:
    state: _State = request.app.state.gw
    return Response(state.metrics.render(), media_type=CONTENT_TYPE)


def _inference_request(
    state: _State, key: ApiKey | None, body: ChatCompletionRequest, request: Request
) -> InferenceRequest:
    return to_inference_request(
        body,
        request.headers,
        user_id=key.key_id if key else "anonymous",
        request_id=request.headers.get("x-request-id"),
        pinned_model=_pinned(state, body.model),
    )


async def _find_decision(state: _State, decision_id: str) -> dict[str, Any]:
    """The decision (reasoning, scores, fallbacks) with its recorded outcome, if known."""
    decision = state.recent.get(decision_id)
    await state.router.monitor.flush()
    record = await state.router.store.get_decision(decision_id)
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


# ---------------------------------------------------------------------------------- helpers


def _authorize(state: _State, request: Request, *, count: bool = True) -> ApiKey | None:
    """The caller's key (None when auth is off); 401, 429 or 402 otherwise."""
    if state.keys is None:
        return None
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(
            401, "missing API key: send Authorization: Bearer <key>", code="missing_api_key"
        )
    key = state.keys.verify(secret.strip())
    if key is None:
        raise ApiError(401, "invalid or revoked API key", code="invalid_api_key")
    if not count:
        return key
    retry_after = state.limiter.check(key.key_id, key.rpm_limit)
    if retry_after is not None:
        raise ApiError(
            429,
            f"rate limit of {key.rpm_limit} requests per minute reached",
            type_="rate_limit_error",
            code="rate_limit_exceeded",
            headers={"retry-after": str(max(1, round(retry_after)))},
        )
    if budget_exceeded(key, state.keys):
        raise ApiError(
            402,
            f"spend budget of ${key.budget_usd} for this key is used up",
            type_="insufficient_quota",
            code="budget_exceeded",
        )
    return key


def _charge(state: _State, key: ApiKey | None, record: DecisionRecord) -> None:
    if key is not None and state.keys is not None and record.cost_usd > 0:
        state.keys.add_spend(key.key_id, record.cost_usd, autoflush=False)


def _pinned(state: _State, model: str) -> str | None:
    if model == _AUTO:
        return None
    if model not in state.models:
        raise ApiError(
            404,
            f"the model {model!r} does not exist; use 'auto' or one of GET /v1/models",
            param="model",
            code="model_not_found",
        )
    return model


def _json_object(raw: bytes) -> dict[str, Any]:
    try:
        data = pydantic.TypeAdapter(dict[str, Any]).validate_json(raw)
    except pydantic.ValidationError as exc:
        raise ApiError(400, "the body must be a JSON object", code="invalid_json") from exc
    return data


def _parse_chat(raw: bytes) -> ChatCompletionRequest:
    try:
        return ChatCompletionRequest.model_validate_json(raw)
    except pydantic.ValidationError as exc:
        raise _validation_error(exc) from exc


def _validate_chat(data: dict[str, Any]) -> ChatCompletionRequest:
    try:
        return ChatCompletionRequest.model_validate(data)
    except pydantic.ValidationError as exc:
        raise _validation_error(exc) from exc


def _validation_error(exc: pydantic.ValidationError) -> ApiError:
    message, param, code = validation_error(exc)
    return ApiError(400, message, param=param, code=code)


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
        raise ApiError(499, "client closed the request", code="client_closed_request")
    return task.result()


async def _disconnected(request: Request) -> None:
    while True:
        message = await request.receive()
        if message["type"] == "http.disconnect":
            return


def _headers(done: Completion | StreamingCompletion) -> dict[str, str]:
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


def _completion_response(done: Completion) -> Response:
    rec = done.record
    gen = done.generation
    payload = completion(
        completion_id(),
        rec.actual_model,
        done.text,
        prompt_tokens=rec.input_tokens or max(1, len(done.text) // _CHARS_PER_TOKEN),
        completion_tokens=rec.output_tokens,
        finish_reason=gen.finish_reason if gen else "stop",
    )
    return Response(dumps(payload), media_type="application/json", headers=_headers(done))


def _text_completion(done: Completion) -> dict[str, Any]:
    rec = done.record
    return {
        "id": f"cmpl-{completion_id()[9:]}",
        "object": "text_completion",
        "created": int(time.time()),
        "model": rec.actual_model,
        "choices": [{"index": 0, "text": done.text, "finish_reason": "stop", "logprobs": None}],
        "usage": usage(rec.input_tokens, rec.output_tokens),
    }


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


def _sse_response(
    state: _State, key: ApiKey | None, body: ChatCompletionRequest, streamed: StreamingCompletion
) -> StreamingResponse:
    return _ClosingStream(
        streamed,
        _sse_events(state, key, body, streamed),
        media_type="text/event-stream",
        headers={**_headers(streamed), "cache-control": "no-cache"},
    )


async def _sse_events(
    state: _State, key: ApiKey | None, body: ChatCompletionRequest, streamed: StreamingCompletion
) -> AsyncIterator[bytes]:
    cid, model, created = completion_id(), streamed.endpoint.model, int(time.time())
    sent = []
    try:
        yield sse(chunk(cid, model, created, role="assistant", content=""))
        async for part in streamed:
            sent.append(part)
            yield sse(chunk(cid, model, created, content=part))
    except BackendError as exc:
        state.metrics.error(502, "upstream_failed_mid_stream")
        yield sse(error_body(str(exc), type_="server_error", code="upstream_failed_mid_stream"))
        return
    finally:
        await streamed.aclose()
    # Streams carry no token counts from every upstream: estimate them as the record does.
    prompt_tokens = max(1, sum(len(m.text()) for m in body.messages) // _CHARS_PER_TOKEN)
    completion_tokens = max(1, len("".join(sent)) // _CHARS_PER_TOKEN)
    yield sse(chunk(cid, model, created, finish_reason="stop"))
    if body.include_usage:
        yield sse(chunk(cid, model, created, usage_=usage(prompt_tokens, completion_tokens)))
    yield SSE_DONE
    cost = streamed.endpoint.price.cost_usd(prompt_tokens, completion_tokens)
    if key is not None and state.keys is not None and cost > 0:
        state.keys.add_spend(key.key_id, cost, autoflush=False)
