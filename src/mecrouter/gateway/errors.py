"""The gateway's HTTP errors: OpenAI's error JSON for every failure, and the body-size limit.

Every exception that reaches the boundary becomes ``{"error": {"message", "type", "param",
"code"}}`` with a fitting status; internals are logged on the server and never sent to the client.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import Response
from starlette.exceptions import HTTPException as StarletteHTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from mecrouter.errors import (
    AllEndpointsFailed,
    FeedbackError,
    InvalidRequestError,
    MecrouterError,
    NoRouteError,
)
from mecrouter.gateway.wire import dumps, error_body

__all__ = ["ApiError", "BodyLimit", "add_error_handlers"]

log = logging.getLogger(__name__)


class ApiError(Exception):
    """An error answered with OpenAI's error JSON."""

    def __init__(
        self,
        status: int,
        message: str,
        *,
        type_: str = "invalid_request_error",
        param: str | None = None,
        code: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(message)
        self.status, self.message, self.type, self.param, self.code = (
            status,
            message,
            type_,
            param,
            code,
        )
        self.headers = headers or {}


def _error_response(err: ApiError) -> Response:
    body = error_body(err.message, type_=err.type, param=err.param, code=err.code)
    return Response(
        dumps(body), status_code=err.status, media_type="application/json", headers=err.headers
    )


def add_error_handlers(
    app: FastAPI, on_error: Callable[[Request, int, str | None], None]
) -> Callable[[Request, Exception], Awaitable[Response]]:
    """Answer every exception with OpenAI's error JSON; `on_error` counts it. Returns the
    handler, for the routes that bypass FastAPI's exception middleware (`short_routes`)."""

    async def api_error(request: Request, exc: Exception) -> Response:
        err = _as_api_error(exc)
        on_error(request, err.status, err.code)
        return _error_response(err)

    for kind in (
        ApiError,
        MecrouterError,
        RequestValidationError,
        StarletteHTTPException,
        Exception,
    ):
        app.add_exception_handler(kind, api_error)
    return api_error


def _as_api_error(exc: Exception) -> ApiError:
    """Every failure as an OpenAI-shaped error; internals are logged, never sent."""
    if isinstance(exc, ApiError):
        return exc
    if isinstance(exc, InvalidRequestError):
        return ApiError(400, exc.message, param=exc.field, code="invalid_value")
    if isinstance(exc, FeedbackError):
        code = "decision_not_found" if exc.status == 404 else "feedback_conflict"
        return ApiError(exc.status, str(exc), param="decision_id", code=code)
    if isinstance(exc, NoRouteError):
        return ApiError(
            503, str(exc), type_="service_unavailable", code="no_route", headers=_retry(1)
        )
    if isinstance(exc, AllEndpointsFailed):
        # The gateway has already failed over within the deadline; when that used it up, a
        # client's automatic retry (the OpenAI SDKs retry 5xx twice) would only triple the wait.
        headers = {"x-should-retry": "false"} if exc.deadline_spent else _retry(1)
        return ApiError(
            503, str(exc), type_="service_unavailable", code="all_endpoints_failed",
            headers=headers,
        )  # fmt: skip
    if isinstance(exc, RequestValidationError):
        first = exc.errors()[0] if exc.errors() else {"loc": (), "msg": "invalid request"}
        param = ".".join(str(p) for p in first["loc"] if p != "body") or None
        return ApiError(400, str(first["msg"]), param=param, code="invalid_value")
    if isinstance(exc, StarletteHTTPException):
        code = "not_found" if exc.status_code == 404 else "http_error"
        return ApiError(exc.status_code, str(exc.detail), code=code)
    log.error("unhandled error in the gateway", exc_info=exc)
    return ApiError(500, "internal error", type_="server_error", code="internal_error")


def _retry(seconds: int) -> dict[str, str]:
    return {"retry-after": str(seconds)}


class BodyLimit:
    """413 before reading more than `max_bytes` of a request body (declared or streamed)."""

    def __init__(self, app: ASGIApp, max_bytes: int) -> None:
        self.app, self.max_bytes = app, max_bytes

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared = dict(scope["headers"]).get(b"content-length")
        if declared is not None and declared.isdigit() and int(declared) > self.max_bytes:
            await _send_too_large(send, self.max_bytes)
            return
        seen = 0

        async def limited() -> Message:
            nonlocal seen
            message = await receive()
            if message["type"] == "http.request":
                seen += len(message.get("body", b""))
                if seen > self.max_bytes:
                    raise ApiError(413, _too_large(self.max_bytes), code="request_too_large")
            return message

        await self.app(scope, limited, send)


def _too_large(max_bytes: int) -> str:
    return f"request body over the {max_bytes}-byte limit"


async def _send_too_large(send: Send, max_bytes: int) -> None:
    body = dumps(error_body(_too_large(max_bytes), code="request_too_large"))
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": 413, "headers": headers})
    await send({"type": "http.response.body", "body": body})
