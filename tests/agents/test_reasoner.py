"""The advisor's pure part (`agents.reasoner`): when it is asked, what it is asked, how strictly
its answer is read, and what an overruling does to the decision; and its config's validation."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

import pytest
import yaml

from mecrouter.agents.reasoner import (
    Option,
    close_pair,
    overrule,
    parse_verdict,
    prompt_messages,
    slack_ms,
    verdict_schema,
)
from mecrouter.config import load_config
from mecrouter.errors import ConfigError
from mecrouter.types import (
    ComputeTier,
    ContextAnalysis,
    ModelSize,
    PrivacyLevel,
    RoutingDecision,
)

CLOUD, MEC, DEVICE = ComputeTier.CLOUD, ComputeTier.MEC, ComputeTier.DEVICE
TIERS = {"micro": CLOUD, "lite": CLOUD, "mixtral": MEC, "phone": DEVICE}


def decision(scores: dict[str, float], chain: list[str]) -> RoutingDecision:
    best = max(scores, key=lambda e: scores[e])
    return RoutingDecision(
        selected_tier=TIERS[best],
        selected_model=f"model-{best}",
        confidence_score=0.6,
        reasoning="learned",
        fallback_options=list(dict.fromkeys(TIERS[e] for e in chain)),
        estimated_latency=300,
        estimated_cost=0.001,
        selected_endpoint=best,
        fallback_endpoints=chain,
        scores=scores,
        predicted_latency_ms={e: 300.0 for e in scores},
    )


def option(endpoint: str, slo_ms: float = 400.0, **kw: Any) -> Option:
    fields: dict[str, Any] = {
        "endpoint": endpoint, "tier": TIERS[endpoint], "model": f"model-{endpoint}",
        "utility": 0.9, "latency_ms": slo_ms + 500, "slo_latency_ms": slo_ms, "quality": 0.8,
        "cost_usd": 0.0001,
    }  # fmt: skip
    return Option(**(fields | kw))


def context(**kw: Any) -> ContextAnalysis:
    fields: dict[str, Any] = {
        "complexity_score": 0.55, "estimated_tokens": 120,
        "required_model_size": ModelSize.LARGE, "latency_requirement": 3000,
        "privacy_level": PrivacyLevel.PUBLIC, "geographic_region": "eu-west-2",
        "estimated_output_tokens": 128, "use_case": "default", "task_type": "code",
    }  # fmt: skip
    return ContextAnalysis(**(fields | kw))


# ---------------------------------------------------------------------------- the gates


def test_a_close_call_pairs_the_pick_with_its_best_scored_fallback() -> None:
    d = decision({"micro": 0.94, "mixtral": 0.82, "lite": 0.925, "phone": 0.5}, ["mixtral", "lite"])
    assert close_pair(d, margin=0.02) == ("micro", "lite")


def test_a_gap_over_the_margin_is_not_close() -> None:
    d = decision({"micro": 0.94, "lite": 0.90}, ["lite"])
    assert close_pair(d, margin=0.02) is None
    assert close_pair(d, margin=0.04) == ("micro", "lite")


def test_a_rival_outside_the_fallback_chain_is_not_considered() -> None:
    # "lite" is close but not in the chain: the advisor may only choose what can be served
    d = decision({"micro": 0.94, "lite": 0.939, "mixtral": 0.7}, ["mixtral"])
    assert close_pair(d, margin=0.02) is None
    assert close_pair(decision({"micro": 0.9}, []), margin=1.0) is None


def test_the_slack_is_what_the_slower_option_leaves_of_the_slo() -> None:
    options = [option("micro", slo_ms=400.0), option("lite", slo_ms=900.0)]
    assert slack_ms(options, 3000) == 2100.0
    assert slack_ms(options, 500) == -400.0


# ---------------------------------------------------------------------------- the question


def test_the_prompt_lists_both_options_and_the_requests_needs() -> None:
    options = [
        option("micro", slo_ms=412.0, quality=0.71, cost_usd=0.000123),
        option("lite", slo_ms=388.0, quality=0.84, cost_usd=0.000456),
    ]
    weights = {"latency": 0.34, "quality": 0.33, "cost": 0.33}
    system, user = prompt_messages(options, context(), weights)
    assert '"choice"' in system and '"reasoning"' in system
    for needle in ("task code", "complexity 0.55", "3000 ms", "quality 0.33", "privacy public"):
        assert needle in user
    micro, lite = (line for line in user.splitlines() if line.startswith("- "))
    assert micro.startswith("- micro: cloud model-micro") and "412 ms" in micro
    assert "0.71" in micro and "$0.000123" in micro
    assert lite.startswith("- lite:") and "0.84" in lite and "$0.000456" in lite


def test_the_schema_admits_only_the_two_endpoints() -> None:
    schema = verdict_schema([option("micro"), option("lite")])
    assert schema["properties"]["choice"]["enum"] == ["micro", "lite"]
    assert schema["required"] == ["choice", "reasoning"]


# ---------------------------------------------------------------------------- the answer


def test_a_well_formed_verdict_is_read() -> None:
    verdict = parse_verdict(
        '{"choice": "lite", "reasoning": " better  at\\ncode "}', ["micro", "lite"]
    )
    assert verdict is not None
    assert (verdict.choice, verdict.reasoning) == ("lite", "better at code")


@pytest.mark.parametrize(
    "text",
    [
        "lite",  # not JSON
        "I choose lite because it is better.",
        '```json\n{"choice": "lite", "reasoning": "x"}\n```',  # fenced: not strictly JSON
        '{"choice": "cloud-nova-pro", "reasoning": "x"}',  # not one of the two
        '{"choice": "lite"}',  # no reasoning
        '{"choice": "lite", "reasoning": 3}',
        '{"choice": ["lite"], "reasoning": "x"}',
        '{"choice": "lite", "reasoning": "x", "confidence": 0.9}',  # other keys
        '["lite", "x"]',
        "",
    ],
)
def test_anything_else_is_unparsable(text: str) -> None:
    assert parse_verdict(text, ["micro", "lite"]) is None


def test_long_reasoning_is_cut() -> None:
    text = json.dumps({"choice": "micro", "reasoning": "word " * 400})
    verdict = parse_verdict(text, ["micro", "lite"])
    assert verdict is not None and len(verdict.reasoning) == 500


def test_overruling_selects_the_choice_and_makes_the_learned_pick_the_first_fallback() -> None:
    d = decision(
        {"micro": 0.94, "mixtral": 0.82, "lite": 0.93, "phone": 0.5}, ["mixtral", "lite", "phone"]
    )
    overrule(d, option("lite", latency_ms=777.4, cost_usd=0.0042), TIERS)
    assert d.selected_endpoint == "lite" and d.selected_model == "model-lite"
    assert d.selected_tier is CLOUD
    assert d.fallback_endpoints == ["micro", "mixtral", "phone"]
    assert d.fallback_options == [CLOUD, MEC, DEVICE]
    assert (d.estimated_latency, d.estimated_cost) == (777, 0.0042)
    assert d.scores["micro"] == 0.94  # the learned scores are kept as they were


# ---------------------------------------------------------------------------- the config


def _with_reasoner(reasoner: dict[str, Any]) -> dict[str, Any]:
    text = resources.files("mecrouter").joinpath("default_config.yaml").read_text("utf-8")
    raw: dict[str, Any] = yaml.safe_load(text)
    raw["routing"] = {"reasoner": reasoner}
    return raw


def test_the_reasoner_is_off_by_default() -> None:
    settings = load_config().routing.reasoner
    assert settings.backend == "off"
    assert settings.model == "us.amazon.nova-pro-v1:0"


@pytest.mark.parametrize(
    ("reasoner", "field"),
    [
        ({"backend": "nova"}, "routing.reasoner.backend"),
        ({"backend": "openai_http"}, "routing.reasoner.base_url"),
        ({"backend": "bedrock", "margin": 1.5}, "routing.reasoner.margin"),
        ({"backend": "bedrock", "timeout_ms": 0}, "routing.reasoner.timeout_ms"),
        ({"backend": "bedrock", "failure_threshold": 0}, "routing.reasoner.failure_threshold"),
        ({"backend": "bedrock", "tiemout_ms": 10}, "routing.reasoner.tiemout_ms"),
    ],
)
def test_a_bad_reasoner_setting_names_its_field(reasoner: dict[str, Any], field: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(_with_reasoner(reasoner))
    assert caught.value.field == field


def test_an_openai_http_reasoner_with_a_url_loads() -> None:
    config = load_config(
        _with_reasoner({"backend": "openai_http", "base_url": "http://127.0.0.1:9/v1"})
    )
    assert config.routing.reasoner.base_url == "http://127.0.0.1:9/v1"
