"""The simulated workloads: the four seed scenarios of the specification, and a mix of them.

A workload says what arrives (prompts, so the real ContextAgent judges complexity and privacy),
how fast and how burstily (a real request trace, rescaled to the scenario's rate), how large
(the trace's token counts, scaled: see `token_scale`), from which devices (local model, battery,
access network), and which faults strike (node outage, network partition, slow-down, as
fractions of the run). Numbers that come from no measurement are marked ASSUMED, with why.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, Literal

from mecrouter.scenarios import SCENARIOS

__all__ = [
    "FAULTS", "PERSONAL_SHARE", "WORKLOADS", "DeviceMix", "FaultSpec", "Workload", "with_fault",
    "workload",
]  # fmt: skip

_ONE_B = ("llama-3.2-1b-instruct",)
_THREE_B = ("llama-3.2-3b-instruct",)
_BOTH = ("llama-3.2-3b-instruct", "llama-3.2-1b-instruct")


@dataclass(frozen=True, slots=True)
class DeviceMix:
    """The devices requests come from: each draws its local models, access network and battery
    once; requests pick a device uniformly."""

    count: int
    local_models: tuple[tuple[tuple[str, ...], float], ...]  # (models, share)
    networks: tuple[tuple[str, float], ...]  # ("5g" | "lte" | "wifi", share)
    battery_pct: tuple[float, float] = (20.0, 100.0)


@dataclass(frozen=True, slots=True)
class FaultSpec:
    """A fault as fractions of the run's simulated duration."""

    kind: Literal[
        "node_outage", "network_partition", "slowdown", "quality_drop", "network_slowdown"
    ]
    # node id for outages; "mec" for a partition of the device-MEC links; a tier, node or
    # endpoint for slow-downs; a model, node or endpoint for quality drops (answers judged good
    # `factor` times as often); a tier ("mec" | "cloud") for network slow-downs (RTT x factor)
    target: str
    start: float
    end: float
    factor: float = 1.0


@dataclass(frozen=True, slots=True)
class Workload:
    name: str
    description: str
    use_cases: tuple[tuple[str, float], ...]  # (use case, share of requests)
    trace: Literal["conv", "code"]
    rate_per_s: float
    token_scale: tuple[float, float]  # (prompt, output) multipliers on the trace's counts
    devices: DeviceMix
    faults: tuple[FaultSpec, ...] = ()
    reasons: Mapping[str, str] = field(default_factory=dict)  # why each number, for the README
    feedback_rate: float = 0.0  # share of served answers the user scores (good / bad)
    policies: tuple[str, ...] = ()  # the policies to compare (empty: the default set)
    # Where prompts come from: the use cases' own ("seed", no labels: quality is judged on the
    # capability yardstick) or the RouterBench test splits ("routerbench-test", with every
    # model's recorded outcome: quality is judged on those); see `sim.truth`.
    prompts_from: Literal["seed", "routerbench-test"] = "seed"
    # Per use case, the share of its requests that carry personal data. Those prompts come from
    # the privacy corpus's test split (`sim.privacy_truth`) with its ground-truth labels, which
    # is what privacy violations are judged by; the rest are the use case's own prompts, none
    # of which carries personal data (`_SEED_PERSONAL` are left out).
    personal: Mapping[str, float] = field(default_factory=lambda: PERSONAL_SHARE)

    def prompts(self, use_case: str) -> tuple[str, ...]:
        return _PROMPTS[use_case]


# ASSUMED: half of the clinics' prompts name a patient or carry their data, as in the seed
# healthcare scenario (two of its four prompts); the other use cases' users send none.
PERSONAL_SHARE: Final[Mapping[str, float]] = {"healthcare": 0.5}
# The seed prompts that carry personal data, labelled by hand: the simulator draws personal
# prompts from the labelled corpus instead, so that a detector miss shows as a violation.
_SEED_PERSONAL: Final = frozenset(
    {
        "Patient MRN 4829103: heart rate 128 bpm, SpO2 91%. Should the nurse be alerted?",
        "Summarise the overnight glucose readings for patient jane.doe@example.org.",
    }
)
_PROMPTS: Final[dict[str, tuple[str, ...]]] = {
    s.use_case: tuple(p for p in s.prompts if p not in _SEED_PERSONAL) for s in SCENARIOS
} | {
    "default": (
        "Explain step by step how to implement a thread-safe LRU cache in Python.",
        "Summarise the maintenance log of turbine 4 in three bullet points.",
        "What is the capital of Australia?",
        "Write a function to find the second largest number in a list.",
        "A train travels 120 km in 1.5 hours. What is its average speed in km/h?",
        "Which is heavier, a kilogram of feathers or a kilogram of iron? Explain.",
        "Translate 'good morning, how are you?' into French and Spanish.",
        "Prove that the sum of two even integers is even.",
        "Draft a polite email asking a supplier to confirm the delivery date.",
        "Why does ice float on water?",
    )
}

