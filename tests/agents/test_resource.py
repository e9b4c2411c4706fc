"""ResourceAgent snapshots: a change rebuilds only what it touched, and time alone half-opens."""

from __future__ import annotations

from mecrouter.agents.resource import ResourceAgent
from mecrouter.config import load_config
from mecrouter.resilience import CircuitBreaker
from mecrouter.types import CircuitState, DeviceInfo, NetworkMetrics, NetworkType

DEVICE = DeviceInfo(device_id="d", memory_mb=8192, local_models=("llama-3.2-1b-instruct",))
NET = NetworkMetrics(NetworkType.FIVE_G, True, 20.0, 60.0, 100.0)


def test_a_dispatch_rebuilds_its_own_node_and_reuses_the_rest() -> None:
    agent = ResourceAgent(load_config())
    before = agent.snapshot(DEVICE, NET, 0.0)
    agent.on_dispatch("mec-lon-mixtral")
    after = agent.snapshot(DEVICE, NET, 1.0)
    lon_before, man_before = before.mec_nodes
    lon_after, man_after = after.mec_nodes
    assert lon_after is not lon_before and man_after is man_before
    assert after.cloud_services is before.cloud_services
    busy = {e.endpoint_id: e.in_flight for e in lon_after.endpoints}
    assert busy["mec-lon-mixtral"] == 1 and busy["mec-lon-mistral-7b"] == 0


def test_an_open_circuit_half_opens_with_time_alone() -> None:
    now = [0.0]
    breaker = CircuitBreaker(failure_threshold=1, open_seconds=30.0)
    agent = ResourceAgent(
        load_config(),
        circuit_state=lambda ep: (
            breaker.state(now[0]) if ep == "cloud-nova-pro" else CircuitState.CLOSED
        ),
    )
    breaker.record_failure(0.0)
    agent.observe_failure("cloud-nova-pro")
    state = {e.endpoint_id: e for e in agent.snapshot(DEVICE, NET, 0.0).cloud_services.endpoints}
    assert state["cloud-nova-pro"].circuit_state is CircuitState.OPEN
    now[0] = 31.0  # nothing touched the endpoint since: only the clock moved
    agent.on_dispatch("mec-man-mixtral")  # some other change, so a new snapshot is built
    state = {e.endpoint_id: e for e in agent.snapshot(DEVICE, NET, 31.0).cloud_services.endpoints}
    assert state["cloud-nova-pro"].circuit_state is CircuitState.HALF_OPEN


def test_a_touched_endpoint_is_rebuilt_alone_and_a_device_view_is_reused() -> None:
    agent = ResourceAgent(load_config())
    before = agent.snapshot(DEVICE, NET, 0.0)
    agent.on_dispatch("cloud-nova-lite")
    after = agent.snapshot(DEVICE, NET, 1.0)
    old = {e.endpoint_id: e for e in before.cloud_services.endpoints}
    new = {e.endpoint_id: e for e in after.cloud_services.endpoints}
    assert new["cloud-nova-lite"] is not old["cloud-nova-lite"]
    assert new["cloud-nova-lite"].in_flight == 1
    assert new["cloud-nova-pro"] is old["cloud-nova-pro"]  # untouched: the same object
    assert after.device_resources is before.device_resources  # the device saw no change
    agent.on_dispatch("device-llama-3.2-1b", "d")  # the device's own call
    busy = agent.snapshot(DEVICE, NET, 2.0).device_resources
    assert busy is not before.device_resources
    assert {e.endpoint_id: e.in_flight for e in busy.endpoints}["device-llama-3.2-1b"] == 1


def test_a_closed_circuit_that_opens_on_a_failure_is_seen_at_once() -> None:
    breaker = CircuitBreaker(failure_threshold=1, open_seconds=30.0)
    agent = ResourceAgent(
        load_config(),
        circuit_state=lambda ep: (
            breaker.state(0.0) if ep == "cloud-nova-pro" else CircuitState.CLOSED
        ),
    )
    agent.snapshot(DEVICE, NET, 0.0)
    breaker.record_failure(0.0)
    agent.observe_failure("cloud-nova-pro")  # every failure is observed, which touches it
    state = {e.endpoint_id: e for e in agent.snapshot(DEVICE, NET, 0.0).cloud_services.endpoints}
    assert state["cloud-nova-pro"].circuit_state is CircuitState.OPEN
