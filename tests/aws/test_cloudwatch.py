"""The Monitor's metrics in CloudWatch, over real HTTP against moto's server: what is read back
with boto3 equals what was observed, calls stay within PutMetricData's limits, and data counted
while CloudWatch is down arrives once it is back."""

from __future__ import annotations

import asyncio
import math
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from importlib import resources
from pathlib import Path
from typing import Any

import httpx
import pytest
import yaml

from mecrouter.aws.clients import aws_client
from mecrouter.aws.cloudwatch import (
    MAX_DATUMS_PER_CALL,
    MAX_VALUES_PER_DATUM,
    CloudWatchPublisher,
    rounded,
)
from mecrouter.config import load_config
from mecrouter.gateway.app import GatewaySettings, create_app
from mecrouter.pipeline import Router
from mecrouter.stores.memory import MemoryStore
from mecrouter.types import CircuitState, DecisionRecord

T0 = float(int(time.time()))  # the windows' clock: whole seconds, so timestamps compare exactly
STATS = ["SampleCount", "Sum", "Minimum", "Maximum", "Average"]


def record(tier: str = "mec", *, success: bool = True, **kw: Any) -> DecisionRecord:
    fields: dict[str, Any] = {
        "request_id": "r",
        "timestamp": T0,
        "user_id": "u",
        "decision_id": "d",
        "use_case": "default",
        "policy": "mecrouter",
        "selected_tier": tier,
        "selected_model": "m",
        "selected_endpoint": f"{tier}-1",
        "confidence_score": 0.9,
        "reasoning": "",
        "fallback_options": [],
        "estimated_latency_ms": 100.0,
        "estimated_cost_usd": 0.0,
        "slo_ms": 500.0,
        "privacy_level": "public",
        "complexity_score": 0.2,
        "success": success,
        "actual_tier": tier if success else "",
    }
    return DecisionRecord(**{**fields, **kw})


@pytest.fixture
def client(moto: Any) -> Any:
    """One attempt per call, so that a flush while moto is down fails at once."""
    return aws_client("cloudwatch", endpoint_url=moto.url, max_attempts=1)


@pytest.fixture
def calls(client: Any) -> list[list[dict[str, Any]]]:
    """The MetricData of every PutMetricData the client makes, as botocore is handed it."""
    seen: list[list[dict[str, Any]]] = []

    def spy(params: dict[str, Any], **_: Any) -> None:
        seen.append(list(params["MetricData"]))

    client.meta.events.register("provide-client-params.cloudwatch.PutMetricData", spy)
    return seen


def publisher(client: Any, clock: Iterator[float] | None = None, **kw: Any) -> CloudWatchPublisher:
    times = clock or iter(lambda: T0, None)
    return CloudWatchPublisher(client, namespace="test", clock=lambda: next(times), **kw)


def statistics(
    client: Any, metric: str, dimension: str, value: str, *, period_s: int = 3600
) -> list[dict[str, Any]]:
    start = datetime.fromtimestamp(T0, UTC) - timedelta(minutes=10)
    answer = client.get_metric_statistics(
        Namespace="test",
        MetricName=metric,
        Dimensions=[{"Name": dimension, "Value": value}],
        StartTime=start,
        EndTime=start + timedelta(hours=3),
        Period=period_s,
        Statistics=STATS,
    )
    return sorted(answer["Datapoints"], key=lambda p: p["Timestamp"])


def one(client: Any, metric: str, dimension: str, value: str) -> dict[str, Any]:
    [point] = statistics(client, metric, dimension, value)
    return point


def listed(client: Any) -> set[tuple[str, str, str]]:
    pages = client.get_paginator("list_metrics").paginate(Namespace="test")
    return {
        (m["MetricName"], d["Name"], d["Value"])
        for page in pages
        for m in page["Metrics"]
        for d in m["Dimensions"]
    }