_PHONES = DeviceMix(
    count=500,
    local_models=((_ONE_B, 0.6), ((), 0.4)),
    networks=(("5g", 0.5), ("wifi", 0.3), ("lte", 0.2)),
)

WORKLOADS: Final[dict[str, Workload]] = {
    "gaming": Workload(
        name="gaming",
        description="NPC dialogue in a mobile game: many short lines, 50 ms TTFT target",
        use_cases=(("gaming", 1.0),),
        trace="conv",
        rate_per_s=40.0,
        token_scale=(0.1, 0.3),
        devices=_PHONES,
        faults=(FaultSpec("slowdown", "cloud", 0.5, 0.7, factor=3.0),),
        reasons={
            "trace": "conversation trace: chat-like turns",
            "rate": "ASSUMED 40 req/s: one region of a mid-size game at peak",
            "tokens": "ASSUMED x0.1 prompt, x0.3 output: an NPC line carries a short persona "
            "and the player's words, not a long chat history (conv p50 1,020 -> ~100 tokens)",
            "devices": "ASSUMED 60% of phones have the 1B model; access shares ASSUMED",
            "fault": "cloud 3x slower for 20% of the run (a provider brown-out)",
        },
    ),
    "automotive": Workload(
        name="automotive",
        description="In-car safety assistant: 100 ms TTFT target, cars on 5G/LTE",
        use_cases=(("automotive", 1.0),),
        trace="conv",
        rate_per_s=20.0,
        token_scale=(0.15, 0.5),
        devices=DeviceMix(
            count=200,
            local_models=((_BOTH, 1.0),),
            networks=(("5g", 0.6), ("lte", 0.4)),
            battery_pct=(60.0, 100.0),
        ),
        faults=(FaultSpec("network_partition", "mec", 0.4, 0.6),),
        reasons={
            "rate": "ASSUMED 20 req/s: a city's connected cars",
            "tokens": "ASSUMED x0.15 prompt (sensor summary + question), x0.5 output",
            "devices": "cars carry both Llama 3.2 models on a Snapdragon-class SoC (ASSUMED); "
            "car batteries are large, hence 60-100%",
            "fault": "device-MEC links partitioned for 20% of the run (a backhaul cut)",
        },
    ),
    "healthcare": Workload(
        name="healthcare",
        description="Clinic monitoring: PHI in most prompts, 1.5 s TTFT target",
        use_cases=(("healthcare", 1.0),),
        trace="conv",
        rate_per_s=2.0,
        token_scale=(0.3, 1.0),
        devices=DeviceMix(
            count=60,
            local_models=((_THREE_B, 1.0),),
            networks=(("wifi", 0.7), ("5g", 0.3)),
            battery_pct=(40.0, 100.0),
        ),
        faults=(FaultSpec("node_outage", "mec-lon-1", 0.5, 0.8),),
        reasons={
            "rate": "ASSUMED 2 req/s: 60 bedside tablets, one request per tablet every 30 s "
            "(a first run at 10 req/s, one every 6 s, overloaded every tier PHI may use)",
            "tokens": "ASSUMED x0.3 prompt (vitals + notes), full output length",
            "devices": "clinic tablets carry the 3B model (ASSUMED), mostly on Wi-Fi",
            "fault": "the London MEC node down for 30% of the run",
        },
    ),
    "iot": Workload(
        name="iot",
        description="IoT sensor processing: bursty, long prompts, short answers, 2 s total",
        use_cases=(("iot", 1.0),),
        trace="code",
        rate_per_s=30.0,
        token_scale=(0.25, 1.0),
        devices=DeviceMix(
            count=1000,
            local_models=(((), 0.5), (_ONE_B, 0.5)),
            networks=(("lte", 0.6), ("5g", 0.4)),
        ),
        faults=(FaultSpec("node_outage", "mec-man-1", 0.3, 0.5),),
        reasons={
            "trace": "code trace: long inputs, very short outputs, very bursty arrivals, "
            "the shape of batched sensor summaries",
            "rate": "ASSUMED 30 req/s",
            "tokens": "ASSUMED x0.25 prompt (a window of readings), trace output length",
            "fault": "the Manchester MEC node down for 20% of the run",
        },
    ),
    "mixed": Workload(
        name="mixed",
        description="All four use cases at once on shared tiers",
        use_cases=(("gaming", 0.4), ("automotive", 0.2), ("healthcare", 0.1), ("iot", 0.3)),
        trace="conv",
        rate_per_s=80.0,
        token_scale=(0.15, 0.5),
        devices=DeviceMix(
            count=1000,
            local_models=((_ONE_B, 0.4), (_BOTH, 0.2), (_THREE_B, 0.1), ((), 0.3)),
            networks=(("5g", 0.5), ("wifi", 0.25), ("lte", 0.25)),
        ),
        faults=(FaultSpec("node_outage", "mec-lon-1", 0.6, 0.75),),
        reasons={
            "mix": "ASSUMED shares of the four use cases",
            "rate": "ASSUMED 80 req/s across use cases",
        },
    ),
    "quality": Workload(
        name="quality",
        description="General assistant traffic with real benchmark prompts (RouterBench test "
        "splits): quality, utility and regret judged on each model's recorded answers",
        use_cases=(("default", 1.0),),
        trace="conv",
        rate_per_s=20.0,
        token_scale=(0.2, 0.5),
        devices=_PHONES,
        prompts_from="routerbench-test",
        reasons={
            "prompts": "ARC-Challenge, Winogrande and MBPP test prompts, uniformly; an answer is "
            "good iff the endpoint's benchmark_model got the prompt right (RouterBench)",
            "rate": "ASSUMED 20 req/s of general assistant traffic, a fifth of it from clinics: "
            "Mixtral is their best model PHI may use, so its drop matters (general traffic "
            "alone goes mostly to the cheaper, better Nova models)",
            "tokens": "ASSUMED x0.2 prompt, x0.5 output, as the drift scenario (the trace's "
            "sizes, not the prompt's own: service times stay on the trace's shape)",
            "devices": "ASSUMED 60% of phones have the 1B model; access shares ASSUMED",
        },
    ),
    "drift": Workload(
        name="drift",
        description="General assistant with a fifth of clinic traffic; at 40% of the run "
        "the MEC Mixtral is swapped for a worse build and the MEC links slow down: does the "
        "router notice?",
        use_cases=(("default", 0.8), ("healthcare", 0.2)),
        personal={},  # the clinics' own (public) prompts: privacy is judged in healthcare, mixed
        trace="conv",
        rate_per_s=20.0,
        token_scale=(0.2, 0.5),
        devices=_PHONES,
        faults=(
            FaultSpec("quality_drop", "mixtral-8x7b-instruct", 0.4, 1.0, factor=0.3),
            FaultSpec("network_slowdown", "mec", 0.4, 1.0, factor=3.0),
        ),
        feedback_rate=0.3,
        policies=(
            "mecrouter",
            "mecrouter-static",
            "cloud-only",
            "mec-only",
            "device-first",
            "greedy-latency",
            "oracle",
        ),
        reasons={
            "rate": "ASSUMED 20 req/s of general assistant traffic, a fifth of it from clinics: "
            "Mixtral is their best model PHI may use, so its drop matters (general traffic "
            "alone goes mostly to the cheaper, better Nova models)",
            "drift": "ASSUMED: from 40% of the run the MEC Mixtral's answers are judged good "
            "0.3x as often (a bad quantisation pushed to both nodes) and device-MEC RTTs "
            "triple (a congested backhaul)",
            "feedback": "ASSUMED 30% of answers get a thumbs up/down, drawn from the true "
            "quality (the capability yardstick for the model, times the drop)",
            "static": "mecrouter-static is the same router with learning off: the control",
        },
    ),
}


