"""What the HTTP server itself bounds before and while the app reads a request (slowloris, huge
or countless headers): `mecrouter serve` runs uvicorn with `limited_protocol(...)` as its HTTP
protocol and the app inside `BodyTimeout`.

- A request's head (request line and headers) must arrive within `header_timeout_s` of the
  connection opening or of the previous request ending; otherwise the server answers 408 and
  closes the connection (the app never sees it). An idle keep-alive connection is closed by
  uvicorn's own `timeout_keep_alive`.
- A head over `max_header_bytes` (counted as received, so exact to one read of the socket) or
  with more than `max_headers` header lines is answered 431 and the connection closed.
- `BodyTimeout`: the whole body must arrive within `body_timeout_s` of the head; otherwise the
  app answers 408 (OpenAI error JSON, counted like every error) and the connection is closed.

Imported by `serve` only: it imports uvicorn, which `mecrouter route` never needs.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Any, ClassVar

from starlette.types import ASGIApp, Message, Receive, Scope, Send
from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from mecrouter.gateway.errors import ApiError
from mecrouter.gateway.wire import dumps, error_body

__all__ = ["BodyTimeout", "ServerLimits", "limited_protocol"]

_LINGER_S = 2.0
_REASONS = {408: b"Request Timeout", 431: b"Request Header Fields Too Large"}


@dataclass(slots=True, frozen=True)
class ServerLimits:
    header_timeout_s: float = 10.0
    max_header_bytes: int = 65_536
    max_headers: int = 100


class _HeadersRefused(Exception):
    """Raised from a parser callback to stop parsing a head that is over the limits."""


def limited_protocol(limits: ServerLimits) -> type[HttpToolsProtocol]:
    """uvicorn's httptools protocol with `limits` on each request's head."""
    return type("LimitedHttpToolsProtocol", (_LimitedProtocol,), {"limits": limits})


class _LimitedProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with `limits` on each request's head."""

    limits: ClassVar[ServerLimits] = ServerLimits()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._in_head = True
        self._head_bytes = 0
        self._head_timer: asyncio.TimerHandle | None = None
        self._refusal: tuple[int, str] | None = None
        self._refused = False

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(_OneWritePerTurn(transport, self.loop))
        self._arm_head_timer()

    def connection_lost(self, exc: Exception | None) -> None:
        self._disarm_head_timer()
        super().connection_lost(exc)

    def data_received(self, data: bytes) -> None:
        if self._refused:  # read and drop what still comes, so that closing sends no reset
            return
        if self._in_head:
            self._arm_head_timer()
            self._head_bytes += len(data)
        super().data_received(data)
        if self._in_head and self._head_bytes > self.limits.max_header_bytes:
            self._refuse(431, f"request head over {self.limits.max_header_bytes} bytes")

    def on_header(self, name: bytes, value: bytes) -> None:
        super().on_header(name, value)
        if len(self.headers) > self.limits.max_headers:
            self._refusal = (431, f"more than {self.limits.max_headers} header lines")
            raise _HeadersRefused

    def on_headers_complete(self) -> None:
        self._in_head = False
        self._disarm_head_timer()
        super().on_headers_complete()

    def on_message_complete(self) -> None:
        super().on_message_complete()
        self._in_head, self._head_bytes = True, 0

    def send_400_response(self, msg: str) -> None:
        if self._refusal is None:
            super().send_400_response(msg)
        else:
            self._refuse(*self._refusal)

    def _arm_head_timer(self) -> None:
        if self._head_timer is None:
            self._head_timer = self.loop.call_later(
                self.limits.header_timeout_s, self._head_timed_out
            )

    def _disarm_head_timer(self) -> None:
        if self._head_timer is not None:
            self._head_timer.cancel()
            self._head_timer = None

    def _head_timed_out(self) -> None:
        self._head_timer = None
        if self._in_head and (self.cycle is None or self.cycle.response_complete):
            self._refuse(408, f"request head not received within {self.limits.header_timeout_s} s")

    def _refuse(self, status: int, message: str) -> None:
        """Answer `status` and end the connection: our side at once (the client reads the
        answer, then end of file); the socket after `_LINGER_S`, meanwhile dropping what the
        client still sends (closing on unread data would reset the connection, and the client
        might lose the answer)."""
        if self._refused or self.transport.is_closing():
            return
        self._refused = True
        self._disarm_head_timer()
        self.transport.write(_raw_error(status, message))
        if self.transport.can_write_eof():
            self.transport.write_eof()
        self.loop.call_later(_LINGER_S, self.transport.close)


