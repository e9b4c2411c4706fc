"""The four seed scenarios of the demo (gaming, automotive, healthcare, IoT) and their requests.

A scenario is data: the prompts its users send (so the real ContextAgent judges complexity and
privacy), the devices they send them from, the access networks, the arrival rate, and which tier
dies half-way. `build_requests` draws one seeded list of timed requests that every policy and both
demos (in-process and over HTTP) replay; the simulator's workloads take their prompts from here.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from mecrouter.types import ComputeTier, DeviceInfo, InferenceRequest, NetworkType

__all__ = ["SCENARIOS", "Scenario", "build_requests"]


@dataclass(frozen=True, slots=True)
class Scenario:
    name: str
    use_case: str
    prompts: tuple[str, ...]
    local_models: tuple[tuple[str, ...], ...]  # drawn per request
    networks: tuple[NetworkType, ...]
    rate_per_s: float
    kill_tier: ComputeTier | None = None


SCENARIOS: tuple[Scenario, ...] = (
    Scenario(
        name="gaming NPC dialogue",
        use_case="gaming",
        prompts=(
            "Greet the player who just walked into the tavern.",
            "The blacksmith reacts to the player haggling over a sword price.",
            "Guard: warn the player that the bridge is closed tonight.",
            "Write a witty one-liner for the merchant when the player sells junk.",
            "Compose the dragon's taunt as the boss fight begins in the burning keep.",
        ),
        local_models=(("llama-3.2-1b-instruct",), ("llama-3.2-1b-instruct",), ()),
        networks=(NetworkType.FIVE_G, NetworkType.WIFI, NetworkType.LTE),
        rate_per_s=25.0,
    ),
    Scenario(
        name="automotive safety",
        use_case="automotive",
        prompts=(
            "Pedestrian detected 25 m ahead at 50 km/h on a wet road: brake or steer?",
            "Lane departure warning on the motorway: summarise the required driver action.",
            "Explain step by step how to re-plan the route around the accident on the A14, "
            "comparing the three alternatives by time and fuel.",
            "Cyclist on the right at the junction, turning left: is it safe to proceed?",
        ),
        local_models=(("llama-3.2-3b-instruct", "llama-3.2-1b-instruct"),),
        networks=(NetworkType.FIVE_G, NetworkType.LTE),
        rate_per_s=25.0,
    ),
    Scenario(
        name="healthcare monitoring",
        use_case="healthcare",
        prompts=(
            "Patient MRN 4829103: heart rate 128 bpm, SpO2 91%. Should the nurse be alerted?",
            "Summarise the overnight glucose readings for patient jane.doe@example.org.",
            "Explain why a rising respiratory rate can precede sepsis, step by step.",
            "What does a blood pressure of 150/95 mean for a 60-year-old?",
        ),
        local_models=(("llama-3.2-3b-instruct",),),  # clinic tablets carry a local model
        networks=(NetworkType.WIFI, NetworkType.FIVE_G),
        rate_per_s=10.0,
        kill_tier=ComputeTier.MEC,
    ),
    Scenario(
        name="IoT sensor processing",
        use_case="iot",
        prompts=(
            "sensor 17: temp 21.4C humidity 40% - anomaly?",
            "sensor 03: vibration 0.8g rising for 5 min - classify.",
            "Aggregate the last 60 readings of the air-quality station and flag outliers.",
            "meter 112: flow 0 l/min at 03:00 - leak or normal?",
        ),
        local_models=((), ("llama-3.2-1b-instruct",)),
        networks=(NetworkType.LTE, NetworkType.FIVE_G),
        rate_per_s=30.0,
    ),
)


def build_requests(scenario: Scenario, n: int, seed: int) -> list[tuple[float, InferenceRequest]]:
    """The scenario's requests with their arrival offsets (s), identical for every policy."""
    rng = random.Random(f"{scenario.name}/{seed}")
    t = 0.0
    out = []
    for i in range(n):
        t += rng.expovariate(scenario.rate_per_s)
        device = DeviceInfo(
            device_id=f"{scenario.use_case}-dev-{rng.randrange(500)}",
            model="demo-device",
            memory_mb=8192,
            battery_pct=round(rng.uniform(20.0, 100.0), 1),
            local_models=rng.choice(scenario.local_models),
            network_type=rng.choice(scenario.networks),
        )
        req = InferenceRequest(
            request_id=f"{scenario.use_case}-{seed}-{i:05d}",
            user_id=f"user-{rng.randrange(25)}",
            content=f"{rng.choice(scenario.prompts)} (#{rng.randrange(10_000)})",
            use_case=scenario.use_case,
            device_info=device,
        )
        out.append((t, req))
    return out