# Faults a run may take instead of its scenario's own (`simulate --fault`, the dashboard's
# What-if page): each strikes from 30% to 60% of the run's simulated time.
FAULTS: Final[dict[str, tuple[FaultSpec, ...] | None]] = {
    "scenario": None,  # the scenario's own faults, as listed above
    "none": (),
    "mec-outage": (FaultSpec("node_outage", "mec-lon-1", 0.3, 0.6),),
    "mec-partition": (FaultSpec("network_partition", "mec", 0.3, 0.6),),
    "cloud-slowdown": (FaultSpec("slowdown", "cloud", 0.3, 0.6, factor=3.0),),
    "mec-network-slowdown": (FaultSpec("network_slowdown", "mec", 0.3, 0.6, factor=3.0),),
}


def with_fault(w: Workload, fault: str) -> Workload:
    """`w` with the faults `FAULTS[fault]` (KeyError naming the known ones otherwise)."""
    try:
        faults = FAULTS[fault]
    except KeyError:
        raise KeyError(f"unknown fault {fault!r}; known: {', '.join(FAULTS)}") from None
    return w if faults is None else dataclasses.replace(w, faults=faults)


def workload(name: str) -> Workload:
    """The workload called `name` (KeyError naming the known ones otherwise)."""
    try:
        return WORKLOADS[name]
    except KeyError:
        raise KeyError(f"unknown scenario {name!r}; known: {', '.join(WORKLOADS)}") from None
