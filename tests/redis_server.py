"""A Redis for the tests: the machine's own on 127.0.0.1:6379 (database 13, keys under a prefix
of the test's own, deleted afterwards), else a `redis-server` from PATH started on a free
loopback port, else the test is skipped saying why; under ``CI=true`` a missing Redis fails.

Install one with ``apt-get install redis-server`` (Debian/Ubuntu) or ``brew install redis``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import redis

from mecrouter.gateway.topology import RedisProcess, free_port

__all__ = ["TEST_DB", "RedisServer", "free_port", "local_redis", "redis_process", "spawn_redis"]

TEST_DB = 13  # mecrouter's tests' own database on a shared Redis
_MACHINE_REDIS = ("127.0.0.1", 6379)


@dataclass(frozen=True)
class RedisServer:
    url: str
    prefix: str  # every key a test writes starts with this


def _answers(host: str, port: int, db: int = 0) -> bool:
    try:
        with redis.Redis(host=host, port=port, db=db, socket_timeout=0.5) as client:
            return bool(client.ping())
    except (redis.RedisError, OSError):
        return False


def _missing(reason: str) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"CI=true and {reason}: the shared-state tests need Redis")
    pytest.skip(f"{reason}; install redis-server to run the shared-state tests")


def redis_process(tmp: Path, port: int | None = None) -> RedisProcess:
    """A `RedisProcess` (not started), or the test skipped (failed under CI=true) without one."""
    if shutil.which("redis-server") is None:
        _missing("no redis-server on PATH")
    return RedisProcess(tmp, port)


@contextlib.contextmanager
def spawn_redis(tmp: Path, port: int | None = None) -> Iterator[RedisServer]:
    """A `RedisProcess` started for the block and stopped after it."""
    process = redis_process(tmp, port)
    process.start()
    try:
        yield RedisServer(process.url, "t:")
    finally:
        process.stop()


@contextlib.contextmanager
def local_redis(tmp: Path) -> Iterator[RedisServer]:
    """The machine's Redis (database `TEST_DB`, a prefix of this test's own), or one spawned."""
    host, port = _MACHINE_REDIS
    if not _answers(host, port, TEST_DB):
        with spawn_redis(tmp) as server:
            yield server
        return
    prefix = f"mecrouter-test-{uuid.uuid4().hex[:12]}:"
    try:
        yield RedisServer(f"redis://{host}:{port}/{TEST_DB}", prefix)
    finally:
        with redis.Redis(host=host, port=port, db=TEST_DB) as client:
            names = list(client.scan_iter(match=f"{prefix}*", count=1000))
            if names:
                client.delete(*names)
