"""The hot-path records write their own `__init__` (so that mypyc compiles it): each must still
set every declared field, take every field by its name, and keep the documented defaults. The
checks hold on the pure sources and on the compiled build alike."""

from __future__ import annotations

import dataclasses
import inspect
import math
from typing import Any

import pytest

from mecrouter.agents.context import ContextAgent
from mecrouter.agents.policies import Candidate
from mecrouter.agents.resource import ResourceAgent
from mecrouter.agents.router import RouterAgent
from mecrouter.compiled import compiled
from mecrouter.config import load_config
from mecrouter.sim.policies import Choice
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


@pytest.mark.skipif(
    "state.py" in compiled(), reason="reads __init__ signatures, which the compiled build hides"
)
@pytest.mark.parametrize("record", _records(), ids=lambda r: type(r).__name__)
def test_a_record_built_from_its_required_fields_takes_every_declared_default(record: Any) -> None:
    params = inspect.signature(type(record).__init__).parameters
    required = {
        name: getattr(record, name)
        for name, p in params.items()
        if name != "self" and p.default is inspect.Parameter.empty
    }
    defaulted = {name: p.default for name, p in params.items() if name not in required}
    defaulted.pop("self")
    bare = type(record)(**required)
    assert {name: getattr(bare, name) for name in defaulted} == defaulted
    assert set(required) | set(defaulted) == {f.name for f in dataclasses.fields(record) if f.init}


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
