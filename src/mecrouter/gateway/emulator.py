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

This module builds the app and serves the completions; `emulator_http` answers one call
(JSON, SSE, errors, disconnects) and `emulator_faults` is the fault admin API.
"""

from __future__ import annotations

import itertools
import math
import secrets
import sys
from collections.abc import Iterator
from typing import Any

from fastapi import FastAPI, Request
from pydantic import ValidationError
from starlette.responses import Response

from mecrouter.backends.base import GenerationOptions, GenerationRequest
from mecrouter.backends.emulated import EmulatedBackend
from mecrouter.config import Config
from mecrouter.errors import BackendError, ConfigError, InvalidRequestError
from mecrouter.gateway.emulator_bedrock import converse, converse_stream
from mecrouter.gateway.emulator_faults import FaultAdmin
from mecrouter.gateway.emulator_http import (
    JSON_TYPE,
    ClientGone,
    backend_error,
    complete,
    error,
    json_response,
    stream,
    validation_error_response,
)
from mecrouter.gateway.translate import generation_options_of, message_of
from mecrouter.gateway.wire import ChatCompletionRequest, dumps
from mecrouter.types import ComputeTier, Message

__all__ = ["APIS", "create_emulator_app", "run_emulator"]

APIS = ("openai", "bedrock")

_INSTANT_TIME_SCALE = 1e-3
_DEVICE_HEADER = "x-mecrouter-device-id"
_REQUEST_ID_HEADER = "x-request-id"
_DEFAULT_MAX_TOKENS = 128
_CLIENT_CLOSED_REQUEST = 499  # nginx's status for "the client went away"; nobody reads it


class _TierServer:
    """The endpoints of one tier and the route handlers that serve them (faults apart)."""

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
            return validation_error_response(exc)
        turns = self._turns.get(body.model)
        if turns is None:
            return error(
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
                return await stream(request, body, backend, call, watch=watch)
            return await complete(request, backend, call, watch=watch)
        except BackendError as exc:
            return backend_error(exc, backend.endpoint.id)
        except ClientGone:
            return Response(status_code=_CLIENT_CLOSED_REQUEST)

    def _generation_request(
        self, request: Request, body: ChatCompletionRequest
    ) -> GenerationRequest:
        """The backend call; ``messages`` stays empty unless OpenAI options are set (the
        emulator reads only ``prompt`` for a plain answer)."""
        headers = request.headers
        options = _options(body)
        return GenerationRequest(
            request_id=headers.get(_REQUEST_ID_HEADER) or secrets.token_hex(8),
            prompt="\n".join(m.text() for m in body.messages),
            model=body.model,
            max_tokens=body.output_tokens or _DEFAULT_MAX_TOKENS,
            temperature=body.temperature,
            top_p=body.top_p,
            network_rtt_ms=self._rtt_ms,
            device_id=headers.get(_DEVICE_HEADER) or "",
            options=options,
            messages=() if options is None else _messages(body),
        )

    def backend_for(self, model: str) -> EmulatedBackend | None:
        """The next endpoint (in turn) serving `model`, by model name or endpoint id."""
        turns = self._turns.get(model)
        return None if turns is None else next(turns)

    async def bedrock_converse(self, request: Request) -> Response:
        model = request.path_params["model_id"]
        return await converse(request, self.backend_for(model), model, self._rtt_ms)

    async def bedrock_converse_stream(self, request: Request) -> Response:
        model = request.path_params["model_id"]
        return await converse_stream(request, self.backend_for(model), model, self._rtt_ms)

    async def list_models(self, request: Request) -> Response:
        return Response(self._models_body, media_type=JSON_TYPE)

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
        return json_response({**body, "endpoints": endpoints}, status=503 if all_down else 200)


def create_emulator_app(
    config: Config,
    tier: ComputeTier,
    *,
    node: str | None = None,
    rtt_ms: float = 0.0,
    time_scale: float = 1.0,
    seed: int = 0,
    api: str = "openai",
) -> FastAPI:
    """An app serving every endpoint of ``tier`` (only ``node``'s, if given), on OpenAI's chat
    completions API or (``api="bedrock"``) Bedrock's Converse API.

    ``app.state.backends`` maps endpoint id to its ``EmulatedBackend`` (tests read ``in_flight``).
    """
    if not (rtt_ms >= 0.0 and math.isfinite(rtt_ms)):
        raise InvalidRequestError("rtt_ms", f"must be a finite number >= 0, got {rtt_ms}")
    if not (time_scale > 0.0 and math.isfinite(time_scale)):
        raise InvalidRequestError("time_scale", f"must be a finite number > 0, got {time_scale}")
    if api not in APIS:
        raise InvalidRequestError("api", f"unknown API {api!r}; expected one of {', '.join(APIS)}")
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
    faults = FaultAdmin(tier, server.backends)
    # Plain Starlette routes: the handlers take the Request and return bytes themselves, so
    # FastAPI's dependency solving would only add ~40 us per request on the benchmark path.
    face: tuple[tuple[str, Any, str], ...] = (
        ("/v1/chat/completions", server.chat_completions, "POST"),
        ("/v1/models", server.list_models, "GET"),
    )
    if api == "bedrock":
        face = (
            ("/model/{model_id}/converse", server.bedrock_converse, "POST"),
            ("/model/{model_id}/converse-stream", server.bedrock_converse_stream, "POST"),
        )
    routes = (
        *face,
        ("/healthz", server.healthz, "GET"),
        ("/admin/fault", faults.get_faults, "GET"),
        ("/admin/fault", faults.set_fault, "POST"),
        ("/admin/fault", faults.clear_fault, "DELETE"),
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
    api: str = "openai",
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
        config, compute_tier, node=node, rtt_ms=rtt_ms, time_scale=time_scale, seed=seed, api=api
    )
    import uvicorn  # the server only; tests build the app without it

    models = ", ".join(dict.fromkeys(b.endpoint.model for b in app.state.backends.values()))
    url_host = f"[{host}]" if ":" in host else host
    path = "/model/{modelId}/converse" if api == "bedrock" else "/v1"
    print(
        f"mecrouter emulator: {compute_tier.value} tier ({models}) at http://{url_host}:{port}{path}"
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


def _options(body: ChatCompletionRequest) -> GenerationOptions | None:
    fields = generation_options_of(body)
    if not fields:
        return None
    shaped: dict[str, Any] = {k: tuple(v) if isinstance(v, list) else v for k, v in fields.items()}
    return GenerationOptions(**shaped)


def _messages(body: ChatCompletionRequest) -> tuple[Message, ...]:
    return tuple(Message.model_validate(message_of(m)) for m in body.messages)


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


async def _internal_error(request: Request, exc: Exception) -> Response:
    """The outermost boundary: a bug answers with OpenAI error JSON, never a stack trace."""
    return error(500, "internal error in the emulator", type_="server_error", code="internal")
