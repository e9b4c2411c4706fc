"""The gateway on AWS Lambda behind an API Gateway HTTP API (payload format 2.0): the same FastAPI
app as `mecrouter serve`, through Mangum.

Per container, on its first event (the cold start):
- the config comes from ``MECROUTER_CONFIG``: a path, or an ``s3://`` URL fetched once into the
  container's cache (the CDK app writes it to the reports bucket from its parameters);
- decisions go to ``MECROUTER_STORE_URL`` (``dynamodb://prefix?region=...``);
- the app's start-up (store, router, publishers) runs once on the container's event loop and
  stays up for the container's life. Mangum then runs each event on that loop with its own
  lifespan handling off: left on, it starts and stops the app around every event.

API keys are checked before the function by the HTTP API's Lambda authorizer
(`serverless.authorizer`), whose answer reaches the function as
``requestContext.authorizer.lambda.key_id``. The app runs with its own key file off (a file in a
function's ``/tmp`` would be one per container), and answers an event that did not pass an
authorizer with the gateway's own 401 (an integration left without one must not open the
gateway). Per-key rate limits and budgets are then the API's throttling, not the gateway's.

Streaming: an HTTP API returns a function's answer whole, so a ``"stream": true`` request gets
its server-sent events in one body when the answer is complete, within the API's 30 s timeout;
the edge container streams as it goes (docs/deploy.md).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from dataclasses import dataclass
from typing import Any, Final

from starlette.types import ASGIApp, Receive, Scope, Send

from mecrouter.gateway.app import GatewaySettings, create_app
from mecrouter.gateway.wire import dumps, error_body
from mecrouter.pipeline import Router
from mecrouter.serverless.config_source import config_path

__all__ = ["OPEN_PATHS", "RequireAuthorizer", "Started", "build_handler", "handler"]

OPEN_PATHS: Final = frozenset({"/healthz", "/readyz"})


class RequireAuthorizer:
    """401 in OpenAI's error shape for an event without the authorizer's key id (but on the
    health routes); the key id goes on as the ``x-mecrouter-key-id`` header for the logs."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["path"] in OPEN_PATHS:
            await self.app(scope, receive, send)
            return
        context = scope.get("aws.event", {}).get("requestContext", {})
        key_id = (context.get("authorizer") or {}).get("lambda", {}).get("key_id")
        if not key_id:
            body = dumps(error_body("missing or invalid API key", code="invalid_api_key"))
            headers = [(b"content-type", b"application/json")]
            await send({"type": "http.response.start", "status": 401, "headers": headers})
            await send({"type": "http.response.body", "body": body})
            return
        headers = [*scope["headers"], (b"x-mecrouter-key-id", str(key_id).encode())]
        await self.app({**scope, "headers": headers}, receive, send)


@dataclass
class Started:
    """A Mangum handler over the gateway app, and the app's running start-up (kept open for the
    container's life; `stop` closes it, as a container's shutdown or a test does)."""

    adapter: Any
    loop: asyncio.AbstractEventLoop
    lifespan: contextlib.AsyncExitStack

    def __call__(self, event: dict[str, Any], context: Any) -> dict[str, Any]:
        response: dict[str, Any] = self.adapter(event, context)
        return response

    def stop(self) -> None:
        self.loop.run_until_complete(self.lifespan.aclose())


def build_handler(settings: GatewaySettings, router: Router | None = None) -> Started:
    """The gateway app started once on a loop of its own, under Mangum with lifespan off (a
    `router` passed in is used instead of building one from the settings, as by `create_app`)."""
    from mangum import Mangum

    app = create_app(settings, router=router)
    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)  # Mangum runs every event on the thread's current loop
    lifespan = contextlib.AsyncExitStack()
    loop.run_until_complete(lifespan.enter_async_context(app.router.lifespan_context(app)))
    return Started(Mangum(RequireAuthorizer(app), lifespan="off"), loop, lifespan)


_handler: Started | None = None


def handler(event: dict[str, Any], context: Any) -> dict[str, Any]:
    """The Lambda entry point."""
    global _handler
    if _handler is None:
        settings = GatewaySettings(
            config_path=config_path(os.environ.get("MECROUTER_CONFIG")),
            store_url=os.environ.get("MECROUTER_STORE_URL") or None,
            auth=False,
        )
        _handler = build_handler(settings)
    return _handler(event, context)
