"""The circuit breaker and the deadline rules: what every attempt of every request consults.

Apart from `resilience` (which re-exports them) so that `make fast` can compile them with the
simulator's hot path: mypyc compiles no async generator, and `resilience` has one.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from mecrouter.config import ResilienceConfig
from mecrouter.types import CircuitState

__all__ = ["CircuitBreaker", "attempt_timeout_ms", "request_deadline_ms"]


@dataclass(slots=True)
class CircuitBreaker:
    """CLOSED → OPEN after `failure_threshold` consecutive failures; OPEN → HALF_OPEN after
    `open_seconds`; HALF_OPEN lets `half_open_max_calls` probes through: a success closes the
    circuit, a failure opens it again (as in the specification's CircuitBreaker).

    `on_change`, if set, is called as ``on_change(from_state, to_state, at)`` on every transition,
    ``at`` on the caller's monotonic clock (OPEN → HALF_OPEN is noticed lazily and dated when
    `open_seconds` ran out). It runs inside the failover loop: it must be quick and never raise.
    """

    failure_threshold: int = 5
    open_seconds: float = 30.0
    half_open_max_calls: int = 1
    failure_count: int = 0
    opened_at: float | None = None
    probes_in_flight: int = 0
    _state: CircuitState = CircuitState.CLOSED
    on_change: Callable[[CircuitState, CircuitState, float], None] | None = field(
        default=None, repr=False, compare=False
    )

    @classmethod
    def from_config(cls, cfg: ResilienceConfig) -> CircuitBreaker:
        return cls(cfg.failure_threshold, cfg.open_seconds, cfg.half_open_max_calls)

    def state(self, now: float) -> CircuitState:
        if (
            self._state is CircuitState.OPEN
            and self.opened_at is not None
            and now - self.opened_at >= self.open_seconds
        ):
            self.probes_in_flight = 0
            self._become(CircuitState.HALF_OPEN, self.opened_at + self.open_seconds)
        return self._state

    def _become(self, state: CircuitState, at: float) -> None:
        old, self._state = self._state, state
        if old is not state and self.on_change is not None:
            self.on_change(old, state, at)

    def allow(self, now: float) -> bool:
        """Whether a call may go through now; a HALF_OPEN admission counts as a probe."""
        state = self.state(now)
        if state is CircuitState.CLOSED:
            return True
        if state is CircuitState.HALF_OPEN and self.probes_in_flight < self.half_open_max_calls:
            self.probes_in_flight += 1
            return True
        return False

    def retry_after_s(self, now: float) -> float:
        if self.opened_at is None:
            return 0.0
        return max(0.0, self.opened_at + self.open_seconds - now)

    def trip(self, now: float, for_s: float) -> None:
        """Open now for `for_s` more seconds (at most `open_seconds`), as if it had opened
        earlier: another gateway replica saw this endpoint fail (`gateway.shared`)."""
        remaining = min(max(0.0, for_s), self.open_seconds)
        self.opened_at = now - (self.open_seconds - remaining)
        self.failure_count = max(self.failure_count, self.failure_threshold)
        self.probes_in_flight = 0
        self._become(CircuitState.OPEN, now)

    def record_success(self, now: float) -> None:
        self.failure_count = 0
        self.probes_in_flight = 0
        self.opened_at = None
        self._become(CircuitState.CLOSED, now)

    def record_failure(self, now: float) -> None:
        self.failure_count += 1
        if self._state is CircuitState.HALF_OPEN or self.failure_count >= self.failure_threshold:
            self.opened_at = now
            self.probes_in_flight = 0
            self._become(CircuitState.OPEN, now)


def request_deadline_ms(slo_ms: float, slowest_predicted_ms: float, cfg: ResilienceConfig) -> float:
    """The hard limit for a whole request, fallbacks included: a multiple of its SLO, with a floor
    so that a tight SLO still leaves room to fail over, and room for the slowest endpoint of the
    chain to finish (an SLO on time-to-first-token says nothing about how long the whole answer
    takes to generate)."""
    return max(
        slo_ms * cfg.deadline_slo_multiple,
        cfg.min_deadline_ms,
        cfg.attempt_timeout_multiple * slowest_predicted_ms,
    )


def attempt_timeout_ms(
    predicted_ms: float,
    remaining_ms: float,
    next_predicted_ms: float | None,
    cfg: ResilienceConfig,
) -> float:
    """How long one attempt may take: a multiple of its prediction (floored), but leaving the next
    endpoint of the chain 1.5x its own prediction; the last attempt gets all that remains, and so
    does one whose successor could not finish in what remains anyway (starving this attempt for
    it would only make both fail)."""
    if next_predicted_ms is None:
        return max(0.0, remaining_ms)
    own = max(predicted_ms * cfg.attempt_timeout_multiple, cfg.min_attempt_timeout_ms)
    leave_ms = 1.5 * next_predicted_ms
    if leave_ms >= remaining_ms:
        return max(0.0, min(own, remaining_ms))
    return max(
        0.0, min(own, max(remaining_ms - leave_ms, cfg.min_attempt_timeout_ms), remaining_ms)
    )