class _OneWritePerTurn(asyncio.Transport):
    """A connection's transport whose writes made in one event-loop turn reach the socket as one
    write, at the end of that turn (or at once when the connection closes).

    uvicorn writes a response's head as soon as the app starts the response, and its body with
    the next message: two writes, two TCP segments and two wake-ups of the client for an answer
    that is ready at once. On loopback and in VMs a wake-up costs more than the Python that
    builds the answer, so one write instead of two cuts the gateway's kernel time and the
    client's. A stream's chunks, sent on separate turns, still go out as they come.
    """

    def __init__(self, transport: asyncio.Transport, loop: asyncio.AbstractEventLoop) -> None:
        super().__init__()
        self._transport, self._loop = transport, loop
        self._pending: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._pending:
            self._loop.call_soon(self._flush)
        self._pending.append(bytes(data))

    def _flush(self) -> None:
        if self._pending:
            data = b"".join(self._pending)
            self._pending.clear()
            if not self._transport.is_closing():
                self._transport.write(data)

    def write_eof(self) -> None:
        self._flush()
        self._transport.write_eof()

    def can_write_eof(self) -> bool:
        return self._transport.can_write_eof()

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def abort(self) -> None:
        self._pending.clear()
        self._transport.abort()

    def is_closing(self) -> bool:
        return self._transport.is_closing()

    def get_extra_info(self, name: str, default: Any = None) -> Any:
        return self._transport.get_extra_info(name, default)

    def pause_reading(self) -> None:
        self._transport.pause_reading()

    def resume_reading(self) -> None:
        self._transport.resume_reading()

    def is_reading(self) -> bool:
        return self._transport.is_reading()

    def set_protocol(self, protocol: asyncio.BaseProtocol) -> None:
        self._transport.set_protocol(protocol)

    def get_protocol(self) -> asyncio.BaseProtocol:
        return self._transport.get_protocol()

    def get_write_buffer_size(self) -> int:
        return self._transport.get_write_buffer_size() + sum(map(len, self._pending))

    def set_write_buffer_limits(self, high: int | None = None, low: int | None = None) -> None:
        self._transport.set_write_buffer_limits(high, low)


def _raw_error(status: int, message: str) -> bytes:
    """A whole HTTP/1.1 error response with OpenAI's error JSON, closing the connection."""
    code = "request_timeout" if status == 408 else "request_header_fields_too_large"
    body = dumps(error_body(message, code=code))
    head = (
        b"HTTP/1.1 %d %s\r\ncontent-type: application/json\r\ncontent-length: %d\r\n"
        b"connection: close\r\n\r\n" % (status, _REASONS[status], len(body))
    )
    return head + body


class BodyTimeout:
    """408 (and the connection closed) when a request's body has not all arrived within
    `timeout_s` of its head; raised from `receive` so the app's error handler answers it."""

    def __init__(self, app: ASGIApp, timeout_s: float) -> None:
        self.app, self.timeout_s = app, timeout_s

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        deadline = asyncio.get_running_loop().time() + self.timeout_s
        body_done = False

        async def timed() -> Message:
            nonlocal body_done
            if body_done:  # later receives only wait for a disconnect: not bounded here
                return await receive()
            try:
                async with asyncio.timeout_at(deadline):
                    message = await receive()
            except TimeoutError:
                raise ApiError(
                    408,
                    f"request body not received within {self.timeout_s:g} s",
                    code="request_timeout",
                    headers={"connection": "close"},
                ) from None
            body_done = message["type"] != "http.request" or not message.get("more_body", False)
            return message

        await self.app(scope, timed, send)
