"""Load through gateway replicas while faults happen, and an honest count of what became of
every request: the chaos test (`tests/gateway/test_chaos.py`) and `make soak` use it.

`Balancer` stands in for the load balancer in front of the replicas: round robin, and a request
whose connection failed before any answer (refused, reset, closed) is sent once more to the
next replica, as Envoy's ``retry_on: connect-failure,reset`` or an ALB's target failover does;
a replica that failed that way is skipped for `skip_s` (passive health checking). Nothing else
is retried: an answer is an answer.

Every request ends in exactly one of: **answered** (a 2xx with its whole body; a stream that
reached ``data: [DONE]``), **failed cleanly** (a 4xx/5xx whose body is an OpenAI-style JSON
error; a stream whose last event is an ``error`` object), **cut** (a stream whose connection
broke after it had begun: its replica died, so no process was left to send an error event, and
no balancer can resend half an answer; the client sees a network error) or **lost** (anything
else: no answer, a body that is not such an error, a stream that ended cleanly without [DONE]
or an error). `Tally.lost` must be 0, and only a replica's death may cut a stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

import httpx
import orjson

__all__ = ["Balancer", "Fault", "Outcome", "Tally", "run_load"]

_CONNECTION_FAILURES: Final = (httpx.ConnectError, httpx.RemoteProtocolError, httpx.ReadError)


@dataclass(slots=True)
class Outcome:
    kind: str  # "answered" | "failed" | "cut" | "lost"
    replica: int
    decision_id: str | None = None
    status: int | None = None
    detail: str = ""


@dataclass
class Tally:
    """What became of every request sent, and when each was answered (for p50/p99 over time)."""

    sent: int = 0
    answered: int = 0
    failed: int = 0
    lost: int = 0
    cut: dict[int, int] = field(default_factory=dict)  # replica -> streams cut mid-way
    retried: int = 0
    statuses: dict[int, int] = field(default_factory=dict)
    acked: dict[int, list[str]] = field(default_factory=dict)  # replica -> decision ids
    lost_examples: list[str] = field(default_factory=list)
    failures: dict[str, int] = field(default_factory=dict)  # "status code" -> count
    cut_examples: list[str] = field(default_factory=list)
    latencies: list[tuple[float, float]] = field(default_factory=list)  # (at_s, ms) answered

    def add(self, outcome: Outcome, started_s: float, took_ms: float) -> None:
        if outcome.status is not None:
            self.statuses[outcome.status] = self.statuses.get(outcome.status, 0) + 1
        if outcome.kind == "answered":
            self.answered += 1
            self.latencies.append((started_s, took_ms))
            if outcome.decision_id:
                self.acked.setdefault(outcome.replica, []).append(outcome.decision_id)
        elif outcome.kind == "failed":
            self.failed += 1
            self.failures[outcome.detail] = self.failures.get(outcome.detail, 0) + 1
        elif outcome.kind == "cut":
            self.cut[outcome.replica] = self.cut.get(outcome.replica, 0) + 1
            if len(self.cut_examples) < 10:
                self.cut_examples.append(outcome.detail)
        else:
            self.lost += 1
            if len(self.lost_examples) < 10:
                self.lost_examples.append(outcome.detail)

    def summary(self) -> dict[str, Any]:
        return {
            "sent": self.sent, "answered": self.answered, "failed_cleanly": self.failed,
            "cut": sum(self.cut.values()), "lost": self.lost, "retried_by_balancer": self.retried,
            "statuses": dict(sorted(self.statuses.items())),
            "failures": dict(sorted(self.failures.items(), key=lambda kv: -kv[1])),
        }  # fmt: skip


@dataclass
class Fault:
    """Something done to the system once `after_sent` requests have been sent."""

    after_sent: int
    name: str
    action: Callable[[], Awaitable[None]]


class Balancer:
    def __init__(self, urls: Sequence[str], headers: dict[str, str], skip_s: float = 2.0) -> None:
        self.urls, self.headers, self.skip_s = list(urls), headers, skip_s
        self._next = 0
        self._skip_until = [0.0] * len(self.urls)

    def _pick(self) -> int:
        now = time.monotonic()
        for _ in range(len(self.urls)):
            i, self._next = self._next, (self._next + 1) % len(self.urls)
            if self._skip_until[i] <= now:
                return i
        return self._next

    async def send(self, client: httpx.AsyncClient, body: dict[str, Any], tally: Tally) -> Outcome:
        first = self._pick()
        outcome = await _attempt(client, self.urls[first], first, body, self.headers)
        if outcome is not None:
            return outcome
        self._skip_until[first] = time.monotonic() + self.skip_s
        tally.retried += 1
        second = self._pick()
        outcome = await _attempt(client, self.urls[second], second, body, self.headers)
        if outcome is not None:
            return outcome
        self._skip_until[second] = time.monotonic() + self.skip_s
        return Outcome("lost", second, detail="no replica accepted the request")


async def _attempt(
    client: httpx.AsyncClient, url: str, replica: int, body: dict[str, Any], headers: Any
) -> Outcome | None:
    """The request's outcome at one replica; None when its connection failed before any byte
    of an answer (the balancer may send it elsewhere)."""
    target = f"{url}/v1/chat/completions"
    try:
        if body.get("stream"):
            async with client.stream("POST", target, json=body, headers=headers) as r:
                if not r.is_success:
                    return _judged(replica, r.status_code, await r.aread())
                events = []
                try:
                    async for line in r.aiter_lines():
                        if line.startswith("data: "):
                            events.append(line[6:])
                except _CONNECTION_FAILURES as exc:
                    return Outcome("cut", replica, status=200, detail=f"stream cut: {exc!r}")
                return _judged_stream(replica, r.headers.get("x-mecrouter-decision-id"), events)
        r = await client.post(target, json=body, headers=headers)
    except _CONNECTION_FAILURES:
        return None
    except httpx.HTTPError as exc:
        return Outcome("lost", replica, detail=f"{type(exc).__name__}: {exc}")
    if r.is_success:
        return Outcome("answered", replica, r.headers.get("x-mecrouter-decision-id"), 200)
    return _judged(replica, r.status_code, r.content)


def _judged(replica: int, status: int, content: bytes) -> Outcome:
    """A non-2xx answer is a clean failure when its body is an OpenAI-style error."""
    with contextlib.suppress(orjson.JSONDecodeError, TypeError, KeyError):
        error = orjson.loads(content)["error"]
        if isinstance(error, dict) and error.get("message"):
            return Outcome("failed", replica, status=status, detail=f"{status} {error.get('code')}")
    return Outcome("lost", replica, status=status, detail=f"{status}: {content[:200]!r}")


def _judged_stream(replica: int, decision_id: str | None, events: list[str]) -> Outcome:
    if events and events[-1] == "[DONE]":
        return Outcome("answered", replica, decision_id, 200)
    with contextlib.suppress(orjson.JSONDecodeError, TypeError, KeyError, IndexError):
        error = orjson.loads(events[-1])["error"]
        if isinstance(error, dict) and error.get("message"):
            return Outcome("failed", replica, status=200, detail=f"stream {error.get('code')}")
    last = events[-1][:200] if events else "nothing"
    return Outcome("lost", replica, status=200, detail=f"stream ended without [DONE]: {last}")


async def run_load(
    balancer: Balancer,
    bodies: Callable[[int], dict[str, Any]],
    *,
    total: int,
    concurrency: int,
    bound_s: float,
    faults: Sequence[Fault] = (),
    rate_per_s: float | None = None,
    timeout_s: float = 30.0,
    progress: Callable[[Tally], None] | None = None,
) -> Tally:
    """Send `total` requests (`bodies(i)`), `concurrency` at a time (and at most `rate_per_s`),
    running each fault when its turn comes; stops sending after `bound_s` whatever happens."""
    tally = Tally()
    gate = asyncio.Semaphore(concurrency)
    pending = sorted(faults, key=lambda f: f.after_sent)
    started = time.monotonic()
    limits = httpx.Limits(max_connections=concurrency * 2, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(timeout=timeout_s, limits=limits) as client:

        async def one(i: int) -> None:
            try:
                at = time.monotonic()
                outcome = await balancer.send(client, bodies(i), tally)
                tally.add(outcome, at - started, (time.monotonic() - at) * 1000.0)
            finally:
                gate.release()

        tasks = []
        for i in range(total):
            while pending and pending[0].after_sent <= i:
                await pending.pop(0).action()
            if time.monotonic() - started > bound_s:
                break
            if rate_per_s is not None:
                await asyncio.sleep(max(0.0, started + i / rate_per_s - time.monotonic()))
            await gate.acquire()
            tally.sent += 1
            tasks.append(asyncio.create_task(one(i)))
            if progress is not None and i % 100 == 99:
                progress(tally)
        await asyncio.gather(*tasks)
    return tally
