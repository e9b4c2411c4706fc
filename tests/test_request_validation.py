"""`parse_request` and the library path: enumerated fields in any case, use cases checked
against the config, so no spelling of a use case falls back to `default` and its lower floor."""

from __future__ import annotations

import pytest

from mecrouter.config import load_config
from mecrouter.errors import InvalidRequestError, NoRouteError
from mecrouter.pipeline import Router
from mecrouter.stores.memory import MemoryStore
from mecrouter.types import (
    ComputeTier,
    InferenceRequest,
    LatencyTier,
    NetworkType,
    PrivacyLevel,
    parse_request,
    use_case_name,
)

USE_CASES = ("gaming", "healthcare", "default")


def test_enumerated_fields_match_in_any_case() -> None:
    req = parse_request(
        {
            "content": "hi",
            "privacy": " Sensitive ",
            "allowed_tiers": ["MEC", "Device"],
            "latency_requirement": "REALTIME",
            "device_info": {"network_type": "WiFi"},
        }
    )
    assert req.privacy is PrivacyLevel.SENSITIVE
    assert req.allowed_tiers == {ComputeTier.MEC, ComputeTier.DEVICE}
    assert req.latency_requirement is LatencyTier.REALTIME and req.latency_requirement_explicit
    assert req.device_info.network_type is NetworkType.WIFI


@pytest.mark.parametrize(
    ("data", "field", "allowed"),
    [
        ({"privacy": "secret"}, "privacy", "public, internal, sensitive, regulated"),
        ({"allowed_tiers": ["edge"]}, "allowed_tiers", "device, mec, cloud"),
        ({"allowed_tiers": []}, "allowed_tiers", "device, mec, cloud"),
        ({"latency_requirement": "asap"}, "latency_requirement", "realtime, interactive"),
        ({"device_info": {"network_type": "6g"}}, "device_info.network_type", "5g, lte, wifi"),
        ({"use_case": "hospital"}, "use_case", "gaming, healthcare, default"),
    ],
)
def test_unknown_values_name_the_field_and_the_allowed_values(
    data: dict[str, object], field: str, allowed: str
) -> None:
    with pytest.raises(InvalidRequestError) as info:
        parse_request({"content": "hi", **data}, USE_CASES)
    assert info.value.field == field and allowed in info.value.message


def test_use_case_names_fold_case_only_when_that_is_unambiguous() -> None:
    assert use_case_name("Healthcare", USE_CASES) == "healthcare"
    assert use_case_name(" GAMING", USE_CASES) == "gaming"
    with pytest.raises(InvalidRequestError, match="several"):
        use_case_name("iot", ("IoT", "IOT"))
    assert use_case_name("IoT", ("IoT", "IOT")) == "IoT"  # an exact name is never ambiguous


def test_a_built_request_is_checked_too() -> None:
    req = InferenceRequest(content="hi", use_case="HEALTHCARE")
    assert parse_request(req, USE_CASES).use_case == "healthcare"
    with pytest.raises(InvalidRequestError):
        parse_request(InferenceRequest(content="hi", use_case="hospital"), USE_CASES)


async def test_the_library_keeps_a_capitalised_use_cases_floor() -> None:
    """`Router.complete({...})` is the same door as the gateway's."""
    note = "Discharge note: rest at home for a week and drink plenty of water."
    async with Router.from_config(load_config(), store=MemoryStore(), time_scale=0.01) as router:
        cloud_only = {"content": note, "privacy": "PUBLIC", "allowed_tiers": ["cloud"]}
        decision = await router.route(cloud_only | {"use_case": "default"})
        assert decision.selected_tier is ComputeTier.CLOUD
        with pytest.raises(NoRouteError):
            await router.route(cloud_only | {"use_case": "Healthcare"})
        with pytest.raises(InvalidRequestError, match="unknown use case"):
            await router.complete({"content": note, "use_case": "helthcare"})
        done = await router.complete(
            {"content": note, "use_case": "Healthcare", "allowed_tiers": ["mec", "device"]}
        )
        assert done.record.use_case == "healthcare"
        assert PrivacyLevel(done.record.privacy_level) >= PrivacyLevel.SENSITIVE
