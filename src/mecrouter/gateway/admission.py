"""What a request must pass before the pipeline sees it: the caller's API key, its rate limit and
budget, a valid body and a model that exists; then its translation into an `InferenceRequest`.
Every refusal is an `ApiError` with OpenAI's status and code."""

from __future__ import annotations

from typing import Any, Final

import pydantic
from fastapi import Request

from mecrouter.gateway.auth import ApiKey, budget_exceeded
from mecrouter.gateway.errors import ApiError
from mecrouter.gateway.state import GatewayState
from mecrouter.gateway.translate import to_inference_request
from mecrouter.gateway.wire import ChatCompletionRequest, validation_error
from mecrouter.types import CAPABILITY_FIELDS, InferenceRequest, required_capabilities

__all__ = [
    "AUTO_MODEL",
    "admit",
    "authorize",
    "charge",
    "inference_request",
    "json_object",
    "parse_chat",
    "validate_chat",
    "validation_api_error",
]

AUTO_MODEL: Final = "auto"


def authorize(state: GatewayState, request: Request) -> ApiKey | None:
    """The caller's key (None when auth is off); 401 when it is missing, unknown or revoked
    (here or, with shared state, by any replica). Counts nothing: see `admit`."""
    if state.keys is None:
        return None
    header = request.headers.get("authorization", "")
    scheme, _, secret = header.partition(" ")
    if scheme.lower() != "bearer" or not secret.strip():
        raise ApiError(
            401, "missing API key: send Authorization: Bearer <key>", code="missing_api_key"
        )
    key = state.keys.verify(secret.strip())
    if key is None or (state.shared is not None and key.key_id in state.shared.revoked):
        raise ApiError(401, "invalid or revoked API key", code="invalid_api_key")
    return key


async def admit(state: GatewayState, request: Request) -> ApiKey | None:
    """`authorize`, then the key's rate limit (429) and budget (402): across every replica when
    the state is shared and Redis answers, else this process's own."""
    key = authorize(state, request)
    if key is None or state.keys is None:
        return key
    shared = None if state.shared is None else await state.shared.admit(key.key_id, key.rpm_limit)
    if shared is not None:
        retry_after = shared.retry_after_s
    else:
        retry_after = state.limiter.check(key.key_id, key.rpm_limit)
    if retry_after is not None:
        raise ApiError(
            429,
            f"rate limit of {key.rpm_limit} requests per minute reached",
            type_="rate_limit_error",
            code="rate_limit_exceeded",
            headers={"retry-after": str(max(1, round(retry_after)))},
        )
    if key.budget_usd is None:
        return key  # nothing to look up on the hot path
    spent = state.keys.spent_usd(key.key_id)
    if shared is not None and shared.spent_usd is not None:
        spent = max(spent, shared.spent_usd)  # this replica's spend may not have arrived yet
    if budget_exceeded(key, spent):
        raise ApiError(
            402,
            f"spend budget of ${key.budget_usd} for this key is used up",
            type_="insufficient_quota",
            code="budget_exceeded",
        )
    return key


def charge(state: GatewayState, key: ApiKey | None, cost_usd: float) -> None:
    """Add a served request's cost to its key's spend (saved by the app's flusher) and, with
    shared state, to the spend every replica sees (sent in the background)."""
    if key is not None and state.keys is not None and cost_usd > 0:
        seed_usd = state.keys.spent_usd(key.key_id) if state.shared is not None else 0.0
        state.keys.add_spend(key.key_id, cost_usd, autoflush=False)
        if state.shared is not None:
            state.shared.add_spend(key.key_id, cost_usd, seed_usd)


def inference_request(
    state: GatewayState, key: ApiKey | None, body: ChatCompletionRequest, request: Request
) -> InferenceRequest:
    """The pipeline's request; it is owned by the caller's key, whatever the body's `user` says
    (that names the end user)."""
    req = to_inference_request(
        body,
        request.headers,
        user_id=key.key_id if key else "anonymous",
        request_id=request.headers.get("x-request-id"),
        pinned_model=_pinned(state, body.model),
        use_cases=state.config.use_cases,
    )
    _refuse_unsupported(state, req)
    if key is None:
        return req
    return req.model_copy(update={"owner_id": key.key_id, "tenant": key.tenant})


def _refuse_unsupported(state: GatewayState, req: InferenceRequest) -> None:
    """400 naming the field when no endpoint the request may go to can honour its options
    (a configuration fact; endpoints that could but are down make a 503 later)."""
    needs = required_capabilities(req)
    if not needs:
        return
    eligible = [
        ep.supports
        for ep in state.config.endpoints
        if (req.model is None or req.model in (ep.model, ep.id))
        and (req.allowed_tiers is None or ep.tier in req.allowed_tiers)
    ]
    if any(needs <= supports for supports in eligible):
        return
    offered = frozenset().union(*eligible)
    ordered = [cap for cap in CAPABILITY_FIELDS if cap in needs]
    alone = [cap for cap in ordered if cap not in offered]
    cap = (alone or ordered)[0]
    field = CAPABILITY_FIELDS[cap]
    where = f"model {req.model!r}" if req.model else "the endpoints this request may use"
    together = "" if alone else " together with " + ", ".join(c for c in ordered if c != cap)
    raise ApiError(
        400,
        f"{field}: {cap}{together} is not supported by {where}",
        param=field,
        code="unsupported_parameter",
    )


def _pinned(state: GatewayState, model: str) -> str | None:
    if model == AUTO_MODEL:
        return None
    if model not in state.models:
        raise ApiError(
            404,
            f"the model {model!r} does not exist; use 'auto' or one of GET /v1/models",
            param="model",
            code="model_not_found",
        )
    return model


def json_object(raw: bytes) -> dict[str, Any]:
    try:
        data = pydantic.TypeAdapter(dict[str, Any]).validate_json(raw)
    except pydantic.ValidationError as exc:
        raise ApiError(400, "the body must be a JSON object", code="invalid_json") from exc
    return data


def parse_chat(raw: bytes) -> ChatCompletionRequest:
    try:
        return ChatCompletionRequest.model_validate_json(raw)
    except pydantic.ValidationError as exc:
        raise validation_api_error(exc) from exc


def validate_chat(data: dict[str, Any]) -> ChatCompletionRequest:
    try:
        return ChatCompletionRequest.model_validate(data)
    except pydantic.ValidationError as exc:
        raise validation_api_error(exc) from exc


def validation_api_error(exc: pydantic.ValidationError) -> ApiError:
    message, param, code = validation_error(exc)
    return ApiError(400, message, param=param, code=code)
