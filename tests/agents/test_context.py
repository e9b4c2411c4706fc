"""ContextAgent: complexity, model size, latency precedence, privacy floor, use case, network."""

from __future__ import annotations

from typing import Any

import pytest

import mecrouter.agents.context as context_module
from mecrouter.agents.context import (
    TASK_TYPES,
    ContextAgent,
    classify_task,
    model_size_for,
    predict_complexity,
)
from mecrouter.config import Config, load_config
from mecrouter.errors import InvalidRequestError
from mecrouter.types import (
    DeviceInfo,
    InferenceRequest,
    LatencyTier,
    Message,
    ModelSize,
    NetworkType,
    PrivacyLevel,
)

PHI_PROMPT = "Patient John Smith MRN 4829103, blood glucose 310 mg/dL, adjust insulin?"
SMALL_TALK = "hi, what's the time?"
HARD_PROMPT = (
    "First, derive the closed form of the integral of x^2 * e^x dx and prove it by "
    "differentiation. Then implement a Python function `simpson(f, a, b, n)` that integrates it "
    "numerically, and compare the error against the exact value for n = 10, 100 and 1000.\n"
    "1. derive the formula step by step\n"
    "2. implement and debug the code, returning a float\n"
    "3. explain the trade-off between step size and floating point rounding error\n"
    "Finally, analyze the convergence rate and solve for the n that gives 1e-9 accuracy."
)


@pytest.fixture(scope="module")
def config() -> Config:
    return load_config()


@pytest.fixture(scope="module")
def agent(config: Config) -> ContextAgent:
    return ContextAgent(config)


def _request(content: str = "Tell me a joke about cats", **fields: Any) -> InferenceRequest:
    return InferenceRequest(content=content, **fields)


# --------------------------------------------------------------------------- complexity


def test_multi_step_math_and_code_prompt_is_more_complex_than_small_talk() -> None:
    hard, easy = predict_complexity(HARD_PROMPT), predict_complexity(SMALL_TALK)
    assert hard > easy + 0.4
    assert model_size_for(easy) is ModelSize.TINY
    assert model_size_for(hard) >= ModelSize.LARGE


def test_reasoning_markers_raise_complexity_over_plain_text_of_similar_length() -> None:
    plain = "Tell me a nice story about a dog and a cat in the park"
    reasoning = "Explain why the trade-off matters and compare both, step by step"
    assert predict_complexity(reasoning) > predict_complexity(plain) + 0.2


def test_medical_content_raises_complexity_above_tiny() -> None:
    clinical = predict_complexity("Should I adjust the insulin dose?")
    household = predict_complexity("Should I adjust the kitchen door?")  # same length
    assert clinical >= household + 0.1
    assert model_size_for(predict_complexity(PHI_PROMPT)) >= ModelSize.SMALL


def test_longer_text_scores_higher_and_complexity_stays_in_unit_interval() -> None:
    short = predict_complexity("Summarise this note.")
    long = predict_complexity("Summarise this note. " + "The meeting covered many topics. " * 200)
    assert long > short
    for text in ("x", "why " * 5_000, "```" * 500 + "def f(): return 1\n" * 500, "数学" * 3_000):
        assert 0.0 <= predict_complexity(text) <= 1.0


@pytest.mark.parametrize(
    ("text", "task"),
    [
        (SMALL_TALK, "chat"),
        ("Write a Python function that parses JSON and returns the keys", "code"),
        ("```\nTraceback (most recent call last):\nKeyError: 'id'\n```\nwhy?", "code"),
        ("Solve the equation 3x + 5 = 20 and compute the probability", "math"),
        ("Explain why empires fall and compare Rome with Byzantium", "reasoning"),
    ],
)
def test_task_type_follows_the_strongest_evidence(text: str, task: str) -> None:
    assert classify_task(text) == task
    assert task in TASK_TYPES


@pytest.mark.parametrize(
    ("complexity", "size"),
    [
        (0.0, ModelSize.TINY),
        (0.199, ModelSize.TINY),
        (0.2, ModelSize.SMALL),
        (0.399, ModelSize.SMALL),
        (0.4, ModelSize.MEDIUM),
        (0.599, ModelSize.MEDIUM),
        (0.6, ModelSize.LARGE),
        (0.799, ModelSize.LARGE),
        (0.8, ModelSize.FRONTIER),
        (1.0, ModelSize.FRONTIER),
    ],
)
def test_complexity_thresholds_map_to_model_size(complexity: float, size: ModelSize) -> None:
    assert model_size_for(complexity) is size


def test_analysis_model_size_follows_its_complexity(agent: ContextAgent) -> None:
    for text in (SMALL_TALK, HARD_PROMPT, "Explain why the sky is blue"):
        analysis = agent.analyze_request(_request(text))
        assert analysis.required_model_size is model_size_for(analysis.complexity_score)
        assert analysis.task_type == classify_task(text)


