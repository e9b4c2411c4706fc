"""The probe set (`probes.yaml`): prompts over the four scenarios, plain chat, code, hard
reasoning and trivial turns, each labelled by hand with the tiers acceptable for it and why,
independently of the router's predictor. The router is held to what it achieves today, so a
change that places fewer probes acceptably fails; the issue's target (90%) is not met yet:
see docs/quality.md."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from mecrouter import Router, load_config
from mecrouter.types import RoutingDecision

PROBES: list[dict[str, Any]] = yaml.safe_load(
    (Path(__file__).with_name("probes.yaml")).read_text(encoding="utf-8")
)
BOTH_MODELS = ["llama-3.2-1b-instruct", "llama-3.2-3b-instruct"]
# Measured 2026-12-06 with the shipped config: 124 of 166 (0.747). A floor, not the target.
FLOOR = 0.74


def test_the_probe_set_is_well_formed() -> None:
    assert len(PROBES) >= 120
    assert len({p["id"] for p in PROBES}) == len(PROBES)
    categories = {p["category"] for p in PROBES}
    assert {"gaming", "automotive", "healthcare", "iot", "chat", "code", "reasoning"} <= categories
    for p in PROBES:
        assert p["acceptable"] and set(p["acceptable"]) <= {"device", "mec", "cloud"}, p["id"]
        assert p["why"].strip(), p["id"]


async def _decisions() -> list[tuple[dict[str, Any], RoutingDecision]]:
    async with Router.from_config(load_config()) as router:
        out = []
        for p in PROBES:
            decision = await router.route(
                {
                    "content": p["prompt"],
                    "use_case": p["use_case"],
                    "device_info": {"local_models": BOTH_MODELS, "network_type": "5g"},
                }
            )
            out.append((p, decision))
        return out


async def _placements() -> list[tuple[dict[str, Any], str]]:
    return [(p, d.selected_tier.value) for p, d in await _decisions()]


@pytest.mark.asyncio
async def test_the_router_places_the_probes_acceptably_at_least_as_often_as_measured() -> None:
    placed = await _placements()
    wrong = [(p["id"], tier, p["acceptable"]) for p, tier in placed if tier not in p["acceptable"]]
    share = 1.0 - len(wrong) / len(placed)
    assert share >= FLOOR, f"{share:.3f} placed acceptably; misplaced: {wrong}"
    # Healthcare prompts with PHI are never labelled cloud-acceptable: none may go there.
    leaked = [
        p["id"]
        for p, tier in placed
        if p["use_case"] == "healthcare" and "cloud" not in p["acceptable"] and tier == "cloud"
    ]
    assert not leaked


@pytest.mark.asyncio
async def test_trivial_turns_go_to_the_cheapest_tier_that_meets_the_slo() -> None:
    # The device is free and answers these within the default use case's 3 s SLO, so it is the
    # cheapest tier that meets it: "Thanks, that's all" must not buy a cloud call.
    slo_ms = load_config().use_cases["default"].latency_slo_ms
    trivial = [(p, d) for p, d in await _decisions() if p["category"] == "trivial"]
    assert len(trivial) >= 10
    for p, d in trivial:
        assert d.selected_tier.value == "device", (p["prompt"], d.reasoning)
        assert d.estimated_cost == 0.0, d.reasoning
        # on the use case's SLO metric (time to first token for `default`)
        assert f"meets {slo_ms} ms SLO" in d.reasoning, d.reasoning