async def test_published_statistics_equal_what_was_observed(client: Any) -> None:
    pub = publisher(client)
    latencies = [120.0, 87.5, 2450.0, 87.5]
    for i, ms in enumerate(latencies):
        pub.observe(
            record(
                latency_ms=ms,
                ttft_ms=ms - 20,
                cost_usd=0.001 * (i + 1),
                slo_met=i < 3,
                fallbacks_used=i % 2,
            )
        )
    pub.observe(record("cloud", success=False, use_case="voice"))
    await pub.flush()

    assert pub.calls == 1 and pub.buffered == 0 and pub.failed_flushes == 0
    assert one(client, "Requests", "Tier", "mec")["Sum"] == 4
    assert one(client, "Requests", "Tier", "cloud")["Sum"] == 1
    assert one(client, "FailedRequests", "Tier", "cloud")["Sum"] == 1
    assert one(client, "FailedRequests", "Tier", "mec")["Sum"] == 0
    assert one(client, "Fallbacks", "Tier", "mec")["Sum"] == 2
    latency = one(client, "Latency", "Tier", "mec")
    assert latency["Unit"] == "Milliseconds"
    assert (latency["SampleCount"], latency["Sum"]) == (4, sum(latencies))
    assert (latency["Minimum"], latency["Maximum"]) == (87.5, 2450.0)
    assert one(client, "TimeToFirstToken", "Tier", "mec")["Sum"] == sum(latencies) - 80
    cost = one(client, "CostUSD", "Tier", "mec")
    assert cost["SampleCount"] == 4 and math.isclose(cost["Sum"], 0.010)
    assert math.isclose(cost["Minimum"], 0.001) and math.isclose(cost["Maximum"], 0.004)
    assert one(client, "SLOAttainment", "UseCase", "default")["Average"] == 75.0
    assert one(client, "SLOAttainment", "UseCase", "voice")["Average"] == 0.0
    assert listed(client) == {
        ("Requests", "Tier", "mec"),
        ("Requests", "Tier", "cloud"),
        ("FailedRequests", "Tier", "mec"),
        ("FailedRequests", "Tier", "cloud"),
        ("Fallbacks", "Tier", "mec"),
        ("Fallbacks", "Tier", "cloud"),
        ("Latency", "Tier", "mec"),
        ("TimeToFirstToken", "Tier", "mec"),
        ("CostUSD", "Tier", "mec"),
        ("SLOAttainment", "UseCase", "default"),
        ("SLOAttainment", "UseCase", "voice"),
    }


async def test_an_empty_window_sends_nothing(client: Any, calls: list[Any]) -> None:
    pub = publisher(client)
    await pub.flush()
    assert calls == [] and listed(client) == set()


def test_latencies_are_counted_to_three_significant_digits() -> None:
    assert [rounded(v) for v in (0.0, 0.012345, 87.54, 1234.0, 98765.0)] == [
        0.0,
        0.0123,
        87.5,
        1230.0,
        98800.0,
    ]
    for v in (0.3, 7.77, 123.456, 4567.8, 1e6 + 1):
        assert abs(rounded(v) - v) <= 0.005 * v


async def test_more_distinct_latencies_than_a_datum_takes_are_split_across_datums(
    client: Any, calls: list[list[dict[str, Any]]]
) -> None:
    pub = publisher(client)
    latencies = [100.0 + i for i in range(400)]  # 400 distinct values, all exact at 3 digits
    for ms in latencies:
        pub.observe(record(latency_ms=ms))
    await pub.flush()

    [sent] = calls
    chunks = [d for d in sent if d["MetricName"] == "Latency"]
    assert [len(d["Values"]) for d in chunks] == [150, 150, 100]
    assert all(len(d["Values"]) <= MAX_VALUES_PER_DATUM for d in sent if "Values" in d)
    latency = one(client, "Latency", "Tier", "mec")
    assert (latency["SampleCount"], latency["Sum"]) == (400, sum(latencies))


async def test_no_call_carries_more_than_a_thousand_datums(
    client: Any, calls: list[list[dict[str, Any]]], moto: Any
) -> None:
    pub = publisher(client)
    for window in range(2):  # 100 tiers: 700 datums a window; two windows wait for one flush
        for t in range(100):
            pub.observe(
                record(f"t{t}", use_case=f"u{t}", latency_ms=10.0, ttft_ms=5.0, cost_usd=0.5)
            )
        if window == 0:
            with moto.down():
                await pub.flush()
    assert pub.buffered == 700 and [len(c) for c in calls] == [700]  # the call that failed
    await pub.flush()

    assert [len(c) for c in calls] == [700, MAX_DATUMS_PER_CALL, 400]
    assert pub.calls == 2 and pub.sent_datums == 1400 and pub.buffered == 0
    assert one(client, "Requests", "Tier", "t99")["Sum"] == 2


async def test_data_counted_while_cloudwatch_is_down_arrives_once_it_is_back(
    client: Any, moto: Any
) -> None:
    pub = publisher(client, clock=iter([T0, T0 + 3600]))
    pub.observe(record(latency_ms=100.0))
    pub.observe(record(latency_ms=300.0))
    with moto.down():
        await pub.flush()  # fails: logged, counted, kept
    assert pub.failed_flushes == 1 and pub.calls == 0 and pub.buffered > 0
    assert pub.dropped_datums == 0
    pub.observe(record(latency_ms=200.0))
    await pub.flush()

    assert pub.buffered == 0 and pub.calls == 1
    first, second = statistics(client, "Latency", "Tier", "mec")  # each window at its own time
    assert (first["SampleCount"], first["Sum"]) == (2, 400.0)
    assert (second["SampleCount"], second["Sum"]) == (1, 200.0)


async def test_a_full_buffer_drops_the_oldest_datums_and_counts_them(
    client: Any, moto: Any
) -> None:
    pub = publisher(client, clock=iter([T0, T0 + 3600]), max_buffered_datums=6)
    pub.observe(record(latency_ms=100.0))  # 6 datums: 3 counts, cost, SLO, latency
    with moto.down():
        await pub.flush()
    assert pub.buffered == 6 and pub.dropped_datums == 0
    pub.observe(record(latency_ms=200.0))
    await pub.flush()  # the second window's six push out the first window's

    assert pub.dropped_datums == 6 and pub.sent_datums == 6 and pub.buffered == 0
    assert [p["Sum"] for p in statistics(client, "Latency", "Tier", "mec")] == [200.0]


