"""The hot-path records as the agents build them: a fresh candidate, and a snapshot's endpoints
in order."""

from __future__ import annotations

import math
from typing import Any

from mecrouter.agents.context import ContextAgent
from mecrouter.agents.policies import Candidate
from mecrouter.agents.resource import ResourceAgent
from mecrouter.agents.router import RouterAgent
from mecrouter.config import load_config
from mecrouter.types import (
    CloudServiceStatus,
    DeviceInfo,
    InferenceRequest,
    MECNodeStatus,
    NetworkMetrics,
    NetworkType,
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
    ]


def test_a_fresh_candidate_is_usable_and_unscored_until_evaluated() -> None:
    records = _records()
    candidate = Candidate(records[7].endpoint, records[6], "device")
    assert candidate.usable and not candidate.blocked and not candidate.excluded
    assert candidate.latency_ms == math.inf and candidate.utility == 0.0


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
