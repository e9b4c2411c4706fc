"""The hot routes' short way in: a request for one of them goes straight to its handler, past
FastAPI's route matching, dependency solving and exception middleware.

The chat route carries nearly all of a gateway's traffic, and on it those layers cost about a
tenth of a worker's CPU (docs/benchmarks.md). `ShortRoutes` sits inside the app's own middleware
(so the body limit, the server-error guard and the counters still apply) and answers an exact
(method, path) from its table with the same handler FastAPI has registered for it; an exception
from the handler is answered by the same error handler the app uses. Every other request goes on
into FastAPI unchanged, which also keeps serving the hot routes' OpenAPI documents.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Mapping

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

__all__ = ["ErrorHandler", "Handler", "ShortRoutes"]

Handler = Callable[[Request], Awaitable[Response]]
ErrorHandler = Callable[[Request, Exception], Awaitable[Response]]


class ShortRoutes:
    """ASGI middleware: `routes` maps (method, exact path) to a handler."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        routes: Mapping[tuple[str, str], Handler],
        on_error: ErrorHandler,
    ) -> None:
        self.app, self._routes, self._on_error = app, dict(routes), on_error

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        handler = None
        if scope["type"] == "http":
            handler = self._routes.get((scope["method"], scope["path"]))
        if handler is None:
            await self.app(scope, receive, send)
            return
        request = Request(scope, receive, send)
        try:
            response = await handler(request)
        # Every exception, as FastAPI's exception middleware would: the app's handler answers it
        # in OpenAI's shape and logs the unexpected ones with their tracebacks.
        except Exception as exc:  # noqa: BLE001
            response = await self._on_error(request, exc)
        await response(scope, receive, send)
