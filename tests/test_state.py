"""The hot-path records write their own `__init__` (so that mypyc compiles it): each must still
set every declared field, take every field by its name, and keep the documented defaults. The
checks hold on the pure sources and on the compiled build alike."""

from __future__ import annotations

import dataclasses
import math
from typing import Any

import pytest

from mecrouter.agents.context import ContextAgent
from mecrouter.agents.policies import Candidate
from mecrouter.agents.resource import ResourceAgent
from mecrouter.agents.router import RouterAgent
from mecrouter.config import load_config
from mecrouter.sim.policies import Choice
from mecrouter.types import (
    CloudServiceStatus,
    ContextAnalysis,
    DeviceInfo,
    DeviceResources,
    EndpointStatus,
    InferenceRequest,
    MECNodeStatus,
    ModelSize,
    NetworkMetrics,
    NetworkType,
    PrivacyLevel,
    ResourceState,
)

PHONE = DeviceInfo(device_id="phone", memory_mb=8192, local_models=("llama-3.2-1b-instruct",))


def _records() -> list[Any]:
    """One of each record, as the real agents build them."""
    config = load_config()
    context = ContextAgent(config).analyze_request(
        InferenceRequest(content="Summarise the chart for handover", use_case="default")
    )
    network = NetworkMetrics(NetworkType.FIVE_G, True, 27.7, 53.5, 200.0)
    state = ResourceAgent(config).snapshot(PHONE, network, 0.0)
    candidates = RouterAgent(config).evaluate(context, state)
    return [
        context,
        network,
        state,
        state.device_resources,
        state.mec_nodes[0],
        state.cloud_services,
        state.endpoints()[0],
        *candidates,
        Choice(["a"], [1.0]),
    ]


def _values(record: Any) -> dict[str, Any]:
    return {f.name: getattr(record, f.name) for f in dataclasses.fields(record)}


@pytest.mark.parametrize("record", _records(), ids=lambda r: type(r).__name__)
def test_every_field_is_set_and_taken_by_name(record: Any) -> None:
    values = _values(record)  # reading an unset slot would raise AttributeError
    init = {f.name: values[f.name] for f in dataclasses.fields(record) if f.init}
    clone = type(record)(**init)
    assert _values(clone) == values
    assert _values(dataclasses.replace(record)) == values


def test_defaults() -> None:
    context = ContextAnalysis(0.2, 10, ModelSize.SMALL, 200, PrivacyLevel.PUBLIC, "eu-west-2")
    assert (context.estimated_output_tokens, context.use_case, context.privacy_findings) == (
        128,
        "default",
        (),
    )
    assert (context.task_type, context.quality) == ("chat", None)
    records = _records()
    status = records[6]
    assert isinstance(status, EndpointStatus)
    bare = EndpointStatus(*list(_values(status).values())[:12])
    assert bare.node_id == ""
    assert DeviceResources("d", 1, 50.0, ()).endpoints == ()
    candidate = Candidate(records[7].endpoint, status, "device")
    assert (candidate.blocked, candidate.excluded) == ("", "")
    assert candidate.latency_ms == candidate.ttft_ms == candidate.slo_latency_ms == math.inf
    assert (candidate.quality, candidate.cost_usd, candidate.utility) == (0.0, 0.0, 0.0)
    assert candidate.usable


def test_the_snapshot_lists_device_then_mec_then_cloud_endpoints() -> None:
    state = _records()[2]
    assert isinstance(state, ResourceState)
    expected = state.device_resources.endpoints
    for node in state.mec_nodes:
        assert isinstance(node, MECNodeStatus)
        expected += node.endpoints
    assert isinstance(state.cloud_services, CloudServiceStatus)
    expected += state.cloud_services.endpoints
    assert state.endpoints() == expected
    assert [e.endpoint_id for e in expected] == [ep.id for ep in load_config().endpoints]
