"""The failover loop of one request, written once for every face: which endpoint of the decision's
fallback chain to try next, for how long, and what each attempt's end owes the circuit breakers
and the ResourceAgent's estimates.

It does no I/O and keeps no clock: the caller says what time it is. The gateway's dispatcher
(`dispatch`) drives it with real calls under `asyncio.timeout`; the simulator (`sim.run`) drives
it with SimPy events. Both therefore try the same endpoints in the same order, with the same
attempt timeouts inside the same deadline, skip the same open circuits and count the same
failures.

An attempt's timeout leaves the rest of the chain its time within the request's deadline
(`resilience.attempt_timeout_ms`), and no attempt starts with less than `NO_TIME_LEFT_MS` left;
an endpoint whose circuit is open is skipped at once (no time passes, but it counts as a
fallback, as it is one in the chain); an attempt under way keeps its endpoint counted as busy
until `failed` or `finished` is called.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from mecrouter.agents.resource import ResourceAgent
from mecrouter.config import ResilienceConfig
from mecrouter.errors import BackendError, CircuitOpenError
from mecrouter.resilience import CircuitBreaker, attempt_timeout_ms

__all__ = ["NO_TIME_LEFT_MS", "Failover"]

# Less than this left of the deadline is no time for another attempt: nothing answers in under
# a millisecond, and a deadline met to the last bit of a float is met (two clocks that round
# differently must not disagree about whether one more attempt starts).
NO_TIME_LEFT_MS = 1.0


@dataclass(slots=True)
class Failover:
    """One request's way down its fallback chain (`chain`: endpoint ids, best first, with the
    latency predicted for each). `started_s` and every `now_s` are on one monotonic clock in
    seconds; `deadline_ms` counts from `started_s`.

    Call `next` for the attempt to make; then exactly one of `failed` or `succeeded` for it (and,
    after `succeeded` with `finish=False`, `finished` when the endpoint is free again)."""

    chain: Sequence[str]
    predicted_ms: Sequence[float]
    deadline_ms: float
    started_s: float
    resilience: ResilienceConfig
    breakers: Mapping[str, CircuitBreaker]  # endpoint id -> the circuit an attempt on it passes
    resources: ResourceAgent
    device_id: str  # whose device-tier endpoint a device attempt occupies
    tiers: Mapping[str, str]  # endpoint id -> tier name, for the errors' labels
    position: int = -1  # index in `chain` of the attempt under way (or last made)
    timeout_ms: float = 0.0  # the attempt's own timeout
    errors: list[BackendError] = field(default_factory=list)  # why each earlier try failed

    def next(self, now_s: float) -> str | None:
        """The endpoint to try now (its timeout is `timeout_ms`), or None when the chain or the
        deadline is used up. Endpoints whose circuit refuses are skipped here, noted in
        `errors`; the returned one is counted as dispatched."""
        chain, predicted = self.chain, self.predicted_ms
        last, k = len(chain) - 1, self.position
        while k < last:
            k += 1
            self.position = k
            remaining_ms = self.deadline_ms - (now_s - self.started_s) * 1000.0
            if remaining_ms < NO_TIME_LEFT_MS:
                return None
            ep_id = chain[k]
            breaker = self.breakers[ep_id]
            if not breaker.allow(now_s):
                self.errors.append(
                    CircuitOpenError(
                        "circuit open",
                        tier=self.tiers[ep_id],
                        endpoint=ep_id,
                        retry_after_s=breaker.retry_after_s(now_s),
                    )
                )
                continue
            next_ms = predicted[k + 1] if k < last else None
            self.timeout_ms = attempt_timeout_ms(
                predicted[k], remaining_ms, next_ms, self.resilience
            )
            self.resources.on_dispatch(ep_id, self.device_id)
            return ep_id
        return None

    @property
    def endpoint(self) -> str:
        """The endpoint of the attempt under way (or the last one made)."""
        return self.chain[self.position]

    @property
    def fallbacks(self) -> int:
        """How far down the chain the attempt under way is (0: the chosen endpoint)."""
        return max(self.position, 0)

    def failed(self, now_s: float, error: BackendError | None = None) -> None:
        """The attempt under way failed (an error, or its timeout): the circuit and the
        endpoint's error rate count it, and the endpoint is free again."""
        ep_id = self.endpoint
        self.breakers[ep_id].record_failure(now_s)
        self.resources.observe_failure(ep_id)
        self.resources.on_finish(ep_id, self.device_id)
        if error is not None:
            self.errors.append(error)

    def succeeded(self, now_s: float, *, finish: bool = True) -> None:
        """The attempt under way answered (a whole answer, or a stream's first chunk). With
        `finish=False` the endpoint stays busy until `finished` (a stream still flowing)."""
        ep_id = self.chain[self.position]
        self.breakers[ep_id].record_success(now_s)
        if finish:
            self.resources.on_finish(ep_id, self.device_id)

    def finished(self) -> None:
        """A stream that `succeeded` with `finish=False` has ended: its endpoint is free."""
        self.resources.on_finish(self.endpoint, self.device_id)
