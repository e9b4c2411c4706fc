"""Circuit breaker state machine (the specification's CLOSED/OPEN/HALF_OPEN) and deadlines."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from mecrouter.backends.base import GenerationRequest
from mecrouter.config import ResilienceConfig
from mecrouter.errors import BackendUnavailable
from mecrouter.resilience import (
    CircuitBreaker,
    attempt_timeout_ms,
    request_deadline_ms,
)
from mecrouter.types import CircuitState, Generation


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def time(self) -> float:
        return self.t

    def monotonic(self) -> float:
        return self.t


class Flaky:
    """A backend that fails while `failing` is set."""

    def __init__(self) -> None:
        self.failing = True
        self.calls = 0

    async def generate(self, request: GenerationRequest) -> Generation:
        self.calls += 1
        if self.failing:
            raise BackendUnavailable("down", tier="mec", endpoint="e")
        return Generation("ok", "m", 1, 1, 1.0, 1.0)

    async def stream(self, request: GenerationRequest) -> AsyncIterator[str]:
        yield "ok"

    async def aclose(self) -> None:
        return None


REQ = GenerationRequest(request_id="r", prompt="p", model="m", max_tokens=1)


def test_breaker_opens_after_threshold_then_half_opens_after_timeout() -> None:
    b = CircuitBreaker(failure_threshold=3, open_seconds=10.0)
    for _ in range(2):
        b.record_failure(0.0)
    assert b.state(0.0) is CircuitState.CLOSED
    b.record_failure(1.0)
    assert b.state(1.0) is CircuitState.OPEN
    assert not b.allow(5.0)
    assert b.retry_after_s(5.0) == pytest.approx(6.0)
    assert b.state(11.0) is CircuitState.HALF_OPEN
    assert b.allow(11.0)  # the one probe
    assert not b.allow(11.0)  # no second probe while the first is out


def test_half_open_probe_success_closes_and_failure_reopens() -> None:
    b = CircuitBreaker(failure_threshold=1, open_seconds=1.0)
    b.record_failure(0.0)
    assert b.allow(2.0)
    b.record_success(2.0)
    assert b.state(2.0) is CircuitState.CLOSED and b.failure_count == 0
    b.record_failure(3.0)
    assert b.allow(5.0)
    b.record_failure(5.0)
    assert b.state(5.5) is CircuitState.OPEN


def test_deadline_leaves_room_to_fail_over() -> None:
    cfg = ResilienceConfig(
        deadline_slo_multiple=5, min_deadline_ms=1000, attempt_timeout_multiple=3
    )
    assert request_deadline_ms(50, 30, cfg) == 1000  # a 50 ms SLO still gets time to fail over
    assert request_deadline_ms(3000, 400, cfg) == 15000
    assert request_deadline_ms(50, 1400, cfg) == 4200  # a long answer on a TTFT SLO


def test_attempt_timeout_leaves_time_for_the_next_endpoint() -> None:
    cfg = ResilienceConfig(attempt_timeout_multiple=3, min_attempt_timeout_ms=250)
    assert attempt_timeout_ms(100, 10_000, 500, cfg) == 300
    assert attempt_timeout_ms(10, 10_000, 500, cfg) == 250  # floored
    assert attempt_timeout_ms(800, 4200, 1400, cfg) == 2100  # 4200 - 1.5 x 1400 left for the next
    assert attempt_timeout_ms(800, 900, None, cfg) == 900  # the last attempt gets what remains
    # A successor that could not finish anyway (1.5 x 45 s > 10 s left) does not starve this one.
    assert attempt_timeout_ms(350, 10_000, 45_000, cfg) == 1050
