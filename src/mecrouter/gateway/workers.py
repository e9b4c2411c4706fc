"""Running the gateway: one process, or a supervisor and `workers` forked processes sharing one
listening socket (`mecrouter serve --workers N`), each with its own event loop and app.

SIGTERM (or SIGINT) drains: each process stops accepting, lets requests and streams in flight
finish for up to `drain_s` (uvicorn's graceful shutdown), then closes the app, whose lifespan
flushes decision records and key spend, and exits 0. The supervisor passes the signal on, waits
for every worker, and exits 0 when they all did. A worker that dies unasked is started again.

Workers share nothing in memory: give them `--state redis://...` so that rate limits, budgets,
circuits and revocations are one (`gateway.shared`); without it each keeps its own.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import signal
import socket
import time
from collections.abc import Callable, Mapping
from multiprocessing.process import BaseProcess
from types import FrameType
from typing import Any, Final

from starlette.types import ASGIApp

__all__ = ["serve_app"]

log = logging.getLogger(__name__)
_RESTART_PAUSE_S: Final = 1.0  # a worker that keeps dying is not restarted in a tight loop
_EXTRA_STOP_S: Final = 10.0  # past the drain time, for the lifespan's flush


def serve_app(
    make_app: Callable[[], ASGIApp],
    *,
    host: str,
    port: int,
    workers: int,
    drain_s: float,
    server_options: Mapping[str, Any],
) -> int:
    """Serve `make_app()` until SIGTERM or SIGINT; the exit code (0 after a clean drain).
    `server_options` are uvicorn's (`http`, `loop`, `log_level`, ...)."""
    import uvicorn

    options = {**server_options, "timeout_graceful_shutdown": drain_s}
    if workers == 1:
        uvicorn.run(make_app(), host=host, port=port, **options)
        return 0
    listener = _listen(host, port)
    return _Supervisor(make_app, listener, workers, options, drain_s).run()


def _listen(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(2048)
    sock.set_inheritable(True)
    return sock


def _work(
    make_app: Callable[[], ASGIApp], listener: socket.socket, options: dict[str, Any]
) -> None:
    """One worker: its own app and event loop on the shared socket."""
    import uvicorn

    os.setpgrp()  # a Ctrl-C in the terminal reaches the supervisor only, which sends SIGTERM
    server = uvicorn.Server(uvicorn.Config(make_app(), **options))
    server.run(sockets=[listener])


class _Supervisor:
    def __init__(
        self,
        make_app: Callable[[], ASGIApp],
        listener: socket.socket,
        workers: int,
        options: dict[str, Any],
        drain_s: float,
    ) -> None:
        self._make_app, self._listener, self._options = make_app, listener, options
        self._count, self._drain_s = workers, drain_s
        self._context = multiprocessing.get_context("fork")  # nothing to pickle: the app is built
        self._workers: list[BaseProcess] = []
        self._stopping = False

    def run(self) -> int:
        previous = {s: signal.signal(s, self._stop) for s in (signal.SIGTERM, signal.SIGINT)}
        try:
            self._workers = [self._start() for _ in range(self._count)]
            while not self._stopping:
                self._restart_dead()
                time.sleep(0.2)
            return self._drain()
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
            self._listener.close()

    def _start(self) -> BaseProcess:
        worker = self._context.Process(
            target=_work, args=(self._make_app, self._listener, self._options), daemon=False
        )
        worker.start()
        return worker

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        self._stopping = True

    def _restart_dead(self) -> None:
        for i, worker in enumerate(self._workers):
            if worker.exitcode is not None and not self._stopping:
                log.warning("gateway worker %s exited (%s); starting another", worker.pid,
                            worker.exitcode)  # fmt: skip
                time.sleep(_RESTART_PAUSE_S)
                self._workers[i] = self._start()

    def _drain(self) -> int:
        for worker in self._workers:
            if worker.pid is not None and worker.exitcode is None:
                os.kill(worker.pid, signal.SIGTERM)
        deadline = time.monotonic() + self._drain_s + _EXTRA_STOP_S
        for worker in self._workers:
            worker.join(max(0.0, deadline - time.monotonic()))
            if worker.exitcode is None:
                log.warning("gateway worker %s did not stop in time; killing it", worker.pid)
                worker.kill()
                worker.join()
        return 0 if all(w.exitcode == 0 for w in self._workers) else 1