def test_complexity_hint_is_blended_half_and_half(agent: ContextAgent) -> None:
    predicted = predict_complexity(SMALL_TALK)
    analysis = agent.analyze_request(_request(SMALL_TALK, complexity_hint=1.0))
    assert analysis.complexity_score == pytest.approx(0.5 + 0.5 * predicted)
    assert analysis.required_model_size is ModelSize.MEDIUM


def test_analysis_is_deterministic(agent: ContextAgent) -> None:
    req = _request(HARD_PROMPT, request_id="r1", timestamp=1.0)
    assert agent.analyze_request(req) == agent.analyze_request(req)


# --------------------------------------------------------------------------- tokens


def test_token_estimates(agent: ContextAgent, config: Config) -> None:
    assert agent.analyze_request(_request("a" * 400)).estimated_tokens == 100
    assert agent.analyze_request(_request("a")).estimated_tokens == 1
    sizes = {name: uc.output_tokens for name, uc in config.use_cases.items()}
    assert len(set(sizes.values())) >= 3  # presets differ, so each one's own size shows
    estimated = {
        name: agent.analyze_request(_request(use_case=name)).estimated_output_tokens
        for name in sizes
    }
    assert estimated == sizes
    assert agent.analyze_request(_request(max_tokens=512)).estimated_output_tokens == 512


def test_messages_count_towards_tokens_and_privacy(agent: ContextAgent) -> None:
    messages = (
        Message(role="system", content="You are a triage assistant. " * 20),
        Message(role="user", content="My SSN is 123-45-6789"),
    )
    analysis = agent.analyze_request(_request("What should I do next?", messages=messages))
    assert analysis.estimated_tokens > 140  # the long system prompt is counted
    assert analysis.privacy_level is PrivacyLevel.REGULATED  # PHI in an earlier message counts


# --------------------------------------------------------------------------- latency


def test_explicit_slo_ms_beats_tier_and_use_case(agent: ContextAgent) -> None:
    req = _request(use_case="gaming", latency_requirement=LatencyTier.BATCH, latency_slo_ms=120)
    assert agent.analyze_request(req).latency_requirement == 120


def test_explicit_tier_beats_use_case(agent: ContextAgent) -> None:
    req = _request(use_case="gaming", latency_requirement=LatencyTier.INTERACTIVE)
    assert agent.analyze_request(req).latency_requirement == LatencyTier.INTERACTIVE.slo_ms


def test_use_case_preset_beats_the_default_tier(agent: ContextAgent, config: Config) -> None:
    analysis = agent.analyze_request(_request(use_case="gaming"))
    gaming_slo_ms = config.use_case("gaming").latency_slo_ms
    assert gaming_slo_ms != config.use_case("default").latency_slo_ms  # so the preset shows
    assert analysis.latency_requirement == gaming_slo_ms


def test_explicitly_requested_standard_tier_overrides_a_faster_preset(agent: ContextAgent) -> None:
    req = _request(use_case="gaming", latency_requirement=LatencyTier.STANDARD)
    assert agent.analyze_request(req).latency_requirement == LatencyTier.STANDARD.slo_ms


def test_without_anything_explicit_the_default_preset_applies(
    agent: ContextAgent, config: Config
) -> None:
    analysis = agent.analyze_request(_request())
    assert analysis.latency_requirement == config.use_case("default").latency_slo_ms


def test_an_unknown_use_case_is_an_error_not_the_default_preset(agent: ContextAgent) -> None:
    """Falling back to `default` would drop the floor a mistyped "Healthcare" was meant to set."""
    with pytest.raises(InvalidRequestError) as caught:
        agent.analyze_request(_request(use_case="no-such-use-case"))
    assert caught.value.field == "use_case"
    floor = agent.analyze_request(_request(use_case="Healthcare")).privacy_level
    assert floor is PrivacyLevel.SENSITIVE  # healthcare's min_privacy, matched ignoring case


# --------------------------------------------------------------------------- privacy


def test_phi_prompt_is_regulated(agent: ContextAgent) -> None:
    analysis = agent.analyze_request(_request(PHI_PROMPT))
    assert analysis.privacy_level is PrivacyLevel.REGULATED
    assert "medical_record_number" in analysis.privacy_findings


def test_email_only_prompt_is_sensitive(agent: ContextAgent) -> None:
    analysis = agent.analyze_request(_request("Draft a reply to maria.lopez@example.com please"))
    assert analysis.privacy_level is PrivacyLevel.SENSITIVE
    assert analysis.privacy_findings == ("email",)


def test_explicit_privacy_raises_the_level(agent: ContextAgent) -> None:
    analysis = agent.analyze_request(_request(privacy=PrivacyLevel.SENSITIVE))
    assert analysis.privacy_level is PrivacyLevel.SENSITIVE


def test_explicit_privacy_never_lowers_the_detected_level(agent: ContextAgent) -> None:
    analysis = agent.analyze_request(_request(PHI_PROMPT, privacy=PrivacyLevel.PUBLIC))
    assert analysis.privacy_level is PrivacyLevel.REGULATED