async def test_a_batch_cloudwatch_refuses_is_dropped_and_the_next_still_sent(
    client: Any, calls: list[list[dict[str, Any]]]
) -> None:
    def poison_first(params: dict[str, Any], **_: Any) -> None:
        if len(calls) == 1:  # NaN: CloudWatch answers 400 InvalidParameterValue
            params["MetricData"] = [{**params["MetricData"][0], "Value": math.nan}]

    client.meta.events.register("provide-client-params.cloudwatch.PutMetricData", poison_first)
    pub = publisher(client, clock=iter([T0, T0 + 3600]))
    pub.observe(record(latency_ms=100.0))
    await pub.flush()
    assert pub.calls == 0 and pub.dropped_datums == 6 and pub.buffered == 0
    pub.observe(record(latency_ms=200.0))
    await pub.flush()

    assert pub.calls == 1 and pub.failed_flushes == 0
    assert [p["Sum"] for p in statistics(client, "Latency", "Tier", "mec")] == [200.0]


async def test_circuit_state_gives_the_worst_state_of_each_interval(client: Any) -> None:
    pub = publisher(client, clock=iter([T0, T0 + 3600]))
    pub.circuit("mec-1", CircuitState.CLOSED)
    pub.circuit("cloud-1", CircuitState.CLOSED)
    pub.circuit("mec-1", CircuitState.OPEN)
    pub.circuit("mec-1", CircuitState.HALF_OPEN)
    await pub.flush()
    await pub.flush()  # no change: each circuit still reports the state it is in

    first, second = statistics(client, "CircuitState", "Endpoint", "mec-1")
    assert (first["Minimum"], first["Maximum"]) == (0.0, 2.0)
    assert (second["Minimum"], second["Maximum"], second["SampleCount"]) == (1.0, 1.0, 1)
    steady = statistics(client, "CircuitState", "Endpoint", "cloud-1")
    assert [p["Maximum"] for p in steady] == [0.0, 0.0]


async def test_the_background_task_flushes_every_interval_and_once_more_on_close(
    client: Any, calls: list[Any]
) -> None:
    pub = publisher(client, interval_s=0.05)
    pub.start()
    pub.observe(record(latency_ms=100.0))
    for _ in range(250):  # the call is seen before its answer is counted: wait for the count
        if pub.calls:
            break
        await asyncio.sleep(0.02)
    assert pub.calls == 1 and len(calls) == 1
    pub.observe(record(latency_ms=200.0))
    await pub.aclose()

    assert pub.calls == 2 and pub.buffered == 0
    assert one(client, "Requests", "Tier", "mec")["Sum"] == 2


async def test_the_gateway_with_cloudwatch_enabled_publishes_its_requests(
    moto: Any, tmp_path: Path
) -> None:
    raw = yaml.safe_load(resources.files("mecrouter").joinpath("default_config.yaml").read_text())
    raw["aws"] = {"cloudwatch": {"enabled": True, "namespace": "test", "endpoint_url": moto.url}}
    router = Router.from_config(load_config(raw), store=MemoryStore(), time_scale=0.01)
    app = create_app(GatewaySettings(auth=False, keys_db=tmp_path / "k.sqlite3"), router=router)
    body = {"model": "auto", "messages": [{"role": "user", "content": "Greet the player."}]}
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://gw") as http:
            answers = [await http.post("/v1/chat/completions", json=body) for _ in range(3)]
    # The interval is a minute: what CloudWatch has, the shutdown flush sent.
    assert [a.status_code for a in answers] == [200] * 3
    tiers = {a.headers["x-mecrouter-tier"] for a in answers}
    reader = aws_client("cloudwatch", endpoint_url=moto.url)
    assert sum(one(reader, "Requests", "Tier", t)["Sum"] for t in tiers) == 3
    served = {(m, d, v) for m, d, v in listed(reader) if m == "CircuitState"}
    assert served == {("CircuitState", "Endpoint", ep.id) for ep in router.config.endpoints}


def test_a_gateway_without_the_aws_section_never_loads_boto3(tmp_path: Path) -> None:
    code = """
import asyncio, sys
from mecrouter.config import load_config
from mecrouter.gateway.app import GatewaySettings, create_app
from mecrouter.pipeline import Router
from mecrouter.stores.memory import MemoryStore

async def main() -> None:
    router = Router.from_config(load_config(), store=MemoryStore())
    app = create_app(GatewaySettings(auth=False), router=router)
    async with app.router.lifespan_context(app):
        pass

asyncio.run(main())
print(sorted(m for m in sys.modules if m.split(".")[0] in ("boto3", "botocore")))
"""
    done = subprocess.run(
        [sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr[-2000:]
    assert done.stdout.strip().splitlines()[-1] == "[]"
