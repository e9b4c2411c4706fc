"""Recovery probes: an endpoint whose circuit opened is probed, and routed to again once it
answers (emulated tiers in process)."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from mecrouter.backends.emulated import EmulatedBackend
from mecrouter.config import Config, load_config
from mecrouter.errors import AllEndpointsFailed, NoRouteError
from mecrouter.pipeline import Router
from mecrouter.stores.memory import MemoryStore
from mecrouter.types import CircuitState, ComputeTier

TIME_SCALE = 0.02


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


def patient_note(local_models: list[str]) -> dict[str, Any]:
    """A request that stays on the device or MEC; without a local model, MEC only."""
    device = {"device_id": "phone-1", "memory_mb": 8192, "local_models": local_models}
    return {"content": "Patient note: summarise vitals.", "device_info": device}


def mec_ids(config: Config) -> list[str]:
    return [ep.id for ep in config.endpoints if ep.tier is ComputeTier.MEC]


def set_mec_down(router: Router, down: bool) -> None:
    for ep_id in mec_ids(router.config):
        backend = router.backends[ep_id].inner
        assert isinstance(backend, EmulatedBackend)
        if down:
            backend.set_fault(down=True)
        else:
            backend.clear_fault()


async def open_mec_circuits(router: Router) -> None:
    """MEC down, and MEC-only requests until every MEC circuit has opened."""
    set_mec_down(router, True)
    for _ in range(20):  # bounded: each request fails on up to four MEC endpoints
        with pytest.raises((AllEndpointsFailed, NoRouteError)):
            await router.complete(
                {**patient_note([]), "use_case": "healthcare"},
            )
    states = {router.breakers[ep].state(router.clock.monotonic()) for ep in mec_ids(router.config)}
    assert states == {CircuitState.OPEN}


def make_router(config: Config, probe_interval_s: float | None = None) -> Router:
    if probe_interval_s is not None:
        resilience = config.resilience.model_copy(update={"probe_interval_s": probe_interval_s})
        config = config.model_copy(update={"resilience": resilience})
    return Router.from_config(config, store=MemoryStore(), time_scale=TIME_SCALE)


async def test_a_recovered_endpoint_is_closed_and_routed_to_again(config: Config) -> None:
    router = make_router(config)
    await open_mec_circuits(router)
    still_down = await router.recover(timeout_s=1.0)
    assert set(still_down) >= set(mec_ids(config)) and not any(still_down.values())
    set_mec_down(router, False)
    recovered = await router.recover(timeout_s=1.0)
    decision = await router.route(
        {**patient_note(["llama-3.2-1b-instruct"]), "use_case": "healthcare"}
    )
    await router.aclose()
    assert all(recovered[ep] for ep in mec_ids(config))
    now = router.clock.monotonic()
    for ep in mec_ids(config):
        assert router.breakers[ep].state(now) is CircuitState.CLOSED
        status = router.resource_agent.estimate(ep)
        assert status.healthy and status.error_rate == 0.0
    # The device was the alternative: the failures MEC had are forgotten, so it wins again.
    assert decision.selected_tier is ComputeTier.MEC


async def test_recovery_probes_nothing_while_every_endpoint_serves(config: Config) -> None:
    router = make_router(config)
    probed = await router.recover(timeout_s=1.0)
    await router.aclose()
    assert probed == {}


async def test_async_with_router_probes_in_the_background(config: Config) -> None:
    async with make_router(config, probe_interval_s=0.05) as router:
        await open_mec_circuits(router)
        set_mec_down(router, False)
        first = mec_ids(config)[0]
        for _ in range(100):  # 5 s at most
            if router.breakers[first].state(router.clock.monotonic()) is CircuitState.CLOSED:
                break
            await asyncio.sleep(0.05)
        assert router.breakers[first].state(router.clock.monotonic()) is CircuitState.CLOSED


async def test_probe_interval_0_turns_background_recovery_off(config: Config) -> None:
    router = make_router(config, probe_interval_s=0.0)
    await asyncio.wait_for(router.recover_forever(), timeout=1.0)  # returns at once
    await router.aclose()
