"""One emulated compute tier served as an OpenAI-compatible HTTP server.

The gateway talks HTTP to its upstreams; to exercise it (end-to-end tests, demos, the benchmark)
without MEC hardware or cloud accounts, ``mecrouter emulate --tier mec`` stands up every configured
endpoint of one tier behind ``/v1/chat/completions``, each an ``EmulatedBackend`` whose latency,
capacity and failures follow its profile. A request's ``model`` names an endpoint by its model
(several endpoints with that model take turns) or by its endpoint id.

Routes: ``POST /v1/chat/completions`` (plain or SSE streaming), ``GET /v1/models``, ``GET /healthz``
(503 once every endpoint is down) and ``/admin/fault`` (GET shows, POST sets, DELETE clears the
injected faults). The admin routes exist for tests and demos: they are unauthenticated, which is
why the server binds loopback (127.0.0.1) by default.

This server is the upstream of the gateway benchmark at thousands of requests per second, so the
completion path is kept lean: one pydantic validation, orjson bytes in a plain ``Response``, no
per-request logging. Like a real server (vLLM aborts a request whose client left), a call is
abandoned when its client disconnects; the watcher that notices costs a task per request, so it is
skipped only where calls take no time anyway (``time_scale`` below 1e-3, no hang or slow fault).
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import math
import secrets
import sys
import time
from collections.abc import AsyncGenerator, Coroutine, Iterator
from dataclasses import asdict, dataclass
from typing import Any, TypeVar, cast

from fastapi import FastAPI, Request
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.responses import Response, StreamingResponse
from starlette.types import Receive, Scope, Send

from mecrouter.backends.base import GenerationRequest
from mecrouter.backends.emulated import EmulatedBackend
from mecrouter.config import Config
from mecrouter.errors import (
    BackendError,
    BackendUnavailable,
    ConfigError,
    InvalidRequestError,
)
from mecrouter.gateway.wire import (
    SSE_DONE,
    ChatCompletionRequest,
    chunk,
    completion,
    completion_id,
    dumps,
    error_body,
    sse,
    usage,
    validation_error,
)
from mecrouter.types import ComputeTier

_INSTANT_TIME_SCALE = 1e-3

__all__ = ["ENDPOINT_HEADER", "FaultSpec", "create_emulator_app", "run_emulator"]

ENDPOINT_HEADER = "x-mecrouter-emulated-endpoint"
_DEVICE_HEADER = "x-mecrouter-device-id"
_REQUEST_ID_HEADER = "x-request-id"
_JSON = "application/json"
_DEFAULT_MAX_TOKENS = 128
_CHARS_PER_TOKEN = 4  # EmulatedBackend's prompt-token estimate, reused for streamed usage
_UNAVAILABLE_RETRY_AFTER_S = 1
_CLIENT_CLOSED_REQUEST = 499  # nginx's status for "the client went away"; nobody reads it
_MAX_RECEIVES = 10_000

T = TypeVar("T")


class FaultSpec(BaseModel):
    """The body of ``POST /admin/fault``: see ``EmulatedBackend.set_fault``."""

    model_config = ConfigDict(extra="forbid")
    down: bool = False
    slow_factor: float = Field(default=1.0, gt=0.0, allow_inf_nan=False)
    error_rate: float | None = Field(default=None, ge=0.0, le=1.0)
    hang: bool = False
    endpoint: str | None = Field(default=None, min_length=1)


class _ClientGone(Exception):
    """The client disconnected before the backend answered."""


class _EventStream(StreamingResponse):
    """An SSE response that closes its event generator and the backend stream whatever happens.

    Starlette cancels the sending task when the client disconnects; if that lands while a chunk
    is being sent, the generator is left suspended and the backend would hold its slot until the
    garbage collector ran. Closing both here releases it at once.
    """

    def __init__(
        self,
        events: AsyncGenerator[bytes, None],
        upstream: AsyncGenerator[str, None],
        headers: dict[str, str],
    ) -> None:
        super().__init__(events, media_type="text/event-stream", headers=headers)
        self._events = events
        self._upstream = upstream

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        try:
            await super().__call__(scope, receive, send)
        finally:
            await self._events.aclose()
            await self._upstream.aclose()


@dataclass(slots=True, frozen=True)
class _StreamHead:
    """What every chunk of one streamed completion repeats."""

    cid: str
    model: str
    created: int
    include_usage: bool
    prompt_tokens: int


class _TierServer:
    """The endpoints of one tier and the route handlers that serve them."""

    def __init__(
        self,
        tier: ComputeTier,
        backends: list[EmulatedBackend],
        rtt_ms: float,
        *,
        instant: bool = False,
    ) -> None:
        self.tier = tier
        self._instant = instant  # calls take ~no time: no need to watch for disconnects
        self.backends = {b.endpoint.id: b for b in backends}
        self._rtt_ms = rtt_ms
        self._turns = _turns_by_name(backends)
        models = dict.fromkeys(b.endpoint.model for b in backends)
        self._models_body = dumps(
            {
                "object": "list",
                "data": [
                    {"id": m, "object": "model", "created": 0, "owned_by": "mecrouter-emulator"}
                    for m in models
                ],
            }
        )

    @property
    def models(self) -> list[str]:
        return list(dict.fromkeys(b.endpoint.model for b in self.backends.values()))

    async def chat_completions(self, request: Request) -> Response:
        try:
            body = ChatCompletionRequest.model_validate_json(await request.body())
        except ValidationError as exc:
            return _validation_error(exc)
        turns = self._turns.get(body.model)
        if turns is None:
            return _error(
                404,
                f"model {body.model!r} is not served by this {self.tier.value} emulator;"
                f" served: {', '.join(self.models)}",
                param="model",
                code="model_not_found",
            )
        backend = next(turns)
        call = self._generation_request(request, body)
        fault = backend.fault
        watch = fault.hang or fault.slow_factor != 1.0 or not self._instant
        try:
            if body.stream:
                return await _stream(request, body, backend, call, watch=watch)
            return await _complete(request, backend, call, watch=watch)
        except BackendError as exc:
            return _backend_error(exc, backend.endpoint.id)
        except _ClientGone:
            return Response(status_code=_CLIENT_CLOSED_REQUEST)

    def _generation_request(
        self, request: Request, body: ChatCompletionRequest
    ) -> GenerationRequest:
        """The backend call; ``messages`` stays empty because the emulator reads only ``prompt``."""
        headers = request.headers
        return GenerationRequest(
            request_id=headers.get(_REQUEST_ID_HEADER) or secrets.token_hex(8),
            prompt="\n".join(m.text() for m in body.messages),
            model=body.model,
            max_tokens=body.output_tokens or _DEFAULT_MAX_TOKENS,
            temperature=body.temperature,
            network_rtt_ms=self._rtt_ms,
            device_id=headers.get(_DEVICE_HEADER) or "",
        )

    async def list_models(self, request: Request) -> Response:
        return Response(self._models_body, media_type=_JSON)

    async def healthz(self, request: Request) -> Response:
        endpoints = [
            {
                "id": endpoint_id,
                "model": backend.endpoint.model,
                "node": backend.endpoint.node,
                "down": backend.fault.down,
                "in_flight": backend.in_flight,
            }
            for endpoint_id, backend in self.backends.items()
        ]
        all_down = all(e["down"] for e in endpoints)
        body = {"status": "down" if all_down else "ok", "tier": self.tier.value}
        return _json({**body, "endpoints": endpoints}, status=503 if all_down else 200)

    async def get_faults(self, request: Request) -> Response:
        return _json(self._fault_state())

    async def set_fault(self, request: Request) -> Response:
        try:
            spec = FaultSpec.model_validate_json(await request.body())
        except ValidationError as exc:
            return _validation_error(exc)
        targets = self._targets(spec.endpoint)
        if targets is None:
            return _unknown_endpoint(spec.endpoint)
        for backend in targets:
            backend.set_fault(
                down=spec.down,
                slow_factor=spec.slow_factor,
                error_rate=spec.error_rate,
                hang=spec.hang,
            )
        return _json(self._fault_state())

    async def clear_fault(self, request: Request) -> Response:
        name = request.query_params.get("endpoint")
        targets = self._targets(name)
        if targets is None:
            return _unknown_endpoint(name)
        for backend in targets:
            backend.clear_fault()
        return _json(self._fault_state())

    def _targets(self, name: str | None) -> list[EmulatedBackend] | None:
        """The endpoints ``name`` (an id or a model) designates; all of them for None."""
        if name is None:
            return list(self.backends.values())
        if name in self.backends:
            return [self.backends[name]]
        matching = [b for b in self.backends.values() if b.endpoint.model == name]
        return matching or None

    def _fault_state(self) -> dict[str, Any]:
        return {
            "tier": self.tier.value,
            "faults": {ep_id: asdict(b.fault) for ep_id, b in self.backends.items()},
        }


def create_emulator_app(
    config: Config,
    tier: ComputeTier,
    *,
    node: str | None = None,
    rtt_ms: float = 0.0,
    time_scale: float = 1.0,
    seed: int = 0,
) -> FastAPI:
    """An app serving every endpoint of ``tier`` (only ``node``'s, if given).

    ``app.state.backends`` maps endpoint id to its ``EmulatedBackend`` (tests read ``in_flight``).
    """
    if not (rtt_ms >= 0.0 and math.isfinite(rtt_ms)):
        raise InvalidRequestError("rtt_ms", f"must be a finite number >= 0, got {rtt_ms}")
    if not (time_scale > 0.0 and math.isfinite(time_scale)):
        raise InvalidRequestError("time_scale", f"must be a finite number > 0, got {time_scale}")
    endpoints = [
        ep for ep in config.endpoints if ep.tier is tier and (node is None or ep.node == node)
    ]
    if not endpoints:
        where = f" on node {node!r}" if node is not None else ""
        raise ConfigError("endpoints", f"no {tier.value} endpoint configured{where}")
    backends = [EmulatedBackend(ep, seed=seed, time_scale=time_scale) for ep in endpoints]
    server = _TierServer(tier, backends, rtt_ms, instant=time_scale < _INSTANT_TIME_SCALE)
    app = FastAPI(
        title=f"mecrouter {tier.value} emulator", docs_url=None, redoc_url=None, openapi_url=None
    )
    app.state.backends = server.backends
    # Plain Starlette routes: the handlers take the Request and return bytes themselves, so
    # FastAPI's dependency solving would only add ~40 us per request on the benchmark path.
    routes = (
        ("/v1/chat/completions", server.chat_completions, "POST"),
        ("/v1/models", server.list_models, "GET"),
        ("/healthz", server.healthz, "GET"),
        ("/admin/fault", server.get_faults, "GET"),
        ("/admin/fault", server.set_fault, "POST"),
        ("/admin/fault", server.clear_fault, "DELETE"),
    )
    for path, handler, method in routes:
        app.router.add_route(path, handler, methods=[method])
    app.add_exception_handler(Exception, _internal_error)
    return app


def run_emulator(
    config: Config,
    *,
    tier: str,
    host: str = "127.0.0.1",
    port: int = 9102,
    node: str | None = None,
    rtt_ms: float = 0.0,
    time_scale: float = 1.0,
    seed: int = 0,
) -> None:
    """Serve one tier until interrupted (blocking; uvicorn owns the event loop)."""
    try:
        compute_tier = ComputeTier(tier)
    except ValueError as exc:
        known = ", ".join(t.value for t in ComputeTier)
        raise InvalidRequestError(
            "tier", f"unknown tier {tier!r}; expected one of {known}"
        ) from exc
    app = create_emulator_app(
        config, compute_tier, node=node, rtt_ms=rtt_ms, time_scale=time_scale, seed=seed
    )
    import uvicorn  # the server only; tests build the app without it

    models = ", ".join(dict.fromkeys(b.endpoint.model for b in app.state.backends.values()))
    url_host = f"[{host}]" if ":" in host else host
    print(
        f"mecrouter emulator: {compute_tier.value} tier ({models}) at http://{url_host}:{port}/v1"
        f" (time_scale={time_scale:g}, rtt_ms={rtt_ms:g}, seed={seed})",
        file=sys.stderr,
        flush=True,
    )
    uvicorn.run(
        app,
        host=host,
        port=port,
        loop="uvloop",
        http="httptools",
        log_level="warning",
        access_log=False,
    )


async def _complete(
    request: Request, backend: EmulatedBackend, call: GenerationRequest, *, watch: bool
) -> Response:
    work = backend.generate(call)
    generation = await (_unless_disconnected(request, work) if watch else work)
    body = completion(
        completion_id(),
        generation.model,
        generation.text,
        prompt_tokens=generation.input_tokens,
        completion_tokens=generation.output_tokens,
        finish_reason=generation.finish_reason,
    )
    return Response(dumps(body), media_type=_JSON, headers={ENDPOINT_HEADER: backend.endpoint.id})


async def _stream(
    request: Request,
    body: ChatCompletionRequest,
    backend: EmulatedBackend,
    call: GenerationRequest,
    *,
    watch: bool,
) -> Response:
    """Wait for the first chunk, so that a failure before it is still an HTTP error status."""
    upstream = cast(AsyncGenerator[str, None], backend.stream(call))
    work = _first_chunk(upstream)
    first = await (_unless_disconnected(request, work) if watch else work)
    head = _StreamHead(
        cid=completion_id(),
        model=backend.endpoint.model,
        created=int(time.time()),
        include_usage=body.include_usage,
        prompt_tokens=max(1, len(call.prompt) // _CHARS_PER_TOKEN),
    )
    headers = {ENDPOINT_HEADER: backend.endpoint.id, "cache-control": "no-cache"}
    return _EventStream(_events(head, first, upstream), upstream, headers)


async def _first_chunk(upstream: AsyncGenerator[str, None]) -> str | None:
    try:
        return await anext(upstream)
    except StopAsyncIteration:
        return None


async def _events(
    head: _StreamHead, first: str | None, upstream: AsyncGenerator[str, None]
) -> AsyncGenerator[bytes, None]:
    """Role chunk, content chunks, finish chunk, usage chunk (if asked), ``[DONE]``."""
    cid, model, created = head.cid, head.model, head.created
    async with contextlib.aclosing(upstream):
        yield sse(chunk(cid, model, created, role="assistant", content=""))
        completion_tokens = 0
        if first is not None:
            completion_tokens += len(first.split())
            yield sse(chunk(cid, model, created, content=first))
        try:
            async for text in upstream:
                completion_tokens += len(text.split())
                yield sse(chunk(cid, model, created, content=text))
        except BackendError as exc:
            yield sse(_backend_error_body(exc)[1])
            return
        yield sse(chunk(cid, model, created, finish_reason="stop"))
        if head.include_usage:
            usage_ = usage(head.prompt_tokens, completion_tokens)
            yield sse(chunk(cid, model, created, usage_=usage_))
        yield SSE_DONE


async def _unless_disconnected(request: Request, work: Coroutine[Any, Any, T]) -> T:
    """Await ``work``, cancelling it (and raising ``_ClientGone``) if the client goes first."""
    task = asyncio.create_task(work)
    watcher = asyncio.create_task(_disconnected(request))
    try:
        await asyncio.wait((task, watcher), return_when=asyncio.FIRST_COMPLETED)
    finally:
        watcher.cancel()
        if not task.done():
            task.cancel()
            await asyncio.wait((task,))
    if task.cancelled():
        raise _ClientGone
    return task.result()


async def _disconnected(request: Request) -> None:
    """Return once the ASGI server reports the client gone (the body is already read)."""
    for _ in range(_MAX_RECEIVES):
        if (await request.receive())["type"] == "http.disconnect":
            return


def _turns_by_name(backends: list[EmulatedBackend]) -> dict[str, Iterator[EmulatedBackend]]:
    """Each model name cycles over its endpoints; an endpoint id always picks that endpoint."""
    by_model: dict[str, list[EmulatedBackend]] = {}
    for backend in backends:
        by_model.setdefault(backend.endpoint.model, []).append(backend)
    turns: dict[str, Iterator[EmulatedBackend]] = {
        model: itertools.cycle(group) for model, group in by_model.items()
    }
    turns.update({b.endpoint.id: itertools.cycle((b,)) for b in backends})
    return turns


def _json(
    body: dict[str, Any], *, status: int = 200, headers: dict[str, str] | None = None
) -> Response:
    return Response(dumps(body), status_code=status, media_type=_JSON, headers=headers)


def _error(
    status: int,
    message: str,
    *,
    type_: str = "invalid_request_error",
    param: str | None = None,
    code: str | None = None,
) -> Response:
    return _json(error_body(message, type_=type_, param=param, code=code), status=status)


def _validation_error(exc: ValidationError) -> Response:
    message, param, code = validation_error(exc)
    return _error(400, message, param=param, code=code)


def _unknown_endpoint(name: str | None) -> Response:
    return _error(
        404, f"no endpoint or model {name!r} here", param="endpoint", code="endpoint_not_found"
    )


def _backend_error(exc: BackendError, endpoint_id: str) -> Response:
    status, body = _backend_error_body(exc)
    headers = {ENDPOINT_HEADER: endpoint_id}
    retry_after_s = exc.retry_after_s
    if retry_after_s is None and status in (429, 503):
        retry_after_s = _UNAVAILABLE_RETRY_AFTER_S
    if retry_after_s is not None:
        headers["retry-after"] = str(max(1, math.ceil(retry_after_s)))
    return _json(body, status=status, headers=headers)


def _backend_error_body(exc: BackendError) -> tuple[int, dict[str, Any]]:
    """The HTTP status and OpenAI error body standing for a backend failure."""
    if isinstance(exc, BackendUnavailable):
        status, type_, code = 503, "service_unavailable", "endpoint_unavailable"
    else:
        status = exc.status if exc.status is not None and 400 <= exc.status <= 599 else 502
        type_, code = "server_error", "upstream_error"
    return status, error_body(str(exc), type_=type_, param=None, code=code)


async def _internal_error(request: Request, exc: Exception) -> Response:
    """The outermost boundary: a bug answers with OpenAI error JSON, never a stack trace."""
    return _error(500, "internal error in the emulator", type_="server_error", code="internal")
