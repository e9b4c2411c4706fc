"""The failover loop both the gateway's dispatcher and the simulator drive (`pipeline.failover`):
order, attempt timeouts inside the deadline, open circuits skipped, and the books it keeps."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from mecrouter.agents.resource import ResourceAgent
from mecrouter.config import Config, load_config
from mecrouter.errors import BackendTimeout, CircuitOpenError
from mecrouter.pipeline.failover import NO_TIME_LEFT_MS, Failover
from mecrouter.resilience import CircuitBreaker, attempt_timeout_ms

SRC = Path(__file__).resolve().parents[1] / "src" / "mecrouter"


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


def _failover(
    config: Config, chain: list[str], predicted: list[float], deadline_ms: float = 10_000.0
) -> tuple[Failover, dict[str, CircuitBreaker], ResourceAgent]:
    breakers = {ep_id: CircuitBreaker.from_config(config.resilience) for ep_id in chain}
    resources = ResourceAgent(config)
    fo = Failover(
        chain, predicted, deadline_ms, 100.0, config.resilience, breakers,
        resources, "phone-1", {ep.id: ep.tier.value for ep in config.endpoints},
    )  # fmt: skip
    return fo, breakers, resources


def _chain(config: Config, n: int) -> list[str]:
    return [ep.id for ep in config.endpoints if ep.tier.value != "device"][:n]


def test_the_chain_is_tried_in_order_each_attempt_sized_to_leave_the_next_its_time(
    config: Config,
) -> None:
    chain = _chain(config, 3)
    fo, _, resources = _failover(config, chain, [200.0, 400.0, 800.0])
    assert fo.next(100.0) == chain[0]
    assert fo.timeout_ms == attempt_timeout_ms(200.0, 10_000.0, 400.0, config.resilience)
    assert resources.estimate(chain[0]).in_flight == 1
    fo.failed(101.0, BackendTimeout("slow", tier="mec", endpoint=chain[0]))
    assert resources.estimate(chain[0]).in_flight == 0
    assert fo.next(101.0) == chain[1]
    fo.failed(102.0)
    assert fo.next(102.0) == chain[2]
    assert fo.fallbacks == 2
    assert fo.timeout_ms == pytest.approx(8_000.0)  # the last attempt gets all that remains
    fo.failed(103.0)
    assert fo.next(103.0) is None
    assert len(fo.errors) == 1  # only the error it was given


def test_an_open_circuit_is_skipped_at_once_and_counted_as_a_fallback(config: Config) -> None:
    chain = _chain(config, 2)
    fo, breakers, resources = _failover(config, chain, [200.0, 400.0])
    for _ in range(config.resilience.failure_threshold):
        breakers[chain[0]].record_failure(99.0)
    assert fo.next(100.0) == chain[1]
    assert fo.fallbacks == 1
    assert isinstance(fo.errors[0], CircuitOpenError)
    assert resources.estimate(chain[0]).in_flight == 0  # never dispatched


def test_nothing_is_tried_once_the_deadline_is_spent(config: Config) -> None:
    chain = _chain(config, 2)
    fo, _, _ = _failover(config, chain, [200.0, 400.0], deadline_ms=1_000.0)
    assert fo.next(100.0) == chain[0]
    fo.failed(101.0)  # a second later: the deadline is over
    assert fo.next(101.0) is None


def test_success_closes_the_books_or_keeps_a_stream_busy_until_it_ends(config: Config) -> None:
    chain = _chain(config, 1)
    fo, breakers, resources = _failover(config, chain, [200.0])
    breakers[chain[0]].record_failure(99.0)
    assert fo.next(100.0) == chain[0]
    fo.succeeded(100.2, finish=False)
    assert breakers[chain[0]].failure_count == 0
    assert resources.estimate(chain[0]).in_flight == 1
    fo.finished()
    assert resources.estimate(chain[0]).in_flight == 0


def test_only_the_failover_loop_sizes_attempt_timeouts() -> None:
    """The gateway and the simulator run one failover loop: no other module sizes an attempt's
    timeout or admits a call through a circuit by itself."""
    callers: dict[str, set[str]] = {"attempt_timeout_ms": set(), "allow": set()}
    for path in SRC.rglob("*.py"):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = getattr(node.func, "id", None) or getattr(node.func, "attr", None)
                if name in callers:
                    callers[name].add(str(path.relative_to(SRC)))
    assert callers["attempt_timeout_ms"] == {"pipeline/failover.py"}
    # the routing advisor admits its own calls through its own breaker (it is no endpoint)
    assert callers["allow"] <= {"pipeline/failover.py", "resilience.py", "pipeline/advisor.py"}


def test_no_attempt_starts_with_less_than_a_millisecond_of_the_deadline_left(
    config: Config,
) -> None:
    """A deadline met to the last bit of a float is met: the two faces' clocks may round the
    end of an attempt that used up the deadline a hair apart, and must not disagree about
    whether one more attempt starts."""
    chain = _chain(config, 2)
    fo, _, resources = _failover(config, chain, [200.0, 400.0], deadline_ms=1_000.0)
    assert fo.next(100.0) == chain[0]
    fo.failed(100.0 + (1_000.0 - NO_TIME_LEFT_MS / 2) / 1000.0)  # half a millisecond left
    assert fo.next(100.0 + (1_000.0 - NO_TIME_LEFT_MS / 2) / 1000.0) is None
    assert resources.estimate(chain[1]).in_flight == 0  # never dispatched
    fo2, _, _ = _failover(config, chain, [200.0, 400.0], deadline_ms=1_000.0)
    assert fo2.next(100.0) == chain[0]
    fo2.failed(100.0 + (1_000.0 - 2 * NO_TIME_LEFT_MS) / 1000.0)  # two milliseconds left
    assert fo2.next(100.0 + (1_000.0 - 2 * NO_TIME_LEFT_MS) / 1000.0) == chain[1]
    assert fo2.timeout_ms == pytest.approx(2 * NO_TIME_LEFT_MS)
