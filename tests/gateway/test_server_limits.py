"""The server's own limits, against a real `mecrouter serve` on 127.0.0.1 with raw sockets: a head
or body sent too slowly is a 408 and the connection closed, a huge head or too many header lines
a 431; each exchange is bounded in time."""

from __future__ import annotations

import asyncio
import select
import socket
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from mecrouter.gateway.server_limits import _OneWritePerTurn
from mecrouter.gateway.topology import Process, free_port, mecrouter_command

HEADER_TIMEOUT_S = 1.0
BODY_TIMEOUT_S = 1.5
MAX_HEADER_BYTES = 8192
MAX_HEADERS = 20
GIVE_UP_S = 8.0  # no exchange here may take longer


@pytest.fixture(scope="module")
def gateway() -> Iterator[tuple[str, int]]:
    port = free_port()
    with tempfile.TemporaryDirectory() as tmp:
        argv = [
            *mecrouter_command(), "serve", "--no-auth", "--port", str(port),
            "--db", str(Path(tmp) / "d.sqlite3"),
            "--header-timeout-s", str(HEADER_TIMEOUT_S),
            "--body-timeout-s", str(BODY_TIMEOUT_S),
            "--max-header-bytes", str(MAX_HEADER_BYTES),
            "--max-headers", str(MAX_HEADERS),
        ]  # fmt: skip
        proc = Process("gateway", argv, f"http://127.0.0.1:{port}/healthz", Path(tmp) / "gw.log")
        proc.start()
        try:
            proc.wait_ready()
            yield "127.0.0.1", port
        finally:
            proc.stop()


def _exchange(address: tuple[str, int], *parts: bytes, pause_s: float = 0.0) -> tuple[bytes, float]:
    """Send `parts` (pausing between them) until the server answers, then read until it closes;
    (reply, seconds)."""
    started = time.monotonic()
    with socket.create_connection(address, timeout=GIVE_UP_S) as sock:
        for part in parts:
            if select.select([sock], [], [], 0)[0]:  # the server answered already: stop sending
                break
            sock.sendall(part)
            time.sleep(pause_s)
        reply = b""
        while chunk := sock.recv(65536):
            reply += chunk
    return reply, time.monotonic() - started


def test_a_head_sent_too_slowly_is_a_408_within_the_header_timeout(
    gateway: tuple[str, int],
) -> None:
    drip = [b"GET /healthz HTTP/1.1\r\n", *[b"x-slow: %d\r\n" % i for i in range(30)]]
    reply, took_s = _exchange(gateway, *drip, pause_s=0.2)
    assert reply.startswith(b"HTTP/1.1 408 ")
    assert HEADER_TIMEOUT_S <= took_s < HEADER_TIMEOUT_S + 2.0


def test_a_connection_that_sends_nothing_is_closed_at_the_header_timeout(
    gateway: tuple[str, int],
) -> None:
    reply, took_s = _exchange(gateway)
    assert reply.startswith(b"HTTP/1.1 408 ")
    assert took_s < HEADER_TIMEOUT_S + 2.0


def test_a_body_sent_too_slowly_is_a_408_and_the_connection_closed(
    gateway: tuple[str, int],
) -> None:
    head = (
        b"POST /v1/chat/completions HTTP/1.1\r\nhost: gw\r\ncontent-type: application/json\r\n"
        b"content-length: 1000\r\n\r\n"
    )
    reply, took_s = _exchange(gateway, head, *[b"{" for _ in range(40)], pause_s=0.1)
    assert reply.startswith(b"HTTP/1.1 408 ")
    assert b"request_timeout" in reply
    assert BODY_TIMEOUT_S <= took_s < BODY_TIMEOUT_S + 2.5


def test_a_huge_header_is_a_431(gateway: tuple[str, int]) -> None:
    head = b"GET /healthz HTTP/1.1\r\nx-big: " + b"a" * 1_000_000 + b"\r\n\r\n"
    reply, took_s = _exchange(gateway, head)
    assert reply.startswith(b"HTTP/1.1 431 ")
    assert took_s < GIVE_UP_S


def test_too_many_header_lines_are_a_431(gateway: tuple[str, int]) -> None:
    lines = b"".join(b"x-h%d: 1\r\n" % i for i in range(MAX_HEADERS + 1))
    reply, _ = _exchange(gateway, b"GET /healthz HTTP/1.1\r\n" + lines + b"\r\n")
    assert reply.startswith(b"HTTP/1.1 431 ")
    many = b"".join(b"x-h%d: 1\r\n" % i for i in range(10_000))
    reply, _ = _exchange(gateway, b"GET /healthz HTTP/1.1\r\n" + many + b"\r\n")
    assert reply.startswith(b"HTTP/1.1 431 ")


def test_a_request_within_the_limits_is_answered(gateway: tuple[str, int]) -> None:
    lines = b"".join(b"x-h%d: 1\r\n" % i for i in range(MAX_HEADERS - 2))
    head = b"GET /healthz HTTP/1.1\r\nhost: gw\r\nconnection: close\r\n" + lines + b"\r\n"
    reply, _ = _exchange(gateway, head)
    assert reply.startswith(b"HTTP/1.1 200 ")


class _Recorder(asyncio.Transport):
    def __init__(self) -> None:
        super().__init__()
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes | bytearray | memoryview) -> None:
        self.writes.append(bytes(data))

    def is_closing(self) -> bool:
        return self.closed

    def get_write_buffer_size(self) -> int:
        return 0

    def close(self) -> None:
        self.closed = True

    def abort(self) -> None:
        self.closed = True


async def test_writes_of_one_loop_turn_reach_the_socket_as_one() -> None:
    """A response's head and body (written in one turn) go out in one write; a stream's chunks
    (written on later turns) each in their own; close sends what waits; abort drops it."""
    inner = _Recorder()
    outer = _OneWritePerTurn(inner, asyncio.get_running_loop())
    outer.write(b"HTTP/1.1 200 OK\r\n\r\n")
    outer.write(b"data: 1\n\n")
    assert inner.writes == []  # nothing yet: the turn is not over
    assert outer.get_write_buffer_size() == len(b"HTTP/1.1 200 OK\r\n\r\ndata: 1\n\n")
    await asyncio.sleep(0)
    assert inner.writes == [b"HTTP/1.1 200 OK\r\n\r\ndata: 1\n\n"]
    outer.write(b"data: 2\n\n")
    await asyncio.sleep(0)
    outer.write(b"data: [DONE]\n\n")
    outer.close()
    assert inner.writes[1:] == [b"data: 2\n\n", b"data: [DONE]\n\n"]
    assert inner.closed
    await asyncio.sleep(0)  # the pending flush finds nothing left to send
    assert len(inner.writes) == 3
    dropped = _Recorder()
    aborting = _OneWritePerTurn(dropped, asyncio.get_running_loop())
    aborting.write(b"never sent")
    aborting.abort()
    await asyncio.sleep(0)
    assert dropped.writes == []
