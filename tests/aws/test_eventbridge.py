"""Circuit changes and routing anomalies as EventBridge events, over real HTTP against moto's
server: a rule sends every event of source ``mecrouter`` to an SQS queue, and the test reads the
queue. Calls carry at most ten entries, failed entries are sent again, and events queued while
EventBridge is down arrive once it is back."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Callable
from datetime import UTC, datetime
from importlib import resources
from typing import Any

import pytest
import yaml

from mecrouter.aws.clients import aws_client
from mecrouter.aws.eventbridge import (
    MAX_ENTRIES_PER_CALL,
    CircuitChange,
    EventBridgePublisher,
    RoutingAnomaly,
)
from mecrouter.breaker import CircuitBreaker
from mecrouter.config import load_config
from mecrouter.gateway.app import GatewaySettings, create_app
from mecrouter.pipeline import Router
from mecrouter.stores.memory import MemoryStore
from mecrouter.types import CircuitState, DecisionRecord

T0 = 1_767_225_600.0  # 2026-01-01T00:00:00Z
Inbox = Callable[[], list[dict[str, Any]]]


def change(endpoint: str = "mec-lon-mistral", to: str = "OPEN", at: float = T0) -> CircuitChange:
    return CircuitChange(endpoint, "mec", "CLOSED", to, at)


def anomaly(endpoint: str = "cloud-1", metric: str = "latency_ms") -> RoutingAnomaly:
    return RoutingAnomaly(endpoint, "cloud", metric, 950.0, 200.0, 6.5, T0)


@pytest.fixture
def events(moto: Any) -> Any:
    return aws_client("events", endpoint_url=moto.url, max_attempts=1)


def inbox_on(moto: Any, events: Any, bus: str = "default") -> Inbox:
    """Every event of source mecrouter on ``bus`` lands in a queue; the result drains it."""
    sqs = aws_client("sqs", endpoint_url=moto.url)
    url = sqs.create_queue(QueueName=f"inbox-{bus}")["QueueUrl"]
    arn = sqs.get_queue_attributes(QueueUrl=url, AttributeNames=["QueueArn"])["Attributes"]
    pattern = json.dumps({"source": ["mecrouter"]})
    events.put_rule(Name="all", EventBusName=bus, EventPattern=pattern)
    events.put_targets(Rule="all", EventBusName=bus, Targets=[{"Id": "q", "Arn": arn["QueueArn"]}])

    def drain() -> list[dict[str, Any]]:
        out: list[dict[str, Any]] = []
        while got := sqs.receive_message(QueueUrl=url, MaxNumberOfMessages=10).get("Messages"):
            out += [json.loads(m["Body"]) for m in got]
            sqs.delete_message_batch(
                QueueUrl=url,
                Entries=[
                    {"Id": str(i), "ReceiptHandle": m["ReceiptHandle"]} for i, m in enumerate(got)
                ],
            )
        return out

    return drain


@pytest.fixture
def inbox(moto: Any, events: Any) -> Inbox:
    return inbox_on(moto, events)


@pytest.fixture
def calls(events: Any) -> list[list[dict[str, Any]]]:
    """The Entries of every PutEvents the client makes."""
    seen: list[list[dict[str, Any]]] = []

    def spy(params: dict[str, Any], **_: Any) -> None:
        seen.append(list(params["Entries"]))

    events.meta.events.register("provide-client-params.events.PutEvents", spy)
    return seen


def break_detail(events: Any, when: Callable[[int, dict[str, Any]], bool]) -> None:
    """Make the entries ``when`` picks (call number, entry) malformed JSON on the wire, so that
    EventBridge answers them with MalformedDetail (FailedEntryCount); the publisher's own entries
    stay intact."""
    number = [0]

    def corrupt(params: dict[str, Any], **_: Any) -> None:
        number[0] += 1
        params["Entries"] = [
            {**e, "Detail": "{"} if when(number[0], e) else e for e in params["Entries"]
        ]

    events.meta.events.register("provide-client-params.events.PutEvents", corrupt)


async def test_a_circuit_change_arrives_with_its_detail(events: Any, inbox: Inbox) -> None:
    pub = EventBridgePublisher(events)
    pub.put(change())
    await pub.flush()

    [event] = inbox()
    assert event["source"] == "mecrouter" and event["detail-type"] == "Circuit State Change"
    assert event["detail"] == {
        "endpoint": "mec-lon-mistral",
        "tier": "mec",
        "from_state": "CLOSED",
        "to_state": "OPEN",
        "time": "2026-01-01T00:00:00Z",
    }
    assert datetime.fromisoformat(event["time"]) == datetime.fromtimestamp(T0, UTC)
    assert (pub.calls, pub.sent_events, pub.buffered) == (1, 1, 0)


async def test_an_anomaly_arrives_on_the_configured_bus(moto: Any, events: Any) -> None:
    events.create_event_bus(Name="ops")
    ops, default = inbox_on(moto, events, "ops"), inbox_on(moto, events, "default")
    pub = EventBridgePublisher(events, bus="ops")
    pub.put(anomaly())
    await pub.flush()

    [event] = ops()
    assert event["detail-type"] == "Routing Anomaly"
    assert event["detail"] == {
        "endpoint": "cloud-1",
        "tier": "cloud",
        "metric": "latency_ms",
        "value": 950.0,
        "baseline": 200.0,
        "score": 6.5,
        "time": "2026-01-01T00:00:00Z",
    }
    assert default() == []


async def test_an_anomaly_is_sent_when_it_begins_not_while_it_lasts(
    events: Any, inbox: Inbox
) -> None:
    pub = EventBridgePublisher(events)
    latency, errors = anomaly(), anomaly(metric="error_rate")
    for seen in ([latency], [latency, errors], [errors], [], [latency]):
        pub.anomalies(seen)
    await pub.flush()

    sent = [(e["detail"]["endpoint"], e["detail"]["metric"]) for e in inbox()]
    assert sorted(sent) == sorted(
        [("cloud-1", "latency_ms"), ("cloud-1", "error_rate"), ("cloud-1", "latency_ms")]
    )


async def test_eleven_events_take_two_calls_of_at_most_ten(
    events: Any, inbox: Inbox, calls: list[list[dict[str, Any]]]
) -> None:
    pub = EventBridgePublisher(events)
    for i in range(11):
        pub.put(change(f"ep-{i}"))
    await pub.flush()

    assert [len(c) for c in calls] == [MAX_ENTRIES_PER_CALL, 1]
    assert sorted(e["detail"]["endpoint"] for e in inbox()) == sorted(f"ep-{i}" for i in range(11))


async def test_entries_put_events_reports_failed_are_sent_again(
    events: Any, inbox: Inbox, calls: list[list[dict[str, Any]]]
) -> None:
    break_detail(events, lambda call, e: call == 1 and '"ep-1"' in e["Detail"])
    pub = EventBridgePublisher(events)
    for i in range(3):
        pub.put(change(f"ep-{i}"))
    await pub.flush()
    assert (pub.sent_events, pub.retried_events, pub.buffered) == (2, 1, 1)
    assert sorted(e["detail"]["endpoint"] for e in inbox()) == ["ep-0", "ep-2"]
    await pub.flush()

    assert [len(c) for c in calls] == [3, 1]  # only the failed entry went again
    [again] = inbox()
    assert again["detail"]["endpoint"] == "ep-1" and again["detail"]["to_state"] == "OPEN"
    assert (pub.sent_events, pub.buffered, pub.dropped_events) == (3, 0, 0)


async def test_an_entry_failing_every_attempt_is_dropped_after_max_attempts(
    events: Any, inbox: Inbox, calls: list[list[dict[str, Any]]]
) -> None:
    break_detail(events, lambda _, e: '"ep-bad"' in e["Detail"])
    pub = EventBridgePublisher(events, max_attempts=2)
    pub.put(change("ep-bad"))
    pub.put(change("ep-good"))
    await pub.flush()
    await pub.flush()
    await pub.flush()  # nothing left to send

    assert [len(c) for c in calls] == [2, 1]
    assert (pub.dropped_events, pub.sent_events, pub.buffered) == (1, 1, 0)
    assert [e["detail"]["endpoint"] for e in inbox()] == ["ep-good"]


async def test_events_queued_while_eventbridge_is_down_arrive_once_it_is_back(
    moto: Any, events: Any, inbox: Inbox
) -> None:
    pub = EventBridgePublisher(events)
    pub.put(change("ep-a"))
    with moto.down():
        await pub.flush()
    assert (pub.failed_flushes, pub.buffered, pub.calls) == (1, 1, 0)
    pub.put(change("ep-b"))
    await pub.flush()

    assert sorted(e["detail"]["endpoint"] for e in inbox()) == ["ep-a", "ep-b"]
    assert (pub.buffered, pub.dropped_events) == (0, 0)


async def test_events_a_call_is_refused_for_are_dropped_after_max_attempts(
    events: Any, calls: list[list[dict[str, Any]]]
) -> None:
    pub = EventBridgePublisher(events, bus="no-such-bus", max_attempts=2)
    pub.put(change())
    await pub.flush()  # 400 ResourceNotFoundException: an attempt, not a connection failure
    assert (pub.buffered, pub.dropped_events, pub.failed_flushes) == (1, 0, 0)
    await pub.flush()
    await pub.flush()

    assert len(calls) == 2 and (pub.buffered, pub.dropped_events, pub.calls) == (0, 1, 0)


async def test_a_full_queue_drops_the_oldest_events(events: Any, inbox: Inbox) -> None:
    pub = EventBridgePublisher(events, max_buffered_events=2)
    for name in ("ep-1", "ep-2", "ep-3"):
        pub.put(change(name))
    assert pub.dropped_events == 1
    await pub.flush()

    assert sorted(e["detail"]["endpoint"] for e in inbox()) == ["ep-2", "ep-3"]


def test_the_breaker_reports_each_transition_once_with_its_time() -> None:
    seen: list[tuple[CircuitState, CircuitState, float]] = []
    breaker = CircuitBreaker(failure_threshold=2, open_seconds=30.0)
    breaker.on_change = lambda old, new, at: seen.append((old, new, at))
    breaker.record_failure(1.0)
    breaker.record_failure(2.0)  # opens
    breaker.record_failure(3.0)  # already open: no transition
    assert not breaker.allow(10.0)
    assert breaker.allow(40.0)  # half-open, dated when the 30 s ran out
    breaker.record_success(41.0)
    breaker.record_success(42.0)

    opened, half, closed = CircuitState.OPEN, CircuitState.HALF_OPEN, CircuitState.CLOSED
    assert seen == [(closed, opened, 2.0), (opened, half, 33.0), (half, closed, 41.0)]


def failed(endpoint: str, i: int) -> DecisionRecord:
    """A request that failed on ``endpoint``, as the MonitorAgent records it."""
    return DecisionRecord(
        request_id=f"r{i}", timestamp=T0, user_id="u", decision_id=f"d{i}", use_case="default",
        policy="mecrouter", selected_tier="cloud", selected_model="m", selected_endpoint=endpoint,
        confidence_score=0.5, reasoning="", fallback_options=[], estimated_latency_ms=100.0,
        estimated_cost_usd=0.0, slo_ms=500.0, privacy_level="public", complexity_score=0.2,
        success=False, actual_endpoint=endpoint,
    )  # fmt: skip


async def test_the_gateway_sends_circuit_changes_and_anomalies_when_enabled(
    moto: Any, events: Any, inbox: Inbox, tmp_path: Any
) -> None:
    raw = yaml.safe_load(resources.files("mecrouter").joinpath("default_config.yaml").read_text())
    raw["aws"] = {
        "eventbridge": {
            "enabled": True,
            "endpoint_url": moto.url,
            "interval_s": 0.05,
            "anomaly_check_s": 0.05,
        }
    }
    router = Router.from_config(load_config(raw), store=MemoryStore(), time_scale=0.01)
    endpoint = router.config.endpoints[-1]
    app = create_app(GatewaySettings(auth=False, keys_db=tmp_path / "k.sqlite3"), router=router)
    received: list[dict[str, Any]] = []
    async with app.router.lifespan_context(app):
        breaker = router.breakers[endpoint.id]
        for _ in range(router.config.resilience.failure_threshold):
            breaker.record_failure(router.clock.monotonic())
        for i in range(30):  # an error rate no EWMA chart lets pass
            router.monitor.observe(failed(endpoint.id, i))
        for _ in range(200):
            received += await asyncio.to_thread(inbox)
            if len(received) >= 2:
                break
            await asyncio.sleep(0.02)
        breaker.record_success(router.clock.monotonic())  # sent by the shutdown flush
    received += inbox()

    by_type = {(e["detail-type"], e["detail"].get("to_state")): e["detail"] for e in received}
    assert set(by_type) == {
        ("Circuit State Change", "OPEN"),
        ("Routing Anomaly", None),
        ("Circuit State Change", "CLOSED"),
    }
    opened = by_type[("Circuit State Change", "OPEN")]
    assert (opened["endpoint"], opened["tier"], opened["from_state"]) == (
        endpoint.id,
        endpoint.tier.value,
        "CLOSED",
    )
    found = by_type[("Routing Anomaly", None)]
    assert (found["endpoint"], found["metric"], found["tier"]) == (
        endpoint.id,
        "error_rate",
        endpoint.tier.value,
    )
    assert all(b.on_change is None for b in router.breakers.values())