def test_healthcare_use_case_minimum_privacy_applies(agent: ContextAgent) -> None:
    plain = _request("Summarise today's ward rota", use_case="healthcare")
    analysis = agent.analyze_request(plain)
    assert analysis.privacy_findings == ()
    assert analysis.privacy_level is PrivacyLevel.SENSITIVE
    lowered = _request("Summarise today's ward rota", use_case="healthcare", privacy="public")
    assert agent.analyze_request(lowered).privacy_level is PrivacyLevel.SENSITIVE


def test_public_prompt_in_default_use_case_stays_public(agent: ContextAgent) -> None:
    assert agent.analyze_request(_request()).privacy_level is PrivacyLevel.PUBLIC


# --------------------------------------------------------------------------- use case, region


def test_the_use_case_is_reported_by_its_config_name(agent: ContextAgent) -> None:
    assert agent.analyze_request(_request(use_case=" IoT ")).use_case == "iot"
    assert agent.analyze_request(_request(use_case="iot")).use_case == "iot"


def test_region_comes_from_the_request_or_the_config(agent: ContextAgent, config: Config) -> None:
    assert agent.analyze_request(_request()).geographic_region == config.default_region
    assert agent.analyze_request(_request(region="us-east-1")).geographic_region == "us-east-1"


# --------------------------------------------------------------------------- fallback


def test_fallback_is_conservative_and_keeps_privacy(agent: ContextAgent) -> None:
    analysis = agent.fallback_analysis(_request(PHI_PROMPT, use_case="healthcare"))
    assert analysis.complexity_score == 0.5
    assert analysis.required_model_size is ModelSize.MEDIUM
    assert analysis.privacy_level is PrivacyLevel.REGULATED
    assert analysis.latency_requirement == 1500
    assert analysis.use_case == "healthcare"


def test_fallback_blends_the_hint_and_honours_requested_privacy(agent: ContextAgent) -> None:
    analysis = agent.fallback_analysis(_request(complexity_hint=1.0, privacy="sensitive"))
    assert analysis.complexity_score == pytest.approx(0.75)
    assert analysis.privacy_level is PrivacyLevel.SENSITIVE


def test_fallback_treats_undetectable_privacy_as_sensitive(
    agent: ContextAgent, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(text: str) -> tuple[PrivacyLevel, tuple[str, ...]]:
        raise ValueError("detector broke")

    monkeypatch.setattr(context_module, "detect_privacy", broken)
    analysis = agent.fallback_analysis(_request("Tell me a joke"))
    assert analysis.privacy_level is PrivacyLevel.SENSITIVE
    assert analysis.privacy_findings == ("privacy_undetermined",)


# --------------------------------------------------------------------------- device, network


def test_capable_device_scores_higher_than_a_weak_one(agent: ContextAgent) -> None:
    strong = DeviceInfo(memory_mb=12_288, battery_pct=90, local_models=("llama-3.2-3b-instruct",))
    unknown_model = DeviceInfo(memory_mb=12_288, battery_pct=90, local_models=("my-model",))
    weak = DeviceInfo(memory_mb=1_024, battery_pct=30, local_models=())
    scores = [agent.assess_device_capability(d) for d in (strong, unknown_model, weak)]
    assert scores == sorted(scores, reverse=True)
    assert scores[0] > scores[1] > scores[2]
    assert all(0.0 <= s <= 1.0 for s in scores)


def test_nearly_flat_battery_halves_device_capability(agent: ContextAgent) -> None:
    charged = DeviceInfo(memory_mb=8_192, battery_pct=50, local_models=("llama-3.2-1b-instruct",))
    flat = charged.model_copy(update={"battery_pct": 5.0})
    assert agent.assess_device_capability(flat) < 0.5 * agent.assess_device_capability(charged)


def test_offline_network_is_not_connected(agent: ContextAgent) -> None:
    assert agent.evaluate_network_conditions(NetworkType.OFFLINE).connected is False


def test_network_conditions_come_from_the_config_profile(
    agent: ContextAgent, config: Config
) -> None:
    metrics = agent.evaluate_network_conditions(NetworkType.FIVE_G)
    profile = config.network_profiles[NetworkType.FIVE_G]
    assert metrics.connected is True
    assert metrics.network_type is NetworkType.FIVE_G
    assert (metrics.mec_rtt_ms, metrics.cloud_rtt_ms) == (profile.mec_rtt_ms, profile.cloud_rtt_ms)
    assert metrics.bandwidth_mbps == profile.bandwidth_mbps


def test_agent_methods_match_the_module_functions(agent: ContextAgent) -> None:
    assert agent.predict_complexity(HARD_PROMPT) == predict_complexity(HARD_PROMPT)
    assert agent.classify_task(HARD_PROMPT) == classify_task(HARD_PROMPT)
